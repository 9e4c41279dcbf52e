"""The match score of a (need, listing) pair: eight factors in [0, 1], a weighted mean, and a
sentence per factor in Vietnamese and English saying why.

Pure functions over the rows' attributes (no database). A factor a party did not state (no
budget, no region, no sector) scores a neutral 0.5: the pair is neither helped nor hurt by what
nobody said. Weights come from settings (`match_weight_*`); the total is
`sum(weight × value) / sum(weights)`, so weights need not add up to one.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from app.core.config import Settings
from app.listings.models import IPStatus, ListingKind

NEUTRAL = 0.5
VSIC_ONLY = 0.3  # a shared VSIC section (e.g. C, all manufacturing) says little on its own
Labels = Mapping[str, tuple[str, str]]  # code -> (label_vi, label_en)


class FactorCode(StrEnum):
    text = "text"
    sector = "sector"
    trl_fit = "trl_fit"
    ip_clarity = "ip_clarity"
    valuation = "valuation"
    price = "price"
    region = "region"
    freshness = "freshness"


class ValuationEvidence(StrEnum):
    """The best valuation a listing has (from its valuation rows)."""

    verified_independent = "verified_independent"
    independent = "independent"  # claimed independent, not yet checked by the operator
    own = "own"  # only the owner's own valuation
    none = "none"


@dataclass(frozen=True)
class Factor:
    code: FactorCode
    value: float
    explanation_vi: str
    explanation_en: str


def weights(settings: Settings) -> dict[FactorCode, float]:
    return {code: float(getattr(settings, f"match_weight_{code.value}")) for code in FactorCode}


# --- text --------------------------------------------------------------------------------------


def text_factor(matched: Sequence[str], total: int, value: float) -> Factor:
    """`value` is the weighted share of the subject's key terms found in the candidate."""
    if total == 0:
        return Factor(
            FactorCode.text, 0.0, "Không có từ khóa để so khớp", "No key terms to compare"
        )
    if not matched:
        return Factor(FactorCode.text, 0.0, "Không khớp từ khóa nào", "None of the key terms match")
    shown = ", ".join(matched[:4]) + (", …" if len(matched) > 4 else "")
    return Factor(
        FactorCode.text,
        value,
        f"Khớp {len(matched)}/{total} từ khóa: {shown}",
        f"Matches {len(matched)} of {total} key terms: {shown}",
    )


# --- sector ------------------------------------------------------------------------------------


def _overlap(a: Sequence[str], b: Sequence[str]) -> tuple[float, list[str]]:
    """Overlap coefficient |A∩B| / min(|A|, |B|): 1 when one side's codes are all shared."""
    left, right = set(a) - {"other"}, set(b) - {"other"}
    if not left or not right:
        return -1.0, []
    common = [code for code in a if code in right]
    return len(common) / min(len(left), len(right)), common


def sector_factor(need: Any, listing: Any, labels: Labels) -> Factor:
    value, common = _overlap(need.sectors or [], listing.sectors or [])
    if value < 0:
        return Factor(
            FactorCode.sector, NEUTRAL, "Chưa nêu lĩnh vực để so sánh", "No sector to compare"
        )
    if common:
        vi = ", ".join(labels.get(c, (c, c))[0] for c in common)
        en = ", ".join(labels.get(c, (c, c))[1] for c in common)
        return Factor(FactorCode.sector, value, f"Cùng lĩnh vực {vi}", f"Same sector: {en}")
    vsic, shared = _overlap(need.vsic_sections or [], listing.vsic_sections or [])
    if vsic > 0:
        codes = ", ".join(shared)
        return Factor(
            FactorCode.sector,
            VSIC_ONLY * vsic,
            f"Khác lĩnh vực ưu tiên nhưng cùng ngành VSIC {codes}",
            f"Different priority sector, same VSIC section {codes}",
        )
    return Factor(FactorCode.sector, 0.0, "Khác lĩnh vực", "Different sectors")


# --- TRL ---------------------------------------------------------------------------------------

TRL_STEP_PENALTY = 0.25  # per level below the minimum (only shown when asked for)


def trl_factor(min_trl: int | None, trl: int | None, kind: Any) -> Factor:
    if min_trl is None:
        return Factor(
            FactorCode.trl_fit,
            1.0,
            "Nhu cầu không đặt TRL tối thiểu",
            "The need sets no minimum TRL",
        )
    if trl is None:
        what_vi, what_en = (
            ("Thiết bị không có TRL", "Equipment has no TRL")
            if kind == ListingKind.equipment
            else ("Chưa có TRL", "No TRL given")
        )
        return Factor(
            FactorCode.trl_fit,
            0.0,
            f"{what_vi}; nhu cầu yêu cầu TRL ≥ {min_trl}",
            f"{what_en}; the need requires TRL ≥ {min_trl}",
        )
    if trl >= min_trl:
        return Factor(
            FactorCode.trl_fit,
            1.0,
            f"TRL {trl} ≥ yêu cầu {min_trl}",
            f"TRL {trl} meets the minimum {min_trl}",
        )
    return Factor(
        FactorCode.trl_fit,
        max(0.0, 1.0 - TRL_STEP_PENALTY * (min_trl - trl)),
        f"TRL {trl} thấp hơn yêu cầu {min_trl}",
        f"TRL {trl} is below the required {min_trl}",
    )


