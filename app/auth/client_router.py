"""HTTP: OAuth2 clients of partner exchanges (operator admins only)."""

import uuid

from fastapi import APIRouter

from app.auth import client_service, schemas
from app.auth.dependencies import OperatorAdmin
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep

router = APIRouter(prefix="/oauth-clients", tags=["oauth-clients"])


@router.post(
    "",
    summary="Create a partner-exchange client",
    response_model=schemas.OAuthClientWithSecret,
    status_code=201,
    responses=problems(401, 403, 422),
)
async def create(
    session: SessionDep, principal: OperatorAdmin, data: schemas.OAuthClientCreate
) -> schemas.OAuthClientWithSecret:
    """The client_secret is in this response only; it is stored as an argon2 hash."""
    return await client_service.create(session, principal, data)


@router.get(
    "",
    summary="List partner-exchange clients",
    response_model=Page[schemas.OAuthClient],
    responses=problems(401, 403),
)
async def list(
    session: SessionDep, principal: OperatorAdmin, params: PaginationDep
) -> Page[schemas.OAuthClient]:
    """Newest first; secrets are never shown."""
    return await client_service.search(session, params)


@router.delete(
    "/{oauth_client_id}",
    summary="Deactivate a client",
    status_code=204,
    response_model=None,
    responses=problems(401, 403, 404),
)
async def deactivate(
    session: SessionDep, principal: OperatorAdmin, oauth_client_id: uuid.UUID
) -> None:
    """Its existing tokens stop working immediately."""
    await client_service.deactivate(session, principal, oauth_client_id)


@router.post(
    "/{oauth_client_id}/rotate-secret",
    summary="Issue a new client secret",
    response_model=schemas.OAuthClientWithSecret,
    responses=problems(401, 403, 404),
)
async def rotate_secret(
    session: SessionDep, principal: OperatorAdmin, oauth_client_id: uuid.UUID
) -> schemas.OAuthClientWithSecret:
    """The old secret stops working; the new one is shown once."""
    return await client_service.rotate_secret(session, principal, oauth_client_id)
