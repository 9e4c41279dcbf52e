"""Contract tests: every request the Meilisearch adapter sends must conform to Meilisearch's
published OpenAPI document (v1.53.0), checked at the HTTP transport with no server running."""

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from jsonschema import Draft202012Validator
from meilisearch.errors import MeilisearchCommunicationError

from app.core.config import Settings
from app.listings.models import (
    TIER_BY_KIND,
    IPStatus,
    Listing,
    ListingKind,
    ListingStatus,
    PyramidTier,
)
from app.matching import meili_query as mq
from app.matching.documents import listing_document, need_document
from app.matching.indexer import rebuild
from app.matching.meili_engine import IndexMisconfigured, MeilisearchEngine, MeilisearchTaskFailed
from app.matching.meili_synonyms import synonyms_setting
from app.matching.schemas import (
    LISTING_SORTS,
    NEED_SORTS,
    ListingFilters,
    ListingQuery,
    NeedFilters,
    NeedQuery,
    SortKey,
)
from app.needs.models import Need, NeedStatus, NeedVisibility
from tests.matching.fake_meilisearch import BASE_URL, FakeIndex, FakeMeilisearch
from tests.matching.openapi_contract import CapturedRequest, ContractViolation, contract

GROUPS = [
    ["trí tuệ nhân tạo", "AI", "artificial intelligence"],
    ["sấy lạnh", "freeze drying"],
    ["năng lượng tái tạo", "renewable energy"],  # four words: expanded into documents
]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeMeilisearch:
    server = FakeMeilisearch()
    server.install(monkeypatch)
    return server


@pytest.fixture
def meili(fake: FakeMeilisearch) -> MeilisearchEngine:
    settings = Settings(
        TECHX_ENV="test", meili_url=BASE_URL, meili_key="contract-test-key", secret_key="x" * 40
    )

    async def synonyms() -> list[list[str]]:
        return GROUPS

    return MeilisearchEngine(settings, synonyms, task_timeout_ms=2000)


def a_listing(**overrides: Any) -> Listing:
    kind = overrides.pop("kind", ListingKind.technology)
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "organisation_id": uuid.uuid4(),
        "kind": kind,
        "tier": TIER_BY_KIND[kind],
        "status": ListingStatus.published,
        "title_vi": 'Công nghệ sấy lạnh <b>"đặc biệt"</b> \\ thế hệ mới',
        "title_en": "Cold drying technology",
        "summary_vi": "Sấy lạnh giữ màu và vi chất của trái cây.",
        "keywords": ["sấy lạnh", "nông sản"],
        "sectors": ["food_processing"],
        "region": "hcm",
        "source_exchange": "hcm",
        "trl": 6,
        "ip_status": IPStatus.granted,
        "ip_dossier_clear": True,
        "transfer_forms": ["licence_exclusive"],
        "price_vnd": 250_000_000,
        "published_at": datetime(2026, 11, 1, tzinfo=UTC),
        "content_updated_at": datetime(2026, 11, 2, tzinfo=UTC),
    }
    values.update(overrides)
    return Listing(**values)


def a_need(**overrides: Any) -> Need:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "organisation_id": uuid.uuid4(),
        "status": NeedStatus.published,
        "visibility": NeedVisibility.anonymous,
        "title_vi": "Cần công nghệ sấy trái cây",
        "problem_statement": "Xoài sấy bị thâm màu.",
        "sectors": ["food_processing"],
        "min_trl": 6,
        "budget_min_vnd": 100_000_000,
        "budget_max_vnd": 500_000_000,
        "deadline": date(2027, 3, 31),
        "region": "hcm",
        "source_exchange": "hcm",
        "published_at": datetime(2026, 11, 1, tzinfo=UTC),
        "content_updated_at": datetime(2026, 11, 2, tzinfo=UTC),
    }
    values.update(overrides)
    return Need(**values)


