"""Request and response shapes of IP rights, valuations and the IP dossier."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from app.core.schemas import NFCStr, Schema
from app.ip.models import IPRightStatus, ValuationMethod


def _upper(value: str) -> str:
    return value.strip().upper()


# "VN", "US", and regional offices ("EP", "WO", "ARIPO"…): upper-case letters only.
Jurisdiction = Annotated[str, AfterValidator(_upper), StringConstraints(pattern=r"^[A-Z]{2,10}$")]
Currency = Annotated[str, AfterValidator(_upper), StringConstraints(pattern=r"^[A-Z]{3}$")]
RightNumber = Annotated[NFCStr, StringConstraints(min_length=1, max_length=60)]
MAX_BIGINT = 2**63 - 1


class RightOwner(Schema):
    """One holder of a right and their share (percent)."""

    name: Annotated[NFCStr, StringConstraints(min_length=1, max_length=300)]
    organisation_id: uuid.UUID | None = None
    share_pct: float = Field(gt=0, le=100)


class IPRightBase(Schema):
    title: Annotated[NFCStr, StringConstraints(max_length=300)] | None = None
    number: RightNumber | None = Field(None, description="Grant number (số văn bằng)")
    application_number: RightNumber | None = Field(
        None, description="Application number (số đơn), e.g. 1-2023-01234 in Vietnam"
    )
    filing_date: date | None = None
    grant_date: date | None = None
    expiry_date: date | None = None
    notes: NFCStr | None = None


class IPRightCreate(IPRightBase):
    right_type: str = Field(max_length=40, description="Code of the ip_right_type vocabulary")
    status: IPRightStatus
    jurisdiction: Jurisdiction = "VN"
    owners: list[RightOwner] = Field(default_factory=list, max_length=50)


class IPRightUpdate(IPRightBase):
    right_type: str | None = Field(None, max_length=40)
    status: IPRightStatus | None = None
    jurisdiction: Jurisdiction | None = None
    owners: list[RightOwner] | None = Field(None, max_length=50)


class IPRight(Schema):
    id: uuid.UUID
    listing_id: uuid.UUID
    right_type: str
    title: str | None
    number: str | None
    application_number: str | None
    status: IPRightStatus
    jurisdiction: str
    filing_date: date | None
    grant_date: date | None
    expiry_date: date | None
    owners: list[RightOwner]
    verified: bool
    verified_at: datetime | None
    evidence_count: int = Field(0, description="Attached evidence documents (certificate, receipt)")
    notes: str | None = Field(None, description="Only for the owner, staff and granted readers")
    created_at: datetime
    updated_at: datetime


class ValuationBase(Schema):
    valuer_name: Annotated[NFCStr, StringConstraints(max_length=300)] | None = None
    valuer_organisation_id: uuid.UUID | None = None
    notes: NFCStr | None = None


class ValuationCreate(ValuationBase):
    method: ValuationMethod
    value: int = Field(ge=0, le=MAX_BIGINT)
    currency: Currency = "VND"
    valuation_date: date
    independent: bool = False


class ValuationUpdate(ValuationBase):
    method: ValuationMethod | None = None
    value: int | None = Field(None, ge=0, le=MAX_BIGINT)
    currency: Currency | None = None
    valuation_date: date | None = None
    independent: bool | None = None


class Valuation(Schema):
    id: uuid.UUID
    listing_id: uuid.UUID
    method: ValuationMethod
    value: int | None = Field(
        description="Commercial figure: null unless the caller may read the listing's detail"
    )
    currency: str
    valuation_date: date
    valuer_organisation_id: uuid.UUID | None
    valuer_name: str | None
    independent: bool
    verified: bool
    verified_at: datetime | None
    notes: str | None = None
    created_at: datetime
    updated_at: datetime


class MissingItem(Schema):
    code: str
    label_vi: str
    label_en: str


class RightIssues(Schema):
    ip_right_id: uuid.UUID
    missing: list[str]


class DossierState(Schema):
    """Whether a listing has a clear IP dossier (DOMAIN.md), and what is still missing."""

    clear: bool
    missing: list[str] = Field(default_factory=list, description="Stable machine codes")
    missing_labels: list[MissingItem] = Field(default_factory=list)
    basis: Literal["rights", "secret_know_how"] | None = Field(
        None, description="Which IP route is satisfied, if any"
    )
    rights: list[RightIssues] = Field(
        default_factory=list, description="Per right, what it still lacks"
    )
