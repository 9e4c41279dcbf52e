"""HTTP: read the audit trail (operator admins only)."""

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from app.auth.dependencies import OperatorAdmin
from app.core.audit import AuditEntry
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep, paginate
from app.core.schemas import Schema

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditRecord(Schema):
    id: uuid.UUID
    at: datetime
    actor_user_id: uuid.UUID | None
    actor_client_id: uuid.UUID | None
    actor_label: str
    action: str
    object_type: str
    object_id: str | None
    changes: dict[str, Any]
    summary: str | None


@router.get(
    "",
    summary="Search the audit trail",
    response_model=Page[AuditRecord],
    responses=problems(401, 403, 422),
)
async def list(
    session: SessionDep,
    principal: OperatorAdmin,
    params: PaginationDep,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_user_id: uuid.UUID | None = None,
    since: datetime | None = None,
) -> Page[AuditRecord]:
    """Newest first; every filter is an exact match except `since` (inclusive)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id)
    filters: tuple[tuple[Any, Any], ...] = (
        (AuditEntry.action, action),
        (AuditEntry.object_type, object_type),
        (AuditEntry.object_id, object_id),
        (AuditEntry.actor_user_id, actor_user_id),
    )
    for column, value in filters:
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    rows, total = await paginate(session, query, params)
    return Page[AuditRecord].build([AuditRecord.model_validate(r) for r in rows], total, params)
