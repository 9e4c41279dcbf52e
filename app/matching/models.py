"""Search outbox (changes waiting to reach the search index) and VI↔EN synonym groups."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Identity, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, str_enum, utcnow


class OutboxEntity(StrEnum):
    listing = "listing"
    need = "need"


class OutboxOp(StrEnum):
    upsert = "upsert"
    delete = "delete"


class OutboxEvent(Base):
    """A listing or need changed; written in the same transaction as the change.

    The worker drains unprocessed rows in id order, rebuilding each document from the current row
    (so an `upsert` of a row deleted since is a delete), and retries failures with backoff.
    """

    __tablename__ = "search_outbox"
    __table_args__ = (
        # The worker's only query: pending rows due now, oldest first.
        Index(
            "ix_search_outbox_pending",
            "next_attempt_at",
            "id",
            postgresql_where=text("processed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity: Mapped[OutboxEntity] = mapped_column(
        str_enum(OutboxEntity, "outbox_entity"), nullable=False
    )
    entity_id: Mapped[uuid.UUID] = mapped_column(nullable=False, index=True)
    op: Mapped[OutboxOp] = mapped_column(str_enum(OutboxOp, "outbox_op"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    processed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class SynonymGroup(Base):
    """Terms that mean the same thing to a searcher, e.g. {trí tuệ nhân tạo, AI, artificial
    intelligence}. Every term of a group is a synonym of every other (both directions)."""

    __tablename__ = "synonym_groups"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    terms: Mapped[list[str]] = mapped_column(ARRAY(String(120)), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)


class SearchWord(Base):
    """A distinct folded word of the indexed listing and need text: the Postgres engine's
    dictionary for typo correction (app/matching/spelling.py).

    Filled by statement-level triggers on `listings` and `needs` (migration e5a7c3d9f007), so
    every write path, bulk COPY included, keeps it complete; the application never writes it.
    Binary collation, so a btree range scan finds the words starting with a prefix.
    """

    __tablename__ = "search_words"
    __table_args__ = (
        # Nearest words by trigram distance (`word <-> 'blokchain'`), for corrections.
        Index(
            "ix_search_words_trgm",
            "word",
            postgresql_using="gist",
            postgresql_ops={"word": "gist_trgm_ops"},
        ),
    )

    word: Mapped[str] = mapped_column(Text(collation="C"), primary_key=True)
