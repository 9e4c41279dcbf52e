"""Creating connections (request, answer, introduction) and reading them."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.connections import notices, repository
from app.connections.exceptions import (
    ConnectionNotFound,
    NeedNotFound,
    NotOpenForConnections,
    OrganisationRequired,
    OwnObject,
)
from app.connections.models import (
    Connection,
    ConnectionChannel,
    ConnectionEvent,
    ConnectionEventKind,
    ConnectionInitiator,
    Side,
)
from app.connections.rules import CONSENT_AT_CREATION, pending_sides
from app.connections.schemas import ConnectionCreate
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, field_error
from app.listings import access as listing_access
from app.listings.models import Listing, ListingStatus
from app.needs import repository as needs_repository
from app.needs import service as needs_service
from app.needs.models import Need, NeedStatus


@dataclass(frozen=True)
class Created:
    """A connection and whether this call created it (False: the pair already existed)."""

    connection: Connection
    created: bool


async def get(session: AsyncSession, principal: Principal, connection_id: uuid.UUID) -> Connection:
    connection = await repository.get_readable(session, principal, connection_id)
    if connection is None:
        raise ConnectionNotFound(
            f"Connection {connection_id} does not exist or is not visible to you."
        )
    return connection


def acting_organisation(principal: Principal, organisation_id: uuid.UUID | None) -> uuid.UUID:
    """The organisation the caller acts for: the one named, or their only one."""
    loc: list[str | int] = ["body", "organisation_id"]
    if organisation_id is not None:
        if not principal.is_member(organisation_id):
            raise OrganisationRequired(errors=[field_error(loc, "You are not a member of it.")])
        return organisation_id
    if len(principal.org_ids) == 1:
        return next(iter(principal.org_ids))
    msg = (
        "You belong to several organisations; name one."
        if principal.org_ids
        else ("You must belong to an organisation to do this.")
    )
    raise OrganisationRequired(errors=[field_error(loc, msg)])


async def open_listing(
    session: AsyncSession, principal: Principal, listing_id: uuid.UUID
) -> Listing:
    """A listing the caller sees and that takes connections (published)."""
    listing = await listing_access.get_readable(session, principal, listing_id)
    if listing.status is not ListingStatus.published:
        raise NotOpenForConnections(
            f"Listing {listing_id} is {listing.status.value}, not published."
        )
    return listing


async def open_need(session: AsyncSession, principal: Principal, need_id: uuid.UUID) -> Need:
    """A need the caller sees (the needs domain's rule) that takes answers: published, live."""
    need = await needs_repository.get_readable(session, principal, need_id)
    if need is None:
        raise NeedNotFound(f"Need {need_id} does not exist or is not visible to you.")
    status = needs_service.effective_status(need)
    if status is not NeedStatus.published:
        raise NotOpenForConnections(f"Need {need_id} is {status.value}, not published.")
    return need


async def create(
    session: AsyncSession, settings: Settings, principal: Principal, data: ConnectionCreate
) -> Created:
    if data.kind == "request":
        return await _request(session, settings, principal, data)
    if data.kind == "answer":
        return await _answer(session, settings, principal, data)
    return await _introduce(session, settings, principal, data)


async def _request(
    session: AsyncSession, settings: Settings, principal: Principal, data: ConnectionCreate
) -> Created:
    assert data.listing_id is not None
    listing = await open_listing(session, principal, data.listing_id)
    seeker = acting_organisation(principal, data.organisation_id)
    if seeker == listing.organisation_id:
        raise OwnObject(errors=[field_error(["body", "listing_id"], "This is your own listing.")])
    values = new_values(
        principal,
        ConnectionInitiator.seeker,
        ConnectionChannel.online,
        listing_id=listing.id,
        supplier_organisation_id=listing.organisation_id,
        seeker_organisation_id=seeker,
        message=data.message,
    )
    return await insert(session, settings, principal, values)


async def _answer(
    session: AsyncSession, settings: Settings, principal: Principal, data: ConnectionCreate
) -> Created:
    assert data.need_id is not None
    need = await open_need(session, principal, data.need_id)
    supplier = acting_organisation(principal, data.organisation_id)
    if supplier == need.organisation_id:
        raise OwnObject(errors=[field_error(["body", "need_id"], "This is your own need.")])
    listing_id = None
    if data.listing_id is not None:
        listing = await open_listing(session, principal, data.listing_id)
        if listing.organisation_id != supplier:
            msg = "Offer one of your own organisation's listings."
            raise OwnObject(errors=[field_error(["body", "listing_id"], msg)])
        listing_id = listing.id
    values = new_values(
        principal,
        ConnectionInitiator.supplier,
        ConnectionChannel.online,
        listing_id=listing_id,
        need_id=need.id,
        supplier_organisation_id=supplier,
        seeker_organisation_id=need.organisation_id,
        message=data.message,
    )
    return await insert(session, settings, principal, values)


async def _introduce(
    session: AsyncSession, settings: Settings, principal: Principal, data: ConnectionCreate
) -> Created:
    if not (principal.is_broker or principal.is_operator_staff):
        raise Forbidden("Only brokers and operator staff introduce a need to a listing.")
    assert data.listing_id is not None
    assert data.need_id is not None
    listing = await open_listing(session, principal, data.listing_id)
    need = await open_need(session, principal, data.need_id)
    if listing.organisation_id == need.organisation_id:
        msg = "The listing and the need belong to the same organisation."
        raise OwnObject(errors=[field_error(["body", "need_id"], msg)])
    values = new_values(
        principal,
        ConnectionInitiator.broker,
        ConnectionChannel.broker,
        listing_id=listing.id,
        need_id=need.id,
        supplier_organisation_id=listing.organisation_id,
        seeker_organisation_id=need.organisation_id,
        message=data.message,
    )
    if principal.is_broker:
        values.update(broker_user_id=principal.user_id, broker_assigned_at=values["created_at"])
    return await insert(session, settings, principal, values)


def new_values(
    principal: Principal,
    initiator: ConnectionInitiator,
    channel: ConnectionChannel,
    **values: Any,
) -> dict[str, Any]:
    now = utcnow()
    consent = CONSENT_AT_CREATION[initiator]
    values.update(
        id=uuid.uuid4(),
        created_at=now,
        updated_at=now,
        initiator=initiator,
        channel=channel,
        created_by_id=principal.user_id,
        supplier_accepted_at=now if Side.supplier in consent else None,
        seeker_accepted_at=now if Side.seeker in consent else None,
    )
    return values


async def insert(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    values: dict[str, Any],
    *,
    notify: bool = True,
) -> Created:
    """Insert the connection, or return the one that already holds this pair."""
    inserted = await repository.insert_if_absent(session, values)
    if inserted is None:
        return Created(await _existing(session, principal, values), created=False)
    connection = await session.get(Connection, inserted)
    assert connection is not None
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.created,
        "connection.create",
        body=values.get("message"),
        to_status=connection.status.value,
    )
    if notify:
        await notices.tell_sides(
            session, settings, connection, pending_sides(connection), "connection.requested"
        )
    return Created(connection, created=True)


