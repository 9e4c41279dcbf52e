"""Request and response bodies of the connections and brokerage API."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, computed_field, model_validator

from app.connections.models import (
    COUNTED_STATUSES,
    ConnectionChannel,
    ConnectionEventKind,
    ConnectionInitiator,
    ConnectionStatus,
    ServiceRequestStatus,
    Side,
)
from app.core.schemas import NFCStr, Schema

LongText = Annotated[NFCStr, Field(min_length=1, max_length=5000)]
ShortText = Annotated[NFCStr, Field(min_length=1, max_length=300)]
TaxCode = Annotated[str, Field(min_length=1, max_length=20)]


class Connection(Schema):
    id: uuid.UUID
    listing_id: uuid.UUID | None
    need_id: uuid.UUID | None
    supplier_organisation_id: uuid.UUID
    seeker_organisation_id: uuid.UUID | None = Field(
        description="Hidden from the supplier until the poster of an anonymous need accepts"
    )
    initiator: ConnectionInitiator
    channel: ConnectionChannel
    status: ConnectionStatus
    broker_user_id: uuid.UUID | None
    broker_assigned_at: datetime | None
    partner_exchange: str | None
    external_ref: str | None
    event_name: str | None
    event_date: date | None
    message: str | None
    next_action: str | None
    next_action_due: date | None
    supplier_accepted_at: datetime | None
    seeker_accepted_at: datetime | None
    accepted_at: datetime | None
    declined_at: datetime | None
    negotiation_started_at: datetime | None
    contracted_at: datetime | None
    closed_at: datetime | None
    close_reason: str | None
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def awaiting(self) -> list[Side]:
        """The sides that still have to accept (empty once answered)."""
        if self.status is not ConnectionStatus.requested:
            return []
        pending = []
        if self.supplier_accepted_at is None:
            pending.append(Side.supplier)
        if self.seeker_accepted_at is None:
            pending.append(Side.seeker)
        return pending

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counted(self) -> bool:
        """Counts toward the 1,500 connections target (accepted at some point)."""
        return self.status in COUNTED_STATUSES


class ConnectionEvent(Schema):
    id: uuid.UUID
    at: datetime
    actor_user_id: uuid.UUID | None
    actor_label: str
    kind: ConnectionEventKind
    body: str | None
    from_status: str | None
    to_status: str | None
    object_id: uuid.UUID | None


class ServiceRequest(Schema):
    id: uuid.UUID
    connection_id: uuid.UUID
    type: str
    status: ServiceRequestStatus
    description: str | None
    requested_by_id: uuid.UUID | None
    handler_user_id: uuid.UUID | None
    outcome: str | None
    due_date: date | None
    started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ConnectionDetail(Connection):
    events: list[ConnectionEvent]
    service_requests: list[ServiceRequest]


class ConnectionCreate(Schema):
    """`request`: a company asks for contact on a listing; `answer`: a supplier answers a need
    (optionally offering one of its listings); `introduction`: a broker introduces a need to a
    listing (both sides must accept)."""

    kind: Literal["request", "answer", "introduction"] = "request"
    listing_id: uuid.UUID | None = None
    need_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = Field(
        None, description="The organisation you act for (needed when you belong to several)"
    )
    message: LongText | None = None

    @model_validator(mode="after")
    def _subject_fits_kind(self) -> "ConnectionCreate":
        if self.kind == "request" and (self.listing_id is None or self.need_id is not None):
            raise ValueError("a request names a listing_id and no need_id")
        if self.kind == "answer" and self.need_id is None:
            raise ValueError("an answer names the need_id it answers")
        if self.kind == "introduction" and (self.listing_id is None or self.need_id is None):
            raise ValueError("an introduction names both listing_id and need_id")
        return self


class ConnectionUpdate(Schema):
    next_action: ShortText | None = None
    next_action_due: date | None = None


class Decision(Schema):
    reason: LongText | None = None


class MessageCreate(Schema):
    body: LongText


class Assignment(Schema):
    broker_user_id: uuid.UUID


class ServiceRequestCreate(Schema):
    type: str = Field(
        ..., max_length=40, description="A code of the service_request_type vocabulary"
    )
    description: LongText | None = None
    handler_user_id: uuid.UUID | None = None
    due_date: date | None = None


class ServiceRequestUpdate(Schema):
    status: ServiceRequestStatus | None = None
    handler_user_id: uuid.UUID | None = None
    outcome: LongText | None = None
    description: LongText | None = None
    due_date: date | None = None


class Parties(Schema):
    """The subject and the two organisations; organisations by id or by tax code."""

    listing_id: uuid.UUID | None = None
    need_id: uuid.UUID | None = None
    seeker_organisation_id: uuid.UUID | None = None
    seeker_tax_code: TaxCode | None = None
    supplier_organisation_id: uuid.UUID | None = None
    supplier_tax_code: TaxCode | None = None


class EventMeeting(Parties):
    event_name: ShortText
    event_date: date
    notes: LongText | None = None


class PartnerConnection(Parties):
    external_ref: str = Field(..., min_length=1, max_length=120)
    status: Literal["requested", "accepted"] = Field(
        "requested",
        description="`accepted`: the exchange of information already happened at the partner",
    )
    occurred_on: date | None = None
    message: LongText | None = None


class ImportRow(Schema):
    row: int
    connection_id: uuid.UUID
    created: bool


class ImportResult(Schema):
    created: int
    existing: int
    rows: list[ImportRow]


class PipelineItem(Schema):
    id: uuid.UUID
    status: ConnectionStatus
    channel: ConnectionChannel
    listing_id: uuid.UUID | None
    listing_title: str | None
    need_id: uuid.UUID | None
    need_title: str | None
    supplier_organisation_id: uuid.UUID
    supplier_name: str
    seeker_organisation_id: uuid.UUID
    seeker_name: str
    next_action: str
    next_action_due: date | None
    overdue: bool
    open_service_requests: int
    updated_at: datetime


class PipelineStage(Schema):
    status: ConnectionStatus
    label_vi: str
    label_en: str
    count: int
    items: list[PipelineItem]


class Pipeline(Schema):
    broker_user_id: uuid.UUID
    overdue: int
    stages: list[PipelineStage]
