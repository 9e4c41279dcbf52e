"""HTTP: registration, the OAuth2 token endpoint, password reset, /me, platform roles."""

import base64
import binascii
import uuid
from typing import Annotated
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Request, Response

from app.auth import client_router, org_router, schemas, service, token_service
from app.auth.dependencies import (
    AuthenticatedPrincipal,
    OperatorAdmin,
    SettingsDep,
    UserPrincipal,
)
from app.auth.exceptions import InvalidClient, InvalidRequest, UnsupportedGrantType
from app.auth.token_service import user_actor
from app.core.db import SessionDep
from app.core.errors import problems

auth_router = APIRouter(prefix="/auth", tags=["auth"])
me_router = APIRouter(prefix="/me", tags=["me"])
users_router = APIRouter(prefix="/users", tags=["users"])

FormField = Annotated[str | None, Form()]


@auth_router.post(
    "/register",
    summary="Register a person with a new organisation, or join one by invitation",
    response_model=schemas.Me,
    status_code=201,
    responses=problems(409, 422),
)
async def register(session: SessionDep, data: schemas.Registration) -> schemas.Me:
    """Create the account; a new organisation makes the person its owner."""
    user = await service.register(session, data)
    await session.flush()
    return await service.me(session, user_actor(user))


@auth_router.post(
    "/token",
    summary="OAuth2 token endpoint (password, refresh_token, client_credentials)",
    response_model=schemas.TokenResponse,
    response_model_exclude_none=True,
    responses=problems(400, 401, 429),
)
async def token(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    grant_type: FormField = None,
    username: FormField = None,
    password: FormField = None,
    refresh_token: FormField = None,
    scope: FormField = None,
    client_id: FormField = None,
    client_secret: FormField = None,
) -> schemas.TokenResponse:
    """Form-encoded as RFC 6749 asks; errors carry its `error` code."""
    # Tokens must never be cached by a proxy or browser (RFC 6749 §5.1).
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    if grant_type == "password":
        if not username or password is None:
            raise InvalidRequest("The password grant needs username and password.")
        address = request.client.host if request.client else "unknown"
        return await token_service.password_grant(
            session, settings, username, password, address, scope
        )
    if grant_type == "refresh_token":
        if not refresh_token:
            raise InvalidRequest("The refresh_token grant needs refresh_token.")
        return await token_service.refresh_grant(session, settings, refresh_token)
    if grant_type == "client_credentials":
        cid, secret = _client_credentials(request, client_id, client_secret)
        return await token_service.client_credentials_grant(session, settings, cid, secret, scope)
    if not grant_type:
        raise InvalidRequest("grant_type is required (form-encoded body).")
    raise UnsupportedGrantType(f"Unsupported grant_type '{grant_type[:40]}'.")


def _client_credentials(
    request: Request, client_id: str | None, client_secret: str | None
) -> tuple[str, str]:
    """From HTTP Basic or the form body, never both (RFC 6749 §2.3.1)."""
    basic = _basic_credentials(request)
    if basic and (client_id or client_secret):
        raise InvalidRequest("Authenticate the client with HTTP Basic or the form body, not both.")
    if basic:
        return basic
    if not client_id or not client_secret:
        raise InvalidClient("Client authentication is required.")
    return client_id, client_secret


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidClient("Malformed HTTP Basic credentials.") from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise InvalidClient("Malformed HTTP Basic credentials.")
    return unquote_plus(client_id), unquote_plus(secret)


@auth_router.post(
    "/password-reset",
    summary="Mail a password reset link",
    status_code=202,
    response_model=None,
    responses=problems(422),
)
async def request_password_reset(
    session: SessionDep, settings: SettingsDep, data: schemas.PasswordResetRequest
) -> Response:
    """Always 202, whether or not the account exists."""
    await service.request_password_reset(session, settings, data.email)
    return Response(status_code=202)


@auth_router.post(
    "/password-reset/confirm",
    summary="Set a new password with a reset token",
    status_code=204,
    response_model=None,
    responses=problems(422),
)
async def confirm_password_reset(session: SessionDep, data: schemas.PasswordResetConfirm) -> None:
    """Spend the token, set the password, sign out every session."""
    await service.confirm_password_reset(session, data.token, data.new_password)


@auth_router.post(
    "/invitations/accept",
    summary="Join an organisation by invitation (signed-in person)",
    response_model=schemas.Membership,
    status_code=201,
    responses=problems(401, 403, 409, 422),
)
async def accept_invitation(
    session: SessionDep, principal: UserPrincipal, data: schemas.InvitationAccept
) -> schemas.Membership:
    """The invitation must have been sent to the caller's email."""
    return await service.accept_invitation(session, principal, data.token)


@me_router.get(
    "",
    summary="Who am I",
    response_model=schemas.Me,
    responses=problems(401),
)
async def get(session: SessionDep, principal: AuthenticatedPrincipal) -> schemas.Me:
    """The signed-in person with memberships and platform roles, or the partner client."""
    return await service.me(session, principal)


@users_router.put(
    "/{user_id}/platform-roles",
    summary="Set a person's platform roles",
    response_model=schemas.User,
    responses=problems(401, 403, 404, 409, 422),
)
async def set_platform_roles(
    session: SessionDep,
    principal: OperatorAdmin,
    user_id: uuid.UUID,
    data: schemas.PlatformRolesUpdate,
) -> schemas.User:
    """Operator admins grant moderator, broker or operator_admin."""
    user = await service.set_platform_roles(session, principal, user_id, data.roles)
    return schemas.User.model_validate(user)


router = APIRouter()
for _router in (auth_router, me_router, users_router, org_router.router, client_router.router):
    router.include_router(_router)
