"""Moderation by operator staff: publish or reject listings (and their pending edits); the queue."""

from typing import Any

from sqlalchemy import func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.pagination import PaginationParams
from app.listings import repository
from app.listings.exceptions import ListingTransitionNotAllowed
from app.listings.models import IPDeclaration, Listing, ListingStatus
from app.listings.schemas import ReviewItem
from app.listings.service import refresh_ip, snapshot
from app.notifications.service import Message, notify_organisation

# Why a listing is not awaiting review, by status ("Cannot publish this listing: <why>.").
_NOT_AWAITING_REVIEW = {
    ListingStatus.draft: "a draft must first be submitted for review by its owner",
    ListingStatus.rejected: "a rejected listing must be corrected and resubmitted by its owner",
    ListingStatus.archived: "an archived listing is closed",
    ListingStatus.published: "it is published and has no changes awaiting review",
}


def _refuse_unless_awaiting_review(listing: Listing, action: str) -> None:
    awaiting = listing.status == ListingStatus.submitted or (
        listing.status == ListingStatus.published and bool(listing.pending_changes)
    )
    if not awaiting:
        why = _NOT_AWAITING_REVIEW[ListingStatus(listing.status)]
        raise ListingTransitionNotAllowed(f"Cannot {action} this listing: {why}.")


def _apply_pending(listing: Listing, pending: dict[str, Any]) -> None:
    for name, value in pending.items():
        if name == "ip_declaration" and value is not None:
            value = IPDeclaration(value)
        setattr(listing, name, value)


def _mark_reviewed(listing: Listing, principal: Principal) -> None:
    listing.reviewed_at = utcnow()
    listing.reviewed_by_id = principal.user_id


async def _notify_owner(
    session: AsyncSession, settings: Settings, listing: Listing, message: dict[str, str]
) -> None:
    await notify_organisation(
        session,
        settings,
        listing.organisation_id,
        Message(
            link=f"/listings/{listing.id}", object_type="listing", object_id=listing.id, **message
        ),
    )


async def publish_listing(
    session: AsyncSession, settings: Settings, principal: Principal, listing: Listing
) -> Listing:
    """Approve a submitted listing, or the pending TRL/IP/price edits of a published one."""
    _refuse_unless_awaiting_review(listing, "publish")
    before = snapshot(listing)
    pending = dict(listing.pending_changes or {})
    title = listing.title_vi
    if listing.status == ListingStatus.submitted:
        listing.status = ListingStatus.published
        listing.published_at = utcnow()
        message = {
            "kind": "listing.published",
            "title_vi": f"Tin công nghệ đã được duyệt và công bố: {title}",
            "title_en": f"Your listing was approved and published: {title}",
        }
    else:
        message = {
            "kind": "listing.changes_published",
            "title_vi": f"Thay đổi của tin công nghệ đã được duyệt: {title}",
            "title_en": f"The changes to your listing were approved: {title}",
        }
    _apply_pending(listing, pending)
    listing.pending_changes = None
    listing.rejection_reason = None
    _mark_reviewed(listing, principal)
    await session.flush()
    if "ip_declaration" in pending and pending["ip_declaration"] != before["ip_declaration"]:
        await refresh_ip(session, listing)
    await audit.record(
        session, principal, "listing.publish", "listing", listing.id,
        changes=audit.diff(before, snapshot(listing)),
    )  # fmt: skip
    await _notify_owner(session, settings, listing, message)
    return listing


async def reject_listing(
    session: AsyncSession, settings: Settings, principal: Principal, listing: Listing, reason: str
) -> Listing:
    """Refuse a submitted listing, or discard the pending edits of a published one (with reason)."""
    _refuse_unless_awaiting_review(listing, "reject")
    before = snapshot(listing)
    title = listing.title_vi
    if listing.status == ListingStatus.submitted:
        listing.status = ListingStatus.rejected
        message = {
            "kind": "listing.rejected",
            "title_vi": f"Tin công nghệ bị từ chối: {title}",
            "title_en": f"Your listing was rejected: {title}",
        }
    else:
        message = {
            "kind": "listing.changes_rejected",
            "title_vi": f"Thay đổi của tin công nghệ bị từ chối: {title}",
            "title_en": f"The changes to your listing were rejected: {title}",
        }
    listing.pending_changes = None
    listing.rejection_reason = reason
    _mark_reviewed(listing, principal)
    await session.flush()
    await audit.record(
        session, principal, "listing.reject", "listing", listing.id,
        changes=audit.diff(before, snapshot(listing)), summary=reason,
    )  # fmt: skip
    message |= {"body_vi": f"Lý do: {reason}", "body_en": f"Reason: {reason}"}
    await _notify_owner(session, settings, listing, message)
    return listing


async def review_queue(
    session: AsyncSession, params: PaginationParams
) -> tuple[list[ReviewItem], int]:
    """Listings and needs awaiting a moderator, oldest submission first."""
    from app.needs.service import review_queue_select as needs_awaiting_review

    queue = union_all(repository.review_queue_select(), needs_awaiting_review()).subquery()
    total = await session.scalar(select(func.count()).select_from(queue))
    rows = (
        await session.execute(
            select(queue)
            .order_by(queue.c.submitted_at.asc().nulls_first(), queue.c.id)
            .limit(params.limit)
            .offset(params.offset)
        )
    ).all()
    names = await repository.organisation_names(session, (r.organisation_id for r in rows))
    items = [
        ReviewItem(
            object_type=r.object_type,
            id=r.id,
            title_vi=r.title_vi,
            organisation_id=r.organisation_id,
            organisation_name=names.get(r.organisation_id),
            status=str(r.status),
            kind=None if r.kind is None else str(r.kind),
            submitted_at=r.submitted_at,
            pending_changes=r.pending_changes,
            link=f"/{r.object_type}s/{r.id}",
        )
        for r in rows
    ]
    return items, int(total or 0)
