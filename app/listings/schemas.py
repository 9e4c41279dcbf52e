"""Listing payloads: what callers may send (strict) and what each kind of reader gets back."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, field_validator

from app.core.schemas import NFCStr, Schema
from app.listings.models import (
    EquipmentCondition,
    IPDeclaration,
    IPStatus,
    ListingKind,
    ListingStatus,
    PyramidTier,
)


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _blank_is_none(value: str) -> str | None:
    return value or None


# Vietnamese text is stored NFC and trimmed; optional text sent as "" counts as absent.
RequiredText = Annotated[NFCStr, AfterValidator(_not_blank)]
Title = Annotated[RequiredText, Field(max_length=300)]
OptionalTitle = Annotated[NFCStr, Field(max_length=300), AfterValidator(_blank_is_none)]
OptionalText = Annotated[NFCStr, Field(max_length=20_000), AfterValidator(_blank_is_none)]
Keyword = Annotated[RequiredText, Field(max_length=80)]
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")]
VsicCode = Annotated[str, Field(min_length=1, max_length=4, pattern=r"^[A-Z0-9]+$")]
TRL = Annotated[int, Field(ge=1, le=9, description="Technology readiness level 1–9")]
VND = Annotated[int, Field(ge=0, le=9_000_000_000_000_000, description="Amount in VND")]


class Input(Schema):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ListingFields(Input):
    """Everything an owner may set; drafts may leave any of it empty."""

    title_vi: Title | None = None
    title_en: OptionalTitle | None = None
    summary_vi: OptionalText | None = None
    summary_en: OptionalText | None = None
    technical_description: OptionalText | None = None
    application_fields: OptionalText | None = None
    keywords: list[Keyword] | None = Field(None, max_length=30)
    sectors: list[Code] | None = Field(None, description="Vocabulary `sector`", max_length=20)
    vsic_sections: list[VsicCode] | None = Field(None, description="VSIC 2018 sections A–U")
    strategic_groups: list[Code] | None = Field(
        None, description="Vocabulary `strategic_tech_group`"
    )
    region: Code | None = Field(None, description="Vocabulary `region`")
    source_exchange: Code | None = Field(None, description="Vocabulary `source_exchange`")
    external_ref: Annotated[str, Field(max_length=120)] | None = None

    trl: TRL | None = Field(None, description="Current TRL; not asked for equipment")
    target_trl: TRL | None = None
    ip_declaration: IPDeclaration | None = Field(
        None,
        description="The owner's IP declaration; `ip_status` is computed from it and the rights",
    )
    protects_technology: bool | None = Field(
        None, description="ip_right: the right protects a technology"
    )

    transfer_forms: list[Code] | None = Field(None, description="Vocabulary `transfer_form`")
    price_type: Code | None = Field(None, description="Vocabulary `price_type`")
    price_vnd: VND | None = None

    specifications: OptionalText | None = None
    condition: EquipmentCondition | None = None
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] | None = None

    service_description: OptionalText | None = None
    provider_qualifications: OptionalText | None = None
    service_area: OptionalText | None = None

    process_summary: OptionalText | None = Field(None, description="Confidential")
    confidential_detail: OptionalText | None = Field(None, description="Confidential")

    @field_validator("title_vi", "source_exchange", "protects_technology")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Field validators run only for values actually sent: an explicit null lands here.
        if value is None:
            raise ValueError("may not be null")
        return value


class ListingCreate(ListingFields):
    kind: ListingKind
    title_vi: Title
    organisation_id: uuid.UUID | None = Field(
        None, description="Owner; optional when you belong to exactly one organisation"
    )


class ListingUpdate(ListingFields):
    kind: ListingKind | None = Field(None, description="Only while the listing is a draft")

    @field_validator("kind")
    @classmethod
    def _kind_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class ListingReject(Input):
    reason: Annotated[RequiredText, Field(max_length=4000)] = Field(
        description="Why the listing (or its pending changes) is refused; sent to the owner"
    )


class ListingDetail(Schema):
    """Confidential part: owner, operator staff and organisations granted access only."""

    process_summary: str | None
    confidential_detail: str | None


class ListingPublic(Schema):
    """Fields every reader of a visible listing gets (copied from the ORM row)."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    kind: ListingKind
    tier: PyramidTier
    status: ListingStatus
    title_vi: str
    title_en: str | None
    summary_vi: str | None
    summary_en: str | None
    technical_description: str | None
    application_fields: str | None
    keywords: list[str]
    sectors: list[str]
    vsic_sections: list[str]
    strategic_groups: list[str]
    region: str | None
    source_exchange: str
    external_ref: str | None
    trl: int | None
    target_trl: int | None
    ip_declaration: IPDeclaration | None
    ip_status: IPStatus | None
    ip_dossier_clear: bool
    protects_technology: bool
    transfer_forms: list[str]
    price_type: str | None
    price_vnd: int | None
    currency: str
    specifications: str | None
    condition: EquipmentCondition | None
    quantity: int | None
    service_description: str | None
    provider_qualifications: str | None
    service_area: str | None
    submitted_at: datetime | None
    published_at: datetime | None
    archived_at: datetime | None
    content_updated_at: datetime
    created_at: datetime
    updated_at: datetime


