"""Moderation: publish/reject decisions, pending changes of published listings, the queue."""

from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.audit import AuditEntry
from app.core.db import utcnow
from app.listings.models import IPDeclaration, Listing, ListingStatus
from app.needs.models import NeedStatus
from tests.factories import create_listing, create_need, create_user
from tests.listings.helpers import (
    audit_actions,
    error_fields,
    member,
    moderator,
    notifications_for,
)

API = "/api/v1/listings"
QUEUE = "/api/v1/moderation/queue"


async def test_publishing_a_draft_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    draft = await create_listing(session, status=ListingStatus.draft)
    url, staff = f"{API}/{draft.id}/publish", auth_headers(await moderator(session))
    response = await client.post(url, headers=staff)
    assert response.status_code == 409
    assert "draft" in response.json()["detail"]
    await session.refresh(draft)
    assert draft.status == ListingStatus.draft


async def test_only_operator_staff_publish(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, owner = await member(session)
    listing = await create_listing(session, organisation, status=ListingStatus.submitted)
    url = f"{API}/{listing.id}/publish"
    broker = await create_user(session, platform_roles=["broker"])
    headers = auth_headers(owner), auth_headers(broker)
    assert (await client.post(url)).status_code == 401
    assert (await client.post(url, headers=headers[0])).status_code == 403
    assert (await client.post(url, headers=headers[1])).status_code == 403
    await session.refresh(listing)
    assert listing.status == ListingStatus.submitted


async def test_reject_requires_a_reason(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    listing = await create_listing(session, status=ListingStatus.submitted)
    url, staff = f"{API}/{listing.id}/reject", auth_headers(await moderator(session))
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = await client.post(url, json=body, headers=staff)
        assert response.status_code == 422, body
        assert error_fields(response.json()) == {"reason"}
    await session.refresh(listing)
    assert listing.status == ListingStatus.submitted


async def test_reject_then_correct_and_resubmit_then_publish_notifies_owner(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, owner = await member(session)
    colleague = await create_user(session, organisation)
    reviewer = await moderator(session)
    listing = await create_listing(session, organisation, status=ListingStatus.submitted)
    url, staff, own = f"{API}/{listing.id}", auth_headers(reviewer), auth_headers(owner)

    rejected = await client.post(
        f"{url}/reject", json={"reason": "Thiếu mô tả kỹ thuật chi tiết"}, headers=staff
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "Thiếu mô tả kỹ thuật chi tiết"
    for person in (owner, colleague):
        (note,) = await notifications_for(session, person)
        assert note.kind == "listing.rejected"
        assert note.link == f"/listings/{listing.id}"
        assert note.title_vi
        assert note.title_en
        assert "Thiếu mô tả" in (note.body_vi or "")
    assert (await notifications_for(session, reviewer)) == []

    publish_rejected = await client.post(f"{url}/publish", headers=staff)
    assert publish_rejected.status_code == 409

    edited = await client.patch(url, json={"technical_description": "Chi tiết hơn"}, headers=own)
    assert edited.status_code == 200
    assert edited.json()["status"] == "rejected"
    resubmitted = await client.post(f"{url}/submit", headers=own)
    assert resubmitted.status_code == 200
    assert resubmitted.json()["rejection_reason"] is None

    published = await client.post(f"{url}/publish", headers=staff)
    assert published.status_code == 200
    notes = await notifications_for(session, owner)
    assert [n.kind for n in notes] == ["listing.rejected", "listing.published"]
    await session.refresh(listing)
    assert listing.reviewed_by_id == reviewer.id
    assert listing.status == ListingStatus.published

    actions = [a for a, _ in await audit_actions(session, listing.id)]
    assert actions == ["listing.reject", "listing.update", "listing.submit", "listing.publish"]
    reject_entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_id == str(listing.id), AuditEntry.action == "listing.reject"
        )
    )
    assert reject_entry is not None
    assert reject_entry.actor_user_id == reviewer.id
    assert reject_entry.changes["status"] == ["submitted", "rejected"]


async def test_pending_changes_of_a_published_listing(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, owner = await member(session)
    old_date = utcnow() - timedelta(days=30)
    listing = await create_listing(session, organisation, trl=6, content_updated_at=old_date)
    url, own = f"{API}/{listing.id}", auth_headers(owner)
    staff = auth_headers(await moderator(session))

    edited = await client.patch(
        url, json={"trl": 7, "price_type": "negotiable", "summary_vi": "Tóm tắt mới"}, headers=own
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["trl"] == 6
    assert body["price_type"] is None
    assert body["summary_vi"] == "Tóm tắt mới"
    assert body["pending_changes"] == {"trl": 7, "price_type": "negotiable"}
    assert body["status"] == "published"

    public = (await client.get(url)).json()
    assert public["trl"] == 6
    assert public["pending_changes"] is None
    assert public["summary_vi"] == "Tóm tắt mới"
    catalogue = await client.get(
        API, params={"trl_min": 7, "organisation_id": str(organisation.id)}
    )
    assert catalogue.json()["items"] == []

    queue = (await client.get(QUEUE, headers=staff)).json()
    (entry,) = [i for i in queue["items"] if i["id"] == str(listing.id)]
    assert entry["object_type"] == "listing"
    assert entry["pending_changes"] == {"trl": 7, "price_type": "negotiable"}
    assert entry["link"] == f"/listings/{listing.id}"

    published = await client.post(f"{url}/publish", headers=staff)
    assert published.status_code == 200, published.text
    assert published.json()["trl"] == 7
    assert published.json()["pending_changes"] is None
    await session.refresh(listing)
    assert (listing.trl, listing.price_type, listing.pending_changes) == (7, "negotiable", None)
    assert listing.content_updated_at > old_date  # the owner's edit counts, not the review
    ids = [i["id"] for i in (await client.get(QUEUE, headers=staff)).json()["items"]]
    assert str(listing.id) not in ids
    (note,) = await notifications_for(session, owner)
    assert note.kind == "listing.changes_published"
    again = await client.post(f"{url}/publish", headers=staff)
    assert again.status_code == 409


async def test_moderation_does_not_refresh_content_date(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    old_date = utcnow() - timedelta(days=200)
    listing = await create_listing(
        session, status=ListingStatus.submitted, content_updated_at=old_date
    )
    url, staff = f"{API}/{listing.id}/publish", auth_headers(await moderator(session))
    response = await client.post(url, headers=staff)
    assert response.status_code == 200
    assert response.json()["is_stale"] is True
    await session.refresh(listing)
    assert listing.content_updated_at == old_date


async def test_rejecting_pending_changes_keeps_published_values(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, owner = await member(session)
    listing = await create_listing(
        session, organisation, trl=6, ip_declaration=IPDeclaration.none, price_vnd=100
    )
    url, own = f"{API}/{listing.id}", auth_headers(owner)
    staff = auth_headers(await moderator(session))
    await client.patch(url, json={"ip_declaration": "secret_know_how", "price_vnd": 5}, headers=own)

    rejected = await client.post(
        f"{url}/reject", json={"reason": "Chưa có bằng chứng"}, headers=staff
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "published"
    assert rejected.json()["pending_changes"] is None
    await session.refresh(listing)
    assert (listing.ip_declaration, listing.price_vnd) == (IPDeclaration.none, 100)
    (note,) = await notifications_for(session, owner)
    assert note.kind == "listing.changes_rejected"
    assert "Chưa có bằng chứng" in (note.body_en or "")
    assert (
        await client.post(f"{url}/reject", json={"reason": "x"}, headers=staff)
    ).status_code == 409


async def test_editing_back_to_the_published_value_withdraws_the_pending_change(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, owner = await member(session)
    listing = await create_listing(session, organisation, trl=6)
    url, own = f"{API}/{listing.id}", auth_headers(owner)
    first = await client.patch(url, json={"trl": 8, "target_trl": 9}, headers=own)
    assert first.json()["pending_changes"] == {"trl": 8, "target_trl": 9}
    second = await client.patch(url, json={"trl": 6}, headers=own)
    assert second.json()["pending_changes"] == {"target_trl": 9}
    third = await client.patch(url, json={"target_trl": None}, headers=own)
    assert third.json()["pending_changes"] is None
    staff = auth_headers(await moderator(session))
    ids = [i["id"] for i in (await client.get(QUEUE, headers=staff)).json()["items"]]
    assert str(listing.id) not in ids


async def test_published_listing_cannot_lose_required_fields(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, owner = await member(session)
    listing = await create_listing(session, organisation)
    url, own = f"{API}/{listing.id}", auth_headers(owner)
    response = await client.patch(
        url, json={"summary_vi": "", "sectors": [], "trl": None}, headers=own
    )
    assert response.status_code == 422
    assert error_fields(response.json()) == {"summary_vi", "sectors", "trl"}
    await session.refresh(listing)
    assert listing.summary_vi
    assert listing.sectors == ["food_processing"]


async def test_queue_lists_listings_and_needs_awaiting_review_oldest_first(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    now = utcnow()
    newest = await create_listing(session, status=ListingStatus.submitted, submitted_at=now)
    oldest = await create_listing(
        session, status=ListingStatus.submitted, submitted_at=now - timedelta(days=3)
    )
    need = await create_need(
        session, status=NeedStatus.submitted, submitted_at=now - timedelta(days=1)
    )
    pending = await create_listing(
        session, pending_changes={"trl": 9}, submitted_at=now - timedelta(hours=1)
    )
    await create_listing(session, status=ListingStatus.draft)
    await create_listing(session)  # published, nothing pending
    await create_need(session, status=NeedStatus.draft)
    await create_need(session)

    staff = auth_headers(await moderator(session))
    response = await client.get(QUEUE, headers=staff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(i["object_type"], i["id"]) for i in body["items"]] == [
        ("listing", str(oldest.id)),
        ("need", str(need.id)),
        ("listing", str(pending.id)),
        ("listing", str(newest.id)),
    ]
    assert body["pagination"]["total_count"] == 4
    need_item = body["items"][1]
    assert need_item["link"] == f"/needs/{need.id}"
    assert need_item["kind"] is None
    assert need_item["organisation_name"]
    page_two = await client.get(QUEUE, params={"limit": 3, "page": 2}, headers=staff)
    assert [i["id"] for i in page_two.json()["items"]] == [str(newest.id)]


async def test_queue_is_for_operator_staff_only(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    assert (await client.get(QUEUE)).status_code == 401
    assert (await client.get(QUEUE, headers=auth_headers(user))).status_code == 403


async def test_staff_see_every_listing_in_any_status(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    draft = await create_listing(session, status=ListingStatus.draft)
    staff = auth_headers(await moderator(session))
    response = await client.get(f"{API}/{draft.id}", headers=staff)
    assert response.status_code == 200
    assert response.json()["detail"]["process_summary"]
    rows = await session.scalars(select(Listing).where(Listing.id == draft.id))
    assert rows.one().status == ListingStatus.draft
