"""Pure rules of contracts: registration with the S&T authority, licence terms, completeness.

Registration (Law on Technology Transfer 07/2017/QH14, Art. 31, as summarised in DOMAIN.md):
a technology-transfer contract must be registered with the S&T authority when the technology is
transferred from abroad into Viet Nam (inbound), from Viet Nam abroad (outbound), or within the
country using state capital or the state budget (state-funded); the application is due within 90
days of signing. Other domestic transfers may register voluntarily. Equipment sale and S&T service
contracts are not technology-transfer contracts and need no registration (equipment sold together
with a technology is recorded as a technology contract instead). Ownership assignment, licences,
capital contribution with technology and joint development are technology transfer (Art. 5).
The law was amended in 12/2025: the rule lives in this one function so it can follow.
"""

from datetime import date, timedelta

from app.contracts.models import PartnerDirection, PaymentTerms

REGISTRATION_PERIOD = timedelta(days=90)
LICENCE_TYPES = frozenset({"licence_exclusive", "licence_non_exclusive"})
NON_TRANSFER_TYPES = frozenset({"equipment_sale", "st_service"})
ROYALTY_TERMS = frozenset({PaymentTerms.royalty, PaymentTerms.fee_plus_royalty})


def is_technology_transfer(contract_type: str) -> bool:
    return contract_type not in NON_TRANSFER_TYPES


def registration_required(
    contract_type: str, direction: PartnerDirection, state_funded: bool
) -> bool:
    """Whether Art. 31 makes registration compulsory for this contract."""
    if not is_technology_transfer(contract_type):
        return False
    return direction in (PartnerDirection.inbound, PartnerDirection.outbound) or state_funded


def registration_deadline(signed: date) -> date:
    return signed + REGISTRATION_PERIOD


# Reminder thresholds in days before the deadline (0: due today or overdue), largest first.
REMINDER_THRESHOLDS = (14, 7, 0)


def reminder_threshold(deadline: date, today: date) -> int | None:
    """The tightest threshold reached today, or None when the deadline is still far away."""
    days_left = (deadline - today).days
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None
