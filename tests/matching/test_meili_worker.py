"""The outbox worker on a real PostgreSQL: every change reaches the index exactly once, an
outage delays indexing without losing anything, and a worker killed mid-drain loses nothing."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.auth.models import Organisation, OrgRole
from app.core.config import Settings
from app.core.db import get_session, unit_of_work, utcnow
from app.listings.models import Listing
from app.main import create_app
from app.matching.indexer import reindex
from app.matching.meili_engine import MeilisearchEngine
from app.matching.models import OutboxEvent, OutboxOp
from app.matching.postgres_engine import PostgresSearchEngine
from app.matching.worker import (
    BACKOFF_CAP,
    BACKOFF_FIRST,
    PAUSE_LOCK,
    WorkerOptions,
    backoff,
    drain_batch,
    run,
)
from app.needs.models import Need
from tests.factories import create_listing, create_need, create_organisation, create_user
from tests.matching.fake_meilisearch import BASE_URL, FakeMeilisearch


class EngineDown(ConnectionError):
    """What an unreachable Meilisearch looks like to the worker."""


class RecordingEngine:
    """An in-memory search index that records every call and can be told to fail."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, dict[str, Any]]] = {"listing": {}, "need": {}}
        self.calls: list[tuple[str, str, str]] = []  # (op, entity, id)
        self.down = False  # writes fail
        self.unready = False  # even settings cannot be applied (the server is gone)

    def _check(self) -> None:
        if self.down:
            raise EngineDown("search engine unreachable")

    async def ensure_ready(self) -> None:
        if self.unready:
            raise EngineDown("search engine unreachable")

    async def index_listings(self, docs: Sequence[dict[str, Any]]) -> None:
        self._put("listing", docs)

    async def index_needs(self, docs: Sequence[dict[str, Any]]) -> None:
        self._put("need", docs)

    def _put(self, entity: str, docs: Sequence[dict[str, Any]]) -> None:
        self._check()
        for doc in docs:
            self.docs[entity][doc["id"]] = doc
            self.calls.append(("upsert", entity, doc["id"]))

    async def remove(self, entity: str, ids: Iterable[str]) -> None:
        self._check()
        for i in ids:
            self.docs[entity].pop(i, None)
            self.calls.append(("remove", entity, i))

    async def search_listings(self, query: Any) -> Any:
        raise NotImplementedError

    async def search_needs(self, query: Any) -> Any:
        raise NotImplementedError

    def sent(self, entity_id: uuid.UUID) -> list[str]:
        return [op for op, _, i in self.calls if i == str(entity_id)]


async def events(session: AsyncSession, *ids: uuid.UUID) -> list[OutboxEvent]:
    stmt = select(OutboxEvent).where(OutboxEvent.entity_id.in_(ids)).order_by(OutboxEvent.id)
    return list((await session.scalars(stmt.execution_options(populate_existing=True))).all())


# -- in the test's transaction ------------------------------------------------------------------


async def test_listing_and_need_changes_write_outbox_rows(session: AsyncSession) -> None:
    listing = await create_listing(session)
    need = await create_need(session)
    listing.title_vi = "Công nghệ sấy lạnh thế hệ mới"
    await session.flush()
    await session.delete(listing)
    await session.flush()

    ops = [(e.entity.value, e.op) for e in await events(session, listing.id, need.id)]

    assert ops == [
        ("listing", OutboxOp.upsert),
        ("need", OutboxOp.upsert),
        ("listing", OutboxOp.upsert),
        ("listing", OutboxOp.delete),
    ]


async def test_drain_indexes_each_changed_entity_once(session: AsyncSession) -> None:
    org = await create_organisation(session)
    first, second = await create_listing(session, org), await create_listing(session, org)
    need = await create_need(session)
    for title in ("Tên tạm", "Máy sấy bơm nhiệt 500 kg/mẻ"):
        first.title_vi = title
        await session.flush()  # one event per flush: three for `first`
    engine = RecordingEngine()

    report = await drain_batch(session, engine)

    assert engine.sent(first.id) == ["upsert"]
    assert engine.sent(second.id) == ["upsert"]
    assert engine.sent(need.id) == ["upsert"]
    assert engine.docs["listing"][str(first.id)]["title_vi"] == "Máy sấy bơm nhiệt 500 kg/mẻ"
    assert len(await events(session, first.id, second.id, need.id)) == 5
    assert report.claimed >= 5  # all of them, coalesced into one send per entity
    assert report.indexed == 3
    assert all(e.processed_at is not None for e in await events(session, first.id, need.id))
    assert (await drain_batch(session, engine)).claimed == 0  # nothing left


