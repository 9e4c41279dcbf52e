"""The demo deals: connections, their timelines, services and contracts, as the services keep them.

One seeded transaction serves the module (tests/seed/conftest.py); the second seeding runs in that
same transaction, last, so it cannot wait on the first one's locks.
"""

import unicodedata
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.auth.models import Organisation, User
from app.connections import brokerage
from app.connections.models import (
    COUNTED_STATUSES,
    Connection,
    ConnectionChannel,
    ConnectionEvent,
    ConnectionEventKind,
    ConnectionStatus,
    ServiceRequest,
    ServiceRequestStatus,
)
from app.contracts import rules as contract_rules
from app.contracts.models import SIGNED_STATUSES, Contract, ContractStatus
from app.contracts.service import TERM_FIELDS, check_terms, missing_for_signing
from app.core.config import Settings
from app.core.db import get_session
from app.listings.models import Listing, ListingAccessGrant
from app.listings.taxonomy import check_codes, labels
from app.main import create_app
from app.needs.models import Need
from app.seed import demo
from app.seed.builders import ANCHOR
from app.seed.deals import TECHMARTS, build_deals, day_start, slots, vn_day
from app.seed.plan import build_plan

Seeded = tuple[AsyncSession, demo.SeedReport]
EIGHTEEN_MONTHS_AGO = ANCHOR - timedelta(days=550)
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


async def _all(session: AsyncSession, model: type) -> list[Any]:
    return list((await session.scalars(select(model))).all())


def test_the_deals_are_the_same_on_every_build() -> None:
    plan = build_plan(demo.SEED)
    first, second = build_deals(plan, demo.SEED), build_deals(build_plan(demo.SEED), demo.SEED)
    assert first == second
    assert len(slots()) == len(first.connections) == 120


async def test_counts_are_in_range_and_every_kind_is_there(seeded: Seeded) -> None:
    session, report = seeded
    assert 100 <= report.totals["connections"] <= 140
    assert 35 <= report.totals["service_requests"] <= 45
    assert 12 <= report.totals["contracts"] <= 16
    assert report.created["connection_events"] >= 3 * report.totals["connections"]
    assert set(report.deals["connections_by_status"]) == set(ConnectionStatus)
    assert set(report.deals["connections_by_channel"]) == set(ConnectionChannel)
    assert set(report.deals["contracts_by_status"]) == set(ContractStatus)
    types = report.deals["contracts_by_type"]
    assert types["ownership_assignment"] == types["st_service"] == 1
    assert types["licence_exclusive"] + types["licence_non_exclusive"] >= 5
    assert types["equipment_sale"] >= 3
    assert set(report.deals["service_requests_by_type"]) == set(
        await labels(session, "service_request_type")
    )
    assert set(report.deals["service_requests_by_status"]) == set(ServiceRequestStatus)


async def test_counted_connections_were_accepted_in_order(seeded: Seeded) -> None:
    session, _ = seeded
    connections = await _all(session, Connection)
    for c in connections:
        assert EIGHTEEN_MONTHS_AGO <= c.created_at <= ANCHOR
        if c.status in COUNTED_STATUSES:
            assert c.accepted_at is not None
            assert c.supplier_accepted_at is not None
            assert c.seeker_accepted_at is not None
            assert c.declined_at is None
        else:
            assert c.accepted_at is None
            assert (c.declined_at is not None) == (c.status is ConnectionStatus.declined)
            assert c.supplier_accepted_at is None or c.seeker_accepted_at is None
        steps = [c.accepted_at, c.negotiation_started_at, c.contracted_at or c.closed_at]
        present = [s for s in steps if s is not None]
        assert present == sorted(present)
        assert all(s <= ANCHOR for s in present)
        assert (c.contracted_at is not None) == (c.status is ConnectionStatus.contracted)
        assert (c.closed_at is not None) == (c.status is ConnectionStatus.closed_no_deal)
        if c.status in (ConnectionStatus.in_negotiation, ConnectionStatus.contracted):
            assert c.negotiation_started_at is not None


async def test_one_connection_per_pair_between_distinct_parties(seeded: Seeded) -> None:
    session, _ = seeded
    connections = await _all(session, Connection)
    by_listing = Counter(
        (c.listing_id, c.seeker_organisation_id) for c in connections if c.listing_id
    )
    by_need = Counter(
        (c.need_id, c.supplier_organisation_id) for c in connections if c.listing_id is None
    )
    assert max(by_listing.values()) == 1
    assert max(by_need.values()) == 1
    listings = {x.id: x for x in await _all(session, Listing)}
    needs = {x.id: x for x in await _all(session, Need)}
    for c in connections:
        assert c.supplier_organisation_id != c.seeker_organisation_id
        subjects = []
        if c.listing_id is not None:
            listing = listings[c.listing_id]
            assert listing.organisation_id == c.supplier_organisation_id
            assert listing.organisation_id != c.seeker_organisation_id
            subjects.append(listing)
        if c.need_id is not None:
            need = needs[c.need_id]
            assert need.organisation_id == c.seeker_organisation_id
            subjects.append(need)
        assert subjects
        made = min(c.created_at, c.accepted_at or c.created_at)  # events: the meeting day
        for subject in subjects:  # published, and already published when they connected
            assert subject.status == "published"
            assert subject.published_at is not None
            assert subject.published_at < made


