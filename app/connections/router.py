"""HTTP routes of connections: create, list, answer, advance, close, timeline, services."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from app.auth.dependencies import OperatorStaff, SettingsDep
from app.auth.principal import Principal
from app.connections import brokerage, lifecycle, recording, repository, schemas, service, views
from app.connections.dependencies import (
    ConnectionReader,
    ConnectionWriter,
    ReadableConnection,
    WritableConnection,
)
from app.connections.exceptions import ServiceRequestNotFound
from app.connections.models import Connection, ConnectionChannel, ConnectionStatus
from app.core.db import SessionDep
from app.core.errors import Forbidden, PayloadTooLarge, problems
from app.core.pagination import Page, PaginationDep, paginate

router = APIRouter(prefix="/connections", tags=["connections"])

CREATED_OR_EXISTING: dict[int | str, dict[str, Any]] = {
    200: {"description": "The pair was already connected: the existing one"}
}


async def _detail(
    session: SessionDep, principal: Principal, connection: Connection
) -> schemas.ConnectionDetail:
    base = (await views.present_one(session, principal, connection)).model_dump()
    return schemas.ConnectionDetail(
        **base,
        events=list(await repository.events_of(session, connection.id)),
        service_requests=list(await repository.service_requests_of(session, connection.id)),
    )


async def _status(
    session: SessionDep, principal: Principal, response: Response, result: service.Created
) -> schemas.Connection:
    if not result.created:
        response.status_code = 200
    return await views.present_one(session, principal, result.connection)


@router.post(
    "",
    name="create",
    summary="Request contact on a listing, answer a need, or introduce a need to a listing",
    status_code=201,
    response_model=schemas.Connection,
    responses={**CREATED_OR_EXISTING, **problems(401, 403, 404, 409, 422)},
)
async def create(
    data: schemas.ConnectionCreate,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
) -> schemas.Connection:
    """201 with a new connection, or 200 with the existing one for the same pair."""
    if principal.is_client:
        raise Forbidden("Partner exchanges report connections at /connections/partner.")
    result = await service.create(session, settings, principal, data)
    return await _status(session, principal, response, result)


@router.get(
    "",
    name="list",
    summary="My connections",
    response_model=Page[schemas.Connection],
    responses=problems(401, 403, 422),
)
async def list_connections(
    session: SessionDep,
    principal: ConnectionReader,
    pagination: PaginationDep,
    status: ConnectionStatus | None = None,
    channel: ConnectionChannel | None = None,
    listing_id: uuid.UUID | None = None,
    need_id: uuid.UUID | None = None,
    unassigned: Annotated[
        bool, Query(description="Brokers: the pool of connections without a broker")
    ] = False,
) -> Page[schemas.Connection]:
    """Connections of my organisations or assigned to me (staff: all)."""
    stmt = repository.list_query(
        principal,
        unassigned=unassigned,
        status=status,
        channel=channel,
        listing_id=listing_id,
        need_id=need_id,
    )
    rows, total = await paginate(session, stmt, pagination)
    items = await views.present(session, principal, rows)
    return Page[schemas.Connection].build(items, total, pagination)


@router.post(
    "/events",
    name="record_meeting",
    summary="Record a meeting at a techmart or event",
    status_code=201,
    response_model=schemas.Connection,
    responses={**CREATED_OR_EXISTING, **problems(401, 403, 422)},
)
async def record_meeting(
    data: schemas.EventMeeting,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
) -> schemas.Connection:
    """Brokers and staff record a meeting; it counts at once (information was exchanged)."""
    result = await recording.record_meeting(session, settings, principal, data)
    return await _status(session, principal, response, result)


@router.post(
    "/events/import",
    name="import_meetings",
    summary="Import the meetings of a whole event from CSV (all or nothing)",
    response_model=schemas.ImportResult,
    responses=problems(401, 403, 413, 422),
)
async def import_meetings(
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    file: Annotated[UploadFile, File(description="CSV, UTF-8, header row; see docs")],
    event_name: Annotated[str | None, Form(max_length=300)] = None,
    event_date: Annotated[date | None, Form()] = None,
) -> schemas.ImportResult:
    """Columns: listing_id, need_id, seeker_/supplier_organisation_id or _tax_code, event_name,
    event_date, notes. Any bad row: 422 listing every problem by row, nothing created."""
    content = await file.read(settings.max_upload_bytes + 1)
    if len(content) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"The file exceeds {settings.max_upload_bytes} bytes.")
    return await recording.import_meetings(
        session, settings, principal, content, event_name, event_date
    )


@router.post(
    "/partner",
    name="report",
    summary="A partner exchange reports a connection (idempotent by external_ref)",
    status_code=201,
    response_model=schemas.Connection,
    responses={**CREATED_OR_EXISTING, **problems(401, 403, 409, 422)},
)
async def report(
    data: schemas.PartnerConnection,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
) -> schemas.Connection:
    """Partner clients (scope connections:write); repeating an external_ref returns the first."""
    result = await recording.report_partner(session, settings, principal, data)
    return await _status(session, principal, response, result)


@router.get(
    "/{connection_id}",
    name="get",
    summary="One connection with its timeline and service requests",
    response_model=schemas.ConnectionDetail,
    responses=problems(401, 403, 404),
)
async def get(
    session: SessionDep, principal: ConnectionReader, connection: ReadableConnection
) -> schemas.ConnectionDetail:
    """Visible to its parties, its broker (brokers also see unassigned ones) and staff."""
    return await _detail(session, principal, connection)


@router.patch(
    "/{connection_id}",
    name="update",
    summary="Plan the next action and its due date",
    response_model=schemas.Connection,
    responses=problems(401, 403, 404, 422),
)
async def update(
    data: schemas.ConnectionUpdate,
    session: SessionDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
) -> schemas.Connection:
    """The assigned broker or operator staff."""
    await lifecycle.set_next_action(session, principal, connection, data)
    return await views.present_one(session, principal, connection)


@router.post(
    "/{connection_id}/accept",
    name="accept",
    summary="Accept a connection (the party it waits for)",
    response_model=schemas.Connection,
    responses=problems(401, 403, 404, 409),
)
async def accept(
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
) -> schemas.Connection:
    """Only the other side accepts; accepting shares the listing's confidential detail."""
    await lifecycle.accept(session, settings, principal, connection)
    return await views.present_one(session, principal, connection)


