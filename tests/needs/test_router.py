"""Needs over HTTP: posting, the lifecycle, visibility rules, filters, fulfil and expiry."""

from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Membership, OrganisationKind, OrgRole
from app.core.config import Settings
from app.needs.models import Need, NeedStatus, NeedVisibility
from app.needs.repository import vn_today
from tests.factories import create_need, create_organisation, create_user
from tests.listings.helpers import (
    audit_actions,
    error_fields,
    member,
    moderator,
    notifications_for,
    partner_client_headers,
)

API = "/api/v1/needs"
COMPLETION = {
    "problem_statement": "Xoài sấy bị thâm màu, mất vitamin C.",
    "desired_outcome": "Sấy ở nhiệt độ thấp, giữ màu tự nhiên, 1 tấn/ngày.",
    "sectors": ["food_processing"],
    "min_trl": 6,
    "budget_min_vnd": 500_000_000,
    "budget_max_vnd": 2_000_000_000,
}


async def test_enterprise_posts_a_need_through_review(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    own, staff = auth_headers(poster), auth_headers(await moderator(session))
    company_id, company_name = str(company.id), company.name_vi

    created = await client.post(API, json={"title_vi": "Cần công nghệ sấy xoài"}, headers=own)
    assert created.status_code == 201, created.text
    need = created.json()
    assert need["status"] == "draft"
    assert need["organisation_id"] == company_id
    url = f"{API}/{need['id']}"

    incomplete = await client.post(f"{url}/submit", headers=own)
    assert incomplete.status_code == 422
    assert error_fields(incomplete.json()) == {
        "problem_statement", "desired_outcome", "sectors", "min_trl",
    }  # fmt: skip

    assert (await client.patch(url, json=COMPLETION, headers=own)).status_code == 200
    assert (await client.post(f"{url}/publish", headers=staff)).status_code == 409  # still a draft
    submitted = await client.post(f"{url}/submit", headers=own)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    published = await client.post(f"{url}/publish", headers=staff)
    assert published.status_code == 200
    assert published.json()["status"] == "published"

    public = await client.get(url)
    assert public.status_code == 200
    assert public.json()["organisation_name"] == company_name
    assert public.json()["rejection_reason"] is None
    (note,) = await notifications_for(session, poster)
    assert note.kind == "need.published"
    assert note.link == f"/needs/{need['id']}"
    actions = [a for a, _ in await audit_actions(session, need["id"])]
    assert actions == ["need.create", "need.update", "need.submit", "need.publish"]


async def test_reject_needs_a_reason_and_notifies(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    need = await create_need(session, company, status=NeedStatus.submitted)
    url, staff = f"{API}/{need.id}/reject", auth_headers(await moderator(session))
    assert (await client.post(url, json={"reason": " "}, headers=staff)).status_code == 422
    rejected = await client.post(url, json={"reason": "Trùng nhu cầu đã đăng"}, headers=staff)
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    (note,) = await notifications_for(session, poster)
    assert note.kind == "need.rejected"
    assert "Trùng" in (note.body_vi or "")
    await session.refresh(need)
    assert need.rejection_reason == "Trùng nhu cầu đã đăng"


@pytest.mark.parametrize("kind", [OrganisationKind.university, OrganisationKind.institute])
async def test_universities_and_institutes_may_post(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers, kind: OrganisationKind
) -> None:
    _, poster = await member(session, kind)
    response = await client.post(
        API, json={"title_vi": "Cần thiết bị"}, headers=auth_headers(poster)
    )
    assert response.status_code == 201


async def test_broker_firms_do_not_post_needs(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, broker = await member(session, OrganisationKind.broker_firm)
    response = await client.post(API, json={"title_vi": "Nhu cầu"}, headers=auth_headers(broker))
    assert response.status_code == 403
    assert (await client.post(API, json={"title_vi": "Nhu cầu"})).status_code == 401


async def test_staff_post_on_a_companys_behalf(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company = await create_organisation(session, kind=OrganisationKind.enterprise)
    company_id, staff = company.id, auth_headers(await moderator(session))
    without = await client.post(API, json={"title_vi": "Nhu cầu"}, headers=staff)
    assert without.status_code == 403  # the operator organisation does not post needs itself
    created = await client.post(
        API, json={"title_vi": "Nhu cầu", "organisation_id": str(company_id)}, headers=staff
    )
    assert created.status_code == 201
    assert created.json()["organisation_id"] == str(company_id)
    submitted = await client.patch(f"{API}/{created.json()['id']}", json=COMPLETION, headers=staff)
    assert submitted.status_code == 200


async def test_partner_client_posts_needs_of_its_exchange(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    _, headers = await partner_client_headers(session, settings, "binh_duong", ("needs:write",))
    created = await client.post(API, json={"title_vi": "Nhu cầu từ Bình Dương"}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["source_exchange"] == "binh_duong"
    other = await client.post(
        API, json={"title_vi": "X", "source_exchange": "hcm"}, headers=headers
    )
    assert other.status_code == 422
    assert error_fields(other.json()) == {"source_exchange"}


async def test_input_validation(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, poster = await member(session, OrganisationKind.enterprise)
    headers = auth_headers(poster)
    bad_budget = await client.post(
        API,
        json={"title_vi": "Nhu cầu", "budget_min_vnd": 10, "budget_max_vnd": 5, "sectors": ["xyz"]},
        headers=headers,
    )
    assert bad_budget.status_code == 422
    assert error_fields(bad_budget.json()) == {"budget_max_vnd", "sectors"}
    unknown = await client.post(API, json={"title_vi": "N", "status": "published"}, headers=headers)
    assert unknown.status_code == 422
    assert error_fields(unknown.json()) == {"status"}
    trl = await client.post(API, json={"title_vi": "N", "min_trl": 10}, headers=headers)
    assert trl.status_code == 422
    assert error_fields(trl.json()) == {"min_trl"}


# --- visibility -------------------------------------------------------------------------------


async def test_anonymous_need_hides_the_poster_except_from_owner_and_staff(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    need = await create_need(session, company, visibility=NeedVisibility.anonymous)
    _, supplier = await member(session)
    url, company_id = f"{API}/{need.id}", str(company.id)
    own, other = auth_headers(poster), auth_headers(supplier)
    staff = auth_headers(await moderator(session))

    for headers in ({}, other):
        body = (await client.get(url, headers=headers)).json()
        assert body["organisation_id"] is None
        assert body["organisation_name"] is None
        assert company_id not in (await client.get(url, headers=headers)).text
        listed = (await client.get(API, headers=headers)).json()["items"]
        (item,) = [i for i in listed if i["id"] == str(need.id)]
        assert item["organisation_id"] is None
        by_poster = await client.get(API, params={"organisation_id": company_id}, headers=headers)
        assert by_poster.json()["items"] == []  # filtering must not reveal the poster
    for headers in (own, staff):
        assert (await client.get(url, headers=headers)).json()["organisation_id"] == company_id


async def test_restricted_need_is_for_signed_in_organisations_and_brokers(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    need = await create_need(session, visibility=NeedVisibility.restricted)
    _, supplier = await member(session)
    broker = await create_user(session, platform_roles=["broker"])
    loner = await create_user(session)
    need_id = str(need.id)
    url = f"{API}/{need_id}"
    allowed = [auth_headers(supplier), auth_headers(broker), auth_headers(await moderator(session))]
    refused = [{}, auth_headers(loner)]

    for headers in refused:
        assert (await client.get(url, headers=headers)).status_code == 404
        ids = [i["id"] for i in (await client.get(API, headers=headers)).json()["items"]]
        assert need_id not in ids
    for headers in allowed:
        assert (await client.get(url, headers=headers)).status_code == 200
        ids = [i["id"] for i in (await client.get(API, headers=headers)).json()["items"]]
        assert need_id in ids


async def test_drafts_are_for_the_poster_and_staff(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    draft = await create_need(session, company, status=NeedStatus.draft)
    published = await create_need(session, company)
    _, outsider = await member(session, OrganisationKind.enterprise)
    draft_url, published_url = f"{API}/{draft.id}", f"{API}/{published.id}"
    own, other = auth_headers(poster), auth_headers(outsider)

    assert (await client.get(draft_url)).status_code == 404
    assert (await client.get(draft_url, headers=other)).status_code == 404
    assert (await client.patch(draft_url, json={"title_vi": "X"}, headers=other)).status_code == 404
    assert (
        await client.patch(published_url, json={"title_vi": "X"}, headers=other)
    ).status_code == 403
    assert (await client.get(draft_url, headers=own)).status_code == 200
    mine = (await client.get(API, params={"mine": "true"}, headers=own)).json()["items"]
    assert {i["id"] for i in mine} == {str(draft.id), str(published.id)}


# --- fulfil, expire, delete, archive ------------------------------------------------------------


async def test_fulfil_from_published_only_by_the_poster(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    need = await create_need(session, company)
    draft = await create_need(session, company, status=NeedStatus.draft)
    _, outsider = await member(session, OrganisationKind.enterprise)
    need_id, draft_id = need.id, draft.id
    own = auth_headers(poster)

    assert (
        await client.post(f"{API}/{need_id}/fulfil", headers=auth_headers(outsider))
    ).status_code == 403
    assert (await client.post(f"{API}/{draft_id}/fulfil", headers=own)).status_code == 409
    fulfilled = await client.post(f"{API}/{need_id}/fulfil", headers=own)
    assert fulfilled.status_code == 200
    assert fulfilled.json()["status"] == "fulfilled"
    assert fulfilled.json()["fulfilled_at"] is not None
    await session.refresh(need)
    assert need.status == NeedStatus.fulfilled
    assert (await client.get(f"{API}/{need_id}")).status_code == 404  # off the public board
    edit = await client.patch(f"{API}/{need_id}", json={"title_vi": "Z"}, headers=own)
    assert edit.status_code == 409


async def test_a_published_need_past_its_deadline_reads_as_expired(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    overdue = await create_need(
        session, company, desired_outcome="Sấy giữ màu", deadline=vn_today() - timedelta(days=1)
    )
    current = await create_need(session, company, deadline=vn_today())
    overdue_id, current_id, company_id = str(overdue.id), str(current.id), str(company.id)
    overdue_url = f"{API}/{overdue_id}"
    own, staff = auth_headers(poster), auth_headers(await moderator(session))

    assert (await client.get(overdue_url)).status_code == 404
    assert (await client.get(f"{API}/{current_id}")).json()["status"] == "published"
    assert (await client.get(overdue_url, headers=own)).json()["status"] == "expired"
    expired = await client.get(
        API, params={"status": "expired", "organisation_id": company_id}, headers=staff
    )
    assert [i["id"] for i in expired.json()["items"]] == [overdue_id]
    live = await client.get(API, params={"status": "published", "organisation_id": company_id})
    assert [i["id"] for i in live.json()["items"]] == [current_id]

    renewed = await client.patch(
        overdue_url, json={"deadline": str(vn_today() + timedelta(days=30))}, headers=own
    )
    assert renewed.status_code == 200
    assert renewed.json()["status"] == "expired"
    resubmitted = await client.post(f"{overdue_url}/submit", headers=own)
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "submitted"


async def test_submitting_with_a_past_deadline_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    need = await create_need(
        session, company, status=NeedStatus.draft, desired_outcome="Kết quả",
        deadline=vn_today() - timedelta(days=2),
    )  # fmt: skip
    response = await client.post(f"{API}/{need.id}/submit", headers=auth_headers(poster))
    assert response.status_code == 422
    assert error_fields(response.json()) == {"deadline"}


async def test_delete_drafts_archive_the_rest(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, poster = await member(session, OrganisationKind.enterprise)
    draft_id = (await create_need(session, company, status=NeedStatus.draft)).id
    published_id = (await create_need(session, company)).id
    own = auth_headers(poster)
    assert (await client.delete(f"{API}/{draft_id}", headers=own)).status_code == 204
    assert await session.get(Need, draft_id) is None
    assert (await client.delete(f"{API}/{published_id}", headers=own)).status_code == 409
    archived = await client.post(f"{API}/{published_id}/archive", headers=own)
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert (await client.post(f"{API}/{published_id}/archive", headers=own)).status_code == 409


# --- filters ----------------------------------------------------------------------------------


async def test_filters_return_exactly_the_matching_needs(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    company = await create_organisation(session, kind=OrganisationKind.enterprise)
    today = vn_today()
    food = await create_need(
        session, company, sectors=["food_processing"], min_trl=6, region="hcm",
        budget_min_vnd=100, budget_max_vnd=500, deadline=today + timedelta(days=10),
    )  # fmt: skip
    ai = await create_need(
        session, company, sectors=["ai", "electronics_it"], min_trl=3, region="can_tho",
        budget_min_vnd=1_000, deadline=today + timedelta(days=60),
    )  # fmt: skip
    open_ended = await create_need(session, company, sectors=["mechanical"], min_trl=8)
    await create_need(session, company, status=NeedStatus.draft, sectors=["ai"], min_trl=3)

    async def ids(**params: object) -> set[str]:
        response = await client.get(API, params={"organisation_id": str(company.id), **params})
        assert response.status_code == 200, response.text
        return {i["id"] for i in response.json()["items"]}

    assert await ids(sector="ai") == {str(ai.id)}
    assert await ids(sector=["mechanical", "food_processing"]) == {str(open_ended.id), str(food.id)}
    assert await ids(trl_min=5) == {str(food.id), str(open_ended.id)}
    assert await ids(trl_min=4, trl_max=7) == {str(food.id)}
    assert await ids(budget_min=600) == {str(ai.id)}
    assert await ids(budget_max=200) == {str(food.id)}
    assert await ids(budget_min=400, budget_max=2_000) == {str(food.id), str(ai.id)}
    assert await ids(region="can_tho") == {str(ai.id)}
    assert await ids(deadline_before=str(today + timedelta(days=30))) == {str(food.id)}
    assert await ids(deadline_after=str(today + timedelta(days=30))) == {str(ai.id)}


async def test_needs_of_several_memberships_require_organisation(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, poster = await member(session, OrganisationKind.enterprise)
    second = await create_organisation(session, kind=OrganisationKind.enterprise)
    session.add(Membership(user_id=poster.id, organisation_id=second.id, role=OrgRole.owner))
    await session.flush()
    response = await client.post(API, json={"title_vi": "Nhu cầu"}, headers=auth_headers(poster))
    assert response.status_code == 422
    assert error_fields(response.json()) == {"organisation_id"}
