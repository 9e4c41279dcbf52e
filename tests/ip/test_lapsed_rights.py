"""The daily pass that notices granted rights passing their expiry date (`techx refresh-ip`)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.audit import AuditEntry
from app.ip.service import refresh_ip_summary, refresh_lapsed_rights
from app.listings.models import IPDeclaration, IPStatus, Listing
from app.matching.models import OutboxEvent
from tests.conftest import CliRun
from tests.factories import create_listing
from tests.ip.helpers import add_right

EXPIRY = date(2030, 6, 1)


async def _listing_with_grant(session: AsyncSession) -> Listing:
    listing = await create_listing(session, ip_declaration=IPDeclaration.rights)
    await add_right(session, listing, expiry_date=EXPIRY)
    await refresh_ip_summary(session, listing, today=date(2030, 5, 1))
    await session.flush()
    assert listing.ip_status is IPStatus.granted
    return listing


async def test_a_grant_past_its_expiry_turns_the_listing_expired(session: AsyncSession) -> None:
    listing = await _listing_with_grant(session)
    assert await refresh_lapsed_rights(session, today=EXPIRY) == 0  # the last valid day
    assert listing.ip_status is IPStatus.granted

    assert await refresh_lapsed_rights(session, today=date(2030, 6, 2)) == 1
    assert listing.ip_status is IPStatus.expired
    assert listing.ip_dossier_clear is False
    entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_id == str(listing.id), AuditEntry.action == "listing.ip_refresh"
        )
    )
    assert entry is not None
    assert entry.actor_label == "system"
    assert entry.changes["ip_status"] == ["granted", "expired"]
    # The search index hears of it through the outbox, like any other listing change.
    events = await session.scalars(select(OutboxEvent).where(OutboxEvent.entity_id == listing.id))
    assert events.all()


async def test_a_listing_with_another_valid_grant_stays_granted(session: AsyncSession) -> None:
    listing = await _listing_with_grant(session)
    await add_right(
        session, listing, number="1-0099999", application_number="1-2021-09999",
        expiry_date=date(2041, 1, 1),
    )  # fmt: skip
    assert await refresh_lapsed_rights(session, today=date(2031, 1, 1)) == 0
    assert listing.ip_status is IPStatus.granted


async def test_running_twice_changes_nothing_the_second_time(session: AsyncSession) -> None:
    await _listing_with_grant(session)
    assert await refresh_lapsed_rights(session, today=date(2030, 7, 1)) == 1
    assert await refresh_lapsed_rights(session, today=date(2030, 7, 1)) == 0


def test_refresh_ip_command(run_cli: CliRun) -> None:
    result = run_cli(["refresh-ip"])
    assert result.exit_code == 0, result.output
    assert "listing(s) changed IP status" in result.output
