"""Search columns that PostgreSQL generates on `listings` and `needs` (migration b8d2e6f4a004).

- `search_title`: folded title (vi + en) and keywords; a trigram GIN index serves typo
  tolerance (`word_similarity`) on it.
- `search_vector`: folded, weighted tsvector (title A, keywords B, descriptions C) with a GIN
  index; stored, so ranking reads it instead of re-parsing text for every candidate row.

They are added to the Tables but deliberately NOT mapped on the ORM classes: the ORM never
selects, returns or expires them, so loading a Listing stays as cheap as before and no code can
trip over a lazily loaded generated column. Queries reach them as `LISTINGS.c.search_vector`.
`techx_fold(text)` and `techx_join(text[])` are IMMUTABLE SQL functions from the same migration.
"""

from sqlalchemy import Column, Computed, Index, Table, Text
from sqlalchemy.dialects.postgresql import TSVECTOR

from app.listings.models import Listing
from app.needs.models import Need


def _fold(sql: str) -> str:
    return f"techx_fold({sql})"


def _vector(title: str, keywords: str, body: str) -> str:
    return (
        f"setweight(to_tsvector('simple'::regconfig, {_fold(title)}), 'A') || "
        f"setweight(to_tsvector('simple'::regconfig, {_fold(keywords)}), 'B') || "
        f"setweight(to_tsvector('simple'::regconfig, {_fold(body)}), 'C')"
    )


def _concat(*columns: str) -> str:
    return " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)


LISTING_TITLE = _concat("title_vi", "title_en")
LISTING_BODY = _concat(
    "summary_vi",
    "summary_en",
    "application_fields",
    "technical_description",
    "specifications",
    "service_description",
)
NEED_TITLE = LISTING_TITLE
NEED_BODY = _concat("problem_statement", "desired_outcome")
KEYWORDS = "techx_join(keywords::text[])"

LISTING_SEARCH_TITLE = _fold(f"{LISTING_TITLE} || ' ' || {KEYWORDS}")
LISTING_SEARCH_VECTOR = _vector(LISTING_TITLE, KEYWORDS, LISTING_BODY)
NEED_SEARCH_TITLE = _fold(f"{NEED_TITLE} || ' ' || {KEYWORDS}")
NEED_SEARCH_VECTOR = _vector(NEED_TITLE, KEYWORDS, NEED_BODY)


def _attach(table: Table, title_sql: str, vector_sql: str) -> None:
    if "search_vector" in table.c:  # idempotent on re-import
        return
    table.append_column(Column("search_title", Text, Computed(title_sql, persisted=True)))
    table.append_column(Column("search_vector", TSVECTOR, Computed(vector_sql, persisted=True)))
    name = table.name
    Index(f"ix_{name}_search_vector", table.c.search_vector, postgresql_using="gin")
    Index(
        f"ix_{name}_search_title_trgm",
        table.c.search_title,
        postgresql_using="gin",
        postgresql_ops={"search_title": "gin_trgm_ops"},
    )


LISTINGS: Table = Listing.__table__  # type: ignore[assignment]
NEEDS: Table = Need.__table__  # type: ignore[assignment]
_attach(LISTINGS, LISTING_SEARCH_TITLE, LISTING_SEARCH_VECTOR)
_attach(NEEDS, NEED_SEARCH_TITLE, NEED_SEARCH_VECTOR)
