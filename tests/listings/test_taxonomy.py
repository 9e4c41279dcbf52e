"""Vocabularies: the seeded data, code checks, public read API, operator-admin edits."""

import unicodedata

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import PlatformRole
from app.core.audit import AuditEntry
from app.listings import taxonomy
from app.listings.models import (
    EquipmentCondition,
    IPStatus,
    ListingKind,
    ListingStatus,
    PyramidTier,
    VocabularyTerm,
)
from app.needs.models import NeedStatus, NeedVisibility
from tests.factories import create_organisation, create_user

AGREED_SECTORS = {
    "mechanical", "electronics_it", "chem_pharma_rubber_plastics", "food_processing", "ai",
    "semiconductors", "biotechnology", "new_materials", "renewable_energy",
    "digital_green_transition", "other",
}  # fmt: skip


async def _codes(session: AsyncSession, vocabulary: str) -> set[str]:
    return set(await taxonomy.labels(session, vocabulary))


# --- seeded data -------------------------------------------------------------------------------


async def test_seeded_codes_match_the_agreed_lists_and_the_model_enums(
    session: AsyncSession,
) -> None:
    assert await _codes(session, "sector") == AGREED_SECTORS
    assert await _codes(session, "vsic_section") == {chr(c) for c in range(ord("A"), ord("U") + 1)}
    assert await _codes(session, "trl") == {str(n) for n in range(1, 10)}
    assert await _codes(session, "source_exchange") == {
        "hcm",
        "brvt",
        "binh_duong",
        "national",
        "other",
    }
    for vocabulary, enum in [
        ("listing_kind", ListingKind), ("pyramid_tier", PyramidTier),
        ("listing_status", ListingStatus), ("need_status", NeedStatus),
        ("need_visibility", NeedVisibility), ("ip_status", IPStatus),
        ("equipment_condition", EquipmentCondition),
    ]:  # fmt: skip
        assert await _codes(session, vocabulary) == {m.value for m in enum}, vocabulary
    groups = await _codes(session, "strategic_tech_group")
    assert groups == {f"stg{n:02d}" for n in range(1, 12)}


async def test_seeded_labels_are_nfc_and_sector_priority_is_marked(session: AsyncSession) -> None:
    terms = await taxonomy.list_terms(session, include_inactive=True)
    for t in terms:
        assert unicodedata.normalize("NFC", t.label_vi) == t.label_vi, t.code
        assert t.label_en
    sectors = {t.code: t for t in terms if t.vocabulary == "sector"}
    priority = {code for code, t in sectors.items() if t.extra["priority"]}
    assert priority == {
        "mechanical",
        "electronics_it",
        "chem_pharma_rubber_plastics",
        "food_processing",
    }
    kinds = {t.code: t.extra["tier"] for t in terms if t.vocabulary == "listing_kind"}
    assert kinds["ip_right"] == "apex"
    assert sectors["food_processing"].id == taxonomy.term_id("sector", "food_processing")


# --- check_codes / labels ----------------------------------------------------------------------


async def test_check_codes_accepts_known_codes(session: AsyncSession) -> None:
    assert await taxonomy.check_codes(session, "sector", ["ai", "mechanical", None], ["body"]) == []
    assert await taxonomy.check_codes(session, "sector", [], ["body", "sectors"]) == []


async def test_check_codes_names_each_unknown_code_and_the_allowed_ones(
    session: AsyncSession,
) -> None:
    errors = await taxonomy.check_codes(
        session, "sector", ["ai", "space", "cooking", "space"], ["body", "sectors"]
    )
    assert [e["loc"] for e in errors] == [["body", "sectors"], ["body", "sectors"]]
    assert [e["type"] for e in errors] == ["unknown_code", "unknown_code"]
    assert "'space'" in errors[0]["msg"]
    assert "'cooking'" in errors[1]["msg"]
    assert "food_processing" in errors[0]["msg"]  # small vocabulary: allowed codes listed


async def test_check_codes_rejects_a_retired_code(session: AsyncSession) -> None:
    term = await taxonomy.get_term(session, "region", "other")
    term.active = False
    await session.flush()
    errors = await taxonomy.check_codes(session, "region", ["hcm", "other"], ["body", "region"])
    assert [e["type"] for e in errors] == ["inactive_code"]
    # …but its label stays readable for records that already use it.
    assert (await taxonomy.labels(session, "region"))["other"][1] == "Other province"


async def test_labels_give_vietnamese_and_english(session: AsyncSession) -> None:
    labels = await taxonomy.labels(session, "ip_right_type")
    assert labels["utility_solution"][0].startswith("Giải pháp hữu ích")
    assert labels["invention_patent"][1] == "Invention patent"


# --- public read API ---------------------------------------------------------------------------


