"""Listings over HTTP: create, read, edit, submit, delete, archive, the catalogue, filters."""

import unicodedata
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrganisationKind, OrgRole
from app.core.config import Settings
from app.core.db import utcnow
from app.ip.models import IPRight, IPRightStatus
from app.listings.models import Listing, ListingKind, ListingStatus
from tests.factories import create_listing, create_organisation, create_user
from tests.listings.helpers import (
    TECHNOLOGY_COMPLETION,
    audit_actions,
    error_fields,
    member,
    moderator,
    partner_client_headers,
)

API = "/api/v1/listings"


async def test_issue_flow_draft_submit_publish_and_confidential_detail(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, author = await member(session)
    owner = auth_headers(author)

    created = await client.post(
        API, json={"kind": "technology", "title_vi": "Công nghệ sấy lạnh trái cây"}, headers=owner
    )
    assert created.status_code == 201, created.text
    listing = created.json()
    assert (listing["status"], listing["tier"], listing["trl"]) == ("draft", "upper", None)
    assert listing["organisation_id"] == str(institute.id)

    incomplete = await client.post(f"{API}/{listing['id']}/submit", headers=owner)
    assert incomplete.status_code == 422
    assert error_fields(incomplete.json()) == {
        "trl", "ip_status", "summary_vi", "sectors", "technical_description", "process_summary",
    }  # fmt: skip
    assert all(e["loc"][0] == "body" for e in incomplete.json()["errors"])

    completed = await client.patch(
        f"{API}/{listing['id']}", json=TECHNOLOGY_COMPLETION, headers=owner
    )
    assert completed.status_code == 200, completed.text
    submitted = await client.post(f"{API}/{listing['id']}/submit", headers=owner)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    staff = auth_headers(await moderator(session))
    published = await client.post(f"{API}/{listing['id']}/publish", headers=staff)
    assert published.status_code == 200, published.text
    row = await session.get(Listing, listing["id"])
    assert row is not None
    assert row.status == ListingStatus.published
    assert row.published_at

    catalogue = await client.get(API)
    assert catalogue.status_code == 200
    assert listing["id"] in [item["id"] for item in catalogue.json()["items"]]
    assert "process_summary" not in catalogue.text
    assert "confidential_detail" not in catalogue.text
    public = await client.get(f"{API}/{listing['id']}")
    assert public.status_code == 200
    assert public.json()["detail"] is None
    assert "process_summary" not in public.text
    assert public.json()["pending_changes"] is None

    own = await client.get(f"{API}/{listing['id']}", headers=owner)
    assert own.json()["detail"]["process_summary"] == TECHNOLOGY_COMPLETION["process_summary"]

    _, competitor = await member(session, OrganisationKind.enterprise)
    foreign_edit = await client.patch(
        f"{API}/{listing['id']}", json={"title_vi": "Chiếm quyền"}, headers=auth_headers(competitor)
    )
    assert foreign_edit.status_code == 403
    await session.refresh(row)
    assert row.title_vi == "Công nghệ sấy lạnh trái cây"


async def test_another_organisations_draft_is_not_found(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    url = f"{API}/{(await create_listing(session, status=ListingStatus.draft)).id}"
    _, outsider = await member(session, OrganisationKind.enterprise)
    headers = auth_headers(outsider)
    assert (await client.get(url, headers=headers)).status_code == 404
    assert (await client.patch(url, json={"title_vi": "X"}, headers=headers)).status_code == 404
    assert (await client.post(f"{url}/submit", headers=headers)).status_code == 404
    assert (await client.delete(url, headers=headers)).status_code == 404
    assert (await client.get(url)).status_code == 404


async def test_create_requires_kind_and_title(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    response = await client.post(API, json={}, headers=auth_headers(user))
    assert response.status_code == 422
    assert {"kind", "title_vi"} <= error_fields(response.json())


async def test_create_refuses_tier_and_other_unknown_fields(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    response = await client.post(
        API,
        json={"kind": "equipment", "title_vi": "Máy ép", "tier": "apex", "status": "published"},
        headers=auth_headers(user),
    )
    assert response.status_code == 422
    assert {"tier", "status"} <= error_fields(response.json())
    assert (
        await session.scalars(select(Listing).where(Listing.title_vi == "Máy ép"))
    ).first() is None


@pytest.mark.parametrize(
    ("kind", "tier"),
    [
        ("equipment", "base"),
        ("research_result", "middle"),
        ("st_service", "middle"),
        ("technology", "upper"),
        ("ip_right", "apex"),
    ],
)
async def test_tier_is_derived_from_kind(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers, kind: str, tier: str
) -> None:
    _, user = await member(session)
    response = await client.post(
        API, json={"kind": kind, "title_vi": "Tin thử"}, headers=auth_headers(user)
    )
    assert response.status_code == 201
    assert response.json()["tier"] == tier
    row = await session.get(Listing, response.json()["id"])
    assert row is not None
    assert row.tier == tier


async def test_text_is_stored_nfc(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    decomposed = unicodedata.normalize("NFD", "  Công nghệ xử lý nước thải  ")
    response = await client.post(
        API, json={"kind": "technology", "title_vi": decomposed}, headers=auth_headers(user)
    )
    assert response.status_code == 201
    row = await session.get(Listing, response.json()["id"])
    assert row is not None
    assert row.title_vi == unicodedata.normalize("NFC", "Công nghệ xử lý nước thải")


async def test_blank_title_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    response = await client.post(
        API, json={"kind": "technology", "title_vi": "   "}, headers=auth_headers(user)
    )
    assert response.status_code == 422
    assert error_fields(response.json()) == {"title_vi"}


async def test_unknown_vocabulary_codes_are_refused_all_at_once(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    headers = auth_headers(user)
    response = await client.post(
        API,
        json={
            "kind": "technology",
            "title_vi": "Công nghệ",
            "sectors": ["food_processing", "space_mining"],
            "region": "atlantis",
            "price_type": "cheap",
            "transfer_forms": ["licence_exclusive"],
        },
        headers=headers,
    )
    assert response.status_code == 422
    assert error_fields(response.json()) == {"sectors", "region", "price_type"}
    own = await client.post(API, json={"kind": "technology", "title_vi": "Hợp lệ"}, headers=headers)
    patch = await client.patch(
        f"{API}/{own.json()['id']}", json={"vsic_sections": ["Z"]}, headers=headers
    )
    assert patch.status_code == 422
    assert error_fields(patch.json()) == {"vsic_sections"}


# --- equipment and TRL -------------------------------------------------------------------------


async def test_equipment_refuses_trl_and_never_asks_for_it(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    headers = auth_headers(user)
    with_trl = await client.post(
        API, json={"kind": "equipment", "title_vi": "Máy sấy", "trl": 5}, headers=headers
    )
    assert with_trl.status_code == 422
    assert error_fields(with_trl.json()) == {"trl"}

    created = await client.post(
        API, json={"kind": "equipment", "title_vi": "Máy sấy"}, headers=headers
    )
    assert created.status_code == 201
    listing_id = created.json()["id"]
    patched = await client.patch(f"{API}/{listing_id}", json={"target_trl": 7}, headers=headers)
    assert patched.status_code == 422
    assert error_fields(patched.json()) == {"target_trl"}

    incomplete = await client.post(f"{API}/{listing_id}/submit", headers=headers)
    assert incomplete.status_code == 422
    assert error_fields(incomplete.json()) == {
        "summary_vi", "sectors", "specifications", "condition", "quantity", "price_type",
    }  # fmt: skip

    equipment = {
        "summary_vi": "Máy sấy bơm nhiệt 500 kg/mẻ, đã qua sử dụng 2 năm.",
        "sectors": ["mechanical"],
        "specifications": "500 kg/mẻ, 380 V, 15 kW",
        "condition": "used",
        "quantity": 2,
        "price_type": "firm",
    }
    await client.patch(f"{API}/{listing_id}", json=equipment, headers=headers)
    no_amount = await client.post(f"{API}/{listing_id}/submit", headers=headers)
    assert no_amount.status_code == 422
    assert error_fields(no_amount.json()) == {"price_vnd"}

    await client.patch(f"{API}/{listing_id}", json={"price_type": "on_request"}, headers=headers)
    submitted = await client.post(f"{API}/{listing_id}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["trl"] is None


async def test_draft_turned_into_equipment_sheds_its_trl(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    draft = await create_listing(session, organisation, status=ListingStatus.draft, trl=4)
    response = await client.patch(
        f"{API}/{draft.id}", json={"kind": "equipment"}, headers=auth_headers(user)
    )
    assert response.status_code == 200, response.text
    assert (response.json()["kind"], response.json()["tier"], response.json()["trl"]) == (
        "equipment", "base", None,
    )  # fmt: skip


async def test_kind_cannot_change_after_submit(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    listing = await create_listing(session, organisation, status=ListingStatus.submitted)
    response = await client.patch(
        f"{API}/{listing.id}", json={"kind": "research_result"}, headers=auth_headers(user)
    )
    assert response.status_code == 409
    await session.refresh(listing)
    assert listing.kind == ListingKind.technology


# --- other kinds' required fields -------------------------------------------------------------


async def test_st_service_submission_names_its_fields(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    listing = await create_listing(
        session, organisation, kind="st_service", status=ListingStatus.draft, trl=None
    )
    response = await client.post(f"{API}/{listing.id}/submit", headers=auth_headers(user))
    assert response.status_code == 422
    assert error_fields(response.json()) == {
        "service_description", "provider_qualifications", "service_area",
    }  # fmt: skip


async def test_ip_right_listing_needs_a_right_and_trl_when_protecting_technology(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    headers = auth_headers(user)
    listing = await create_listing(
        session, organisation, kind="ip_right", status=ListingStatus.draft, trl=None,
        protects_technology=True,
    )  # fmt: skip
    listing_id = listing.id
    response = await client.post(f"{API}/{listing_id}/submit", headers=headers)
    assert response.status_code == 422
    assert error_fields(response.json()) == {"ip_rights", "trl"}

    session.add(
        IPRight(
            listing_id=listing_id,
            right_type="invention_patent",
            application_number="1-2023-01234",
            status=IPRightStatus.pending,
            owners=[{"name": "Viện Công nghệ", "share_pct": 100}],
        )
    )
    await session.flush()
    await client.patch(f"{API}/{listing_id}", json={"trl": 5}, headers=headers)
    response = await client.post(f"{API}/{listing_id}/submit", headers=headers)
    assert response.status_code == 200, response.text


# --- who may create ---------------------------------------------------------------------------


async def test_create_needs_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.post(API, json={"kind": "technology", "title_vi": "X"})
    assert response.status_code == 401


async def test_create_without_membership_is_forbidden(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    loner = await create_user(session)
    response = await client.post(
        API, json={"kind": "technology", "title_vi": "X"}, headers=auth_headers(loner)
    )
    assert response.status_code == 403


async def test_organisation_is_required_with_several_memberships(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    first, user = await member(session)
    second = await create_organisation(session, kind=OrganisationKind.university)
    from app.auth.models import Membership

    session.add(Membership(user_id=user.id, organisation_id=second.id, role=OrgRole.admin))
    await session.flush()
    headers, second_id = auth_headers(user), second.id
    ambiguous = await client.post(
        API, json={"kind": "technology", "title_vi": "X"}, headers=headers
    )
    assert ambiguous.status_code == 422
    assert error_fields(ambiguous.json()) == {"organisation_id"}
    chosen = await client.post(
        API,
        json={"kind": "technology", "title_vi": "X", "organisation_id": str(second_id)},
        headers=headers,
    )
    assert chosen.status_code == 201
    assert chosen.json()["organisation_id"] == str(second_id)
    stranger = await create_organisation(session)
    foreign = await client.post(
        API,
        json={"kind": "technology", "title_vi": "X", "organisation_id": str(stranger.id)},
        headers=headers,
    )
    assert foreign.status_code == 403


async def test_partner_client_creates_listings_of_its_exchange(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    organisation, headers = await partner_client_headers(
        session, settings, "brvt", ("listings:write",)
    )
    created = await client.post(
        API,
        json={
            "kind": "technology",
            "title_vi": "Công nghệ từ sàn BR-VT",
            "external_ref": "BRVT-001",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["source_exchange"] == "brvt"
    assert created.json()["organisation_id"] == str(organisation.id)

    other_exchange = await client.post(
        API,
        json={"kind": "technology", "title_vi": "X", "source_exchange": "binh_duong"},
        headers=headers,
    )
    assert other_exchange.status_code == 422
    assert error_fields(other_exchange.json()) == {"source_exchange"}
    duplicate = await client.post(
        API,
        json={"kind": "technology", "title_vi": "Y", "external_ref": "BRVT-001"},
        headers=headers,
    )
    assert duplicate.status_code == 409


async def test_partner_client_without_write_scope_is_forbidden(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    _, headers = await partner_client_headers(session, settings, "brvt", ("listings:read",))
    response = await client.post(API, json={"kind": "technology", "title_vi": "X"}, headers=headers)
    assert response.status_code == 403


# --- delete and archive -----------------------------------------------------------------------


async def test_delete_draft_but_not_published(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    headers = auth_headers(user)
    draft = await create_listing(session, organisation, status=ListingStatus.draft)
    published = await create_listing(session, organisation)
    draft_id = draft.id

    assert (await client.delete(f"{API}/{draft_id}", headers=headers)).status_code == 204
    session.expunge(draft)
    assert await session.scalar(select(Listing.id).where(Listing.id == draft_id)) is None
    assert ("listing.delete", user.id) in await audit_actions(session, draft_id)

    refused = await client.delete(f"{API}/{published.id}", headers=headers)
    assert refused.status_code == 409
    assert "archive" in refused.json()["detail"].lower()


async def test_archive_by_owner_and_staff(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    mine = str((await create_listing(session, organisation)).id)
    other = str((await create_listing(session)).id)
    owner, staff = auth_headers(user), auth_headers(await moderator(session))
    archived = await client.post(f"{API}/{mine}/archive", headers=owner)
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert archived.json()["archived_at"] is not None
    again = await client.post(f"{API}/{mine}/archive", headers=owner)
    assert again.status_code == 409
    not_mine = await client.post(f"{API}/{other}/archive", headers=owner)
    assert not_mine.status_code == 403
    by_staff = await client.post(f"{API}/{other}/archive", headers=staff)
    assert by_staff.status_code == 200
    public_ids = [i["id"] for i in (await client.get(API)).json()["items"]]
    assert mine not in public_ids
    assert other not in public_ids
    edit = await client.patch(f"{API}/{mine}", json={"title_vi": "Z"}, headers=owner)
    assert edit.status_code == 409


# --- the catalogue ----------------------------------------------------------------------------


async def test_catalogue_scopes_by_reader(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    draft = await create_listing(session, organisation, status=ListingStatus.draft)
    published = await create_listing(session, organisation)
    foreign_draft = await create_listing(session, status=ListingStatus.draft)

    def ids(response: httpx.Response) -> set[str]:
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    headers = auth_headers(user)
    public = ids(await client.get(API))
    assert str(published.id) in public
    assert str(draft.id) not in public
    assert str(draft.id) not in ids(await client.get(API, headers=headers))
    assert ids(await client.get(API, params={"mine": "true"}, headers=headers)) == {
        str(draft.id), str(published.id),
    }  # fmt: skip
    by_org = ids(
        await client.get(API, params={"organisation_id": str(organisation.id)}, headers=headers)
    )
    assert by_org == {str(draft.id), str(published.id)}
    anonymous_by_org = ids(await client.get(API, params={"organisation_id": str(organisation.id)}))
    assert anonymous_by_org == {str(published.id)}
    assert ids(await client.get(API, params={"mine": "true"})) == set()
    staff = ids(await client.get(API, headers=auth_headers(await moderator(session))))
    assert {str(draft.id), str(foreign_draft.id), str(published.id)} <= staff


async def test_filters_return_exactly_the_matching_listings(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    org = await create_organisation(session)
    tech4 = await create_listing(session, org, trl=4, sectors=["ai"], price_vnd=100_000_000)
    tech7 = await create_listing(
        session, org, trl=7, sectors=["food_processing", "biotechnology"], price_vnd=900_000_000
    )
    research = await create_listing(session, org, kind="research_result", trl=3, sectors=["ai"])
    equipment = await create_listing(
        session,
        org,
        kind="equipment",
        sectors=["mechanical"],
        price_type="firm",
        price_vnd=50_000_000,
    )
    await create_listing(session, org, status=ListingStatus.draft, trl=5, sectors=["ai"])

    async def ids(**params: object) -> set[str]:
        response = await client.get(API, params={"organisation_id": str(org.id), **params})
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await ids(kind="equipment") == {str(equipment.id)}
    assert await ids(tier="upper") == {str(tech4.id), str(tech7.id)}
    assert await ids(tier="middle") == {str(research.id)}
    assert await ids(trl_min=4, trl_max=6) == {str(tech4.id)}
    assert await ids(trl_min=5) == {str(tech7.id)}
    assert await ids(sector="ai") == {str(tech4.id), str(research.id)}
    assert await ids(sector=["mechanical", "biotechnology"]) == {str(equipment.id), str(tech7.id)}
    assert await ids(price_min=60_000_000, price_max=500_000_000) == {str(tech4.id)}
    assert await ids(price_max=100_000_000) == {str(tech4.id), str(equipment.id)}
    assert await ids(kind="technology", sector="ai", trl_max=5) == {str(tech4.id)}


async def test_stale_flag_and_filter(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    org = await create_organisation(session)
    old = await create_listing(
        session, org, content_updated_at=utcnow() - timedelta(days=settings.stale_after_days + 1)
    )
    fresh = await create_listing(session, org)
    response = await client.get(API, params={"organisation_id": str(org.id)})
    flags = {item["id"]: item["is_stale"] for item in response.json()["items"]}
    assert flags == {str(old.id): True, str(fresh.id): False}
    stale = await client.get(API, params={"organisation_id": str(org.id), "stale": "true"})
    assert [i["id"] for i in stale.json()["items"]] == [str(old.id)]
    not_stale = await client.get(API, params={"organisation_id": str(org.id), "stale": "false"})
    assert [i["id"] for i in not_stale.json()["items"]] == [str(fresh.id)]


async def test_owner_edit_refreshes_content_date(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    listing = await create_listing(
        session, organisation, content_updated_at=utcnow() - timedelta(days=400)
    )
    response = await client.patch(
        f"{API}/{listing.id}", json={"keywords": ["sấy lạnh"]}, headers=auth_headers(user)
    )
    assert response.status_code == 200
    assert response.json()["is_stale"] is False
    await session.refresh(listing)
    assert listing.content_updated_at > utcnow() - timedelta(minutes=1)


async def test_sorting_and_pagination(client: httpx.AsyncClient, session: AsyncSession) -> None:
    org = await create_organisation(session)
    for trl in (3, 8, 5):
        await create_listing(session, org, trl=trl)
    response = await client.get(
        API, params={"organisation_id": str(org.id), "sorting": "-trl", "limit": 2}
    )
    body = response.json()
    assert [i["trl"] for i in body["items"]] == [8, 5]
    assert body["pagination"] == {"total_count": 3, "max_page": 2}
    unknown = await client.get(API, params={"sorting": "secret"})
    assert unknown.status_code == 422


async def test_update_external_ref_conflict(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    organisation, user = await member(session)
    await create_listing(session, organisation, external_ref="HCM-7")
    draft = await create_listing(session, organisation, status=ListingStatus.draft)
    response = await client.patch(
        f"{API}/{draft.id}", json={"external_ref": "HCM-7"}, headers=auth_headers(user)
    )
    assert response.status_code == 409


async def test_every_write_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, user = await member(session)
    headers = auth_headers(user)
    created = await client.post(
        API, json={"kind": "technology", "title_vi": "Tin"}, headers=headers
    )
    listing_id = created.json()["id"]
    await client.patch(f"{API}/{listing_id}", json=TECHNOLOGY_COMPLETION, headers=headers)
    await client.post(f"{API}/{listing_id}/submit", headers=headers)
    actions = await audit_actions(session, listing_id)
    assert [a for a, _ in actions] == ["listing.create", "listing.update", "listing.submit"]
    assert {actor for _, actor in actions} == {user.id}
    from app.core.audit import AuditEntry

    update = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_id == listing_id, AuditEntry.action == "listing.update"
        )
    )
    assert update is not None
    assert update.changes["trl"] == [None, 6]
