"""The benchmark: search and matching latency, SQL cost, indexing throughput, memory, relevance.

    python -m bench.run [--sizes 10000,100000] [--queries 200] [--out bench/results/latest.json]

Everything runs on this machine against a private, temporary embedded PostgreSQL (deleted at
exit); HTTP load goes to 127.0.0.1 only, bounded in requests and in time. For each size the
catalogue is topped up with `bench.generate` (deterministic), analysed, then measured:
1. the search mix (bench.queries) in-process: engine call, DB round trips, server execution;
2. the same mix through the real app (`techx serve` in a child process): serially (latency per
   query, for the API/SQL ratio), then `--queries` requests with `--concurrency` workers;
3. matching, in-process and through its API routes when they exist;
4. outbox write rate of ORM updates/inserts, and the worker's drain rate;
5. peak RSS of the server and of this process, unique memory of PostgreSQL.
Then the relevance set (bench.relevance) on the demo data, in a second database.
Results are reported (printed, JSON), never asserted.
"""

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.listings.models import Listing, ListingStatus
from app.matching.postgres_engine import PostgresSearchEngine
from app.needs.models import Need
from bench import generate, indexing, matching, relevance
from bench.load import Request, run_load
from bench.machine import ForeignCpu, describe, loadavg
from bench.queries import QUERIES, BenchQuery, listing_query
from bench.raw_sql import StatementTimer, Timing, measure
from bench.report import print_size, print_summary
from bench.server import RssSampler, postgres_uss_mib, running_server
from bench.stats import percentile, ratio, summary

DEFAULT_OUT = Path(__file__).parent / "results" / "latest.json"
SEARCH_PATH = "/api/v1/search/listings"
SERIAL_REPEATS = 3  # per query, for the per-query API vs SQL comparison
RAW_REPEATS = 3
LOAD_BUDGET_S = 120.0  # the concurrent phase stops taking requests after this
MATCH_SAMPLE = 12  # subjects per direction through the API
MATCH_IN_PROCESS_SAMPLE = 6
MATCH_BUDGET_S = 60.0
ORGANISATIONS = 300


async def database_facts(engine: AsyncEngine) -> dict[str, Any]:
    async with engine.connect() as conn:
        facts = {"postgres": (await conn.scalar(text("SHOW server_version"))) or ""}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
            facts[name] = await conn.scalar(text(f"SHOW {name}"))
        return facts


