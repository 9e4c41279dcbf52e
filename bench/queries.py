"""The fixed search mix of the benchmark: what people type into the catalogue's search box.

Each query is the API's query string (sent as-is to /api/v1/search/listings) and is turned into
the same typed `ListingQuery` the route builds, so the API and the engine run identical searches.
The mix covers: accented and unaccented Vietnamese, typos, VI↔EN synonyms (AI, IoT, solar…),
search-as-you-type prefixes, English, filter-only browsing, every facet, sorts and deep pages.
"""

from dataclasses import dataclass, field
from typing import Any

from app.matching.schemas import (
    DEFAULT_LISTING_FACETS,
    LISTING_FACETS,
    ListingFilters,
    ListingQuery,
    SortKey,
)

Params = dict[str, Any]


@dataclass(frozen=True)
class BenchQuery:
    name: str
    kind: str  # accented | unaccented | typo | synonym | prefix | english | filter | facets | sort
    params: Params = field(default_factory=dict)


ALL_FACETS = ",".join(LISTING_FACETS)

QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("sấy lạnh", "accented", {"q": "sấy lạnh nông sản"}),
    BenchQuery("say lanh", "unaccented", {"q": "say lanh nong san"}),
    BenchQuery("nước thải dệt nhuộm", "accented", {"q": "xử lý nước thải dệt nhuộm"}),
    BenchQuery("nuoc thai", "unaccented", {"q": "xu ly nuoc thai"}),
    BenchQuery("cong nghe say", "unaccented", {"q": "cong nghe say"}),
    BenchQuery("robot han", "unaccented", {"q": "robot han tu dong"}),
    BenchQuery("typo graphene", "typo", {"q": "grafene"}),
    BenchQuery("typo blockchain", "typo", {"q": "blokchain nông sản"}),
    BenchQuery("typo spirulina", "typo", {"q": "spirulna"}),
    BenchQuery("AI", "synonym", {"q": "AI"}),
    BenchQuery("trí tuệ nhân tạo", "synonym", {"q": "trí tuệ nhân tạo y tế"}),
    BenchQuery("IoT nuôi tôm", "synonym", {"q": "IoT nuôi tôm"}),
    BenchQuery("internet vạn vật", "synonym", {"q": "internet vạn vật"}),
    BenchQuery("solar", "synonym", {"q": "solar"}),
    BenchQuery("prefix robo", "prefix", {"q": "robo"}),
    BenchQuery("prefix vi mạ", "prefix", {"q": "thiết kế vi mạ"}),
    BenchQuery("english", "english", {"q": "machine vision inspection"}),
    BenchQuery("english biogas", "english", {"q": "biogas pig farm"}),
    BenchQuery("browse", "filter", {}),
    BenchQuery("equipment", "filter", {"kind": ["equipment"], "region": ["hcm"]}),
    BenchQuery("ai trl>=6", "filter", {"sector": ["ai"], "trl_min": 6}),
    BenchQuery(
        "food price<=2bn",
        "sort",
        {"sector": ["food_processing"], "price_max": 2_000_000_000, "sort": "price"},
    ),
    BenchQuery("all facets", "facets", {"q": "cảm biến", "facets": ALL_FACETS}),
    BenchQuery("text+filters", "filter", {"q": "robot", "kind": ["technology", "ip_right"],
                                          "trl_min": 6, "dossier_clear": "true"}),
    BenchQuery("newest", "sort", {"q": "pin mặt trời", "sort": "-published_at"}),
    BenchQuery("page 5", "sort", {"q": "công nghệ", "page": 5}),
)  # fmt: skip


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def listing_query(params: Params) -> ListingQuery:
    """The typed query the search route builds from these parameters."""
    facets = params.get("facets")
    dossier = params.get("dossier_clear")
    filters = ListingFilters(
        kind=_list(params.get("kind", [])),
        tier=_list(params.get("tier", [])),
        trl_min=params.get("trl_min"),
        trl_max=params.get("trl_max"),
        sectors=_list(params.get("sector", [])),
        ip_status=_list(params.get("ip_status", [])),
        dossier_clear=None if dossier is None else dossier == "true",
        source_exchange=_list(params.get("source_exchange", [])),
        region=_list(params.get("region", [])),
        price_min=params.get("price_min"),
        price_max=params.get("price_max"),
    )
    return ListingQuery(
        text=params.get("q", ""),
        filters=filters,
        facets=facets.split(",") if facets else list(DEFAULT_LISTING_FACETS),
        sort=SortKey(params.get("sort", SortKey.relevance.value)),
        page=params.get("page", 1),
        limit=params.get("limit", 20),
    )
