"""Registration with the S&T authority (Law on TT 07/2017, Art. 31) and reminder thresholds."""

from datetime import date

import pytest

from app.contracts.models import PartnerDirection
from app.contracts.rules import registration_deadline, registration_required, reminder_threshold

D, IN, OUT = PartnerDirection.domestic, PartnerDirection.inbound, PartnerDirection.outbound


@pytest.mark.parametrize(
    ("contract_type", "direction", "state_funded", "required"),
    [
        ("licence_exclusive", D, False, False),  # domestic, private: voluntary
        ("licence_non_exclusive", IN, False, True),
        ("ownership_assignment", OUT, False, True),
        ("ownership_assignment", D, True, True),  # state-funded technology
        ("capital_contribution", D, True, True),
        ("joint_development", IN, False, True),
        ("equipment_sale", IN, True, False),  # not a technology transfer
        ("st_service", OUT, True, False),
    ],
)
def test_registration_required(
    contract_type: str, direction: PartnerDirection, state_funded: bool, required: bool
) -> None:
    assert registration_required(contract_type, direction, state_funded) is required


def test_deadline_is_ninety_days_after_signing() -> None:
    assert registration_deadline(date(2026, 1, 15)) == date(2026, 4, 15)
    assert registration_deadline(date(2026, 12, 1)) == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(30, None), (15, None), (14, 14), (8, 14), (7, 7), (1, 7), (0, 0), (-5, 0)],
)
def test_reminder_threshold(days_left: int, threshold: int | None) -> None:
    today = date(2026, 6, 1)
    deadline = date.fromordinal(today.toordinal() + days_left)
    assert reminder_threshold(deadline, today) == threshold
