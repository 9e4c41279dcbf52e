"""Engine-agnostic search behaviour: every SearchEngine adapter must pass these cases.

A case is `async def case(h: Harness) -> None`. The harness holds the engine under test, the
database session (rows are created with tests/factories.py, as the app creates them) and
`load(listings, needs)`, which makes those rows searchable the way the adapter needs (Postgres:
flush; Meilisearch: index the documents built by app.matching.documents and wait).

Listing cases scope their searches to an organisation created for the case (`organisation_id`
filter), so they hold on a shared index too; need cases use a marker word unique to the case.
Run them with `pytest.mark.parametrize("case", CASES, ids=case_id)` (test_postgres_engine.py).
"""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrganisationKind
from app.listings.models import IPStatus, Listing, ListingKind, ListingStatus
from app.matching.engine import SearchEngine
from app.matching.schemas import (
    ListingFilters,
    ListingQuery,
    NeedFilters,
    NeedQuery,
    SearchResult,
    SortKey,
)
from app.needs.models import Need, NeedStatus, NeedVisibility
from tests.factories import create_listing, create_need, create_organisation


class Harness(Protocol):
    engine: SearchEngine
    session: AsyncSession

    async def load(self, listings: Sequence[Listing] = (), needs: Sequence[Need] = ()) -> None:
        """Make these rows searchable."""


Case = Callable[[Harness], Awaitable[None]]
CASES: list[Case] = []


def case(fn: Case) -> Case:
    CASES.append(fn)
    return fn


def case_id(fn: Case) -> str:
    return fn.__name__


async def _org(h: Harness) -> Organisation:
    return await create_organisation(h.session)


async def _listings(h: Harness, org: Organisation, *titles: str, **kw: Any) -> list[Listing]:
    rows = [await create_listing(h.session, org, title_vi=t, title_en=None, **kw) for t in titles]
    await h.load(listings=rows)
    return rows


async def _search(h: Harness, org: Organisation, text: str, **kw: Any) -> SearchResult:
    filters = ListingFilters(organisation_id=[str(org.id)], **kw.pop("filters", {}))
    return await h.engine.search_listings(ListingQuery(text=text, filters=filters, **kw))


def _ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def _marker() -> str:
    # Letters only, so every engine's tokenizer keeps it as one word.
    return "mk" + "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:10])


@case
async def unaccented_query_finds_accented_title(h: Harness) -> None:
    org = await _org(h)
    dryer, other = await _listings(
        h, org, "Công nghệ sấy thăng hoa trái cây", "Máy ép nhựa tái chế"
    )
    result = await _search(h, org, "cong nghe say")
    assert _ids(result)[:1] == [str(dryer.id)]
    assert str(other.id) not in _ids(result)


@case
async def d_without_stroke_finds_d_with_stroke(h: Harness) -> None:
    org = await _org(h)
    (sugar,) = await _listings(h, org, "Dây chuyền sản xuất đường mía")
    assert _ids(await _search(h, org, "duong")) == [str(sugar.id)]
    assert _ids(await _search(h, org, "DUONG MIA")) == [str(sugar.id)]


@case
async def accented_query_finds_unaccented_text(h: Harness) -> None:
    org = await _org(h)
    (road,) = await _listings(h, org, "Xu ly nuoc mua tren duong pho")
    assert _ids(await _search(h, org, "Đường")) == [str(road.id)]
    assert _ids(await _search(h, org, "đường phố")) == [str(road.id)]


@case
async def one_letter_typo_still_finds(h: Harness) -> None:
    org = await _org(h)
    nano, dryer = await _listings(
        h, org, "Vật liệu nano bạc kháng khuẩn", "Công nghệ sấy lạnh nông sản"
    )
    assert str(nano.id) in _ids(await _search(h, org, "nanno bac"))
    assert str(dryer.id) in _ids(await _search(h, org, "cong nghe sây"))
    assert str(dryer.id) in _ids(await _search(h, org, "cong nghe sayy lanh"))


@case
async def synonyms_cross_languages_both_ways(h: Harness) -> None:
    org = await _org(h)
    ai, iot, solar = await _listings(
        h,
        org,
        "Hệ thống trí tuệ nhân tạo chẩn đoán bệnh cây trồng",
        "Giải pháp Internet vạn vật giám sát ao nuôi tôm",
        "Renewable energy microgrid for islands",
    )
    assert _ids(await _search(h, org, "AI")) == [str(ai.id)]
    assert _ids(await _search(h, org, "IoT")) == [str(iot.id)]
    assert _ids(await _search(h, org, "internet of things")) == [str(iot.id)]
    assert _ids(await _search(h, org, "năng lượng tái tạo")) == [str(solar.id)]


@case
async def last_word_is_a_prefix(h: Harness) -> None:
    org = await _org(h)
    tech, press = await _listings(h, org, "Công nghệ vi sinh xử lý rác", "Máy ép viên nén")
    assert _ids(await _search(h, org, "cong ng")) == [str(tech.id)]
    assert _ids(await _search(h, org, "may e")) == [str(press.id)]


