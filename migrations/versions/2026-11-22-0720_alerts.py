"""alerts: match alerts between listings and needs, and saved searches

- `match_alerts`: one row per listing–need pair whose owners were alerted; UNIQUE (listing_id,
  need_id) is what makes "no duplicate alert for the same pair" hold across runs and processes.
- `alert_publications` (publications already matched) and `alert_cursors` (how far back the next
  run looks): together they let `techx alerts` find each new publication exactly once.
- `saved_searches` (a user's search API query) and `saved_search_hits` (results already seen, so
  a user is never told twice about one result).

Revision ID: d4e2b7c1f006
Revises: c3f1a9d2e005
Create Date: 2026-11-22 07:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "d4e2b7c1f006"
down_revision: str | None = "c3f1a9d2e005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def upgrade() -> None:
    op.create_table(
        "alert_cursors",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("position", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_alert_cursors")),
    )
    op.create_table(
        "alert_publications",
        sa.Column("entity", _enum("alert_entity", "listing", "need"), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "entity", "entity_id", "published_at", name=op.f("pk_alert_publications")
        ),
    )
    op.create_table(
        "match_alerts",
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column(
            "direction",
            _enum("alert_direction", "listing_published", "need_published"),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_match_alerts_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_match_alerts_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_alerts")),
        sa.UniqueConstraint(
            "listing_id", "need_id", name=op.f("uq_match_alerts_listing_id_need_id")
        ),
    )
    op.create_index(op.f("ix_match_alerts_need_id"), "match_alerts", ["need_id"])
    op.create_table(
        "saved_searches",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("entity", _enum("saved_search_entity", "listings", "needs"), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_saved_searches_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_searches")),
    )
    op.create_index(op.f("ix_saved_searches_created_at"), "saved_searches", ["created_at"])
    op.create_index(op.f("ix_saved_searches_user_id"), "saved_searches", ["user_id"])
    op.create_table(
        "saved_search_hits",
        sa.Column("saved_search_id", sa.Uuid(), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_search_id"],
            ["saved_searches.id"],
            name=op.f("fk_saved_search_hits_saved_search_id_saved_searches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("saved_search_id", "object_id", name=op.f("pk_saved_search_hits")),
    )


def downgrade() -> None:
    op.drop_table("saved_search_hits")
    op.drop_index(op.f("ix_saved_searches_user_id"), table_name="saved_searches")
    op.drop_index(op.f("ix_saved_searches_created_at"), table_name="saved_searches")
    op.drop_table("saved_searches")
    op.drop_index(op.f("ix_match_alerts_need_id"), table_name="match_alerts")
    op.drop_table("match_alerts")
    op.drop_table("alert_publications")
    op.drop_table("alert_cursors")
