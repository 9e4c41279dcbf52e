"""Matching through the engine port + re-ranking (default Postgres engine, real database)."""

from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrgRole
from app.auth.principal import ANONYMOUS, Principal
from app.core.config import Settings
from app.core.db import utcnow
from app.ip.models import Valuation, ValuationMethod
from app.listings.models import IPStatus, Listing, ListingKind, ListingStatus
from app.matching import matcher
from app.matching.documents import listing_document
from app.matching.factory import get_search_engine
from app.matching.keywords import MAX_QUERY_WORDS
from app.matching.match_schemas import MatchScore
from app.matching.scoring import FactorCode
from app.matching.text_query import tokens
from app.needs.models import Need, NeedStatus, NeedVisibility
from tests.factories import create_listing, create_need
from tests.matching.fake_meilisearch import BASE_URL, FakeMeilisearch
from tests.matching.match_factories import (
    CATALOGUE,
    create_catalogue,
    enterprise,
    need_from_listing,
    supplier,
)

DRYER = "Công nghệ sấy lạnh bơm nhiệt cho xoài và thanh long xuất khẩu"
DRYER_TEXT = "Buồng sấy lạnh bơm nhiệt, nhiệt độ 40 °C, giữ màu và vitamin của xoài sấy."


async def _listing(session: AsyncSession, **kw: object) -> Listing:
    """A published technology listing whose only text is what the test gives it."""
    values: dict[str, object] = {"title_en": None, "summary_vi": None,
                                 "technical_description": None}  # fmt: skip
    values.update(kw)
    return await create_listing(session, await supplier(session), **values)


async def _need(session: AsyncSession, **kw: object) -> Need:
    values: dict[str, object] = {"problem_statement": None}
    values.update(kw)
    return await create_need(session, await enterprise(session), **values)


def _ids(matches: object) -> list[str]:
    return [str(m.listing.id) for m in matches.items]  # type: ignore[attr-defined]


def _factor(match: MatchScore, code: FactorCode) -> float:
    return next(f.value for f in match.factors if f.code == code)


async def test_need_built_from_a_listings_own_text_ranks_that_listing_first(
    session: AsyncSession, settings: Settings
) -> None:
    catalogue = await create_catalogue(session)
    assert len(catalogue) == len(CATALOGUE) >= 21
    for listing in catalogue:
        need = await need_from_listing(session, listing)

        found = await matcher.match_need(session, settings, ANONYMOUS, need, limit=5)

        assert found.items, listing.title_vi
        assert found.items[0].listing.id == listing.id, (listing.title_vi, found.query)
        assert len(tokens(found.query)) <= MAX_QUERY_WORDS
        assert all(found.items[0].score > other.score for other in found.items[1:])


async def test_minimum_trl_6_never_returns_a_trl_4_listing_unless_asked(
    session: AsyncSession, settings: Settings
) -> None:
    await create_catalogue(session)
    ready = await _listing(session, title_vi=DRYER, technical_description=DRYER_TEXT, trl=7)
    lab = await _listing(session, title_vi=DRYER, technical_description=DRYER_TEXT, trl=4)
    need = await _need(
        session, title_vi="Cần công nghệ sấy lạnh xoài giữ màu", problem_statement=DRYER_TEXT,
        min_trl=6,
    )  # fmt: skip

    strict = await matcher.match_need(session, settings, ANONYMOUS, need, limit=100)

    assert str(ready.id) in _ids(strict)
    assert str(lab.id) not in _ids(strict)
    assert all(m.listing.trl is not None and m.listing.trl >= 6 for m in strict.items)

    relaxed = await matcher.match_need(
        session, settings, ANONYMOUS, need, limit=100, include_below_min_trl=True
    )
    ids = _ids(relaxed)
    assert str(lab.id) in ids
    assert ids.index(str(ready.id)) < ids.index(str(lab.id))
    below = relaxed.items[ids.index(str(lab.id))]
    assert _factor(below, FactorCode.trl_fit) == 0.5
    trl = next(f for f in below.factors if f.code == FactorCode.trl_fit)
    assert trl.explanation_vi == "TRL 4 thấp hơn yêu cầu 6"


