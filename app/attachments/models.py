"""Files attached to listings, needs, IP rights and valuations."""

import uuid
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Model, str_enum


class AttachmentPurpose(StrEnum):
    document = "document"
    image = "image"
    ip_evidence = "ip_evidence"  # certificate or filing receipt of an IP right
    valuation_report = "valuation_report"
    know_how_declaration = "know_how_declaration"  # owner's secret-know-how declaration


class Attachment(Model):
    __tablename__ = "attachments"
    __table_args__ = (
        # Exactly one owner object: real foreign keys rather than a polymorphic (type, id) pair.
        CheckConstraint(
            "num_nonnulls(listing_id, need_id, ip_right_id, valuation_id) = 1", name="one_owner"
        ),
    )

    listing_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), nullable=True, index=True
    )
    need_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), nullable=True, index=True
    )
    ip_right_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ip_rights.id", ondelete="CASCADE"), nullable=True, index=True
    )
    valuation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("valuations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    purpose: Mapped[AttachmentPurpose] = mapped_column(
        str_enum(AttachmentPurpose, "attachment_purpose"), nullable=False
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    # Confidential files follow the listing's confidential-detail rule; others are public once
    # the owner object is public.
    confidential: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
