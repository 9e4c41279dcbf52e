"""Listing queries. Visibility comes from app.listings.access.readable_by, never re-invented."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation
from app.auth.principal import Principal
from app.listings.access import readable_by
from app.listings.models import Listing, ListingStatus
from app.listings.schemas import ListingFilters

SORTABLE: dict[str, Any] = {
    "published_at": Listing.published_at,
    "created_at": Listing.created_at,
    "updated_at": Listing.updated_at,
    "content_updated_at": Listing.content_updated_at,
    "title_vi": Listing.title_vi,
    "trl": Listing.trl,
    "price_vnd": Listing.price_vnd,
}


def _scope(principal: Principal, filters: ListingFilters) -> ColumnElement[bool] | None:
    """Which listings a list request is about, on top of what the caller may read at all."""
    if filters.mine:
        if not principal.org_ids:
            return false()
        return Listing.organisation_id.in_(principal.org_ids)
    if filters.organisation_id is not None:
        return Listing.organisation_id == filters.organisation_id
    if principal.is_operator_staff:
        return None
    # The catalogue shows published listings; a member's own drafts appear only when asked for.
    return Listing.status == ListingStatus.published


def list_statement(
    principal: Principal, filters: ListingFilters, stale_before: datetime, order_by: list[Any]
) -> Select[Listing]:
    stmt = select(Listing).where(readable_by(principal))
    scope = _scope(principal, filters)
    if scope is not None:
        stmt = stmt.where(scope)
    conditions: list[ColumnElement[bool]] = []
    f = filters
    if f.kind is not None:
        conditions.append(Listing.kind == f.kind)
    if f.tier is not None:
        conditions.append(Listing.tier == f.tier)
    if f.trl_min is not None:
        conditions.append(Listing.trl >= f.trl_min)
    if f.trl_max is not None:
        conditions.append(Listing.trl <= f.trl_max)
    if f.sector:
        conditions.append(Listing.sectors.overlap(f.sector))
    if f.ip_status is not None:
        conditions.append(Listing.ip_status == f.ip_status)
    if f.source_exchange is not None:
        conditions.append(Listing.source_exchange == f.source_exchange)
    if f.status is not None:
        conditions.append(Listing.status == f.status)
    if f.price_min is not None:
        conditions.append(Listing.price_vnd >= f.price_min)
    if f.price_max is not None:
        conditions.append(Listing.price_vnd <= f.price_max)
    if f.updated_since is not None:
        conditions.append(Listing.updated_at >= f.updated_since)
    if f.stale is True:
        conditions.append(Listing.content_updated_at < stale_before)
    elif f.stale is False:
        conditions.append(Listing.content_updated_at >= stale_before)
    return stmt.where(*conditions).order_by(*order_by, Listing.id)


async def organisation_names(
    session: AsyncSession, organisation_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    ids = set(organisation_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Organisation.id, Organisation.name_vi).where(Organisation.id.in_(ids))
    )
    return dict(rows.all())


async def external_ref_taken(
    session: AsyncSession, source_exchange: str, external_ref: str, exclude: uuid.UUID | None = None
) -> bool:
    stmt = select(Listing.id).where(
        Listing.source_exchange == source_exchange, Listing.external_ref == external_ref
    )
    if exclude is not None:
        stmt = stmt.where(Listing.id != exclude)
    return (await session.scalar(stmt.limit(1))) is not None


def has_pending_changes() -> ColumnElement[bool]:
    # JSONB columns store Python None as JSON null, so test for an object, not for SQL NULL.
    return func.jsonb_typeof(Listing.pending_changes) == "object"


def review_queue_select() -> Select[Any]:
    """Listings a moderator must look at: new submissions and published ones with pending edits."""
    return select(
        literal("listing").label("object_type"),
        Listing.id.label("id"),
        Listing.title_vi.label("title_vi"),
        Listing.organisation_id.label("organisation_id"),
        Listing.status.label("status"),
        Listing.kind.label("kind"),
        Listing.submitted_at.label("submitted_at"),
        Listing.pending_changes.label("pending_changes"),
    ).where(
        or_(
            Listing.status == ListingStatus.submitted,
            (Listing.status == ListingStatus.published) & has_pending_changes(),
        )
    )