@router.post(
    "/{connection_id}/decline",
    name="decline",
    summary="Decline a connection",
    response_model=schemas.Connection,
    responses=problems(401, 403, 404, 409, 422),
)
async def decline(
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
    data: schemas.Decision | None = None,
) -> schemas.Connection:
    """A declined connection never counts."""
    reason = data.reason if data else None
    await lifecycle.decline(session, settings, principal, connection, reason)
    return await views.present_one(session, principal, connection)


@router.post(
    "/{connection_id}/advance",
    name="advance",
    summary="Start negotiating (accepted → in_negotiation)",
    response_model=schemas.Connection,
    responses=problems(401, 403, 404, 409),
)
async def advance(
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
) -> schemas.Connection:
    """Either party or the assigned broker."""
    await lifecycle.advance(session, settings, principal, connection)
    return await views.present_one(session, principal, connection)


@router.post(
    "/{connection_id}/close",
    name="close",
    summary="Close without a deal",
    response_model=schemas.Connection,
    responses=problems(401, 403, 404, 409, 422),
)
async def close(
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
    data: schemas.Decision | None = None,
) -> schemas.Connection:
    """Either party, the assigned broker or staff; `contracted` comes from signing a contract."""
    reason = data.reason if data else None
    await lifecycle.close(session, settings, principal, connection, reason)
    return await views.present_one(session, principal, connection)


@router.post(
    "/{connection_id}/messages",
    name="add_message",
    summary="Write a message on the timeline",
    status_code=201,
    response_model=schemas.ConnectionDetail,
    responses=problems(401, 403, 404, 422),
)
async def add_message(
    data: schemas.MessageCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
) -> schemas.ConnectionDetail:
    """Parties, the assigned broker and staff; the others are notified."""
    await lifecycle.add_message(session, settings, principal, connection, data.body)
    await session.flush()
    return await _detail(session, principal, connection)


@router.post(
    "/{connection_id}/assign",
    name="assign",
    summary="Assign a broker (operator staff)",
    response_model=schemas.Connection,
    responses=problems(401, 403, 404, 422),
)
async def assign(
    data: schemas.Assignment,
    session: SessionDep,
    settings: SettingsDep,
    principal: OperatorStaff,
    connection: WritableConnection,
) -> schemas.Connection:
    """The broker must hold the broker platform role."""
    await brokerage.assign(session, settings, principal, connection, data.broker_user_id)
    return await views.present_one(session, principal, connection)


@router.post(
    "/{connection_id}/take",
    name="take",
    summary="Take an unassigned connection (brokers)",
    response_model=schemas.Connection,
    responses=problems(401, 403, 404, 409),
)
async def take(
    session: SessionDep, principal: ConnectionWriter, connection: WritableConnection
) -> schemas.Connection:
    """409 when another broker took it first."""
    await brokerage.take(session, principal, connection)
    return await views.present_one(session, principal, connection)


@router.post(
    "/{connection_id}/service-requests",
    name="request_service",
    summary="Request or record an exchange service on a connection",
    status_code=201,
    response_model=schemas.ServiceRequest,
    responses=problems(401, 403, 404, 422),
)
async def request_service(
    data: schemas.ServiceRequestCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
) -> object:
    """Types: the service_request_type vocabulary (introduction … execution_support)."""
    return await brokerage.request_service(session, settings, principal, connection, data)


@router.get(
    "/{connection_id}/service-requests",
    name="list_service_requests",
    summary="Service requests of a connection",
    response_model=list[schemas.ServiceRequest],
    responses=problems(401, 403, 404),
)
async def list_service_requests(session: SessionDep, connection: ReadableConnection) -> object:
    """Everyone who sees the connection."""
    return await repository.service_requests_of(session, connection.id)


@router.patch(
    "/{connection_id}/service-requests/{request_id}",
    name="update_service_request",
    summary="Update a service request's status, handler or outcome",
    response_model=schemas.ServiceRequest,
    responses=problems(401, 403, 404, 409, 422),
)
async def update_service_request(
    request_id: uuid.UUID,
    data: schemas.ServiceRequestUpdate,
    session: SessionDep,
    settings: SettingsDep,
    principal: ConnectionWriter,
    connection: WritableConnection,
) -> object:
    """open → in_progress → done | cancelled; by the assigned broker, the handler or staff."""
    request = await repository.get_service_request(session, connection.id, request_id)
    if request is None:
        raise ServiceRequestNotFound(f"No service request {request_id} on this connection.")
    return await brokerage.update_service_request(
        session, settings, principal, connection, request, data
    )
