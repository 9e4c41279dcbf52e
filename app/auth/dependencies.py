"""Reusable auth dependencies: who is calling, and may they do this at all."""

import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select

from app.auth.models import Membership, OAuthClient, OrgRole, PlatformRole, User
from app.auth.principal import ANONYMOUS, Principal
from app.auth.tokens import decode_access_token
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.errors import Forbidden, NotFound, Unauthorized

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    scopes={},
)


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_principal(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Principal:
    """The caller: anonymous without a token, 401 with a bad one, else user or partner client."""
    if not token:
        return ANONYMOUS
    claims = decode_access_token(settings, token)
    if claims.user_id is not None:
        return await _user_principal(session, claims.user_id, claims.scopes)
    assert claims.client_id is not None
    return await _client_principal(session, claims.client_id, claims.scopes)


async def _user_principal(session: Any, user_id: Any, scopes: frozenset[str]) -> Principal:
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("The access token is invalid or has expired.")
    rows = await session.execute(
        select(Membership.organisation_id, Membership.role).where(Membership.user_id == user.id)
    )
    return Principal(
        user_id=user.id,
        label=user.email,
        locale=user.locale.value,
        memberships={org_id: OrgRole(role) for org_id, role in rows.all()},
        platform_roles=frozenset(PlatformRole(r) for r in user.platform_roles),
        scopes=scopes,
    )


async def _client_principal(session: Any, client_id: Any, scopes: frozenset[str]) -> Principal:
    client = await session.get(OAuthClient, client_id)
    if client is None or not client.is_active:
        raise Unauthorized("The access token is invalid or has expired.")
    return Principal(
        client_id=client.id,
        label=f"client:{client.client_id}",
        memberships={client.organisation_id: OrgRole.member},
        # Scopes removed from the client since the token was issued no longer apply.
        scopes=scopes & frozenset(client.scopes),
    )


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_authenticated(principal: CurrentPrincipal) -> Principal:
    if not principal.is_authenticated:
        raise Unauthorized("Sign in to continue.")
    return principal


AuthenticatedPrincipal = Annotated[Principal, Depends(get_authenticated)]


async def get_user(principal: AuthenticatedPrincipal) -> Principal:
    """A person, not a machine client."""
    if principal.user_id is None:
        raise Forbidden("This action is available to signed-in people only.")
    return principal


UserPrincipal = Annotated[Principal, Depends(get_user)]

PrincipalDep = Callable[..., Coroutine[Any, Any, Principal]]


def require_scopes(*scopes: str) -> PrincipalDep:
    """Signed in, and the token carries every scope named."""

    async def dependency(principal: AuthenticatedPrincipal) -> Principal:
        missing = [s for s in scopes if not principal.has_scope(s)]
        if missing:
            raise Forbidden(
                f"The token lacks the scope(s): {', '.join(missing)}.",
                error="insufficient_scope",
            )
        return principal

    return dependency


def require_platform_role(*roles: PlatformRole) -> PrincipalDep:
    """A person holding one of the platform roles (operator admin, moderator, broker)."""

    async def dependency(principal: UserPrincipal) -> Principal:
        if not principal.has_role(*roles):
            names = " or ".join(r.value for r in roles)
            raise Forbidden(f"This action needs the platform role {names}.")
        return principal

    return dependency


OperatorAdmin = Annotated[Principal, Depends(require_platform_role(PlatformRole.operator_admin))]
OperatorStaff = Annotated[
    Principal,
    Depends(require_platform_role(PlatformRole.operator_admin, PlatformRole.moderator)),
]


def require_org_role(*roles: OrgRole) -> PrincipalDep:
    """A member of the path's `organisation_id` holding one of `roles`; operator admins pass.

    Non-members get 404 (who belongs to an organisation is not theirs to learn); members lacking
    the role, and moderators who may look but not act, get 403.
    """

    async def dependency(
        organisation_id: uuid.UUID, principal: AuthenticatedPrincipal
    ) -> Principal:
        if principal.has_role(PlatformRole.operator_admin):
            return principal
        role = principal.role_in(organisation_id)
        if role is None and not principal.is_operator_staff:
            raise NotFound(f"Organisation {organisation_id} has no such resource for you.")
        if role not in roles:
            names = " or ".join(r.value for r in roles)
            raise Forbidden(f"This action needs the organisation role {names}.")
        return principal

    return dependency


OrgAdmin = Annotated[Principal, Depends(require_org_role(OrgRole.owner, OrgRole.admin))]
