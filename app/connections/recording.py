"""Connections recorded rather than requested: meetings at events (one, or a CSV for a whole
event) and connections reported by partner exchanges."""

import csv
import io
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.connections import repository
from app.connections.exceptions import ConnectionInvalid, ImportRejected
from app.connections.models import ConnectionChannel, ConnectionInitiator, ConnectionStatus
from app.connections.schemas import (
    EventMeeting,
    ImportResult,
    ImportRow,
    Parties,
    PartnerConnection,
)
from app.connections.service import Created, insert, new_values
from app.core.config import Settings
from app.core.errors import Forbidden, field_error
from app.listings.models import ListingStatus
from app.needs import service as needs_service
from app.needs.models import NeedStatus

VIETNAM = timezone(timedelta(hours=7))
CSV_COLUMNS = (
    "listing_id",
    "need_id",
    "seeker_organisation_id",
    "seeker_tax_code",
    "supplier_organisation_id",
    "supplier_tax_code",
    "event_name",
    "event_date",
    "notes",
)
MAX_ROWS = 5000

Loc = list[str | int]


def _moment(day: date) -> datetime:
    """A date as the start of that day in Viet Nam, stored in UTC."""
    return datetime.combine(day, time(0), VIETNAM).astimezone(UTC)


async def _organisation(
    session: AsyncSession,
    org_id: uuid.UUID | None,
    tax_code: str | None,
    loc: Loc,
    side: str,
    errors: list[dict[str, Any]],
) -> uuid.UUID | None:
    if org_id is not None:
        if not await repository.existing_organisation_ids(session, [org_id]):
            errors.append(field_error([*loc, f"{side}_organisation_id"], "No such organisation."))
        return org_id
    if tax_code:
        found = await repository.organisation_ids_by_tax_code(session, [tax_code.strip()])
        if not found:
            msg = f"No organisation has the tax code {tax_code}."
            errors.append(field_error([*loc, f"{side}_tax_code"], msg))
        return next(iter(found.values()), None)
    return None