async def test_list_groups_every_vocabulary_and_is_cacheable(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/taxonomy")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    body = response.json()
    assert {"sector", "trl", "vsic_section", "strategic_tech_group"} <= set(body)
    trl = body["trl"]
    assert [t["code"] for t in trl] == [str(n) for n in range(1, 10)]
    assert trl[0]["label_vi"] == "TRL 1 – Nguyên lý cơ bản đã được quan sát"
    food = next(t for t in body["sector"] if t["code"] == "food_processing")
    assert food["extra"]["priority"] is True


async def test_list_filters_one_vocabulary(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/taxonomy", params={"vocabulary": "price_type"})
    assert response.status_code == 200
    assert list(response.json()) == ["price_type"]


async def test_get_one_vocabulary(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/taxonomy/source_exchange")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    hcm = response.json()[0]
    assert (hcm["code"], hcm["label_vi"]) == ("hcm", "Sàn giao dịch công nghệ TP.HCM")


async def test_get_unknown_vocabulary_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/taxonomy/horoscope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_retired_terms_are_hidden_unless_asked_for(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    (await taxonomy.get_term(session, "price_type", "firm")).active = False
    await session.flush()
    visible = (await client.get("/api/v1/taxonomy/price_type")).json()
    assert "firm" not in {t["code"] for t in visible}
    every = await client.get("/api/v1/taxonomy/price_type", params={"include_inactive": True})
    assert {"code": "firm", "active": False}.items() <= next(
        t for t in every.json() if t["code"] == "firm"
    ).items()


# --- operator-admin edits ----------------------------------------------------------------------


async def _admin(session: AsyncSession):  # type: ignore[no-untyped-def]
    operator = await create_organisation(session, kind="operator", name_vi="Trung tâm vận hành")
    admin = await create_user(session, operator, platform_roles=[PlatformRole.operator_admin.value])
    # A failed request rolls the test session back to its last commit; keep the admin.
    await session.commit()
    return admin


async def _audit(session: AsyncSession, action: str) -> list[AuditEntry]:
    rows = await session.scalars(select(AuditEntry).where(AuditEntry.action == action))
    return list(rows)


async def test_admin_adds_a_term_with_an_audit_row(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    admin = await _admin(session)
    payload = {
        "code": "stg12",
        "label_vi": "Công nghệ thử nghiệm",  # NFD input must be stored NFC
        "label_en": "Trial technology",
        "extra": {"version": "2026"},
    }
    response = await client.post(
        "/api/v1/taxonomy/strategic_tech_group", json=payload, headers=auth_headers(admin)
    )
    assert response.status_code == 201, response.text
    assert (response.json()["code"], response.json()["active"]) == ("stg12", True)
    term = await taxonomy.get_term(session, "strategic_tech_group", "stg12")
    assert term.label_vi == unicodedata.normalize("NFC", payload["label_vi"])
    assert term.id == taxonomy.term_id("strategic_tech_group", "stg12")
    [entry] = await _audit(session, "taxonomy.term_create")
    assert (entry.actor_user_id, entry.object_id) == (admin.id, str(term.id))
    assert entry.changes["code"] == [None, "stg12"]


async def test_adding_an_existing_code_is_409(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    admin = await _admin(session)
    payload = {"code": "ai", "label_vi": "AI", "label_en": "AI"}
    response = await client.post(
        "/api/v1/taxonomy/sector", json=payload, headers=auth_headers(admin)
    )
    assert response.status_code == 409


async def test_adding_to_an_unknown_vocabulary_or_with_a_bad_parent_fails(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    headers = auth_headers(await _admin(session))
    payload = {"code": "x1", "label_vi": "X", "label_en": "X"}
    response = await client.post("/api/v1/taxonomy/horoscope", json=payload, headers=headers)
    assert response.status_code == 404
    response = await client.post(
        "/api/v1/taxonomy/sector", json={**payload, "parent_code": "nope"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "parent_code"]
    assert await _codes(session, "sector") == AGREED_SECTORS


async def test_admin_relabels_and_retires_a_term(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    admin = await _admin(session)
    response = await client.patch(
        "/api/v1/taxonomy/region/other",
        json={"label_en": "Another province", "active": False, "sort_order": 999},
        headers=auth_headers(admin),
    )
    assert response.status_code == 200, response.text
    assert response.json()["label_en"] == "Another province"
    term = await taxonomy.get_term(session, "region", "other")
    assert (term.active, term.sort_order) == (False, 999)
    [entry] = await _audit(session, "taxonomy.term_update")
    assert entry.changes["active"] == [True, False]
    assert entry.changes["label_en"] == ["Other province", "Another province"]


async def test_patch_validation(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    headers = auth_headers(await _admin(session))
    missing = await client.patch("/api/v1/taxonomy/region/atlantis", json={}, headers=headers)
    assert missing.status_code == 404
    nulled = await client.patch(
        "/api/v1/taxonomy/region/hcm", json={"label_vi": None}, headers=headers
    )
    assert nulled.status_code == 422
    assert (await taxonomy.get_term(session, "region", "hcm")).label_vi == "TP. Hồ Chí Minh"


async def test_non_admins_may_not_edit(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    moderator = await create_user(session, platform_roles=[PlatformRole.moderator.value])
    member = await create_user(session, await create_organisation(session))
    await session.commit()  # the 403s roll the session back to here
    for headers in [auth_headers(moderator), auth_headers(member)]:
        response = await client.patch(
            "/api/v1/taxonomy/sector/ai", json={"label_en": "AI"}, headers=headers
        )
        assert response.status_code == 403
        response = await client.post(
            "/api/v1/taxonomy/sector",
            json={"code": "space", "label_vi": "Vũ trụ", "label_en": "Space"},
            headers=headers,
        )
        assert response.status_code == 403
    assert (await taxonomy.get_term(session, "sector", "ai")).label_en == "Artificial intelligence"
    assert await _audit(session, "taxonomy.term_update") == []


async def test_anonymous_may_not_edit(client: httpx.AsyncClient, session: AsyncSession) -> None:
    response = await client.patch("/api/v1/taxonomy/sector/ai", json={"label_en": "AI"})
    assert response.status_code == 401
    response = await client.post(
        "/api/v1/taxonomy/sector", json={"code": "space", "label_vi": "V", "label_en": "S"}
    )
    assert response.status_code == 401
    assert (
        await session.scalar(select(VocabularyTerm).where(VocabularyTerm.code == "space")) is None
    )