# --- IP and valuation --------------------------------------------------------------------------

# Kinds for which IP and valuation say nothing about fitness (equipment is sold, services run).
NOT_IP_KINDS = frozenset({ListingKind.equipment, ListingKind.st_service})

_IP_VALUES: dict[IPStatus | None, tuple[float, str, str]] = {
    IPStatus.granted: (0.8, "Đã được cấp văn bằng bảo hộ", "IP right granted"),
    IPStatus.secret_know_how: (0.6, "Bí quyết kỹ thuật được bảo mật", "Protected secret know-how"),
    IPStatus.pending: (0.5, "Đang nộp đơn đăng ký SHTT", "IP application pending"),
    IPStatus.expired: (0.2, "Văn bằng bảo hộ đã hết hiệu lực", "IP right expired"),
    IPStatus.rejected: (0.0, "Đơn đăng ký SHTT bị từ chối", "IP application rejected"),
    IPStatus.none: (0.0, "Không có quyền SHTT", "No IP right"),
    None: (0.0, "Chưa khai báo tình trạng SHTT", "IP status not declared"),
}


def ip_factor(listing: Any) -> Factor:
    if listing.kind in NOT_IP_KINDS:
        return Factor(
            FactorCode.ip_clarity,
            NEUTRAL,
            "SHTT không áp dụng cho loại tin này",
            "IP does not apply to this kind of listing",
        )
    if listing.ip_dossier_clear:
        return Factor(FactorCode.ip_clarity, 1.0, "Hồ sơ SHTT rõ ràng", "Clear IP dossier")
    status = IPStatus(listing.ip_status) if listing.ip_status else None
    value, vi, en = _IP_VALUES[status]
    return Factor(FactorCode.ip_clarity, value, vi, en)


_VALUATION_VALUES: dict[ValuationEvidence, tuple[float, str, str]] = {
    ValuationEvidence.verified_independent: (
        1.0,
        "Có định giá độc lập đã được Sàn xác minh",
        "Independent valuation verified by the exchange",
    ),
    ValuationEvidence.independent: (
        0.6,
        "Có định giá độc lập (chưa xác minh)",
        "Independent valuation (not yet verified)",
    ),
    ValuationEvidence.own: (0.2, "Chỉ có định giá của chủ sở hữu", "Owner's own valuation only"),
    ValuationEvidence.none: (0.0, "Chưa có định giá", "No valuation"),
}


def valuation_factor(listing: Any, evidence: ValuationEvidence) -> Factor:
    if listing.kind in NOT_IP_KINDS:
        return Factor(
            FactorCode.valuation,
            NEUTRAL,
            "Định giá công nghệ không áp dụng cho loại tin này",
            "Technology valuation does not apply to this kind of listing",
        )
    if listing.ip_dossier_clear:
        evidence = ValuationEvidence.verified_independent  # a clear dossier requires it
    value, vi, en = _VALUATION_VALUES[evidence]
    return Factor(FactorCode.valuation, value, vi, en)


# --- price -------------------------------------------------------------------------------------

UNPRICED = frozenset({"negotiable", "on_request"})


def vnd_vi(amount: int) -> str:
    if amount >= 1_000_000_000:
        return f"{amount / 1_000_000_000:.3g} tỷ đồng".replace(".", ",")
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:.3g} triệu đồng".replace(".", ",")
    return f"{amount:,} đồng".replace(",", ".")


def vnd_en(amount: int) -> str:
    if amount >= 1_000_000_000:
        return f"VND {amount / 1_000_000_000:.3g} billion"
    if amount >= 1_000_000:
        return f"VND {amount / 1_000_000:.3g} million"
    return f"VND {amount:,}"


def _budget_text(low: int | None, high: int | None) -> tuple[str, str]:
    if low is not None and high is not None:
        return f"{vnd_vi(low)} – {vnd_vi(high)}", f"{vnd_en(low)} – {vnd_en(high)}"
    if high is not None:
        return f"tối đa {vnd_vi(high)}", f"up to {vnd_en(high)}"
    assert low is not None
    return f"từ {vnd_vi(low)}", f"from {vnd_en(low)}"


