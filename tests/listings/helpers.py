"""Shared builders for the listings, moderation and needs tests."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OAuthClient, Organisation, OrganisationKind, OrgRole, User
from app.auth.tokens import issue_access_token
from app.core.audit import AuditEntry
from app.core.config import Settings
from app.notifications.models import Notification
from tests.factories import create_organisation, create_user

# What a technology listing needs beyond kind + title to pass submission.
TECHNOLOGY_COMPLETION: dict[str, Any] = {
    "summary_vi": "Sấy lạnh bơm nhiệt giữ màu và vitamin của xoài, thanh long.",
    "technical_description": "Buồng sấy bơm nhiệt 2 cấp, điều khiển ẩm độ theo thời gian thực.",
    "process_summary": "Quy trình 3 giai đoạn: tiền xử lý, sấy chân không, ủ ẩm (bí quyết).",
    "trl": 6,
    "ip_declaration": "secret_know_how",
    "sectors": ["food_processing"],
}


async def member(
    session: AsyncSession, kind: OrganisationKind = OrganisationKind.institute, **user: Any
) -> tuple[Organisation, User]:
    organisation = await create_organisation(session, kind=kind)
    return organisation, await create_user(session, organisation, OrgRole.member, **user)


async def moderator(session: AsyncSession) -> User:
    operator = await create_organisation(session, kind=OrganisationKind.operator)
    return await create_user(session, operator, platform_roles=["moderator"])


async def partner_client_headers(
    session: AsyncSession, settings: Settings, exchange: str = "brvt", scopes: tuple[str, ...] = ()
) -> tuple[Organisation, dict[str, str]]:
    """A partner exchange organisation and a bearer header for its machine client."""
    organisation = await create_organisation(
        session, kind=OrganisationKind.partner_exchange, source_exchange=exchange
    )
    client = OAuthClient(
        client_id=f"partner-{uuid.uuid4().hex[:8]}",
        secret_hash="not-used-in-these-tests",
        name="Sàn giao dịch công nghệ Bà Rịa – Vũng Tàu",
        organisation_id=organisation.id,
        scopes=list(scopes),
    )
    session.add(client)
    await session.flush()
    token = issue_access_token(settings, f"client:{client.id}", set(scopes), 600)
    return organisation, {"Authorization": f"Bearer {token}"}


async def audit_actions(
    session: AsyncSession, object_id: uuid.UUID
) -> list[tuple[str, uuid.UUID | None]]:
    rows = await session.execute(
        select(AuditEntry.action, AuditEntry.actor_user_id)
        .where(AuditEntry.object_id == str(object_id))
        .order_by(AuditEntry.at, AuditEntry.action)
    )
    return [(action, actor) for action, actor in rows.all()]


async def notifications_for(session: AsyncSession, user: User) -> list[Notification]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at)
    )
    return list(rows.all())


def error_fields(body: dict[str, Any]) -> set[str]:
    """The field names a problem+json 422 names (last element of each error's loc)."""
    return {str(e["loc"][-1]) for e in body.get("errors", [])}