async def test_a_deleted_row_is_removed_from_the_index(session: AsyncSession) -> None:
    listing = await create_listing(session)
    engine = RecordingEngine()
    await drain_batch(session, engine)

    await session.delete(listing)
    await session.flush()
    report = await drain_batch(session, engine)

    assert report.removed == 1
    assert engine.sent(listing.id) == ["upsert", "remove"]
    assert str(listing.id) not in engine.docs["listing"]


async def test_an_outage_keeps_every_event_for_a_later_retry(session: AsyncSession) -> None:
    engine = RecordingEngine()
    engine.down = True
    before = utcnow()

    listing = await create_listing(session, title_vi="Thiết bị đo độ ẩm hạt")  # the user's write
    report = await drain_batch(session, engine)

    assert report.failed == 1
    assert await session.get(Listing, listing.id) is not None  # the write itself stands
    (event,) = await events(session, listing.id)
    assert event.processed_at is None
    assert event.attempts == 1
    assert "EngineDown: search engine unreachable" in (event.last_error or "")
    assert before + BACKOFF_FIRST <= event.next_attempt_at <= utcnow() + BACKOFF_FIRST * 1.2

    engine.down = False
    assert (await drain_batch(session, engine)).claimed == 0  # not due yet: backing off
    later = await drain_batch(session, engine, now=utcnow() + BACKOFF_FIRST * 2)

    assert later.indexed == 1
    (event,) = await events(session, listing.id)
    assert event.processed_at is not None
    assert event.last_error is None


async def test_repeated_failures_back_off_up_to_ten_minutes(session: AsyncSession) -> None:
    engine = RecordingEngine()
    engine.down = True
    listing = await create_listing(session)
    now = utcnow()
    for _ in range(12):
        now += BACKOFF_CAP * 1.3
        await drain_batch(session, engine, now=now)

    (event,) = await events(session, listing.id)
    assert event.attempts == 12
    assert event.processed_at is None  # never dropped
    assert event.next_attempt_at - now == BACKOFF_CAP


def test_backoff_doubles_from_five_seconds_with_jitter() -> None:
    for attempts, base in ((1, 5), (2, 10), (3, 20), (7, 320)):
        delay = backoff(attempts).total_seconds()
        assert base <= delay <= base * 1.2
    assert backoff(30) == backoff(10_000) == BACKOFF_CAP  # no overflow after months of outage


async def test_with_the_database_as_index_events_are_only_marked(session: AsyncSession) -> None:
    listing = await create_listing(session)

    report = await drain_batch(session, PostgresSearchEngine(session))

    assert report.claimed == 1
    assert report.indexed == 0
    (event,) = await events(session, listing.id)
    assert event.processed_at is not None


async def test_a_write_through_the_api_succeeds_while_meilisearch_is_down(
    settings: Settings, engine: AsyncEngine, session: AsyncSession, auth_headers: Any
) -> None:
    """End to end with the real adapter: nothing listens on MEILI_URL, the user's write still
    succeeds, and the worker keeps the event for later."""
    down = settings.model_copy(update={"meili_url": "http://127.0.0.1:9"})  # discard port
    app = create_app(down, manage_database=False)
    app.state.engine = engine

    async def test_session() -> AsyncIterator[AsyncSession]:
        async with unit_of_work(session):
            yield session

    app.dependency_overrides[get_session] = test_session
    org = await create_organisation(session)
    author = await create_user(session, org, OrgRole.member)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        created = await client.post(
            "/api/v1/listings",
            json={"kind": "technology", "title_vi": "Máy sấy lạnh nông sản"},
            headers=auth_headers(author),
        )

    assert created.status_code == 201, created.text
    listing_id = uuid.UUID(created.json()["id"])
    report = await drain_batch(session, MeilisearchEngine(down, http_timeout_s=2))
    assert report.failed >= 1
    (event,) = await events(session, listing_id)
    assert event.processed_at is None
    assert event.attempts == 1
    assert "MeilisearchCommunicationError" in (event.last_error or "")


# -- across connections: committed data, real locks ---------------------------------------------


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator["Committed"]:
    data = Committed(async_sessionmaker(engine, expire_on_commit=False))
    try:
        yield data
    finally:
        await data.cleanup()


