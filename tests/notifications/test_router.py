from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.core.config import Settings
from app.notifications.models import Notification
from app.notifications.service import Message, notify_users
from tests.factories import create_user

URL = "/api/v1/notifications"
Headers = Callable[[User], dict[str, str]]


async def notify(session: AsyncSession, settings: Settings, user: User, n: int) -> None:
    for i in range(n):
        await notify_users(
            session,
            settings,
            {user.id},
            Message(
                kind="listing.published",
                title_vi=f"Tin {i} đã được duyệt",
                title_en=f"Listing {i} published",
                link=f"/listings/{i}",
            ),
        )
    await session.flush()


async def test_my_notifications_with_unread_count(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Headers
):
    me, other = await create_user(session), await create_user(session)
    await notify(session, settings, me, 3)
    await notify(session, settings, other, 2)
    response = await client.get(URL, params={"limit": 2}, headers=auth_headers(me))
    assert response.status_code == 200
    body = response.json()
    assert body["unread_count"] == 3
    assert body["pagination"] == {"total_count": 3, "max_page": 2}
    assert len(body["items"]) == 2
    assert body["items"][0]["title_vi"].startswith("Tin")


async def test_read_one_then_unread_only(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Headers
):
    me = await create_user(session)
    await notify(session, settings, me, 2)
    headers = auth_headers(me)
    first, second = (await client.get(URL, headers=headers)).json()["items"]
    read = await client.post(f"{URL}/{first['id']}/read", headers=headers)
    assert read.status_code == 200
    assert read.json()["read_at"]
    unread = (await client.get(URL, params={"unread_only": "true"}, headers=headers)).json()
    assert unread["unread_count"] == 1
    assert [n["id"] for n in unread["items"]] == [second["id"]]
    row = await session.get(Notification, first["id"])
    assert row is not None
    assert row.read_at is not None


async def test_someone_elses_notification_is_404(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Headers
):
    me, other = await create_user(session), await create_user(session)
    await notify(session, settings, other, 1)
    theirs = await session.scalar(select(Notification.id).where(Notification.user_id == other.id))
    response = await client.post(f"{URL}/{theirs}/read", headers=auth_headers(me))
    assert response.status_code == 404
    read_at = await session.scalar(select(Notification.read_at).where(Notification.id == theirs))
    assert read_at is None


async def test_read_all_marks_only_mine(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Headers
):
    me, other = await create_user(session), await create_user(session)
    await notify(session, settings, me, 2)
    await notify(session, settings, other, 1)
    other_id = other.id
    response = await client.post(f"{URL}/read-all", headers=auth_headers(me))
    assert response.json() == {"marked_read": 2}
    unread_left = await session.scalar(
        select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))
    )
    mine_left = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.read_at.is_(None), Notification.user_id != other_id)
    )
    assert mine_left == 0
    assert unread_left >= 1


async def test_notifications_need_a_signed_in_person(client: httpx.AsyncClient):
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(f"{URL}/read-all")).status_code == 401
