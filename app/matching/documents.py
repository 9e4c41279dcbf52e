"""The one place that turns ORM rows into search documents (used by every engine).

A document holds public fields only (never `process_summary`, `confidential_detail`,
`pending_changes` or moderation notes), the filterable fields under the names that queries use,
and folded copies of the text (lower case, every tone mark and đ removed) for engines that want
them. Ids are strings; timestamps are Unix seconds (sortable and filterable everywhere).
"""

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from app.core.text import fold
from app.listings.models import Listing
from app.needs.models import Need, NeedVisibility

# Attributes read from the row: a change to any of them changes the document (the outbox hook
# uses these to skip flushes that touch nothing searchable).
LISTING_FIELDS: tuple[str, ...] = (
    "organisation_id",
    "kind",
    "tier",
    "status",
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "technical_description",
    "application_fields",
    "keywords",
    "sectors",
    "vsic_sections",
    "strategic_groups",
    "region",
    "source_exchange",
    "trl",
    "target_trl",
    "ip_status",
    "ip_dossier_clear",
    "transfer_forms",
    "price_type",
    "price_vnd",
    "currency",
    "specifications",
    "condition",
    "quantity",
    "service_description",
    "provider_qualifications",
    "service_area",
    "published_at",
    "content_updated_at",
)
NEED_FIELDS: tuple[str, ...] = (
    "organisation_id",
    "status",
    "visibility",
    "title_vi",
    "title_en",
    "problem_statement",
    "desired_outcome",
    "sectors",
    "vsic_sections",
    "keywords",
    "min_trl",
    "budget_min_vnd",
    "budget_max_vnd",
    "currency",
    "deadline",
    "region",
    "source_exchange",
    "transfer_forms",
    "published_at",
    "content_updated_at",
)

# Text fields searched, by weight (A highest). Postgres weights them in its tsvector; Meilisearch
# uses this order for `searchableAttributes`.
LISTING_SEARCHABLE: tuple[str, ...] = (
    "title_vi",
    "title_en",
    "keywords",
    "summary_vi",
    "summary_en",
    "application_fields",
    "technical_description",
    "specifications",
    "service_description",
)
NEED_SEARCHABLE: tuple[str, ...] = (
    "title_vi",
    "title_en",
    "keywords",
    "problem_statement",
    "desired_outcome",
)


def unix(value: datetime | date | None) -> int | None:
    """Unix seconds; a date counts from 00:00 UTC of that day (filters use the same rule)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return int(value.timestamp())
    return int(datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp())


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return unix(value)
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)  # UUIDs
    return value


def _folded(*parts: str | list[str] | None) -> str:
    flat: list[str] = []
    for part in parts:
        if isinstance(part, list):
            flat.extend(part)
        elif part:
            flat.append(part)
    return fold(" ".join(flat))


def listing_document(listing: Listing) -> dict[str, Any]:
    """The searchable, public face of a listing."""
    doc: dict[str, Any] = {"id": str(listing.id)}
    for name in LISTING_FIELDS:
        doc[name] = _plain(getattr(listing, name))
    doc["published_at"] = unix(listing.published_at)
    doc["updated_at"] = unix(listing.content_updated_at)
    del doc["content_updated_at"]
    doc["title_folded"] = _folded(listing.title_vi, listing.title_en)
    doc["keywords_folded"] = [fold(k) for k in listing.keywords or []]
    doc["text_folded"] = _folded(
        *(getattr(listing, f) for f in LISTING_SEARCHABLE if f not in ("title_vi", "title_en"))
    )
    return doc


def need_document(need: Need) -> dict[str, Any]:
    """The searchable face of a need; an anonymous need never names its organisation."""
    doc: dict[str, Any] = {"id": str(need.id)}
    for name in NEED_FIELDS:
        doc[name] = _plain(getattr(need, name))
    if need.visibility == NeedVisibility.anonymous:
        doc["organisation_id"] = None
    doc["published_at"] = unix(need.published_at)
    doc["updated_at"] = unix(need.content_updated_at)
    del doc["content_updated_at"]
    doc["deadline"] = unix(need.deadline)
    doc["title_folded"] = _folded(need.title_vi, need.title_en)
    doc["keywords_folded"] = [fold(k) for k in need.keywords or []]
    doc["text_folded"] = _folded(need.problem_statement, need.desired_outcome)
    return doc
