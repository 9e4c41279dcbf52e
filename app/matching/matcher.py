"""Matching: candidates from the search engine, re-ranked in Python with explained factors.

Both directions (need → listings, listing → needs) work the same way, through the SearchEngine
port, so they behave alike on Postgres and on Meilisearch:

1. The subject's text becomes at most ten key terms (app/matching/keywords.py).
2. Retrieval. Both engines require every query word to match, so one query with ten words finds
   almost nothing but near-copies. The matcher asks for the whole compact query, then for each
   key term alone (the engine's synonyms, typo tolerance and accent folding apply), then for
   the subject's sectors without text; each query returns at most `match_candidate_pool` hits.
   Hard constraints are filters of every query, not scores: published listings / live needs
   only, and a TRL below the need's minimum excluded unless `include_below_min_trl`. Listings
   without a TRL (equipment, services, IP rights not protecting a technology) cannot show that
   they reach a minimum: they match needs without a minimum TRL, or when asked for.
3. The candidates are re-read from the database under the same rules (the index may lag),
   never from the caller's own organisation, and scored (app/matching/scoring.py). Text
   relevance is the share of the subject's key terms the candidate contains, each term weighted
   by its place in the subject (keywords and title count more) and by its rarity in the
   catalogue (BM25 idf from the engine's hit counts): engine-neutral, and explainable as
   "matches 4 of 6 key terms: …". Candidates sharing neither a sector nor a tenth of the key
   terms' weight are dropped.
"""

import math
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.config import Settings
from app.core.db import utcnow
from app.core.text import fold, words
from app.ip.models import Valuation
from app.listings import taxonomy
from app.listings.models import Listing, ListingStatus
from app.matching import keywords, scoring
from app.matching.catalogue_stats import catalogue_stats
from app.matching.documents import listing_document, need_document
from app.matching.factory import get_search_engine
from app.matching.match_schemas import (
    KeyTermOut,
    ListingMatch,
    ListingMatches,
    MatchedListing,
    MatchedNeed,
    MatchFactor,
    NeedMatch,
    NeedMatches,
)
from app.matching.router import visible_need_kinds
from app.matching.schemas import ListingFilters, ListingQuery, NeedFilters, NeedQuery, SearchResult
from app.matching.scoring import FactorCode, Labels, ValuationEvidence
from app.needs import repository as needs_repository
from app.needs.models import Need, NeedVisibility

DEFAULT_LIMIT = 20
# Below this share of the key terms, a lone common word in passing is not a reason to match.
RELATED_TEXT = 0.1

# (text, sectors, limit) -> one engine search with the direction's hard filters applied
Search = Callable[[str, list[str], int], Awaitable[SearchResult]]


@dataclass(frozen=True)
class Context:
    lexicon: frozenset[str]
    published_listings: int  # the N of the idf, need -> listings
    live_needs: int  # the N of the idf, listing -> needs
    sectors: Labels
    regions: Labels
    exchanges: Labels
    weights: dict[FactorCode, float]
    now: datetime
    stale_after_days: int


async def load_context(session: AsyncSession, settings: Settings) -> Context:
    stats = await catalogue_stats(session, settings.match_stats_ttl_seconds)
    return Context(
        lexicon=stats.lexicon,
        published_listings=stats.published_listings,
        live_needs=stats.live_needs,
        sectors=await taxonomy.labels(session, "sector"),
        regions=await taxonomy.labels(session, "region"),
        exchanges=await taxonomy.labels(session, "source_exchange"),
        weights=scoring.weights(settings),
        now=utcnow(),
        stale_after_days=settings.stale_after_days,
    )


# --- retrieval ---------------------------------------------------------------------------------


@dataclass
class Retrieval:
    order: dict[str, None] = field(default_factory=dict)  # candidate ids, first found first
    hits: dict[str, set[str]] = field(default_factory=dict)  # folded term -> ids it matched
    df: dict[str, int] = field(default_factory=dict)  # folded term -> how many it matches
    total: int = 0  # the catalogue's size (published listings or live needs)

    def add(self, result: SearchResult) -> set[str]:
        ids = {hit.id for hit in result.hits}
        self.order.update((hit.id, None) for hit in result.hits)
        return ids


async def retrieve(
    search: Search, terms: Sequence[keywords.KeyTerm], sectors: list[str], pool: int, total: int
) -> Retrieval:
    found = Retrieval(total=total)
    # A trailing space: every word is complete (no prefix matching of the last one).
    if len(terms) > 1:
        found.add(await search(keywords.compact_query(terms) + " ", [], pool))
    for term in terms:
        result = await search(term.text + " ", [], pool)
        found.hits[term.folded] = found.add(result)
        found.df[term.folded] = result.total
    if sectors:
        found.add(await search("", sectors, pool))
    return found


