"""MeilisearchEngine: the production SearchEngine adapter, over the official `meilisearch` client.

The client is synchronous (`requests`), so every call runs in a worker thread
(`asyncio.to_thread`): no blocking I/O in `async def`. Every write is a Meilisearch task; the
adapter waits for it and raises `MeilisearchTaskFailed` when it did not succeed (the client's
`wait_for_task` returns failed tasks without raising, which would let the outbox mark a lost
update as done).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial
from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchApiError, MeilisearchError
from meilisearch.models.task import Task, TaskInfo
from requests.exceptions import RequestException

from app.core.config import Settings
from app.core.errors import ServiceUnavailable
from app.matching import meili_query as mq
from app.matching.engine import Document
from app.matching.meili_settings import SPECS, index_settings, settings_diff
from app.matching.meili_synonyms import long_term_rules, with_synonym_terms
from app.matching.schemas import Entity, ListingQuery, NeedQuery, SearchResult

log = logging.getLogger(__name__)

SynonymSource = Callable[[], Awaitable[Sequence[Sequence[str]]]]
PRIMARY_KEY = "id"
DOCUMENTS_PER_REQUEST = 1000
IDS_PER_DELETE = 500


class SearchUnavailable(ServiceUnavailable):
    title = "Search engine unavailable"


class MeilisearchTaskFailed(RuntimeError):
    """A Meilisearch task ended `failed` or `canceled`."""

    def __init__(self, task: Task) -> None:
        error = task.error or {}
        self.task = task
        self.code = error.get("code")
        super().__init__(
            f"Meilisearch task {task.uid} ({task.type} on {task.index_uid}) {task.status}: "
            f"{error.get('code', 'no code')}: {error.get('message', 'no message')}"
        )


class IndexMisconfigured(RuntimeError):
    """An existing index cannot serve this adapter (e.g. another primary key)."""


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class MeilisearchEngine:
    """SearchEngine over Meilisearch; index names are `<settings.index_prefix>_<entity>s`."""

    def __init__(
        self,
        settings: Settings,
        synonyms: SynonymSource | None = None,
        *,
        client: meilisearch.Client | None = None,
        task_timeout_ms: int = 60_000,
        http_timeout_s: int = 10,
    ) -> None:
        if not settings.meili_url and client is None:
            raise ValueError("MeilisearchEngine needs MEILI_URL")
        self.client = client or meilisearch.Client(
            str(settings.meili_url), settings.meili_key, timeout=http_timeout_s
        )
        self.prefix = settings.index_prefix
        self._synonyms = synonyms
        self._groups: Sequence[Sequence[str]] | None = None
        self.task_timeout_ms = task_timeout_ms

    # -- names and tasks ------------------------------------------------------------------------

    def index_uid(self, entity: Entity) -> str:
        return f"{self.prefix}_{SPECS[entity].suffix}"

    async def _task(self, submit: Callable[[], TaskInfo]) -> Task:
        """Submit a write and wait for it, off the event loop; raise unless it succeeded."""

        def run() -> Task:
            info = submit()
            return self.client.wait_for_task(
                info.task_uid, timeout_in_ms=self.task_timeout_ms, interval_in_ms=50
            )

        task = await asyncio.to_thread(run)
        if task.status != "succeeded":
            raise MeilisearchTaskFailed(task)
        return task

    # -- index lifecycle (also used by `techx reindex`) -----------------------------------------

    async def index_exists(self, uid: str) -> bool:
        try:
            raw = await asyncio.to_thread(self.client.get_raw_index, uid)
        except MeilisearchApiError as exc:
            if exc.code == "index_not_found":
                return False
            raise
        if raw.get("primaryKey") not in (None, PRIMARY_KEY):
            raise IndexMisconfigured(
                f"index {uid} has primary key {raw['primaryKey']!r}, expected {PRIMARY_KEY!r}: "
                f"delete it or run `techx reindex`"
            )
        return True

    async def create_index(self, uid: str) -> None:
        await self._task(lambda: self.client.create_index(uid, {"primaryKey": PRIMARY_KEY}))

    async def delete_index(self, uid: str) -> None:
        await self._task(lambda: self.client.delete_index(uid))

    async def _synonym_groups(self, refresh: bool = False) -> Sequence[Sequence[str]]:
        if self._groups is None or refresh:
            self._groups = list(await self._synonyms()) if self._synonyms else []
        return self._groups

    async def configure(self, uid: str, entity: Entity) -> dict[str, Any]:
        """Apply the declared settings where they differ; returns what was changed."""
        desired = index_settings(SPECS[entity], await self._synonym_groups(refresh=True))
        current = await asyncio.to_thread(self.client.index(uid).get_settings)
        changes = settings_diff(current, desired)
        if changes:
            log.info("updating settings of %s: %s", uid, ", ".join(sorted(changes)))
            await self._task(lambda: self.client.index(uid).update_settings(changes))
        return changes

    async def swap(self, live: str, fresh: str) -> bool:
        """Atomically serve `fresh` under the live name; True when an old index was swapped out
        (it now lives under `fresh`), False when there was none and `fresh` was renamed."""
        if await self.index_exists(live):
            pair: dict[str, list[str] | bool] = {"indexes": [live, fresh]}
        else:
            pair = {"indexes": [fresh, live], "rename": True}  # rename the first to the second
        await self._task(lambda: self.client.swap_indexes([pair]))
        return "rename" not in pair

    async def add_documents(self, uid: str, docs: Sequence[Document]) -> None:
        """Add or replace, waiting for each task; long synonyms are expanded into the documents."""
        rules = long_term_rules(await self._synonym_groups())
        docs = with_synonym_terms(docs, rules)
        index = self.client.index(uid)
        for chunk in _chunks(docs, DOCUMENTS_PER_REQUEST):
            await self._task(partial(index.add_documents, list(chunk), PRIMARY_KEY))

    # -- the port -------------------------------------------------------------------------------

    async def ensure_ready(self) -> None:
        for entity in SPECS:
            uid = self.index_uid(entity)
            if not await self.index_exists(uid):
                await self.create_index(uid)
            await self.configure(uid, entity)

    async def index_listings(self, docs: Sequence[Document]) -> None:
        await self.add_documents(self.index_uid("listing"), docs)

    async def index_needs(self, docs: Sequence[Document]) -> None:
        await self.add_documents(self.index_uid("need"), docs)

    async def remove(self, entity: Entity, ids: Iterable[str]) -> None:
        index = self.client.index(self.index_uid(entity))
        for chunk in _chunks(sorted({str(i) for i in ids}), IDS_PER_DELETE):
            expression = mq.any_of(PRIMARY_KEY, chunk)
            await self._task(partial(index.delete_documents, filter=expression))

    async def search_listings(self, query: ListingQuery) -> SearchResult:
        return await self._search("listing", query, mq.listing_filter(query.filters))

    async def search_needs(self, query: NeedQuery) -> SearchResult:
        if not query.filters.visibility:
            return mq.empty_result(query)  # no visibility allowed: nothing to see
        return await self._search("need", query, mq.need_filter(query.filters))

    async def _search(
        self, entity: Entity, query: ListingQuery | NeedQuery, filters: list[str]
    ) -> SearchResult:
        spec = SPECS[entity]
        params = mq.search_params(query, filters, spec.highlighted, spec.cropped)
        index = self.client.index(self.index_uid(entity))
        try:
            raw = await asyncio.to_thread(index.search, mq.compact_text(query.text), params)
        except (MeilisearchError, RequestException) as exc:
            # The user's search fails visibly but cleanly; writes never depend on Meilisearch.
            raise SearchUnavailable(
                "The search engine is not reachable; please retry shortly.",
                headers={"Retry-After": "30"},
            ) from exc
        return mq.to_result(raw, query, spec.highlighted)
