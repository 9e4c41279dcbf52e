"""The match factors and their weighted mean (pure functions over unsaved rows)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.core.config import Settings
from app.listings.models import IPStatus, Listing, ListingKind
from app.matching import scoring
from app.matching.scoring import FactorCode, ValuationEvidence
from app.needs.models import Need

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
SECTORS = {"food_processing": ("Chế biến lương thực – thực phẩm", "Food processing")}
REGIONS = {"hcm": ("TP. Hồ Chí Minh", "Ho Chi Minh City")}
EXCHANGES = {"hcm": ("Sàn giao dịch công nghệ TP.HCM", "HCMC Technology Exchange")}


def _listing(**kw: object) -> Listing:
    values: dict[str, object] = {
        "kind": ListingKind.technology,
        "sectors": ["food_processing"],
        "vsic_sections": [],
        "trl": 7,
        "ip_status": None,
        "ip_dossier_clear": False,
        "price_type": "indicative",
        "price_vnd": None,
        "region": "hcm",
        "source_exchange": "hcm",
    }
    values.update(kw)
    return Listing(**values)


def _need(**kw: object) -> Need:
    values: dict[str, object] = {
        "sectors": ["food_processing"],
        "vsic_sections": [],
        "min_trl": 6,
        "budget_min_vnd": None,
        "budget_max_vnd": None,
        "region": "hcm",
        "source_exchange": "hcm",
    }
    values.update(kw)
    return Need(**values)


def test_sector_overlap_names_the_shared_sector() -> None:
    factor = scoring.sector_factor(_need(), _listing(sectors=["food_processing", "ai"]), SECTORS)
    assert factor.value == 1.0
    assert factor.explanation_vi == "Cùng lĩnh vực Chế biến lương thực – thực phẩm"
    assert factor.explanation_en == "Same sector: Food processing"


def test_sector_falls_back_to_vsic_then_to_nothing() -> None:
    need = _need(sectors=["mechanical"], vsic_sections=["C"])
    assert scoring.sector_factor(need, _listing(vsic_sections=["C"]), SECTORS).value == 0.3
    assert scoring.sector_factor(need, _listing(), SECTORS).value == 0.0
    unstated = scoring.sector_factor(_need(sectors=["other"]), _listing(), SECTORS)
    assert unstated.value == scoring.NEUTRAL


@pytest.mark.parametrize(
    ("min_trl", "trl", "value"),
    [(6, 6, 1.0), (6, 9, 1.0), (None, 3, 1.0), (6, 5, 0.75), (6, 4, 0.5), (8, 2, 0.0)],
)
def test_trl_fit(min_trl: int | None, trl: int, value: float) -> None:
    assert scoring.trl_factor(min_trl, trl, ListingKind.technology).value == value


def test_trl_below_minimum_and_equipment_are_explained() -> None:
    below = scoring.trl_factor(6, 4, ListingKind.technology)
    assert below.explanation_vi == "TRL 4 thấp hơn yêu cầu 6"
    assert below.explanation_en == "TRL 4 is below the required 6"
    equipment = scoring.trl_factor(6, None, ListingKind.equipment)
    assert equipment.value == 0.0
    assert equipment.explanation_en.startswith("Equipment has no TRL")


@pytest.mark.parametrize(
    ("status", "clear", "value"),
    [
        (IPStatus.granted, True, 1.0),
        (IPStatus.granted, False, 0.8),
        (IPStatus.secret_know_how, False, 0.6),
        (IPStatus.pending, False, 0.5),
        (IPStatus.expired, False, 0.2),
        (IPStatus.none, False, 0.0),
        (None, False, 0.0),
    ],
)
def test_ip_clarity(status: IPStatus | None, clear: bool, value: float) -> None:
    assert scoring.ip_factor(_listing(ip_status=status, ip_dossier_clear=clear)).value == value


def test_ip_and_valuation_do_not_apply_to_equipment() -> None:
    equipment = _listing(kind=ListingKind.equipment, trl=None)
    assert scoring.ip_factor(equipment).value == scoring.NEUTRAL
    assert scoring.valuation_factor(equipment, ValuationEvidence.none).value == scoring.NEUTRAL


@pytest.mark.parametrize(
    ("evidence", "value"),
    [
        (ValuationEvidence.verified_independent, 1.0),
        (ValuationEvidence.independent, 0.6),
        (ValuationEvidence.own, 0.2),
        (ValuationEvidence.none, 0.0),
    ],
)
def test_valuation(evidence: ValuationEvidence, value: float) -> None:
    assert scoring.valuation_factor(_listing(), evidence).value == value


def test_price_within_above_and_unstated_budget() -> None:
    need = _need(budget_min_vnd=300_000_000, budget_max_vnd=500_000_000)
    inside = scoring.price_factor(need, _listing(price_vnd=450_000_000))
    assert inside.value == 1.0
    assert (
        inside.explanation_vi
        == "Giá 450 triệu đồng trong ngân sách 300 triệu đồng – 500 triệu đồng"
    )
    assert (
        inside.explanation_en
        == "Price VND 450 million within the budget VND 300 million – VND 500 million"
    )
    above = scoring.price_factor(need, _listing(price_vnd=750_000_000))
    assert above.value == 0.5
    assert "vượt ngân sách" in above.explanation_vi
    assert scoring.price_factor(need, _listing(price_vnd=2_000_000_000)).value == 0.0
    assert scoring.price_factor(need, _listing(price_type="on_request")).value == 0.5
    assert scoring.price_factor(_need(), _listing(price_vnd=1)).value == 0.5


def test_money_in_words() -> None:
    assert scoring.vnd_vi(1_200_000_000) == "1,2 tỷ đồng"
    assert scoring.vnd_en(1_200_000_000) == "VND 1.2 billion"
    assert scoring.vnd_vi(850_000) == "850.000 đồng"


def test_region_same_region_same_exchange_or_different() -> None:
    same = scoring.region_factor(_need(), _listing(), REGIONS, EXCHANGES)
    assert (same.value, same.explanation_vi) == (1.0, "Cùng khu vực TP. Hồ Chí Minh")
    exchange = scoring.region_factor(_need(region="ca_mau"), _listing(), REGIONS, EXCHANGES)
    assert exchange.value == 0.5
    other = scoring.region_factor(
        _need(region="ca_mau", source_exchange="brvt"), _listing(), REGIONS, EXCHANGES
    )
    assert (other.value, other.explanation_en) == (0.0, "Different regions")


def test_freshness_decays_then_drops_when_stale() -> None:
    def value(days: int) -> float:
        return scoring.freshness_factor(NOW - timedelta(days=days), NOW, 90).value

    assert value(0) == value(30) == 1.0
    assert value(60) == 0.75
    assert value(90) == 0.5
    assert value(91) == scoring.STALE_VALUE
    assert scoring.freshness_factor(NOW - timedelta(days=12), NOW, 90).explanation_vi == (
        "Cập nhật 12 ngày trước"
    )


def test_combine_is_the_weighted_mean_and_names_the_strongest_reasons() -> None:
    factors = [
        scoring.Factor(FactorCode.text, 1.0, "Khớp 3/3 từ khóa: a, b, c", "Matches 3 of 3"),
        scoring.Factor(FactorCode.sector, 1.0, "Cùng lĩnh vực X", "Same sector: X"),
        scoring.Factor(FactorCode.trl_fit, 1.0, "TRL 7 ≥ yêu cầu 6", "TRL 7 meets the minimum 6"),
        scoring.Factor(FactorCode.ip_clarity, 0.0, "Không có quyền SHTT", "No IP right"),
    ]
    weights = {FactorCode.text: 2.0, FactorCode.sector: 1.0, FactorCode.trl_fit: 0.5,
               FactorCode.ip_clarity: 0.5}  # fmt: skip
    scored = scoring.combine(factors, weights)
    assert scored.score == pytest.approx(3.5 / 4.0)
    assert sum(c for _, _, c in scored.factors) == pytest.approx(scored.score, abs=1e-3)
    assert scored.explanation_vi == "Khớp 3/3 từ khóa: a, b, c; cùng lĩnh vực X; TRL 7 ≥ yêu cầu 6"
    assert scored.explanation_en == "Matches 3 of 3; same sector: X; TRL 7 meets the minimum 6"


def test_weights_come_from_settings() -> None:
    settings = Settings(match_weight_region=3.0, match_weight_text=0.0)
    weights = scoring.weights(settings)
    assert set(weights) == set(FactorCode)
    assert weights[FactorCode.region] == 3.0
    assert weights[FactorCode.text] == 0.0
