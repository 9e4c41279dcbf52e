"""Load-or-404 dependencies: each gives a route the need the caller may act on, or raises."""

import uuid
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import CurrentPrincipal, OperatorStaff, require_scopes
from app.auth.principal import Principal
from app.core.db import SessionDep
from app.core.errors import Forbidden
from app.needs import repository, service
from app.needs.exceptions import NeedNotFound
from app.needs.models import Need

NeedWriter = Annotated[Principal, Depends(require_scopes("needs:write"))]


async def _readable(session: AsyncSession, principal: Principal, need_id: uuid.UUID) -> Need:
    need = await repository.get_readable(session, principal, need_id)
    if need is None:
        raise NeedNotFound(f"Need {need_id} does not exist or is not visible to you.")
    return need


async def readable_need(
    need_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Need:
    """Any need the caller may see (404 otherwise)."""
    return await _readable(session, principal, need_id)


async def manageable_need(need_id: uuid.UUID, session: SessionDep, principal: NeedWriter) -> Need:
    """A need the caller may change (poster or staff), locked: 404 unseen, 403 not theirs."""
    need = await _readable(session, principal, need_id)
    if not service.can_manage(principal, need):
        raise Forbidden("Only members of the posting organisation may change this need.")
    # Serialise concurrent edits and transitions of one need.
    await session.refresh(need, with_for_update=True)
    return need


async def reviewable_need(
    need_id: uuid.UUID, session: SessionDep, principal: OperatorStaff
) -> Need:
    """Any need, locked, for a moderator's decision."""
    need = await _readable(session, principal, need_id)
    await session.refresh(need, with_for_update=True)
    return need


ReadableNeed = Annotated[Need, Depends(readable_need)]
ManageableNeed = Annotated[Need, Depends(manageable_need)]
ReviewableNeed = Annotated[Need, Depends(reviewable_need)]
