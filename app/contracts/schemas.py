"""Request and response bodies of the contracts API."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, computed_field

from app.contracts.models import (
    ContractDocumentKind,
    ContractStatus,
    PartnerDirection,
    PaymentTerms,
)
from app.contracts.rules import LICENCE_TYPES
from app.core.schemas import NFCStr, Schema

Title = Annotated[NFCStr, Field(min_length=1, max_length=300)]
LongText = Annotated[NFCStr, Field(min_length=1, max_length=5000)]
Code = Annotated[str, Field(min_length=1, max_length=40)]
Money = Annotated[int, Field(ge=0, le=10**17, description="Integer VND")]
Royalty = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]


class Contract(Schema):
    id: uuid.UUID
    status: ContractStatus
    connection_id: uuid.UUID | None
    listing_id: uuid.UUID | None
    need_id: uuid.UUID | None
    supplier_organisation_id: uuid.UUID
    buyer_organisation_id: uuid.UUID
    broker_user_id: uuid.UUID | None
    title: str
    reference: str | None
    contract_type: str
    licence_territory: str | None
    sublicensing_allowed: bool | None
    form: str | None
    methods: list[str]
    partner_direction: PartnerDirection
    state_funded: bool
    sector: str | None
    vsic_section: str | None
    value_vnd: int | None
    currency: str
    payment_terms: PaymentTerms | None
    royalty_pct: Decimal | None
    payment_notes: str | None
    signed_date: date | None
    effective_date: date | None
    end_date: date | None
    supplier_signed_at: datetime | None
    supplier_signed_by_id: uuid.UUID | None
    buyer_signed_at: datetime | None
    buyer_signed_by_id: uuid.UUID | None
    recorded_by_broker: bool
    registration_required: bool
    registration_deadline: date | None
    registration_certificate_number: str | None
    registration_certificate_date: date | None
    execution_started_at: datetime | None
    completed_at: datetime | None
    terminated_at: datetime | None
    terminated_reason: str | None
    notes: str | None
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def licence_exclusive(self) -> bool | None:
        """For licences of use: exclusive or not (it is the contract type); else null."""
        if self.contract_type not in LICENCE_TYPES:
            return None
        return self.contract_type == "licence_exclusive"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counted(self) -> bool:
        """Counts toward the 50 contracts target (signed at some point)."""
        return self.signed_date is not None


class ContractTerms(Schema):
    """The negotiable content of a contract (all optional in an update)."""

    title: Title | None = None
    reference: Annotated[NFCStr, Field(max_length=80)] | None = None
    contract_type: Code | None = None
    licence_territory: Title | None = None
    sublicensing_allowed: bool | None = None
    form: Code | None = None
    methods: list[Code] | None = None
    partner_direction: PartnerDirection | None = None
    state_funded: bool | None = None
    sector: Code | None = None
    vsic_section: Annotated[str, Field(max_length=4)] | None = None
    value_vnd: Money | None = None
    currency: Literal["VND"] | None = None
    payment_terms: PaymentTerms | None = None
    royalty_pct: Royalty | None = None
    payment_notes: LongText | None = None
    effective_date: date | None = None
    end_date: date | None = None
    notes: LongText | None = None


class ContractCreate(ContractTerms):
    title: Title
    contract_type: Code
    connection_id: uuid.UUID | None = Field(
        None, description="The connection it comes from: parties, listing and need follow"
    )
    listing_id: uuid.UUID | None = None
    need_id: uuid.UUID | None = None
    supplier_organisation_id: uuid.UUID | None = None
    buyer_organisation_id: uuid.UUID | None = None


class ContractUpdate(ContractTerms):
    pass


class Signature(Schema):
    side: Literal["supplier", "buyer"] | None = Field(
        None, description="Needed only when you belong to both parties"
    )


class Termination(Schema):
    reason: LongText


class Registration(Schema):
    certificate_number: Annotated[NFCStr, Field(min_length=1, max_length=80)]
    certificate_date: date


class ContractDocument(Schema):
    id: uuid.UUID
    contract_id: uuid.UUID
    kind: ContractDocumentKind
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by_id: uuid.UUID | None
    created_at: datetime
