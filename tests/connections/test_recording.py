"""Connections recorded at events (one, or a CSV for a whole event) and reported by partners."""

import uuid
from datetime import date, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrganisationKind
from app.connections.models import Connection
from app.listings.models import ListingStatus
from tests.connections.helpers import (
    API,
    broker,
    error_fields,
    member,
    notified,
    partner_headers,
    staff,
)
from tests.factories import create_listing, create_need

EVENT = "Techmart TP.HCM 2026"


async def _connections(session: AsyncSession, **where: object) -> int:
    stmt = select(func.count()).select_from(Connection).filter_by(**where)
    return int(await session.scalar(stmt) or 0)


def _csv(*rows: str, header: str = "listing_id,seeker_tax_code,notes") -> bytes:
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode()


async def test_single_meeting_is_counted_at_once_on_the_event_date(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, owner = await member(session)
    company, _ = await member(session, OrganisationKind.enterprise, tax_code="0301234567")
    listing = await create_listing(session, institute)
    the_broker = await broker(session)
    body = {
        "listing_id": str(listing.id),
        "seeker_tax_code": "0301234567",
        "event_name": EVENT,
        "event_date": "2026-03-15",
        "notes": "Gặp tại gian hàng số 12",
    }
    recorded = await client.post(f"{API}/events", json=body, headers=auth_headers(the_broker))
    assert recorded.status_code == 201, recorded.text
    meeting = recorded.json()
    assert (meeting["channel"], meeting["status"], meeting["counted"]) == (
        "event",
        "accepted",
        True,
    )
    assert meeting["seeker_organisation_id"] == str(company.id)
    assert meeting["supplier_organisation_id"] == str(institute.id)
    assert meeting["accepted_at"].startswith("2026-03-14T17:00")  # 00:00 in Viet Nam
    assert meeting["broker_user_id"] == str(the_broker.id)
    assert await notified(session, owner, "connection.requested") == 0

    again = await client.post(
        f"{API}/events", json=body, headers=auth_headers(await staff(session))
    )
    assert (again.status_code, again.json()["id"]) == (200, meeting["id"])
    _, company_user = await member(session, OrganisationKind.enterprise)
    forbidden = await client.post(f"{API}/events", json=body, headers=auth_headers(company_user))
    assert forbidden.status_code == 403


async def test_meeting_validation_names_every_problem(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, _ = await member(session)
    draft = await create_listing(session, institute, status=ListingStatus.draft)
    future = (date.today() + timedelta(days=30)).isoformat()
    body = {
        "listing_id": str(draft.id),
        "seeker_tax_code": "9999999999",
        "event_name": EVENT,
        "event_date": future,
    }
    response = await client.post(
        f"{API}/events", json=body, headers=auth_headers(await staff(session))
    )
    assert response.status_code == 422
    assert error_fields(response.json()) == {"listing_id", "seeker_tax_code", "event_date"}
    same = await client.post(
        f"{API}/events",
        json={
            "listing_id": str((await create_listing(session, institute)).id),
            "seeker_organisation_id": str(institute.id),
            "event_name": EVENT,
            "event_date": "2026-01-10",
        },
        headers=auth_headers(await staff(session)),
    )
    assert same.status_code == 422
    assert error_fields(same.json()) == {"seeker_organisation_id"}


async def test_csv_import_is_all_or_nothing_with_row_numbers(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, _ = await member(session)
    await member(session, OrganisationKind.enterprise, tax_code="0311111111")
    await member(session, OrganisationKind.enterprise, tax_code="0322222222")
    listing = await create_listing(session, institute)
    listing_id = listing.id
    headers = auth_headers(await staff(session))
    bad = _csv(
        f"{listing_id},0311111111,Gặp lần đầu",
        f"{uuid.uuid4()},0322222222,",
        f"{listing_id},0000000000,",
        "not-a-uuid,0322222222,",
    )
    rejected = await client.post(
        f"{API}/events/import",
        files={"file": ("techmart.csv", bad, "text/csv")},
        data={"event_name": EVENT, "event_date": "2026-03-15"},
        headers=headers,
    )
    assert rejected.status_code == 422, rejected.text
    rows = sorted({(e["loc"][1], e["loc"][-1]) for e in rejected.json()["errors"]})
    assert rows == [(3, "listing_id"), (4, "seeker_tax_code"), (5, "listing_id")]
    assert all(e["msg"].startswith(f"row {e['loc'][1]}:") for e in rejected.json()["errors"])
    assert await _connections(session, listing_id=listing_id) == 0

    good = _csv(
        f"{listing_id},0311111111,Gặp lần đầu",
        f"{listing_id},0322222222,",
        f"{listing_id},0311111111,Trùng dòng 2",
    )
    imported = await client.post(
        f"{API}/events/import",
        files={"file": ("techmart.csv", good, "text/csv")},
        data={"event_name": EVENT, "event_date": "2026-03-15"},
        headers=headers,
    )
    assert imported.status_code == 200, imported.text
    result = imported.json()
    assert (result["created"], result["existing"]) == (2, 1)
    assert [r["row"] for r in result["rows"]] == [2, 3, 4]
    assert result["rows"][2]["connection_id"] == result["rows"][0]["connection_id"]
    assert await _connections(session, listing_id=listing_id, event_name=EVENT) == 2

    repeated = await client.post(
        f"{API}/events/import",
        files={"file": ("techmart.csv", good, "text/csv")},
        data={"event_name": EVENT, "event_date": "2026-03-15"},
        headers=headers,
    )
    assert (repeated.json()["created"], repeated.json()["existing"]) == (0, 3)


async def test_csv_import_rejects_unknown_columns_and_missing_event(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    headers = auth_headers(await staff(session))
    columns = await client.post(
        f"{API}/events/import",
        files={"file": ("x.csv", _csv("a,b", header="listing,company"), "text/csv")},
        headers=headers,
    )
    assert columns.status_code == 422
    institute, _ = await member(session)
    await member(session, OrganisationKind.enterprise, tax_code="0333333333")
    listing = await create_listing(session, institute)
    no_event = await client.post(
        f"{API}/events/import",
        files={"file": ("x.csv", _csv(f"{listing.id},0333333333,"), "text/csv")},
        headers=headers,
    )
    assert no_event.status_code == 422
    assert error_fields(no_event.json()) == {"event_name", "event_date"}
    _, outsider = await member(session, OrganisationKind.enterprise)
    refused = await client.post(
        f"{API}/events/import",
        files={"file": ("x.csv", _csv(f"{listing.id},0333333333,"), "text/csv")},
        data={"event_name": EVENT, "event_date": "2026-03-15"},
        headers=auth_headers(outsider),
    )
    assert refused.status_code == 403


async def test_partner_reports_idempotently_by_external_ref(
    client: httpx.AsyncClient, session: AsyncSession, settings, auth_headers
) -> None:
    partner, headers = await partner_headers(session, settings)
    company, buyer = await member(session, OrganisationKind.enterprise)
    need = await create_need(session, company)
    institute, owner = await member(session, tax_code="0344444444")
    body = {
        "external_ref": "BRVT-KN-2026-001",
        "need_id": str(need.id),
        "supplier_tax_code": "0344444444",
        "message": "Kết nối tại sàn BR-VT",
    }
    reported = await client.post(f"{API}/partner", json=body, headers=headers)
    assert reported.status_code == 201, reported.text
    connection = reported.json()
    assert (connection["channel"], connection["partner_exchange"]) == ("partner_exchange", "brvt")
    assert (connection["status"], connection["awaiting"]) == ("requested", ["seeker"])
    assert await notified(session, buyer, "connection.requested") == 1

    again = await client.post(f"{API}/partner", json=body, headers=headers)
    assert (again.status_code, again.json()["id"]) == (200, connection["id"])
    read = await client.get(f"{API}/{connection['id']}", headers=headers)
    assert read.status_code == 200
    assert await _connections(session, partner_organisation_id=partner.id) == 1

    accepted = await client.post(f"{API}/{connection['id']}/accept", headers=auth_headers(buyer))
    assert accepted.json()["status"] == "accepted"
    not_party = await client.post(f"{API}/{connection['id']}/advance", headers=headers)
    assert not_party.status_code == 403


async def test_partner_reports_need_scope_and_a_client(
    client: httpx.AsyncClient, session: AsyncSession, settings, auth_headers
) -> None:
    institute, _ = await member(session)
    listing = await create_listing(session, institute)
    company, user = await member(session, OrganisationKind.enterprise)
    body = {
        "external_ref": "X-1",
        "listing_id": str(listing.id),
        "seeker_organisation_id": str(company.id),
        "status": "accepted",
        "occurred_on": "2026-02-01",
    }
    _, read_only = await partner_headers(session, settings, scopes=("connections:read",))
    assert (await client.post(f"{API}/partner", json=body, headers=read_only)).status_code == 403
    assert (
        await client.post(f"{API}/partner", json=body, headers=auth_headers(user))
    ).status_code == 403
    _, headers = await partner_headers(session, settings)
    created = await client.post(f"{API}/partner", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json()["counted"] is True
    # A partner's client reports; it does not request contact as if it were a company.
    direct = await client.post(API, json={"listing_id": str(listing.id)}, headers=headers)
    assert direct.status_code == 403
