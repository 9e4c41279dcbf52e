"""The SearchEngine port: what search and matching need from an engine, whoever implements it.

Adapters: `PostgresSearchEngine` (the database is the index; the default) and
`MeilisearchEngine` (production, when MEILI_URL is set). Both take the same typed queries and
return the same typed results, and are checked by the same behaviour suite
(tests/matching/behaviour.py).
"""

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, runtime_checkable

from app.matching.schemas import Entity, ListingQuery, NeedQuery, SearchResult

Document = dict[str, Any]


@runtime_checkable
class SearchEngine(Protocol):
    async def ensure_ready(self) -> None:
        """Create/configure indexes idempotently (settings, synonyms); no-op if nothing to do."""

    async def index_listings(self, docs: Sequence[Document]) -> None:
        """Add or replace listing documents (built by documents.listing_document)."""

    async def index_needs(self, docs: Sequence[Document]) -> None:
        """Add or replace need documents (built by documents.need_document)."""

    async def remove(self, entity: Entity, ids: Iterable[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    async def search_listings(self, query: ListingQuery) -> SearchResult:
        """Full-text + filters + facets + sort + page over listings."""

    async def search_needs(self, query: NeedQuery) -> SearchResult:
        """Full-text + filters + facets + sort + page over needs."""
