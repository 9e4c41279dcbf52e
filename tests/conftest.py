"""Test harness: one real PostgreSQL per session, schema built by the migrations,
each test inside a transaction that is rolled back at the end."""

import os
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from fastapi import BackgroundTasks, FastAPI
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.database import upgrade_to_head
from app.core.db import create_engine, get_session, unit_of_work
from app.main import create_app

pytest_plugins = ["tests.factories"]


@pytest.fixture(scope="session")
def database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        from app.core import embedded_pg

        # Not under pytest's tmp tree: pytest locks that down (0700) before the server stops.
        pgdata = Path(tempfile.mkdtemp(prefix="techx-test-pg-")) / "data"
        url = embedded_pg.start(pgdata, "techx_test", delete_on_exit=True)
    upgrade_to_head(url, configure_logging=False)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    var = Path(tempfile.mkdtemp(prefix="techx-test-var-"))
    return Settings(
        TECHX_ENV="test",
        database_url=database_url,
        secret_key="test-secret-key-not-for-production-use-0123456789",
        var_dir=var,
        upload_dir=Path(var) / "uploads",
        seed_demo_on_first_start=False,
        # Every test has its own rolled-back data: nothing may be reused across tests.
        match_stats_ttl_seconds=0,
    )


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose commits are savepoints inside one transaction rolled back after the test."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            autoflush=False,
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine, session: AsyncSession) -> FastAPI:
    app = create_app(settings, manage_database=False)
    app.state.engine = engine
    app.state.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)

    async def test_session(background: BackgroundTasks) -> AsyncIterator[AsyncSession]:
        # Keep the test's own setup when the request fails: the request's rollback then only
        # undoes the request (a savepoint), not the rows the test built before calling it.
        await session.commit()
        try:
            async with unit_of_work(session, background):
                yield session
        finally:
            await _reload_expired(session)

    app.dependency_overrides[get_session] = test_session
    return app


async def _reload_expired(session: AsyncSession) -> None:
    """A rollback expires every loaded row; reload them so the test can keep reading them."""
    for obj in list(session.identity_map.values()):
        state = inspect(obj)
        if state.persistent and state.expired_attributes:
            await session.refresh(obj)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


CliRun = Callable[[Sequence[str]], Result]


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> CliRun:
    """Invoke `techx …` in-process against the test database (its committed state)."""
    from app import cli

    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr(cli, "configure_logging", lambda level: None)
    return lambda args: CliRunner().invoke(cli.main, list(args))
