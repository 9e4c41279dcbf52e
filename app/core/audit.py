"""Audit log: who did what to which object, written by services for every write."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdMixin, utcnow

if TYPE_CHECKING:
    from app.auth.principal import Principal


class AuditEntry(IdMixin, Base):
    __tablename__ = "audit_log"

    at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, index=True)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    actor_client_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="SET NULL"), nullable=True
    )
    # Kept as text so the trail survives the actor's deletion.
    actor_label: Mapped[str] = mapped_column(String(320), nullable=False)
    action: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    object_type: Mapped[str] = mapped_column(String(60), nullable=False)
    object_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Changed fields only, as {field: [old, new]}."""
    return {
        k: [_jsonable(before.get(k)), _jsonable(v)] for k, v in after.items() if before.get(k) != v
    }


async def record(
    session: AsyncSession,
    actor: "Principal | None",
    action: str,
    object_type: str,
    object_id: uuid.UUID | str | None,
    changes: dict[str, Any] | None = None,
    summary: str | None = None,
) -> AuditEntry:
    """Add an audit row to the current transaction (it commits or rolls back with the change)."""
    entry = AuditEntry(
        actor_user_id=actor.user_id if actor else None,
        actor_client_id=actor.client_id if actor else None,
        actor_label=actor.label if actor else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        changes=_jsonable(changes or {}),
        summary=summary,
    )
    session.add(entry)
    return entry