async def test_every_match_shows_all_eight_factors_in_both_languages(
    session: AsyncSession, settings: Settings
) -> None:
    catalogue = await create_catalogue(session)
    need = await need_from_listing(session, catalogue[0], sectors=["food_processing"], min_trl=5)

    found = await matcher.match_need(session, settings, ANONYMOUS, need)

    assert len(found.items) >= 3
    for match in found.items:
        assert [f.code for f in match.factors] == list(FactorCode)
        for factor in match.factors:
            assert 0.0 <= factor.value <= 1.0
            assert factor.weight == getattr(settings, f"match_weight_{factor.code.value}")
            assert factor.explanation_vi
            assert factor.explanation_en
        assert sum(f.contribution for f in match.factors) == pytest.approx(match.score, abs=2e-3)
        assert match.explanation_vi
        assert match.explanation_en
    top = found.items[0]
    assert top.explanation_vi.startswith("Khớp ")
    assert "cùng lĩnh vực Chế biến lương thực – thực phẩm" in top.explanation_vi


async def test_weights_from_settings_change_the_order(
    session: AsyncSession, settings: Settings
) -> None:
    near = await _listing(session, title_vi="Tủ sấy lạnh mini", region="hcm")
    far = await _listing(
        session, title_vi=DRYER, technical_description=DRYER_TEXT, region="ca_mau",
        source_exchange="brvt",
    )  # fmt: skip
    need = await _need(
        session, title_vi=DRYER, problem_statement=DRYER_TEXT, region="hcm", min_trl=None
    )

    default = await matcher.match_need(session, settings, ANONYMOUS, need)
    assert _ids(default) == [str(far.id), str(near.id)]  # far more of the text matches

    only_region = {f"match_weight_{code.value}": 0.0 for code in FactorCode}
    regional = settings.model_copy(update={**only_region, "match_weight_region": 1.0})
    by_region = await matcher.match_need(session, regional, ANONYMOUS, need)
    assert _ids(by_region) == [str(near.id), str(far.id)]
    assert [m.score for m in by_region.items] == [1.0, 0.0]


async def test_only_published_listings_of_other_organisations_match(
    session: AsyncSession, settings: Settings
) -> None:
    buyer = await enterprise(session)
    ok = await _listing(session, title_vi=DRYER)
    hidden = [
        await _listing(session, title_vi=DRYER, status=status)
        for status in (ListingStatus.draft, ListingStatus.submitted, ListingStatus.archived)
    ]
    own = await create_listing(session, buyer, title_vi=DRYER)
    need = await create_need(session, buyer, title_vi=DRYER, min_trl=None)

    ids = _ids(await matcher.match_need(session, settings, ANONYMOUS, need))

    assert ids == [str(ok.id)]
    assert not {str(h.id) for h in hidden} & set(ids)
    assert str(own.id) not in ids


async def test_equipment_matches_only_needs_without_a_minimum_trl(
    session: AsyncSession, settings: Settings
) -> None:
    dryer = await _listing(
        session, kind=ListingKind.equipment, title_vi="Máy sấy lạnh bơm nhiệt cho xoài",
        price_vnd=350_000_000,
    )  # fmt: skip
    with_minimum = await _need(session, title_vi=DRYER, min_trl=6)
    without = await _need(session, title_vi=DRYER, min_trl=None)

    strict = await matcher.match_need(session, settings, ANONYMOUS, with_minimum)
    assert str(dryer.id) not in _ids(strict)
    found = await matcher.match_need(session, settings, ANONYMOUS, without)
    assert _ids(found) == [str(dryer.id)]
    assert _factor(found.items[0], FactorCode.ip_clarity) == 0.5  # does not apply


async def test_verified_independent_valuation_and_budget_are_scored(
    session: AsyncSession, settings: Settings
) -> None:
    valued = await _listing(
        session, title_vi=DRYER, ip_status=IPStatus.granted, price_type="indicative",
        price_vnd=400_000_000,
    )  # fmt: skip
    session.add(
        Valuation(listing_id=valued.id, method=ValuationMethod.income, value=900_000_000,
                  valuation_date=date(2026, 10, 1), independent=True, verified=True)
    )  # fmt: skip
    await session.flush()
    need = await _need(
        session, title_vi=DRYER, budget_min_vnd=200_000_000, budget_max_vnd=500_000_000
    )

    (match,) = (await matcher.match_need(session, settings, ANONYMOUS, need)).items

    assert _factor(match, FactorCode.valuation) == 1.0
    assert _factor(match, FactorCode.ip_clarity) == 0.8
    assert _factor(match, FactorCode.price) == 1.0
    price = next(f for f in match.factors if f.code == FactorCode.price)
    assert price.explanation_en == (
        "Price VND 400 million within the budget VND 200 million – VND 500 million"
    )


