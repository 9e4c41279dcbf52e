"""PostgresSearchEngine: the database is the index (the embedded default, no extra service).

A row matches when its folded, weighted `search_vector` matches the compiled tsquery: every
query word (or a synonym of it; the last word as a prefix while typing; a word the catalogue
lacks, or one of its typo corrections from app/matching/spelling.py). One GIN index answers all
of it, typos included.

    score = ts_rank(rank_vector, tsquery)                 -- title (A) and keywords (B) only
          + 0.5 * share of the accented query words found with their exact accents in a title

Ranking reads the small `rank_vector`, not the whole text: a row that matches only in its body
scores 0 and is ordered by recency, like Meilisearch's `attribute` rule puts title matches first.
Scoring every matching row must stay cheap because a broad query (`công nghệ`) matches most of
the catalogue; at 100k listings ts_rank_cd over the whole vector and a regular expression for
accents cost ~10 µs a row, these cost ~0.5 µs (bench/RESULTS.md).

The last term goes beyond Meilisearch, whose tokenizer folds `bán`, `bàn`, `bạn`, `bản` to one
word: a query typed with tone marks ranks the rows spelled exactly that way first.

The best RESCORE_WINDOW rows by that score then get `ts_rank_cd` over the whole weighted vector
added (term frequency, proximity, the body): a rescoring window, so the expensive rank is paid
for 200 rows, not for every match (see _rescored).

One statement per search: the matching rows are computed once into a MATERIALIZED CTE (id,
score, sort and facet columns), and the page, the total and every facet count are read from it;
a second, primary-key query loads the page's rows to build their documents.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.listings.models import Listing
from app.matching.documents import listing_document, need_document
from app.matching.engine import Document
from app.matching.filters import listing_conditions, need_conditions
from app.matching.highlight import Highlighter
from app.matching.schemas import (
    Entity,
    ListingQuery,
    NeedQuery,
    SearchHit,
    SearchQuery,
    SearchResult,
    SortKey,
)
from app.matching.search_columns import LISTINGS, NEEDS
from app.matching.spelling import corrections
from app.matching.synonyms import load_groups
from app.matching.text_query import TextQuery, compile_query, lexeme, typed_words
from app.needs.models import Need

EXACT_ACCENT_WEIGHT = 0.5
RESCORE_WINDOW = 200  # ten pages of 20: rescored with the whole text (see _rescored)
# The rescored rows first, best first; then the others by their first score.
RESCORED_KEYS = [("tier", False), ("score", True), ("published_at", True), ("id", False)]


@dataclass(frozen=True)
class _Spec:
    """What differs between searching listings and searching needs."""

    model: Any
    table: Any
    highlight_fields: tuple[tuple[str, bool], ...]  # (field, cut to a snippet?)
    facets: dict[str, str]  # facet name -> column name
    array_facets: frozenset[str]
    sorts: dict[SortKey, tuple[str, bool]]  # sort key -> (column name, descending?)
    document: Callable[[Any], Document]


LISTING_SPEC = _Spec(
    model=Listing,
    table=LISTINGS,
    highlight_fields=(
        ("title_vi", False),
        ("title_en", False),
        ("summary_vi", True),
        ("summary_en", True),
    ),
    facets={
        name: name
        for name in (
            "kind",
            "tier",
            "trl",
            "ip_status",
            "ip_dossier_clear",
            "source_exchange",
            "region",
            "sectors",
        )
    },
    array_facets=frozenset({"sectors"}),
    sorts={
        SortKey.newest: ("published_at", True),
        SortKey.oldest: ("published_at", False),
        SortKey.updated: ("content_updated_at", True),
        SortKey.price_asc: ("price_vnd", False),
        SortKey.price_desc: ("price_vnd", True),
        SortKey.trl_asc: ("trl", False),
        SortKey.trl_desc: ("trl", True),
    },
    document=listing_document,
)

NEED_SPEC = _Spec(
    model=Need,
    table=NEEDS,
    highlight_fields=(
        ("title_vi", False),
        ("title_en", False),
        ("problem_statement", True),
        ("desired_outcome", True),
    ),
    facets={
        name: name for name in ("min_trl", "region", "source_exchange", "visibility", "sectors")
    },
    array_facets=frozenset({"sectors"}),
    sorts={
        SortKey.newest: ("published_at", True),
        SortKey.oldest: ("published_at", False),
        SortKey.updated: ("content_updated_at", True),
        SortKey.deadline_asc: ("deadline", False),
        SortKey.budget_desc: ("budget_max_vnd", True),
    },
    document=need_document,
)


def _tsquery(tq: TextQuery) -> ColumnElement[Any]:
    return cast(literal(tq.tsquery), TSQUERY)


def text_match(spec: _Spec, tq: TextQuery) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """(row matches the text, its first relevance score)."""
    c = spec.table.c
    tsq = _tsquery(tq)
    matched: ColumnElement[bool] = c.search_vector.op("@@")(tsq)
    score: ColumnElement[float] = func.ts_rank(c.rank_vector, tsq)
    if tq.accented:
        found = [
            case((c.title_words.op("@@")(cast(literal(lexeme(w)), TSQUERY)), 1.0), else_=0.0)
            for w in tq.accented
        ]
        score = score + (EXACT_ACCENT_WEIGHT / len(found)) * sum(found[1:], found[0])
    return matched, cast(score, Float)


def _facet_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


class PostgresSearchEngine:
    """SearchEngine over the live tables: indexing is the database's own job."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure_ready(self) -> None:
        """The migrations created everything; nothing to configure at runtime."""

    async def index_listings(self, docs: Sequence[Document]) -> None:
        """Generated columns follow every write; nothing to push."""

    async def index_needs(self, docs: Sequence[Document]) -> None:
        """Generated columns follow every write; nothing to push."""

    async def remove(self, entity: Entity, ids: Iterable[str]) -> None:
        """Deleted rows are gone from the index with them."""

    async def search_listings(self, query: ListingQuery) -> SearchResult:
        return await self._search(LISTING_SPEC, query, listing_conditions(query.filters))

    async def search_needs(self, query: NeedQuery) -> SearchResult:
        return await self._search(NEED_SPEC, query, need_conditions(query.filters))

    async def _search(
        self, spec: _Spec, query: SearchQuery, conditions: list[ColumnElement[bool]]
    ) -> SearchResult:
        started = time.perf_counter()
        tq = await self._compile(query.text)
        where = and_(*conditions)
        score: ColumnElement[float] = cast(literal(0.0), Float)
        if not tq.is_empty:
            matched, score = text_match(spec, tq)
            where = and_(where, matched)
        row = (await self.session.execute(_statement(spec, query, where, score, tq))).one()
        page, total, facets = _unpack(spec, query.facets, row)
        if query.ids_only:
            hits = [SearchHit(id=i, score=round(float(s), 6), document={}) for i, s in page]
            return _result(query, hits, facets, total, started)
        objects = await self._load(spec, [hit_id for hit_id, _ in page])
        highlight = Highlighter(tq)
        hits = [
            SearchHit(
                id=hit_id,
                score=round(float(hit_score), 6),
                highlights={} if tq.is_empty else _highlights(spec, objects[hit_id], highlight),
                document=spec.document(objects[hit_id]),
            )
            for hit_id, hit_score in page
            if hit_id in objects
        ]
        return _result(query, hits, facets, total, started)

    async def _compile(self, text: str) -> TextQuery:
        words, prefix = typed_words(text)
        if not words:
            return compile_query(text)
        groups = await load_groups(self.session)
        return compile_query(text, groups, await corrections(self.session, words, prefix))

    async def _load(self, spec: _Spec, ids: list[str]) -> dict[str, Any]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(spec.model).where(spec.model.id.in_(ids)))
        return {str(obj.id): obj for obj in rows.all()}