def price_factor(need: Any, listing: Any) -> Factor:
    low, high = need.budget_min_vnd, need.budget_max_vnd
    price = listing.price_vnd
    if low is None and high is None:
        return Factor(
            FactorCode.price, NEUTRAL, "Nhu cầu chưa nêu ngân sách", "The need states no budget"
        )
    if price is None or listing.price_type in UNPRICED:
        return Factor(
            FactorCode.price,
            NEUTRAL,
            "Giá thỏa thuận hoặc liên hệ",
            "Price negotiable or on request",
        )
    budget_vi, budget_en = _budget_text(low, high)
    if high is not None and price > high:
        value = max(0.0, 1.0 - (price - high) / high) if high > 0 else 0.0
        return Factor(
            FactorCode.price,
            round(value, 4),
            f"Giá {vnd_vi(price)} vượt ngân sách {budget_vi}",
            f"Price {vnd_en(price)} exceeds the budget {budget_en}",
        )
    return Factor(
        FactorCode.price,
        1.0,
        f"Giá {vnd_vi(price)} trong ngân sách {budget_vi}",
        f"Price {vnd_en(price)} within the budget {budget_en}",
    )


# --- region ------------------------------------------------------------------------------------


def region_factor(need: Any, listing: Any, regions: Labels, exchanges: Labels) -> Factor:
    if need.region and listing.region and need.region == listing.region:
        vi, en = regions.get(need.region, (need.region, need.region))
        return Factor(FactorCode.region, 1.0, f"Cùng khu vực {vi}", f"Same region: {en}")
    if need.source_exchange and need.source_exchange == listing.source_exchange:
        vi, en = exchanges.get(need.source_exchange, (need.source_exchange,) * 2)
        return Factor(
            FactorCode.region, NEUTRAL, f"Cùng sàn nguồn: {vi}", f"Same source exchange: {en}"
        )
    if not need.region or not listing.region:
        return Factor(
            FactorCode.region, NEUTRAL, "Chưa nêu khu vực để so sánh", "No region to compare"
        )
    return Factor(FactorCode.region, 0.0, "Khác khu vực", "Different regions")


# --- freshness ---------------------------------------------------------------------------------

FRESH_DAYS = 30
STALE_VALUE = 0.2


def freshness_factor(last_change: datetime | None, now: datetime, stale_after_days: int) -> Factor:
    """1 within a month; down to 0.5 at the stale limit (default 90 days); 0.2 once stale."""
    if last_change is None:
        return Factor(FactorCode.freshness, STALE_VALUE, "Chưa rõ ngày cập nhật", "Update unknown")
    days = max(0, (now - last_change).days)
    if days > stale_after_days:
        return Factor(
            FactorCode.freshness,
            STALE_VALUE,
            f"Lâu chưa cập nhật (hơn {stale_after_days} ngày)",
            f"Not updated for over {stale_after_days} days",
        )
    if days <= FRESH_DAYS or stale_after_days <= FRESH_DAYS:
        value = 1.0
    else:
        value = 1.0 - NEUTRAL * (days - FRESH_DAYS) / (stale_after_days - FRESH_DAYS)
    when_vi = "hôm nay" if days == 0 else f"{days} ngày trước"
    when_en = "today" if days == 0 else f"{days} day{'s' if days > 1 else ''} ago"
    return Factor(
        FactorCode.freshness, round(value, 4), f"Cập nhật {when_vi}", f"Updated {when_en}"
    )


# --- total -------------------------------------------------------------------------------------

SUMMARY_REASONS = 3
GOOD_VALUE = 0.5


@dataclass(frozen=True)
class Scored:
    score: float
    factors: list[tuple[Factor, float, float]]  # (factor, weight, contribution)
    explanation_vi: str
    explanation_en: str


def combine(factors: Sequence[Factor], weight_of: Mapping[FactorCode, float]) -> Scored:
    """Weighted mean of the factors, and a sentence naming the strongest reasons."""
    total_weight = sum(max(0.0, weight_of[f.code]) for f in factors) or 1.0
    rows = [
        (f, weight_of[f.code], max(0.0, weight_of[f.code]) * f.value / total_weight)
        for f in factors
    ]
    score = sum(contribution for _, _, contribution in rows)
    reasons = sorted(
        (r for r in rows if r[0].value >= GOOD_VALUE and r[2] > 0), key=lambda r: -r[2]
    )[:SUMMARY_REASONS]
    if reasons:
        vi = "; ".join(_lower_first(r[0].explanation_vi, i) for i, r in enumerate(reasons))
        en = "; ".join(_lower_first(r[0].explanation_en, i) for i, r in enumerate(reasons))
    else:
        vi, en = "Mức độ phù hợp thấp", "Weak match"
    return Scored(round(score, 4), [(f, w, round(c, 4)) for f, w, c in rows], vi, en)


def _lower_first(text: str, position: int) -> str:
    # "TRL 7 …" and proper names keep their capitals; ordinary sentence starts do not.
    if position == 0 or not text or text[:3].isupper():
        return text
    return text[0].lower() + text[1:]
