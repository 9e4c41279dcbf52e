"""catalogue listings needs ip attachments vocabularies

Revision ID: 351ceb237bfc
Revises: d06413582ad8
Create Date: 2026-11-22 06:27:12.189061+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '351ceb237bfc'
down_revision: str | None = 'd06413582ad8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vocabulary_terms',
    sa.Column('vocabulary', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label_vi', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=False),
    sa.Column('description_vi', sa.Text(), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('parent_code', sa.String(length=40), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vocabulary_terms')),
    sa.UniqueConstraint('vocabulary', 'code', name=op.f('uq_vocabulary_terms_vocabulary_code'))
    )
    op.create_table('listings',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('equipment', 'research_result', 'st_service', 'technology', 'ip_right', name='listing_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('tier', sa.Enum('base', 'middle', 'upper', 'apex', name='pyramid_tier', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'published', 'rejected', 'archived', name='listing_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('title_vi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=True),
    sa.Column('summary_vi', sa.Text(), nullable=True),
    sa.Column('summary_en', sa.Text(), nullable=True),
    sa.Column('technical_description', sa.Text(), nullable=True),
    sa.Column('application_fields', sa.Text(), nullable=True),
    sa.Column('keywords', postgresql.ARRAY(sa.String(length=80)), nullable=False),
    sa.Column('sectors', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('vsic_sections', postgresql.ARRAY(sa.String(length=4)), nullable=False),
    sa.Column('strategic_groups', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=True),
    sa.Column('source_exchange', sa.String(length=40), nullable=False),
    sa.Column('external_ref', sa.String(length=120), nullable=True),
    sa.Column('trl', sa.SmallInteger(), nullable=True),
    sa.Column('target_trl', sa.SmallInteger(), nullable=True),
    sa.Column('ip_declaration', sa.Enum('none', 'secret_know_how', 'rights', name='ip_declaration', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('ip_status', sa.Enum('none', 'secret_know_how', 'pending', 'granted', 'expired', 'rejected', name='ip_status', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('ip_dossier_clear', sa.Boolean(), nullable=False),
    sa.Column('protects_technology', sa.Boolean(), nullable=False),
    sa.Column('transfer_forms', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('price_type', sa.String(length=40), nullable=True),
    sa.Column('price_vnd', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('specifications', sa.Text(), nullable=True),
    sa.Column('condition', sa.Enum('new', 'used', 'refurbished', name='equipment_condition', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('service_description', sa.Text(), nullable=True),
    sa.Column('provider_qualifications', sa.Text(), nullable=True),
    sa.Column('service_area', sa.Text(), nullable=True),
    sa.Column('process_summary', sa.Text(), nullable=True),
    sa.Column('confidential_detail', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Uuid(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pending_changes', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('content_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind <> 'equipment' OR trl IS NULL", name=op.f('ck_listings_equipment_has_no_trl')),
    sa.CheckConstraint('price_vnd IS NULL OR price_vnd >= 0', name=op.f('ck_listings_price_non_negative')),
    sa.CheckConstraint('target_trl IS NULL OR target_trl BETWEEN 1 AND 9', name=op.f('ck_listings_target_trl_range')),
    sa.CheckConstraint('trl IS NULL OR trl BETWEEN 1 AND 9', name=op.f('ck_listings_trl_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_listings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_listings_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_listings_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listings')),
    sa.UniqueConstraint('source_exchange', 'external_ref', name=op.f('uq_listings_source_exchange_external_ref'))
    )
    op.create_index(op.f('ix_listings_created_at'), 'listings', ['created_at'], unique=False)
    op.create_index(op.f('ix_listings_ip_status'), 'listings', ['ip_status'], unique=False)
    op.create_index(op.f('ix_listings_organisation_id'), 'listings', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_listings_published_at'), 'listings', ['published_at'], unique=False)
    op.create_index('ix_listings_sectors', 'listings', ['sectors'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_listings_source_exchange'), 'listings', ['source_exchange'], unique=False)
    op.create_index('ix_listings_status_kind', 'listings', ['status', 'kind'], unique=False)
    op.create_index(op.f('ix_listings_tier'), 'listings', ['tier'], unique=False)
    op.create_index(op.f('ix_listings_trl'), 'listings', ['trl'], unique=False)
    op.create_table('needs',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'published', 'rejected', 'archived', 'fulfilled', 'expired', name='need_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('visibility', sa.Enum('public', 'anonymous', 'restricted', name='need_visibility', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('title_vi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=True),
    sa.Column('problem_statement', sa.Text(), nullable=True),
    sa.Column('desired_outcome', sa.Text(), nullable=True),
    sa.Column('sectors', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('vsic_sections', postgresql.ARRAY(sa.String(length=4)), nullable=False),
    sa.Column('keywords', postgresql.ARRAY(sa.String(length=80)), nullable=False),
    sa.Column('min_trl', sa.SmallInteger(), nullable=True),
    sa.Column('budget_min_vnd', sa.BigInteger(), nullable=True),
    sa.Column('budget_max_vnd', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('region', sa.String(length=40), nullable=True),
    sa.Column('source_exchange', sa.String(length=40), nullable=False),
    sa.Column('external_ref', sa.String(length=120), nullable=True),
    sa.Column('transfer_forms', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Uuid(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('budget_min_vnd IS NULL OR budget_max_vnd IS NULL OR budget_min_vnd <= budget_max_vnd', name=op.f('ck_needs_budget_order')),
    sa.CheckConstraint('min_trl IS NULL OR min_trl BETWEEN 1 AND 9', name=op.f('ck_needs_min_trl_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_needs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_needs_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_needs_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs'))
    )
    op.create_index(op.f('ix_needs_created_at'), 'needs', ['created_at'], unique=False)
    op.create_index(op.f('ix_needs_organisation_id'), 'needs', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_needs_published_at'), 'needs', ['published_at'], unique=False)
    op.create_index('ix_needs_sectors', 'needs', ['sectors'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_needs_status'), 'needs', ['status'], unique=False)
    op.create_table('ip_rights',
    sa.Column('listing_id', sa.Uuid(), nullable=False),
    sa.Column('right_type', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('application_number', sa.String(length=60), nullable=True),
    sa.Column('status', sa.Enum('pending', 'granted', 'expired', 'rejected', name='ip_right_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('jurisdiction', sa.String(length=10), nullable=False),
    sa.Column('filing_date', sa.Date(), nullable=True),
    sa.Column('grant_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('owners', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('verified_by_id', sa.Uuid(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_ip_rights_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_ip_rights_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ip_rights'))
    )
    op.create_index(op.f('ix_ip_rights_created_at'), 'ip_rights', ['created_at'], unique=False)
    op.create_index(op.f('ix_ip_rights_listing_id'), 'ip_rights', ['listing_id'], unique=False)
    op.create_table('listing_access_grants',
    sa.Column('listing_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('connection_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_access_grants_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_listing_access_grants_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_access_grants')),
    sa.UniqueConstraint('listing_id', 'organisation_id', name=op.f('uq_listing_access_grants_listing_id_organisation_id'))
    )
    op.create_index(op.f('ix_listing_access_grants_organisation_id'), 'listing_access_grants', ['organisation_id'], unique=False)
    op.create_table('valuations',
    sa.Column('listing_id', sa.Uuid(), nullable=False),
    sa.Column('method', sa.Enum('cost', 'market', 'income', name='valuation_method', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valuation_date', sa.Date(), nullable=False),
    sa.Column('valuer_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('valuer_name', sa.String(length=300), nullable=True),
    sa.Column('independent', sa.Boolean(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('verified_by_id', sa.Uuid(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_valuations_value_non_negative')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_valuations_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['valuer_organisation_id'], ['organisations.id'], name=op.f('fk_valuations_valuer_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_valuations_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_valuations'))
    )
    op.create_index(op.f('ix_valuations_created_at'), 'valuations', ['created_at'], unique=False)
    op.create_index(op.f('ix_valuations_listing_id'), 'valuations', ['listing_id'], unique=False)
    op.create_table('attachments',
    sa.Column('listing_id', sa.Uuid(), nullable=True),
    sa.Column('need_id', sa.Uuid(), nullable=True),
    sa.Column('ip_right_id', sa.Uuid(), nullable=True),
    sa.Column('valuation_id', sa.Uuid(), nullable=True),
    sa.Column('purpose', sa.Enum('document', 'image', 'ip_evidence', 'valuation_report', 'know_how_declaration', name='attachment_purpose', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('num_nonnulls(listing_id, need_id, ip_right_id, valuation_id) = 1', name=op.f('ck_attachments_one_owner')),
    sa.ForeignKeyConstraint(['ip_right_id'], ['ip_rights.id'], name=op.f('fk_attachments_ip_right_id_ip_rights'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_attachments_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_attachments_need_id_needs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['valuation_id'], ['valuations.id'], name=op.f('fk_attachments_valuation_id_valuations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachments_storage_key'))
    )
    op.create_index(op.f('ix_attachments_created_at'), 'attachments', ['created_at'], unique=False)
    op.create_index(op.f('ix_attachments_ip_right_id'), 'attachments', ['ip_right_id'], unique=False)
    op.create_index(op.f('ix_attachments_listing_id'), 'attachments', ['listing_id'], unique=False)
    op.create_index(op.f('ix_attachments_need_id'), 'attachments', ['need_id'], unique=False)
    op.create_index(op.f('ix_attachments_valuation_id'), 'attachments', ['valuation_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_attachments_valuation_id'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_need_id'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_listing_id'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_ip_right_id'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_created_at'), table_name='attachments')
    op.drop_table('attachments')
    op.drop_index(op.f('ix_valuations_listing_id'), table_name='valuations')
    op.drop_index(op.f('ix_valuations_created_at'), table_name='valuations')
    op.drop_table('valuations')
    op.drop_index(op.f('ix_listing_access_grants_organisation_id'), table_name='listing_access_grants')
    op.drop_table('listing_access_grants')
    op.drop_index(op.f('ix_ip_rights_listing_id'), table_name='ip_rights')
    op.drop_index(op.f('ix_ip_rights_created_at'), table_name='ip_rights')
    op.drop_table('ip_rights')
    op.drop_index(op.f('ix_needs_status'), table_name='needs')
    op.drop_index('ix_needs_sectors', table_name='needs', postgresql_using='gin')
    op.drop_index(op.f('ix_needs_published_at'), table_name='needs')
    op.drop_index(op.f('ix_needs_organisation_id'), table_name='needs')
    op.drop_index(op.f('ix_needs_created_at'), table_name='needs')
    op.drop_table('needs')
    op.drop_index(op.f('ix_listings_trl'), table_name='listings')
    op.drop_index(op.f('ix_listings_tier'), table_name='listings')
    op.drop_index('ix_listings_status_kind', table_name='listings')
    op.drop_index(op.f('ix_listings_source_exchange'), table_name='listings')
    op.drop_index('ix_listings_sectors', table_name='listings', postgresql_using='gin')
    op.drop_index(op.f('ix_listings_published_at'), table_name='listings')
    op.drop_index(op.f('ix_listings_organisation_id'), table_name='listings')
    op.drop_index(op.f('ix_listings_ip_status'), table_name='listings')
    op.drop_index(op.f('ix_listings_created_at'), table_name='listings')
    op.drop_table('listings')
    op.drop_table('vocabulary_terms')
