"""The report period from the query string, who may read the reports, and a streaming session."""

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import OperatorStaff
from app.auth.principal import Principal
from app.core.db import get_session
from app.core.errors import Forbidden, ValidationFailed, field_error
from app.kpi import rules
from app.kpi.service import Period

# Reports cover the exchange's life; bounds keep the month lists (and date arithmetic) finite.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _period_errors(start: date | None, end: date) -> list[dict[str, Any]]:
    errors = []
    for name, day in (("from", start), ("to", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            errors.append(field_error(["query", name], f"Give a date from {EARLIEST} to {LATEST}."))
    if not errors and start is not None and start > end:
        msg = f"The period starts ({start}) after it ends ({end})."
        errors += [field_error(["query", "from"], msg), field_error(["query", "to"], msg)]
    return errors


async def get_period(
    from_: Annotated[
        date | None,
        Query(alias="from", description="First day included (default: all time)"),
    ] = None,
    to: Annotated[
        date | None, Query(description="Last day included (default: today, Viet Nam time)")
    ] = None,
) -> Period:
    end = to or rules.vn_today()
    errors = _period_errors(from_, end)
    if errors:
        raise ValidationFailed("The report period is not valid.", errors=errors)
    return Period(from_, end)


PeriodDep = Annotated[Period, Depends(get_period)]


async def get_report_reader(principal: OperatorStaff) -> Principal:
    """Operator staff whose token carries kpi:read (contract reports name parties and values)."""
    if not principal.has_scope("kpi:read"):
        raise Forbidden("The token lacks the scope(s): kpi:read.", error="insufficient_scope")
    return principal


ReportReader = Annotated[Principal, Depends(get_report_reader)]

# Request scope (not SessionDep's function scope): the session stays open while a streamed
# response is being sent, so rows can be read from a server-side cursor as they go out.
StreamingSession = Annotated[AsyncSession, Depends(get_session)]
