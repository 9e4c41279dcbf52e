"""Builders shared by the connections and contracts tests."""

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OAuthClient, Organisation, OrganisationKind, OrgRole, User
from app.auth.tokens import issue_access_token
from app.connections.models import ConnectionEvent
from app.core.audit import AuditEntry
from app.core.config import Settings
from app.notifications.models import Notification
from tests.factories import create_organisation, create_user

API = "/api/v1/connections"
CONTRACTS = "/api/v1/contracts"


async def member(
    session: AsyncSession, kind: OrganisationKind = OrganisationKind.institute, **org: Any
) -> tuple[Organisation, User]:
    organisation = await create_organisation(session, kind=kind, **org)
    return organisation, await create_user(session, organisation, OrgRole.member)


async def broker(session: AsyncSession) -> User:
    firm = await create_organisation(session, kind=OrganisationKind.broker_firm)
    return await create_user(session, firm, platform_roles=["broker"])


async def staff(session: AsyncSession, role: str = "moderator") -> User:
    operator = await create_organisation(session, kind=OrganisationKind.operator)
    return await create_user(session, operator, platform_roles=[role])


async def partner_headers(
    session: AsyncSession,
    settings: Settings,
    scopes: tuple[str, ...] = ("connections:read", "connections:write"),
) -> tuple[Organisation, dict[str, str]]:
    organisation = await create_organisation(
        session, kind=OrganisationKind.partner_exchange, source_exchange="brvt"
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


async def request(
    client: httpx.AsyncClient, headers: dict[str, str], listing_id: uuid.UUID, **body: Any
) -> httpx.Response:
    return await client.post(API, json={"listing_id": str(listing_id), **body}, headers=headers)


async def notified(session: AsyncSession, user: User, kind: str) -> int:
    await session.flush()
    stmt = select(func.count()).where(Notification.user_id == user.id, Notification.kind == kind)
    return int(await session.scalar(stmt) or 0)


async def audit_actions(session: AsyncSession, object_id: uuid.UUID | str) -> list[str]:
    rows = await session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_id == str(object_id))
        .order_by(AuditEntry.at)
    )
    return list(rows.all())


async def timeline(session: AsyncSession, connection_id: uuid.UUID | str) -> list[tuple[str, Any]]:
    rows = await session.execute(
        select(ConnectionEvent.kind, ConnectionEvent.to_status)
        .where(ConnectionEvent.connection_id == uuid.UUID(str(connection_id)))
        .order_by(ConnectionEvent.at)
    )
    return [(kind.value, to) for kind, to in rows.all()]


def error_fields(body: dict[str, Any]) -> set[str]:
    return {str(e["loc"][-1]) for e in body.get("errors", [])}
