"""Daily reminders of registration deadlines (run by `techx remind`)."""

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import notices, repository, rules
from app.core import audit
from app.core.config import Settings

KIND = "registration"


async def remind_registration_deadlines(
    session: AsyncSession, settings: Settings, today: date
) -> int:
    """Notify both parties (and the broker) of each unregistered contract whose deadline is
    14, 7 or 0 days away or past; each contract and threshold is reminded once, which the
    unique (contract, kind, threshold) row guarantees even for overlapping runs.
    Returns the number of contracts reminded."""
    window = today + timedelta(days=max(rules.REMINDER_THRESHOLDS))
    reminded = 0
    for contract in await repository.registrations_due(session, window):
        assert contract.registration_deadline is not None
        threshold = rules.reminder_threshold(contract.registration_deadline, today)
        if threshold is None or not await repository.claim_reminder(
            session, contract.id, KIND, threshold
        ):
            continue
        deadline, days_left = (
            contract.registration_deadline,
            (contract.registration_deadline - today).days,
        )
        extra = (
            f"Deadline: {deadline.isoformat()} ({days_left} day(s) left)."
            if days_left >= 0
            else f"Deadline {deadline.isoformat()} passed {-days_left} day(s) ago."
        )
        await notices.tell(
            session,
            settings,
            contract,
            [contract.supplier_organisation_id, contract.buyer_organisation_id],
            "contract.registration_due",
            extra,
            broker=contract.broker_user_id,
        )
        await audit.record(
            session,
            None,
            "contract.registration_reminder",
            "contract",
            contract.id,
            changes={"threshold_days": [None, threshold]},
        )
        reminded += 1
    return reminded
