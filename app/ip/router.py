"""HTTP routes of a listing's IP rights, valuations and IP dossier.

Sub-collections of one listing are short, so they are returned whole, not paginated.
"""

import uuid

from fastapi import APIRouter

from app.auth.dependencies import CurrentPrincipal, SettingsDep, UserPrincipal
from app.core.db import SessionDep
from app.core.errors import problems
from app.ip import schemas as s
from app.ip import service
from app.ip.dependencies import ListingWriter, ManageableListing, ReadableListing, VerifiableListing
from app.listings.access import can_read_detail

rights = APIRouter(prefix="/listings/{listing_id}/ip-rights", tags=["ip-rights"])
valuations = APIRouter(prefix="/listings/{listing_id}/valuations", tags=["valuations"])
dossier = APIRouter(prefix="/listings/{listing_id}/ip-dossier", tags=["ip-dossier"])

READ = problems(401, 404)
WRITE = problems(401, 403, 404, 422)
VERIFY = problems(401, 403, 404)


# --- rights --------------------------------------------------------------------------------


@rights.get(
    "",
    name="list",
    summary="List a listing's IP rights",
    response_model=list[s.IPRight],
    responses=READ,
)
async def list_rights(
    listing: ReadableListing, session: SessionDep, principal: CurrentPrincipal
) -> list[s.IPRight]:
    """IP rights recorded for the listing; notes only for detail readers."""
    rows = await service.list_rights(session, listing)
    detail = await can_read_detail(session, principal, listing)
    return await service.present_rights(session, rows, detail=detail)


@rights.get(
    "/{right_id}", name="get", summary="Get an IP right", response_model=s.IPRight, responses=READ
)
async def get_right(
    right_id: uuid.UUID, listing: ReadableListing, session: SessionDep, principal: CurrentPrincipal
) -> s.IPRight:
    """One IP right of the listing."""
    right = await service.get_right(session, listing, right_id)
    detail = await can_read_detail(session, principal, listing)
    return await service.present_right(session, right, detail=detail)


@rights.post(
    "",
    name="create",
    summary="Record an IP right",
    response_model=s.IPRight,
    status_code=201,
    responses=WRITE,
)
async def create_right(
    data: s.IPRightCreate, listing: ManageableListing, session: SessionDep, principal: ListingWriter
) -> s.IPRight:
    """Add an IP right (patent, utility solution, design, trademark…) to the owner's listing."""
    right = await service.create_right(session, principal, listing, data)
    return await service.present_right(session, right, detail=True)


@rights.patch(
    "/{right_id}",
    name="update",
    summary="Update an IP right",
    response_model=s.IPRight,
    responses=WRITE,
)
async def update_right(
    right_id: uuid.UUID,
    data: s.IPRightUpdate,
    listing: ManageableListing,
    session: SessionDep,
    principal: ListingWriter,
) -> s.IPRight:
    """Change an IP right; changing a verified fact withdraws the verification."""
    right = await service.get_right(session, listing, right_id)
    right = await service.update_right(session, principal, listing, right, data)
    return await service.present_right(session, right, detail=True)


@rights.delete(
    "/{right_id}",
    name="delete",
    summary="Delete an IP right",
    status_code=204,
    response_model=None,
    responses=problems(401, 403, 404),
)
async def delete_right(
    right_id: uuid.UUID,
    listing: ManageableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: ListingWriter,
) -> None:
    """Remove an IP right and its evidence files."""
    right = await service.get_right(session, listing, right_id)
    await service.delete_right(session, settings, principal, listing, right)


@rights.post(
    "/{right_id}/verify",
    name="verify",
    summary="Verify an IP right (operator)",
    response_model=s.IPRight,
    responses=VERIFY,
)
async def verify_right(
    right_id: uuid.UUID,
    listing: VerifiableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: UserPrincipal,
) -> s.IPRight:
    """Operator staff confirm the right's number, owners and evidence."""
    right = await service.get_right(session, listing, right_id)
    right = await service.set_right_verified(session, settings, principal, listing, right, True)
    return await service.present_right(session, right, detail=True)


@rights.post(
    "/{right_id}/unverify",
    name="unverify",
    summary="Withdraw an IP right's verification",
    response_model=s.IPRight,
    responses=VERIFY,
)
async def unverify_right(
    right_id: uuid.UUID,
    listing: VerifiableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: UserPrincipal,
) -> s.IPRight:
    """Operator staff withdraw a verification (e.g. the evidence turned out wrong)."""
    right = await service.get_right(session, listing, right_id)
    right = await service.set_right_verified(session, settings, principal, listing, right, False)
    return await service.present_right(session, right, detail=True)