async def test_unrelated_listings_are_not_matches(
    session: AsyncSession, settings: Settings
) -> None:
    await _listing(
        session, title_vi="Chip vi điều khiển RISC-V công suất thấp",
        technical_description="Thiết kế vi mạch 40 nm, nhiệt độ hoạt động thấp.",
        sectors=["semiconductors"],
    )  # fmt: skip
    need = await _need(
        session, title_vi=DRYER, problem_statement="Xoài sấy bị thâm màu ở nhiệt độ cao."
    )

    found = await matcher.match_need(session, settings, ANONYMOUS, need)

    assert found.items == []


# --- listing -> needs --------------------------------------------------------------------------


async def test_listing_matches_live_needs_its_trl_satisfies(
    session: AsyncSession, settings: Settings
) -> None:
    listing = await _listing(session, title_vi=DRYER, technical_description=DRYER_TEXT, trl=6)
    fits = await _need(session, title_vi=DRYER, min_trl=5)
    too_demanding = await _need(session, title_vi=DRYER, min_trl=8)
    expired = await _need(session, title_vi=DRYER, deadline=(utcnow() - timedelta(days=3)).date())
    draft = await _need(session, title_vi=DRYER, status=NeedStatus.draft)

    found = await matcher.match_listing(session, settings, ANONYMOUS, listing)
    ids = [str(m.need.id) for m in found.items]

    assert ids == [str(fits.id)]
    assert not {str(too_demanding.id), str(expired.id), str(draft.id)} & set(ids)
    assert [f.code for f in found.items[0].factors] == list(FactorCode)

    relaxed = await matcher.match_listing(
        session, settings, ANONYMOUS, listing, include_below_min_trl=True
    )
    assert {str(fits.id), str(too_demanding.id)} == {str(m.need.id) for m in relaxed.items}


async def test_restricted_needs_only_for_signed_in_members_and_anonymous_hides_poster(
    session: AsyncSession, settings: Settings
) -> None:
    supplier_org = await supplier(session)
    listing = await create_listing(session, supplier_org, title_vi=DRYER, summary_vi=None)
    restricted = await _need(session, title_vi=DRYER, visibility=NeedVisibility.restricted)
    anonymous = await _need(session, title_vi=DRYER, visibility=NeedVisibility.anonymous)

    public_view = await matcher.match_listing(session, settings, ANONYMOUS, listing)
    assert [str(m.need.id) for m in public_view.items] == [str(anonymous.id)]
    assert public_view.items[0].need.organisation_id is None

    member = Principal(memberships={supplier_org.id: OrgRole.member})
    member_view = await matcher.match_listing(session, settings, member, listing)
    assert {str(m.need.id) for m in member_view.items} == {str(restricted.id), str(anonymous.id)}
    shown = {str(m.need.id): m.need.organisation_id for m in member_view.items}
    assert shown[str(restricted.id)] == restricted.organisation_id
    assert shown[str(anonymous.id)] is None


async def test_matching_through_the_meilisearch_adapter(
    session: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMeilisearch()
    fake.install(monkeypatch)
    meili = settings.model_copy(update={"meili_url": BASE_URL, "meili_key": "contract-test-key"})
    ready = await _listing(session, title_vi=DRYER, technical_description=DRYER_TEXT, trl=7)
    lab = await _listing(session, title_vi=DRYER, technical_description=DRYER_TEXT, trl=4)
    engine = get_search_engine(meili, session)
    await engine.ensure_ready()
    await engine.index_listings([listing_document(row) for row in (ready, lab)])
    need = await _need(session, title_vi=DRYER, problem_statement=DRYER_TEXT, min_trl=6)

    found = await matcher.match_need(session, meili, ANONYMOUS, need)

    # The fake answers every search with every document: the database re-check of the hard
    # rules is what keeps the TRL 4 listing out (as it would with a lagging index).
    assert _ids(found) == [str(ready.id)]
    searches = [r.json() for r in fake.requests if r.path.endswith("/search")]
    assert len(searches) >= 3  # the whole query, each term, the sectors
    for body in searches:  # each one also valid against Meilisearch's OpenAPI document
        # Retrieval reads ids and totals only: no documents, no highlighting work.
        assert body["attributesToRetrieve"] == ["id"]
        assert body["attributesToHighlight"] == []
        assert "trl >= 6" in body["filter"]
        assert 'status IN ["published"]' in body["filter"]
        assert len(body.get("q", "").split()) <= MAX_QUERY_WORDS