def _idf(df: int, total: int) -> float:
    # A term no candidate contains counts as if one did: it still lowers every candidate's
    # share, but must not outweigh everything else because the catalogue never uses it.
    df = max(df, 1)
    return math.log(1.0 + (max(total, df) - df + 0.5) / (df + 0.5))


def _searchable(doc: dict[str, Any]) -> str:
    text = " ".join([doc["title_folded"], *doc["keywords_folded"], doc["text_folded"]])
    return " " + " ".join(words(fold(text))) + " "


def text_relevance(
    terms: Sequence[keywords.KeyTerm], found: Retrieval, candidate_id: str, searchable: str
) -> tuple[float, list[str]]:
    """(weighted share of the key terms the candidate contains, the terms it contains)."""
    total_weight, matched_weight, matched = 0.0, 0.0, []
    for term in terms:
        weight = term.weight * _idf(found.df.get(term.folded, 0), found.total)
        total_weight += weight
        if candidate_id in found.hits.get(term.folded, ()) or f" {term.folded} " in searchable:
            matched_weight += weight
            matched.append(term.text)
    return (matched_weight / total_weight if total_weight else 0.0), matched


def _sectors(codes: Sequence[str]) -> list[str]:
    return [c for c in codes if c != "other"]


def _terms_out(terms: Sequence[keywords.KeyTerm]) -> list[KeyTermOut]:
    return [KeyTermOut(text=t.text, weight=t.weight) for t in terms]


# --- scoring -----------------------------------------------------------------------------------


def score_pair(
    need: Need,
    listing: Listing,
    text: scoring.Factor,
    evidence: ValuationEvidence,
    ctx: Context,
    candidate: Any,
) -> scoring.Scored:
    """The eight factors of one pair; freshness is the candidate's."""
    last_change = max(
        (t for t in (candidate.published_at, candidate.content_updated_at) if t is not None),
        default=None,
    )
    factors = [
        text,
        scoring.sector_factor(need, listing, ctx.sectors),
        scoring.trl_factor(need.min_trl, listing.trl, listing.kind),
        scoring.ip_factor(listing),
        scoring.valuation_factor(listing, evidence),
        scoring.price_factor(need, listing),
        scoring.region_factor(need, listing, ctx.regions, ctx.exchanges),
        scoring.freshness_factor(last_change, ctx.now, ctx.stale_after_days),
    ]
    return scoring.combine(factors, ctx.weights)


def _factors_out(scored: scoring.Scored) -> dict[str, Any]:
    return {
        "score": scored.score,
        "factors": [
            MatchFactor(
                code=f.code,
                weight=weight,
                value=round(f.value, 4),
                contribution=contribution,
                explanation_vi=f.explanation_vi,
                explanation_en=f.explanation_en,
            )
            for f, weight, contribution in scored.factors
        ],
        "explanation_vi": scored.explanation_vi,
        "explanation_en": scored.explanation_en,
    }


def _related(text_value: float, need: Need, listing: Listing) -> bool:
    common = set(_sectors(need.sectors or [])) & set(listing.sectors or [])
    return text_value >= RELATED_TEXT or bool(common)


def _rank_key(score: float, text_value: float, candidate: Any) -> tuple[Any, ...]:
    published = candidate.published_at.timestamp() if candidate.published_at else 0.0
    return (-score, -text_value, -published, str(candidate.id))


async def valuation_evidence(
    session: AsyncSession, listing_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ValuationEvidence]:
    """The best valuation of each listing, in one query for the whole candidate set."""
    if not listing_ids:
        return {}
    stmt = (
        select(
            Valuation.listing_id,
            func.bool_or(and_(Valuation.independent, Valuation.verified)),
            func.bool_or(Valuation.independent),
        )
        .where(Valuation.listing_id.in_(listing_ids))
        .group_by(Valuation.listing_id)
    )
    evidence = {}
    for listing_id, verified, independent in (await session.execute(stmt)).all():
        evidence[listing_id] = (
            ValuationEvidence.verified_independent
            if verified
            else ValuationEvidence.independent
            if independent
            else ValuationEvidence.own
        )
    return evidence


# --- need -> listings --------------------------------------------------------------------------


def _listing_trl_rule(min_trl: int | None) -> ColumnElement[bool]:
    return Listing.trl >= min_trl if min_trl is not None else true()


