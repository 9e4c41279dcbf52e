"""Load-or-404 dependencies: each gives a route the listing the caller may act on, or raises."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import CurrentPrincipal, OperatorStaff, require_scopes
from app.auth.principal import Principal
from app.core.db import SessionDep
from app.listings import access
from app.listings.models import Listing

ListingWriter = Annotated[Principal, Depends(require_scopes("listings:write"))]


async def _locked_readable(
    session: SessionDep, principal: Principal, listing_id: uuid.UUID
) -> Listing:
    listing = await access.get_readable(session, principal, listing_id)
    # Serialise concurrent transitions of one listing (same lock as access.get_manageable).
    await session.refresh(listing, with_for_update=True)
    return listing


async def readable_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Listing:
    """Any listing the caller may see (404 otherwise)."""
    return await access.get_readable(session, principal, listing_id)


async def manageable_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: ListingWriter
) -> Listing:
    """A listing of the caller's organisation, locked (404 unseen, 403 seen but not theirs)."""
    return await access.get_manageable(session, principal, listing_id, for_update=True)


async def reviewable_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: OperatorStaff
) -> Listing:
    """Any listing, locked, for a moderator's decision."""
    return await _locked_readable(session, principal, listing_id)


async def archivable_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: ListingWriter
) -> Listing:
    """Owners archive their listings; operator staff may archive any."""
    if principal.is_operator_staff:
        return await _locked_readable(session, principal, listing_id)
    return await access.get_manageable(session, principal, listing_id, for_update=True)


ReadableListing = Annotated[Listing, Depends(readable_listing)]
ManageableListing = Annotated[Listing, Depends(manageable_listing)]
ReviewableListing = Annotated[Listing, Depends(reviewable_listing)]
ArchivableListing = Annotated[Listing, Depends(archivable_listing)]
