"""OAuth2 clients of partner exchanges: created, rotated and deactivated by operator admins."""

import asyncio
import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository, schemas
from app.auth.exceptions import OAuthClientNotFound
from app.auth.models import OAuthClient, Organisation, OrganisationKind
from app.auth.passwords import hash_password
from app.auth.principal import Principal
from app.auth.tokens import new_secret
from app.core import audit
from app.core.errors import ValidationFailed, field_error
from app.core.pagination import Page, PaginationParams, paginate


def _with_secret(client: OAuthClient, secret: str) -> schemas.OAuthClientWithSecret:
    view = schemas.OAuthClient.model_validate(client)
    return schemas.OAuthClientWithSecret(**view.model_dump(), client_secret=secret)


async def _new_secret_hash() -> tuple[str, str]:
    secret = new_secret()
    # The secret is a password in all but name: argon2, so a leaked table does not leak access.
    return secret, await asyncio.to_thread(hash_password, secret)


async def create(
    session: AsyncSession, actor: Principal, data: schemas.OAuthClientCreate
) -> schemas.OAuthClientWithSecret:
    """A client for a partner-exchange organisation; its secret is returned this once."""
    org = await session.get(Organisation, data.organisation_id)
    if org is None or org.kind is not OrganisationKind.partner_exchange:
        msg = "Must be an existing organisation of kind partner_exchange."
        raise ValidationFailed(msg, errors=[field_error(["body", "organisation_id"], msg)])
    secret, secret_hash = await _new_secret_hash()
    client = OAuthClient(
        client_id=f"techx-{secrets.token_hex(12)}",
        secret_hash=secret_hash,
        name=data.name,
        organisation_id=org.id,
        scopes=data.scopes,
        created_by_id=actor.user_id,
    )
    session.add(client)
    await session.flush()
    await audit.record(
        session,
        actor,
        "oauth_client.create",
        "oauth_client",
        client.id,
        changes={
            "name": data.name,
            "organisation_id": org.id,
            "scopes": data.scopes,
            "client_id": client.client_id,
        },
    )
    return _with_secret(client, secret)


async def get(session: AsyncSession, id: uuid.UUID) -> OAuthClient:
    client = await session.get(OAuthClient, id, with_for_update=True)
    if client is None:
        raise OAuthClientNotFound(f"OAuth client {id} does not exist.")
    return client


async def search(session: AsyncSession, params: PaginationParams) -> Page[schemas.OAuthClient]:
    rows, total = await paginate(session, repository.clients_query(), params)
    items = [schemas.OAuthClient.model_validate(c) for c in rows]
    return Page[schemas.OAuthClient].build(items, total, params)


async def deactivate(session: AsyncSession, actor: Principal, id: uuid.UUID) -> None:
    """Its tokens stop working at once: every request re-checks that the client is active."""
    client = await get(session, id)
    if client.is_active:
        client.is_active = False
        await audit.record(session, actor, "oauth_client.deactivate", "oauth_client", client.id)


async def rotate_secret(
    session: AsyncSession, actor: Principal, id: uuid.UUID
) -> schemas.OAuthClientWithSecret:
    client = await get(session, id)
    secret, client.secret_hash = await _new_secret_hash()
    await audit.record(session, actor, "oauth_client.rotate_secret", "oauth_client", client.id)
    return _with_secret(client, secret)
