"""Search columns that PostgreSQL generates on `listings` and `needs` (migration b8d2e6f4a004).

- `search_vector`: folded, weighted tsvector (title A, keywords B, descriptions C) with a GIN
  index: what a text search matches against. Its words also fill the `search_words`
  dictionary (by trigger) that typo correction reads.
- `rank_vector`: folded title (A) and keywords (B) only, a few hundred bytes kept in the row:
  what ranking reads. Ranking the whole vector cost ~3x more per matching row (it is often
  TOASTed and ten times larger), which is what broad queries at 100k listings pay for.
- `title_words`: the title's words with their tone marks (lower case, not folded), so a query
  typed with accents can rank exact spellings first with one tsvector match a row.

They are added to the Tables but deliberately NOT mapped on the ORM classes: the ORM never
selects, returns or expires them, so loading a Listing stays as cheap as before and no code can
trip over a lazily loaded generated column. Queries reach them as `LISTINGS.c.search_vector`.
`techx_fold(text)` and `techx_join(text[])` are IMMUTABLE SQL functions from the same migration.
"""

from sqlalchemy import Column, Computed, Index, Table
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

LISTING_SEARCH_VECTOR = _vector(LISTING_TITLE, KEYWORDS, LISTING_BODY)
NEED_SEARCH_VECTOR = _vector(NEED_TITLE, KEYWORDS, NEED_BODY)
# Listings and needs share their title and keyword columns, so these two are the same SQL.
RANK_VECTOR = (
    f"setweight(to_tsvector('simple'::regconfig, {_fold(LISTING_TITLE)}), 'A') || "
    f"setweight(to_tsvector('simple'::regconfig, {_fold(KEYWORDS)}), 'B')"
)
TITLE_WORDS = f"to_tsvector('simple'::regconfig, {LISTING_TITLE})"


def _attach(table: Table, vector_sql: str) -> None:
    if "search_vector" in table.c:  # idempotent on re-import
        return
    for name, sql in (
        ("search_vector", vector_sql),
        ("rank_vector", RANK_VECTOR),
        ("title_words", TITLE_WORDS),
    ):
        table.append_column(Column(name, TSVECTOR, Computed(sql, persisted=True)))
    Index(f"ix_{table.name}_search_vector", table.c.search_vector, postgresql_using="gin")


LISTINGS: Table = Listing.__table__  # type: ignore[assignment]
NEEDS: Table = Need.__table__  # type: ignore[assignment]
_attach(LISTINGS, LISTING_SEARCH_VECTOR)
_attach(NEEDS, NEED_SEARCH_VECTOR)
