"""Login throttling from LoginAttempt rows, so every worker process sees the same counts.

Rule (kept simple on purpose): count the failed password attempts inside the sliding window,
per account and per client address; a success does not reset the count. At the limit, further
attempts are refused with 429 before the password is even checked, and are not recorded, so
the block lifts when enough failures have aged out of the window (`Retry-After`).
"""

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.exceptions import LoginThrottled
from app.auth.models import LoginAttempt
from app.core.config import Settings
from app.core.db import utcnow


def account_key(username: str) -> str:
    return username.strip().lower()[:320]


async def check(session: AsyncSession, settings: Settings, account: str, address: str) -> None:
    """Raise 429 when the account or the address has used up its failures in the window."""
    now = utcnow()
    since = now - timedelta(seconds=settings.login_window_seconds)
    waits = [
        await _wait(session, LoginAttempt.account == account, settings.login_max_failures, since),
        await _wait(
            session,
            LoginAttempt.address == address,
            settings.login_max_failures_per_address,
            since,
        ),
    ]
    blocking = [w for w in waits if w is not None]
    if blocking:
        leaves_at = max(blocking) + timedelta(seconds=settings.login_window_seconds)
        raise LoginThrottled(max(1, math.ceil((leaves_at - now).total_seconds())))


async def _wait(
    session: AsyncSession, key: ColumnElement[bool], limit: int, since: datetime
) -> datetime | None:
    """The failure whose ageing-out brings the count below `limit`, or None when under it."""
    return await session.scalar(
        select(LoginAttempt.at)
        .where(key, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .offset(limit - 1)
        .limit(1)
    )


def record(session: AsyncSession, account: str, address: str, succeeded: bool) -> LoginAttempt:
    attempt = LoginAttempt(account=account, address=address[:64], succeeded=succeeded, at=utcnow())
    session.add(attempt)
    return attempt