def every_listing_filter() -> ListingFilters:
    return ListingFilters(
        kind=[ListingKind.technology, ListingKind.ip_right],
        tier=[PyramidTier.upper_tier, PyramidTier.apex],
        trl_min=4,
        trl_max=8,
        sectors=["food_processing", "ai"],
        ip_status=[IPStatus.granted, IPStatus.pending],
        dossier_clear=True,
        source_exchange=["hcm", "brvt"],
        region=["hcm"],
        price_min=0,
        price_max=1_000_000_000,
        status=[ListingStatus.published],
        organisation_id=[str(uuid.uuid4())],
    )


def every_need_filter() -> NeedFilters:
    return NeedFilters(
        sectors=["food_processing"],
        min_trl_min=3,
        min_trl_max=7,
        accepts_trl=6,
        budget=200_000_000,
        region=["hcm", "can_tho"],
        source_exchange=["hcm"],
        transfer_forms=["licence_exclusive"],
        status=[NeedStatus.published],
        visibility=[NeedVisibility.public, NeedVisibility.anonymous],
    )


def search_bodies(fake: FakeMeilisearch) -> list[dict[str, Any]]:
    return [r.json() for r in fake.requests_to("POST", r"/indexes/[^/]+/search")]


# -- the validator itself -----------------------------------------------------------------------


def request(method: str, path: str, body: Any = None, query: str = "") -> CapturedRequest:
    raw = None if body is None else json.dumps(body).encode()
    headers = {} if body is None else {"Content-Type": "application/json"}
    return CapturedRequest(method, f"{BASE_URL}{path}{query}", headers, raw)


MALFORMED = [
    pytest.param(
        request("POST", "/indexes/test_listings/search", {"q": "sấy", "filtr": "trl >= 4"}),
        "'filtr' was unexpected",
        id="search-misspelt-filter",
    ),
    pytest.param(
        request("POST", "/indexes/test_listings/search", {"q": "sấy", "limit": "ten"}),
        "'ten' is not of type 'integer'",
        id="search-limit-not-integer",
    ),
    pytest.param(
        request("POST", "/indexes/test_listings/search", {"q": "x", "hitsPerPage": -1}),
        "-1 is less than the minimum of 0",
        id="search-negative-page-size",
    ),
    pytest.param(
        request("POST", "/indexes/test_listings/search", {"matchingStrategy": "any"}),
        "'any' is not one of ['last', 'all', 'frequency']",
        id="search-unknown-matching-strategy",
    ),
    pytest.param(
        request("PATCH", "/indexes/test_listings/settings", {"rankingRule": ["words"]}),
        "'rankingRule' was unexpected",
        id="settings-misspelt-key",
    ),
    pytest.param(
        request("PATCH", "/indexes/test_listings/settings", {"rankingRules": ["price:up"]}),
        "'price:up' does not match",
        id="settings-bad-custom-ranking-rule",
    ),
    pytest.param(
        request(
            "PATCH",
            "/indexes/test_listings/settings",
            {"localizedAttributes": [{"locales": ["vn"], "attributePatterns": ["*_vi"]}]},
        ),
        "'vn' is not one of",
        id="settings-unknown-locale",
    ),
    pytest.param(
        request("PATCH", "/indexes/test_listings/settings", {"typoTolerance": {"enable": True}}),
        "'enable' was unexpected",
        id="settings-nested-misspelt-key",
    ),
    pytest.param(
        request("POST", "/indexes/test_listings/documents", [{"title_vi": "no id"}]),
        "body[0]: 'id' is a required property",
        id="document-without-primary-key",
    ),
    pytest.param(
        request("POST", "/indexes/test_listings/documents", [{"id": "có dấu"}]),
        "body[0].id: 'có dấu' does not match",
        id="document-id-with-invalid-characters",
    ),
    pytest.param(
        request("POST", "/indexes", {"uid": "test listings", "primaryKey": "id"}),
        "does not match",
        id="index-uid-with-space",
    ),
    pytest.param(
        request("POST", "/swap-indexes", [{"indexes": ["a", "b"], "renamed": True}]),
        "'renamed' was unexpected",
        id="swap-misspelt-key",
    ),
    pytest.param(
        request("GET", "/tasks/latest"), "'latest' is not of type 'integer'", id="task-uid-text"
    ),
    pytest.param(
        request("POST", "/indexes/test_listings/documents", [{"id": "a"}], "?primaryKy=id"),
        "'primaryKy' is not declared",
        id="undeclared-query-parameter",
    ),
    pytest.param(
        request("POST", "/indexes/test_listings/serch", {"q": "x"}),
        "no operation for POST /indexes/test_listings/serch",
        id="unknown-route",
    ),
    pytest.param(
        request("PUT", "/indexes/test_listings/search", {"q": "x"}),
        "method not allowed",
        id="wrong-method",
    ),
]


