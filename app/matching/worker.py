"""`techx worker`: drains the search outbox into the search engine, with retries and backoff.

Why "exactly once" holds although the index is remote and the worker may die at any moment:
- a batch is claimed (`FOR UPDATE SKIP LOCKED`), sent, and marked processed in ONE transaction;
  if the worker is killed after sending but before COMMIT, the marks roll back, the locks are
  released, and the next run sends the same batch again;
- what is sent is rebuilt from the CURRENT row (not from the event), and Meilisearch writes are
  add-or-replace / delete by primary key, so sending twice leaves exactly the same single
  document per id as sending once: delivery is at-least-once, the effect is exactly-once;
- no event is ever dropped: a failed send only increments `attempts` and pushes
  `next_attempt_at` back (exponential backoff with jitter, 5 s .. 10 min);
- two workers never send the same entity concurrently (a per-entity advisory lock), so an older
  snapshot of a row can never overwrite a newer one.
A user's write only inserts an outbox row (app/matching/outbox.py): it never waits for, and
never fails because of, the search engine.

With the Postgres engine the database IS the index: the worker only marks events processed.
"""

import asyncio
import logging
import random
import signal
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, utcnow
from app.matching.engine import SearchEngine
from app.matching.indexer import PAUSE_LOCK, current_documents
from app.matching.models import OutboxEntity, OutboxEvent, OutboxOp
from app.matching.postgres_engine import PostgresSearchEngine
from app.matching.schemas import Entity

log = logging.getLogger(__name__)

_ENTITY_LOCK_CLASS = {OutboxEntity.listing: 7461, OutboxEntity.need: 7462}
BACKOFF_FIRST = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=10)
KEEP_PROCESSED = timedelta(days=7)
ERROR_CHARS = 2000

Key = tuple[OutboxEntity, uuid.UUID]


