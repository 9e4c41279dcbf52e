import base64
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginAttempt, RefreshToken, User
from app.auth.scopes import USER_SCOPES
from app.auth.tokens import hash_secret, issue_access_token
from app.core.audit import AuditEntry
from app.core.config import Settings
from app.core.db import utcnow
from tests.auth.conftest import TOKEN_URL, bearer_of, login
from tests.factories import DEFAULT_PASSWORD, create_organisation, create_user

BAD = "Email or password is incorrect"


async def test_password_grant_returns_bearer_and_refresh(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
):
    user = await create_user(session, await create_organisation(session))
    response = await login(client, user.email.upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_ttl_minutes * 60
    assert set(body["scope"].split()) == USER_SCOPES
    assert body["refresh_token"]
    assert response.headers["cache-control"] == "no-store"
    stored = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_secret(body["refresh_token"]))
    )
    assert stored is not None
    assert stored.user_id == user.id
    await session.refresh(user)
    assert user.last_login_at is not None
    attempt = await session.scalar(select(LoginAttempt).where(LoginAttempt.succeeded))
    assert attempt is not None
    assert attempt.address == "203.0.113.7"


async def test_wrong_password_and_unknown_user_look_the_same(
    client: httpx.AsyncClient, session: AsyncSession
):
    user = await create_user(session)
    wrong = await login(client, user.email, "sai-mat-khau-roi")
    unknown = await login(client, "khong-ai@example.vn", "sai-mat-khau-roi")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == BAD
        assert response.json()["error"] == "invalid_grant"
    assert wrong.json() | {"instance": None} == unknown.json() | {"instance": None}


async def test_inactive_user_gets_the_same_401(client: httpx.AsyncClient, session: AsyncSession):
    user = await create_user(session, is_active=False)
    response = await login(client, user.email)
    assert response.status_code == 401
    assert response.json()["detail"] == BAD


async def test_failed_login_is_recorded_and_audited(
    client: httpx.AsyncClient, session: AsyncSession
):
    user = await create_user(session)
    await login(client, user.email, "sai-mat-khau-roi")
    attempt = await session.scalar(select(LoginAttempt).where(LoginAttempt.account == user.email))
    assert attempt is not None
    assert attempt.succeeded is False
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login_failed"))
    assert entry is not None
    assert entry.object_id == str(user.id)


async def test_throttled_after_max_failures_with_retry_after(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
):
    user = await create_user(session)
    for _ in range(settings.login_max_failures):
        assert (await login(client, user.email, "sai-mat-khau-roi")).status_code == 401
    failures = await session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.account == user.email.lower(), LoginAttempt.succeeded.is_(False))
    )
    assert failures == settings.login_max_failures  # persisted although each request failed

    # Even the right password is refused while the account is throttled.
    response = await login(client, user.email)
    assert response.status_code == 429
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= settings.login_window_seconds
    assert response.json()["status"] == 429


async def test_throttle_lifts_when_failures_leave_the_window(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
):
    user = await create_user(session)
    old = utcnow() - timedelta(seconds=settings.login_window_seconds + 5)
    session.add_all(
        LoginAttempt(account=user.email.lower(), address="198.51.100.1", succeeded=False, at=old)
        for _ in range(settings.login_max_failures)
    )
    assert (await login(client, user.email)).status_code == 200


async def test_throttled_per_address(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
):
    user = await create_user(session)
    now = utcnow()
    session.add_all(
        LoginAttempt(
            account=f"other-{i}@example.vn",
            address="203.0.113.7",
            succeeded=False,
            at=now - timedelta(seconds=i),
        )
        for i in range(settings.login_max_failures_per_address)
    )
    response = await login(client, user.email)
    assert response.status_code == 429
    # The failure that must age out is the oldest of those counted.
    oldest = settings.login_max_failures_per_address - 1
    expected = settings.login_window_seconds - oldest
    assert abs(int(response.headers["retry-after"]) - expected) <= 2


async def test_expired_token_is_401(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
):
    user = await create_user(session)
    token = issue_access_token(settings, f"user:{user.id}", USER_SCOPES, -10)
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_tampered_token_is_401(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
):
    user = await create_user(session)
    victim = await create_user(session)
    token = issue_access_token(settings, f"user:{user.id}", USER_SCOPES, 600)
    header, payload, signature = token.split(".")
    claims = base64.urlsafe_b64decode(payload + "==").replace(
        str(user.id).encode(), str(victim.id).encode()
    )
    forged = ".".join([header, base64.urlsafe_b64encode(claims).decode().rstrip("="), signature])
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, session: AsyncSession
):
    user = await create_user(session)
    user_id = user.id  # a failed request rolls back and expires loaded objects
    first = (await login(client, user.email)).json()["refresh_token"]

    rotated = await client.post(
        TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": first}
    )
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["refresh_token"]
    assert second != first
    assert (await client.get("/api/v1/me", headers=bearer_of(rotated))).status_code == 200

    reuse = await client.post(
        TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": first}
    )
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    # The thief's replay also ends the legitimate holder's session.
    after = await client.post(
        TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": second}
    )
    assert after.status_code == 400
    open_tokens = await session.scalar(
        select(func.count())
        .select_from(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
    )
    assert open_tokens == 0
    assert await session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "auth.refresh_token_reused")
    )


async def test_unknown_refresh_token_is_invalid_grant(client: httpx.AsyncClient):
    response = await client.post(
        TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": "khong-co-that"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_expired_refresh_token_is_refused(client: httpx.AsyncClient, session: AsyncSession):
    user = await create_user(session)
    token = (await login(client, user.email)).json()["refresh_token"]
    row = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_secret(token))
    )
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    response = await client.post(
        TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": token}
    )
    assert response.status_code == 400


async def test_token_endpoint_errors_carry_rfc6749_codes(client: httpx.AsyncClient):
    missing = await client.post(TOKEN_URL, data={})
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    as_json = await client.post(TOKEN_URL, json={"grant_type": "password"})
    assert as_json.json()["error"] == "invalid_request"
    odd = await client.post(TOKEN_URL, data={"grant_type": "implicit"})
    assert (odd.status_code, odd.json()["error"]) == (400, "unsupported_grant_type")
    no_password = await client.post(TOKEN_URL, data={"grant_type": "password", "username": "a"})
    assert no_password.json()["error"] == "invalid_request"


async def test_password_grant_rejects_unknown_scope(
    client: httpx.AsyncClient, session: AsyncSession
):
    user = await create_user(session)
    response = await login(client, user.email, DEFAULT_PASSWORD, scope="listings:read admin:all")
    assert (response.status_code, response.json()["error"]) == (400, "invalid_scope")


async def test_deactivated_user_token_stops_working(
    client: httpx.AsyncClient, session: AsyncSession
):
    user = await create_user(session)
    token = await login(client, user.email)
    (await session.get(User, user.id)).is_active = False  # type: ignore[union-attr]
    assert (await client.get("/api/v1/me", headers=bearer_of(token))).status_code == 401
