"""Moving a connection through its stages, each by the party allowed to make the move.

requested → accepted | declined → in_negotiation → contracted | closed_no_deal.
Every transition locks the row (SELECT … FOR UPDATE), so concurrent answers are applied one at a
time and only the first finds the connection still `requested`.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.connections import notices, repository
from app.connections.exceptions import NotAParticipant, NotYourTurn, TransitionNotAllowed
from app.connections.models import (
    Connection,
    ConnectionEventKind,
    ConnectionStatus,
    Side,
)
from app.connections.rules import (
    can_drive,
    can_take_part,
    is_assigned_broker,
    other_sides,
    pending_sides,
    sides_of,
)
from app.connections.schemas import ConnectionUpdate
from app.connections.service import record
from app.core.audit import diff
from app.core.config import Settings
from app.core.db import utcnow
from app.listings.access import grant_detail_access


def _require(connection: Connection, *allowed: ConnectionStatus, action: str) -> None:
    if connection.status not in allowed:
        raise TransitionNotAllowed(
            f"Cannot {action} a connection that is {connection.status.value}."
        )


def _answering_sides(principal: Principal, connection: Connection) -> set[Side]:
    """The sides the caller may answer for: theirs, and still pending."""
    mine = sides_of(principal, connection)
    acting = mine & pending_sides(connection)
    if acting:
        return acting
    if mine:
        raise NotYourTurn("The other party answers this connection, not the side that asked.")
    raise NotAParticipant("Only a party the connection is waiting for may answer it.")


async def accept(
    session: AsyncSession, settings: Settings, principal: Principal, connection: Connection
) -> Connection:
    await repository.lock(session, connection)
    _require(connection, ConnectionStatus.requested, action="accept")
    sides = _answering_sides(principal, connection)
    now = utcnow()
    if Side.supplier in sides:
        connection.supplier_accepted_at = now
    if Side.seeker in sides:
        connection.seeker_accepted_at = now
    if connection.supplier_accepted_at is None or connection.seeker_accepted_at is None:
        # A broker introduction: one side said yes, the other still has to.
        await record(
            session,
            principal,
            connection,
            ConnectionEventKind.acceptance,
            "connection.accept_side",
            body=", ".join(sorted(sides)),
        )
        await notices.tell_sides(
            session, settings, connection, pending_sides(connection), "connection.requested"
        )
        return connection
    connection.status, connection.accepted_at = ConnectionStatus.accepted, now
    if connection.listing_id is not None:
        await grant_detail_access(
            session,
            connection.listing_id,
            connection.seeker_organisation_id,
            reason="connection accepted",
            connection_id=connection.id,
        )
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.status_change,
        "connection.accept",
        from_status="requested",
        to_status="accepted",
    )
    await notices.tell_sides(
        session, settings, connection, other_sides(sides), "connection.accepted"
    )
    await notices.tell_user(
        session, settings, connection.broker_user_id, connection, "connection.accepted"
    )
    return connection


async def decline(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection: Connection,
    reason: str | None,
) -> Connection:
    await repository.lock(session, connection)
    _require(connection, ConnectionStatus.requested, action="decline")
    sides = _answering_sides(principal, connection)
    connection.status, connection.declined_at = ConnectionStatus.declined, utcnow()
    connection.close_reason = reason
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.status_change,
        "connection.decline",
        body=reason,
        from_status="requested",
        to_status="declined",
    )
    await notices.tell_sides(
        session, settings, connection, other_sides(sides), "connection.declined", reason
    )
    await notices.tell_user(
        session, settings, connection.broker_user_id, connection, "connection.declined", reason
    )
    return connection


def _require_driver(principal: Principal, connection: Connection, action: str) -> None:
    if not can_drive(principal, connection):
        raise NotAParticipant(f"Only the parties or the assigned broker may {action}.")


async def advance(
    session: AsyncSession, settings: Settings, principal: Principal, connection: Connection
) -> Connection:
    """accepted → in_negotiation, by either party or the assigned broker."""
    await repository.lock(session, connection)
    _require_driver(principal, connection, "advance this connection")
    _require(connection, ConnectionStatus.accepted, action="start negotiating")
    connection.status = ConnectionStatus.in_negotiation
    connection.negotiation_started_at = utcnow()
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.status_change,
        "connection.advance",
        from_status="accepted",
        to_status="in_negotiation",
    )
    await _tell_others(session, settings, principal, connection, "connection.in_negotiation")
    return connection


async def close(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection: Connection,
    reason: str | None,
) -> Connection:
    """accepted | in_negotiation → closed_no_deal (contracted comes only from a signature)."""
    await repository.lock(session, connection)
    if not (can_drive(principal, connection) or principal.is_operator_staff):
        raise NotAParticipant("Only the parties, the assigned broker or staff may close it.")
    _require(connection, ConnectionStatus.accepted, ConnectionStatus.in_negotiation, action="close")
    before = connection.status.value
    connection.status, connection.closed_at = ConnectionStatus.closed_no_deal, utcnow()
    connection.close_reason = reason
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.status_change,
        "connection.close",
        body=reason,
        from_status=before,
        to_status="closed_no_deal",
    )
    await _tell_others(session, settings, principal, connection, "connection.closed", reason)
    return connection


async def mark_contracted(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection_id: uuid.UUID,
    contract_id: uuid.UUID,
) -> None:
    """A contract of this connection was signed: the connection is contracted."""
    connection = await session.get(Connection, connection_id)
    if connection is None:
        return
    await repository.lock(session, connection)
    before = connection.status
    if before in (ConnectionStatus.requested, ConnectionStatus.declined):
        return  # contracts are only drafted on accepted connections; nothing to move
    if before is not ConnectionStatus.contracted:
        connection.status, connection.contracted_at = ConnectionStatus.contracted, utcnow()
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.contract,
        "connection.contract_signed",
        object_id=contract_id,
        from_status=before.value,
        to_status=connection.status.value,
    )
    await _tell_others(session, settings, principal, connection, "connection.contracted")


async def add_message(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection: Connection,
    body: str,
) -> None:
    if not can_take_part(principal, connection):
        raise NotAParticipant("Only the parties, the assigned broker or staff write here.")
    await record(
        session, principal, connection, ConnectionEventKind.message, "connection.message", body=body
    )
    connection.updated_at = utcnow()
    await _tell_others(session, settings, principal, connection, "connection.message", body)


async def set_next_action(
    session: AsyncSession, principal: Principal, connection: Connection, data: ConnectionUpdate
) -> Connection:
    """The assigned broker (or staff) plans the next step of the deal."""
    if not (is_assigned_broker(principal, connection) or principal.is_operator_staff):
        raise NotAParticipant("Only the assigned broker or operator staff plan next actions.")
    changes = data.model_dump(exclude_unset=True)
    before = {k: getattr(connection, k) for k in changes}
    for field, value in changes.items():
        setattr(connection, field, value)
    body = f"{connection.next_action or ''} (due {connection.next_action_due or '—'})"
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.next_action,
        "connection.next_action",
        body=body,
        changes=diff(before, changes),
    )
    return connection


async def _tell_others(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection: Connection,
    kind: str,
    extra: str | None = None,
) -> None:
    """Tell the participants other than the caller's side (and the broker, unless it is them)."""
    await notices.tell_sides(
        session, settings, connection, other_sides(sides_of(principal, connection)), kind, extra
    )
    if connection.broker_user_id != principal.user_id:
        await notices.tell_user(
            session, settings, connection.broker_user_id, connection, kind, extra
        )


async def note_contract(
    session: AsyncSession,
    principal: Principal,
    connection_id: uuid.UUID,
    contract_id: uuid.UUID,
    body: str,
) -> None:
    """Put a contract step (drafted, terminated…) on the connection's timeline."""
    connection = await session.get(Connection, connection_id)
    if connection is not None:
        await record(
            session,
            principal,
            connection,
            ConnectionEventKind.contract,
            "connection.contract",
            body=body,
            object_id=contract_id,
        )