class Committed:
    """Rows committed for real (SKIP LOCKED and crashes need other connections to see them),
    deleted again at the end of the test."""

    def __init__(self, maker: async_sessionmaker[AsyncSession]) -> None:
        self.maker = maker
        self.orgs: list[uuid.UUID] = []
        self.listings: list[uuid.UUID] = []
        self.needs: list[uuid.UUID] = []

    async def catalogue(self, listings: int = 3, needs: int = 1) -> None:
        async with self.maker() as session, session.begin():
            org = await create_organisation(session)
            self.orgs.append(org.id)
            for _ in range(listings):
                self.listings.append((await create_listing(session, org)).id)
            for _ in range(needs):
                self.needs.append((await create_need(session)).id)

    @property
    def ids(self) -> list[uuid.UUID]:
        return [*self.listings, *self.needs]

    async def pending(self) -> list[OutboxEvent]:
        async with self.maker() as session:
            return [e for e in await events(session, *self.ids) if e.processed_at is None]

    async def cleanup(self) -> None:
        # Bulk deletes bypass the outbox hook, so cleaning up queues nothing.
        async with self.maker() as session, session.begin():
            await session.execute(delete(OutboxEvent).where(OutboxEvent.entity_id.in_(self.ids)))
            await session.execute(delete(Listing).where(Listing.id.in_(self.listings)))
            need_orgs = select(Need.organisation_id).where(Need.id.in_(self.needs))
            orgs = [*self.orgs, *(await session.scalars(need_orgs)).all()]
            await session.execute(delete(Need).where(Need.id.in_(self.needs)))
            await session.execute(delete(Organisation).where(Organisation.id.in_(orgs)))


class Crash(BaseException):
    """The process dies: nothing after this point runs, the transaction is never committed."""


async def drain_then_die(maker: async_sessionmaker[AsyncSession], engine: RecordingEngine) -> None:
    async with maker() as session, session.begin():
        await drain_batch(session, engine)
        raise Crash  # killed after the engine call, before COMMIT


async def test_a_worker_killed_after_sending_resends_on_restart(committed: Committed) -> None:
    await committed.catalogue(listings=3, needs=1)
    engine = RecordingEngine()

    with pytest.raises(Crash):
        await drain_then_die(committed.maker, engine)

    assert all(engine.sent(i) == ["upsert"] for i in committed.ids)  # it did reach the index
    assert len(await committed.pending()) == 4  # ...but nothing was marked processed

    totals = await run(committed.maker, engine, WorkerOptions(once=True), asyncio.Event())

    assert totals.indexed >= 4
    assert await committed.pending() == []  # no event left behind
    for entity, ids in (("listing", committed.listings), ("need", committed.needs)):
        for i in ids:  # exactly one document per id, the current one
            assert [d for d in engine.docs[entity] if d == str(i)] == [str(i)]
            assert engine.sent(i) == ["upsert", "upsert"]


async def test_a_worker_killed_while_sending_loses_nothing(committed: Committed) -> None:
    await committed.catalogue(listings=2, needs=0)
    engine = RecordingEngine()

    async def dies(docs: Sequence[dict[str, Any]]) -> None:
        raise Crash

    engine.index_listings = dies  # type: ignore[method-assign]
    with pytest.raises(Crash):
        async with committed.maker() as session, session.begin():
            await drain_batch(session, engine)

    pending = await committed.pending()
    assert len(pending) == 2
    assert all(e.attempts == 0 for e in pending)  # a crash is not a failed attempt

    await run(committed.maker, RecordingEngine(), WorkerOptions(once=True), asyncio.Event())
    assert await committed.pending() == []


async def test_two_workers_split_a_backlog_without_racing(committed: Committed) -> None:
    await committed.catalogue(listings=2, needs=1)
    async with committed.maker() as session, session.begin():
        first = await session.get_one(Listing, committed.listings[0])
        first.title_vi = "Bản cập nhật mới nhất"  # a later event for the same listing
    engine = RecordingEngine()

    async with committed.maker() as a, a.begin():
        report_a = await drain_batch(a, engine, batch_size=2)  # claims the first two events
        async with committed.maker() as b, b.begin():
            report_b = await drain_batch(b, engine)  # skips A's rows, defers A's listing

    assert (report_a.claimed, report_a.indexed) == (2, 2)
    assert report_b.deferred == 1  # the update of the listing A was sending
    assert report_b.indexed == 1  # the need
    await run(committed.maker, engine, WorkerOptions(once=True), asyncio.Event())
    assert await committed.pending() == []
    assert engine.docs["listing"][str(first.id)]["title_vi"] == "Bản cập nhật mới nhất"


