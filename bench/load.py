"""A small, bounded HTTP load generator (httpx, N concurrent workers, loopback only).

Every run has a fixed request list and a time budget: workers stop taking requests once the
budget is spent, so a slow build can never turn the benchmark into an open-ended load test.
"""

import asyncio
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.stats import summary

REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Request:
    name: str  # what the latency is grouped by
    path: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    by_name: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # not sent: the time budget ran out
    wall_seconds: float = 0.0
    concurrency: int = 1

    def report(self) -> dict[str, Any]:
        sent = len(self.latencies)
        return {
            **summary(self.latencies),
            "concurrency": self.concurrency,
            "throughput_rps": round(sent / self.wall_seconds, 1) if self.wall_seconds else None,
            "wall_s": round(self.wall_seconds, 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": len(self.errors),
            "skipped": self.skipped,
        }


def _loopback_only(base_url: str) -> None:
    host = urlsplit(base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"refusing to send load to {host}: the benchmark targets 127.0.0.1 only")


async def run_load(
    base_url: str,
    requests: Sequence[Request],
    *,
    concurrency: int,
    time_budget: float,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """Send `requests` with `concurrency` workers; 2xx counts as success, anything else an error."""
    _loopback_only(base_url)
    result = LoadResult(concurrency=concurrency)
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    started = time.perf_counter()
    deadline = started + time_budget

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            request = queue.get_nowait()
            if time.perf_counter() > deadline:
                result.skipped += 1
                continue
            t0 = time.perf_counter()
            try:
                response = await client.get(request.path, params=request.params)
            except httpx.HTTPError as exc:
                result.errors.append(f"{request.name}: {type(exc).__name__}")
                continue
            elapsed = time.perf_counter() - t0
            result.statuses[response.status_code] += 1
            if response.is_success:
                result.latencies.append(elapsed)
                result.by_name[request.name].append(elapsed)
            else:
                result.errors.append(f"{request.name}: HTTP {response.status_code}")

    async with httpx.AsyncClient(
        base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits, headers=headers
    ) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    result.wall_seconds = time.perf_counter() - started
    return result