@pytest.mark.parametrize(("malformed", "reason"), MALFORMED)
def test_validator_rejects_malformed_requests(malformed: CapturedRequest, reason: str) -> None:
    with pytest.raises(ContractViolation, match="(?s).*" + _escape(reason)):
        contract().validate(malformed)


def test_validator_accepts_the_documented_examples() -> None:
    """The other half of the negative tests: the same operations, well-formed, pass."""
    good = [
        request("POST", "/indexes/test_listings/search", {"q": "sấy", "filter": "trl >= 4"}),
        request("POST", "/indexes/test_listings/search", {"facets": ["kind", "sectors"]}),
        request("PATCH", "/indexes/test_listings/settings", {"rankingRules": ["price_vnd:asc"]}),
        request("POST", "/indexes/test_listings/documents", [{"id": str(uuid.uuid4())}]),
        request("POST", "/indexes", {"uid": "test_listings", "primaryKey": "id"}),
        request("GET", "/tasks/42"),
    ]
    for ok in good:
        contract().validate(ok)


def test_referenced_component_schemas_are_valid_json_schema() -> None:
    """The whole document fails meta-validation on one unrelated value (README), so the harness
    validates against component schemas; these must themselves be sound 2020-12 schemas."""
    schemas = contract().doc["components"]["schemas"]
    for name in (
        "SearchQuery",
        "Settings_Unchecked",
        "IndexCreateRequest",
        "SwapIndexesPayload",
        "DocumentDeletionByFilter",
        "SummarizedTaskView",
        "TaskView",
        "SearchResult",
    ):
        Draft202012Validator.check_schema(schemas[name])


def _escape(text: str) -> str:
    import re

    return re.escape(text)


# -- the adapter, operation by operation --------------------------------------------------------


