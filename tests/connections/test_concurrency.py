"""Concurrent requests and accepts on one pair never count twice.

These tests need real concurrency: every request gets its own session and database connection
(not the rolled-back test session), so their data is committed and deleted again at the end.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.auth.models import Organisation, OrganisationKind, User
from app.connections.models import Connection, ConnectionEvent
from app.core.audit import AuditEntry
from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.listings.models import Listing, ListingAccessGrant
from app.main import create_app
from app.matching.models import OutboxEvent
from app.notifications.models import Notification
from tests.connections.helpers import API
from tests.factories import bearer, create_listing, create_organisation, create_user

CALLERS = 20


@dataclass
class Committed:
    organisations: list[uuid.UUID] = field(default_factory=list)
    users: list[uuid.UUID] = field(default_factory=list)
    listings: list[uuid.UUID] = field(default_factory=list)


@pytest.fixture
async def live(
    settings: Settings, database_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, AsyncEngine, Committed]]:
    """An app whose requests each open their own session, and a record of what to delete."""
    engine = create_engine(database_url, pool_size=CALLERS + 2, max_overflow=0)
    app = create_app(settings, manage_database=False)
    app.state.engine, app.state.sessionmaker = engine, create_sessionmaker(engine)
    made = Committed()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, engine, made
    finally:
        await _delete(engine, made)
        await engine.dispose()


async def _delete(engine: AsyncEngine, made: Committed) -> None:
    async with create_sessionmaker(engine)() as s, s.begin():
        connections = select(Connection.id).where(Connection.listing_id.in_(made.listings))
        ids = [str(i) for i in (await s.scalars(connections)).all()]
        await s.execute(delete(AuditEntry).where(or_(
            AuditEntry.actor_user_id.in_(made.users), AuditEntry.object_id.in_(ids)
        )))  # fmt: skip
        await s.execute(delete(Notification).where(Notification.user_id.in_(made.users)))
        await s.execute(delete(Connection).where(Connection.listing_id.in_(made.listings)))
        await s.execute(
            delete(ListingAccessGrant).where(ListingAccessGrant.listing_id.in_(made.listings))
        )
        await s.execute(delete(Listing).where(Listing.id.in_(made.listings)))
        await s.execute(delete(OutboxEvent).where(OutboxEvent.entity_id.in_(made.listings)))
        await s.execute(delete(User).where(User.id.in_(made.users)))
        await s.execute(delete(Organisation).where(Organisation.id.in_(made.organisations)))
    left = (
        select(func.count())
        .select_from(Organisation)
        .where(Organisation.id.in_(made.organisations))
    )
    assert await _count(engine, left) == 0, "committed test data was not cleaned up"


async def _setup(engine: AsyncEngine, made: Committed) -> tuple[Listing, list[User], User]:
    """A published listing, 20 members of one company, and the listing's owner; committed."""
    async with create_sessionmaker(engine)() as s:
        institute = await create_organisation(s)
        company = await create_organisation(s, kind=OrganisationKind.enterprise)
        made.organisations += [institute.id, company.id]
        owner = await create_user(s, institute)
        seekers = [await create_user(s, company) for _ in range(CALLERS)]
        made.users += [owner.id, *(u.id for u in seekers)]
        listing = await create_listing(s, institute)
        made.listings.append(listing.id)
        await s.commit()
    return listing, seekers, owner


async def _count(engine: AsyncEngine, stmt: object) -> int:
    async with create_sessionmaker(engine)() as s:
        return int(await s.scalar(stmt) or 0)  # type: ignore[call-overload]


async def test_twenty_concurrent_requests_create_one_connection(
    live: tuple[httpx.AsyncClient, AsyncEngine, Committed], settings: Settings
) -> None:
    client, engine, made = live
    listing, seekers, _ = await _setup(engine, made)
    body = {"listing_id": str(listing.id)}
    responses = await asyncio.gather(
        *(client.post(API, json=body, headers=bearer(settings, u)) for u in seekers)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (CALLERS - 1) + [201], [r.text for r in responses if r.is_error]
    assert len({r.json()["id"] for r in responses}) == 1
    pair = select(func.count()).select_from(Connection).where(Connection.listing_id == listing.id)
    assert await _count(engine, pair) == 1
    created = select(func.count()).where(
        ConnectionEvent.connection_id == uuid.UUID(responses[0].json()["id"]),
        ConnectionEvent.kind == "created",
    )
    assert await _count(engine, created) == 1


async def test_twenty_concurrent_accepts_make_one_transition(
    live: tuple[httpx.AsyncClient, AsyncEngine, Committed], settings: Settings
) -> None:
    client, engine, made = live
    listing, seekers, owner = await _setup(engine, made)
    requested = await client.post(
        API, json={"listing_id": str(listing.id)}, headers=bearer(settings, seekers[0])
    )
    assert requested.status_code == 201, requested.text
    url = f"{API}/{requested.json()['id']}/accept"
    headers = bearer(settings, owner)
    responses = await asyncio.gather(*(client.post(url, headers=headers) for _ in range(CALLERS)))
    assert sorted(r.status_code for r in responses) == [200] + [409] * (CALLERS - 1)
    connection_id = uuid.UUID(requested.json()["id"])
    transitions = select(func.count()).where(
        ConnectionEvent.connection_id == connection_id, ConnectionEvent.to_status == "accepted"
    )
    assert await _count(engine, transitions) == 1
    audits = select(func.count()).where(
        AuditEntry.object_id == str(connection_id), AuditEntry.action == "connection.accept"
    )
    assert await _count(engine, audits) == 1
    grants = select(func.count()).where(ListingAccessGrant.listing_id == listing.id)
    assert await _count(engine, grants) == 1
    notices = select(func.count()).where(
        Notification.object_id == connection_id, Notification.kind == "connection.accepted"
    )
    assert await _count(engine, notices) == CALLERS  # each company member, exactly once
