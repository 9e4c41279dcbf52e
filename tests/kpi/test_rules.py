"""The counting rules and the projection arithmetic, as plain functions."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.connections.models import ConnectionStatus
from app.contracts import rules as contract_rules
from app.kpi import rules
from app.listings.models import VocabularyTerm


def test_projection_over_the_last_twelve_months() -> None:
    # 120 records in the 12 months up to 2026-12-31 (more before): 10 a month for 48 more months.
    p = rules.project_count(
        as_of=date(2026, 12, 31),
        total_to_date=300,
        window_from=rules.window_start(date(2026, 12, 31), date(2025, 1, 1)),
        in_window=120,
        target=1500,
    )
    assert p.window_start == date(2026, 1, 1)
    assert p.window_months == pytest.approx(12.0, abs=0.01)
    assert p.rate_per_month == pytest.approx(10.0, abs=0.01)
    assert p.projected_total == pytest.approx(300 + 10 * 48, abs=1)
    assert p.on_track is False
    assert p.method == "linear_rate"
    assert p.deadline == date(2030, 12, 31)


def test_projection_since_the_first_record_when_younger_than_a_year() -> None:
    start = rules.window_start(date(2026, 12, 31), date(2026, 7, 1))
    assert start == date(2026, 7, 1)
    p = rules.project_count(
        as_of=date(2026, 12, 31), total_to_date=60, window_from=start, in_window=60, target=50
    )
    assert p.window_months == pytest.approx(184 / (365.25 / 12), abs=0.01)
    assert p.rate_per_month == pytest.approx(60 / (184 / (365.25 / 12)), abs=0.01)
    assert p.on_track is True


def test_a_first_week_is_not_extrapolated_beyond_a_monthly_rate() -> None:
    p = rules.project_count(
        as_of=date(2026, 3, 7),
        total_to_date=5,
        window_from=date(2026, 3, 1),
        in_window=5,
        target=1500,
    )
    assert p.window_months == 1.0
    assert p.rate_per_month == 5.0


def test_no_record_projects_nothing() -> None:
    p = rules.project_count(
        as_of=date(2026, 6, 30), total_to_date=0, window_from=None, in_window=0, target=50
    )
    assert (p.rate_per_month, p.projected_total, p.on_track) == (0.0, 0.0, False)
    assert rules.window_start(date(2026, 6, 30), None) is None


def test_after_the_deadline_the_projection_is_the_total() -> None:
    p = rules.project_count(
        as_of=date(2031, 3, 1),
        total_to_date=1500,
        window_from=date(2030, 3, 2),
        in_window=400,
        target=1500,
    )
    assert p.projected_total == 1500
    assert p.on_track is True  # "at least 1,500": reaching it exactly is enough


def test_the_window_of_a_leap_day() -> None:
    assert rules.window_start(date(2028, 2, 29), date(2020, 1, 1)) == date(2027, 3, 1)


def test_the_share_target_needs_more_than_seventy_percent() -> None:
    assert rules.project_share(as_of=date(2026, 1, 1), current=0.70, target=0.70).on_track is False
    held = rules.project_share(as_of=date(2026, 1, 1), current=0.7001, target=0.70)
    assert held.on_track is True
    assert held.projected_total == 0.7001
    assert held.method == "current_share"


def test_share_of_nothing_is_zero() -> None:
    assert rules.share(0, 0) == 0.0
    assert rules.share(2, 3) == 0.6667


def test_months_fill_the_whole_period() -> None:
    assert rules.months_between("2025-11", "2026-02") == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert rules.months_between("2026-03", "2026-02") == []
    assert rules.month_span([], date(2026, 1, 15), date(2026, 3, 1)) == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    # Without a start, the span begins at the first month holding a record.
    assert rules.month_span(["2026-02"], None, date(2026, 3, 1)) == ["2026-02", "2026-03"]
    assert rules.month_span([], None, date(2026, 3, 1)) == []


def test_accepted_stages_count_and_requests_do_not() -> None:
    assert rules.COUNTED_CONNECTION_STATUSES == {
        "accepted",
        "in_negotiation",
        "contracted",
        "closed_no_deal",
    }
    assert ConnectionStatus.requested not in rules.COUNTED_CONNECTION_STATUSES
    assert ConnectionStatus.declined not in rules.COUNTED_CONNECTION_STATUSES


@pytest.mark.parametrize(
    ("contract_type", "status", "counts"),
    [
        ("licence_exclusive", "signed", True),
        ("licence_non_exclusive", "in_execution", True),
        ("ownership_assignment", "completed", True),
        ("equipment_sale", "signed", True),
        ("capital_contribution", "signed", True),
        ("joint_development", "signed", True),
        ("licence_exclusive", "terminated", True),  # it was signed
        ("licence_exclusive", "draft", False),
        ("st_service", "signed", False),
    ],
)
def test_which_contracts_count(contract_type: str, status: str, counts: bool) -> None:
    assert rules.contract_counts(contract_type, status) is counts


def test_counted_contracts_are_technology_transfer_or_equipment_sale() -> None:
    for contract_type in rules.COUNTED_CONTRACT_TYPES:
        assert (
            contract_rules.is_technology_transfer(contract_type)
            or contract_type == "equipment_sale"
        )


async def test_every_contract_type_of_the_vocabulary_is_decided(session: AsyncSession) -> None:
    """A new contract type must be placed on one side of the rule (and in its text)."""
    codes = set(
        await session.scalars(
            select(VocabularyTerm.code).where(VocabularyTerm.vocabulary == "contract_type")
        )
    )
    assert rules.COUNTED_CONTRACT_TYPES <= codes
    assert codes - rules.COUNTED_CONTRACT_TYPES == {"st_service"}


def test_every_target_states_its_rule_in_both_languages() -> None:
    for code in rules.TargetCode:
        rule_vi, rule_en = rules.RULES[code]
        assert len(rule_vi) > 200
        assert len(rule_en) > 200
    assert "terminated after signing" in rules.RULES[rules.TargetCode.contracts][1]
    assert "independent valuation" in rules.RULES[rules.TargetCode.ip_dossier][1]
