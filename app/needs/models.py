"""Demand: an enterprise's technology need."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Model, str_enum, utcnow


class NeedStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    published = "published"
    rejected = "rejected"
    archived = "archived"
    fulfilled = "fulfilled"
    expired = "expired"


class NeedVisibility(StrEnum):
    public = "public"  # everyone sees the need and the company
    anonymous = "anonymous"  # everyone sees the need, not who posted it
    restricted = "restricted"  # only signed-in suppliers, brokers and operator staff


class Need(Model):
    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint("min_trl IS NULL OR min_trl BETWEEN 1 AND 9", name="min_trl_range"),
        CheckConstraint(
            "budget_min_vnd IS NULL OR budget_max_vnd IS NULL OR budget_min_vnd <= budget_max_vnd",
            name="budget_order",
        ),
        Index("ix_needs_sectors", "sectors", postgresql_using="gin"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[NeedStatus] = mapped_column(
        str_enum(NeedStatus, "need_status"), nullable=False, default=NeedStatus.draft, index=True
    )
    visibility: Mapped[NeedVisibility] = mapped_column(
        str_enum(NeedVisibility, "need_visibility"), nullable=False, default=NeedVisibility.public
    )

    title_vi: Mapped[str] = mapped_column(String(300), nullable=False)
    title_en: Mapped[str | None] = mapped_column(String(300), nullable=True)
    problem_statement: Mapped[str | None] = mapped_column(Text, nullable=True)
    desired_outcome: Mapped[str | None] = mapped_column(Text, nullable=True)
    sectors: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    vsic_sections: Mapped[list[str]] = mapped_column(ARRAY(String(4)), nullable=False, default=list)
    keywords: Mapped[list[str]] = mapped_column(ARRAY(String(80)), nullable=False, default=list)
    min_trl: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    budget_min_vnd: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    budget_max_vnd: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="VND")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    region: Mapped[str | None] = mapped_column(String(40), nullable=True)
    source_exchange: Mapped[str] = mapped_column(String(40), nullable=False, default="hcm")
    external_ref: Mapped[str | None] = mapped_column(String(120), nullable=True)
    transfer_forms: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), nullable=False, default=list
    )

    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    fulfilled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(nullable=True)
    content_updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
