"""Connections between supply and demand (the 1,500 target), their timeline and services."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Model, str_enum, utcnow


class ConnectionStatus(StrEnum):
    requested = "requested"
    accepted = "accepted"
    declined = "declined"
    in_negotiation = "in_negotiation"
    contracted = "contracted"
    closed_no_deal = "closed_no_deal"


# Stages at which the information has been delivered: the connection counts toward the target.
COUNTED_STATUSES = frozenset(
    {
        ConnectionStatus.accepted,
        ConnectionStatus.in_negotiation,
        ConnectionStatus.contracted,
        ConnectionStatus.closed_no_deal,
    }
)
OPEN_STATUSES = frozenset(
    {ConnectionStatus.requested, ConnectionStatus.accepted, ConnectionStatus.in_negotiation}
)


class ConnectionChannel(StrEnum):
    online = "online"
    broker = "broker"
    event = "event"
    partner_exchange = "partner_exchange"


class ConnectionInitiator(StrEnum):
    """Who created the connection; decides which side still has to accept it."""

    seeker = "seeker"  # a company requested contact on a listing
    supplier = "supplier"  # a supplier answered a need
    broker = "broker"  # a broker introduced a need to a listing: both sides accept
    operator = "operator"  # recorded by staff/broker from a meeting at an event
    partner = "partner"  # reported by a partner exchange


class Side(StrEnum):
    supplier = "supplier"
    seeker = "seeker"


class Connection(Model):
    """One supply–demand pair, counted once it is accepted.

    The pair is identified by its subject: the listing when there is one (pair = listing + seeking
    organisation), else the need (pair = need + supplying organisation). Two partial unique
    indexes make "once per pair" a database guarantee, so concurrent requests cannot both insert.
    A broker introduction carries both a listing and a need and is keyed by its listing, so the
    same company cannot be introduced twice to the same listing (through two needs, say).
    """

    __tablename__ = "connections"
    __table_args__ = (
        CheckConstraint("num_nonnulls(listing_id, need_id) >= 1", name="has_subject"),
        CheckConstraint(
            "supplier_organisation_id <> seeker_organisation_id", name="distinct_parties"
        ),
        CheckConstraint(
            "channel <> 'partner_exchange' OR (partner_organisation_id IS NOT NULL "
            "AND external_ref IS NOT NULL)",
            name="partner_reference",
        ),
        Index(
            "uq_connections_listing_seeker",
            "listing_id",
            "seeker_organisation_id",
            unique=True,
            postgresql_where=text("listing_id IS NOT NULL"),
        ),
        Index(
            "uq_connections_need_supplier",
            "need_id",
            "supplier_organisation_id",
            unique=True,
            postgresql_where=text("listing_id IS NULL"),
        ),
        Index(
            "uq_connections_partner_external_ref",
            "partner_organisation_id",
            "external_ref",
            unique=True,
            postgresql_where=text("external_ref IS NOT NULL"),
        ),
        Index("ix_connections_broker_status", "broker_user_id", "status"),
        Index("ix_connections_status_accepted_at", "status", "accepted_at"),
    )

    listing_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("listings.id", ondelete="RESTRICT"), nullable=True
    )
    need_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("needs.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    supplier_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    seeker_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    initiator: Mapped[ConnectionInitiator] = mapped_column(
        str_enum(ConnectionInitiator, "connection_initiator"), nullable=False
    )
    channel: Mapped[ConnectionChannel] = mapped_column(
        str_enum(ConnectionChannel, "connection_channel"), nullable=False, index=True
    )
    status: Mapped[ConnectionStatus] = mapped_column(
        str_enum(ConnectionStatus, "connection_status"),
        nullable=False,
        default=ConnectionStatus.requested,
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    broker_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    broker_assigned_at: Mapped[datetime | None] = mapped_column(nullable=True)

    # Partner-reported connections: which exchange, and its own id for the connection.
    partner_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=True
    )
    partner_exchange: Mapped[str | None] = mapped_column(String(40), nullable=True)
    external_ref: Mapped[str | None] = mapped_column(String(120), nullable=True)

    # Meetings at a techmart or event.
    event_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    event_date: Mapped[date | None] = mapped_column(Date, nullable=True)

    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_action: Mapped[str | None] = mapped_column(String(300), nullable=True)
    next_action_due: Mapped[date | None] = mapped_column(Date, nullable=True)

    # Each side's consent; the initiating side consents by creating. Accepted when both have.
    supplier_accepted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    seeker_accepted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    declined_at: Mapped[datetime | None] = mapped_column(nullable=True)
    negotiation_started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    contracted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    close_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class ConnectionEventKind(StrEnum):
    created = "created"
    message = "message"
    acceptance = "acceptance"  # one side of a broker introduction accepted
    status_change = "status_change"
    assignment = "assignment"
    next_action = "next_action"
    service_request = "service_request"
    contract = "contract"


class ConnectionEvent(Model):
    """The timeline of a connection: messages, transitions, assignments, services, contracts."""

    __tablename__ = "connection_events"
    __table_args__ = (Index("ix_connection_events_connection_at", "connection_id", "at"),)

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("connections.id", ondelete="CASCADE"), nullable=False
    )
    at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    actor_label: Mapped[str] = mapped_column(String(320), nullable=False)
    kind: Mapped[ConnectionEventKind] = mapped_column(
        str_enum(ConnectionEventKind, "connection_event_kind"), nullable=False
    )
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    from_status: Mapped[str | None] = mapped_column(String(40), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(40), nullable=True)
    object_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)  # service request, contract


class ServiceRequestStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


class ServiceRequest(Model):
    """An exchange service (Plan 177) requested on a connection, and who handled it."""

    __tablename__ = "service_requests"

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("connections.id", ondelete="CASCADE"), nullable=False, index=True
    )
    type: Mapped[str] = mapped_column(
        String(40), nullable=False, index=True
    )  # service_request_type
    status: Mapped[ServiceRequestStatus] = mapped_column(
        str_enum(ServiceRequestStatus, "service_request_status"),
        nullable=False,
        default=ServiceRequestStatus.open,
    )
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    handler_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    outcome: Mapped[str | None] = mapped_column(Text, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
