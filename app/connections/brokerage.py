"""Brokerage: assigning brokers, the broker's pipeline, and exchange service requests."""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import PlatformRole
from app.auth.principal import Principal
from app.connections import notices, repository
from app.connections.exceptions import (
    AlreadyAssigned,
    ConnectionInvalid,
    NotAParticipant,
    TransitionNotAllowed,
)
from app.connections.models import (
    Connection,
    ConnectionEventKind,
    ConnectionStatus,
    ServiceRequest,
    ServiceRequestStatus,
)
from app.connections.rules import (
    DEFAULT_NEXT_ACTION,
    STAGE_LABELS,
    can_take_part,
    is_assigned_broker,
)
from app.connections.schemas import (
    Pipeline,
    PipelineItem,
    PipelineStage,
    ServiceRequestCreate,
    ServiceRequestUpdate,
)
from app.connections.service import record
from app.core.audit import diff
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import field_error
from app.listings.taxonomy import check_codes

HANDLER_ROLES = frozenset(
    {PlatformRole.broker.value, PlatformRole.operator_admin.value, PlatformRole.moderator.value}
)
PIPELINE_ORDER = [
    ConnectionStatus.requested,
    ConnectionStatus.accepted,
    ConnectionStatus.in_negotiation,
    ConnectionStatus.contracted,
    ConnectionStatus.closed_no_deal,
    ConnectionStatus.declined,
]
NEXT_STATUSES: dict[ServiceRequestStatus, frozenset[ServiceRequestStatus]] = {
    ServiceRequestStatus.open: frozenset(
        {
            ServiceRequestStatus.in_progress,
            ServiceRequestStatus.done,
            ServiceRequestStatus.cancelled,
        }
    ),
    ServiceRequestStatus.in_progress: frozenset(
        {ServiceRequestStatus.done, ServiceRequestStatus.cancelled}
    ),
    ServiceRequestStatus.done: frozenset(),
    ServiceRequestStatus.cancelled: frozenset(),
}


async def _require_user_with(
    session: AsyncSession,
    user_id: uuid.UUID,
    roles: frozenset[str],
    loc: list[str | int],
    what: str,
) -> None:
    user = await repository.get_active_user(session, user_id)
    if user is None or not roles.intersection(user.platform_roles):
        raise ConnectionInvalid(errors=[field_error(loc, f"This user is not {what}.")])


async def assign(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection: Connection,
    broker_user_id: uuid.UUID,
) -> Connection:
    """Operator staff give a connection to a broker (or move it to another)."""
    loc: list[str | int] = ["body", "broker_user_id"]
    await _require_user_with(session, broker_user_id, frozenset({"broker"}), loc, "a broker")
    await repository.lock(session, connection)
    if connection.broker_user_id == broker_user_id:
        return connection
    await _set_broker(session, principal, connection, broker_user_id)
    await notices.tell_user(session, settings, broker_user_id, connection, "connection.assigned")
    return connection


async def take(session: AsyncSession, principal: Principal, connection: Connection) -> Connection:
    """A broker takes an unassigned connection; the row lock makes two takers race safely."""
    if not principal.is_broker or principal.user_id is None:
        raise NotAParticipant("Only brokers take connections.")
    await repository.lock(session, connection)
    if connection.broker_user_id == principal.user_id:
        return connection
    if connection.broker_user_id is not None:
        raise AlreadyAssigned()
    await _set_broker(session, principal, connection, principal.user_id)
    return connection


async def _set_broker(
    session: AsyncSession, principal: Principal, connection: Connection, broker_id: uuid.UUID
) -> None:
    before = connection.broker_user_id
    connection.broker_user_id, connection.broker_assigned_at = broker_id, utcnow()
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.assignment,
        "connection.assign",
        object_id=broker_id,
        changes={"broker_user_id": [str(before) if before else None, str(broker_id)]},
    )


