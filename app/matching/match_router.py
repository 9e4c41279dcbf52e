"""Match endpoints: listings for a need, needs for a listing, each with its explained score."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.dependencies import CurrentPrincipal, SettingsDep
from app.core.db import SessionDep
from app.core.errors import problems
from app.listings.dependencies import ReadableListing
from app.matching import matcher
from app.matching.match_schemas import ListingMatches, NeedMatches
from app.needs.dependencies import ReadableNeed

router = APIRouter(tags=["matching"])

Limit = Annotated[int, Query(ge=1, le=100, description="How many candidates to return")]
BelowMinimum = Annotated[
    bool,
    Query(description="Also list technologies below the need's minimum TRL (scored lower)"),
]


@router.get(
    "/needs/{need_id}/matches",
    summary="Listings matching a need",
    response_model=ListingMatches,
    responses=problems(401, 404, 422),
)
async def for_need(
    need: ReadableNeed,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    limit: Limit = matcher.DEFAULT_LIMIT,
    include_below_min_trl: BelowMinimum = False,
) -> ListingMatches:
    """Published listings ranked for a need the caller may read, with every factor explained."""
    return await matcher.match_need(
        session, settings, principal, need, limit, include_below_min_trl
    )


@router.get(
    "/listings/{listing_id}/matches",
    summary="Needs matching a listing",
    response_model=NeedMatches,
    responses=problems(401, 404, 422),
)
async def for_listing(
    listing: ReadableListing,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    limit: Limit = matcher.DEFAULT_LIMIT,
    include_below_min_trl: BelowMinimum = False,
) -> NeedMatches:
    """Live needs the caller may read, ranked for a listing it may read, factors explained."""
    return await matcher.match_listing(
        session, settings, principal, listing, limit, include_below_min_trl
    )
