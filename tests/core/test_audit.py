from collections.abc import Callable
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrgRole, User
from app.core import audit
from app.core.audit import AuditEntry
from app.core.db import utcnow
from tests.factories import create_organisation, create_user

AUDIT = "/api/v1/audit"
Headers = Callable[[User], dict[str, str]]


def test_diff_keeps_changed_fields_only() -> None:
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


async def test_operator_admin_reads_the_trail_newest_first_with_filters(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    admin = await create_user(session, platform_roles=["operator_admin"])
    now = utcnow()
    session.add_all(
        [
            AuditEntry(
                actor_user_id=admin.id,
                actor_label=admin.email,
                action="listing.submit",
                object_type="listing",
                object_id="L1",
                at=now - timedelta(days=3),
            ),
            AuditEntry(
                actor_label="system",
                action="listing.publish",
                object_type="listing",
                object_id="L1",
                at=now - timedelta(days=1),
            ),
            AuditEntry(
                actor_label="system",
                action="need.publish",
                object_type="need",
                object_id="N1",
                at=now,
            ),
        ]
    )
    await session.flush()  # the session does not autoflush
    headers = auth_headers(admin)

    listing = await client.get(
        AUDIT, params={"object_type": "listing", "object_id": "L1"}, headers=headers
    )
    assert listing.status_code == 200, listing.text
    assert [e["action"] for e in listing.json()["items"]] == ["listing.publish", "listing.submit"]
    by_actor = await client.get(AUDIT, params={"actor_user_id": str(admin.id)}, headers=headers)
    assert [e["action"] for e in by_actor.json()["items"]] == ["listing.submit"]
    since = (now - timedelta(days=2)).isoformat()
    recent = await client.get(AUDIT, params={"since": since, "object_id": "L1"}, headers=headers)
    assert [e["action"] for e in recent.json()["items"]] == ["listing.publish"]
    one = await client.get(AUDIT, params={"action": "need.publish"}, headers=headers)
    assert one.json()["pagination"]["total_count"] == 1
    paged = await client.get(AUDIT, params={"object_id": "L1", "limit": 1}, headers=headers)
    assert paged.json()["pagination"] == {"total_count": 2, "max_page": 2}


async def test_audit_is_forbidden_to_everybody_else(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    moderator = await create_user(session, platform_roles=["moderator"])
    headers = [auth_headers(owner), auth_headers(moderator)]
    # A refused request rolls the shared session back: keep the setup out of its reach.
    await session.commit()
    assert (await client.get(AUDIT)).status_code == 401
    for h in headers:
        assert (await client.get(AUDIT, headers=h)).status_code == 403