async def resolve(
    session: AsyncSession, parties: Parties, loc: Loc
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The subject and both organisations of a recorded connection, or every problem found."""
    errors: list[dict[str, Any]] = []
    if parties.listing_id is None and parties.need_id is None:
        errors.append(field_error([*loc, "listing_id"], "Name a listing_id or a need_id."))
    listing = need = None
    if parties.listing_id is not None:
        listing = await repository.get_listing(session, parties.listing_id)
        if listing is None or listing.status is not ListingStatus.published:
            errors.append(field_error([*loc, "listing_id"], "No published listing has this id."))
            listing = None
    if parties.need_id is not None:
        need = await repository.get_need(session, parties.need_id)
        if need is None or needs_service.effective_status(need) is not NeedStatus.published:
            errors.append(field_error([*loc, "need_id"], "No published need has this id."))
            need = None
    seeker = await _organisation(
        session, parties.seeker_organisation_id, parties.seeker_tax_code, loc, "seeker", errors
    )
    supplier = await _organisation(
        session,
        parties.supplier_organisation_id,
        parties.supplier_tax_code,
        loc,
        "supplier",
        errors,
    )
    if listing is not None:
        if supplier is not None and supplier != listing.organisation_id:
            msg = "The supplier must be the listing's owner organisation."
            errors.append(field_error([*loc, "supplier_organisation_id"], msg))
        supplier = listing.organisation_id
    if need is not None:
        if seeker is not None and seeker != need.organisation_id:
            msg = "The seeker must be the need's owner organisation."
            errors.append(field_error([*loc, "seeker_organisation_id"], msg))
        seeker = need.organisation_id
    if not errors:
        if seeker is None:
            errors.append(field_error([*loc, "seeker_organisation_id"], "Name the seeker."))
        if supplier is None:
            errors.append(field_error([*loc, "supplier_organisation_id"], "Name the supplier."))
        if seeker is not None and seeker == supplier:
            msg = "Seeker and supplier are the same organisation."
            errors.append(field_error([*loc, "seeker_organisation_id"], msg))
    values = {
        "listing_id": listing.id if listing else None,
        "need_id": need.id if need else None,
        "seeker_organisation_id": seeker,
        "supplier_organisation_id": supplier,
    }
    return values, errors


def _require_recorder(principal: Principal) -> None:
    if not (principal.is_broker or principal.is_operator_staff):
        raise Forbidden("Only brokers and operator staff record meetings at events.")


def _event_values(
    principal: Principal, subject: dict[str, Any], data: EventMeeting
) -> dict[str, Any]:
    values = new_values(principal, ConnectionInitiator.operator, ConnectionChannel.event, **subject)
    met = _moment(data.event_date)
    values.update(
        status=ConnectionStatus.accepted,
        accepted_at=met,
        supplier_accepted_at=met,
        seeker_accepted_at=met,
        event_name=data.event_name,
        event_date=data.event_date,
        message=data.notes,
    )
    if principal.is_broker:
        values.update(broker_user_id=principal.user_id, broker_assigned_at=values["created_at"])
    return values


def _check_date(day: date, loc: Loc, errors: list[dict[str, Any]]) -> None:
    if day > datetime.now(VIETNAM).date():
        errors.append(field_error([*loc, "event_date"], "A meeting cannot be in the future."))


async def record_meeting(
    session: AsyncSession, settings: Settings, principal: Principal, data: EventMeeting
) -> Created:
    """A meeting at a techmart: the information was exchanged there, so it is accepted at once."""
    _require_recorder(principal)
    subject, errors = await resolve(session, data, ["body"])
    _check_date(data.event_date, ["body"], errors)
    if errors:
        raise ConnectionInvalid(errors=errors)
    values = _event_values(principal, subject, data)
    return await insert(session, settings, principal, values, notify=False)


def _read_rows(content: bytes) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(errors=[field_error(["file"], "The file must be UTF-8 CSV.")]) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if not header or unknown or not {"listing_id", "need_id"} & set(header):
        msg = f"Columns allowed: {', '.join(CSV_COLUMNS)} (listing_id or need_id required)."
        raise ImportRejected(errors=[field_error(["file", 1], msg)])
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    if not rows or len(rows) > MAX_ROWS:
        msg = f"The file must hold between 1 and {MAX_ROWS} rows."
        raise ImportRejected(errors=[field_error(["file"], msg)])
    return rows


def _parse_row(
    raw: dict[str, str], number: int, defaults: dict[str, Any], errors: list[dict[str, Any]]
) -> EventMeeting | None:
    values = {k: v for k, v in raw.items() if v} | {
        k: v for k, v in defaults.items() if v is not None and not raw.get(k)
    }
    try:
        return EventMeeting.model_validate(values)
    except ValidationError as exc:
        for e in exc.errors():
            errors.append(
                field_error(
                    ["file", number, *[str(p) for p in e["loc"]]],
                    f"row {number}: {e['msg']}",
                    e["type"],
                )
            )
        return None


async def import_meetings(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    content: bytes,
    event_name: str | None,
    event_date: date | None,
) -> ImportResult:
    """All or nothing: every row is checked first; one bad row and nothing is created."""
    _require_recorder(principal)
    defaults = {"event_name": event_name, "event_date": event_date}
    errors: list[dict[str, Any]] = []
    planned: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(_read_rows(content), start=2):  # row 1 is the header
        meeting = _parse_row(raw, number, defaults, errors)
        if meeting is None:
            continue
        row_errors: list[dict[str, Any]] = []
        subject, row_errors = await resolve(session, meeting, ["file", number])
        _check_date(meeting.event_date, ["file", number], row_errors)
        errors += [{**e, "msg": f"row {number}: {e['msg']}"} for e in row_errors]
        if not row_errors:
            planned.append((number, _event_values(principal, subject, meeting)))
    if errors:
        raise ImportRejected(
            f"{len(errors)} problem(s) found; nothing was imported.", errors=errors
        )
    rows = []
    for number, values in planned:
        result = await insert(session, settings, principal, values, notify=False)
        rows.append(
            ImportRow(row=number, connection_id=result.connection.id, created=result.created)
        )
    created = sum(r.created for r in rows)
    return ImportResult(created=created, existing=len(rows) - created, rows=rows)


async def report_partner(
    session: AsyncSession, settings: Settings, principal: Principal, data: PartnerConnection
) -> Created:
    """A partner exchange reports a connection; its (partner, external_ref) makes it idempotent."""
    if not principal.is_client or len(principal.org_ids) != 1:
        raise Forbidden("Only partner exchange clients report connections here.")
    partner_id = next(iter(principal.org_ids))
    existing = await repository.find_by_partner_ref(session, partner_id, data.external_ref)
    if existing is not None:
        return Created(existing, created=False)
    subject, errors = await resolve(session, data, ["body"])
    if errors:
        raise ConnectionInvalid(errors=errors)
    partner = await repository.get_organisation(session, partner_id)
    values = new_values(
        principal, ConnectionInitiator.partner, ConnectionChannel.partner_exchange, **subject
    )
    values.update(
        partner_organisation_id=partner_id,
        partner_exchange=partner.source_exchange if partner else None,
        external_ref=data.external_ref,
        message=data.message,
    )
    if data.status == "accepted":
        met = _moment(data.occurred_on) if data.occurred_on else values["created_at"]
        values.update(
            status=ConnectionStatus.accepted,
            accepted_at=met,
            supplier_accepted_at=met,
            seeker_accepted_at=met,
        )
    elif subject["listing_id"] is not None:  # relayed request: the listing's owner answers
        values.update(supplier_accepted_at=None)
    else:  # relayed answer to a need: the need's owner answers
        values.update(seeker_accepted_at=None)
    return await insert(session, settings, principal, values)
