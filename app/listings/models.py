"""Supply listings (the pyramid), access grants, and the vocabulary table."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdMixin, Model, str_enum, utcnow


class ListingKind(StrEnum):
    equipment = "equipment"
    research_result = "research_result"
    st_service = "st_service"
    technology = "technology"
    ip_right = "ip_right"


class PyramidTier(StrEnum):
    base = "base"
    middle = "middle"
    # Not named `upper`: that would shadow str.upper on every tier value.
    upper_tier = "upper"
    apex = "apex"


# The tier is a consequence of the kind (Decision 3628), never entered separately.
TIER_BY_KIND: dict[ListingKind, PyramidTier] = {
    ListingKind.equipment: PyramidTier.base,
    ListingKind.research_result: PyramidTier.middle,
    ListingKind.st_service: PyramidTier.middle,
    ListingKind.technology: PyramidTier.upper_tier,
    ListingKind.ip_right: PyramidTier.apex,
}

# Kinds counted as "offered technologies" for the 70 % IP-dossier target.
TECHNOLOGY_KINDS = frozenset(
    {ListingKind.technology, ListingKind.research_result, ListingKind.ip_right}
)


class ListingStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    published = "published"
    rejected = "rejected"
    archived = "archived"


class EquipmentCondition(StrEnum):
    new = "new"
    used = "used"
    refurbished = "refurbished"


class IPDeclaration(StrEnum):
    """What the owner declares about IP; the status summary itself is computed from IP rows."""

    none = "none"
    secret_know_how = "secret_know_how"
    rights = "rights"


class IPStatus(StrEnum):
    none = "none"
    secret_know_how = "secret_know_how"
    pending = "pending"
    granted = "granted"
    expired = "expired"
    rejected = "rejected"


class Listing(Model):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("trl IS NULL OR trl BETWEEN 1 AND 9", name="trl_range"),
        CheckConstraint(
            "target_trl IS NULL OR target_trl BETWEEN 1 AND 9", name="target_trl_range"
        ),
        CheckConstraint("kind <> 'equipment' OR trl IS NULL", name="equipment_has_no_trl"),
        CheckConstraint("price_vnd IS NULL OR price_vnd >= 0", name="price_non_negative"),
        Index("ix_listings_sectors", "sectors", postgresql_using="gin"),
        Index("ix_listings_status_kind", "status", "kind"),
        UniqueConstraint("source_exchange", "external_ref"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[ListingKind] = mapped_column(str_enum(ListingKind, "listing_kind"), nullable=False)
    tier: Mapped[PyramidTier] = mapped_column(
        str_enum(PyramidTier, "pyramid_tier"), nullable=False, index=True
    )
    status: Mapped[ListingStatus] = mapped_column(
        str_enum(ListingStatus, "listing_status"), nullable=False, default=ListingStatus.draft
    )

    # Public summary
    title_vi: Mapped[str] = mapped_column(String(300), nullable=False)
    title_en: Mapped[str | None] = mapped_column(String(300), nullable=True)
    summary_vi: Mapped[str | None] = mapped_column(Text, nullable=True)
    summary_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    technical_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    application_fields: Mapped[str | None] = mapped_column(Text, nullable=True)
    keywords: Mapped[list[str]] = mapped_column(ARRAY(String(80)), nullable=False, default=list)
    sectors: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    vsic_sections: Mapped[list[str]] = mapped_column(ARRAY(String(4)), nullable=False, default=list)
    strategic_groups: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), nullable=False, default=list
    )
    region: Mapped[str | None] = mapped_column(String(40), nullable=True)
    source_exchange: Mapped[str] = mapped_column(
        String(40), nullable=False, default="hcm", index=True
    )
    external_ref: Mapped[str | None] = mapped_column(String(120), nullable=True)

    # Readiness and IP (ip_status / ip_dossier_clear are caches recomputed from IP rows)
    trl: Mapped[int | None] = mapped_column(SmallInteger, nullable=True, index=True)
    target_trl: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    ip_declaration: Mapped[IPDeclaration | None] = mapped_column(
        str_enum(IPDeclaration, "ip_declaration"), nullable=True
    )
    ip_status: Mapped[IPStatus | None] = mapped_column(
        str_enum(IPStatus, "ip_status"), nullable=True, index=True
    )
    ip_dossier_clear: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    protects_technology: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    # Commercial terms
    transfer_forms: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), nullable=False, default=list
    )
    price_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    price_vnd: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="VND")

    # Equipment
    specifications: Mapped[str | None] = mapped_column(Text, nullable=True)
    condition: Mapped[EquipmentCondition | None] = mapped_column(
        str_enum(EquipmentCondition, "equipment_condition"), nullable=True
    )
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)

    # S&T service
    service_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    provider_qualifications: Mapped[str | None] = mapped_column(Text, nullable=True)
    service_area: Mapped[str | None] = mapped_column(Text, nullable=True)

    # Confidential detail: owner, operator staff, and organisations granted access only
    process_summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    confidential_detail: Mapped[str | None] = mapped_column(Text, nullable=True)

    # Moderation
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Edits to TRL/IP/price of a published listing wait here; the published values stay visible.
    pending_changes: Mapped[dict[str, Any] | None] = mapped_column(
        JSONB(none_as_null=True), nullable=True
    )
    # Last edit by the owner (drives the stale flag; moderation does not refresh it).
    content_updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class ListingAccessGrant(IdMixin, Base):
    """An organisation allowed to read a listing's confidential detail (accepted connection)."""

    __tablename__ = "listing_access_grants"
    __table_args__ = (UniqueConstraint("listing_id", "organisation_id"),)

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), nullable=False
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    granted_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    connection_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)


class VocabularyTerm(IdMixin, Base):
    """One item of a controlled vocabulary (sectors, TRL labels, IP types…), with vi/en labels.

    Vocabularies are data because the laws behind them change (amended 12/2025).
    """

    __tablename__ = "vocabulary_terms"
    __table_args__ = (UniqueConstraint("vocabulary", "code"),)

    vocabulary: Mapped[str] = mapped_column(String(40), nullable=False)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    label_vi: Mapped[str] = mapped_column(String(300), nullable=False)
    label_en: Mapped[str] = mapped_column(String(300), nullable=False)
    description_vi: Mapped[str | None] = mapped_column(Text, nullable=True)
    description_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    parent_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    source: Mapped[str | None] = mapped_column(String(200), nullable=True)  # legal basis / version
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
