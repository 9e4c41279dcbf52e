"""Indexing throughput: outbox rows written by ORM writes, and the worker's drain rate.

- writes: listings updated (a searchable field changed) or inserted through the ORM in batches,
  each batch one committed transaction, as the services do; the outbox hook adds one row per
  listing in the same transaction. Rate = outbox rows / wall time (load + flush + commit).
- drain: `app.matching.worker.run(..., once=True)` over the pending events, as `techx worker
  --once` does: with the Postgres engine (the database is the index: claim + mark processed),
  and with a null engine that receives the documents and drops them (claim, per-entity advisory
  locks, re-read rows, build documents, mark): the worker's own cost on the Meilisearch path,
  without Meilisearch's HTTP and indexing time.
"""

import asyncio
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.models import Organisation
from app.listings.models import Listing, ListingStatus
from app.matching import outbox
from app.matching.engine import Document
from app.matching.models import OutboxEvent
from app.matching.schemas import Entity, ListingQuery, NeedQuery, SearchResult
from app.matching.worker import WorkerOptions, run
from bench import generate

BATCH = 500
# Inserted rows are numbered far beyond any benchmark size, then deleted again.
INSERT_FROM = 9_000_001


class NullEngine:
    """A SearchEngine that accepts documents and keeps only their count."""

    def __init__(self) -> None:
        self.received = 0

    async def ensure_ready(self) -> None:
        return None

    async def index_listings(self, docs: Sequence[Document]) -> None:
        self.received += len(docs)

    async def index_needs(self, docs: Sequence[Document]) -> None:
        self.received += len(docs)

    async def remove(self, entity: Entity, ids: Iterable[str]) -> None:
        return None

    async def search_listings(self, query: ListingQuery) -> SearchResult:
        raise NotImplementedError

    async def search_needs(self, query: NeedQuery) -> SearchResult:
        raise NotImplementedError


async def _outbox_count(maker: async_sessionmaker[AsyncSession]) -> int:
    async with maker() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxEvent)) or 0)


async def _published_ids(maker: async_sessionmaker[AsyncSession], count: int) -> list[uuid.UUID]:
    async with maker() as session:
        stmt = (
            select(Listing.id)
            .where(Listing.status == ListingStatus.published)
            .order_by(Listing.id)
            .limit(count)
        )
        return list((await session.scalars(stmt)).all())


async def update_listings(
    maker: async_sessionmaker[AsyncSession], count: int, revision: int
) -> dict[str, Any]:
    """Change the English summary of `count` published listings, `BATCH` per transaction."""
    ids = await _published_ids(maker, count)
    before = await _outbox_count(maker)
    started = time.perf_counter()
    for i in range(0, len(ids), BATCH):
        async with maker() as session, session.begin():
            rows = await session.scalars(select(Listing).where(Listing.id.in_(ids[i : i + BATCH])))
            for listing in rows.all():
                listing.summary_en = f"{listing.summary_en or ''} (rev {revision})"
    seconds = time.perf_counter() - started
    written = await _outbox_count(maker) - before
    return _rate("updated", len(ids), written, seconds)


async def insert_listings(maker: async_sessionmaker[AsyncSession], count: int) -> dict[str, Any]:
    """Insert `count` new listings through the ORM, then delete them (deletion not timed)."""
    async with maker() as session:
        orgs = [
            {"id": org_id, "kind": kind, "region": region, "source_exchange": source}
            for org_id, kind, region, source in (
                await session.execute(
                    select(
                        Organisation.id,
                        Organisation.kind,
                        Organisation.region,
                        Organisation.source_exchange,
                    ).limit(50)
                )
            ).all()
        ]
    rows = generate.listing_rows(random.Random(7), INSERT_FROM, count, orgs)
    before = await _outbox_count(maker)
    started = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        async with maker() as session, session.begin():
            session.add_all(Listing(**row) for row in rows[i : i + BATCH])
    seconds = time.perf_counter() - started
    written = await _outbox_count(maker) - before
    async with maker() as session, session.begin():
        await session.execute(delete(Listing).where(Listing.id.in_([r["id"] for r in rows])))
        await outbox.enqueue(session, "listing", [r["id"] for r in rows], "delete")
    return _rate("inserted", len(rows), written, seconds)


def _rate(action: str, rows: int, written: int, seconds: float) -> dict[str, Any]:
    return {
        action: rows,
        "outbox_rows": written,
        "seconds": round(seconds, 2),
        "rows_per_s": round(written / seconds, 1) if seconds else None,
        "batch": BATCH,
    }


async def drain(
    maker: async_sessionmaker[AsyncSession], engine: Any, batch_size: int = 100
) -> dict[str, Any]:
    """Drain every due event once, as `techx worker --once --batch-size N` does."""
    started = time.perf_counter()
    totals = await run(maker, engine, WorkerOptions(batch_size=batch_size, once=True),
                       asyncio.Event())  # fmt: skip
    seconds = time.perf_counter() - started
    return {
        "engine": "postgres" if engine is None else "null (documents built, not sent)",
        "events": totals.claimed,
        "documents": totals.indexed,
        "seconds": round(seconds, 2),
        "events_per_s": round(totals.claimed / seconds, 1) if seconds else None,
        "batch_size": batch_size,
    }


async def enqueue_upserts(maker: async_sessionmaker[AsyncSession], count: int) -> None:
    """Queue `count` listing upserts directly (what `techx reindex`-style tooling does)."""
    ids = await _published_ids(maker, count)
    async with maker() as session, session.begin():
        await outbox.enqueue(session, "listing", ids, "upsert")


async def measure(
    maker: async_sessionmaker[AsyncSession], updates: int, inserts: int, revision: int
) -> dict[str, Any]:
    # Anything left over (e.g. from a previous size) must not be counted in the drain.
    await drain(maker, None)
    result = {
        "update": await update_listings(maker, updates, revision),
        "insert": await insert_listings(maker, inserts),
    }
    result["drain_postgres"] = await drain(maker, None)
    await enqueue_upserts(maker, updates)
    result["drain_null_engine"] = await drain(maker, NullEngine())
    return result
