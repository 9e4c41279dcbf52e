"""Match alerts (one per listing–need pair, ever) and saved searches (each result told once)."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdMixin, Model, str_enum, utcnow


class AlertDirection(StrEnum):
    listing_published = "listing_published"  # the need's owners were told about a new listing
    need_published = "need_published"  # the listing's owners were told about a new need


class AlertEntity(StrEnum):
    listing = "listing"
    need = "need"


class MatchAlert(IdMixin, Base):
    """A listing–need pair whose owners were alerted. The unique pair is what guarantees that no
    pair is ever alerted twice, whichever side was published first and however often runs
    repeat (INSERT … ON CONFLICT DO NOTHING)."""

    __tablename__ = "match_alerts"
    __table_args__ = (UniqueConstraint("listing_id", "need_id"),)

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), nullable=False
    )
    need_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    direction: Mapped[AlertDirection] = mapped_column(
        str_enum(AlertDirection, "alert_direction"), nullable=False
    )
    score: Mapped[float] = mapped_column(Float, nullable=False)
    notified_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class AlertPublication(Base):
    """A publication already matched for alerts (a republished row is a new publication)."""

    __tablename__ = "alert_publications"

    entity: Mapped[AlertEntity] = mapped_column(
        str_enum(AlertEntity, "alert_entity"), primary_key=True
    )
    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    published_at: Mapped[datetime] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class AlertCursor(Base):
    """How far back the next alerts run looks for publications (a watermark per job)."""

    __tablename__ = "alert_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[datetime] = mapped_column(nullable=False)


class SavedSearchEntity(StrEnum):
    listings = "listings"
    needs = "needs"


class SavedSearch(Model):
    """A user's search (the search API's query parameters), re-run to tell them what is new."""

    __tablename__ = "saved_searches"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    entity: Mapped[SavedSearchEntity] = mapped_column(
        str_enum(SavedSearchEntity, "saved_search_entity"), nullable=False
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    last_checked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_notified_at: Mapped[datetime | None] = mapped_column(nullable=True)


class SavedSearchHit(Base):
    """A result a saved search has already seen: its owner is never told about it again."""

    __tablename__ = "saved_search_hits"

    saved_search_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), primary_key=True
    )
    object_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # a listing or a need
    seen_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    notified: Mapped[bool] = mapped_column(nullable=False, default=False)
