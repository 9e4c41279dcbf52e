"""Technology-transfer and equipment-sale contracts (the 50 target) and their documents."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Model, str_enum


class ContractStatus(StrEnum):
    draft = "draft"
    signed = "signed"
    in_execution = "in_execution"
    completed = "completed"
    terminated = "terminated"


# A contract counts toward the target from the moment it is signed.
SIGNED_STATUSES = frozenset(
    {
        ContractStatus.signed,
        ContractStatus.in_execution,
        ContractStatus.completed,
        ContractStatus.terminated,
    }
)


class PartnerDirection(StrEnum):
    domestic = "domestic"
    inbound = "inbound"  # technology transferred from abroad into Viet Nam
    outbound = "outbound"  # technology transferred from Viet Nam abroad


class PaymentTerms(StrEnum):
    lump_sum = "lump_sum"
    royalty = "royalty"
    fee_plus_royalty = "fee_plus_royalty"
    equity = "equity"


class Contract(Model):
    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint("value_vnd IS NULL OR value_vnd >= 0", name="value_non_negative"),
        CheckConstraint(
            "royalty_pct IS NULL OR (royalty_pct > 0 AND royalty_pct <= 100)", name="royalty_range"
        ),
        CheckConstraint(
            "supplier_organisation_id <> buyer_organisation_id", name="distinct_parties"
        ),
        CheckConstraint("status = 'draft' OR signed_date IS NOT NULL", name="signed_has_date"),
        Index("ix_contracts_status_signed_date", "status", "signed_date"),
    )

    connection_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL"), nullable=True, index=True
    )
    listing_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("listings.id", ondelete="SET NULL"), nullable=True, index=True
    )
    need_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("needs.id", ondelete="SET NULL"), nullable=True
    )
    supplier_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    buyer_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    broker_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[ContractStatus] = mapped_column(
        str_enum(ContractStatus, "contract_status"), nullable=False, default=ContractStatus.draft
    )

    title: Mapped[str] = mapped_column(String(300), nullable=False)
    reference: Mapped[str | None] = mapped_column(String(80), nullable=True)  # contract number
    contract_type: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    # Licence of use (contract_type licence_*): exclusivity is the type itself.
    licence_territory: Mapped[str | None] = mapped_column(String(300), nullable=True)
    sublicensing_allowed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    form: Mapped[str | None] = mapped_column(String(40), nullable=True)  # contract_form, Art. 5
    methods: Mapped[list[str]] = mapped_column(  # transfer_method, Art. 6
        ARRAY(String(40)), nullable=False, default=list
    )
    partner_direction: Mapped[PartnerDirection] = mapped_column(
        str_enum(PartnerDirection, "partner_direction"),
        nullable=False,
        default=PartnerDirection.domestic,
    )
    state_funded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    sector: Mapped[str | None] = mapped_column(String(40), nullable=True)
    vsic_section: Mapped[str | None] = mapped_column(String(4), nullable=True)

    value_vnd: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="VND")
    payment_terms: Mapped[PaymentTerms | None] = mapped_column(
        str_enum(PaymentTerms, "payment_terms"), nullable=True
    )
    royalty_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    payment_notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    signed_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    effective_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    supplier_signed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    supplier_signed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    buyer_signed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    buyer_signed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    recorded_by_broker: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    # Registration with the S&T authority (Law on TT 07/2017, Art. 31).
    registration_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    registration_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    registration_certificate_number: Mapped[str | None] = mapped_column(String(80), nullable=True)
    registration_certificate_date: Mapped[date | None] = mapped_column(Date, nullable=True)

    execution_started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    terminated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    terminated_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class ContractDocumentKind(StrEnum):
    draft = "draft"
    signed_contract = "signed_contract"
    annex = "annex"
    registration_certificate = "registration_certificate"
    other = "other"


class ContractDocument(Model):
    """A file of a contract (the attachments table has no contract owner; same storage rules)."""

    __tablename__ = "contract_documents"

    contract_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[ContractDocumentKind] = mapped_column(
        str_enum(ContractDocumentKind, "contract_document_kind"), nullable=False
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class ContractReminder(Model):
    """A reminder already sent, so a daily run never notifies twice for one threshold."""

    __tablename__ = "contract_reminders"
    __table_args__ = (UniqueConstraint("contract_id", "kind", "threshold_days"),)

    contract_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(40), nullable=False)  # "registration"
    threshold_days: Mapped[int] = mapped_column(SmallInteger, nullable=False)
