"""search speed: typo correction from a word dictionary, small ranking vectors

Measured at 100k listings (bench/RESULTS.md): typo matching as `search_vector @@ q OR
search_title %> q` turned broad searches into table scans (2.5 s for `cong nghe say`), and
ranking with `ts_rank_cd` over the whole weighted vector plus a regular expression for exact
accents cost ~10 µs a matching row. This revision:

- drops `search_title` and its trigram index (the OR is gone);
- adds `search_words`: every distinct folded word of the indexed text, filled by statement-level
  triggers on listings and needs (bulk COPY included) and backfilled here. Words are never
  removed: a stale word only widens a corrected query by one alternative that matches nothing.
  A query word the dictionary does not know is corrected to its trigram neighbours within
  Meilisearch's typo distance (app/matching/spelling.py), so typos are searched through the
  same full-text GIN index as everything else;
- adds `rank_vector` (folded title A + keywords B, ~300 bytes, kept inline) that ranking reads
  instead of the whole `search_vector`, and `title_words` (title words with their tone marks)
  for the exact-accent bonus, a tsvector match instead of a regular expression.

Revision ID: e5a7c3d9f007
Revises: d4e2b7c1f006
Create Date: 2026-11-22 07:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e5a7c3d9f007"
down_revision: str | None = "d4e2b7c1f006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("listings", "needs")

# Frozen copies of app/matching/search_columns.py as of this revision.
_TITLE = "coalesce(title_vi, '') || ' ' || coalesce(title_en, '')"
_KEYWORDS = "techx_join(keywords::text[])"
_RANK_VECTOR = (
    f"setweight(to_tsvector('simple'::regconfig, techx_fold({_TITLE})), 'A') || "
    f"setweight(to_tsvector('simple'::regconfig, techx_fold({_KEYWORDS})), 'B')"
)
_TITLE_WORDS = f"to_tsvector('simple'::regconfig, {_TITLE})"
_SEARCH_TITLE = f"techx_fold({_TITLE} || ' ' || {_KEYWORDS})"  # for downgrade

# Sorted, so concurrent writers insert shared new words in the same order (no deadlock).
_COLLECT = """
CREATE OR REPLACE FUNCTION techx_collect_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word)
    SELECT DISTINCT w FROM changed_rows, unnest(tsvector_to_array(search_vector)) AS w
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
"""


def _triggers(table: str) -> None:
    # Transition tables allow one event per trigger: one for INSERT, one for UPDATE.
    for event in ("insert", "update"):
        op.execute(
            f"CREATE TRIGGER trg_{table}_search_words_{event} AFTER {event.upper()} ON {table} "
            "REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT "
            "EXECUTE FUNCTION techx_collect_search_words()"
        )


def upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("word", sa.Text(collation="C"), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    op.create_index(
        "ix_search_words_trgm",
        "search_words",
        ["word"],
        postgresql_using="gist",
        postgresql_ops={"word": "gist_trgm_ops"},
    )
    op.execute(_COLLECT)
    for table in TABLES:
        op.drop_index(f"ix_{table}_search_title_trgm", table_name=table)
        op.drop_column(table, "search_title")
        op.add_column(
            table,
            sa.Column(
                "rank_vector", postgresql.TSVECTOR(), sa.Computed(_RANK_VECTOR, persisted=True)
            ),
        )
        op.add_column(
            table,
            sa.Column(
                "title_words", postgresql.TSVECTOR(), sa.Computed(_TITLE_WORDS, persisted=True)
            ),
        )
        op.execute(
            f"INSERT INTO search_words (word) SELECT DISTINCT w FROM {table}, "
            "unnest(tsvector_to_array(search_vector)) AS w ON CONFLICT DO NOTHING"
        )
        _triggers(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        for event in ("update", "insert"):
            op.execute(f"DROP TRIGGER trg_{table}_search_words_{event} ON {table}")
        op.drop_column(table, "title_words")
        op.drop_column(table, "rank_vector")
        op.add_column(
            table,
            sa.Column("search_title", sa.Text(), sa.Computed(_SEARCH_TITLE, persisted=True)),
        )
        op.create_index(
            f"ix_{table}_search_title_trgm",
            table,
            ["search_title"],
            postgresql_using="gin",
            postgresql_ops={"search_title": "gin_trgm_ops"},
        )
    op.execute("DROP FUNCTION techx_collect_search_words()")
    op.drop_index("ix_search_words_trgm", table_name="search_words")
    op.drop_table("search_words")