@dataclass
class DrainReport:
    claimed: int = 0
    indexed: int = 0
    removed: int = 0
    failed: int = 0
    deferred: int = 0  # entity busy in another worker: left for the next batch
    paused: bool = False  # a reindex is running

    def add(self, other: "DrainReport") -> None:
        for name in ("claimed", "indexed", "removed", "failed", "deferred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … capped at 10 min, plus up to 20 % jitter so retries spread out."""
    doublings = min(max(attempts - 1, 0), 16)  # 5 s * 2**16 is far past the cap already
    delay = min(BACKOFF_CAP, BACKOFF_FIRST * (1 << doublings))
    return min(BACKOFF_CAP, delay * (1 + 0.2 * random.random()))


def latest_ops(rows: Sequence[Row[Any]]) -> dict[Key, OutboxOp]:
    """One entry per entity, the op of its newest event (rows come in id order).

    What is sent follows the row, not the op: a row that exists is upserted, a missing one is
    removed, whatever order the events of a batch came in.
    """
    return {(row.entity, row.entity_id): row.op for row in rows}


async def _claim(session: AsyncSession, batch_size: int, now: datetime) -> Sequence[Row[Any]]:
    stmt = (
        select(OutboxEvent.id, OutboxEvent.entity, OutboxEvent.entity_id, OutboxEvent.op)
        .add_columns(OutboxEvent.attempts)
        .where(OutboxEvent.processed_at.is_(None), OutboxEvent.next_attempt_at <= now)
        .order_by(OutboxEvent.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(stmt)).all()


async def _lock_entities(session: AsyncSession, keys: Sequence[Key]) -> set[Key]:
    """The entities this worker may send now (transaction-scoped locks, released at COMMIT)."""
    if not keys:
        return set()
    stmt = text(
        "SELECT k.cls, k.id, pg_try_advisory_xact_lock(k.cls, hashtext(k.id)) AS mine "
        "FROM unnest(CAST(:classes AS int[]), CAST(:ids AS text[])) AS k(cls, id)"
    )
    params = {
        "classes": [_ENTITY_LOCK_CLASS[entity] for entity, _ in keys],
        "ids": [str(entity_id) for _, entity_id in keys],
    }
    result = await session.execute(stmt, params)
    granted = {(cls, entity_id) for cls, entity_id, mine in result.all() if mine}
    return {k for k in keys if (_ENTITY_LOCK_CLASS[k[0]], str(k[1])) in granted}


async def _send(
    session: AsyncSession, engine: SearchEngine, keys: Sequence[Key]
) -> tuple[int, int]:
    """Push the current state of each entity: its document if the row exists, else a removal."""
    indexed = removed = 0
    for entity in (OutboxEntity.listing, OutboxEntity.need):
        ids = [entity_id for e, entity_id in keys if e is entity]
        if not ids:
            continue
        name: Entity = "listing" if entity is OutboxEntity.listing else "need"
        docs = await current_documents(session, name, ids)
        gone = {str(i) for i in ids} - {doc["id"] for doc in docs}
        if docs:
            await (engine.index_listings if name == "listing" else engine.index_needs)(docs)
        if gone:
            await engine.remove(name, gone)
        indexed, removed = indexed + len(docs), removed + len(gone)
    return indexed, removed


async def _mark_processed(session: AsyncSession, ids: list[int]) -> None:
    stmt = update(OutboxEvent).where(OutboxEvent.id.in_(ids))
    await session.execute(stmt.values(processed_at=utcnow(), last_error=None))


async def _mark_failed(
    session: AsyncSession, rows: Sequence[Row[Any]], error: BaseException, now: datetime
) -> None:
    message = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
    changes = [
        {
            "id": row.id,
            "attempts": row.attempts + 1,
            "next_attempt_at": now + backoff(row.attempts + 1),
            "last_error": message,
        }
        for row in rows
    ]
    await session.execute(update(OutboxEvent), changes)  # ORM bulk update by primary key


def _is_database_index(engine: SearchEngine | None) -> bool:
    return engine is None or isinstance(engine, PostgresSearchEngine)


async def drain_batch(
    session: AsyncSession,
    engine: SearchEngine | None,
    *,
    batch_size: int = 100,
    now: datetime | None = None,
) -> DrainReport:
    """Claim, send and mark one batch inside the caller's transaction (the caller commits).

    `engine=None` (or the Postgres engine) means the database is the index.
    """
    now = now or utcnow()
    if not await session.scalar(select(func.pg_try_advisory_xact_lock_shared(PAUSE_LOCK))):
        return DrainReport(paused=True)
    rows = await _claim(session, batch_size, now)
    if not rows:
        return DrainReport()
    if _is_database_index(engine):
        await _mark_processed(session, [row.id for row in rows])
        return DrainReport(claimed=len(rows))
    assert engine is not None
    latest = latest_ops(rows)
    log.debug("draining %d event(s) for %d entities", len(rows), len(latest))
    mine = await _lock_entities(session, list(latest))
    ours = [row for row in rows if (row.entity, row.entity_id) in mine]
    report = DrainReport(claimed=len(rows), deferred=len(rows) - len(ours))
    try:
        report.indexed, report.removed = await _send(session, engine, sorted(mine, key=str))
    except DBAPIError:
        raise  # the transaction is broken: roll back, nothing was marked, retry later
    except Exception as exc:
        log.warning("search indexing failed for %d event(s), will retry: %s", len(ours), exc)
        await _mark_failed(session, ours, exc, now)
        report.failed = len(ours)
        return report
    await _mark_processed(session, [row.id for row in ours])
    return report


async def prune(session: AsyncSession, older_than: timedelta = KEEP_PROCESSED) -> int:
    """Forget processed events after a while (they only serve diagnostics)."""
    stmt = delete(OutboxEvent).where(OutboxEvent.processed_at < utcnow() - older_than)
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass
class WorkerOptions:
    batch_size: int = 100
    poll_interval: float = 1.0
    once: bool = False
    refresh_settings_every: float = 300.0  # re-apply index settings (synonyms change)
    prune_every: float = 3600.0


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


async def run(
    maker: async_sessionmaker[AsyncSession],
    engine: SearchEngine | None,
    options: WorkerOptions,
    stop: asyncio.Event,
) -> DrainReport:
    """Drain until stopped (or, with `once`, until nothing is due). Returns the totals."""
    loop = asyncio.get_running_loop()
    totals, ready_at, pruned_at, failures = DrainReport(), -1e9, loop.time(), 0
    while not stop.is_set():
        if engine is not None and loop.time() - ready_at >= options.refresh_settings_every:
            try:
                await engine.ensure_ready()
                ready_at, failures = loop.time(), 0
            except Exception as exc:
                if options.once:
                    raise
                failures += 1
                log.warning("search engine not ready (%s); retrying", exc)
                await _pause(stop, backoff(failures).total_seconds())
                continue
        try:
            async with maker() as session, session.begin():
                report = await drain_batch(session, engine, batch_size=options.batch_size)
                if loop.time() - pruned_at >= options.prune_every:
                    await prune(session)
                    pruned_at = loop.time()
        except DBAPIError:
            if options.once:
                raise
            log.exception("outbox drain failed; retrying")
            report = DrainReport()
        totals.add(report)
        if report.claimed > report.deferred + report.failed:
            continue  # progress was made: more may be waiting
        if options.once and not report.deferred:
            break
        await _pause(stop, options.poll_interval)
    return totals


def search_engine_for_worker(
    settings: Settings, maker: async_sessionmaker[AsyncSession]
) -> SearchEngine | None:
    """Meilisearch when configured (with synonyms read from the database), else None."""
    if not settings.meili_url:
        return None
    from app.matching.meili_engine import MeilisearchEngine
    from app.matching.synonyms import load_groups

    async def synonyms() -> list[list[str]]:
        async with maker() as session:
            return await load_groups(session)

    return MeilisearchEngine(settings, synonyms)


async def serve(settings: Settings, database_url: str, options: WorkerOptions) -> DrainReport:
    """The `techx worker` process: stops cleanly on SIGTERM/SIGINT after the current batch."""
    db = create_engine(database_url)
    maker = create_sessionmaker(db)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    engine = search_engine_for_worker(settings, maker)
    log.info("search worker started (%s)", "meilisearch" if engine else "database is the index")
    try:
        return await run(maker, engine, options, stop)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await db.dispose()