async def test_timelines_record_every_transition(seeded: Seeded) -> None:
    session, _ = seeded
    events: dict[uuid.UUID, list[ConnectionEvent]] = {}
    for event in await session.scalars(select(ConnectionEvent).order_by(ConnectionEvent.at)):
        events.setdefault(event.connection_id, []).append(event)
    for c in await _all(session, Connection):
        timeline = events[c.id]
        assert timeline[0].kind is ConnectionEventKind.created
        assert timeline[0].at == c.created_at
        moves = [(e.from_status, e.to_status) for e in timeline if e.to_status is not None]
        assert moves[0][0] is None
        for (_, before), (after, _) in zip(moves, moves[1:], strict=False):
            assert after == before
        assert moves[-1][1] == c.status.value
        assert all(e.at <= ANCHOR and e.actor_label for e in timeline)
        assert c.updated_at == max(e.at for e in timeline)
    messages = [e.body for t in events.values() for e in t if e.kind is ConnectionEventKind.message]
    assert len(messages) >= 30
    assert all(m and set(m.lower()) & VIETNAMESE for m in messages)


async def test_accepted_requests_answers_and_introductions_grant_the_detail(
    seeded: Seeded,
) -> None:
    session, _ = seeded
    accepted_online = {
        (c.listing_id, c.seeker_organisation_id)
        for c in await _all(session, Connection)
        if c.listing_id is not None
        and c.status in COUNTED_STATUSES
        and c.channel in (ConnectionChannel.online, ConnectionChannel.broker)
    }
    grants = {(g.listing_id, g.organisation_id) for g in await _all(session, ListingAccessGrant)}
    assert accepted_online
    assert grants == accepted_online


async def test_events_and_partner_reports_name_their_source(seeded: Seeded) -> None:
    session, _ = seeded
    connections = await _all(session, Connection)
    marts = {m.name: m.day for m in TECHMARTS}
    met = [c for c in connections if c.channel is ConnectionChannel.event]
    assert len({c.event_name for c in met}) >= 3
    for c in met:
        assert c.event_date == marts[c.event_name]
        assert c.accepted_at == day_start(c.event_date)
        assert c.created_at > c.accepted_at  # recorded after the meeting
    reported = [c for c in connections if c.channel is ConnectionChannel.partner_exchange]
    assert {c.partner_exchange for c in reported} == {"brvt", "binh_duong"}
    assert len({c.external_ref for c in reported}) == len(reported)
    for c in reported:
        partner = await session.get(Organisation, c.partner_organisation_id)
        assert partner is not None
        assert partner.kind == "partner_exchange"
        assert partner.source_exchange == c.partner_exchange


async def test_signed_contracts_have_contracted_connections(seeded: Seeded) -> None:
    session, _ = seeded
    contracts = await _all(session, Contract)
    connections = {c.id: c for c in await _all(session, Connection)}
    for contract in contracts:
        connection = connections[contract.connection_id]
        assert contract.supplier_organisation_id == connection.supplier_organisation_id
        assert contract.buyer_organisation_id == connection.seeker_organisation_id
        assert contract.listing_id == connection.listing_id
        assert contract.broker_user_id == connection.broker_user_id
        if contract.status in SIGNED_STATUSES:
            assert connection.status is ConnectionStatus.contracted
            assert contract.signed_date is not None
            assert connection.contracted_at is not None
            assert contract.signed_date <= vn_day(connection.contracted_at)
        else:
            assert connection.status in (ConnectionStatus.accepted, ConnectionStatus.in_negotiation)
    signed_on = {c.connection_id for c in contracts if c.status in SIGNED_STATUSES}
    contracted = {c.id for c in connections.values() if c.status is ConnectionStatus.contracted}
    assert signed_on == contracted


async def test_contract_terms_follow_the_contracts_rules(seeded: Seeded) -> None:
    session, _ = seeded
    contracts = await _all(session, Contract)
    assert any(c.registration_required for c in contracts)
    assert any(c.registration_certificate_number for c in contracts)
    for c in contracts:
        terms = {f: getattr(c, f) for f in TERM_FIELDS}
        assert await check_terms(session, terms) == [], c.title
        assert missing_for_signing(c) == [], c.title
        assert c.registration_required == contract_rules.registration_required(
            c.contract_type, c.partner_direction, c.state_funded
        )
        assert c.currency == "VND"
        assert c.value_vnd is not None
        assert 100_000_000 <= c.value_vnd <= 6_000_000_000
        if c.signed_date is None:
            assert c.registration_deadline is None
            continue
        expected = c.signed_date + timedelta(days=90) if c.registration_required else None
        assert c.registration_deadline == expected
        if c.registration_certificate_date is not None:
            assert c.signed_date <= c.registration_certificate_date <= ANCHOR.date()
        signatures = c.supplier_signed_at and c.buyer_signed_at
        assert bool(signatures) != c.recorded_by_broker
        moments = [c.execution_started_at, c.completed_at or c.terminated_at]
        assert [m for m in moments if m] == sorted(m for m in moments if m)
        assert (c.completed_at is not None) == (c.status is ContractStatus.completed)
        assert (c.terminated_reason is not None) == (c.status is ContractStatus.terminated)


