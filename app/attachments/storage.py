"""Files on disk: `<upload_dir>/<first 2 hex of key>/<key>`, keyed by a random hex string.

The user's filename never reaches the path (no traversal, no clashes, no leaking names), and a
file becomes visible under its key only by an atomic rename of a finished temporary file.
Blocking file-system calls run in a worker thread so the event loop keeps serving.
"""

import re
import secrets
from pathlib import Path

import anyio
from anyio.to_thread import run_sync
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from app.core.config import Settings
from app.core.db import after_commit

_KEY = re.compile(r"^[0-9a-f]{40}$")
_ROLLBACK_PATHS = "attachments.discard_on_rollback"


def new_key() -> str:
    return secrets.token_hex(20)


class FileStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def incoming(self) -> Path:
        # Same file system as the final place, so the rename is atomic.
        return self.root / "incoming"

    def path_for(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key[:2] / key

    async def temp_path(self) -> Path:
        await run_sync(lambda: self.incoming.mkdir(parents=True, exist_ok=True))
        return self.incoming / f"{new_key()}.part"

    async def place(self, temp: Path, key: str) -> Path:
        """Move a finished temporary file to its key."""
        target = self.path_for(key)

        def move() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp.replace(target)

        await run_sync(move)
        return target

    async def exists(self, key: str) -> bool:
        return await anyio.Path(self.path_for(key)).is_file()

    async def remove(self, path: Path) -> None:
        await anyio.Path(path).unlink(missing_ok=True)


def get_storage(settings: Settings) -> FileStorage:
    return FileStorage(Path(settings.upload_dir))


def remove_after_commit(session: AsyncSession, storage: FileStorage, keys: list[str]) -> None:
    """Delete files whose rows this transaction deletes, once the deletion is committed."""
    paths = [storage.path_for(k) for k in keys]

    async def remove() -> None:
        for path in paths:
            await storage.remove(path)

    if paths:
        after_commit(session, remove)


def remove_on_rollback(session: AsyncSession, path: Path) -> None:
    """Delete a just-placed file if the transaction that records it rolls back.

    An orphan file would be harmless (nothing points at it) but it wastes disk and may hold
    confidential content nobody can manage any more.
    """
    paths: list[Path] | None = session.info.get(_ROLLBACK_PATHS)
    if paths is None:
        paths = session.info[_ROLLBACK_PATHS] = []
        event.listen(session.sync_session, "after_soft_rollback", _discard_uncommitted)
    paths.append(path)

    async def committed() -> None:
        paths.clear()

    after_commit(session, committed)


def _discard_uncommitted(session: Session, previous: SessionTransaction) -> None:
    if previous.nested:  # a savepoint rolled back; the outer transaction may still commit
        return
    paths: list[Path] = session.info.get(_ROLLBACK_PATHS, [])
    for path in paths:
        path.unlink(missing_ok=True)  # error path only; a few unlinks do not stall the loop
    paths.clear()
