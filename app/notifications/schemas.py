"""Notification bodies."""

import uuid
from datetime import datetime

from app.core.pagination import Pagination
from app.core.schemas import Schema


class Notification(Schema):
    id: uuid.UUID
    kind: str
    title_vi: str
    title_en: str
    body_vi: str | None
    body_en: str | None
    link: str | None
    object_type: str | None
    object_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    """A page of my notifications plus how many are unread in all."""

    items: list[Notification]
    pagination: Pagination
    unread_count: int


class ReadAll(Schema):
    marked_read: int
