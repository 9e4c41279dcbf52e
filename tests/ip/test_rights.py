"""IP rights over HTTP: recording, validation, permissions, verification, the listing's summary."""

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.ip.dossier import vn_today
from app.ip.models import IPRight
from app.listings.models import IPDeclaration, IPStatus, ListingStatus
from app.notifications.models import Notification
from tests.factories import create_organisation
from tests.ip.helpers import (
    add_right,
    audit_actions,
    moderator,
    outsider,
    owner_with_listing,
    settle,
)

Headers = Any


def url(listing_id: Any, *rest: Any) -> str:
    return "/".join([f"/api/v1/listings/{listing_id}/ip-rights", *map(str, rest)]).rstrip("/")


def patent(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "right_type": "invention_patent",
        "title": "Phương pháp sấy lạnh trái cây bằng bơm nhiệt",
        "status": "pending",
        "application_number": "1-2023-01234",
        "jurisdiction": "VN",
        "filing_date": "2023-05-10",
        "owners": [
            {"name": "Viện Công nghệ", "share_pct": 60},
            {"name": "Trường Đại học Bách khoa", "share_pct": 40},
        ],
        "notes": "Đang chờ thẩm định nội dung.",
    }
    body.update(overrides)
    return body


async def test_owner_records_a_pending_patent(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session, ip_declaration=IPDeclaration.rights)
    response = await client.post(
        url(owner.listing.id), json=patent(), headers=auth_headers(owner.user)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "pending"
    assert body["application_number"] == "1-2023-01234"
    assert body["verified"] is False
    assert body["evidence_count"] == 0
    assert body["notes"] == "Đang chờ thẩm định nội dung."
    row = await session.get(IPRight, body["id"])
    assert row is not None
    assert row.owners[0] == {"name": "Viện Công nghệ", "organisation_id": None, "share_pct": 60}
    assert owner.listing.ip_status is IPStatus.pending
    assert owner.listing.ip_dossier_clear is False
    assert await audit_actions(session, row.id) == ["ip_right.create"]


async def test_the_listing_status_follows_the_rows(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session, ip_declaration=IPDeclaration.rights)
    headers = auth_headers(owner.user)
    pending = await client.post(url(owner.listing.id), json=patent(), headers=headers)
    assert owner.listing.ip_status is IPStatus.pending
    granted = patent(
        status="granted", number="1-0034567", application_number="1-2018-00077",
        filing_date="2018-01-02", grant_date="2020-02-03", expiry_date="2038-01-02",
    )  # fmt: skip
    await client.post(url(owner.listing.id), json=granted, headers=headers)
    assert owner.listing.ip_status is IPStatus.granted
    # The granted right is withdrawn, the application is refused: rejected.
    granted_id = (await client.get(url(owner.listing.id), headers=headers)).json()[1]["id"]
    await client.delete(url(owner.listing.id, granted_id), headers=headers)
    assert owner.listing.ip_status is IPStatus.pending
    await client.patch(
        url(owner.listing.id, pending.json()["id"]), json={"status": "rejected"}, headers=headers
    )
    assert owner.listing.ip_status is IPStatus.rejected


async def test_an_expired_grant_is_reported_expired(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    old = patent(
        status="granted", number="1-0001111", application_number="1-2000-00011",
        filing_date="2000-01-10", grant_date="2003-04-05", expiry_date="2020-01-10",
    )  # fmt: skip
    response = await client.post(url(owner.listing.id), json=old, headers=auth_headers(owner.user))
    assert response.status_code == 201
    assert owner.listing.ip_status is IPStatus.expired


async def test_without_rows_the_declaration_decides_the_status(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session, ip_declaration=IPDeclaration.secret_know_how)
    response = await client.post(
        url(owner.listing.id), json=patent(), headers=auth_headers(owner.user)
    )
    await client.delete(
        url(owner.listing.id, response.json()["id"]), headers=auth_headers(owner.user)
    )
    assert owner.listing.ip_status is IPStatus.secret_know_how


async def test_the_cached_fields_are_not_accepted_from_input(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    body = patent(verified=True, ip_status="granted")
    response = await client.post(url(owner.listing.id), json=body, headers=auth_headers(owner.user))
    assert response.status_code == 201
    assert response.json()["verified"] is False
    assert owner.listing.ip_status is IPStatus.pending


# --- validation ----------------------------------------------------------------------------


def fields(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {e["field"]: e["msg"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"right_type": "bang_sang_che"}, "body.right_type", "not a code"),
        ({"application_number": "VN-2023-1234"}, "body.application_number", "1-2023-01234"),
        ({"application_number": "4-2023-01234"}, "body.application_number", "starts with 1-"),
        ({"status": "granted", "number": None}, "body.number", "grant number"),
        ({"filing_date": "2023-05-10", "grant_date": "2022-01-01"}, "body.grant_date", "before"),
        (
            {
                "grant_date": "2024-01-01",
                "expiry_date": "2023-12-31",
                "status": "granted",
                "number": "1-0000001",
            },
            "body.expiry_date",
            "before the grant",
        ),  # fmt: skip
        ({"expiry_date": "2020-01-01"}, "body.expiry_date", "before the filing"),
        ({"filing_date": str(vn_today() + timedelta(days=2))}, "body.filing_date", "future"),
        (
            {"owners": [{"name": "A", "share_pct": 70}, {"name": "B", "share_pct": 40}]},
            "body.owners",
            "110",
        ),
        ({"owners": [{"name": "A", "share_pct": 0}]}, "body.owners.0.share_pct", "greater than"),
        ({"owners": [{"name": "A", "share_pct": 101}]}, "body.owners.0.share_pct", "less than"),
        ({"owners": [{"name": " ", "share_pct": 10}]}, "body.owners.0.name", "at least 1"),
        ({"jurisdiction": "Việt Nam"}, "body.jurisdiction", "pattern"),
        ({"status": "abandoned"}, "body.status", "Input should be"),
    ],
)
async def test_each_field_rule(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth_headers: Headers,
    overrides: dict[str, Any],
    field: str,
    words: str,
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    response = await client.post(
        url(owner.listing_id), json=patent(**overrides), headers=auth_headers(owner.user)
    )
    errors = fields(response)
    assert field in errors, errors
    assert words in errors[field]
    assert (
        await session.scalar(select(IPRight).where(IPRight.listing_id == owner.listing_id)) is None
    )


async def test_every_business_error_is_listed_at_once(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    body = patent(
        right_type="no_such_type", application_number="12345", status="granted",
        grant_date="2020-01-01", filing_date="2021-01-01",
        owners=[{"name": "A", "share_pct": 80}, {"name": "B", "share_pct": 30}],
    )  # fmt: skip
    await settle(session)
    response = await client.post(url(owner.listing_id), json=body, headers=auth_headers(owner.user))
    errors = fields(response)
    assert {"body.right_type", "body.number", "body.grant_date", "body.owners"} <= errors.keys()


async def test_unknown_owner_organisation_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    partner = await create_organisation(session)
    await settle(session)
    owners = [
        {"name": "Viện", "organisation_id": str(owner.organisation.id), "share_pct": 50},
        {"name": "Đối tác", "organisation_id": str(partner.id), "share_pct": 30},
        {"name": "Ma", "organisation_id": "00000000-0000-4000-8000-000000000000", "share_pct": 20},
    ]
    response = await client.post(
        url(owner.listing.id), json=patent(owners=owners), headers=auth_headers(owner.user)
    )
    assert fields(response) == {"body.owners.2.organisation_id": "No such organisation."}


async def test_vn_format_is_checked_only_where_it_applies(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    headers = auth_headers(owner.user)
    foreign = patent(jurisdiction="us", application_number="17/123,456")
    response = await client.post(url(owner.listing.id), json=foreign, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["jurisdiction"] == "US"
    software = patent(right_type="copyright", application_number="GCN-1234/2024")
    assert (
        await client.post(url(owner.listing.id), json=software, headers=headers)
    ).status_code == 201
    design = patent(right_type="industrial_design", application_number="3-2024-00456")
    assert (
        await client.post(url(owner.listing.id), json=design, headers=headers)
    ).status_code == 201


async def test_a_patch_is_checked_against_the_stored_right(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing)  # filed 2019-03-01, granted 2021-06-01
    await settle(session)
    response = await client.patch(
        url(owner.listing.id, right.id), json={"filing_date": "2022-01-01"},
        headers=auth_headers(owner.user),
    )  # fmt: skip
    assert "body.grant_date" in fields(response)
    await session.refresh(right)
    assert right.filing_date == date(2019, 3, 1)


# --- permissions ---------------------------------------------------------------------------


async def test_anonymous_cannot_record_rights(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    assert (await client.post(url(owner.listing_id), json=patent())).status_code == 401
    assert (
        await session.scalar(select(IPRight).where(IPRight.listing_id == owner.listing_id)) is None
    )


async def test_another_organisation_gets_403_on_a_published_listing_and_404_on_a_draft(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    published = await owner_with_listing(session)
    draft = await owner_with_listing(session, status=ListingStatus.draft)
    stranger = auth_headers(await outsider(session))
    right_id = (await add_right(session, published.listing)).id
    await settle(session)
    response = await client.post(url(published.listing_id), json=patent(), headers=stranger)
    assert response.status_code == 403
    response = await client.post(url(draft.listing_id), json=patent(), headers=stranger)
    assert response.status_code == 404
    assert (await client.get(url(draft.listing_id), headers=stranger)).status_code == 404
    for method in ("PATCH", "DELETE"):
        path = url(published.listing_id, right_id)
        response = await client.request(method, path, json={"title": "x"}, headers=stranger)
        assert response.status_code == 403
    assert await session.get(IPRight, right_id) is not None


async def test_owner_works_on_a_draft(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session, status=ListingStatus.draft)
    response = await client.post(
        url(owner.listing.id), json=patent(), headers=auth_headers(owner.user)
    )
    assert response.status_code == 201


async def test_a_right_of_another_listing_is_not_found(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    other = await owner_with_listing(session)
    right = await add_right(session, other.listing)
    await settle(session)
    response = await client.patch(
        url(owner.listing.id, right.id), json={"title": "x"}, headers=auth_headers(owner.user)
    )
    assert response.status_code == 404


async def test_the_public_sees_the_facts_but_not_the_notes(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await add_right(session, owner.listing, notes="Chi phí duy trì đã nộp đến 2027.")
    public = (await client.get(url(owner.listing.id))).json()
    assert public[0]["number"] == "1-0012345"
    assert public[0]["owners"][0]["share_pct"] == 100
    assert public[0]["notes"] is None
    mine = (await client.get(url(owner.listing.id), headers=auth_headers(owner.user))).json()
    assert mine[0]["notes"] == "Chi phí duy trì đã nộp đến 2027."


# --- verification --------------------------------------------------------------------------


async def test_operator_staff_verify_and_the_owner_is_notified(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing)
    staff = await moderator(session)
    response = await client.post(
        url(owner.listing.id, right.id, "verify"), headers=auth_headers(staff)
    )
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True
    assert right.verified_by_id == staff.id
    assert right.verified_at is not None
    notes = (
        await session.scalars(select(Notification).where(Notification.user_id == owner.user.id))
    ).all()
    assert [n.kind for n in notes] == ["ip_right.verified"]
    assert notes[0].object_id == right.id
    assert await audit_actions(session, right.id) == ["ip_right.verify"]

    response = await client.post(
        url(owner.listing.id, right.id, "unverify"), headers=auth_headers(staff)
    )
    assert response.json()["verified"] is False
    assert right.verified_by_id is None


async def test_only_staff_verify(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    draft = await owner_with_listing(session, status=ListingStatus.draft)
    right = await add_right(session, owner.listing)
    draft_right = await add_right(session, draft.listing)
    path = url(owner.listing_id, right.id, "verify")
    hidden = url(draft.listing_id, draft_right.id, "verify")
    mine, stranger = auth_headers(owner.user), auth_headers(await outsider(session))
    await settle(session)
    assert (await client.post(path)).status_code == 401
    assert (await client.post(path, headers=mine)).status_code == 403
    assert (await client.post(path, headers=stranger)).status_code == 403
    assert (await client.post(hidden, headers=stranger)).status_code == 404
    await session.refresh(right)
    assert right.verified is False


async def test_editing_a_verified_fact_withdraws_the_verification(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing, verified=True)
    headers = auth_headers(owner.user)
    response = await client.patch(
        url(owner.listing.id, right.id),
        json={"title": "Tên mới", "notes": "ghi chú"},
        headers=headers,
    )
    assert response.json()["verified"] is True  # wording is not a verified fact
    response = await client.patch(
        url(owner.listing.id, right.id), json={"number": "1-0099999"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["verified"] is False
    assert right.verified is False
    assert await audit_actions(session, right.id) == ["ip_right.update", "ip_right.update"]


async def test_delete_removes_the_row_and_audits(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session, ip_declaration=IPDeclaration.rights)
    right = await add_right(session, owner.listing)
    response = await client.delete(
        url(owner.listing.id, right.id), headers=auth_headers(owner.user)
    )
    assert response.status_code == 204
    assert await session.scalar(select(IPRight).where(IPRight.id == right.id)) is None
    assert await audit_actions(session, right.id) == ["ip_right.delete"]
    assert owner.listing.ip_status is None


async def test_null_keeps_required_fields_and_new_owners_need_reverification(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing, verified=True)
    headers = auth_headers(owner.user)
    await settle(session)
    path = url(owner.listing_id, right.id)
    response = await client.patch(path, json={"owners": None, "status": None}, headers=headers)
    assert response.status_code == 200
    assert response.json()["owners"][0]["share_pct"] == 100
    assert response.json()["status"] == "granted"
    assert response.json()["verified"] is True
    shared = [
        {"name": "Viện", "share_pct": 50},
        {"name": "Công ty Cơ khí Sài Gòn", "share_pct": 50},
    ]
    response = await client.patch(path, json={"owners": shared}, headers=headers)
    assert [o["share_pct"] for o in response.json()["owners"]] == [50, 50]
    assert response.json()["verified"] is False
