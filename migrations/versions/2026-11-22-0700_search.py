"""search: outbox, VI↔EN synonyms, folded full-text and trigram columns on listings and needs

- `techx_fold(text)`: lower case, every Vietnamese tone mark and đ removed, IMMUTABLE so that
  generated columns and indexes may use it; `unaccent` is called with its dictionary
  schema-qualified, so the function does not depend on the caller's search_path.
- `techx_join(text[])`: array_to_string is only STABLE (it is generic over element types);
  for text[] it is immutable, which generated columns need.
- `search_title` (folded title + keywords; trigram GIN: typos, prefixes) and `search_vector`
  (folded weighted tsvector, GIN) are STORED generated columns: ranking reads them instead of
  re-parsing every candidate row, which keeps searches fast at 100k listings.
- 49 VI↔EN synonym groups (data; operators may add more).

Revision ID: b8d2e6f4a004
Revises: 7a0c5b10e003
Create Date: 2026-11-22 07:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "b8d2e6f4a004"
down_revision: str | None = "7a0c5b10e003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of app/matching/search_columns.py as of this revision.
_TITLE = "coalesce(title_vi, '') || ' ' || coalesce(title_en, '')"
_KEYWORDS = "techx_join(keywords::text[])"
_LISTING_BODY = (
    "coalesce(summary_vi, '') || ' ' || coalesce(summary_en, '') || ' ' || "
    "coalesce(application_fields, '') || ' ' || coalesce(technical_description, '') || ' ' || "
    "coalesce(specifications, '') || ' ' || coalesce(service_description, '')"
)
_NEED_BODY = "coalesce(problem_statement, '') || ' ' || coalesce(desired_outcome, '')"
_SEARCH_TITLE = f"techx_fold({_TITLE} || ' ' || {_KEYWORDS})"


def _vector(body: str) -> str:
    return (
        f"setweight(to_tsvector('simple'::regconfig, techx_fold({_TITLE})), 'A') || "
        f"setweight(to_tsvector('simple'::regconfig, techx_fold({_KEYWORDS})), 'B') || "
        f"setweight(to_tsvector('simple'::regconfig, techx_fold({body})), 'C')"
    )


SYNONYM_GROUPS: list[list[str]] = [
    ["trí tuệ nhân tạo", "AI", "artificial intelligence", "TTNT"],
    ["Internet vạn vật", "IoT", "internet of things"],
    ["năng lượng tái tạo", "renewable energy", "năng lượng sạch", "clean energy"],
    ["năng lượng mặt trời", "điện mặt trời", "solar", "solar energy", "solar power"],
    ["năng lượng gió", "điện gió", "wind energy", "wind power"],
    ["chuyển đổi số", "digital transformation"],
    ["chuyển đổi xanh", "green transition"],
    ["bán dẫn", "semiconductor", "chip", "vi mạch", "integrated circuit"],
    ["công nghệ sinh học", "biotechnology", "biotech"],
    ["vật liệu mới", "new materials", "advanced materials", "vật liệu tiên tiến"],
    ["cơ khí", "mechanical engineering", "mechanical"],
    ["tự động hóa", "automation"],
    ["robot", "rô bốt", "người máy", "robotics"],
    ["chế biến thực phẩm", "food processing", "chế biến lương thực"],
    ["dược phẩm", "pharmaceutical", "pharmaceuticals", "hóa dược"],
    ["cao su", "rubber"],
    ["nhựa", "plastic", "plastics"],
    ["nuôi trồng thủy sản", "aquaculture"],
    ["xử lý nước thải", "wastewater treatment", "waste water treatment"],
    ["sấy", "drying", "dryer"],
    ["phân bón", "fertilizer", "fertiliser"],
    ["chế phẩm sinh học", "bio-product", "bioproduct", "biological product"],
    ["học máy", "machine learning"],
    ["học sâu", "deep learning"],
    ["thị giác máy tính", "computer vision"],
    ["xử lý ngôn ngữ tự nhiên", "natural language processing", "NLP"],
    ["dữ liệu lớn", "big data"],
    ["điện toán đám mây", "cloud computing"],
    ["chuỗi khối", "blockchain"],
    ["an ninh mạng", "an toàn thông tin", "cybersecurity", "cyber security"],
    ["công nghệ thông tin", "CNTT", "information technology"],
    ["điện tử", "electronics"],
    ["cảm biến", "sensor", "sensors"],
    ["công nghệ nano", "nanotechnology"],
    ["in 3D", "3D printing", "sản xuất bồi đắp", "additive manufacturing"],
    ["xe điện", "electric vehicle", "EV"],
    ["pin lithium", "lithium battery", "lithium-ion battery"],
    ["lưu trữ năng lượng", "energy storage"],
    ["tiết kiệm năng lượng", "energy saving", "energy efficiency"],
    ["hydro xanh", "green hydrogen"],
    ["khí sinh học", "biogas"],
    ["kinh tế tuần hoàn", "circular economy"],
    [
        "nông nghiệp công nghệ cao",
        "high-tech agriculture",
        "nông nghiệp thông minh",
        "smart farming",
    ],
    ["truy xuất nguồn gốc", "traceability"],
    ["bảo quản sau thu hoạch", "post-harvest preservation", "postharvest"],
    ["thiết bị y tế", "medical device", "medical equipment"],
    ["sở hữu trí tuệ", "SHTT", "intellectual property"],
    ["sáng chế", "bằng sáng chế", "patent"],
    ["chuyển giao công nghệ", "technology transfer"],
]


def _create_functions() -> None:
    bind = op.get_bind()
    schema = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
    )
    if schema is None:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema = "public"
    quoted = bind.dialect.identifier_preparer.quote_schema(schema)
    # unaccent's rules already map đ/Đ; the explicit replace keeps that true on any PG build.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION techx_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT lower({quoted}.unaccent('{quoted}.unaccent'::regdictionary,
                 replace(replace($1, 'đ', 'd'), 'Đ', 'D'))) $$
        """
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION techx_join(text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT coalesce(array_to_string($1, ' '), '') $$
        """
    )


def _add_search_columns(table: str, body: str) -> None:
    op.add_column(
        table,
        sa.Column("search_title", sa.Text(), sa.Computed(_SEARCH_TITLE, persisted=True)),
    )
    op.add_column(
        table,
        sa.Column(
            "search_vector", postgresql.TSVECTOR(), sa.Computed(_vector(body), persisted=True)
        ),
    )
    op.create_index(
        f"ix_{table}_search_title_trgm",
        table,
        ["search_title"],
        postgresql_using="gin",
        postgresql_ops={"search_title": "gin_trgm_ops"},
    )
    op.create_index(f"ix_{table}_search_vector", table, ["search_vector"], postgresql_using="gin")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    _create_functions()
    op.create_table(
        "search_outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "entity",
            sa.Enum(
                "listing",
                "need",
                name="outbox_entity",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column(
            "op",
            sa.Enum(
                "upsert",
                "delete",
                name="outbox_op",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outbox")),
    )
    op.create_index(op.f("ix_search_outbox_entity_id"), "search_outbox", ["entity_id"])
    op.create_index(
        "ix_search_outbox_pending",
        "search_outbox",
        ["next_attempt_at", "id"],
        postgresql_where=sa.text("processed_at IS NULL"),
    )
    synonym_groups = op.create_table(
        "synonym_groups",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("terms", postgresql.ARRAY(sa.String(length=120)), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonym_groups")),
    )
    op.bulk_insert(
        synonym_groups,
        [{"terms": terms, "active": True, "note": "seed 2026-11-22"} for terms in SYNONYM_GROUPS],
    )
    _add_search_columns("listings", _LISTING_BODY)
    _add_search_columns("needs", _NEED_BODY)


def downgrade() -> None:
    for table in ("needs", "listings"):
        op.drop_index(f"ix_{table}_search_vector", table_name=table)
        op.drop_index(f"ix_{table}_search_title_trgm", table_name=table)
        op.drop_column(table, "search_vector")
        op.drop_column(table, "search_title")
    op.drop_table("synonym_groups")
    op.drop_index("ix_search_outbox_pending", table_name="search_outbox")
    op.drop_index(op.f("ix_search_outbox_entity_id"), table_name="search_outbox")
    op.drop_table("search_outbox")
    op.execute("DROP FUNCTION IF EXISTS techx_join(text[])")
    op.execute("DROP FUNCTION IF EXISTS techx_fold(text)")
