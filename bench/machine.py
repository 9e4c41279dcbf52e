"""The machine the numbers come from, and how busy other processes kept it meanwhile."""

import asyncio
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil


def describe() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if "model name" in line),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


@dataclass
class ForeignCpu:
    """CPU time used by processes that are not the benchmark's own (other jobs on the machine).

    Ours: this process and its children (the app server), and the embedded PostgreSQL's
    processes (descendants of the postmaster in `pgdata`). Sampled every `interval` seconds;
    a process that starts and ends between two samples is missed, so this is a lower bound.
    """

    pgdata: Path
    interval: float = 1.0
    seconds: float = 0.0
    wall: float = 0.0
    _last: dict[int, float] = field(default_factory=dict)
    _last_at: float = 0.0
    _started: float = 0.0
    _task: asyncio.Task[None] | None = None

    def _ours(self) -> set[int]:
        pids = {os.getpid()} | {p.pid for p in psutil.Process().children(recursive=True)}
        try:
            postmaster = psutil.Process(
                int((self.pgdata / "postmaster.pid").read_text().split()[0])
            )
            pids |= {postmaster.pid} | {p.pid for p in postmaster.children(recursive=True)}
        except (OSError, ValueError, IndexError, psutil.Error):
            pass
        return pids

    def sample(self) -> None:
        ours, now = self._ours(), time.time()
        current: dict[int, float] = {}
        for proc in psutil.process_iter():
            if proc.pid in ours:
                continue
            try:
                current[proc.pid] = used = _cpu_seconds(proc)
                # A process born since the last sample: all its CPU time is new.
                born_since = self._last_at and proc.create_time() >= self._last_at
            except psutil.Error:
                continue
            if self._last_at:
                before = self._last.get(proc.pid, 0.0 if born_since else used)
                self.seconds += max(0.0, used - before)
        self._last, self._last_at = current, now

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.sample()

    async def __aenter__(self) -> "ForeignCpu":
        self.sample()
        self._started = asyncio.get_running_loop().time()
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        self.sample()
        self.wall = asyncio.get_running_loop().time() - self._started

    def report(self) -> dict[str, Any]:
        return {
            "cpu_seconds": round(self.seconds, 1),
            "wall_seconds": round(self.wall, 1),
            "mean_cores_busy": round(self.seconds / self.wall, 2) if self.wall else None,
        }
