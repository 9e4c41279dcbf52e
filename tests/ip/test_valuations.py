"""Valuations over HTTP: recording, independence, visibility of the value, verification."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrganisationKind
from app.ip.dossier import vn_today
from app.ip.models import Valuation
from app.listings.access import grant_detail_access
from app.listings.models import ListingStatus
from app.notifications.models import Notification
from tests.factories import create_organisation, create_user
from tests.ip.helpers import (
    add_valuation,
    audit_actions,
    moderator,
    outsider,
    owner_with_listing,
    settle,
)

Headers = Any


def url(listing_id: Any, *rest: Any) -> str:
    return "/".join([f"/api/v1/listings/{listing_id}/valuations", *map(str, rest)])


def valuation(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "method": "income",
        "value": 3_200_000_000,
        "valuation_date": "2025-11-30",
        "valuer_name": "Công ty Cổ phần Thẩm định giá Đông Á",
        "independent": True,
        "notes": "Chiết khấu dòng tiền 10 năm.",
    }
    body.update(overrides)
    return body


async def test_owner_records_a_valuation(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    response = await client.post(
        url(owner.listing_id), json=valuation(currency="usd"), headers=auth_headers(owner.user)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["value"] == 3_200_000_000
    assert body["currency"] == "USD"
    assert body["verified"] is False
    row = await session.get(Valuation, body["id"])
    assert row is not None
    assert row.independent is True
    assert await audit_actions(session, row.id) == ["valuation.create"]


async def test_currency_defaults_to_vnd(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    response = await client.post(
        url(owner.listing_id), json=valuation(), headers=auth_headers(owner.user)
    )
    assert response.json()["currency"] == "VND"


def fields(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {e["field"]: e["msg"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"method": "guess"}, "body.method", "Input should be"),
        ({"value": -1}, "body.value", "greater than or equal"),
        ({"value": "nhiều"}, "body.value", "integer"),
        ({"currency": "đồng"}, "body.currency", "pattern"),
        ({"currency": "VNDX"}, "body.currency", "pattern"),
        ({"valuation_date": "tomorrow"}, "body.valuation_date", "date"),
        ({"valuer_name": None}, "body.valuer_name", "valuer_organisation_id or valuer_name"),
        (
            {"valuer_organisation_id": "00000000-0000-4000-8000-000000000000"},
            "body.valuer_organisation_id",
            "No such organisation",
        ),
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
        url(owner.listing_id), json=valuation(**overrides), headers=auth_headers(owner.user)
    )
    errors = fields(response)
    assert field in errors, errors
    assert words in errors[field]
    query = select(Valuation).where(Valuation.listing_id == owner.listing_id)
    assert await session.scalar(query) is None


async def test_the_valuation_date_cannot_be_in_the_future(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    headers = auth_headers(owner.user)
    await settle(session)
    future = str(vn_today() + timedelta(days=1))
    response = await client.post(
        url(owner.listing_id),
        json=valuation(valuation_date=future),
        headers=headers,
    )
    assert "future" in fields(response)["body.valuation_date"]
    today = str(vn_today())
    response = await client.post(
        url(owner.listing_id),
        json=valuation(valuation_date=today),
        headers=headers,
    )
    assert response.status_code == 201


async def test_the_owner_cannot_value_itself_independently(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    valuer_id = (await create_organisation(session, name_vi="Công ty Thẩm định giá Miền Nam")).id
    headers = auth_headers(owner.user)
    await settle(session)
    own = valuation(valuer_organisation_id=str(owner.organisation_id), valuer_name=None)
    response = await client.post(url(owner.listing_id), json=own, headers=headers)
    assert "not independent" in fields(response)["body.independent"]
    own["independent"] = False  # an internal valuation may still be recorded
    assert (await client.post(url(owner.listing_id), json=own, headers=headers)).status_code == 201
    external = valuation(valuer_organisation_id=str(valuer_id), valuer_name=None)
    assert (
        await client.post(url(owner.listing_id), json=external, headers=headers)
    ).status_code == 201


async def test_a_patch_cannot_make_an_own_valuation_independent(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    row = await add_valuation(
        session, owner.listing, independent=False, verified=False,
        valuer_organisation_id=owner.organisation_id,
    )  # fmt: skip
    await settle(session)
    response = await client.patch(
        url(owner.listing_id, row.id), json={"independent": True}, headers=auth_headers(owner.user)
    )
    assert "body.independent" in fields(response)


async def test_the_value_is_shown_only_to_detail_readers(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await add_valuation(session, owner.listing, notes="Báo cáo số 12/2025")
    buyer = await outsider(session)
    granted_org = await create_organisation(session, kind=OrganisationKind.enterprise)
    granted = await create_user(session, granted_org)
    await grant_detail_access(session, owner.listing_id, granted_org.id, "connection accepted")
    staff = await moderator(session)
    await settle(session)
    public = (await client.get(url(owner.listing_id))).json()[0]
    assert public["value"] is None
    assert public["notes"] is None
    assert public["method"] == "income"
    assert public["independent"] is True
    as_buyer = (await client.get(url(owner.listing_id), headers=auth_headers(buyer))).json()
    assert as_buyer[0]["value"] is None
    for reader in (owner.user, granted, staff):
        shown = (await client.get(url(owner.listing_id), headers=auth_headers(reader))).json()[0]
        assert shown["value"] == 2_500_000_000


async def test_permissions(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    published = await owner_with_listing(session)
    draft = await owner_with_listing(session, status=ListingStatus.draft)
    row_id = (await add_valuation(session, published.listing, verified=False)).id
    stranger = auth_headers(await outsider(session))
    mine = auth_headers(published.user)
    await settle(session)
    assert (await client.post(url(published.listing_id), json=valuation())).status_code == 401
    response = await client.post(url(published.listing_id), json=valuation(), headers=stranger)
    assert response.status_code == 403
    response = await client.post(url(draft.listing_id), json=valuation(), headers=stranger)
    assert response.status_code == 404
    response = await client.delete(url(published.listing_id, row_id), headers=stranger)
    assert response.status_code == 403
    verify = url(published.listing_id, row_id, "verify")
    assert (await client.post(verify, headers=mine)).status_code == 403
    assert (await client.post(verify, headers=stranger)).status_code == 403
    row = await session.get(Valuation, row_id)
    assert row is not None
    await session.refresh(row)
    assert row.verified is False


async def test_staff_verify_and_owner_edits_withdraw_it(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    row = await add_valuation(session, owner.listing, verified=False)
    staff = await moderator(session)
    await settle(session)
    response = await client.post(
        url(owner.listing_id, row.id, "verify"), headers=auth_headers(staff)
    )
    assert response.status_code == 200
    assert response.json()["verified"] is True
    assert row.verified_by_id == staff.id
    kinds = await session.scalars(
        select(Notification.kind).where(Notification.user_id == owner.user_id)
    )
    assert list(kinds) == ["valuation.verified"]
    response = await client.patch(
        url(owner.listing_id, row.id), json={"notes": "bản gốc lưu tại Viện"},
        headers=auth_headers(owner.user),
    )  # fmt: skip
    assert response.json()["verified"] is True
    response = await client.patch(
        url(owner.listing_id, row.id), json={"value": 1}, headers=auth_headers(owner.user)
    )
    assert response.json()["verified"] is False
    assert await audit_actions(session, row.id) == [
        "valuation.verify",
        "valuation.update",
        "valuation.update",
    ]


async def test_delete(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    row = await add_valuation(session, owner.listing)
    await settle(session)
    response = await client.delete(url(owner.listing_id, row.id), headers=auth_headers(owner.user))
    assert response.status_code == 204
    assert await session.scalar(select(Valuation).where(Valuation.id == row.id)) is None
    assert await audit_actions(session, row.id) == ["valuation.delete"]