@case
async def exact_accents_rank_first(h: Harness) -> None:
    """Goes beyond Meilisearch (it folds bán/bàn/bạn/bản together): Postgres must pass it."""
    org = await _org(h)
    table, sale = await _listings(h, org, "Bàn thí nghiệm inox", "Bán quyền sử dụng giống lúa")
    assert _ids(await _search(h, org, "bán"))[0] == str(sale.id)
    assert _ids(await _search(h, org, "bàn"))[0] == str(table.id)
    assert set(_ids(await _search(h, org, "ban"))) == {str(table.id), str(sale.id)}


@case
async def highlights_mark_the_accented_original(h: Harness) -> None:
    org = await _org(h)
    await _listings(h, org, "Công nghệ sấy <đường> phèn", summary_vi="Sấy đường nhanh.")
    (hit,) = (await _search(h, org, "duong")).hits
    assert hit.highlights["title_vi"] == "Công nghệ sấy &lt;<mark>đường</mark>&gt; phèn"
    assert "<mark>đường</mark>" in hit.highlights["summary_vi"]


@case
async def unpublished_listings_never_appear(h: Harness) -> None:
    org = await _org(h)
    rows = [
        await create_listing(h.session, org, title_vi="Robot hàn tự động", status=status)
        for status in ListingStatus
    ]
    await h.load(listings=rows)
    published = [str(r.id) for r in rows if r.status == ListingStatus.published]
    assert _ids(await _search(h, org, "robot han")) == published
    assert _ids(await _search(h, org, "")) == published


@case
async def documents_expose_public_fields_only(h: Harness) -> None:
    org = await _org(h)
    await _listings(h, org, "Quy trình lên men", confidential_detail="BÍ MẬT", price_vnd=5)
    (hit,) = (await _search(h, org, "len men")).hits
    assert "confidential_detail" not in hit.document
    assert "process_summary" not in hit.document
    assert hit.document["price_vnd"] == 5
    assert hit.document["organisation_id"] == str(org.id)


async def _catalogue(h: Harness) -> Organisation:
    """A small catalogue with varied filterable fields (all titled 'thiết bị …')."""
    org = await _org(h)
    specs: list[dict[str, Any]] = [
        {"kind": ListingKind.technology, "trl": 3, "sectors": ["ai"], "price_vnd": 100},
        {
            "kind": ListingKind.technology,
            "trl": 7,
            "sectors": ["ai", "mechanical"],
            "price_vnd": 900,
            "ip_dossier_clear": True,
            "ip_status": IPStatus.granted,
        },
        {
            "kind": ListingKind.research_result,
            "trl": 5,
            "sectors": ["food_processing"],
            "region": "can_tho",
            "ip_status": IPStatus.pending,
        },
        {
            "kind": ListingKind.equipment,
            "sectors": ["mechanical"],
            "price_vnd": 500,
            "source_exchange": "brvt",
        },
        {
            "kind": ListingKind.ip_right,
            "trl": 9,
            "sectors": [],
            "ip_dossier_clear": True,
            "ip_status": IPStatus.granted,
            "price_vnd": 2000,
        },
        {
            "kind": ListingKind.technology,
            "trl": 6,
            "sectors": ["ai"],
            "status": ListingStatus.draft,
        },
    ]
    rows = [
        await create_listing(h.session, org, title_vi=f"Thiết bị đo lường mẫu {i}", **spec)
        for i, spec in enumerate(specs)
    ]
    await h.load(listings=rows)
    return org


FILTER_CASES: list[dict[str, Any]] = [
    {"kind": [ListingKind.technology]},
    {"kind": [ListingKind.technology, ListingKind.equipment]},
    {"trl_min": 5},
    {"trl_min": 4, "trl_max": 7},
    {"sectors": ["ai"]},
    {"sectors": ["mechanical", "food_processing"]},
    {"price_min": 200, "price_max": 1000},
    {"dossier_clear": True},
    {"dossier_clear": False},
    {"ip_status": [IPStatus.granted]},
    {"region": ["can_tho"]},
    {"source_exchange": ["brvt"]},
    {"kind": [ListingKind.technology], "sectors": ["ai"], "trl_min": 5},
]


def _sql_filter(org: Organisation, f: dict[str, Any]) -> list[Any]:
    conditions = [Listing.organisation_id == org.id, Listing.status == ListingStatus.published]
    column_in = {
        "kind": Listing.kind,
        "ip_status": Listing.ip_status,
        "region": Listing.region,
        "source_exchange": Listing.source_exchange,
    }
    for key, value in f.items():
        if key in column_in:
            conditions.append(column_in[key].in_(value))
        elif key == "sectors":
            conditions.append(Listing.sectors.overlap(value))
        elif key == "trl_min":
            conditions.append(Listing.trl >= value)
        elif key == "trl_max":
            conditions.append(Listing.trl <= value)
        elif key == "price_min":
            conditions.append(Listing.price_vnd >= value)
        elif key == "price_max":
            conditions.append(Listing.price_vnd <= value)
        elif key == "dossier_clear":
            conditions.append(Listing.ip_dossier_clear.is_(value))
    return conditions


