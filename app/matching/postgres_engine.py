"""PostgresSearchEngine: the database is the index (the embedded default, no extra service).

Matching rows: the folded weighted tsvector matches the compiled tsquery (synonyms, last word as
prefix) OR the folded title/keywords are trigram-similar to the query (one-letter typos).

    score = ts_rank_cd(search_vector, tsquery, 32)        -- 0..1, title > keywords > body
          + 0.3 * word_similarity(query, search_title)    -- 0..0.3, closeness of the title
          + 0.5 * share of the accented query words found with their exact accents in a title

The last term goes beyond Meilisearch, whose tokenizer folds `bán`, `bàn`, `bạn`, `bản` to one
word: a query typed with tone marks ranks the rows spelled exactly that way first. Trigrams
(typo matching and the title-closeness term) are used for queries of 5+ letters only, as
Meilisearch allows a first typo from 5 letters; word_similarity (~10 µs a row) is the costliest
part of a search, and meaningless for one or two letters.

One statement per search: the matching rows are computed once into a MATERIALIZED CTE (id,
score, sort and facet columns), and the page, the total and every facet count are read from it;
a second, primary-key query loads the page's rows to build their documents.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, literal, or_, select, tuple_
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
from app.matching.synonyms import load_groups
from app.matching.text_query import TextQuery, compile_query
from app.needs.models import Need

SIMILARITY_WEIGHT = 0.3
EXACT_ACCENT_WEIGHT = 0.5


@dataclass(frozen=True)
class _Spec:
    """What differs between searching listings and searching needs."""

    model: Any
    table: Any
    accent_columns: tuple[str, ...]  # unfolded text checked for exact accents (titles: cheap)
    highlight_fields: tuple[tuple[str, bool], ...]  # (field, cut to a snippet?)
    facets: dict[str, str]  # facet name -> column name
    array_facets: frozenset[str]
    sorts: dict[SortKey, tuple[str, bool]]  # sort key -> (column name, descending?)
    document: Callable[[Any], Document]


LISTING_SPEC = _Spec(
    model=Listing,
    table=LISTINGS,
    accent_columns=("title_vi", "title_en"),
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
    accent_columns=("title_vi", "title_en"),
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


def _lower_text(table: Any, columns: Sequence[str]) -> ColumnElement[str]:
    joined: ColumnElement[str] = func.coalesce(table.c[columns[0]], "")
    for name in columns[1:]:
        joined = joined.op("||")(" ").op("||")(func.coalesce(table.c[name], ""))
    return func.lower(joined)


def _pg_word_regex(word: str) -> str:
    # Tokens are letters/digits/dots only; the dot is the one character to escape.
    return "(^|[^[:alnum:]])" + word.replace(".", "\\.") + "($|[^[:alnum:]])"


def text_match(spec: _Spec, tq: TextQuery) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """(row matches the text, its relevance score)."""
    c = spec.table.c
    tsq = cast(literal(tq.tsquery), TSQUERY)
    matched: ColumnElement[bool] = c.search_vector.op("@@")(tsq)
    score: ColumnElement[float] = func.ts_rank_cd(c.search_vector, tsq, 32)
    if tq.use_trigrams:
        matched = or_(matched, c.search_title.op("%>")(tq.folded))
        score = score + SIMILARITY_WEIGHT * func.word_similarity(tq.folded, c.search_title)
    if tq.accented:
        text = _lower_text(spec.table, spec.accent_columns)
        found = [case((text.op("~")(_pg_word_regex(w)), 1.0), else_=0.0) for w in tq.accented]
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
        tq = compile_query(query.text, await load_groups(self.session) if query.text else ())
        where = and_(*conditions)
        score: ColumnElement[float] = cast(literal(0.0), Float)
        if not tq.is_empty:
            matched, score = text_match(spec, tq)
            where = and_(where, matched)
        row = (await self.session.execute(_statement(spec, query, where, score, tq))).one()
        page, total, facets = _unpack(spec, query.facets, row)
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
        return SearchResult(
            hits=hits,
            facets=facets,
            total=total,
            page=query.page,
            limit=query.limit,
            processing_ms=round((time.perf_counter() - started) * 1000, 2),
        )

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
    order: list[Any]
    if query.sort is SortKey.relevance:
        order = [m.published_at.desc().nulls_last()]
        if not tq.is_empty:
            order.insert(0, m.score.desc())
    else:
        name, descending = spec.sorts[query.sort]
        order = [m[name].desc().nulls_last() if descending else m[name].asc().nulls_last()]
    order.append(m.id)
    page = (
        select(m.id, m.score, func.row_number().over(order_by=order).label("n"))
        .order_by(*order)
        .limit(query.limit)
        .offset(query.offset)
        .subquery()
    )
    page_json = select(
        func.json_agg(aggregate_order_by(func.json_build_array(page.c.id, page.c.score), page.c.n))
    ).scalar_subquery()
    total = select(func.count()).select_from(matches).scalar_subquery()
    columns: list[Any] = [page_json, total, _scalar_facets(spec, query.facets, matches)]
    columns += [_array_facet(m[spec.facets[name]]) for name in _arrays(spec, query.facets)]
    return select(*columns)


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
