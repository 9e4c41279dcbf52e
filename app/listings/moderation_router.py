"""The moderators' work queue: listings and needs awaiting a decision."""

from fastapi import APIRouter

from app.auth.dependencies import OperatorStaff
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep
from app.listings import moderation
from app.listings.schemas import ReviewItem

router = APIRouter(prefix="/moderation", tags=["moderation"])


@router.get(
    "/queue",
    summary="Listings and needs awaiting review",
    response_model=Page[ReviewItem],
    responses=problems(401, 403),
)
async def queue(
    session: SessionDep, principal: OperatorStaff, pagination: PaginationDep
) -> Page[ReviewItem]:
    """Submitted listings and needs, and published listings with pending edits; oldest first."""
    items, total = await moderation.review_queue(session, pagination)
    return Page[ReviewItem].build(items, total, pagination)