class Listing(ListingPublic):
    organisation_name: str | None = None
    is_stale: bool = Field(description="Not updated by its owner for `stale_after_days` days")
    # Owner and operator staff only:
    pending_changes: dict[str, Any] | None = Field(
        None, description="Edits of TRL/IP/price waiting for review (owner and staff only)"
    )
    rejection_reason: str | None = Field(None, description="Owner and staff only")
    reviewed_at: datetime | None = Field(None, description="Owner and staff only")
    detail: ListingDetail | None = Field(
        None, description="Confidential detail, only for readers allowed to see it"
    )


PUBLIC_FIELDS = tuple(ListingPublic.model_fields)


def listing_view(
    row: Any,
    *,
    organisation_name: str | None,
    stale_before: datetime,
    internal: bool,
    detail: bool,
) -> Listing:
    """Shape a listing row for one reader: `internal` = owner or staff, `detail` = may read it."""
    values = {name: getattr(row, name) for name in PUBLIC_FIELDS}
    extra: dict[str, Any] = {}
    if internal:
        extra = {
            "pending_changes": row.pending_changes,
            "rejection_reason": row.rejection_reason,
            "reviewed_at": row.reviewed_at,
        }
    if detail:
        extra["detail"] = ListingDetail(
            process_summary=row.process_summary, confidential_detail=row.confidential_detail
        )
    return Listing(
        **values,
        **extra,
        organisation_name=organisation_name,
        is_stale=row.content_updated_at < stale_before,
    )


class ListingFilters(Schema):
    """Query filters of `GET /listings` (all optional, combined with AND)."""

    kind: ListingKind | None = None
    tier: PyramidTier | None = None
    trl_min: TRL | None = None
    trl_max: TRL | None = None
    sector: list[str] = Field(default_factory=list, description="Any of these sectors (repeat)")
    ip_status: IPStatus | None = None
    source_exchange: str | None = None
    status: ListingStatus | None = None
    organisation_id: uuid.UUID | None = None
    mine: bool = Field(False, description="Only my organisations' listings, in every status")
    price_min: VND | None = None
    price_max: VND | None = None
    updated_since: datetime | None = None
    stale: bool | None = Field(None, description="true: only stale listings; false: only fresh")


class ReviewItem(Schema):
    """One entry of the moderation queue: a listing or a need awaiting a moderator."""

    object_type: Literal["listing", "need"]
    id: uuid.UUID
    title_vi: str
    organisation_id: uuid.UUID
    organisation_name: str | None = None
    status: str
    kind: str | None = Field(None, description="Listing kind; null for needs")
    submitted_at: datetime | None
    pending_changes: dict[str, Any] | None = Field(
        None, description="For a published listing: the edits awaiting review"
    )
    link: str