async def test_ensure_ready_creates_both_indexes_with_declared_settings(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()

    assert set(fake.indexes) == {"test_listings", "test_needs"}
    listings = fake.indexes["test_listings"]
    assert listings.primary_key == "id"
    settings = listings.settings
    assert settings["searchableAttributes"][:4] == [
        "title_vi",
        "title_en",
        "keywords",
        "summary_vi",
    ]
    assert {"kind", "tier", "trl", "sectors", "price_vnd", "id"} <= set(
        settings["filterableAttributes"]
    )
    assert settings["rankingRules"][0] == "sort"
    assert settings["localizedAttributes"][0] == {
        "locales": ["vie"],
        "attributePatterns": [
            "*_vi",
            "application_fields",
            "technical_description",
            "specifications",
            "service_description",
        ],
    }
    assert settings["typoTolerance"]["disableOnNumbers"] is True
    assert settings["faceting"]["maxValuesPerFacet"] == 100
    synonyms = settings["synonyms"]
    assert synonyms["sấy lạnh"] == ["freeze drying"]
    assert synonyms["freeze drying"] == ["sấy lạnh"]
    # Meilisearch applies synonyms to query terms of at most three words: a longer term is only
    # ever a replacement, never a key.
    assert "trí tuệ nhân tạo" not in synonyms
    assert "trí tuệ nhân tạo" in synonyms["AI"]


async def test_ensure_ready_is_idempotent(meili: MeilisearchEngine, fake: FakeMeilisearch) -> None:
    await meili.ensure_ready()
    writes = len(fake.tasks)

    await meili.ensure_ready()

    assert len(fake.tasks) == writes  # nothing enqueued: only reads
    assert len(fake.requests_to("PATCH", r".*")) == 2  # from the first call only


async def test_ensure_ready_patches_only_the_settings_that_drifted(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    fake.indexes["test_needs"].settings["sortableAttributes"] = ["deadline"]
    fake.indexes["test_needs"].settings["faceting"]["maxValuesPerFacet"] = 10

    await meili.ensure_ready()

    last_patch = fake.requests_to("PATCH", r"/indexes/test_needs/settings")[-1].json()
    assert set(last_patch) == {"sortableAttributes", "faceting"}


async def test_an_index_with_another_primary_key_is_refused(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    fake.indexes["test_listings"] = FakeIndex("test_listings", primary_key="uid")

    with pytest.raises(IndexMisconfigured, match="primary key 'uid'"):
        await meili.ensure_ready()


async def test_a_failed_task_raises_with_the_meilisearch_error(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    fake.fail_next("settingsUpdate", code="invalid_settings_ranking_rules")

    with pytest.raises(MeilisearchTaskFailed, match="invalid_settings_ranking_rules") as failure:
        await meili.ensure_ready()

    assert failure.value.task.status == "failed"


async def test_a_failed_document_task_raises(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    fake.fail_next("documentAdditionOrUpdate", code="missing_document_id")

    with pytest.raises(MeilisearchTaskFailed, match="missing_document_id"):
        await meili.index_listings([listing_document(a_listing())])


async def test_an_unreachable_server_raises(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    fake.down = True

    with pytest.raises(MeilisearchCommunicationError):
        await meili.index_listings([listing_document(a_listing())])


async def test_index_and_remove_documents(meili: MeilisearchEngine, fake: FakeMeilisearch) -> None:
    await meili.ensure_ready()
    listings = [a_listing(), a_listing(kind=ListingKind.equipment, trl=None)]
    need = a_need()

    await meili.index_listings([listing_document(x) for x in listings])
    await meili.index_needs([need_document(need)])
    await meili.remove("listing", [str(listings[0].id), str(uuid.uuid4())])

    assert set(fake.indexes["test_listings"].documents) == {str(listings[1].id)}
    assert set(fake.indexes["test_needs"].documents) == {str(need.id)}
    deletion = fake.requests_to("POST", r"/indexes/test_listings/documents/delete")[0].json()
    assert deletion["filter"].startswith('id IN ["')


async def test_search_listings_with_every_filter_facet_and_sort(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    listing = a_listing()
    await meili.index_listings([listing_document(listing)])

    for sort in LISTING_SORTS:
        result = await meili.search_listings(
            ListingQuery(
                text="sấy lạnh",
                filters=every_listing_filter(),
                facets=["kind", "tier", "trl", "sectors", "ip_status", "ip_dossier_clear"],
                sort=sort,
                page=1,
                limit=10,
            )
        )
        assert result.total == 1

    body = search_bodies(fake)[-1]
    assert body["q"] == "sấy lạnh"
    assert 'kind IN ["technology", "ip_right"]' in body["filter"]
    assert {"trl >= 4", "trl <= 8", "ip_dossier_clear = true", "price_vnd <= 1000000000"} <= set(
        body["filter"]
    )
    assert body["highlightPreTag"] == "<mark>"
    assert body["showRankingScore"] is True
    sorts = {tuple(b.get("sort", [])) for b in search_bodies(fake)}
    assert {("price_vnd:asc",), ("trl:desc",), ()} <= sorts

    hit = result.hits[0]
    assert hit.id == str(listing.id)
    assert 0 < hit.score <= 1
    # The title's own markup is escaped; only the highlight tags are HTML.
    assert hit.highlights["title_vi"].startswith("Công nghệ <mark>sấy</mark> <mark>lạnh</mark>")
    assert "&lt;b&gt;" in hit.highlights["title_vi"]
    assert "<b>" not in hit.highlights["title_vi"]
    assert result.facets["kind"] == {"technology": 1}
    assert result.facets["ip_dossier_clear"] == {"true": 1}
    assert not any(key.startswith("_") for key in hit.document)


async def test_search_needs_with_every_filter_and_sort(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    await meili.index_needs([need_document(a_need())])

    sorts = sorted(NEED_SORTS)
    for sort in sorts:
        result = await meili.search_needs(
            NeedQuery(
                text="",
                filters=every_need_filter(),
                facets=["sectors", "min_trl", "visibility"],
                sort=sort,
            )
        )
        assert result.total == 1
        assert result.facets["min_trl"] == {"6": 1}

    filters = set(search_bodies(fake)[-1]["filter"])
    assert "(min_trl IS NULL OR min_trl <= 6)" in filters
    assert "(budget_max_vnd IS NULL OR budget_max_vnd >= 200000000)" in filters
    sent = dict(zip(sorts, search_bodies(fake), strict=True))
    assert sent[SortKey.relevance]["q"] == ""
    assert sent[SortKey.relevance]["sort"] == ["published_at:desc"]  # no text: newest first
    assert sent[SortKey.budget_desc]["sort"] == ["budget_max_vnd:desc"]


async def test_needs_with_no_visibility_allowed_find_nothing_without_asking(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    result = await meili.search_needs(NeedQuery(filters=NeedFilters(visibility=[])))

    assert result.total == 0
    assert not search_bodies(fake)


async def test_filter_values_are_quoted_and_escaped(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    tricky = 'hcm" OR status = "draft'

    await meili.search_listings(ListingQuery(filters=ListingFilters(region=[tricky, "a\\b"])))

    expression = next(f for f in search_bodies(fake)[-1]["filter"] if f.startswith("region"))
    assert expression == 'region IN ["hcm\\" OR status = \\"draft", "a\\\\b"]'


async def test_long_queries_are_compacted_to_ten_words(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    text = (
        "Chúng tôi cần tìm một công nghệ sấy lạnh cho xoài và thanh long, công nghệ sấy "
        "phải giữ được màu và vitamin của trái cây"
    )

    await meili.search_listings(ListingQuery(text=text))

    sent = search_bodies(fake)[-1]["q"]
    assert len(sent.split()) == mq.MAX_QUERY_WORDS
    assert sent.split()[:4] == ["tìm", "công", "nghệ", "sấy"]  # fillers and repeats dropped
    assert "xoài" in sent.split()


async def test_reindex_builds_a_fresh_index_and_swaps_it_in(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    stale = a_listing()
    await meili.index_listings([listing_document(stale)])
    current = [a_listing() for _ in range(3)]

    async def batches() -> Any:
        yield [listing_document(x) for x in current[:2]]
        yield [listing_document(x) for x in current[2:]]

    report = await rebuild(meili, "listing", batches(), suffix="20261122070000")

    assert report.documents == 3
    assert report.swapped
    assert set(fake.indexes) == {"test_listings", "test_needs"}  # the old one was deleted
    assert set(fake.indexes["test_listings"].documents) == {str(x.id) for x in current}
    swap = fake.requests_to("POST", r"/swap-indexes")[0].json()
    assert swap == [{"indexes": ["test_listings", "test_listings_20261122070000"]}]


async def test_reindex_without_a_live_index_renames_the_fresh_one(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    async def batches() -> Any:
        yield [listing_document(a_listing())]

    report = await rebuild(meili, "listing", batches(), suffix="20261122070000")

    assert not report.swapped
    assert set(fake.indexes) == {"test_listings"}
    swap = fake.requests_to("POST", r"/swap-indexes")[0].json()
    assert swap == [{"indexes": ["test_listings_20261122070000", "test_listings"], "rename": True}]


async def test_a_failed_rebuild_leaves_the_live_index_alone(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    await meili.ensure_ready()
    live = a_listing()
    await meili.index_listings([listing_document(live)])
    fake.fail_next("documentAdditionOrUpdate")

    async def batches() -> Any:
        yield [listing_document(a_listing())]

    with pytest.raises(MeilisearchTaskFailed):
        await rebuild(meili, "listing", batches(), suffix="20261122070000")

    assert set(fake.indexes) == {"test_listings", "test_needs"}  # fresh index cleaned up
    assert set(fake.indexes["test_listings"].documents) == {str(live.id)}


async def test_every_operation_the_adapter_uses_was_validated(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    """A tour of the whole adapter; the fake validated each request and each answer."""
    await meili.ensure_ready()
    await meili.index_listings([listing_document(a_listing())])
    await meili.index_needs([need_document(a_need())])
    await meili.search_listings(ListingQuery(text="AI", filters=every_listing_filter()))
    await meili.search_needs(NeedQuery(text="sấy", filters=every_need_filter()))
    await meili.remove("need", [str(uuid.uuid4())])

    async def batches() -> Any:
        yield [listing_document(a_listing())]

    await rebuild(meili, "listing", batches(), suffix="20261122070000")

    spec = contract()
    shapes = {(r.method, spec.validate(r).template) for r in fake.requests}
    assert shapes == {
        ("GET", "/indexes/{index_uid}"),
        ("POST", "/indexes"),
        ("GET", "/indexes/{index_uid}/settings"),
        ("PATCH", "/indexes/{index_uid}/settings"),
        ("POST", "/indexes/{index_uid}/documents"),
        ("POST", "/indexes/{index_uid}/documents/delete"),
        ("POST", "/indexes/{index_uid}/search"),
        ("POST", "/swap-indexes"),
        ("DELETE", "/indexes/{index_uid}"),
        ("GET", "/tasks/{task_id}"),
    }


def test_synonyms_go_both_ways_and_skip_long_keys() -> None:
    mapping = synonyms_setting(GROUPS)

    assert mapping["AI"] == ["artificial intelligence", "trí tuệ nhân tạo"]
    assert "AI" in mapping["artificial intelligence"]
    assert all(len(key.split()) <= 3 for key in mapping)


async def test_long_synonyms_are_expanded_into_the_documents(
    meili: MeilisearchEngine, fake: FakeMeilisearch
) -> None:
    """Meilisearch never looks up a four-word key such as `năng lượng tái tạo`, so a document
    about renewable energy carries that term itself (and search results do not show it)."""
    await meili.ensure_ready()
    solar = a_listing(title_vi="Lưới điện nhỏ", title_en="Renewable energy microgrid for islands")
    other = a_listing()

    await meili.index_listings([listing_document(solar), listing_document(other)])
    result = await meili.search_listings(ListingQuery(text="năng lượng tái tạo"))

    sent = {
        d["id"]: d for d in fake.requests_to("POST", r"/indexes/test_listings/documents")[-1].json()
    }
    assert sent[str(solar.id)]["synonym_terms"] == ["năng lượng tái tạo"]
    assert sent[str(other.id)]["synonym_terms"] == []
    assert fake.indexes["test_listings"].settings["searchableAttributes"][-1] == "synonym_terms"
    assert all("synonym_terms" not in hit.document for hit in result.hits)


def test_sort_keys_map_to_sortable_fields() -> None:
    from app.matching.meili_settings import LISTINGS, NEEDS

    for sorts, spec in ((LISTING_SORTS, LISTINGS), (NEED_SORTS, NEEDS)):
        for sort in sorts - {SortKey.relevance}:
            (clause,) = mq.sort_clause(sort, "")
            assert clause.split(":")[0] in spec.sortable


async def test_unreachable_meilisearch_answers_503_not_500(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """A search while Meilisearch is down is a clean, retryable problem (writes never need it)."""
    app.state.settings = app.state.settings.model_copy(
        update={"meili_url": "http://127.0.0.1:9", "meili_key": "k"}
    )
    response = await client.get("/api/v1/search/listings", params={"q": "sấy"})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "30"
