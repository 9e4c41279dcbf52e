"""Match alerts: a newly published listing is matched against open needs (their owners are told),
and a newly published need against published listings (their owners are told).

Run by `techx alerts` (or the worker loop) through `process_publication_alerts`, never inside
the publishing request: publishing stays fast, and the listings/needs services know nothing of
matching. Each run:
- finds publications since the cursor (a watermark kept 1 hour behind the clock, so a
  transaction that committed late is still seen) that have no `alert_publications` mark yet;
- matches each (app/matching/matcher.py) and, for every counterpart scoring at least
  `match_alert_threshold` with text relevance of at least `match_alert_min_text`, inserts a
  `match_alerts` row ON CONFLICT DO NOTHING; only an inserted row notifies (in-app + mail after
  commit), so a pair is alerted once whichever side was published first, however often runs
  repeat and even if two processes run at once;
- marks the publication processed and moves the cursor on.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrgRole
from app.auth.principal import ANONYMOUS, Principal
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.listings.models import Listing, ListingStatus
from app.matching import matcher
from app.matching.alert_models import (
    AlertCursor,
    AlertDirection,
    AlertEntity,
    AlertPublication,
    MatchAlert,
)
from app.matching.match_schemas import MatchScore
from app.matching.scoring import FactorCode
from app.needs import repository as needs_repository
from app.needs.models import Need
from app.notifications.service import Message, notify_organisation

log = logging.getLogger(__name__)

CURSOR = "publication_alerts"
SETTLE = timedelta(hours=1)  # how long a publishing transaction may take to commit


@dataclass
class AlertReport:
    listings: int = 0  # publications matched
    needs: int = 0
    alerts: int = 0  # new pairs alerted

    def add(self, other: "AlertReport") -> None:
        self.listings += other.listings
        self.needs += other.needs
        self.alerts += other.alerts


def qualifies(match: MatchScore, settings: Settings) -> bool:
    """Good enough to interrupt someone: the score, and real textual overlap."""
    text = next(f.value for f in match.factors if f.code == FactorCode.text)
    return match.score >= settings.match_alert_threshold and text >= settings.match_alert_min_text


async def _cursor(session: AsyncSession, settings: Settings, now: datetime) -> AlertCursor:
    """The watermark row, locked so concurrent runs take turns (created on the first run)."""
    start = now - timedelta(hours=settings.match_alert_lookback_hours)
    await session.execute(
        insert(AlertCursor)
        .values(name=CURSOR, position=start)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    cursor = await session.scalar(
        select(AlertCursor).where(AlertCursor.name == CURSOR).with_for_update()
    )
    assert cursor is not None
    return cursor


def _unmarked(entity: AlertEntity, model: type[Listing] | type[Need]) -> ColumnElement[bool]:
    return ~exists().where(
        AlertPublication.entity == entity,
        AlertPublication.entity_id == model.id,
        AlertPublication.published_at == model.published_at,
    )


async def _mark(session: AsyncSession, entity: AlertEntity, row: Listing | Need) -> None:
    await session.execute(
        insert(AlertPublication)
        .values(entity=entity, entity_id=row.id, published_at=row.published_at)
        .on_conflict_do_nothing()
    )


async def _record_pair(
    session: AsyncSession,
    listing_id: uuid.UUID,
    need_id: uuid.UUID,
    direction: AlertDirection,
    score: float,
) -> bool:
    """True when this pair had never been alerted (the row was inserted now)."""
    alert_id = await session.scalar(
        insert(MatchAlert)
        .values(
            id=uuid.uuid4(),
            listing_id=listing_id,
            need_id=need_id,
            direction=direction,
            score=score,
            notified_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["listing_id", "need_id"])
        .returning(MatchAlert.id)
    )
    if alert_id is None:
        return False
    await audit.record(
        session, None, "match_alert.send", "match_alert", alert_id,
        changes={"listing_id": listing_id, "need_id": need_id, "direction": direction,
                 "score": score},
    )  # fmt: skip
    return True


def _percent(score: float) -> str:
    return f"{round(score * 100)} %"


async def alert_for_listing(
    session: AsyncSession, settings: Settings, listing: Listing, ctx: matcher.Context
) -> int:
    """Tell the owners of open needs that a newly published listing matches them."""
    # The listing's own organisation is the audience: signed-in members see restricted needs.
    audience = Principal(memberships={listing.organisation_id: OrgRole.member})
    found = await matcher.match_listing(
        session, settings, audience, listing, limit=settings.match_candidate_pool, ctx=ctx
    )
    sent = 0
    for match in found.items:
        if not qualifies(match, settings):
            continue
        need = match.need
        if not await _record_pair(
            session, listing.id, need.id, AlertDirection.listing_published, match.score
        ):
            continue
        owner = await session.scalar(select(Need.organisation_id).where(Need.id == need.id))
        assert owner is not None
        message = Message(
            kind="match.listing_for_need",
            title_vi=f"Công nghệ mới phù hợp với nhu cầu “{need.title_vi}”",
            title_en=f"A new listing matches your need “{need.title_en or need.title_vi}”",
            body_vi=f"{listing.title_vi} — mức phù hợp {_percent(match.score)}: "
            f"{match.explanation_vi}.",
            body_en=f"{listing.title_en or listing.title_vi} — match {_percent(match.score)}: "
            f"{match.explanation_en}.",
            link=f"/listings/{listing.id}",
            object_type="listing",
            object_id=listing.id,
        )
        await notify_organisation(session, settings, owner, message)
        sent += 1
    return sent


async def alert_for_need(
    session: AsyncSession, settings: Settings, need: Need, ctx: matcher.Context
) -> int:
    """Tell the owners of published listings that a newly published need matches them."""
    found = await matcher.match_need(
        session, settings, ANONYMOUS, need, limit=settings.match_candidate_pool, ctx=ctx
    )
    sent = 0
    for match in found.items:
        if not qualifies(match, settings):
            continue
        listing = match.listing
        if not await _record_pair(
            session, listing.id, need.id, AlertDirection.need_published, match.score
        ):
            continue
        # An anonymous need is described by its content only, never by who posted it.
        message = Message(
            kind="match.need_for_listing",
            title_vi=f"Nhu cầu mới phù hợp với “{listing.title_vi}”",
            title_en=f"A new technology need matches “{listing.title_en or listing.title_vi}”",
            body_vi=f"{need.title_vi} — mức phù hợp {_percent(match.score)}: "
            f"{match.explanation_vi}.",
            body_en=f"{need.title_en or need.title_vi} — match {_percent(match.score)}: "
            f"{match.explanation_en}.",
            link=f"/needs/{need.id}",
            object_type="need",
            object_id=need.id,
        )
        await notify_organisation(session, settings, listing.organisation_id, message)
        sent += 1
    return sent


async def process_publication_alerts(
    session: AsyncSession, settings: Settings, now: datetime | None = None
) -> AlertReport:
    """One pass over publications not yet matched for alerts. Idempotent; never commits."""
    now = now or utcnow()
    cursor = await _cursor(session, settings, now)
    since = cursor.position
    report = AlertReport()
    ctx = await matcher.load_context(session, settings)
    listings = await session.scalars(
        select(Listing)
        .where(
            Listing.status == ListingStatus.published,
            Listing.published_at > since,
            _unmarked(AlertEntity.listing, Listing),
        )
        .order_by(Listing.published_at, Listing.id)
    )
    for listing in listings.all():
        report.alerts += await alert_for_listing(session, settings, listing, ctx)
        await _mark(session, AlertEntity.listing, listing)
        report.listings += 1
    needs = await session.scalars(
        select(Need)
        .where(
            needs_repository.live(needs_repository.vn_today(now)),
            Need.published_at > since,
            _unmarked(AlertEntity.need, Need),
        )
        .order_by(Need.published_at, Need.id)
    )
    for need in needs.all():
        report.alerts += await alert_for_need(session, settings, need, ctx)
        await _mark(session, AlertEntity.need, need)
        report.needs += 1
    cursor.position = max(since, now - SETTLE)
    # Marks behind the cursor can never be looked at again.
    await session.execute(
        delete(AlertPublication).where(AlertPublication.published_at <= cursor.position)
    )
    await session.flush()
    if report.listings or report.needs:
        log.info(
            "publication alerts: %d listing(s), %d need(s), %d alert(s)",
            report.listings, report.needs, report.alerts,
        )  # fmt: skip
    return report