async def test_the_worker_pauses_while_a_reindex_holds_the_lock(
    committed: Committed, engine: AsyncEngine
) -> None:
    await committed.catalogue(listings=1, needs=0)
    search = RecordingEngine()

    async with engine.connect() as lock, lock.begin():
        await lock.execute(select(func.pg_advisory_xact_lock(PAUSE_LOCK)))
        async with committed.maker() as session, session.begin():
            report = await drain_batch(session, search)

    assert report.paused
    assert search.calls == []
    assert len(await committed.pending()) == 1


async def test_the_worker_waits_out_an_outage_then_catches_up(committed: Committed) -> None:
    await committed.catalogue(listings=1, needs=1)
    search = RecordingEngine()
    search.down = True
    stop = asyncio.Event()
    options = WorkerOptions(poll_interval=0.05)
    worker = asyncio.create_task(run(committed.maker, search, options, stop))
    await asyncio.sleep(0.3)
    assert len(await committed.pending()) == 2  # still queued while the engine is down

    search.down = False
    async with committed.maker() as session, session.begin():  # skip the 5 s backoff
        await session.execute(
            text("UPDATE search_outbox SET next_attempt_at = now() WHERE entity_id = ANY(:ids)"),
            {"ids": committed.ids},
        )
    for _ in range(100):
        if not await committed.pending():
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(worker, timeout=5)

    assert await committed.pending() == []
    assert all(search.sent(i) == ["upsert"] for i in committed.ids)


async def test_run_once_fails_loudly_when_the_engine_cannot_be_prepared(
    committed: Committed,
) -> None:
    await committed.catalogue(listings=1, needs=0)
    search = RecordingEngine()
    search.unready = True

    with pytest.raises(EngineDown):
        await run(committed.maker, search, WorkerOptions(once=True), asyncio.Event())

    assert len(await committed.pending()) == 1  # nothing lost, nothing marked


async def test_reindex_rebuilds_from_the_database_and_swaps(
    committed: Committed,
    engine: AsyncEngine,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await committed.catalogue(listings=3, needs=0)
    fake = FakeMeilisearch()
    fake.install(monkeypatch)
    meili = MeilisearchEngine(
        settings.model_copy(update={"meili_url": BASE_URL}), task_timeout_ms=2000
    )
    await meili.ensure_ready()

    report = await reindex(engine, meili, "listing", batch_size=2)

    assert report is not None
    assert report.swapped
    assert {str(i) for i in committed.listings} <= set(fake.indexes["test_listings"].documents)
    assert set(fake.indexes) == {"test_listings", "test_needs"}
    assert await reindex(engine, RecordingEngine(), "listing") is None  # type: ignore[arg-type]


async def test_processed_events_are_kept_a_while_then_pruned(session: AsyncSession) -> None:
    from app.matching.worker import KEEP_PROCESSED, prune

    listing = await create_listing(session)
    await drain_batch(session, RecordingEngine())
    await prune(session)
    (event,) = await events(session, listing.id)  # processed just now: kept

    event.processed_at = utcnow() - KEEP_PROCESSED - timedelta(minutes=1)
    await session.flush()
    await prune(session)

    assert await events(session, listing.id) == []


# -- the commands -------------------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from app import cli
    from app.core.config import get_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TECHX_ENV", "test")
    monkeypatch.delenv("MEILI_URL", raising=False)
    monkeypatch.setattr(cli, "configure_logging", lambda level: None)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_techx_worker_once_drains_and_exits(cli_env: None) -> None:
    from click.testing import CliRunner

    from app.cli import main

    result = CliRunner().invoke(main, ["worker", "--once", "--batch-size", "50"])

    assert result.exit_code == 0, result.output
    assert "search worker stopped" in result.output


def test_techx_reindex_without_meilisearch_is_a_no_op(cli_env: None) -> None:
    from click.testing import CliRunner

    from app.cli import main

    result = CliRunner().invoke(main, ["reindex", "--entity", "listings"])

    assert result.exit_code == 0, result.output
    assert "the database is the search index" in result.output