async def catalogue_counts(maker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with maker() as session:
        listings = await session.scalar(select(func.count()).select_from(Listing))
        published = await session.scalar(
            select(func.count()).where(Listing.status == ListingStatus.published)
        )
        needs = await session.scalar(select(func.count()).select_from(Need))
    return {"listings": listings or 0, "published_listings": published or 0, "needs": needs or 0}


# --- 1. search in-process ----------------------------------------------------------------------


async def search_in_process(
    maker: async_sessionmaker[AsyncSession], timer: StatementTimer
) -> dict[str, Timing]:
    """Each query: one warm-up, then RAW_REPEATS timed calls in fresh sessions."""
    per_query: dict[str, Timing] = {}
    for q in QUERIES:
        query = listing_query(q.params)

        async def call(session: AsyncSession, query: Any = query) -> Any:
            return await PostgresSearchEngine(session).search_listings(query)

        await measure(maker, timer, call, 1, Timing(), explain=False)
        per_query[q.name] = timing = Timing()
        await measure(maker, timer, call, RAW_REPEATS, timing)
    return per_query


def merged(timings: Sequence[Timing]) -> Timing:
    total = Timing()
    for t in timings:
        total.call += t.call
        total.client_db += t.client_db
        total.server += t.server
        total.planning += t.planning
    return total


# --- 2. search through the API -----------------------------------------------------------------


def search_requests(queries: Sequence[BenchQuery], count: int) -> list[Request]:
    """`count` requests cycling through the mix in a fixed order."""
    return [
        Request(queries[i % len(queries)].name, SEARCH_PATH, queries[i % len(queries)].params)
        for i in range(count)
    ]


async def search_api(base_url: str, requests: int, concurrency: int) -> dict[str, Any]:
    warm = await run_load(base_url, search_requests(QUERIES, len(QUERIES)), concurrency=1,
                          time_budget=LOAD_BUDGET_S)  # fmt: skip
    serial = await run_load(
        base_url,
        search_requests(QUERIES, len(QUERIES) * SERIAL_REPEATS),
        concurrency=1,
        time_budget=LOAD_BUDGET_S,
    )
    loaded = await run_load(
        base_url,
        search_requests(QUERIES, requests),
        concurrency=concurrency,
        time_budget=LOAD_BUDGET_S,
    )
    return {"warmup": warm, "serial": serial, "load": loaded}


async def hit_counts(base_url: str) -> dict[str, int]:
    import httpx

    counts = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for q in QUERIES:
            body = (await client.get(SEARCH_PATH, params={**q.params, "limit": 1})).json()
            counts[q.name] = body["pagination"]["total_count"]
    return counts


# --- 3. matching -------------------------------------------------------------------------------


async def matching_api(
    base_url: str, maker: async_sessionmaker[AsyncSession], settings: Settings
) -> dict[str, Any]:
    routes = matching.match_routes(await matching.fetch_openapi(base_url))
    if not routes:
        note = "skipped: no /needs/{id}/matches or /listings/{id}/matches route in this build"
        print(f"  matching API {note}")  # noqa: T201
        return {"skipped": note}
    need_ids, listing_ids = await matching.sample_ids(maker, MATCH_SAMPLE)
    headers = {"Authorization": f"Bearer {await matching.operator_token(maker, settings)}"}
    result: dict[str, Any] = {"routes": routes}
    for entity, requests in matching.api_requests(routes, need_ids, listing_ids).items():
        await run_load(base_url, requests[:2], concurrency=1, time_budget=MATCH_BUDGET_S,
                       headers=headers)  # fmt: skip
        run = await run_load(
            base_url, requests, concurrency=1, time_budget=MATCH_BUDGET_S, headers=headers
        )
        result[entity] = run.report() | {"error_samples": run.errors[:3]}
    return result


async def matching_in_process(
    maker: async_sessionmaker[AsyncSession], timer: StatementTimer, settings: Settings
) -> dict[str, Any]:
    if not matching.matcher_available():
        note = "skipped: app/matching/matcher.py is not in this build"
        print(f"  matching (in-process) {note}")  # noqa: T201
        return {"skipped": note}
    need_ids, listing_ids = await matching.sample_ids(maker, MATCH_IN_PROCESS_SAMPLE)
    return await matching.in_process(maker, timer, settings, need_ids, listing_ids)


# --- one size ----------------------------------------------------------------------------------


def search_report(
    raw: dict[str, Timing], api: dict[str, Any], hits: dict[str, int]
) -> dict[str, Any]:
    serial, loaded = api["serial"], api["load"]
    everything = merged(list(raw.values()))
    per_query = []
    for q in QUERIES:
        t = raw[q.name]
        api_p50 = percentile([s * 1000 for s in serial.by_name.get(q.name, [])], 50)
        per_query.append(
            {
                "query": q.name,
                "kind": q.kind,
                "hits": hits.get(q.name),
                "api_ms": round(api_p50, 2),
                "engine_call_ms": round(percentile([s * 1000 for s in t.call], 50), 2),
                "db_ms": round(percentile([s * 1000 for s in t.client_db], 50), 2),
                "server_ms": round(percentile([s * 1000 for s in t.server], 50), 2),
                "planning_ms": round(percentile([s * 1000 for s in t.planning], 50), 2),
                "statements": t.statements_per_call,
            }
        )
    api_serial = summary(serial.latencies)
    db = summary(everything.client_db)
    call = summary(everything.call)
    return {
        "api_load": loaded.report(),
        "api_serial": api_serial,
        "engine_call": call,
        "db_round_trips": db,
        "db_server_execution": summary(everything.server),
        "db_server_planning": summary(everything.planning),
        "ratios": {
            "api_over_db_p50": ratio(api_serial.get("p50_ms"), db.get("p50_ms")),
            "api_over_db_p95": ratio(api_serial.get("p95_ms"), db.get("p95_ms")),
            "api_over_engine_call_p50": ratio(api_serial.get("p50_ms"), call.get("p50_ms")),
            "engine_call_over_db_p50": ratio(call.get("p50_ms"), db.get("p50_ms")),
        },
        "per_query": per_query,
        "errors": serial.errors[:5] + loaded.errors[:5],
    }


async def measure_size(
    url: str, settings: Settings, size: int, args: argparse.Namespace, pgdata: Path
) -> dict[str, Any]:
    engine = create_engine(url)
    maker = create_sessionmaker(engine)
    timer = StatementTimer(engine)
    out: dict[str, Any] = {"catalogue": await catalogue_counts(maker), "load_before": loadavg()}
    sampler = RssSampler({"bench": os.getpid()})
    others = ForeignCpu(pgdata)
    try:
        async with sampler, others:
            print("  search, in-process …")  # noqa: T201
            raw = await search_in_process(maker, timer)
            with running_server(url, Path(settings.var_dir), settings.signing_key()) as server:
                sampler.pids["server"] = server.pid
                print(f"  search API on {server.base_url} …")  # noqa: T201
                api = await search_api(server.base_url, args.queries, args.concurrency)
                out["postgres_uss_mib_after_load"] = postgres_uss_mib(pgdata)
                hits = await hit_counts(server.base_url)
                out["search"] = search_report(raw, api, hits)
                print("  matching API …")  # noqa: T201
                out["matching_api"] = await matching_api(server.base_url, maker, settings)
            print("  matching, in-process …")  # noqa: T201
            out["matching_in_process"] = await matching_in_process(maker, timer, settings)
            print("  indexing …")  # noqa: T201
            out["indexing"] = await indexing.measure(
                maker, min(args.updates, size // 2), args.inserts, revision=size
            )
        out["peak_rss_mib"] = sampler.peak_mib()
        out["load_after"] = loadavg()
        out["other_processes_cpu"] = others.report()
        return out
    finally:
        timer.close()
        await engine.dispose()


def load_catalogue(url: str, size: int, vacuum: bool = True) -> dict[str, Any]:
    """Top the catalogue up to `size` listings (and size/5 needs), then VACUUM ANALYZE.

    The steady state is measured: right after a bulk COPY the GIN indexes hold the new rows in
    their pending lists and the visibility map is empty until autovacuum runs, and the planner
    then prefers sequential scans that make text searches ~10x slower (see bench/RESULTS.md).
    """
    started = time.perf_counter()
    generate.generate(url, size, size // 5, ORGANISATIONS, seed=2030)
    generated = time.perf_counter() - started
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    asyncio.run(_maintain(url, command))
    return {
        "generate_s": round(generated, 1),
        "then": command,
        "maintenance_s": round(time.perf_counter() - started - generated, 1),
    }


async def _maintain(url: str, command: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(command))
    finally:
        await engine.dispose()


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="listing counts, ascending")
    parser.add_argument("--queries", type=int, default=200, help="search requests per size")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--updates", type=int, default=5000, help="ORM updates per size")
    parser.add_argument("--inserts", type=int, default=1000, help="ORM inserts per size")
    parser.add_argument("--no-relevance", action="store_true")
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="ANALYZE only after loading: the state right after a bulk load, before autovacuum",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="techx-bench-"))
    pgdata = root / "data"
    url = relevance.fresh_database(pgdata, "bench")
    settings = relevance.bench_settings(url, root / "var")
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])]),
        "machine": describe(),
        "load_at_start": loadavg(),
        "database": asyncio.run(_facts(url)),
        "settings": {"queries": args.queries, "concurrency": args.concurrency,
                     "serial_repeats": SERIAL_REPEATS, "raw_repeats": RAW_REPEATS,
                     "distinct_queries": len(QUERIES),
                     "after_load": "ANALYZE" if args.no_vacuum else "VACUUM (ANALYZE)"},
        "sizes": {},
    }  # fmt: skip
    for size in args.sizes:
        print(f"== {size:,} listings: generating …")  # noqa: T201
        loaded = load_catalogue(url, size, vacuum=not args.no_vacuum)
        result = asyncio.run(measure_size(url, settings, size, args, pgdata))
        results["sizes"][str(size)] = {"data": loaded, **result}
        print_size(size, results["sizes"][str(size)])
    if not args.no_relevance:
        rel_url = relevance.fresh_database(pgdata, "relevance")
        rel_settings = relevance.bench_settings(rel_url, root / "var")
        report = asyncio.run(relevance.seed_and_evaluate(rel_url, rel_settings))
        relevance.print_report(report)
        relevance.write_json(args.out.with_name("relevance.json"), report)
        results["relevance"] = {
            name: {k: v for k, v in system.items() if k != "per_need"}
            for name, system in report["systems"].items()
        }
    shutil.rmtree(root / "var", ignore_errors=True)  # server logs; kept only when a run fails
    results["load_at_end"] = loadavg()
    results["total_s"] = round(time.perf_counter() - started, 1)
    relevance.write_json(args.out, results)
    print_summary(results)
    print(f"written to {args.out}")  # noqa: T201


async def _facts(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        return await database_facts(engine)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    main()
