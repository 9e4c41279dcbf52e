"""OAuth2 grants: password (people), refresh_token (rotation with reuse detection),
client_credentials (partner exchanges)."""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository, throttle
from app.auth.exceptions import (
    InvalidClient,
    InvalidCredentials,
    InvalidGrant,
    InvalidScope,
    RefreshTokenReused,
)
from app.auth.models import OAuthClient, RefreshToken, User
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.principal import Principal
from app.auth.schemas import TokenResponse
from app.auth.scopes import USER_SCOPES
from app.auth.tokens import hash_secret, issue_access_token, new_secret
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow

BAD_REFRESH = "The refresh token is invalid, expired or revoked."


def user_actor(user: User) -> Principal:
    return Principal(user_id=user.id, label=user.email, locale=user.locale.value)


def client_actor(client: OAuthClient) -> Principal:
    return Principal(client_id=client.id, label=f"client:{client.client_id}")


def requested_scopes(scope: str | None) -> set[str] | None:
    """RFC 6749 §3.3: a space-delimited list; None when the client did not ask."""
    return set(scope.split()) if scope and scope.strip() else None


async def password_grant(
    session: AsyncSession,
    settings: Settings,
    username: str,
    password: str,
    address: str,
    scope: str | None = None,
) -> TokenResponse:
    """Check throttling, then the password; every attempt is recorded and audited."""
    _check_user_scopes(requested_scopes(scope))
    account = throttle.account_key(username)
    await throttle.check(session, settings, account, address)
    user = await repository.get_user_by_email(session, account)
    # argon2 is deliberately slow: keep it off the event loop.
    valid = await asyncio.to_thread(verify_password, password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        throttle.record(session, account, address, succeeded=False)
        await audit.record(
            session,
            None,
            "auth.login_failed",
            "user",
            user.id if user else None,
            changes={"account": account, "address": address},
        )
        raise InvalidCredentials()
    throttle.record(session, account, address, succeeded=True)
    user.last_login_at = utcnow()
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = await asyncio.to_thread(hash_password, password)
    await audit.record(
        session, user_actor(user), "auth.login", "user", user.id, changes={"address": address}
    )
    return await _user_tokens(session, settings, user, family_id=uuid.uuid4())


def _check_user_scopes(requested: set[str] | None) -> None:
    """People hold every user scope; asking for an unknown one is still an error."""
    if requested is not None and not requested <= USER_SCOPES:
        unknown = ", ".join(sorted(requested - USER_SCOPES))
        raise InvalidScope(f"Unknown scope(s): {unknown}.")


async def refresh_grant(session: AsyncSession, settings: Settings, token: str) -> TokenResponse:
    """Single use: the token is spent and replaced; a spent token coming back kills its family."""
    row = await repository.get_refresh_token(session, hash_secret(token))
    now = utcnow()
    if row is None or row.revoked_at is not None:
        raise InvalidGrant(BAD_REFRESH)
    if row.used_at is not None:
        # Someone holds a copy of a rotated token: end every session descended from the login.
        await repository.revoke_refresh_tokens(session, now, family_id=row.family_id)
        await audit.record(
            session,
            None,
            "auth.refresh_token_reused",
            "user",
            row.user_id,
            changes={"family_id": row.family_id},
        )
        raise RefreshTokenReused(BAD_REFRESH)
    user = await session.get(User, row.user_id)
    if row.expires_at <= now or user is None or not user.is_active:
        raise InvalidGrant(BAD_REFRESH)
    row.used_at = now
    return await _user_tokens(session, settings, user, family_id=row.family_id)


async def _user_tokens(
    session: AsyncSession, settings: Settings, user: User, family_id: uuid.UUID
) -> TokenResponse:
    refresh = new_secret()
    session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=hash_secret(refresh),
            family_id=family_id,
            expires_at=utcnow() + timedelta(days=settings.refresh_token_ttl_days),
        )
    )
    ttl = settings.access_token_ttl_minutes * 60
    return TokenResponse(
        access_token=issue_access_token(settings, f"user:{user.id}", USER_SCOPES, ttl),
        expires_in=ttl,
        refresh_token=refresh,
        scope=" ".join(sorted(USER_SCOPES)),
    )


async def client_credentials_grant(
    session: AsyncSession,
    settings: Settings,
    client_id: str,
    client_secret: str,
    scope: str | None = None,
) -> TokenResponse:
    """A partner exchange's token: the requested scopes, all within those granted to it."""
    client = await repository.get_client_by_client_id(session, client_id)
    valid = await asyncio.to_thread(
        verify_password, client_secret, client.secret_hash if client else None
    )
    if client is None or not valid or not client.is_active:
        raise InvalidClient()
    scopes = _client_scopes(client, requested_scopes(scope))
    client.last_used_at = utcnow()
    await audit.record(
        session,
        client_actor(client),
        "oauth_client.token",
        "oauth_client",
        client.id,
        changes={"scopes": sorted(scopes)},
    )
    ttl = settings.client_token_ttl_minutes * 60
    return TokenResponse(
        access_token=issue_access_token(settings, f"client:{client.id}", scopes, ttl),
        expires_in=ttl,
        scope=" ".join(sorted(scopes)),
    )


def _client_scopes(client: OAuthClient, requested: set[str] | None) -> set[str]:
    granted = set(client.scopes)
    if requested is None:
        return granted
    if not requested <= granted:
        refused = ", ".join(sorted(requested - granted))
        raise InvalidScope(f"Scope(s) not granted to this client: {refused}.")
    return requested
