"""IP rights and valuations of listings; the dossier state is computed from these rows."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Model, str_enum


class IPRightStatus(StrEnum):
    pending = "pending"  # đang nộp đơn
    granted = "granted"  # đã cấp văn bằng
    expired = "expired"
    rejected = "rejected"


class ValuationMethod(StrEnum):
    cost = "cost"
    market = "market"
    income = "income"


class IPRight(Model):
    __tablename__ = "ip_rights"

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), nullable=False, index=True
    )
    right_type: Mapped[str] = mapped_column(String(40), nullable=False)  # vocabulary ip_right_type
    title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    number: Mapped[str | None] = mapped_column(String(60), nullable=True)  # grant number
    application_number: Mapped[str | None] = mapped_column(String(60), nullable=True)
    status: Mapped[IPRightStatus] = mapped_column(
        str_enum(IPRightStatus, "ip_right_status"), nullable=False
    )
    jurisdiction: Mapped[str] = mapped_column(String(10), nullable=False, default="VN")
    filing_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    grant_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    expiry_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # [{"name": "...", "organisation_id": "...|null", "share_pct": 60}]
    owners: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    verified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    verified_at: Mapped[datetime | None] = mapped_column(nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class Valuation(Model):
    __tablename__ = "valuations"
    __table_args__ = (CheckConstraint("value >= 0", name="value_non_negative"),)

    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), nullable=False, index=True
    )
    method: Mapped[ValuationMethod] = mapped_column(
        str_enum(ValuationMethod, "valuation_method"), nullable=False
    )
    value: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="VND")
    valuation_date: Mapped[date] = mapped_column(Date, nullable=False)
    valuer_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True
    )
    valuer_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Done by a qualified valuation organisation, not the owner.
    independent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    verified_at: Mapped[datetime | None] = mapped_column(nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
