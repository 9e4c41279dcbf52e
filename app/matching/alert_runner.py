"""`techx alerts`: one transaction per pass runs publication alerts, then saved searches.

The worker can run the same pass in its loop instead: `await run_alert_pass(maker, settings)`.
Mail goes out only after the pass commits (notification service's after-commit hooks).
"""

import asyncio
import logging
import signal
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.matching.alerts import process_publication_alerts
from app.matching.saved_searches import process_saved_searches

log = logging.getLogger(__name__)


@dataclass
class AlertTotals:
    passes: int = 0
    alerts: int = 0
    saved_search_results: int = 0


async def run_alert_pass(
    maker: async_sessionmaker[AsyncSession], settings: Settings, totals: AlertTotals | None = None
) -> AlertTotals:
    """Publication alerts and saved searches, committed together; safe to run concurrently."""
    totals = totals or AlertTotals()
    async with maker() as session, unit_of_work(session):
        report = await process_publication_alerts(session, settings)
        saved = await process_saved_searches(session, settings)
    totals.passes += 1
    totals.alerts += report.alerts
    totals.saved_search_results += saved.results
    return totals


async def serve_alerts(
    settings: Settings, database_url: str, *, once: bool, interval: float
) -> AlertTotals:
    """Pass after pass until SIGTERM/SIGINT (or once); a failed pass is retried next time."""
    db = create_engine(database_url)
    maker = create_sessionmaker(db)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    totals = AlertTotals()
    try:
        while not stop.is_set():
            try:
                await run_alert_pass(maker, settings, totals)
            except DBAPIError:
                if once:
                    raise
                log.exception("alerts pass failed; retrying")
            if once:
                break
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass
        return totals
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await db.dispose()
