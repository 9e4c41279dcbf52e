"""The demo data set: big enough, varied, consistent with the vocabularies and IP rules, NFC."""

import unicodedata

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrganisationKind, User
from app.auth.passwords import verify_password
from app.ip import service as ip_service
from app.listings.models import TECHNOLOGY_KINDS, Listing, ListingKind, ListingStatus
from app.listings.taxonomy import check_codes, labels
from app.needs.models import Need, NeedStatus, NeedVisibility
from app.seed import demo

Seeded = tuple[AsyncSession, demo.SeedReport]

TEXT_COLUMNS = {
    Listing: ("title_vi", "summary_vi", "technical_description", "process_summary",
              "application_fields", "specifications", "service_description"),
    Need: ("title_vi", "problem_statement", "desired_outcome"),
    Organisation: ("name_vi", "address", "description"),
}  # fmt: skip


async def test_the_data_set_meets_the_minimums(seeded: Seeded) -> None:
    session, report = seeded
    assert report.totals["organisations"] >= 30
    assert report.totals["listings"] >= 300
    assert report.totals["needs"] >= 80
    kinds = set(await session.scalars(select(Organisation.kind)))
    assert kinds == set(OrganisationKind)


async def test_every_kind_sector_trl_and_source_is_present(seeded: Seeded) -> None:
    session, report = seeded
    assert set(report.listings_by_kind) == {k.value for k in ListingKind}
    sectors = set(await session.scalars(select(func.unnest(Listing.sectors))))
    assert sectors == set(await labels(session, "sector"))
    trls = set(await session.scalars(select(Listing.trl).where(Listing.trl.is_not(None))))
    assert trls == set(range(1, 10))
    statuses = set(await session.scalars(select(Listing.status)))
    assert {ListingStatus.published, ListingStatus.draft, ListingStatus.rejected} <= statuses
    sources = set(await session.scalars(select(Listing.source_exchange)))
    assert {"hcm", "brvt", "binh_duong", "national"} <= sources


async def test_needs_mix_states_and_visibility(seeded: Seeded) -> None:
    session, _ = seeded
    assert set(await session.scalars(select(Need.visibility))) == set(NeedVisibility)
    assert NeedStatus.published in set(await session.scalars(select(Need.status)))
    needs = (await session.scalars(select(Need))).all()
    assert all(n.budget_min_vnd <= n.budget_max_vnd and n.min_trl for n in needs)


async def test_every_code_used_is_in_the_vocabularies(seeded: Seeded) -> None:
    session, _ = seeded
    for vocabulary, column in [
        ("sector", Listing.sectors), ("vsic_section", Listing.vsic_sections),
        ("strategic_tech_group", Listing.strategic_groups),
        ("transfer_form", Listing.transfer_forms), ("sector", Need.sectors),
        ("vsic_section", Need.vsic_sections), ("transfer_form", Need.transfer_forms),
    ]:  # fmt: skip
        used = set(await session.scalars(select(func.unnest(column))))
        assert await check_codes(session, vocabulary, used, [vocabulary]) == [], vocabulary
    for vocabulary, column in [
        ("region", Listing.region), ("price_type", Listing.price_type),
        ("source_exchange", Listing.source_exchange), ("region", Need.region),
        ("region", Organisation.region),
    ]:  # fmt: skip
        used = set(await session.scalars(select(column).where(column.is_not(None))))
        assert await check_codes(session, vocabulary, used, [vocabulary]) == [], vocabulary


async def test_equipment_never_has_a_trl_and_technologies_always_do(seeded: Seeded) -> None:
    session, _ = seeded
    equipment = (
        await session.scalars(select(Listing).where(Listing.kind == ListingKind.equipment))
    ).all()
    assert equipment
    for item in equipment:
        assert item.trl is None
        assert item.specifications
        assert item.condition is not None
        assert item.quantity
    technology = (
        await session.scalars(select(Listing).where(Listing.kind.in_(TECHNOLOGY_KINDS)))
    ).all()
    assert all(t.trl is not None and t.ip_declaration is not None for t in technology)


async def test_ip_caches_match_the_ip_rows_and_about_half_are_clear(seeded: Seeded) -> None:
    session, report = seeded
    assert 0.4 <= report.clear_dossier_share <= 0.6
    published = (
        await session.scalars(
            select(Listing).where(
                Listing.kind.in_(TECHNOLOGY_KINDS), Listing.status == ListingStatus.published
            )
        )
    ).all()
    for listing in published[:60]:  # the IP module's own rule, row by row
        state = await ip_service.dossier_state(session, listing)
        assert state.clear == listing.ip_dossier_clear, listing.title_vi
        assert listing.ip_status is not None
    for listing in (p for p in published if p.kind == ListingKind.ip_right):
        assert await ip_service.count_rights(session, listing.id) >= 1


async def test_all_text_is_nfc(seeded: Seeded) -> None:
    session, _ = seeded
    for model, columns in TEXT_COLUMNS.items():
        for row in (await session.scalars(select(model))).all():
            for column in columns:
                value = getattr(row, column)
                assert value is None or unicodedata.is_normalized("NFC", value), (column, value)
    for user in (await session.scalars(select(User))).all():
        assert unicodedata.is_normalized("NFC", user.full_name)


async def test_demo_people_sign_in_with_the_documented_password(seeded: Seeded) -> None:
    session, _ = seeded
    admin = await session.scalar(select(User).where(User.email == "admin@demo.techx.vn"))
    assert admin is not None
    assert admin.platform_roles == ["operator_admin"]
    assert verify_password(demo.DEMO_PASSWORD, admin.password_hash)
    moderator = await session.scalar(select(User).where(User.email == "kiemduyet@demo.techx.vn"))
    assert moderator is not None
    assert moderator.platform_roles == ["moderator"]
    brokers = await session.scalars(select(User).where(User.platform_roles.contains(["broker"])))
    assert len(brokers.all()) >= 2
