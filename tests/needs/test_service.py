"""Need rules without HTTP: expiring overdue needs (the daily job) and the effective status."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.audit import AuditEntry
from app.needs import service
from app.needs.models import NeedStatus
from app.needs.repository import vn_today
from tests.conftest import CliRun
from tests.factories import create_need


async def test_expire_overdue_needs_marks_only_published_needs_past_their_deadline(
    session: AsyncSession,
) -> None:
    today = date(2027, 3, 15)
    overdue = await create_need(session, deadline=today - timedelta(days=1))
    due_today = await create_need(session, deadline=today)
    no_deadline = await create_need(session)
    overdue_draft = await create_need(
        session, status=NeedStatus.draft, deadline=today - timedelta(days=9)
    )

    assert await service.expire_overdue_needs(session, today) == 1
    for need in (overdue, due_today, no_deadline, overdue_draft):
        await session.refresh(need)
    assert overdue.status == NeedStatus.expired
    assert due_today.status == NeedStatus.published
    assert no_deadline.status == NeedStatus.published
    assert overdue_draft.status == NeedStatus.draft

    entry = await session.scalar(select(AuditEntry).where(AuditEntry.object_id == str(overdue.id)))
    assert entry is not None
    assert entry.action == "need.expire"
    assert entry.actor_label == "system"
    assert entry.changes["status"] == ["published", "expired"]
    assert await service.expire_overdue_needs(session, today) == 0


async def test_effective_status_reads_overdue_needs_as_expired(session: AsyncSession) -> None:
    need = await create_need(session, deadline=vn_today() - timedelta(days=1))
    assert service.effective_status(need) == NeedStatus.expired
    assert service.effective_status(need, vn_today() - timedelta(days=5)) == NeedStatus.published
    need.status = NeedStatus.fulfilled
    assert service.effective_status(need) == NeedStatus.fulfilled


def test_vietnam_date_is_used_for_deadlines() -> None:
    from datetime import UTC, datetime

    late_evening_utc = datetime(2027, 3, 15, 18, 30, tzinfo=UTC)  # 01:30 on the 16th in Vietnam
    assert vn_today(late_evening_utc) == date(2027, 3, 16)


def test_expire_needs_command(run_cli: CliRun) -> None:
    result = run_cli(["expire-needs"])
    assert result.exit_code == 0, result.output
    assert "need(s) expired" in result.output
