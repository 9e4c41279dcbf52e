"""connections and contracts: the records behind the 1,500 connections and 50 contracts targets

- `connections`: one row per supply–demand pair. "Once per pair" is a database guarantee through
  partial unique indexes: (listing_id, seeker_organisation_id) where there is a listing, and
  (need_id, supplier_organisation_id) for need-only connections; partner-reported rows are also
  unique per (partner_organisation_id, external_ref).
- `connection_events` (timeline) and `service_requests` (Plan 177 exchange services).
- `contracts`, `contract_documents`, and `contract_reminders` (one row per reminder sent, so the
  registration reminder never goes out twice for one contract and threshold).

Revision ID: c3f1a9d2e005
Revises: b8d2e6f4a004
Create Date: 2026-11-22 07:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c3f1a9d2e005"
down_revision: str | None = "b8d2e6f4a004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "connections",
        sa.Column("listing_id", sa.Uuid(), nullable=True),
        sa.Column("need_id", sa.Uuid(), nullable=True),
        sa.Column("supplier_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("seeker_organisation_id", sa.Uuid(), nullable=False),
        sa.Column(
            "initiator",
            sa.Enum(
                "seeker",
                "supplier",
                "broker",
                "operator",
                "partner",
                name="connection_initiator",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum(
                "online",
                "broker",
                "event",
                "partner_exchange",
                name="connection_channel",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "accepted",
                "declined",
                "in_negotiation",
                "contracted",
                "closed_no_deal",
                name="connection_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("broker_user_id", sa.Uuid(), nullable=True),
        sa.Column("broker_assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partner_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("partner_exchange", sa.String(length=40), nullable=True),
        sa.Column("external_ref", sa.String(length=120), nullable=True),
        sa.Column("event_name", sa.String(length=300), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("next_action", sa.String(length=300), nullable=True),
        sa.Column("next_action_due", sa.Date(), nullable=True),
        sa.Column("supplier_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seeker_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("negotiation_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contracted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "channel <> 'partner_exchange' OR (partner_organisation_id IS NOT NULL "
            "AND external_ref IS NOT NULL)",
            name=op.f("ck_connections_partner_reference"),
        ),
        sa.CheckConstraint(
            "num_nonnulls(listing_id, need_id) >= 1", name=op.f("ck_connections_has_subject")
        ),
        sa.CheckConstraint(
            "supplier_organisation_id <> seeker_organisation_id",
            name=op.f("ck_connections_distinct_parties"),
        ),
        sa.ForeignKeyConstraint(
            ["broker_user_id"],
            ["users.id"],
            name=op.f("fk_connections_broker_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_connections_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_connections_listing_id_listings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_connections_need_id_needs"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["partner_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_connections_partner_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seeker_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_connections_seeker_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_connections_supplier_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connections")),
    )
    op.create_index(
        "ix_connections_broker_status", "connections", ["broker_user_id", "status"], unique=False
    )
    op.create_index(op.f("ix_connections_channel"), "connections", ["channel"], unique=False)
    op.create_index(op.f("ix_connections_created_at"), "connections", ["created_at"], unique=False)
    op.create_index(op.f("ix_connections_need_id"), "connections", ["need_id"], unique=False)
    op.create_index(
        op.f("ix_connections_seeker_organisation_id"),
        "connections",
        ["seeker_organisation_id"],
        unique=False,
    )
    op.create_index(
        "ix_connections_status_accepted_at", "connections", ["status", "accepted_at"], unique=False
    )
    op.create_index(
        op.f("ix_connections_supplier_organisation_id"),
        "connections",
        ["supplier_organisation_id"],
        unique=False,
    )
    op.create_index(
        "uq_connections_listing_seeker",
        "connections",
        ["listing_id", "seeker_organisation_id"],
        unique=True,
        postgresql_where=sa.text("listing_id IS NOT NULL"),
    )
    op.create_index(
        "uq_connections_need_supplier",
        "connections",
        ["need_id", "supplier_organisation_id"],
        unique=True,
        postgresql_where=sa.text("listing_id IS NULL"),
    )
    op.create_index(
        "uq_connections_partner_external_ref",
        "connections",
        ["partner_organisation_id", "external_ref"],
        unique=True,
        postgresql_where=sa.text("external_ref IS NOT NULL"),
    )
    op.create_table(
        "connection_events",
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_label", sa.String(length=320), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "message",
                "acceptance",
                "status_change",
                "assignment",
                "next_action",
                "service_request",
                "contract",
                name="connection_event_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("from_status", sa.String(length=40), nullable=True),
        sa.Column("to_status", sa.String(length=40), nullable=True),
        sa.Column("object_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_connection_events_actor_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_connection_events_connection_id_connections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_events")),
    )
    op.create_index(
        "ix_connection_events_connection_at",
        "connection_events",
        ["connection_id", "at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_connection_events_created_at"), "connection_events", ["created_at"], unique=False
    )
    op.create_table(
        "contracts",
        sa.Column("connection_id", sa.Uuid(), nullable=True),
        sa.Column("listing_id", sa.Uuid(), nullable=True),
        sa.Column("need_id", sa.Uuid(), nullable=True),
        sa.Column("supplier_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("broker_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "signed",
                "in_execution",
                "completed",
                "terminated",
                name="contract_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=True),
        sa.Column("contract_type", sa.String(length=40), nullable=False),
        sa.Column("licence_territory", sa.String(length=300), nullable=True),
        sa.Column("sublicensing_allowed", sa.Boolean(), nullable=True),
        sa.Column("form", sa.String(length=40), nullable=True),
        sa.Column("methods", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column(
            "partner_direction",
            sa.Enum(
                "domestic",
                "inbound",
                "outbound",
                name="partner_direction",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("state_funded", sa.Boolean(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("vsic_section", sa.String(length=4), nullable=True),
        sa.Column("value_vnd", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "payment_terms",
            sa.Enum(
                "lump_sum",
                "royalty",
                "fee_plus_royalty",
                "equity",
                name="payment_terms",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("royalty_pct", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("payment_notes", sa.Text(), nullable=True),
        sa.Column("signed_date", sa.Date(), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("supplier_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supplier_signed_by_id", sa.Uuid(), nullable=True),
        sa.Column("buyer_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("buyer_signed_by_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_broker", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("registration_required", sa.Boolean(), nullable=False),
        sa.Column("registration_deadline", sa.Date(), nullable=True),
        sa.Column("registration_certificate_number", sa.String(length=80), nullable=True),
        sa.Column("registration_certificate_date", sa.Date(), nullable=True),
        sa.Column("execution_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("terminated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("terminated_reason", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status = 'draft' OR signed_date IS NOT NULL", name=op.f("ck_contracts_signed_has_date")
        ),
        sa.CheckConstraint(
            "royalty_pct IS NULL OR (royalty_pct > 0 AND royalty_pct <= 100)",
            name=op.f("ck_contracts_royalty_range"),
        ),
        sa.CheckConstraint(
            "supplier_organisation_id <> buyer_organisation_id",
            name=op.f("ck_contracts_distinct_parties"),
        ),
        sa.CheckConstraint(
            "value_vnd IS NULL OR value_vnd >= 0", name=op.f("ck_contracts_value_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["broker_user_id"],
            ["users.id"],
            name=op.f("fk_contracts_broker_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["buyer_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_contracts_buyer_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["buyer_signed_by_id"],
            ["users.id"],
            name=op.f("fk_contracts_buyer_signed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_contracts_connection_id_connections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_contracts_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_contracts_listing_id_listings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_contracts_need_id_needs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_contracts_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_contracts_supplier_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_signed_by_id"],
            ["users.id"],
            name=op.f("fk_contracts_supplier_signed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
    )
    op.create_index(
        op.f("ix_contracts_broker_user_id"), "contracts", ["broker_user_id"], unique=False
    )
    op.create_index(
        op.f("ix_contracts_buyer_organisation_id"),
        "contracts",
        ["buyer_organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_contracts_connection_id"), "contracts", ["connection_id"], unique=False
    )
    op.create_index(
        op.f("ix_contracts_contract_type"), "contracts", ["contract_type"], unique=False
    )
    op.create_index(op.f("ix_contracts_created_at"), "contracts", ["created_at"], unique=False)
    op.create_index(op.f("ix_contracts_listing_id"), "contracts", ["listing_id"], unique=False)
    op.create_index(op.f("ix_contracts_signed_date"), "contracts", ["signed_date"], unique=False)
    op.create_index(
        "ix_contracts_status_signed_date", "contracts", ["status", "signed_date"], unique=False
    )
    op.create_index(
        op.f("ix_contracts_supplier_organisation_id"),
        "contracts",
        ["supplier_organisation_id"],
        unique=False,
    )
    op.create_table(
        "service_requests",
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "cancelled",
                name="service_request_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column("handler_user_id", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_service_requests_connection_id_connections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["handler_user_id"],
            ["users.id"],
            name=op.f("fk_service_requests_handler_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_service_requests_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
    )
    op.create_index(
        op.f("ix_service_requests_connection_id"),
        "service_requests",
        ["connection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_service_requests_created_at"), "service_requests", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_service_requests_handler_user_id"),
        "service_requests",
        ["handler_user_id"],
        unique=False,
    )
    op.create_index(op.f("ix_service_requests_type"), "service_requests", ["type"], unique=False)
    op.create_table(
        "contract_documents",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "draft",
                "signed_contract",
                "annex",
                "registration_certificate",
                "other",
                name="contract_document_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_documents_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_contract_documents_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_documents")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_contract_documents_storage_key")),
    )
    op.create_index(
        op.f("ix_contract_documents_contract_id"),
        "contract_documents",
        ["contract_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_contract_documents_created_at"), "contract_documents", ["created_at"], unique=False
    )
    op.create_table(
        "contract_reminders",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("threshold_days", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_reminders_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_reminders")),
        sa.UniqueConstraint(
            "contract_id",
            "kind",
            "threshold_days",
            name=op.f("uq_contract_reminders_contract_id_kind_threshold_days"),
        ),
    )
    op.create_index(
        op.f("ix_contract_reminders_created_at"), "contract_reminders", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_contract_reminders_created_at"), table_name="contract_reminders")
    op.drop_table("contract_reminders")
    op.drop_index(op.f("ix_contract_documents_created_at"), table_name="contract_documents")
    op.drop_index(op.f("ix_contract_documents_contract_id"), table_name="contract_documents")
    op.drop_table("contract_documents")
    op.drop_index(op.f("ix_service_requests_type"), table_name="service_requests")
    op.drop_index(op.f("ix_service_requests_handler_user_id"), table_name="service_requests")
    op.drop_index(op.f("ix_service_requests_created_at"), table_name="service_requests")
    op.drop_index(op.f("ix_service_requests_connection_id"), table_name="service_requests")
    op.drop_table("service_requests")
    op.drop_index(op.f("ix_contracts_supplier_organisation_id"), table_name="contracts")
    op.drop_index("ix_contracts_status_signed_date", table_name="contracts")
    op.drop_index(op.f("ix_contracts_signed_date"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_listing_id"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_created_at"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_contract_type"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_connection_id"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_buyer_organisation_id"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_broker_user_id"), table_name="contracts")
    op.drop_table("contracts")
    op.drop_index(op.f("ix_connection_events_created_at"), table_name="connection_events")
    op.drop_index("ix_connection_events_connection_at", table_name="connection_events")
    op.drop_table("connection_events")
    op.drop_index(
        "uq_connections_partner_external_ref",
        table_name="connections",
        postgresql_where=sa.text("external_ref IS NOT NULL"),
    )
    op.drop_index(
        "uq_connections_need_supplier",
        table_name="connections",
        postgresql_where=sa.text("listing_id IS NULL"),
    )
    op.drop_index(
        "uq_connections_listing_seeker",
        table_name="connections",
        postgresql_where=sa.text("listing_id IS NOT NULL"),
    )
    op.drop_index(op.f("ix_connections_supplier_organisation_id"), table_name="connections")
    op.drop_index("ix_connections_status_accepted_at", table_name="connections")
    op.drop_index(op.f("ix_connections_seeker_organisation_id"), table_name="connections")
    op.drop_index(op.f("ix_connections_need_id"), table_name="connections")
    op.drop_index(op.f("ix_connections_created_at"), table_name="connections")
    op.drop_index(op.f("ix_connections_channel"), table_name="connections")
    op.drop_index("ix_connections_broker_status", table_name="connections")
    op.drop_table("connections")