# --- valuations ----------------------------------------------------------------------------


@valuations.get(
    "",
    name="list",
    summary="List a listing's valuations",
    response_model=list[s.Valuation],
    responses=READ,
)
async def list_valuations(
    listing: ReadableListing, session: SessionDep, principal: CurrentPrincipal
) -> list[s.Valuation]:
    """Valuations of the listing; the value only for detail readers."""
    rows = await service.list_valuations(session, listing)
    detail = await can_read_detail(session, principal, listing)
    return [service.present_valuation(v, detail=detail) for v in rows]


@valuations.get(
    "/{valuation_id}",
    name="get",
    summary="Get a valuation",
    response_model=s.Valuation,
    responses=READ,
)
async def get_valuation(
    valuation_id: uuid.UUID,
    listing: ReadableListing,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> s.Valuation:
    """One valuation of the listing."""
    valuation = await service.get_valuation(session, listing, valuation_id)
    detail = await can_read_detail(session, principal, listing)
    return service.present_valuation(valuation, detail=detail)


@valuations.post(
    "",
    name="create",
    summary="Record a valuation",
    response_model=s.Valuation,
    status_code=201,
    responses=WRITE,
)
async def create_valuation(
    data: s.ValuationCreate,
    listing: ManageableListing,
    session: SessionDep,
    principal: ListingWriter,
) -> s.Valuation:
    """Add a valuation (cost, market or income method) to the owner's listing."""
    valuation = await service.create_valuation(session, principal, listing, data)
    return service.present_valuation(valuation, detail=True)


@valuations.patch(
    "/{valuation_id}",
    name="update",
    summary="Update a valuation",
    response_model=s.Valuation,
    responses=WRITE,
)
async def update_valuation(
    valuation_id: uuid.UUID,
    data: s.ValuationUpdate,
    listing: ManageableListing,
    session: SessionDep,
    principal: ListingWriter,
) -> s.Valuation:
    """Change a valuation; changing a verified figure withdraws the verification."""
    valuation = await service.get_valuation(session, listing, valuation_id)
    valuation = await service.update_valuation(session, principal, listing, valuation, data)
    return service.present_valuation(valuation, detail=True)


@valuations.delete(
    "/{valuation_id}",
    name="delete",
    summary="Delete a valuation",
    status_code=204,
    response_model=None,
    responses=problems(401, 403, 404),
)
async def delete_valuation(
    valuation_id: uuid.UUID,
    listing: ManageableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: ListingWriter,
) -> None:
    """Remove a valuation and its report files."""
    valuation = await service.get_valuation(session, listing, valuation_id)
    await service.delete_valuation(session, settings, principal, listing, valuation)


@valuations.post(
    "/{valuation_id}/verify",
    name="verify",
    summary="Verify a valuation (operator)",
    response_model=s.Valuation,
    responses=VERIFY,
)
async def verify_valuation(
    valuation_id: uuid.UUID,
    listing: VerifiableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: UserPrincipal,
) -> s.Valuation:
    """Operator staff confirm the valuation report and the valuer's independence."""
    valuation = await service.get_valuation(session, listing, valuation_id)
    valuation = await service.set_valuation_verified(
        session, settings, principal, listing, valuation, True
    )
    return service.present_valuation(valuation, detail=True)


@valuations.post(
    "/{valuation_id}/unverify",
    name="unverify",
    summary="Withdraw a valuation's verification",
    response_model=s.Valuation,
    responses=VERIFY,
)
async def unverify_valuation(
    valuation_id: uuid.UUID,
    listing: VerifiableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: UserPrincipal,
) -> s.Valuation:
    """Operator staff withdraw a valuation's verification."""
    valuation = await service.get_valuation(session, listing, valuation_id)
    valuation = await service.set_valuation_verified(
        session, settings, principal, listing, valuation, False
    )
    return service.present_valuation(valuation, detail=True)


# --- dossier -------------------------------------------------------------------------------


@dossier.get(
    "", name="get", summary="IP dossier completeness", response_model=s.DossierState, responses=READ
)
async def get_dossier(listing: ReadableListing, session: SessionDep) -> s.DossierState:
    """Whether the listing's IP dossier is clear, and what is still missing."""
    return await service.dossier_state(session, listing)


router = APIRouter()
for sub in (rights, valuations, dossier):
    router.include_router(sub)
