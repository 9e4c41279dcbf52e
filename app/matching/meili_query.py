"""Port queries -> Meilisearch search parameters, and Meilisearch hits -> port results.

Pure functions (no client, no I/O) so they are unit-tested directly and shared by the live and
contract tests.
"""

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from app.core.text import fold
from app.matching.schemas import (
    ListingFilters,
    ListingQuery,
    NeedFilters,
    NeedQuery,
    SearchHit,
    SearchResult,
    SortKey,
)

PRE_TAG, POST_TAG = "<mark>", "</mark>"
MAX_QUERY_WORDS = 10  # Meilisearch silently ignores every word after the tenth
CROP_WORDS = 24
HIDDEN = frozenset({"synonym_terms"})  # indexed for matching, not part of the document

# Port sort keys -> document fields (documents.py names money `price_vnd`, budgets by bound).
SORT_FIELDS: dict[str, str] = {
    "published_at": "published_at",
    "updated_at": "updated_at",
    "price": "price_vnd",
    "trl": "trl",
    "deadline": "deadline",
    "budget": "budget_max_vnd",
}

# Function words that carry no meaning for retrieval; only dropped when a query is too long.
_FILLER = frozenset(
    fold(w)
    for w in (
        "chúng tôi và của cho các những là để với trong được có một này đó thì mà hay hoặc về "
        "từ theo tại trên dưới khi nên cần muốn the a an and or of for to in on with by from is are"
    ).split()
)
_TOKEN = re.compile(r"\w+", re.UNICODE)


def quote(value: str | int | float | bool) -> str:
    """A filter literal: numbers and booleans bare, strings double-quoted with `\\` and `"`
    escaped (Meilisearch ≥ 1.4 unescapes both inside quotes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def any_of(field: str, values: Iterable[Any]) -> str | None:
    items = [getattr(v, "value", v) for v in values]
    if not items:
        return None
    return f"{field} IN [{', '.join(quote(v) for v in items)}]"


def between(field: str, low: int | None, high: int | None) -> list[str]:
    parts = []
    if low is not None:
        parts.append(f"{field} >= {quote(low)}")
    if high is not None:
        parts.append(f"{field} <= {quote(high)}")
    return parts


def listing_filter(f: ListingFilters) -> list[str]:
    """One expression per active filter; Meilisearch ANDs the items of a filter array."""
    clauses = [
        any_of("kind", f.kind),
        any_of("tier", f.tier),
        any_of("sectors", f.sectors),
        any_of("ip_status", f.ip_status),
        any_of("source_exchange", f.source_exchange),
        any_of("region", f.region),
        any_of("status", f.status),
        any_of("organisation_id", f.organisation_id),
        None if f.dossier_clear is None else f"ip_dossier_clear = {quote(f.dossier_clear)}",
        *between("trl", f.trl_min, f.trl_max),
        *between("price_vnd", f.price_min, f.price_max),
    ]
    return [c for c in clauses if c]


def need_filter(f: NeedFilters) -> list[str]:
    clauses = [
        any_of("sectors", f.sectors),
        any_of("region", f.region),
        any_of("source_exchange", f.source_exchange),
        any_of("transfer_forms", f.transfer_forms),
        any_of("status", f.status),
        any_of("visibility", f.visibility),
        *between("min_trl", f.min_trl_min, f.min_trl_max),
    ]
    if f.accepts_trl is not None:
        clauses.append(f"(min_trl IS NULL OR min_trl <= {quote(f.accepts_trl)})")
    if f.budget is not None:
        # An open side of the budget range (no bound) accepts any amount.
        clauses.append(f"(budget_min_vnd IS NULL OR budget_min_vnd <= {quote(f.budget)})")
        clauses.append(f"(budget_max_vnd IS NULL OR budget_max_vnd >= {quote(f.budget)})")
    return [c for c in clauses if c]


def sort_clause(sort: SortKey, text: str) -> list[str]:
    """Relevance ranks by the text; with no text the newest come first (as in Postgres)."""
    if sort is SortKey.relevance:
        return [] if text.strip() else ["published_at:desc"]
    name = sort.value.lstrip("-")
    direction = "desc" if sort.value.startswith("-") else "asc"
    return [f"{SORT_FIELDS[name]}:{direction}"]


def compact_text(text: str) -> str:
    """A query of at most ten words, keeping the ones that carry meaning.

    Meilisearch uses only the first ten words of `q`, so a long pasted description would be
    searched by its opening filler. Short queries go through untouched (phrases and `-`
    exclusions keep working); long ones lose repeated words and function words first, then
    are cut at ten.
    """
    tokens = _TOKEN.findall(text)
    if len(tokens) <= MAX_QUERY_WORDS:
        return text.strip()
    seen: set[str] = set()
    unique = []
    for token in tokens:
        key = fold(token)
        if key not in seen:
            seen.add(key)
            unique.append(token)
    meaningful = [t for t in unique if fold(t) not in _FILLER] or unique
    return " ".join(meaningful[:MAX_QUERY_WORDS])


def search_params(
    query: ListingQuery | NeedQuery,
    filters: list[str],
    highlight: Sequence[str],
    crop: Sequence[str],
) -> dict[str, Any]:
    """The body of POST /indexes/{uid}/search (without `q`, which the client adds)."""
    if query.ids_only:  # matching's retrieval: ids and totals, nothing to mark or return
        highlight, crop = (), ()
    params: dict[str, Any] = {
        "page": query.page,
        "hitsPerPage": query.limit,  # page/hitsPerPage: exact totalHits instead of an estimate
        "showRankingScore": True,
        # Every word must match (typos and prefixes allowed), as in the Postgres engine; the
        # default `last` would quietly drop words and return weaker matches.
        "matchingStrategy": "all",
        "attributesToHighlight": list(highlight),
        "attributesToCrop": list(crop),
        "cropLength": CROP_WORDS,
        "highlightPreTag": PRE_TAG,
        "highlightPostTag": POST_TAG,
    }
    if query.ids_only:
        params["attributesToRetrieve"] = ["id"]
    if filters:
        params["filter"] = filters
    if query.facets:
        params["facets"] = list(query.facets)
    sort = sort_clause(query.sort, query.text)
    if sort:
        params["sort"] = sort
    return params


def safe_snippet(formatted: str) -> str:
    """HTML-escape a highlighted value while keeping Meilisearch's <mark> tags."""
    pieces = re.split(f"({re.escape(PRE_TAG)}|{re.escape(POST_TAG)})", formatted)
    return "".join(p if p in (PRE_TAG, POST_TAG) else html.escape(p, quote=False) for p in pieces)


