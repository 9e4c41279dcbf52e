"""The app under test: `techx serve` in a child process on 127.0.0.1, and an RSS sampler.

The server is the production entry point (uvicorn, JSON request logs, one worker) pointed at the
benchmark's own database; it never seeds demo data and never migrates (the bench did both).
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

HOST = "127.0.0.1"  # load is only ever sent to this machine's loopback
START_TIMEOUT = 60.0
_SERVE = "from app.cli import main; main()"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def _environment(database_url: str, var_dir: Path, secret_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "DATABASE_"))}
    env.update(
        DATABASE_URL=database_url,
        SEED_DEMO_ON_FIRST_START="false",
        TECHX_ENV="development",
        VAR_DIR=str(var_dir),
        UPLOAD_DIR=str(var_dir / "uploads"),
        SECRET_KEY=secret_key,
        LOG_LEVEL="INFO",
    )
    return env


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited early; see {server.log_path}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {START_TIMEOUT:.0f} s; see {server.log_path}")


@contextmanager
def running_server(database_url: str, var_dir: Path, secret_key: str) -> Iterator[Server]:
    """Start the app, wait until /readyz answers, stop it (SIGTERM, then SIGKILL) afterwards."""
    port = free_port()
    var_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, "serve", "--no-migrate", "--host", HOST,
             "--port", str(port)],
            env=_environment(database_url, var_dir, secret_key),
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(f"http://{HOST}:{port}", process, log_path)
    try:
        _wait_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass
class RssSampler:
    """Peak resident memory of some processes, sampled every `interval` s while running."""

    pids: dict[str, int]
    interval: float = 0.1
    peak_bytes: dict[str, int] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None

    def sample(self) -> None:
        for name, pid in self.pids.items():
            try:
                rss = psutil.Process(pid).memory_info().rss
            except psutil.Error:
                continue
            self.peak_bytes[name] = max(self.peak_bytes.get(name, 0), rss)

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    async def __aenter__(self) -> "RssSampler":
        self.sample()
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

    def peak_mib(self) -> dict[str, float]:
        return {name: round(b / 2**20, 1) for name, b in self.peak_bytes.items()}


def postgres_uss_mib(pgdata: Path) -> float | None:
    """Unique memory of the embedded server's processes (RSS would count shared buffers N times)."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        return _tree_uss(psutil.Process(pid))
    except (OSError, ValueError, IndexError, psutil.Error):
        return None


def _tree_uss(root: psutil.Process) -> float | None:
    try:
        members = [root, *root.children(recursive=True)]
        return round(sum(p.memory_full_info().uss for p in members) / 2**20, 1)
    except psutil.Error:
        return None
