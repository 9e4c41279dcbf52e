"""Typed search queries and results shared by every SearchEngine adapter.

Filter and facet names are the field names of the indexed documents (app/matching/documents.py),
so an adapter can pass them straight through (Meilisearch) or map them to columns (Postgres).
"""

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from app.listings.models import IPStatus, ListingKind, ListingStatus, PyramidTier
from app.needs.models import NeedStatus, NeedVisibility

Entity = Literal["listing", "need"]

MAX_LIMIT = 100

# Fields a caller may ask facet counts for (document field names).
LISTING_FACETS: tuple[str, ...] = (
    "kind",
    "tier",
    "trl",
    "sectors",
    "ip_status",
    "ip_dossier_clear",
    "source_exchange",
    "region",
)
NEED_FACETS: tuple[str, ...] = ("sectors", "min_trl", "region", "source_exchange", "visibility")
DEFAULT_LISTING_FACETS: tuple[str, ...] = ("kind", "tier", "trl", "sectors", "ip_status", "region")
DEFAULT_NEED_FACETS: tuple[str, ...] = ("sectors", "min_trl", "region")


class SortKey(StrEnum):
    """`-x` = descending. `relevance` falls back to newest first when there is no text."""

    relevance = "relevance"
    newest = "-published_at"
    oldest = "published_at"
    updated = "-updated_at"
    price_asc = "price"
    price_desc = "-price"
    trl_asc = "trl"
    trl_desc = "-trl"
    deadline_asc = "deadline"
    budget_desc = "-budget"


LISTING_SORTS = frozenset(
    {
        SortKey.relevance,
        SortKey.newest,
        SortKey.oldest,
        SortKey.updated,
        SortKey.price_asc,
        SortKey.price_desc,
        SortKey.trl_asc,
        SortKey.trl_desc,
    }
)
NEED_SORTS = frozenset(
    {
        SortKey.relevance,
        SortKey.newest,
        SortKey.oldest,
        SortKey.updated,
        SortKey.deadline_asc,
        SortKey.budget_desc,
    }
)


class ListingFilters(BaseModel):
    """Every list filter matches ANY of its values; filters combine with AND."""

    kind: list[ListingKind] = Field(default_factory=list)
    tier: list[PyramidTier] = Field(default_factory=list)
    trl_min: int | None = Field(None, ge=1, le=9)
    trl_max: int | None = Field(None, ge=1, le=9)
    sectors: list[str] = Field(default_factory=list)
    ip_status: list[IPStatus] = Field(default_factory=list)
    dossier_clear: bool | None = None
    source_exchange: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    price_min: int | None = Field(None, ge=0)
    price_max: int | None = Field(None, ge=0)
    # Public search sees published listings only; staff tools may widen this.
    status: list[ListingStatus] = Field(default_factory=lambda: [ListingStatus.published])
    organisation_id: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ranges_in_order(self) -> "ListingFilters":
        if self.trl_min is not None and self.trl_max is not None and self.trl_min > self.trl_max:
            raise ValueError("trl_min must not exceed trl_max")
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            raise ValueError("price_min must not exceed price_max")
        return self


class NeedFilters(BaseModel):
    sectors: list[str] = Field(default_factory=list)
    # Needs whose minimum TRL lies in [min_trl_min, min_trl_max].
    min_trl_min: int | None = Field(None, ge=1, le=9)
    min_trl_max: int | None = Field(None, ge=1, le=9)
    # Needs a technology at this TRL satisfies (no minimum, or minimum <= accepts_trl).
    accepts_trl: int | None = Field(None, ge=1, le=9)
    # Needs whose budget range can pay this amount (no bound on a side counts as open).
    budget: int | None = Field(None, ge=0)
    region: list[str] = Field(default_factory=list)
    source_exchange: list[str] = Field(default_factory=list)
    transfer_forms: list[str] = Field(default_factory=list)
    status: list[NeedStatus] = Field(default_factory=lambda: [NeedStatus.published])
    # Needs still open on this (Vietnamese calendar) day: no deadline, or deadline on/after it.
    open_on: date | None = None
    # Set by the caller from the principal: anonymous visitors never see restricted needs.
    visibility: list[NeedVisibility] = Field(
        default_factory=lambda: [NeedVisibility.public, NeedVisibility.anonymous]
    )

    @model_validator(mode="after")
    def _ranges_in_order(self) -> "NeedFilters":
        if (
            self.min_trl_min is not None
            and self.min_trl_max is not None
            and self.min_trl_min > self.min_trl_max
        ):
            raise ValueError("min_trl_min must not exceed min_trl_max")
        return self


class SearchQuery(BaseModel):
    text: str = Field("", max_length=200)
    facets: list[str] = Field(default_factory=list)
    sort: SortKey = SortKey.relevance
    page: int = Field(1, ge=1)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    # Retrieval for matching wants ids, scores and totals only: no documents, no highlights.
    ids_only: bool = False

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


class ListingQuery(SearchQuery):
    filters: ListingFilters = Field(default_factory=ListingFilters)

    @model_validator(mode="after")
    def _known_facets_and_sort(self) -> "ListingQuery":
        _check(self.facets, LISTING_FACETS, self.sort, LISTING_SORTS)
        return self


class NeedQuery(SearchQuery):
    filters: NeedFilters = Field(default_factory=NeedFilters)

    @model_validator(mode="after")
    def _known_facets_and_sort(self) -> "NeedQuery":
        _check(self.facets, NEED_FACETS, self.sort, NEED_SORTS)
        return self


def _check(
    facets: list[str], allowed: tuple[str, ...], sort: SortKey, sorts: frozenset[SortKey]
) -> None:
    unknown = [f for f in facets if f not in allowed]
    if unknown:
        raise ValueError(f"unknown facet(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    if sort not in sorts:
        raise ValueError(
            f"sort '{sort.value}' not allowed; use one of {sorted(s.value for s in sorts)}"
        )


class SearchHit(BaseModel):
    id: str
    score: float = Field(description="Relevance, higher is better; comparable within one result")
    # field -> HTML-safe snippet of the original (accented) text with <mark>…</mark> around matches
    highlights: dict[str, str] = Field(default_factory=dict)
    document: dict[str, Any]


class SearchResult(BaseModel):
    hits: list[SearchHit]
    # field -> {value (as string, bools "true"/"false") -> count over the whole filtered result}
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)
    total: int
    page: int
    limit: int
    processing_ms: float = 0.0


class SearchPagination(BaseModel):
    total_count: int
    max_page: int


class SearchPage(BaseModel):
    """The search API's response: one page of hits, facet counts over all hits, timing."""

    items: list[SearchHit]
    facets: dict[str, dict[str, int]]
    pagination: SearchPagination
    processing_ms: float

    @classmethod
    def of(cls, result: SearchResult) -> "SearchPage":
        max_page = max(1, -(-result.total // result.limit))
        return cls(
            items=result.hits,
            facets=result.facets,
            pagination=SearchPagination(total_count=result.total, max_page=max_page),
            processing_ms=result.processing_ms,
        )
