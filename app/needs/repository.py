"""Need queries, and the one rule deciding who may read a need (`readable_by`).

- Operator staff: every need. Members of the posting organisation: their needs, in any status.
- Everyone else: live needs only (published, deadline not passed), by visibility:
  `public` and `anonymous` for anyone (anonymous hides the poster, see schemas.need_view);
  `restricted` only for signed-in members of an organisation (incl. partner clients) and brokers.
"""

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation
from app.auth.principal import Principal
from app.needs.models import Need, NeedStatus, NeedVisibility
from app.needs.schemas import NeedFilters

VIETNAM = timezone(timedelta(hours=7))  # deadlines are Vietnamese calendar dates (no DST)

SORTABLE: dict[str, Any] = {
    "published_at": Need.published_at,
    "created_at": Need.created_at,
    "updated_at": Need.updated_at,
    "deadline": Need.deadline,
    "title_vi": Need.title_vi,
    "min_trl": Need.min_trl,
    "budget_max_vnd": Need.budget_max_vnd,
}


def vn_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(VIETNAM).date()


def overdue(today: date) -> ColumnElement[bool]:
    """Published, but the deadline has passed: read as `expired` until the worker marks it."""
    return and_(Need.status == NeedStatus.published, Need.deadline < today)


def effective_status(today: date) -> ColumnElement[Any]:
    return case((overdue(today), literal(NeedStatus.expired.value)), else_=Need.status)


def live(today: date) -> ColumnElement[bool]:
    return and_(
        Need.status == NeedStatus.published, or_(Need.deadline.is_(None), Need.deadline >= today)
    )


def readable_by(principal: Principal, today: date | None = None) -> ColumnElement[bool]:
    """SQL condition: needs this principal may see at all."""
    if principal.is_operator_staff:
        return true()
    today = today or vn_today()
    own = Need.organisation_id.in_(principal.org_ids) if principal.org_ids else false()
    if principal.org_ids or principal.is_broker:
        audience: ColumnElement[bool] = true()
    else:
        audience = Need.visibility != NeedVisibility.restricted
    return or_(own, and_(live(today), audience))


async def get_readable(
    session: AsyncSession, principal: Principal, need_id: uuid.UUID
) -> Need | None:
    return await session.scalar(select(Need).where(Need.id == need_id, readable_by(principal)))


def _scope(principal: Principal, filters: NeedFilters, today: date) -> ColumnElement[bool] | None:
    if filters.mine:
        if not principal.org_ids:
            return false()
        return Need.organisation_id.in_(principal.org_ids)
    if filters.organisation_id is not None:
        by_org = Need.organisation_id == filters.organisation_id
        if principal.is_operator_staff or principal.is_member(filters.organisation_id):
            return by_org
        # Filtering by poster must not reveal who posted an anonymous need.
        return and_(by_org, Need.visibility != NeedVisibility.anonymous)
    if principal.is_operator_staff:
        return None
    return live(today)


def list_statement(
    principal: Principal, filters: NeedFilters, today: date, order_by: list[Any]
) -> Select[Need]:
    stmt = select(Need).where(readable_by(principal, today))
    scope = _scope(principal, filters, today)
    if scope is not None:
        stmt = stmt.where(scope)
    f = filters
    conditions: list[ColumnElement[bool]] = []
    if f.sector:
        conditions.append(Need.sectors.overlap(f.sector))
    if f.trl_min is not None:
        conditions.append(Need.min_trl >= f.trl_min)
    if f.trl_max is not None:
        conditions.append(Need.min_trl <= f.trl_max)
    # Budgets are ranges: keep needs whose range overlaps the one asked for.
    if f.budget_min is not None:
        conditions.append(func.coalesce(Need.budget_max_vnd, Need.budget_min_vnd) >= f.budget_min)
    if f.budget_max is not None:
        conditions.append(func.coalesce(Need.budget_min_vnd, Need.budget_max_vnd) <= f.budget_max)
    if f.region is not None:
        conditions.append(Need.region == f.region)
    if f.source_exchange is not None:
        conditions.append(Need.source_exchange == f.source_exchange)
    if f.status is not None:
        conditions.append(effective_status(today) == f.status.value)
    if f.deadline_before is not None:
        conditions.append(Need.deadline <= f.deadline_before)
    if f.deadline_after is not None:
        conditions.append(Need.deadline >= f.deadline_after)
    if f.updated_since is not None:
        conditions.append(Need.updated_at >= f.updated_since)
    return stmt.where(*conditions).order_by(*order_by, Need.id)


async def overdue_needs(session: AsyncSession, today: date) -> list[Need]:
    # SKIP LOCKED: a need being edited right now is simply expired on the next run.
    stmt = select(Need).where(overdue(today)).with_for_update(skip_locked=True)
    return list((await session.scalars(stmt)).all())


def review_queue_select() -> Select[Any]:
    """Needs awaiting a moderator; same columns as the listings' queue select (UNION ALL)."""
    return select(
        literal("need").label("object_type"),
        Need.id.label("id"),
        Need.title_vi.label("title_vi"),
        Need.organisation_id.label("organisation_id"),
        Need.status.label("status"),
        null().label("kind"),
        Need.submitted_at.label("submitted_at"),
        null().cast(JSONB).label("pending_changes"),
    ).where(Need.status == NeedStatus.submitted)


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