async def test_service_requests_follow_the_brokerage_rules(seeded: Seeded) -> None:
    session, _ = seeded
    requests = await _all(session, ServiceRequest)
    handlers = {r.handler_user_id for r in requests}
    users = (await session.scalars(select(User).where(User.id.in_(handlers)))).all()
    assert all(set(u.platform_roles) & brokerage.HANDLER_ROLES for u in users)
    assert len(users) == len(handlers)
    types = {r.type for r in requests}
    assert await check_codes(session, "service_request_type", types, ["type"]) == []
    noted = set(
        await session.scalars(
            select(ConnectionEvent.object_id).where(
                ConnectionEvent.kind == ConnectionEventKind.service_request
            )
        )
    )
    for r in requests:
        assert r.id in noted
        assert (r.started_at is not None) == (
            r.status in (ServiceRequestStatus.in_progress, ServiceRequestStatus.done)
        )
        assert (r.completed_at is not None) == (
            r.status in (ServiceRequestStatus.done, ServiceRequestStatus.cancelled)
        )
        assert (r.outcome is not None) == (r.completed_at is not None)


async def test_both_brokers_have_a_pipeline(seeded: Seeded) -> None:
    session, _ = seeded
    brokers = (
        await session.scalars(select(User).where(User.platform_roles.contains(["broker"])))
    ).all()
    for broker in brokers:
        pipeline = await brokerage.pipeline(session, broker.id, ANCHOR.date())
        busy = [stage.status for stage in pipeline.stages if stage.count]
        assert len(busy) >= 4, broker.email
        assert any(i.next_action_due for s in pipeline.stages for i in s.items)
    assigned = set(await session.scalars(select(Connection.broker_user_id)))
    assert assigned - {None} <= {b.id for b in brokers}


async def test_deal_texts_are_nfc(seeded: Seeded) -> None:
    session, _ = seeded
    for model, columns in [
        (Connection, ("message", "close_reason", "next_action", "event_name")),
        (ConnectionEvent, ("body",)),
        (ServiceRequest, ("description", "outcome")),
        (Contract, ("title", "payment_notes", "licence_territory", "terminated_reason")),
    ]:
        for row in await _all(session, model):
            for column in columns:
                value = getattr(row, column)
                assert value is None or unicodedata.is_normalized("NFC", value), (column, value)


@pytest.fixture
async def seeded_client(
    seeded: Seeded, settings: Settings, engine: AsyncEngine
) -> AsyncIterator[httpx.AsyncClient]:
    """The API reading the module's seeded (uncommitted) transaction."""
    session, _ = seeded
    app = create_app(settings, manage_database=False)
    app.state.engine = engine

    async def seeded_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = seeded_session
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_the_dashboard_counts_the_seeded_deals(
    seeded: Seeded, seeded_client: httpx.AsyncClient
) -> None:
    session, _ = seeded
    body = (await seeded_client.get("/api/v1/kpi")).json()
    targets = {t["code"]: t for t in body["targets"]}
    by_channel: dict[str, int] = dict(
        (
            await session.execute(
                text(
                    "SELECT channel, count(*) FROM connections WHERE accepted_at IS NOT NULL "
                    "AND status IN ('accepted', 'in_negotiation', 'contracted', 'closed_no_deal') "
                    "GROUP BY channel"
                )
            )
        ).all()
    )
    contracts, value = (
        await session.execute(
            text(
                "SELECT count(*), sum(value_vnd) FROM contracts WHERE signed_date IS NOT NULL "
                "AND status <> 'draft' AND contract_type <> 'st_service'"
            )
        )
    ).one()
    connections = targets["connections"]
    assert connections["value"] == sum(by_channel.values()) >= 80
    rows = connections["breakdowns"]["by_channel"]
    assert {r["key"]: r["value"] for r in rows if r["value"]} == by_channel
    assert sum(r["value"] for r in connections["breakdowns"]["by_month"]) == connections["value"]
    assert (targets["contracts"]["value"], targets["contracts"]["value_vnd"]) == (contracts, value)
    assert contracts >= 10


async def test_seeding_again_adds_no_deal(seeded: Seeded) -> None:
    session, first = seeded
    second = await demo.seed_demo(session)
    assert set(second.created.values()) == {0}
    assert second.totals == first.totals
    assert second.deals == first.deals
    count = await session.scalar(select(func.count()).select_from(ConnectionEvent))
    assert count == first.created["connection_events"]