async def match_need(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    need: Need,
    limit: int = DEFAULT_LIMIT,
    include_below_min_trl: bool = False,
    ctx: Context | None = None,
) -> ListingMatches:
    """Published listings for a need, best first (the caller has checked it may read the need)."""
    ctx = ctx or await load_context(session, settings)
    terms = keywords.need_terms(need, ctx.lexicon)
    trl_min = None if include_below_min_trl else need.min_trl
    engine = get_search_engine(settings, session)

    async def search(text: str, sectors: list[str], size: int) -> SearchResult:
        filters = ListingFilters(trl_min=trl_min, sectors=sectors)
        query = ListingQuery(text=text, filters=filters, limit=size, ids_only=True)
        return await engine.search_listings(query)

    found = await retrieve(
        search,
        terms,
        _sectors(need.sectors or []),
        settings.match_candidate_pool,
        ctx.published_listings,
    )
    ids = [uuid.UUID(i) for i in found.order]
    rows = await session.scalars(
        select(Listing).where(
            Listing.id.in_(ids),
            Listing.status == ListingStatus.published,
            Listing.organisation_id != need.organisation_id,
            _listing_trl_rule(trl_min),
        )
    )
    listings = list(rows.all())
    evidence = await valuation_evidence(session, [row.id for row in listings])
    ranked = []
    for listing in listings:
        value, matched = text_relevance(
            terms, found, str(listing.id), _searchable(listing_document(listing))
        )
        if not _related(value, need, listing):
            continue
        text = scoring.text_factor(matched, len(terms), value)
        scored = score_pair(
            need, listing, text, evidence.get(listing.id, ValuationEvidence.none), ctx, listing
        )
        match = ListingMatch(listing=MatchedListing.model_validate(listing), **_factors_out(scored))
        ranked.append((_rank_key(scored.score, value, listing), match))
    ranked.sort(key=lambda pair: pair[0])
    return ListingMatches(
        need_id=need.id,
        query=keywords.compact_query(terms),
        terms=_terms_out(terms),
        include_below_min_trl=include_below_min_trl,
        items=[match for _, match in ranked[:limit]],
    )


# --- listing -> needs --------------------------------------------------------------------------


def _need_trl_rule(trl: int | None, include_below_min_trl: bool) -> ColumnElement[bool]:
    if include_below_min_trl:
        return true()
    if trl is None:
        return Need.min_trl.is_(None)
    return or_(Need.min_trl.is_(None), Need.min_trl <= trl)


def _need_view(need: Need, principal: Principal) -> MatchedNeed:
    view = MatchedNeed.model_validate(need)
    insider = principal.is_operator_staff or principal.is_member(need.organisation_id)
    if need.visibility == NeedVisibility.anonymous and not insider:
        view.organisation_id = None
    return view


async def match_listing(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    listing: Listing,
    limit: int = DEFAULT_LIMIT,
    include_below_min_trl: bool = False,
    ctx: Context | None = None,
) -> NeedMatches:
    """Live needs a listing could serve, best first, among the needs `principal` may read."""
    ctx = ctx or await load_context(session, settings)
    terms = keywords.listing_terms(listing, ctx.lexicon)
    today = needs_repository.vn_today()
    accepts = None if include_below_min_trl else listing.trl
    engine = get_search_engine(settings, session)

    async def search(text: str, sectors: list[str], size: int) -> SearchResult:
        filters = NeedFilters(
            sectors=sectors,
            accepts_trl=accepts,
            visibility=visible_need_kinds(principal),
            open_on=today,
        )
        return await engine.search_needs(
            NeedQuery(text=text, filters=filters, limit=size, ids_only=True)
        )

    found = await retrieve(
        search,
        terms,
        _sectors(listing.sectors or []),
        settings.match_candidate_pool,
        ctx.live_needs,
    )
    ids = [uuid.UUID(i) for i in found.order]
    rows = await session.scalars(
        select(Need).where(
            Need.id.in_(ids),
            needs_repository.readable_by(principal, today),
            needs_repository.live(today),
            Need.organisation_id != listing.organisation_id,
            _need_trl_rule(listing.trl, include_below_min_trl),
        )
    )
    evidence = (await valuation_evidence(session, [listing.id])).get(
        listing.id, ValuationEvidence.none
    )
    ranked = []
    for need in rows.all():
        value, matched = text_relevance(
            terms, found, str(need.id), _searchable(need_document(need))
        )
        if not _related(value, need, listing):
            continue
        text = scoring.text_factor(matched, len(terms), value)
        scored = score_pair(need, listing, text, evidence, ctx, need)
        match = NeedMatch(need=_need_view(need, principal), **_factors_out(scored))
        ranked.append((_rank_key(scored.score, value, need), match))
    ranked.sort(key=lambda pair: pair[0])
    return NeedMatches(
        listing_id=listing.id,
        query=keywords.compact_query(terms),
        terms=_terms_out(terms),
        include_below_min_trl=include_below_min_trl,
        items=[match for _, match in ranked[:limit]],
    )
