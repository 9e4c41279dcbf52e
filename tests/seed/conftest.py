"""One demo data set per module for the read-only checks (seeding takes a few seconds)."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.seed import demo


@pytest.fixture(scope="module")
async def seeded(engine: AsyncEngine) -> AsyncIterator[tuple[AsyncSession, demo.SeedReport]]:
    """A session holding the seeded demo data in a transaction rolled back after the module.

    Tests that seed again must live in another module: this transaction's uncommitted rows hold
    unique-index locks that a second seeding would wait on.
    """
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            autoflush=False,
        )
        try:
            yield session, await demo.seed_demo(session)
        finally:
            await session.close()
            await transaction.rollback()
