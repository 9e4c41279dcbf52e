"""HTTP routes of supply listings: catalogue, owner edits, lifecycle and moderation decisions."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import CurrentPrincipal, OperatorStaff, SettingsDep
from app.auth.principal import Principal
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep, paginate, parse_sorting
from app.listings import access, moderation, repository, schemas, service
from app.listings.dependencies import (
    ArchivableListing,
    ListingWriter,
    ManageableListing,
    ReadableListing,
    ReviewableListing,
)
from app.listings.models import Listing

router = APIRouter(prefix="/listings", tags=["listings"])


async def _view(
    session: AsyncSession, settings: Settings, principal: Principal, listing: Listing
) -> schemas.Listing:
    """One listing as this caller may see it (detail only for those allowed)."""
    names = await repository.organisation_names(session, [listing.organisation_id])
    return schemas.listing_view(
        listing,
        organisation_name=names.get(listing.organisation_id),
        stale_before=service.stale_before(settings.stale_after_days),
        internal=principal.is_operator_staff or access.can_manage(principal, listing),
        detail=await access.can_read_detail(session, principal, listing),
    )


@router.get(
    "",
    name="list",
    summary="Search the catalogue of listings",
    response_model=Page[schemas.Listing],
    responses=problems(401, 422),
)
async def list_listings(
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    pagination: PaginationDep,
    filters: Annotated[schemas.ListingFilters, Query()],
    sorting: Annotated[list[str] | None, Query(description="e.g. -published_at, trl")] = None,
) -> Page[schemas.Listing]:
    """Published listings for all; own ones with `mine`/`organisation_id`; everything for staff."""
    order_by = parse_sorting(sorting, repository.SORTABLE, "-published_at")
    stale_before = service.stale_before(settings.stale_after_days)
    stmt = repository.list_statement(principal, filters, stale_before, order_by)
    rows, total = await paginate(session, stmt, pagination)
    names = await repository.organisation_names(session, (r.organisation_id for r in rows))
    items = [
        schemas.listing_view(
            row,
            organisation_name=names.get(row.organisation_id),
            stale_before=stale_before,
            internal=principal.is_operator_staff or access.can_manage(principal, row),
            detail=False,  # the confidential detail is served one listing at a time
        )
        for row in rows
    ]
    return Page[schemas.Listing].build(items, total, pagination)


@router.post(
    "",
    summary="Create a draft listing",
    status_code=201,
    response_model=schemas.Listing,
    responses=problems(401, 403, 409, 422),
)
async def create(
    data: schemas.ListingCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: ListingWriter,
) -> schemas.Listing:
    """Start a draft for one of your organisations; only `kind` and `title_vi` are needed now."""
    listing = await service.create_listing(session, principal, data)
    return await _view(session, settings, principal, listing)


@router.get(
    "/{listing_id}",
    summary="Read a listing",
    response_model=schemas.Listing,
    responses=problems(401, 404),
)
async def get(
    listing: ReadableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
) -> schemas.Listing:
    """The public summary, plus the confidential detail for readers allowed to see it."""
    return await _view(session, settings, principal, listing)


@router.patch(
    "/{listing_id}",
    summary="Edit a listing",
    response_model=schemas.Listing,
    responses=problems(401, 403, 404, 409, 422),
)
async def update(
    data: schemas.ListingUpdate,
    listing: ManageableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: ListingWriter,
) -> schemas.Listing:
    """Owner edit; TRL/IP/price edits of a published listing wait for a moderator."""
    listing = await service.update_listing(session, principal, listing, data)
    return await _view(session, settings, principal, listing)


@router.delete(
    "/{listing_id}",
    summary="Delete a draft or rejected listing",
    status_code=204,
    response_model=None,
    responses=problems(401, 403, 404, 409),
)
async def delete(
    listing: ManageableListing, session: SessionDep, settings: SettingsDep, principal: ListingWriter
) -> None:
    """Drafts and rejected listings only; archive anything else."""
    await service.delete_listing(session, settings, principal, listing)


@router.post(
    "/{listing_id}/submit",
    summary="Submit a listing for review",
    response_model=schemas.Listing,
    responses=problems(401, 403, 404, 409, 422),
)
async def submit(
    listing: ManageableListing, session: SessionDep, settings: SettingsDep, principal: ListingWriter
) -> schemas.Listing:
    """Checks every field required for the listing's kind and names all gaps at once."""
    listing = await service.submit_listing(session, principal, listing)
    return await _view(session, settings, principal, listing)


@router.post(
    "/{listing_id}/publish",
    summary="Publish a submitted listing or its pending changes",
    response_model=schemas.Listing,
    responses=problems(401, 403, 404, 409),
)
async def publish(
    listing: ReviewableListing, session: SessionDep, settings: SettingsDep, principal: OperatorStaff
) -> schemas.Listing:
    """Moderator approval; the owner organisation is notified."""
    listing = await moderation.publish_listing(session, settings, principal, listing)
    return await _view(session, settings, principal, listing)


@router.post(
    "/{listing_id}/reject",
    summary="Reject a submitted listing or its pending changes",
    response_model=schemas.Listing,
    responses=problems(401, 403, 404, 409, 422),
)
async def reject(
    data: schemas.ListingReject,
    listing: ReviewableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: OperatorStaff,
) -> schemas.Listing:
    """Moderator refusal with a reason; the owner organisation is notified."""
    listing = await moderation.reject_listing(session, settings, principal, listing, data.reason)
    return await _view(session, settings, principal, listing)


@router.post(
    "/{listing_id}/archive",
    summary="Archive a listing",
    response_model=schemas.Listing,
    responses=problems(401, 403, 404, 409),
)
async def archive(
    listing: ArchivableListing, session: SessionDep, settings: SettingsDep, principal: ListingWriter
) -> schemas.Listing:
    """Withdraw a listing from the catalogue (owner or operator staff)."""
    listing = await service.archive_listing(session, principal, listing)
    return await _view(session, settings, principal, listing)
