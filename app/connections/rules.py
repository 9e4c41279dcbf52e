"""Who may do what to a connection: pure functions of the principal and the row."""

import uuid

from app.auth.principal import Principal
from app.connections.models import Connection, ConnectionInitiator, ConnectionStatus, Side

# The side whose consent comes with creating the connection; the other side(s) must accept.
CONSENT_AT_CREATION: dict[ConnectionInitiator, frozenset[Side]] = {
    ConnectionInitiator.seeker: frozenset({Side.seeker}),
    ConnectionInitiator.supplier: frozenset({Side.supplier}),
    ConnectionInitiator.broker: frozenset(),
    ConnectionInitiator.operator: frozenset({Side.seeker, Side.supplier}),
    ConnectionInitiator.partner: frozenset({Side.seeker, Side.supplier}),
}

STAGE_LABELS: dict[ConnectionStatus, tuple[str, str]] = {
    ConnectionStatus.requested: ("Chờ phản hồi", "Awaiting an answer"),
    ConnectionStatus.accepted: ("Đã kết nối", "Accepted"),
    ConnectionStatus.in_negotiation: ("Đang đàm phán", "In negotiation"),
    ConnectionStatus.contracted: ("Đã ký hợp đồng", "Contracted"),
    ConnectionStatus.closed_no_deal: ("Kết thúc, không giao dịch", "Closed without a deal"),
    ConnectionStatus.declined: ("Bị từ chối", "Declined"),
}

# What a broker usually does next at each stage, when no next action has been written.
DEFAULT_NEXT_ACTION: dict[ConnectionStatus, str] = {
    ConnectionStatus.requested: "Follow up until both parties answer",
    ConnectionStatus.accepted: "Arrange a first meeting between the parties",
    ConnectionStatus.in_negotiation: "Support the negotiation toward a contract",
    ConnectionStatus.contracted: "Follow contract execution and registration",
    ConnectionStatus.closed_no_deal: "None",
    ConnectionStatus.declined: "None",
}


def sides_of(principal: Principal, connection: Connection) -> set[Side]:
    """The sides the caller belongs to through organisation membership."""
    sides = set()
    if principal.is_member(connection.supplier_organisation_id):
        sides.add(Side.supplier)
    if principal.is_member(connection.seeker_organisation_id):
        sides.add(Side.seeker)
    return sides


def pending_sides(connection: Connection) -> set[Side]:
    if connection.status is not ConnectionStatus.requested:
        return set()
    pending = set()
    if connection.supplier_accepted_at is None:
        pending.add(Side.supplier)
    if connection.seeker_accepted_at is None:
        pending.add(Side.seeker)
    return pending


def is_assigned_broker(principal: Principal, connection: Connection) -> bool:
    return (
        principal.is_broker
        and principal.user_id is not None
        and connection.broker_user_id == principal.user_id
    )


def can_drive(principal: Principal, connection: Connection) -> bool:
    """Parties and the assigned broker move the deal forward (advance, next steps)."""
    return bool(sides_of(principal, connection)) or is_assigned_broker(principal, connection)


def can_take_part(principal: Principal, connection: Connection) -> bool:
    """Parties, the assigned broker and operator staff write on the timeline."""
    return can_drive(principal, connection) or principal.is_operator_staff


def other_sides(sides: set[Side]) -> set[Side]:
    return {Side.supplier, Side.seeker} - sides


def organisation_of(connection: Connection, side: Side) -> uuid.UUID:
    if side is Side.supplier:
        return connection.supplier_organisation_id
    return connection.seeker_organisation_id
