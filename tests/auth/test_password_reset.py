from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import PasswordResetToken, RefreshToken
from app.auth.tokens import hash_secret
from app.core.audit import AuditEntry
from app.core.db import utcnow
from app.core.mailer import LogMailer
from tests.auth.conftest import TOKEN_URL, link_token, login
from tests.factories import create_user

RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
NEW_PASSWORD = "mat-khau-moi-an-toan-2026"


async def test_reset_flow(client: httpx.AsyncClient, session: AsyncSession, mailer: LogMailer):
    user = await create_user(session, email="Pham.Minh@example.vn")
    user_id = user.id
    refresh = (await login(client, user.email)).json()["refresh_token"]

    response = await client.post(RESET, json={"email": "pham.minh@EXAMPLE.vn"})
    assert response.status_code == 202
    assert [m.to for m in mailer.sent] == ["Pham.Minh@example.vn"]
    token = link_token(mailer.sent[0].body, "token")

    confirmed = await client.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD})
    assert confirmed.status_code == 204, confirmed.text
    assert (await login(client, "pham.minh@example.vn", NEW_PASSWORD)).status_code == 200
    assert (await login(client, "pham.minh@example.vn")).status_code == 401

    # Every session opened before the reset is over.
    old = await client.post(
        TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": refresh}
    )
    assert old.status_code == 400
    row = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_secret(refresh))
    )
    assert row is not None
    assert row.revoked_at is not None
    # Single use.
    again = await client.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD})
    assert again.status_code == 422
    assert [e["field"] for e in again.json()["errors"]] == ["body.token"]
    actions = set(
        (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.object_id == str(user_id))
            )
        ).all()
    )
    assert {"auth.password_reset_requested", "auth.password_reset"} <= actions


async def test_unknown_email_gets_the_same_202_and_no_mail(
    client: httpx.AsyncClient, session: AsyncSession, mailer: LogMailer
):
    response = await client.post(RESET, json={"email": "khong-ai@example.vn"})
    assert response.status_code == 202
    assert mailer.sent == []
    assert await session.scalar(select(func.count()).select_from(PasswordResetToken)) == 0


async def test_expired_reset_token_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, mailer: LogMailer
):
    user = await create_user(session)
    await client.post(RESET, json={"email": user.email})
    token = link_token(mailer.sent[-1].body, "token")
    row = await session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_secret(token))
    )
    assert row is not None
    assert row.expires_at - utcnow() <= timedelta(minutes=60)
    row.expires_at = utcnow() - timedelta(seconds=1)
    response = await client.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD})
    assert response.status_code == 422


async def test_new_password_must_be_long_enough(client: httpx.AsyncClient):
    response = await client.post(CONFIRM, json={"token": "x" * 20, "new_password": "ngan"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.new_password"]
