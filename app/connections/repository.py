"""Queries of the connections domain; `readable_by` decides what a principal may see."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.auth.models import Organisation, User
from app.auth.principal import Principal
from app.connections.models import (
    Connection,
    ConnectionChannel,
    ConnectionEvent,
    ConnectionStatus,
    ServiceRequest,
    ServiceRequestStatus,
)
from app.listings.models import Listing
from app.needs.models import Need, NeedVisibility


def involving(principal: Principal) -> ColumnElement[bool]:
    """Connections where one of the caller's organisations is a party or reporter, or the caller
    is the assigned broker ("mine")."""
    conditions: list[ColumnElement[bool]] = []
    if principal.org_ids:
        conditions += [
            Connection.supplier_organisation_id.in_(principal.org_ids),
            Connection.seeker_organisation_id.in_(principal.org_ids),
            Connection.partner_organisation_id.in_(principal.org_ids),
        ]
    if principal.is_broker and principal.user_id is not None:
        conditions.append(Connection.broker_user_id == principal.user_id)
    return or_(*conditions) if conditions else false()


def readable_by(principal: Principal) -> ColumnElement[bool]:
    """Staff see everything; brokers also see the unassigned pool they may take from.

    A connection assigned to another broker is not visible to a broker (404), so the 403 for
    "not the assigned broker" only arises on unassigned connections.
    """
    if principal.is_operator_staff:
        return true()
    if principal.is_broker:
        return or_(involving(principal), Connection.broker_user_id.is_(None))
    return involving(principal)


async def get_readable(
    session: AsyncSession, principal: Principal, connection_id: uuid.UUID
) -> Connection | None:
    stmt = select(Connection).where(Connection.id == connection_id, readable_by(principal))
    return await session.scalar(stmt)


async def lock(session: AsyncSession, connection: Connection) -> Connection:
    """Re-read the row FOR UPDATE: concurrent transitions of one connection run one at a time."""
    await session.refresh(connection, with_for_update=True)
    return connection


async def insert_if_absent(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Insert unless the pair (or the partner's reference) exists; None when it already did.

    ON CONFLICT DO NOTHING waits for a concurrent insert of the same pair to commit, so of many
    simultaneous requests exactly one inserts and the others then find its row.
    """
    stmt = insert(Connection).values(**values).on_conflict_do_nothing().returning(Connection.id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def find_by_pair(
    session: AsyncSession,
    *,
    listing_id: uuid.UUID | None,
    need_id: uuid.UUID | None,
    supplier_id: uuid.UUID,
    seeker_id: uuid.UUID,
) -> Connection | None:
    """The connection holding the same pair: listing + seeker, or (no listing) need + supplier."""
    stmt = select(Connection).execution_options(populate_existing=True)
    if listing_id is not None:
        stmt = stmt.where(
            Connection.listing_id == listing_id, Connection.seeker_organisation_id == seeker_id
        )
    else:
        stmt = stmt.where(
            Connection.listing_id.is_(None),
            Connection.need_id == need_id,
            Connection.supplier_organisation_id == supplier_id,
        )
    return await session.scalar(stmt)


async def find_by_partner_ref(
    session: AsyncSession, partner_id: uuid.UUID, external_ref: str
) -> Connection | None:
    stmt = select(Connection).where(
        Connection.partner_organisation_id == partner_id, Connection.external_ref == external_ref
    )
    return await session.scalar(stmt)


def list_query(
    principal: Principal,
    *,
    unassigned: bool = False,
    status: ConnectionStatus | None = None,
    channel: ConnectionChannel | None = None,
    listing_id: uuid.UUID | None = None,
    need_id: uuid.UUID | None = None,
) -> Select[Any]:
    """Mine (staff: all); with `unassigned` the pool of connections without a broker."""
    scope: ColumnElement[bool]
    if unassigned:
        scope = Connection.broker_user_id.is_(None) & readable_by(principal)
    elif principal.is_operator_staff:
        scope = true()
    else:
        scope = involving(principal)
    stmt = select(Connection).where(scope)
    if status is not None:
        stmt = stmt.where(Connection.status == status)
    if channel is not None:
        stmt = stmt.where(Connection.channel == channel)
    if listing_id is not None:
        stmt = stmt.where(Connection.listing_id == listing_id)
    if need_id is not None:
        stmt = stmt.where(Connection.need_id == need_id)
    return stmt.order_by(Connection.updated_at.desc(), Connection.id)


async def events_of(session: AsyncSession, connection_id: uuid.UUID) -> Sequence[ConnectionEvent]:
    stmt = (
        select(ConnectionEvent)
        .where(ConnectionEvent.connection_id == connection_id)
        .order_by(ConnectionEvent.at, ConnectionEvent.created_at)
    )
    return (await session.scalars(stmt)).all()


async def service_requests_of(
    session: AsyncSession, connection_id: uuid.UUID
) -> Sequence[ServiceRequest]:
    stmt = (
        select(ServiceRequest)
        .where(ServiceRequest.connection_id == connection_id)
        .order_by(ServiceRequest.created_at, ServiceRequest.id)
    )
    return (await session.scalars(stmt)).all()


async def get_service_request(
    session: AsyncSession, connection_id: uuid.UUID, request_id: uuid.UUID
) -> ServiceRequest | None:
    stmt = select(ServiceRequest).where(
        ServiceRequest.id == request_id, ServiceRequest.connection_id == connection_id
    )
    return await session.scalar(stmt.with_for_update())


async def pipeline_rows(session: AsyncSession, broker_user_id: uuid.UUID) -> list[Any]:
    """The broker's connections with the titles and names a pipeline board shows."""
    supplier, seeker = aliased(Organisation), aliased(Organisation)
    open_requests = (
        select(func.count(ServiceRequest.id))
        .where(
            ServiceRequest.connection_id == Connection.id,
            ServiceRequest.status.in_(
                [ServiceRequestStatus.open, ServiceRequestStatus.in_progress]
            ),
        )
        .scalar_subquery()
    )
    stmt = (
        select(
            Connection,
            Listing.title_vi,
            Need.title_vi,
            supplier.name_vi,
            seeker.name_vi,
            open_requests,
        )
        .join(supplier, supplier.id == Connection.supplier_organisation_id)
        .join(seeker, seeker.id == Connection.seeker_organisation_id)
        .outerjoin(Listing, Listing.id == Connection.listing_id)
        .outerjoin(Need, Need.id == Connection.need_id)
        .where(Connection.broker_user_id == broker_user_id)
        .order_by(Connection.next_action_due.asc().nulls_last(), Connection.updated_at.desc())
    )
    return list((await session.execute(stmt)).all())


async def anonymous_needs(session: AsyncSession, need_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    if not need_ids:
        return set()
    stmt = select(Need.id).where(Need.id.in_(need_ids), Need.visibility == NeedVisibility.anonymous)
    return set((await session.scalars(stmt)).all())


async def get_need(session: AsyncSession, need_id: uuid.UUID) -> Need | None:
    return await session.get(Need, need_id)


async def get_listing(session: AsyncSession, listing_id: uuid.UUID) -> Listing | None:
    return await session.get(Listing, listing_id)


async def organisation_ids_by_tax_code(
    session: AsyncSession, tax_codes: Sequence[str]
) -> dict[str, uuid.UUID]:
    if not tax_codes:
        return {}
    stmt = select(Organisation.tax_code, Organisation.id).where(
        Organisation.tax_code.in_(tax_codes)
    )
    return {code: org_id for code, org_id in (await session.execute(stmt)).all() if code}


async def existing_organisation_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    if not ids:
        return set()
    stmt = select(Organisation.id).where(Organisation.id.in_(ids))
    return set((await session.scalars(stmt)).all())


async def get_organisation(session: AsyncSession, org_id: uuid.UUID) -> Organisation | None:
    return await session.get(Organisation, org_id)


async def get_active_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    user = await session.get(User, user_id)
    return user if user is not None and user.is_active else None