@case
async def filters_agree_with_sql(h: Harness) -> None:
    org = await _catalogue(h)
    for f in FILTER_CASES:
        expected = await h.session.scalars(select(Listing.id).where(*_sql_filter(org, f)))
        result = await _search(h, org, "", filters=f, limit=100)
        assert sorted(_ids(result)) == sorted(str(i) for i in expected.all()), f
        assert result.total == len(result.hits), f


@case
async def facet_counts_agree_with_sql(h: Harness) -> None:
    org = await _catalogue(h)
    facets = [
        "kind",
        "tier",
        "trl",
        "sectors",
        "ip_status",
        "ip_dossier_clear",
        "region",
        "source_exchange",
    ]
    for f in [{}, {"sectors": ["ai"]}, {"trl_min": 5}]:
        result = await _search(h, org, "thiet bi", filters=f, facets=facets)
        conditions = _sql_filter(org, f)
        for name in facets:
            column = getattr(Listing, name)
            if name == "sectors":
                values = select(func.unnest(Listing.sectors).label("v")).where(*conditions)
                sub = values.subquery()
                stmt = select(sub.c.v, func.count()).group_by(sub.c.v)
            else:
                stmt = select(column, func.count()).where(*conditions, column.isnot(None))
                stmt = stmt.group_by(column)
            rows = (await h.session.execute(stmt)).all()
            expected = {_facet_key(v): n for v, n in rows}
            assert result.facets[name] == expected, (f, name)
        total = await h.session.scalar(select(func.count()).where(*conditions))
        assert result.total == total


def _facet_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


@case
async def sort_and_pages(h: Harness) -> None:
    org = await _catalogue(h)
    by_price = await _search(h, org, "", sort=SortKey.price_asc, filters={"price_min": 0})
    prices = [hit.document["price_vnd"] for hit in by_price.hits]
    assert prices == sorted(prices)
    assert len(prices) == 4
    first = await _search(h, org, "", sort=SortKey.price_asc, limit=2, page=1)
    second = await _search(h, org, "", sort=SortKey.price_asc, limit=2, page=2)
    assert first.total == second.total == 5
    assert len(first.hits) == len(second.hits) == 2
    assert not set(_ids(first)) & set(_ids(second))


async def _needs(h: Harness, marker: str) -> dict[NeedVisibility, Need]:
    company = await create_organisation(h.session, kind=OrganisationKind.enterprise)
    needs = {
        v: await create_need(h.session, company, title_vi=f"Cần máy sấy {marker}", visibility=v)
        for v in NeedVisibility
    }
    draft = await create_need(
        h.session, company, title_vi=f"Cần máy sấy {marker}", status=NeedStatus.draft
    )
    await h.load(needs=[*needs.values(), draft])
    return needs


@case
async def needs_respect_visibility(h: Harness) -> None:
    marker = _marker()
    needs = await _needs(h, marker)
    public_only = NeedFilters(visibility=[NeedVisibility.public, NeedVisibility.anonymous])
    seen = await h.engine.search_needs(NeedQuery(text=f"may say {marker}", filters=public_only))
    assert sorted(_ids(seen)) == sorted(
        str(needs[v].id) for v in (NeedVisibility.public, NeedVisibility.anonymous)
    )
    everything = NeedFilters(visibility=list(NeedVisibility))
    seen = await h.engine.search_needs(NeedQuery(text=marker, filters=everything))
    assert sorted(_ids(seen)) == sorted(str(n.id) for n in needs.values())
    by_id = {hit.id: hit.document for hit in seen.hits}
    assert by_id[str(needs[NeedVisibility.anonymous].id)]["organisation_id"] is None
    assert by_id[str(needs[NeedVisibility.public].id)]["organisation_id"] is not None


@case
async def needs_filters_and_typos(h: Harness) -> None:
    marker = _marker()
    company = await create_organisation(h.session, kind=OrganisationKind.enterprise)
    low = await create_need(
        h.session,
        company,
        title_vi=f"Cần công nghệ xử lý nước thải {marker}",
        min_trl=4,
        budget_min_vnd=100,
        budget_max_vnd=1000,
        sectors=["chem_pharma_rubber_plastics"],
    )
    high = await create_need(
        h.session,
        company,
        title_vi=f"Cần dây chuyền đóng gói {marker}",
        min_trl=8,
        region="dong_nai",
    )
    await h.load(needs=[low, high])

    async def ids(text: str, **f: Any) -> list[str]:
        result = await h.engine.search_needs(NeedQuery(text=text, filters=NeedFilters(**f)))
        return _ids(result)

    assert await ids(f"{marker} wastewater treatment") == [str(low.id)]
    assert await ids(f"{marker} xu ly nuoc thai") == [str(low.id)]
    assert sorted(await ids(marker, accepts_trl=8)) == sorted([str(low.id), str(high.id)])
    assert await ids(marker, accepts_trl=5) == [str(low.id)]
    assert await ids(marker, budget=2000) == [str(high.id)]
    assert await ids(marker, region=["dong_nai"]) == [str(high.id)]
    assert await ids(marker, sectors=["chem_pharma_rubber_plastics"]) == [str(low.id)]