def _statement(
    spec: _Spec,
    query: SearchQuery,
    where: ColumnElement[bool],
    score: ColumnElement[float],
    tq: TextQuery,
) -> Any:
    """One row: (page as [[id, score], …], total, scalar facet rows, array facet objects…)."""
    c = spec.table.c
    sort_columns = {name for name, _ in spec.sorts.values()} | {"published_at"}
    facet_columns = {spec.facets[name] for name in query.facets}
    wanted = sorted(sort_columns | facet_columns)
    matches = (
        select(c.id, score.label("score"), *(c[name] for name in wanted))
        .where(where)
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    m = matches.c
    ranked, keys = matches, _sort_keys(spec, query, tq)
    if query.sort is SortKey.relevance and not tq.is_empty:
        ranked, keys = _rescored(spec, matches, query, tq), RESCORED_KEYS
    r = ranked.c
    # ORDER BY … LIMIT straight on the rows lets PostgreSQL keep only the best ones in memory
    # (a top-N heapsort, not a sort of every match); the aggregate then orders the page's rows
    # by the same keys.
    page = (
        select(r.id, r.score, *(r[name] for name, _ in keys if name not in ("id", "score")))
        .order_by(*_order(r, keys))
        .limit(query.limit)
        .offset(query.offset)
        .subquery()
    )
    row = func.json_build_array(page.c.id, page.c.score)
    page_json = select(
        func.json_agg(aggregate_order_by(row, *_order(page.c, keys)))
    ).scalar_subquery()
    total = select(func.count()).select_from(matches).scalar_subquery()
    columns: list[Any] = [page_json, total, _scalar_facets(spec, query.facets, matches)]
    columns += [_array_facet(m[spec.facets[name]]) for name in _arrays(spec, query.facets)]
    return select(*columns)


def _rescored(spec: _Spec, matches: Any, query: SearchQuery, tq: TextQuery) -> Any:
    """The matches in page order, the best RESCORE_WINDOW of them rescored with the whole text.

    Scoring every match reads only the title and keywords; for the rows that can reach the
    first pages, `ts_rank_cd` over the whole weighted vector (term frequency, proximity of the
    query words, the body) is added, which is what orders near-equal titles. Rows beyond the
    window keep their first score and come after every rescored row, so pages stay consistent;
    they are read only when the page asked for reaches past the window.
    """
    m, table = matches.c, spec.table
    first_order = _order(m, _sort_keys(spec, query, tq))
    window = select(m.id, m.score, m.published_at).order_by(*first_order).limit(RESCORE_WINDOW)
    w = window.subquery()
    whole_text_rank = func.ts_rank_cd(table.c.search_vector, _tsquery(tq), 32)
    rescored = select(
        w.c.id,
        cast(w.c.score + whole_text_rank, Float).label("score"),
        w.c.published_at,
        literal(0).label("tier"),
    ).join_from(w, table, table.c.id == w.c.id)
    beyond = (
        select(m.id, m.score, m.published_at)
        .order_by(*first_order)
        .offset(RESCORE_WINDOW)
        .limit(max(0, query.offset + query.limit - RESCORE_WINDOW))
        .subquery()
    )
    rest = select(beyond.c.id, beyond.c.score, beyond.c.published_at, literal(1).label("tier"))
    return union_all(rescored, rest).subquery()


def _result(
    query: SearchQuery,
    hits: list[SearchHit],
    facets: dict[str, dict[str, int]],
    total: int,
    started: float,
) -> SearchResult:
    return SearchResult(
        hits=hits,
        facets=facets,
        total=total,
        page=query.page,
        limit=query.limit,
        processing_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def _sort_keys(spec: _Spec, query: SearchQuery, tq: TextQuery) -> list[tuple[str, bool]]:
    """[(column, descending?)]: the requested order, ties broken by recency, then id."""
    if query.sort is not SortKey.relevance:
        keys = [spec.sorts[query.sort]]
    elif tq.is_empty:
        keys = [("published_at", True)]
    else:
        keys = [("score", True), ("published_at", True)]
    return [*keys, ("id", False)]


def _order(columns: Any, keys: Sequence[tuple[str, bool]]) -> list[Any]:
    return [
        columns[name].desc().nulls_last() if descending else columns[name].asc().nulls_last()
        for name, descending in keys
    ]


def _scalars(spec: _Spec, facets: Sequence[str]) -> list[str]:
    return [name for name in facets if name not in spec.array_facets]


def _arrays(spec: _Spec, facets: Sequence[str]) -> list[str]:
    return [name for name in facets if name in spec.array_facets]


def _scalar_facets(spec: _Spec, facets: Sequence[str], matches: Any) -> Any:
    """Every scalar facet in one pass: GROUP BY GROUPING SETS ((a), (b), …) as JSON rows."""
    columns = [matches.c[spec.facets[name]] for name in _scalars(spec, facets)]
    if not columns:
        return literal(None)
    sets = func.grouping_sets(*(tuple_(col) for col in columns))
    grouped = (
        select(func.grouping(*columns).label("g"), *columns, func.count().label("n"))
        .group_by(sets)
        .subquery()
    )
    return select(func.json_agg(func.json_build_array(*grouped.c))).scalar_subquery()


def _array_facet(column: Any) -> Any:
    values = select(func.unnest(column).label("v")).subquery()
    counted = select(values.c.v, func.count().label("n")).group_by(values.c.v).subquery()
    return select(func.json_object_agg(counted.c.v, counted.c.n)).scalar_subquery()


def _unpack(
    spec: _Spec, facets: Sequence[str], row: Any
) -> tuple[list[tuple[str, float]], int, dict[str, dict[str, int]]]:
    page = [(str(hit_id), float(score)) for hit_id, score in row[0] or []]
    counts: dict[str, dict[str, int]] = {name: {} for name in facets}
    scalars = _scalars(spec, facets)
    for grouping, *values, n in row[2] or []:
        # grouping(): one bit per column, 0 for the column this row is grouped by.
        k = next(i for i in range(len(scalars)) if not grouping & (1 << (len(scalars) - 1 - i)))
        if values[k] is not None:
            counts[scalars[k]][_facet_value(values[k])] = int(n)
    for name, found in zip(_arrays(spec, facets), row[3:], strict=True):
        counts[name] = {str(v): int(n) for v, n in (found or {}).items()}
    ordered = {
        name: dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, values in counts.items()
    }
    return page, int(row[1]), ordered


def _highlights(spec: _Spec, obj: Any, highlight: Highlighter) -> dict[str, str]:
    marked = {
        name: highlight(getattr(obj, name), snippet=snippet)
        for name, snippet in spec.highlight_fields
    }
    return {name: html for name, html in marked.items() if html}