async def pipeline(session: AsyncSession, broker_user_id: uuid.UUID, today: date) -> Pipeline:
    """The broker's connections by stage, each with its next action and due date."""
    items: dict[ConnectionStatus, list[PipelineItem]] = {s: [] for s in PIPELINE_ORDER}
    for (
        conn,
        listing_title,
        need_title,
        supplier,
        seeker,
        open_requests,
    ) in await repository.pipeline_rows(session, broker_user_id):
        due = conn.next_action_due
        items[conn.status].append(
            PipelineItem(
                id=conn.id,
                status=conn.status,
                channel=conn.channel,
                listing_id=conn.listing_id,
                listing_title=listing_title,
                need_id=conn.need_id,
                need_title=need_title,
                supplier_organisation_id=conn.supplier_organisation_id,
                supplier_name=supplier,
                seeker_organisation_id=conn.seeker_organisation_id,
                seeker_name=seeker,
                next_action=conn.next_action or DEFAULT_NEXT_ACTION[conn.status],
                next_action_due=due,
                overdue=due is not None and due < today,
                open_service_requests=int(open_requests or 0),
                updated_at=conn.updated_at,
            )
        )
    stages = [
        PipelineStage(
            status=s,
            label_vi=STAGE_LABELS[s][0],
            label_en=STAGE_LABELS[s][1],
            count=len(items[s]),
            items=items[s],
        )
        for s in PIPELINE_ORDER
    ]
    overdue = sum(i.overdue for s in stages for i in s.items)
    return Pipeline(broker_user_id=broker_user_id, overdue=overdue, stages=stages)


async def request_service(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection: Connection,
    data: ServiceRequestCreate,
) -> ServiceRequest:
    """Parties ask for, and brokers record, an exchange service on a connection."""
    if not can_take_part(principal, connection):
        raise NotAParticipant("Only the parties, the assigned broker or staff request services.")
    errors = await check_codes(session, "service_request_type", [data.type], ["body", "type"])
    if data.handler_user_id is not None:
        try:
            await _require_user_with(
                session,
                data.handler_user_id,
                HANDLER_ROLES,
                ["body", "handler_user_id"],
                "a broker or operator staff",
            )
        except ConnectionInvalid as exc:
            errors += exc.errors or []
    if errors:
        raise ConnectionInvalid(errors=errors)
    handler = data.handler_user_id or _default_handler(principal, connection)
    request = ServiceRequest(
        connection_id=connection.id,
        type=data.type,
        description=data.description,
        due_date=data.due_date,
        requested_by_id=principal.user_id,
        handler_user_id=handler,
    )
    session.add(request)
    await session.flush()
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.service_request,
        "connection.service_request",
        body=f"{data.type}: open",
        object_id=request.id,
    )
    if handler is not None and handler != principal.user_id:
        await notices.tell_user(
            session, settings, handler, connection, "connection.service_request", data.type
        )
    return request


def _default_handler(principal: Principal, connection: Connection) -> uuid.UUID | None:
    if principal.is_broker or principal.is_operator_staff:
        return principal.user_id
    return connection.broker_user_id


async def update_service_request(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    connection: Connection,
    request: ServiceRequest,
    data: ServiceRequestUpdate,
) -> ServiceRequest:
    """The assigned broker, the handler or staff move a service request along."""
    handler = principal.user_id is not None and request.handler_user_id == principal.user_id
    if not (is_assigned_broker(principal, connection) or handler or principal.is_operator_staff):
        raise NotAParticipant("Only the assigned broker, the handler or staff update services.")
    changes = data.model_dump(exclude_unset=True)
    if changes.get("handler_user_id") is not None:
        await _require_user_with(
            session,
            changes["handler_user_id"],
            HANDLER_ROLES,
            ["body", "handler_user_id"],
            "a broker or operator staff",
        )
    new_status = changes.get("status")
    if new_status is not None and new_status != request.status:
        if new_status not in NEXT_STATUSES[request.status]:
            raise TransitionNotAllowed(
                f"A {request.status.value} service request cannot become {new_status.value}."
            )
        now = utcnow()
        if new_status is ServiceRequestStatus.in_progress:
            request.started_at = now
        else:
            request.completed_at = now
    before = {k: getattr(request, k) for k in changes}
    for field, value in changes.items():
        setattr(request, field, value)
    await record(
        session,
        principal,
        connection,
        ConnectionEventKind.service_request,
        "connection.service_request_update",
        object_id=request.id,
        body=f"{request.type}: {request.status.value}",
        changes=diff(before, changes),
    )
    new_handler = changes.get("handler_user_id")
    if (
        new_handler is not None
        and new_handler != principal.user_id
        and before.get("handler_user_id") != new_handler
    ):
        await notices.tell_user(
            session, settings, new_handler, connection, "connection.service_request", request.type
        )
    return request
