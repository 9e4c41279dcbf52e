"""The matcher's catalogue statistics: reused for their TTL, reloaded after it."""

from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.listings.models import ListingStatus
from app.matching import catalogue_stats
from app.matching.catalogue_stats import catalogue_stats as stats_of
from tests.factories import create_listing, create_need


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    catalogue_stats.forget()
    yield
    catalogue_stats.forget()


async def test_counts_published_listings_and_live_needs(session: AsyncSession) -> None:
    before = await stats_of(session, ttl_seconds=0)
    await create_listing(session)
    await create_listing(session, status=ListingStatus.draft)
    await create_need(session)
    after = await stats_of(session, ttl_seconds=0)
    assert after.published_listings == before.published_listings + 1
    assert after.live_needs == before.live_needs + 1


async def test_keywords_used_twice_become_lexicon_phrases(session: AsyncSession) -> None:
    for _ in range(2):
        await create_listing(session, keywords=["viên nén mùn cưa"])
    stats = await stats_of(session, ttl_seconds=0)
    assert "viên nén mùn cưa" in stats.lexicon


async def test_stats_are_reused_within_their_ttl_only(session: AsyncSession) -> None:
    first = await stats_of(session, ttl_seconds=600)
    await create_listing(session)
    assert await stats_of(session, ttl_seconds=600) is first  # cached
    assert (await stats_of(session, ttl_seconds=0)).published_listings == (
        first.published_listings + 1
    )  # a zero TTL always reloads
    catalogue_stats.forget()
    reloaded = await stats_of(session, ttl_seconds=600)
    assert reloaded.published_listings == first.published_listings + 1
