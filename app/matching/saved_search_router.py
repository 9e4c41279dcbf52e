"""Saved searches of the signed-in person: save, list, read, delete (others' are 404)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Body

from app.auth.dependencies import SettingsDep, UserPrincipal
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep, paginate
from app.matching import saved_searches as service
from app.matching.saved_search_schemas import SavedSearch, SavedSearchCreate

router = APIRouter(prefix="/saved-searches", tags=["saved-searches"])


@router.post(
    "",
    summary="Save a search",
    response_model=SavedSearch,
    status_code=201,
    responses=problems(401, 403, 409, 422),
)
async def create(
    body: Annotated[SavedSearchCreate, Body()],
    session: SessionDep,
    settings: SettingsDep,
    principal: UserPrincipal,
) -> SavedSearch:
    """Keep a listings or needs search; you are notified of results published after today."""
    saved = await service.create(session, settings, principal, body)
    return SavedSearch.model_validate(saved)


@router.get(
    "",
    summary="My saved searches",
    response_model=Page[SavedSearch],
    responses=problems(401, 403),
)
async def list(
    session: SessionDep, principal: UserPrincipal, pagination: PaginationDep
) -> Page[SavedSearch]:
    """The caller's saved searches, newest first."""
    rows, total = await paginate(session, service.owned_by(principal), pagination)
    items = [SavedSearch.model_validate(row) for row in rows]
    return Page[SavedSearch].build(items, total, pagination)


@router.get(
    "/{saved_search_id}",
    summary="A saved search",
    response_model=SavedSearch,
    responses=problems(401, 403, 404),
)
async def get(
    saved_search_id: uuid.UUID, session: SessionDep, principal: UserPrincipal
) -> SavedSearch:
    """One of the caller's saved searches."""
    return SavedSearch.model_validate(await service.get_own(session, principal, saved_search_id))


@router.delete(
    "/{saved_search_id}",
    summary="Delete a saved search",
    status_code=204,
    response_model=None,
    responses=problems(401, 403, 404),
)
async def delete(saved_search_id: uuid.UUID, session: SessionDep, principal: UserPrincipal) -> None:
    """Stop a saved search; no more notifications come from it."""
    saved = await service.get_own(session, principal, saved_search_id)
    await service.delete(session, principal, saved)
