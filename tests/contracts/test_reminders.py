"""Registration deadline reminders: once per contract and threshold, only while unregistered."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts.models import Contract, ContractReminder, ContractStatus, PartnerDirection
from app.contracts.reminders import remind_registration_deadlines
from app.core.config import Settings
from app.core.db import run_after_commit
from app.core.mailer import LogMailer, get_mailer
from tests.conftest import CliRun
from tests.connections.helpers import notified
from tests.contracts.helpers import deal

SIGNED = date(2026, 3, 2)
DEADLINE = SIGNED + timedelta(days=90)


async def _signed_contract(session: AsyncSession, **values: object) -> tuple[Contract, object]:
    d = await deal(session)
    fields: dict[str, object] = {
        "connection_id": d.connection.id,
        "supplier_organisation_id": d.institute.id,
        "buyer_organisation_id": d.company.id,
        "title": "Hợp đồng chuyển giao công nghệ",
        "contract_type": "ownership_assignment",
        "partner_direction": PartnerDirection.inbound,
        "status": ContractStatus.signed,
        "signed_date": SIGNED,
        "registration_required": True,
        "registration_deadline": DEADLINE,
    }
    contract = Contract(**(fields | values))
    session.add(contract)
    await session.flush()
    return contract, d


async def test_reminds_once_per_threshold(session: AsyncSession, settings: Settings) -> None:
    contract, d = await _signed_contract(session)
    far = await remind_registration_deadlines(session, settings, DEADLINE - timedelta(days=20))
    assert far == 0
    ten_days = DEADLINE - timedelta(days=10)
    assert await remind_registration_deadlines(session, settings, ten_days) == 1
    assert await notified(session, d.buyer, "contract.registration_due") == 1
    assert await notified(session, d.supplier, "contract.registration_due") == 1
    assert await remind_registration_deadlines(session, settings, ten_days) == 0
    assert await remind_registration_deadlines(session, settings, ten_days + timedelta(1)) == 0
    assert await remind_registration_deadlines(session, settings, DEADLINE - timedelta(5)) == 1
    assert await remind_registration_deadlines(session, settings, DEADLINE + timedelta(3)) == 1
    assert await remind_registration_deadlines(session, settings, DEADLINE + timedelta(4)) == 0
    assert await notified(session, d.buyer, "contract.registration_due") == 3
    thresholds = (await session.scalars(
        select(ContractReminder.threshold_days).where(ContractReminder.contract_id == contract.id)
        .order_by(ContractReminder.threshold_days)
    )).all()  # fmt: skip
    assert list(thresholds) == [0, 7, 14]


async def test_mails_go_out_after_commit(session: AsyncSession, settings: Settings) -> None:
    _, d = await _signed_contract(session)
    mailer = get_mailer(settings)
    assert isinstance(mailer, LogMailer)
    before = len(mailer.sent)
    await remind_registration_deadlines(session, settings, DEADLINE - timedelta(days=1))
    assert len(mailer.sent) == before  # nothing before the commit
    await run_after_commit(session)
    recipients = {m.to for m in mailer.sent[before:]}
    assert {d.buyer.email, d.supplier.email} <= recipients


@pytest.mark.parametrize(
    "values",
    [
        {"registration_certificate_number": "45/GCN", "registration_certificate_date": SIGNED},
        {"registration_required": False, "registration_deadline": None},
        {"status": ContractStatus.terminated},
    ],
)
async def test_no_reminder_when_registered_not_required_or_terminated(
    session: AsyncSession, settings: Settings, values: dict[str, object]
) -> None:
    contract, _ = await _signed_contract(session, **values)
    assert await remind_registration_deadlines(session, settings, DEADLINE) == 0
    count = await session.scalar(
        select(func.count()).where(ContractReminder.contract_id == contract.id)
    )
    assert count == 0


def test_remind_command(run_cli: CliRun) -> None:
    result = run_cli(["remind", "--today", "2000-01-01"])
    assert result.exit_code == 0, result.output
    assert "registration reminders sent for 0 contract(s) as of 2000-01-01" in result.output
