"""Who may see and change a listing. One place, reused by every domain that touches listings.

- Public (anyone): published listings, public summary only.
- Owner organisation members: everything about their own listings, in any status.
- Operator staff (operator admin, moderator): everything.
- Organisations granted access (an accepted connection): the confidential detail.
Objects a caller may not see are reported as missing (404), never as forbidden.
"""

import uuid

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.errors import Forbidden, NotFound
from app.listings.models import Listing, ListingAccessGrant, ListingStatus


class ListingNotFound(NotFound):
    title = "Listing not found"


def readable_by(principal: Principal) -> ColumnElement[bool]:
    """SQL condition: listings this principal may see at all (summary level)."""
    if principal.is_operator_staff:
        return true()
    own = Listing.organisation_id.in_(principal.org_ids) if principal.org_ids else false()
    return or_(Listing.status == ListingStatus.published, own)


def can_manage(principal: Principal, listing: Listing) -> bool:
    """Members of the owner organisation edit, submit and archive their listings."""
    return principal.is_member(listing.organisation_id)


async def can_read_detail(session: AsyncSession, principal: Principal, listing: Listing) -> bool:
    """The confidential detail: owner, operator staff, or an organisation granted access."""
    if principal.is_operator_staff or can_manage(principal, listing):
        return True
    if not principal.org_ids:
        return False
    granted = await session.scalar(
        select(
            exists().where(
                ListingAccessGrant.listing_id == listing.id,
                ListingAccessGrant.organisation_id.in_(principal.org_ids),
            )
        )
    )
    return bool(granted)


async def get_readable(
    session: AsyncSession, principal: Principal, listing_id: uuid.UUID
) -> Listing:
    listing = await session.scalar(
        select(Listing).where(Listing.id == listing_id, readable_by(principal))
    )
    if listing is None:
        raise ListingNotFound(f"Listing {listing_id} does not exist or is not visible to you.")
    return listing


async def get_manageable(
    session: AsyncSession, principal: Principal, listing_id: uuid.UUID, *, for_update: bool = False
) -> Listing:
    """A listing the caller may change: 404 if they cannot see it, 403 if they only see it."""
    listing = await get_readable(session, principal, listing_id)
    if not can_manage(principal, listing):
        raise Forbidden("Only members of the owner organisation may change this listing.")
    if for_update:
        # Serialise concurrent edits/transitions of one listing.
        await session.refresh(listing, with_for_update=True)
    return listing


async def grant_detail_access(
    session: AsyncSession,
    listing_id: uuid.UUID,
    organisation_id: uuid.UUID,
    reason: str,
    connection_id: uuid.UUID | None = None,
) -> None:
    """Let an organisation read a listing's confidential detail (idempotent)."""
    from sqlalchemy.dialects.postgresql import insert

    await session.execute(
        insert(ListingAccessGrant)
        .values(
            id=uuid.uuid4(),
            listing_id=listing_id,
            organisation_id=organisation_id,
            reason=reason,
            connection_id=connection_id,
        )
        .on_conflict_do_nothing(index_elements=["listing_id", "organisation_id"])
    )
