"""Create notifications for people who must act, and mail them once the change is committed."""

import functools
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Membership, OrgRole, User
from app.core.config import Settings
from app.core.db import after_commit
from app.core.mailer import Mail, get_mailer, send_quietly
from app.notifications.models import Notification


@dataclass(frozen=True)
class Message:
    kind: str  # e.g. "listing.published", "connection.requested"
    title_vi: str
    title_en: str
    body_vi: str | None = None
    body_en: str | None = None
    link: str | None = None  # path inside the app, e.g. /listings/<id>
    object_type: str | None = None
    object_id: uuid.UUID | None = None


async def notify_users(
    session: AsyncSession, settings: Settings, user_ids: set[uuid.UUID], message: Message
) -> list[Notification]:
    """One in-app notification per user; one mail each, in their language, after commit."""
    if not user_ids:
        return []
    users = (await session.scalars(select(User).where(User.id.in_(user_ids), User.is_active))).all()
    rows = [
        Notification(
            user_id=u.id,
            kind=message.kind,
            title_vi=message.title_vi,
            title_en=message.title_en,
            body_vi=message.body_vi,
            body_en=message.body_en,
            link=message.link,
            object_type=message.object_type,
            object_id=message.object_id,
        )
        for u in users
    ]
    session.add_all(rows)
    mailer = get_mailer(settings)
    for user in users:
        mail = _mail_for(settings, user, message)
        after_commit(session, functools.partial(send_quietly, mailer, mail))
    return rows


async def notify_organisation(
    session: AsyncSession,
    settings: Settings,
    organisation_id: uuid.UUID,
    message: Message,
    roles: frozenset[OrgRole] | None = None,
) -> list[Notification]:
    """Notify the members of an organisation (optionally only those with given roles)."""
    query = select(Membership.user_id).where(Membership.organisation_id == organisation_id)
    if roles:
        query = query.where(Membership.role.in_(roles))
    user_ids = set((await session.scalars(query)).all())
    return await notify_users(session, settings, user_ids, message)


def _mail_for(settings: Settings, user: User, message: Message) -> Mail:
    vi = user.locale.value == "vi"
    title = message.title_vi if vi else message.title_en
    body = (message.body_vi if vi else message.body_en) or ""
    link = f"\n\n{settings.public_base_url}{message.link}" if message.link else ""
    subject = f"[Sàn giao dịch công nghệ TP.HCM] {title}"
    return Mail(to=user.email, subject=subject, body=body + link)
