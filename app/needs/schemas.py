"""Need payloads: strict inputs, and the read shape (who posted it may be hidden)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from app.core.schemas import Schema
from app.listings.schemas import (
    TRL,
    VND,
    Code,
    Input,
    Keyword,
    OptionalText,
    OptionalTitle,
    RequiredText,
    Title,
    VsicCode,
)
from app.needs.models import NeedStatus, NeedVisibility


class NeedFields(Input):
    title_vi: Title | None = None
    title_en: OptionalTitle | None = None
    problem_statement: OptionalText | None = None
    desired_outcome: OptionalText | None = None
    sectors: list[Code] | None = Field(None, description="Vocabulary `sector`", max_length=20)
    vsic_sections: list[VsicCode] | None = Field(None, description="VSIC 2018 sections A–U")
    keywords: list[Keyword] | None = Field(None, max_length=30)
    min_trl: TRL | None = Field(None, description="Lowest TRL the company can take on")
    budget_min_vnd: VND | None = None
    budget_max_vnd: VND | None = None
    deadline: date | None = Field(None, description="Last day the need is open (Vietnam date)")
    region: Code | None = Field(None, description="Vocabulary `region`")
    source_exchange: Code | None = Field(None, description="Vocabulary `source_exchange`")
    external_ref: Annotated[str, Field(max_length=120)] | None = None
    transfer_forms: list[Code] | None = Field(
        None, description="Preferred; vocabulary `transfer_form`"
    )
    visibility: NeedVisibility | None = Field(
        None,
        description="public: poster shown; anonymous: poster hidden; restricted: members only",
    )

    @field_validator("title_vi", "source_exchange", "visibility")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class NeedCreate(NeedFields):
    title_vi: Title
    organisation_id: uuid.UUID | None = Field(
        None,
        description="Posting organisation; optional when you belong to exactly one. "
        "Operator staff posting on a company's behalf must give it.",
    )


class NeedUpdate(NeedFields):
    pass


class NeedReject(Input):
    reason: Annotated[RequiredText, Field(max_length=4000)] = Field(
        description="Why the need is refused; sent to the posting organisation"
    )


class NeedPublic(Schema):
    """Fields every reader of a visible need gets (copied from the ORM row)."""

    id: uuid.UUID
    visibility: NeedVisibility
    title_vi: str
    title_en: str | None
    problem_statement: str | None
    desired_outcome: str | None
    sectors: list[str]
    vsic_sections: list[str]
    keywords: list[str]
    min_trl: int | None
    budget_min_vnd: int | None
    budget_max_vnd: int | None
    currency: str
    deadline: date | None
    region: str | None
    source_exchange: str
    external_ref: str | None
    transfer_forms: list[str]
    submitted_at: datetime | None
    published_at: datetime | None
    fulfilled_at: datetime | None
    archived_at: datetime | None
    content_updated_at: datetime
    created_at: datetime
    updated_at: datetime


class Need(NeedPublic):
    status: NeedStatus = Field(description="`expired` once a published need's deadline has passed")
    organisation_id: uuid.UUID | None = Field(description="Hidden for anonymous needs")
    organisation_name: str | None = Field(None, description="Hidden for anonymous needs")
    rejection_reason: str | None = Field(None, description="Poster and staff only")
    reviewed_at: datetime | None = Field(None, description="Poster and staff only")


PUBLIC_FIELDS = tuple(NeedPublic.model_fields)


def need_view(
    row: Any, *, status: NeedStatus, organisation_name: str | None, internal: bool
) -> Need:
    """Shape a need for one reader: `internal` = poster organisation or operator staff."""
    values = {name: getattr(row, name) for name in PUBLIC_FIELDS}
    show_poster = internal or row.visibility != NeedVisibility.anonymous
    extra = (
        {"rejection_reason": row.rejection_reason, "reviewed_at": row.reviewed_at}
        if internal
        else {}
    )
    return Need(
        **values,
        **extra,
        status=status,
        organisation_id=row.organisation_id if show_poster else None,
        organisation_name=organisation_name if show_poster else None,
    )


class NeedFilters(Schema):
    """Query filters of `GET /needs` (all optional, combined with AND)."""

    sector: list[str] = Field(default_factory=list, description="Any of these sectors (repeat)")
    trl_min: TRL | None = Field(None, description="Needs whose minimum TRL is at least this")
    trl_max: TRL | None = Field(None, description="Needs whose minimum TRL is at most this")
    budget_min: VND | None = Field(None, description="Budget range overlapping [budget_min, …]")
    budget_max: VND | None = Field(None, description="Budget range overlapping […, budget_max]")
    region: str | None = None
    source_exchange: str | None = None
    status: NeedStatus | None = None
    organisation_id: uuid.UUID | None = None
    mine: bool = Field(False, description="Only my organisations' needs, in every status")
    deadline_before: date | None = Field(None, description="Deadline on or before this date")
    deadline_after: date | None = Field(None, description="Deadline on or after this date")
    updated_since: datetime | None = None
