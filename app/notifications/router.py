"""HTTP: my notifications. Marking read is personal inbox state, so it is not audited."""

import math
import uuid

from fastapi import APIRouter
from sqlalchemy import func, select, update

from app.auth.dependencies import UserPrincipal
from app.core.db import SessionDep, utcnow
from app.core.errors import NotFound, problems
from app.core.pagination import Pagination, PaginationDep, paginate
from app.notifications import schemas
from app.notifications.models import Notification

router = APIRouter(prefix="/notifications", tags=["notifications"])


class NotificationNotFound(NotFound):
    title = "Notification not found"


@router.get(
    "",
    summary="My notifications",
    response_model=schemas.NotificationPage,
    responses=problems(401, 403, 422),
)
async def list(
    session: SessionDep, principal: UserPrincipal, params: PaginationDep, unread_only: bool = False
) -> schemas.NotificationPage:
    """Newest first, with the total unread count."""
    query = select(Notification).where(Notification.user_id == principal.user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    rows, total = await paginate(
        session, query.order_by(Notification.created_at.desc(), Notification.id), params
    )
    unread = await session.scalar(
        select(func.count()).where(
            Notification.user_id == principal.user_id, Notification.read_at.is_(None)
        )
    )
    return schemas.NotificationPage(
        items=[schemas.Notification.model_validate(n) for n in rows],
        pagination=Pagination(total_count=total, max_page=max(1, math.ceil(total / params.limit))),
        unread_count=int(unread or 0),
    )


@router.post(
    "/{notification_id}/read",
    summary="Mark one notification read",
    response_model=schemas.Notification,
    responses=problems(401, 403, 404),
)
async def read(
    session: SessionDep, principal: UserPrincipal, notification_id: uuid.UUID
) -> schemas.Notification:
    """Idempotent; someone else's notification is 404."""
    notification = await session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == principal.user_id
        )
    )
    if notification is None:
        raise NotificationNotFound(f"Notification {notification_id} does not exist.")
    if notification.read_at is None:
        notification.read_at = utcnow()
    return schemas.Notification.model_validate(notification)


@router.post(
    "/read-all",
    summary="Mark all my notifications read",
    response_model=schemas.ReadAll,
    responses=problems(401, 403),
)
async def read_all(session: SessionDep, principal: UserPrincipal) -> schemas.ReadAll:
    """Returns how many were unread."""
    marked = await session.scalars(
        update(Notification)
        .where(Notification.user_id == principal.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .returning(Notification.id)
    )
    return schemas.ReadAll(marked_read=len(marked.all()))