async def _existing(
    session: AsyncSession, principal: Principal, values: dict[str, Any]
) -> Connection:
    existing = None
    if values.get("external_ref"):
        existing = await repository.find_by_partner_ref(
            session, values["partner_organisation_id"], values["external_ref"]
        )
    existing = existing or await repository.find_by_pair(
        session,
        listing_id=values.get("listing_id"),
        need_id=values.get("need_id"),
        supplier_id=values["supplier_organisation_id"],
        seeker_id=values["seeker_organisation_id"],
    )
    if existing is None:  # conflicted with a row deleted since: let the caller retry
        raise Conflict("This connection changed concurrently; please retry.")
    if await repository.get_readable(session, principal, existing.id) is None:
        raise Conflict("These organisations are already connected on this listing or need.")
    return existing


async def record(
    session: AsyncSession,
    principal: Principal,
    connection: Connection,
    kind: ConnectionEventKind,
    action: str,
    *,
    body: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    object_id: uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
) -> ConnectionEvent:
    """One timeline event and one audit row for every change of a connection."""
    event = ConnectionEvent(
        connection_id=connection.id,
        at=utcnow(),
        actor_user_id=principal.user_id,
        actor_label=principal.label,
        kind=kind,
        body=body,
        from_status=from_status,
        to_status=to_status,
        object_id=object_id,
    )
    session.add(event)
    if from_status or to_status:
        changes = {"status": [from_status, to_status], **(changes or {})}
    await audit.record(session, principal, action, "connection", connection.id, changes=changes)
    return event
