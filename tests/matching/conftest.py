"""Fixtures for search tests: the Postgres harness the behaviour suite runs against."""

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.listings.models import Listing
from app.matching.postgres_engine import PostgresSearchEngine
from app.needs.models import Need


@dataclass
class PostgresHarness:
    engine: PostgresSearchEngine
    session: AsyncSession

    async def load(self, listings: Sequence[Listing] = (), needs: Sequence[Need] = ()) -> None:
        """The tables are the index: flushed rows are searchable in this transaction."""
        await self.session.flush()


@pytest.fixture
def postgres_harness(session: AsyncSession) -> PostgresHarness:
    return PostgresHarness(PostgresSearchEngine(session), session)
