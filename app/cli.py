"""`techx` command line: serve, migrate, create-admin (more commands register below)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

from app.core.config import Settings, get_settings
from app.core.logging import configure_logging

if TYPE_CHECKING:
    from datetime import date, datetime

    from sqlalchemy.ext.asyncio import AsyncSession

    from app.matching.indexer import ReindexReport
    from app.matching.schemas import Entity

log = logging.getLogger("techx.cli")
T = TypeVar("T")


@click.group()
def main() -> None:
    """techx — Sàn giao dịch công nghệ TP.HCM."""
    configure_logging(get_settings().log_level)


def _database_url() -> str:
    from app.core.database import resolve_database_url

    return resolve_database_url(get_settings())


async def _in_one_transaction(work: "Callable[[AsyncSession], Awaitable[T]]") -> T:
    """Run a batch job's work in one unit of work (committed, after-commit effects run)."""
    from app.core.db import create_engine, create_sessionmaker, unit_of_work

    db = create_engine(_database_url())
    try:
        async with create_sessionmaker(db)() as session, unit_of_work(session):
            return await work(session)
    finally:
        await db.dispose()


@main.command()
def migrate() -> None:
    """Apply all database migrations."""
    from app.core.database import upgrade_to_head

    upgrade_to_head(_database_url(), configure_logging=False)
    click.echo("database is at the newest revision")


@main.command()
@click.option("--host", default=None, help="Default: HOST setting (127.0.0.1)")
@click.option("--port", default=None, type=int, help="Default: PORT setting (8000)")
@click.option("--no-migrate", is_flag=True, help="Do not apply migrations first")
def serve(host: str | None, port: int | None, no_migrate: bool) -> None:
    """Migrate, seed demo data into an empty database, and serve the web app and API."""
    import uvicorn

    from app.core.database import upgrade_to_head
    from app.main import create_app

    settings = get_settings()
    url = _database_url()
    if not no_migrate:
        upgrade_to_head(url, configure_logging=False)
    _seed_demo_if_empty(settings)
    app = create_app(settings)
    try:
        uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_config=None)
    except KeyboardInterrupt:
        # uvicorn re-raises Ctrl-C after a clean shutdown; the embedded server stops at exit.
        click.echo("techx stopped")


def _seed_demo_if_empty(settings: object) -> None:
    """First start of an empty database loads the demo data set (when the catalogue exists)."""
    try:
        from app.seed import demo
    except ImportError:
        return
    if getattr(settings, "seed_demo_on_first_start", False):
        asyncio.run(demo.seed_if_empty(_database_url()))


@main.command("seed-demo")
def seed_demo() -> None:
    """Load the deterministic demo data set (idempotent: only missing rows are added)."""
    from app.seed import demo

    report = asyncio.run(demo.seed_into(_database_url(), get_settings().upload_dir))
    click.echo(report.summary())
    click.echo(f"demo accounts: admin@demo.techx.vn … password {demo.DEMO_PASSWORD}")


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create (or promote) an operator admin, member of the operator organisation."""
    from app.auth.bootstrap import create_operator_admin

    user_id = asyncio.run(create_operator_admin(_database_url(), email, full_name, password))
    click.echo(f"operator admin ready: {email} ({user_id})")


@main.command()
@click.option("--once", is_flag=True, help="Drain every event that is due, then exit")
@click.option("--batch-size", default=100, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--poll-interval", default=1.0, show_default=True, type=click.FloatRange(0.05), help="Seconds"
)
def worker(once: bool, batch_size: int, poll_interval: float) -> None:
    """Carry listing and need changes from the outbox to the search index (retries on errors)."""
    from app.matching.worker import WorkerOptions, serve

    options = WorkerOptions(batch_size=batch_size, poll_interval=poll_interval, once=once)
    totals = asyncio.run(serve(get_settings(), _database_url(), options))
    click.echo(
        f"search worker stopped: {totals.indexed} indexed, {totals.removed} removed, "
        f"{totals.failed} failed (will be retried)"
    )


@main.command()
@click.option(
    "--entity",
    type=click.Choice(["listings", "needs", "all"]),
    default="all",
    show_default=True,
)
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 10_000))
def reindex(entity: str, batch_size: int) -> None:
    """Rebuild search indexes from the database with no downtime (Meilisearch only)."""
    settings = get_settings()
    if not settings.meili_url:
        click.echo("nothing to reindex: MEILI_URL is not set, the database is the search index")
        return
    from app.matching.indexer import ENTITIES

    names = list(ENTITIES) if entity == "all" else [entity]
    for report in asyncio.run(_reindex(settings, [ENTITIES[n] for n in names], batch_size)):
        verb = "swapped in" if report.swapped else "created"
        click.echo(f"{report.index}: {report.documents} documents, new index {verb}")


async def _reindex(
    settings: Settings, entities: list["Entity"], batch_size: int
) -> list["ReindexReport"]:
    from app.core.db import create_engine, create_sessionmaker
    from app.matching.indexer import reindex as rebuild_index
    from app.matching.worker import search_engine_for_worker

    db = create_engine(_database_url())
    try:
        engine = search_engine_for_worker(settings, create_sessionmaker(db))
        assert engine is not None, "MEILI_URL is set"
        reports = []
        for entity in entities:
            report = await rebuild_index(db, engine, entity, batch_size=batch_size)
            assert report is not None, "a Meilisearch engine always rebuilds"
            reports.append(report)
        return reports
    finally:
        await db.dispose()


@main.command()
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Run as of this day (default: today in Viet Nam)",
)
def remind(today: "datetime | None") -> None:
    """Remind contract parties of registration deadlines 14, 7 and 0 days ahead (run daily)."""
    from app.contracts.lifecycle import today_in_vietnam

    day = today.date() if today else today_in_vietnam()
    count = asyncio.run(_remind(get_settings(), day))
    click.echo(f"registration reminders sent for {count} contract(s) as of {day.isoformat()}")


async def _remind(settings: Settings, day: "date") -> int:
    from app.contracts.reminders import remind_registration_deadlines

    return await _in_one_transaction(
        lambda session: remind_registration_deadlines(session, settings, day)
    )


@main.command()
@click.option("--once", is_flag=True, help="One pass, then exit")
@click.option("--interval", default=None, type=click.FloatRange(1.0), help="Seconds between passes")
def alerts(once: bool, interval: float | None) -> None:
    """Alert owners of new matches (listings ↔ needs) and of new saved-search results."""
    from app.matching.alert_runner import serve_alerts

    settings = get_settings()
    pause = interval or settings.alerts_poll_seconds
    totals = asyncio.run(serve_alerts(settings, _database_url(), once=once, interval=pause))
    click.echo(
        f"alerts stopped: {totals.alerts} match alert(s), "
        f"{totals.saved_search_results} new saved-search result(s) announced"
    )


@main.command("expire-needs")
def expire_needs() -> None:
    """Mark published needs whose deadline has passed as expired (run daily)."""
    count = asyncio.run(_expire_needs())
    click.echo(f"{count} need(s) expired")


async def _expire_needs() -> int:
    from app.needs.service import expire_overdue_needs

    return await _in_one_transaction(expire_overdue_needs)


@main.command("refresh-ip")
def refresh_ip() -> None:
    """Recompute the IP status of listings whose granted rights have expired (run daily)."""
    count = asyncio.run(_refresh_ip())
    click.echo(f"{count} listing(s) changed IP status")


async def _refresh_ip() -> int:
    from app.ip.service import refresh_lapsed_rights

    return await _in_one_transaction(refresh_lapsed_rights)


if __name__ == "__main__":
    main()
