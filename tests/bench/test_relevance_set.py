"""The relevance set names real demo listings, so its scores measure something."""

import json
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.listings.models import Listing, ListingStatus
from app.seed import demo
from bench.relevance import SET_PATH, load_set


@pytest.fixture(scope="module")
async def seeded(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """The demo data in a transaction rolled back after the module (as tests/seed does)."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            autoflush=False,
        )
        try:
            await demo.seed_demo(session)
            yield session
        finally:
            await session.close()
            await transaction.rollback()


def test_the_set_is_large_enough_and_graded() -> None:
    needs = load_set()
    assert len(needs) >= 12
    assert len({n.key for n in needs}) == len(needs)
    for need in needs:
        assert need.query.strip(), need.key
        assert need.need["title_vi"], need.key
        assert need.need["problem_statement"], need.key
        assert any(grade == 2 for grade in need.judged.values()), need.key
        assert set(need.judged.values()) <= {1, 2}, need.key


async def test_every_judged_listing_is_a_published_demo_listing(seeded: AsyncSession) -> None:
    titles = {e["id"]: e["title"] for n in json.loads(SET_PATH.read_text())["needs"]
              for e in n["relevant"]}  # fmt: skip
    rows = await seeded.execute(
        select(Listing.id, Listing.status, Listing.title_vi).where(
            Listing.id.in_([uuid.UUID(i) for i in titles])
        )
    )
    found = {str(listing_id): (status, title) for listing_id, status, title in rows.all()}
    assert set(titles) - set(found) == set(), "ids missing from the demo data"
    unpublished = {i for i, (status, _) in found.items() if status != ListingStatus.published}
    assert unpublished == set(), "judged listings that search can never return"
    # The titles are there for readers: they must still name the listing the id points to.
    assert {i: t for i, (_, t) in found.items()} == titles
