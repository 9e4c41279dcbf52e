from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.core.audit import AuditEntry
from tests.factories import create_user

Headers = Callable[[User], dict[str, str]]


def url(user_id: object) -> str:
    return f"/api/v1/users/{user_id}/platform-roles"


async def test_operator_admin_grants_roles(
    client: httpx.AsyncClient, session: AsyncSession, operator_admin: User, auth_headers: Headers
):
    person = await create_user(session)
    response = await client.put(
        url(person.id),
        json={"roles": ["broker", "moderator"]},
        headers=auth_headers(operator_admin),
    )
    assert response.status_code == 200, response.text
    assert response.json()["platform_roles"] == ["broker", "moderator"]
    await session.refresh(person)
    assert person.platform_roles == ["broker", "moderator"]
    entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "user.platform_roles", AuditEntry.object_id == str(person.id)
        )
    )
    assert entry is not None
    assert entry.changes == {"platform_roles": [[], ["broker", "moderator"]]}
    me = await client.get("/api/v1/me", headers=auth_headers(person))
    assert me.json()["platform_roles"] == ["broker", "moderator"]


async def test_others_may_not_grant_roles(
    client: httpx.AsyncClient, session: AsyncSession, moderator: User, auth_headers: Headers
):
    person = await create_user(session)
    headers, target = auth_headers(moderator), url(person.id)
    assert (
        await client.put(target, json={"roles": ["operator_admin"]}, headers=headers)
    ).status_code == 403
    assert (await client.put(target, json={"roles": ["broker"]})).status_code == 401


async def test_last_operator_admin_stays(
    client: httpx.AsyncClient, session: AsyncSession, operator_admin: User, auth_headers: Headers
):
    others = await session.scalars(
        select(User).where(
            User.platform_roles.contains(["operator_admin"]), User.id != operator_admin.id
        )
    )
    for other in others:  # the test database may hold admins from other tests' commits
        other.platform_roles = []
    response = await client.put(
        url(operator_admin.id), json={"roles": []}, headers=auth_headers(operator_admin)
    )
    assert response.status_code == 409


async def test_unknown_user_and_unknown_role(
    client: httpx.AsyncClient, operator_admin: User, auth_headers: Headers
):
    headers, admin_id = auth_headers(operator_admin), operator_admin.id
    missing = await client.put(
        url("00000000-0000-0000-0000-000000000000"), json={"roles": ["broker"]}, headers=headers
    )
    assert missing.status_code == 404
    odd = await client.put(url(admin_id), json={"roles": ["king"]}, headers=headers)
    assert odd.status_code == 422
    assert [e["field"] for e in odd.json()["errors"]] == ["body.roles.0"]
