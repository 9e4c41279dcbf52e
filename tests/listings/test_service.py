"""Listing rules without HTTP: required fields per kind, pending changes, IP summary refresh."""

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrgRole, PlatformRole
from app.auth.principal import Principal
from app.auth.scopes import USER_SCOPES
from app.core.config import Settings
from app.listings import moderation, service
from app.listings.exceptions import ListingIncomplete, ListingInvalid, ListingTransitionNotAllowed
from app.listings.models import IPDeclaration, IPStatus, ListingKind, ListingStatus
from app.listings.schemas import ListingCreate, ListingUpdate
from tests.factories import create_listing, create_organisation, create_user


def _missing(state: dict[str, Any], rights: int | None = None) -> set[str]:
    return {e["loc"][-1] for e in service.missing_fields(state, rights)}


def _complete(kind: str, **overrides: Any) -> dict[str, Any]:
    state: dict[str, Any] = {
        "kind": kind,
        "title_vi": "Tin",
        "summary_vi": "Tóm tắt",
        "sectors": ["ai"],
        "technical_description": "Mô tả",
        "process_summary": "Quy trình",
        "trl": 5,
        "ip_declaration": "none",
        "specifications": "Thông số",
        "condition": "new",
        "quantity": 1,
        "price_type": "on_request",
        "service_description": "Dịch vụ",
        "provider_qualifications": "Năng lực",
        "service_area": "TP.HCM",
    }
    state.update(overrides)
    return state


@pytest.mark.parametrize("kind", [k.value for k in ListingKind])
def test_complete_listings_have_no_gaps(kind: str) -> None:
    assert _missing(_complete(kind), rights=1) == set()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("technology", {"technical_description", "process_summary", "trl", "ip_status"}),
        ("research_result", {"technical_description", "process_summary", "trl", "ip_status"}),
        ("equipment", {"specifications", "condition", "quantity", "price_type"}),
        ("st_service", {"service_description", "provider_qualifications", "service_area"}),
        ("ip_right", set()),
    ],
)
def test_required_fields_by_kind(kind: str, expected: set[str]) -> None:
    empty = {"kind": kind, "title_vi": "Tin", "sectors": [], "summary_vi": ""}
    assert _missing(empty) == {"summary_vi", "sectors"} | expected


def test_equipment_is_never_asked_for_trl() -> None:
    assert "trl" not in _missing({"kind": "equipment"})


def test_an_amount_is_required_unless_the_price_is_on_request_or_negotiable() -> None:
    for price_type in ("indicative", "floor", "firm"):
        assert _missing(_complete("technology", price_type=price_type, price_vnd=None)) == {
            "price_vnd"
        }
    for price_type in ("on_request", "negotiable"):
        assert _missing(_complete("equipment", price_type=price_type, price_vnd=None)) == set()


def test_ip_right_needs_a_right_and_trl_only_when_protecting_technology() -> None:
    state = _complete("ip_right", trl=None)
    assert _missing(state, rights=0) == {"ip_rights"}
    assert _missing({**state, "protects_technology": True}, rights=0) == {"ip_rights", "trl"}
    assert _missing(state, rights=None) == set()  # rights not counted: not reported


# --- with the database ------------------------------------------------------------------------


async def _owner(session: AsyncSession) -> tuple[Principal, Organisation]:
    organisation = await create_organisation(session)
    user = await create_user(session, organisation)
    principal = Principal(
        user_id=user.id,
        label=user.email,
        memberships={organisation.id: OrgRole.member},
        scopes=USER_SCOPES,
    )
    return principal, organisation


async def _moderator(session: AsyncSession) -> Principal:
    user = await create_user(session, platform_roles=[PlatformRole.moderator.value])
    return Principal(
        user_id=user.id, label=user.email, platform_roles=frozenset({PlatformRole.moderator})
    )


async def test_create_derives_tier_and_refreshes_ip_status(session: AsyncSession) -> None:
    owner, organisation = await _owner(session)
    listing = await service.create_listing(
        session,
        owner,
        ListingCreate(
            kind=ListingKind.research_result, title_vi="Kết quả", ip_declaration="secret_know_how"
        ),
    )
    assert listing.tier == "middle"
    assert listing.status == ListingStatus.draft
    assert listing.ip_status == IPStatus.secret_know_how
    assert listing.source_exchange == "hcm"
    assert listing.organisation_id == organisation.id
    assert listing.created_by_id == owner.user_id


async def test_create_collects_every_input_error(session: AsyncSession) -> None:
    owner, _ = await _owner(session)
    data = ListingCreate(
        kind=ListingKind.equipment, title_vi="Máy", trl=3, target_trl=4, region="mars"
    )
    with pytest.raises(ListingInvalid) as caught:
        await service.create_listing(session, owner, data)
    assert {e["loc"][-1] for e in caught.value.errors or []} == {"trl", "target_trl", "region"}


async def test_pending_ip_declaration_is_applied_and_summarised_on_publish(
    session: AsyncSession, settings: Settings
) -> None:
    owner, organisation = await _owner(session)
    listing = await create_listing(
        session, organisation, ip_declaration=IPDeclaration.none, ip_status=IPStatus.none
    )
    await service.update_listing(
        session, owner, listing, ListingUpdate(ip_declaration=IPDeclaration.secret_know_how)
    )
    assert listing.ip_declaration == IPDeclaration.none
    assert listing.ip_status == IPStatus.none
    assert listing.pending_changes == {"ip_declaration": "secret_know_how"}

    await moderation.publish_listing(session, settings, await _moderator(session), listing)
    assert listing.ip_declaration == IPDeclaration.secret_know_how
    assert listing.ip_status == IPStatus.secret_know_how
    assert listing.pending_changes is None


async def test_draft_edits_apply_directly(session: AsyncSession) -> None:
    owner, _ = await _owner(session)
    listing = await service.create_listing(
        session, owner, ListingCreate(kind=ListingKind.technology, title_vi="Tin")
    )
    await service.update_listing(session, owner, listing, ListingUpdate(trl=3, price_vnd=10))
    assert (listing.trl, listing.price_vnd, listing.pending_changes) == (3, 10, None)


async def test_submit_twice_is_a_conflict(session: AsyncSession) -> None:
    owner, organisation = await _owner(session)
    listing = await create_listing(session, organisation, status=ListingStatus.submitted)
    with pytest.raises(ListingTransitionNotAllowed):
        await service.submit_listing(session, owner, listing)


async def test_submit_reports_retired_vocabulary_codes(session: AsyncSession) -> None:
    owner, organisation = await _owner(session)
    listing = await create_listing(
        session, organisation, status=ListingStatus.draft, sectors=["no_such_sector"]
    )
    with pytest.raises(ListingIncomplete) as caught:
        await service.submit_listing(session, owner, listing)
    assert [e["loc"] for e in caught.value.errors or []] == [["body", "sectors"]]
