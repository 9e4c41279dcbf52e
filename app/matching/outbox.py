"""Transactional outbox for search: every flush that inserts, changes or deletes a Listing or
Need also inserts an `OutboxEvent` row, in the same transaction, so an index update is never lost
(Meilisearch down, process killed) and never sent for a change that rolled back.

The hook listens on the Session class, so it covers every AsyncSession. Bulk `update()`/`delete()`
statements bypass the unit of work: code that uses them must call `enqueue(...)` itself.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from app.core.db import utcnow
from app.listings.models import Listing
from app.matching.documents import LISTING_FIELDS, NEED_FIELDS
from app.matching.models import OutboxEntity, OutboxEvent, OutboxOp
from app.needs.models import Need

_WATCHED: dict[type, tuple[OutboxEntity, tuple[str, ...]]] = {
    Listing: (OutboxEntity.listing, LISTING_FIELDS),
    Need: (OutboxEntity.need, NEED_FIELDS),
}


def _watched(obj: Any) -> tuple[OutboxEntity, tuple[str, ...]] | None:
    return _WATCHED.get(type(obj))


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    """True when a searchable attribute really changed (not just updated_at or moderation notes)."""
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _rows(session: Session) -> list[dict[str, Any]]:
    events: dict[tuple[OutboxEntity, uuid.UUID], OutboxOp] = {}
    for obj in session.new:
        if (w := _watched(obj)) is not None:
            events[(w[0], obj.id)] = OutboxOp.upsert
    for obj in session.dirty:
        if (w := _watched(obj)) is not None and _changed(obj, w[1]):
            events.setdefault((w[0], obj.id), OutboxOp.upsert)
    for obj in session.deleted:
        if (w := _watched(obj)) is not None:
            events[(w[0], obj.id)] = OutboxOp.delete
    now = utcnow()
    return [
        {
            "entity": entity.value,
            "entity_id": entity_id,
            "op": op.value,
            "created_at": now,
            "next_attempt_at": now,
            "attempts": 0,
        }
        for (entity, entity_id), op in events.items()
    ]


@event.listens_for(Session, "after_flush")
def _write_outbox(session: Session, flush_context: UOWTransaction) -> None:
    # after_flush: ids are assigned and attribute history still shows what this flush changed.
    rows = _rows(session)
    if rows:
        session.connection().execute(insert(OutboxEvent), rows)


async def enqueue(
    session: AsyncSession, entity: OutboxEntity | str, ids: Iterable[uuid.UUID], op: OutboxOp | str
) -> None:
    """Record index work explicitly (bulk statements, `techx reindex`)."""
    now = utcnow()
    rows = [
        {
            "entity": OutboxEntity(entity).value,
            "entity_id": entity_id,
            "op": OutboxOp(op).value,
            "created_at": now,
            "next_attempt_at": now,
            "attempts": 0,
        }
        for entity_id in ids
    ]
    if rows:
        await session.execute(insert(OutboxEvent), rows)
