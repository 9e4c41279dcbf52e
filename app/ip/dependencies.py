"""Load the listing an IP route works on, with the caller's right to do so (404 before 403)."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import CurrentPrincipal, UserPrincipal, require_scopes
from app.auth.principal import Principal
from app.core.db import SessionDep
from app.core.errors import Forbidden
from app.listings import access
from app.listings.models import Listing

_listings_write = require_scopes("listings:write")
ListingWriter = Annotated[Principal, Depends(_listings_write)]


async def readable_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Listing:
    return await access.get_readable(session, principal, listing_id)


async def manageable_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: ListingWriter
) -> Listing:
    # Locked: IP writes recompute the listing's cached summary from all its rows.
    return await access.get_manageable(session, principal, listing_id, for_update=True)


async def verifiable_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: UserPrincipal
) -> Listing:
    listing = await access.get_readable(session, principal, listing_id)
    if not principal.is_operator_staff:
        raise Forbidden("Only the exchange operator's staff verify IP rights and valuations.")
    await session.refresh(listing, with_for_update=True)
    return listing


ReadableListing = Annotated[Listing, Depends(readable_listing)]
ManageableListing = Annotated[Listing, Depends(manageable_listing)]
VerifiableListing = Annotated[Listing, Depends(verifiable_listing)]
