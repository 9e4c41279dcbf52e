"""Which SearchEngine serves this process: Meilisearch when MEILI_URL is set, else Postgres."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.matching.engine import SearchEngine
from app.matching.postgres_engine import PostgresSearchEngine
from app.matching.synonyms import load_groups


def get_search_engine(settings: Settings, session: AsyncSession) -> SearchEngine:
    """The engine for one unit of work (both read synonym groups through `session`)."""
    if settings.meili_url is None:
        return PostgresSearchEngine(session)
    # Imported lazily: the Meilisearch client is only needed where it is configured.
    from app.matching.meili_engine import MeilisearchEngine

    async def synonyms() -> list[list[str]]:
        return await load_groups(session)

    engine: SearchEngine = MeilisearchEngine(settings, synonyms)
    return engine
