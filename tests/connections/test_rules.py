"""Pure rules: who still has to accept, who may drive a connection."""

import uuid

import pytest

from app.auth.models import OrgRole, PlatformRole
from app.auth.principal import Principal
from app.connections.models import Connection, ConnectionInitiator, ConnectionStatus, Side
from app.connections.rules import CONSENT_AT_CREATION, can_drive, pending_sides, sides_of
from app.connections.schemas import Connection as ConnectionSchema
from app.core.db import utcnow


def _connection(**values: object) -> Connection:
    base: dict[str, object] = {
        "supplier_organisation_id": uuid.uuid4(),
        "seeker_organisation_id": uuid.uuid4(),
        "status": ConnectionStatus.requested,
    }
    return Connection(**(base | values))


@pytest.mark.parametrize(
    ("initiator", "awaiting"),
    [
        (ConnectionInitiator.seeker, {Side.supplier}),
        (ConnectionInitiator.supplier, {Side.seeker}),
        (ConnectionInitiator.broker, {Side.supplier, Side.seeker}),
        (ConnectionInitiator.operator, set()),
    ],
)
def test_the_initiating_side_consents_by_creating(
    initiator: ConnectionInitiator, awaiting: set[Side]
) -> None:
    consent = CONSENT_AT_CREATION[initiator]
    now = utcnow()
    connection = _connection(
        supplier_accepted_at=now if Side.supplier in consent else None,
        seeker_accepted_at=now if Side.seeker in consent else None,
    )
    assert pending_sides(connection) == awaiting


def test_nobody_is_pending_once_answered() -> None:
    assert pending_sides(_connection(status=ConnectionStatus.declined)) == set()


def test_sides_and_driving() -> None:
    connection = _connection(broker_user_id=uuid.uuid4())
    seeker = Principal(
        user_id=uuid.uuid4(), memberships={connection.seeker_organisation_id: OrgRole.member}
    )
    assert sides_of(seeker, connection) == {Side.seeker}
    assert can_drive(seeker, connection)
    assigned = Principal(
        user_id=connection.broker_user_id, platform_roles=frozenset({PlatformRole.broker})
    )
    assert can_drive(assigned, connection)
    other = Principal(user_id=uuid.uuid4(), platform_roles=frozenset({PlatformRole.broker}))
    assert not can_drive(other, connection)
    # Losing the broker role takes the assignment's rights with it.
    former = Principal(user_id=connection.broker_user_id)
    assert not can_drive(former, connection)


def test_schema_reports_awaiting_and_counted() -> None:
    now = utcnow()
    nothing_yet = (
        "need_id broker_user_id broker_assigned_at partner_exchange external_ref event_name "
        "event_date message next_action next_action_due seeker_accepted_at accepted_at "
        "declined_at negotiation_started_at contracted_at closed_at close_reason"
    ).split()
    fields = dict.fromkeys(nothing_yet) | {
        "id": uuid.uuid4(),
        "listing_id": uuid.uuid4(),
        "supplier_organisation_id": uuid.uuid4(),
        "seeker_organisation_id": uuid.uuid4(),
        "initiator": "broker",
        "channel": "broker",
        "status": "requested",
        "supplier_accepted_at": now,
        "created_at": now,
        "updated_at": now,
    }
    schema = ConnectionSchema.model_validate(fields)
    assert (schema.awaiting, schema.counted) == ([Side.seeker], False)
    closed = ConnectionSchema.model_validate(fields | {"status": "closed_no_deal"})
    assert (closed.awaiting, closed.counted) == ([], True)
