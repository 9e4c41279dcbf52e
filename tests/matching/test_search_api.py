"""GET /api/v1/search/listings and /api/v1/search/needs over HTTP (default Postgres engine)."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrganisationKind
from app.core.config import Settings
from app.core.db import utcnow
from app.listings.models import ListingKind, ListingStatus
from app.matching.engine import SearchEngine
from app.matching.factory import get_search_engine
from app.matching.postgres_engine import PostgresSearchEngine
from app.needs.models import NeedStatus, NeedVisibility
from tests.factories import create_listing, create_need, create_organisation, create_user

LISTINGS = "/api/v1/search/listings"
NEEDS = "/api/v1/search/needs"


async def _get(client: httpx.AsyncClient, url: str, **params: Any) -> httpx.Response:
    return await client.get(url, params=params)


async def test_listing_search_finds_accented_titles_with_highlights_and_facets(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dryer = await create_listing(session, title_vi="Công nghệ sấy bơm nhiệt cho cà phê")
    await create_listing(session, title_vi="Công nghệ sấy nháp", status=ListingStatus.draft)
    await create_listing(session, title_vi="Máy nghiền bột", kind=ListingKind.equipment)

    response = await _get(client, LISTINGS, q="cong nghe say ca phe")

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [str(dryer.id)]
    item = body["items"][0]
    assert item["highlights"]["title_vi"] == (
        "<mark>Công nghệ sấy</mark> bơm nhiệt cho <mark>cà phê</mark>"
    )
    assert item["document"]["title_vi"] == dryer.title_vi
    assert item["score"] > 0
    assert body["pagination"] == {"total_count": 1, "max_page": 1}
    assert set(body["facets"]) == {"kind", "tier", "trl", "sectors", "ip_status", "region"}
    assert body["facets"]["kind"] == {"technology": 1}
    assert body["processing_ms"] >= 0


async def test_listing_filters_and_facets_from_query_parameters(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    org = await create_organisation(session)
    keep = await create_listing(session, org, trl=7, sectors=["ai"], ip_dossier_clear=True)
    await create_listing(session, org, trl=3, sectors=["ai"], ip_dossier_clear=True)
    await create_listing(session, org, trl=8, sectors=["mechanical"], ip_dossier_clear=True)
    await create_listing(session, org, trl=7, sectors=["ai"], ip_dossier_clear=False)

    response = await client.get(
        LISTINGS,
        params=[
            ("trl_min", 5),
            ("trl_max", 9),
            ("sector", "ai"),
            ("sector", "semiconductors"),
            ("dossier_clear", "true"),
            ("kind", "technology"),
            ("facets", "trl,ip_dossier_clear"),
            ("facets", "sectors"),
        ],
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["id"] for item in body["items"]] == [str(keep.id)]
    assert body["facets"] == {
        "trl": {"7": 1},
        "ip_dossier_clear": {"true": 1},
        "sectors": {"ai": 1},
    }


async def test_listing_price_sort_and_pages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for price in (300, 100, 200):
        await create_listing(session, price_vnd=price)

    first = (await _get(client, LISTINGS, sort="price", limit=2)).json()
    second = (await _get(client, LISTINGS, sort="price", limit=2, page=2)).json()

    prices = [i["document"]["price_vnd"] for i in first["items"] + second["items"]]
    assert prices == [100, 200, 300]
    assert first["pagination"] == {"total_count": 3, "max_page": 2}


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"trl_min": 7, "trl_max": 3}, {"query.trl_min", "query.trl_max"}),
        ({"price_min": 9, "price_max": 1}, {"query.price_min", "query.price_max"}),
        ({"facets": "kind,colour"}, {"query.facets"}),
        ({"sort": "deadline"}, {"query.sort"}),
        ({"sort": "cheapest"}, {"query.sort"}),
        ({"trl_min": 0}, {"query.trl_min"}),
        ({"limit": 101}, {"query.limit"}),
        ({"page": 0}, {"query.page"}),
        ({"kind": "spaceship"}, {"query.kind.0"}),
        ({"dossier_clear": "maybe"}, {"query.dossier_clear"}),
        ({"q": "x" * 201}, {"query.q"}),
    ],
)
async def test_bad_listing_parameters_are_422(
    client: httpx.AsyncClient, params: dict[str, Any], fields: set[str]
) -> None:
    response = await _get(client, LISTINGS, **params)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in response.json()["errors"]} == fields


async def test_odd_text_never_fails(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await create_listing(session, title_vi="Công nghệ 4.0 cho nhà máy")
    for q in ["'", "&|!:*", "(((", "a:*b", "\\", "đ", "4.0", "  ", "ИИ", "🙂", "_"]:
        response = await _get(client, LISTINGS, q=q)
        assert response.status_code == 200, (q, response.text)
    assert (await _get(client, LISTINGS, q="cong nghe 4.0")).json()["pagination"][
        "total_count"
    ] == 1


async def _needs(session: AsyncSession) -> dict[str, Any]:
    company = await create_organisation(session, kind=OrganisationKind.enterprise)
    made = {
        v.value: await create_need(
            session, company, title_vi=f"Cần robot hàn {v.value}", visibility=v
        )
        for v in NeedVisibility
    }
    await create_need(session, company, title_vi="Cần robot hàn nháp", status=NeedStatus.draft)
    past = (utcnow() - timedelta(days=3)).date()
    made["expired"] = await create_need(
        session, company, title_vi="Cần robot hàn cũ", deadline=past
    )
    made["company"] = company
    return made


def _ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def test_anonymous_visitors_never_see_restricted_needs_or_who_posted_anonymous_ones(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    needs = await _needs(session)

    response = await _get(client, NEEDS, q="robot han")

    assert _ids(response) == {str(needs["public"].id), str(needs["anonymous"].id)}
    docs = {i["id"]: i["document"] for i in response.json()["items"]}
    assert docs[str(needs["anonymous"].id)]["organisation_id"] is None
    assert docs[str(needs["public"].id)]["organisation_id"] == str(needs["company"].id)


async def test_members_see_restricted_needs(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    needs = await _needs(session)
    supplier = await create_organisation(session)
    member = await create_user(session, supplier)
    loner = await create_user(session)  # signed in, but of no organisation

    as_member = await client.get(NEEDS, params={"q": "robot han"}, headers=auth_headers(member))
    as_loner = await client.get(NEEDS, params={"q": "robot han"}, headers=auth_headers(loner))

    live = {str(needs[v.value].id) for v in NeedVisibility}
    assert _ids(as_member) == live
    assert _ids(as_loner) == live - {str(needs["restricted"].id)}


async def test_need_filters_from_query_parameters(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cheap = await create_need(session, title_vi="Cần máy lọc nước", budget_max_vnd=100, min_trl=4)
    rich = await create_need(session, title_vi="Cần máy lọc khí", budget_max_vnd=900, min_trl=7)

    assert _ids(await _get(client, NEEDS, q="may loc", budget=500)) == {str(rich.id)}
    assert _ids(await _get(client, NEEDS, q="may loc", accepts_trl=5)) == {str(cheap.id)}
    assert _ids(await _get(client, NEEDS, min_trl_min=6, q="may loc")) == {str(rich.id)}
    response = await _get(client, NEEDS, min_trl_min=7, min_trl_max=2)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "query.min_trl_min",
        "query.min_trl_max",
    }
    assert (await _get(client, NEEDS, sort="price")).status_code == 422


async def test_search_routes_are_documented(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/v1/openapi.json")).json()
    assert spec["paths"][LISTINGS]["get"]["operationId"] == "search:listings"
    assert spec["paths"][NEEDS]["get"]["operationId"] == "search:needs"
    assert "422" in spec["paths"][LISTINGS]["get"]["responses"]


def test_the_engine_follows_meili_url(settings: Settings, session: AsyncSession) -> None:
    assert isinstance(get_search_engine(settings, session), PostgresSearchEngine)
    with_meili = settings.model_copy(update={"meili_url": "http://127.0.0.1:7700"})
    engine = get_search_engine(with_meili, session)
    assert type(engine).__name__ == "MeilisearchEngine"
    assert isinstance(engine, SearchEngine)
