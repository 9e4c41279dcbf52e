"""What the database costs: the SQL an engine call runs, timed at the driver and on the server.

- `client_db_ms`: the sum, over the call's statements, of the time between SQLAlchemy's
  before/after_cursor_execute events, i.e. the DB round trip (send, execute, receive rows) as the
  app sees it, without Python work around it (query building, highlighting, documents).
- `server_ms`: `EXPLAIN (ANALYZE, TIMING OFF)` "Execution Time" of the same statements with the
  same parameters, re-run once afterwards: the server's own work, no network or parsing;
  `planning_ms`: their "Planning Time" (a custom plan each time, as before psycopg prepares a
  statement it has seen five times on a connection).
- `call_ms`: the whole in-process call (Python + DB), no HTTP.
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.stats import summary


@dataclass
class Statement:
    sql: str
    parameters: Any
    seconds: float


@dataclass
class StatementTimer:
    """Records every statement run on `engine` while `active`."""

    engine: AsyncEngine
    active: bool = False
    statements: list[Statement] = field(default_factory=list)

    def __post_init__(self) -> None:
        sync = self.engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._before)
        event.listen(sync, "after_cursor_execute", self._after)

    def close(self) -> None:
        sync = self.engine.sync_engine
        event.remove(sync, "before_cursor_execute", self._before)
        event.remove(sync, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, sql: str, params: Any, ctx: Any, many: bool) -> None:
        conn.info["bench_t0"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, sql: str, params: Any, ctx: Any, many: bool) -> None:
        started = conn.info.pop("bench_t0", None)
        if self.active and started is not None:
            self.statements.append(Statement(sql, params, time.perf_counter() - started))

    def start(self) -> None:
        self.statements = []
        self.active = True

    def stop(self) -> list[Statement]:
        self.active = False
        return self.statements


def label(sql: str) -> str:
    """A statement's first 90 characters, whitespace collapsed: what groups its timings."""
    return " ".join(sql.split())[:90]


@dataclass
class Timing:
    call: list[float] = field(default_factory=list)
    client_db: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    planning: list[float] = field(default_factory=list)
    statements_per_call: int = 0
    by_statement: dict[str, list[float]] = field(default_factory=dict)

    def add(self, statements: list[Statement]) -> None:
        self.client_db.append(sum(s.seconds for s in statements))
        self.statements_per_call = len(statements)
        for st in statements:
            self.by_statement.setdefault(label(st.sql), []).append(st.seconds)

    def costliest(self, n: int = 5) -> list[dict[str, Any]]:
        """The statements that took the most DB time in all, with their count per call."""
        calls = max(len(self.call), 1)
        ranked = sorted(self.by_statement.items(), key=lambda kv: -sum(kv[1]))[:n]
        return [
            {
                "statement": sql,
                "per_call": round(len(times) / calls, 1),
                "total_ms_per_call": round(sum(times) * 1000 / calls, 1),
            }
            for sql, times in ranked
        ]

    def report(self) -> dict[str, Any]:
        return {
            "call": summary(self.call),
            "client_db": summary(self.client_db),
            "server": summary(self.server),
            "planning": summary(self.planning),
            "statements_per_call": self.statements_per_call,
            "costliest_statements": self.costliest(),
        }


Call = Callable[[AsyncSession], Awaitable[Any]]


async def server_seconds(session: AsyncSession, statements: list[Statement]) -> tuple[float, float]:
    """Re-run the statements under EXPLAIN ANALYZE: (execution, planning) seconds, summed."""
    conn = await session.connection()
    execution_ms = planning_ms = 0.0
    for st in statements:
        explain = "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + st.sql
        plan = (await conn.exec_driver_sql(explain, st.parameters)).scalar_one()
        execution_ms += float(plan[0]["Execution Time"])
        planning_ms += float(plan[0]["Planning Time"])
    return execution_ms / 1000, planning_ms / 1000


async def measure(
    maker: async_sessionmaker[AsyncSession],
    timer: StatementTimer,
    call: Call,
    repeats: int,
    timing: Timing,
    explain: bool = True,
) -> None:
    """Run `call` `repeats` times, each in a fresh session and transaction (as a request does)."""
    for _ in range(repeats):
        async with maker() as session:
            timer.start()
            started = time.perf_counter()
            await call(session)
            elapsed = time.perf_counter() - started
            statements = timer.stop()
            timing.call.append(elapsed)
            timing.add(statements)
            if explain:
                execution, planning = await server_seconds(session, statements)
                timing.server.append(execution)
                timing.planning.append(planning)
            await session.rollback()