def highlights(formatted: dict[str, Any], fields: Sequence[str]) -> dict[str, str]:
    """Only the fields where the query matched, as HTML-safe snippets."""
    found = {}
    for name in fields:
        value = formatted.get(name)
        if isinstance(value, list):
            value = ", ".join(v for v in value if isinstance(v, str) and PRE_TAG in v)
        if isinstance(value, str) and PRE_TAG in value:
            found[name] = safe_snippet(value)
    return found


def _by_count(counts: dict[str, int]) -> dict[str, int]:
    """Most frequent first, then by value: the order the Postgres engine returns."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def empty_result(query: ListingQuery | NeedQuery) -> SearchResult:
    return SearchResult(
        hits=[], facets={name: {} for name in query.facets}, total=0, page=query.page,
        limit=query.limit,
    )  # fmt: skip


def to_result(
    raw: dict[str, Any], query: ListingQuery | NeedQuery, fields: Sequence[str]
) -> SearchResult:
    hits = [
        SearchHit(
            id=str(hit["id"]),
            score=float(hit.get("_rankingScore") or 0.0),
            highlights=highlights(hit.get("_formatted") or {}, fields),
            document={k: v for k, v in hit.items() if not k.startswith("_") and k not in HIDDEN},
        )
        for hit in raw.get("hits", [])
    ]
    distribution = raw.get("facetDistribution") or {}
    return SearchResult(
        hits=hits,
        facets={name: _by_count(distribution.get(name) or {}) for name in query.facets},
        total=int(raw.get("totalHits", raw.get("estimatedTotalHits", len(hits)))),
        page=query.page,
        limit=query.limit,
        processing_ms=float(raw.get("processingTimeMs", 0)),
    )
