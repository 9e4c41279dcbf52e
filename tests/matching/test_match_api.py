"""GET /api/v1/needs/{id}/matches and /api/v1/listings/{id}/matches over HTTP."""

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.listings.models import Listing, ListingStatus
from app.matching.scoring import FactorCode
from app.needs.models import Need, NeedStatus, NeedVisibility
from tests.factories import create_listing, create_need, create_user
from tests.matching.match_factories import enterprise, supplier

DRYER = "Công nghệ sấy lạnh bơm nhiệt cho xoài xuất khẩu"


async def _listing(session: AsyncSession, **kw: Any) -> Listing:
    values: dict[str, Any] = {"title_vi": DRYER, "title_en": None, "summary_vi": None}
    values.update(kw)
    organisation = values.pop("organisation", None) or await supplier(session)
    return await create_listing(session, organisation, **values)


async def _need(session: AsyncSession, **kw: Any) -> Need:
    values: dict[str, Any] = {"title_vi": DRYER, "problem_statement": None}
    values.update(kw)
    organisation = values.pop("organisation", None) or await enterprise(session)
    return await create_need(session, organisation, **values)


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


async def test_need_matches_list_ranked_listings_with_factors(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ready = await _listing(session, trl=7)
    lab = await _listing(session, trl=4)
    need = await _need(session, min_trl=6)

    response = await client.get(f"/api/v1/needs/{need.id}/matches")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["need_id"] == str(need.id)
    assert body["include_below_min_trl"] is False
    assert body["query"].startswith("sấy lạnh")
    assert [item["listing"]["id"] for item in body["items"]] == [str(ready.id)]
    item = body["items"][0]
    assert [f["code"] for f in item["factors"]] == [c.value for c in FactorCode]
    assert all(f["explanation_vi"] and f["explanation_en"] for f in item["factors"])
    assert 0 < item["score"] <= 1
    assert item["explanation_vi"]
    assert "process_summary" not in item["listing"]

    relaxed = await client.get(
        f"/api/v1/needs/{need.id}/matches", params={"include_below_min_trl": "true"}
    )
    ids = [i["listing"]["id"] for i in relaxed.json()["items"]]
    assert ids == [str(ready.id), str(lab.id)]


async def test_need_matches_respect_limit_and_reject_bad_parameters(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for _ in range(3):
        await _listing(session)
    need = await _need(session)

    two = await client.get(f"/api/v1/needs/{need.id}/matches", params={"limit": 2})
    assert len(two.json()["items"]) == 2

    bad = _problem(await client.get(f"/api/v1/needs/{need.id}/matches?limit=0"), 422)
    assert bad["errors"][0]["loc"] == ["query", "limit"]
    _problem(await client.get(f"/api/v1/needs/{need.id}/matches?limit=101"), 422)
    _problem(await client.get("/api/v1/needs/not-a-uuid/matches"), 422)


async def test_invisible_needs_are_404(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    owner_org = await enterprise(session)
    owner = await create_user(session, owner_org)
    stranger = await create_user(session, await enterprise(session))
    draft = await _need(session, organisation=owner_org, status=NeedStatus.draft)
    restricted = await _need(session, visibility=NeedVisibility.restricted)

    _problem(await client.get(f"/api/v1/needs/{uuid.uuid4()}/matches"), 404)
    _problem(await client.get(f"/api/v1/needs/{draft.id}/matches"), 404)
    _problem(
        await client.get(f"/api/v1/needs/{draft.id}/matches", headers=auth_headers(stranger)), 404
    )
    _problem(await client.get(f"/api/v1/needs/{restricted.id}/matches"), 404)

    # The poster may preview matches of a draft; a signed-in member sees restricted needs.
    own = await client.get(f"/api/v1/needs/{draft.id}/matches", headers=auth_headers(owner))
    assert own.status_code == 200
    member = await client.get(
        f"/api/v1/needs/{restricted.id}/matches", headers=auth_headers(stranger)
    )
    assert member.status_code == 200


async def test_listing_matches_hide_restricted_needs_from_the_public(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    supplier_org = await supplier(session)
    member = await create_user(session, supplier_org)
    listing = await _listing(session, organisation=supplier_org, trl=7)
    public = await _need(session, visibility=NeedVisibility.public, min_trl=6)
    anonymous = await _need(session, visibility=NeedVisibility.anonymous, min_trl=6)
    restricted = await _need(session, visibility=NeedVisibility.restricted, min_trl=6)
    await _need(session, min_trl=9)  # the listing's TRL 7 does not reach it

    anonymous_view = await client.get(f"/api/v1/listings/{listing.id}/matches")

    assert anonymous_view.status_code == 200, anonymous_view.text
    items = {i["need"]["id"]: i["need"] for i in anonymous_view.json()["items"]}
    assert set(items) == {str(public.id), str(anonymous.id)}
    assert items[str(public.id)]["organisation_id"] == str(public.organisation_id)
    assert items[str(anonymous.id)]["organisation_id"] is None

    signed_in = await client.get(
        f"/api/v1/listings/{listing.id}/matches", headers=auth_headers(member)
    )
    ids = {i["need"]["id"] for i in signed_in.json()["items"]}
    assert ids == {str(public.id), str(anonymous.id), str(restricted.id)}


async def test_invisible_listings_are_404(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    supplier_org = await supplier(session)
    owner = await create_user(session, supplier_org)
    draft = await _listing(session, organisation=supplier_org, status=ListingStatus.draft)
    await _need(session)

    _problem(await client.get(f"/api/v1/listings/{draft.id}/matches"), 404)
    _problem(await client.get(f"/api/v1/listings/{uuid.uuid4()}/matches"), 404)
    preview = await client.get(f"/api/v1/listings/{draft.id}/matches", headers=auth_headers(owner))
    assert preview.status_code == 200
    assert len(preview.json()["items"]) == 1
