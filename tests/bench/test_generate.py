"""The benchmark generator's rows satisfy the schema (constraints, NOT NULLs, enums)."""

import random

import psycopg
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation
from app.listings.models import Listing, ListingKind
from app.needs.models import Need
from bench import generate


async def test_generated_rows_insert_cleanly(session: AsyncSession) -> None:
    rng = random.Random(7)
    orgs = generate.organisation_rows(6, rng)
    listings = generate.listing_rows(rng, 1, 50, orgs)
    needs = generate.need_rows(rng, 1, 20, orgs)

    await session.execute(insert(Organisation.__table__), generate.uniform(orgs))
    await session.execute(insert(Listing.__table__), generate.uniform(listings))
    await session.execute(insert(Need.__table__), generate.uniform(needs))

    assert await session.scalar(select(func.count()).select_from(Listing)) == 50
    assert await session.scalar(select(func.count()).select_from(Need)) == 20
    equipment = select(func.count()).where(Listing.kind == ListingKind.equipment)
    assert await session.scalar(equipment.where(Listing.trl.is_not(None))) == 0


def test_generation_is_deterministic() -> None:
    orgs = generate.organisation_rows(4, random.Random(1))
    first = generate.listing_rows(random.Random(2), 1, 30, orgs)
    second = generate.listing_rows(random.Random(2), 1, 30, orgs)
    assert first == second
    assert len({row["id"] for row in first}) == 30


def test_the_command_line_load_ends_analysed(database_url: str) -> None:
    generate.analyse(database_url)
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL"
            " FROM pg_stat_user_tables WHERE relname = 'listings'"
        ).fetchone()
    assert row == (True, True)
