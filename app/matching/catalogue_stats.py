"""What the matcher knows about the whole catalogue, reused for a few minutes.

The keyword lexicon (known multi-word phrases) and the catalogue sizes (the N of the matcher's
idf) are aggregates over every published listing and need: at 100k listings the lexicon alone
costs ~150 ms, more than the rest of a match. Both change slowly and neither needs to be exact,
so they are kept per database for `match_stats_ttl_seconds` (0: reloaded for every match).
A keyword that postings start using is a phrase for the matcher at most that much later.
"""

import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.listings.models import Listing, ListingStatus
from app.matching import keywords
from app.matching.synonyms import load_groups
from app.needs import repository as needs_repository
from app.needs.models import Need, NeedStatus

LEXICON_SIZE = 2000


@dataclass(frozen=True)
class CatalogueStats:
    lexicon: frozenset[str]
    published_listings: int
    live_needs: int


_cache: dict[str, tuple[float, CatalogueStats]] = {}


async def load_lexicon(session: AsyncSession) -> frozenset[str]:
    """Known multi-word phrases: synonym terms, and keywords used by two or more postings."""
    phrases: list[str] = [term for group in await load_groups(session) for term in group]
    for column, status in (
        (Listing.keywords, Listing.status == ListingStatus.published),
        (Need.keywords, Need.status == NeedStatus.published),
    ):
        used = select(func.unnest(column).label("kw")).where(status).subquery()
        stmt = (
            select(used.c.kw)
            .group_by(used.c.kw)
            .having(func.count() > 1)
            .order_by(func.count().desc())
            .limit(LEXICON_SIZE)
        )
        phrases += list((await session.scalars(stmt)).all())
    return keywords.lexicon_from(phrases)


async def _load(session: AsyncSession) -> CatalogueStats:
    today = needs_repository.vn_today()
    listings = select(func.count()).where(Listing.status == ListingStatus.published)
    needs = select(func.count()).select_from(Need).where(needs_repository.live(today))
    return CatalogueStats(
        lexicon=await load_lexicon(session),
        published_listings=await session.scalar(listings) or 0,
        live_needs=await session.scalar(needs) or 0,
    )


async def catalogue_stats(session: AsyncSession, ttl_seconds: float) -> CatalogueStats:
    if ttl_seconds <= 0:
        return await _load(session)
    key = str(session.get_bind().engine.url)  # one entry per database
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    stats = await _load(session)
    _cache[key] = (now + ttl_seconds, stats)
    return stats


def forget() -> None:
    """Drop every cached entry (tests, and after bulk imports in the same process)."""
    _cache.clear()
