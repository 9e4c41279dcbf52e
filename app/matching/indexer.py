"""`techx reindex`: rebuild a search index from the database with no downtime.

A fresh index `<live>_<timestamp>` gets the declared settings and every document, then is
swapped with the live one in a single atomic Meilisearch task (searches never see a half-built
index), and the previous index is deleted. Until the swap, the live index keeps serving.

Changes made during a rebuild are not lost: the rebuild holds the worker's pause lock
exclusively, so the worker stops draining (user writes still commit and queue outbox rows);
the documents are read from one REPEATABLE READ snapshot taken after the lock, so every change
the worker already sent is in it, and every later change is still in the outbox and reaches
the new index once the worker resumes.
"""

import logging
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.listings.models import Listing
from app.matching.documents import listing_document, need_document
from app.matching.engine import Document, SearchEngine
from app.matching.meili_engine import MeilisearchEngine
from app.matching.schemas import Entity
from app.needs.models import Need

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Held exclusively by a rebuild; `techx worker` takes it shared for each batch it drains.
PAUSE_LOCK = 0x7465636878  # "techx"
ENTITIES: dict[str, Entity] = {"listings": "listing", "needs": "need"}


@dataclass(frozen=True)
class ReindexReport:
    entity: Entity
    index: str
    documents: int
    swapped: bool  # False when there was no live index and the fresh one was renamed


async def rebuild(
    engine: MeilisearchEngine,
    entity: Entity,
    batches: AsyncIterable[Sequence[Document]],
    *,
    suffix: str | None = None,
) -> ReindexReport:
    """Fill a fresh index from `batches`, swap it in, delete the old one."""
    live = engine.index_uid(entity)
    fresh = f"{live}_{suffix or datetime.now(UTC).strftime('%Y%m%d%H%M%S')}"
    await engine.create_index(fresh)
    count = 0
    try:
        await engine.configure(fresh, entity)  # settings first: documents are indexed once
        async for batch in batches:
            await engine.add_documents(fresh, batch)
            count += len(batch)
        swapped = await engine.swap(live, fresh)
    except BaseException:
        await _drop_quietly(engine, fresh)
        raise
    if swapped:
        await engine.delete_index(fresh)  # after the swap it holds the previous documents
    log.info("reindexed %s: %d documents", live, count)
    return ReindexReport(entity=entity, index=live, documents=count, swapped=swapped)


async def _drop_quietly(engine: MeilisearchEngine, uid: str) -> None:
    try:
        await engine.delete_index(uid)
    except Exception:
        log.exception("could not delete the unfinished index %s; delete it by hand", uid)


async def current_documents(
    session: AsyncSession, entity: Entity, ids: Sequence[uuid.UUID]
) -> list[Document]:
    """Documents of the rows that exist now (a missing id means the row was deleted)."""
    # populate_existing: rows already in the session's identity map are re-read, not reused.
    if entity == "listing":
        listings = select(Listing).where(Listing.id.in_(ids))
        rows = await session.scalars(listings.execution_options(populate_existing=True))
        return [listing_document(row) for row in rows.all()]
    needs = select(Need).where(Need.id.in_(ids))
    need_rows = await session.scalars(needs.execution_options(populate_existing=True))
    return [need_document(row) for row in need_rows.all()]


async def documents_from_database(
    session: AsyncSession, entity: Entity, batch_size: int = BATCH_SIZE
) -> AsyncIterator[list[Document]]:
    """Every row of the entity as documents, streamed in batches (server-side cursor)."""
    if entity == "listing":
        listings = await session.stream_scalars(
            select(Listing).order_by(Listing.id).execution_options(yield_per=batch_size)
        )
        async for rows in listings.partitions(batch_size):
            yield [listing_document(row) for row in rows]
        return
    needs = await session.stream_scalars(
        select(Need).order_by(Need.id).execution_options(yield_per=batch_size)
    )
    async for need_rows in needs.partitions(batch_size):
        yield [need_document(row) for row in need_rows]


async def reindex(
    db: AsyncEngine, engine: SearchEngine, entity: Entity, *, batch_size: int = BATCH_SIZE
) -> ReindexReport | None:
    """Rebuild one entity's index; None when the engine is the database itself (nothing to do)."""
    if not isinstance(engine, MeilisearchEngine):
        return None
    async with db.connect() as lock, lock.begin():
        # Waits for in-flight drain batches, then keeps new ones out until we commit.
        await lock.execute(select(func.pg_advisory_xact_lock(PAUSE_LOCK)))
        async with db.connect() as reader:
            await reader.execution_options(isolation_level="REPEATABLE READ")
            async with AsyncSession(bind=reader) as session, session.begin():
                batches = documents_from_database(session, entity, batch_size)
                return await rebuild(engine, entity, batches)
