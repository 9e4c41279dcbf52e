"""Listing rules: create, edit, submit, archive, delete. No HTTP here and never a commit.

Moderation (publish, reject, the review queue) lives in app.listings.moderation.
"""

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation
from app.auth.principal import Principal
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import field_error
from app.listings import repository
from app.listings.exceptions import (
    ExternalRefTaken,
    ListingArchived,
    ListingIncomplete,
    ListingInvalid,
    ListingKindLocked,
    ListingNotDeletable,
    ListingTransitionNotAllowed,
    NotAMember,
    OrganisationRequired,
)
from app.listings.models import TIER_BY_KIND, IPDeclaration, Listing, ListingKind, ListingStatus
from app.listings.schemas import ListingCreate, ListingUpdate

# Edits of these on a published listing wait for a moderator; the published values stay visible.
MODERATED_FIELDS = ("trl", "target_trl", "ip_declaration", "price_type", "price_vnd")

# Field -> vocabulary whose codes it holds (checked against the vocabulary table, not constants).
CODE_FIELDS = {
    "sectors": "sector",
    "vsic_sections": "vsic_section",
    "strategic_groups": "strategic_tech_group",
    "transfer_forms": "transfer_form",
    "price_type": "price_type",
    "region": "region",
    "source_exchange": "source_exchange",
}
LIST_FIELDS = ("keywords", "sectors", "vsic_sections", "strategic_groups", "transfer_forms")
TRL_FIELDS = ("trl", "target_trl")
TECHNICAL_KINDS = frozenset({ListingKind.technology, ListingKind.research_result})
PRICE_WITHOUT_AMOUNT = frozenset({"negotiable", "on_request"})
REVIEWABLE = frozenset({ListingStatus.submitted, ListingStatus.published})

MISSING = {
    "title_vi": "A Vietnamese title is required.",
    "summary_vi": "A Vietnamese summary is required.",
    "sectors": "Choose at least one sector.",
    "technical_description": "Describe the technology (technical description).",
    "process_summary": "Summarise the process / know-how (kept confidential).",
    "trl": "Give the technology readiness level (TRL 1–9).",
    "ip_status": "Declare the IP status (ip_declaration: none, secret_know_how or rights).",
    "specifications": "Give the equipment's specifications.",
    "condition": "Give the equipment's condition (new, used or refurbished).",
    "quantity": "Give the quantity offered.",
    "price_type": "Give a price type (indicative, floor, firm, negotiable or on_request).",
    "price_vnd": "Give the amount in VND for this price type, or choose negotiable / on_request.",
    "service_description": "Describe the service.",
    "provider_qualifications": "Describe the provider's qualifications.",
    "service_area": "Give the service area.",
    "ip_rights": "Record at least one IP right (type, number or application no., status, owner).",
}
# Error names that differ from the column holding the value.
STATE_KEY = {"ip_status": "ip_declaration"}


def snapshot(listing: Listing) -> dict[str, Any]:
    return {attr.key: getattr(listing, attr.key) for attr in inspect(Listing).column_attrs}


def stale_before(stale_after_days: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=stale_after_days)


# --- completeness ---------------------------------------------------------------------------


def required_fields(kind: ListingKind, state: Mapping[str, Any]) -> list[str]:
    """What a listing of this kind must carry before review (Decision 3628, DOMAIN.md)."""
    fields = ["title_vi", "summary_vi", "sectors"]
    if kind in TECHNICAL_KINDS:
        fields += ["technical_description", "process_summary", "trl", "ip_status"]
    elif kind is ListingKind.equipment:
        fields += ["specifications", "condition", "quantity", "price_type"]
    elif kind is ListingKind.st_service:
        fields += ["service_description", "provider_qualifications", "service_area"]
    elif kind is ListingKind.ip_right and state.get("protects_technology"):
        fields.append("trl")
    price_type = state.get("price_type")
    if price_type and price_type not in PRICE_WITHOUT_AMOUNT:
        fields.append("price_vnd")
    return fields


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == []


def missing_fields(
    state: Mapping[str, Any], rights_count: int | None = None
) -> list[dict[str, Any]]:
    """One error per missing field (all at once); `rights_count` None = not checked."""
    kind = ListingKind(state["kind"])
    errors = [
        field_error(["body", name], MISSING[name], "missing")
        for name in required_fields(kind, state)
        if _absent(state.get(STATE_KEY.get(name, name)))
    ]
    if kind is ListingKind.ip_right and rights_count == 0:
        errors.append(field_error(["body", "ip_rights"], MISSING["ip_rights"], "missing"))
    return errors


def _names(errors: list[dict[str, Any]]) -> str:
    return ", ".join(dict.fromkeys(str(e["loc"][-1]) for e in errors))


# --- shared checks ----------------------------------------------------------------------------


async def vocabulary_errors(
    session: AsyncSession, values: Mapping[str, Any], fields: Mapping[str, str] = CODE_FIELDS
) -> list[dict[str, Any]]:
    """Unknown or retired vocabulary codes among `values` (only the fields present)."""
    from app.listings.taxonomy import check_codes  # written by the taxonomy helper

    errors: list[dict[str, Any]] = []
    for name, vocabulary in fields.items():
        value = values.get(name)
        codes = value if isinstance(value, list) else [value]
        codes = [c for c in codes if c is not None]
        if codes:
            errors += await check_codes(session, vocabulary, codes, ["body", name])
    return errors


def _trl_errors(kind: ListingKind, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    if kind != ListingKind.equipment:
        return []
    return [
        field_error(["body", name], "Equipment listings have no TRL; leave it out.", "not_allowed")
        for name in TRL_FIELDS
        if values.get(name) is not None
    ]


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    for name in LIST_FIELDS:
        if name in values:
            values[name] = list(dict.fromkeys(values[name] or []))
    return values


async def resolve_organisation(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID | None, what: str
) -> Organisation:
    """The caller's organisation that will own a new record (`what`: e.g. "listings")."""
    if organisation_id is None:
        if not principal.org_ids:
            raise NotAMember(f"Only members of an organisation can create {what}.")
        if len(principal.org_ids) > 1:
            raise OrganisationRequired(
                "You belong to several organisations; say which one this is for.",
                errors=[
                    field_error(["body", "organisation_id"], "Required: you belong to several.")
                ],
            )
        (organisation_id,) = principal.org_ids
    elif not principal.is_member(organisation_id):
        raise NotAMember(f"You can only create {what} for an organisation you belong to.")
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None  # a membership implies the organisation exists
    return organisation


def _client_exchange_errors(
    principal: Principal, organisation: Organisation, requested: str | None
) -> list[dict[str, Any]]:
    """A partner exchange's client publishes records of its own exchange only."""
    if principal.is_client and requested not in (None, organisation.source_exchange):
        exchange = organisation.source_exchange
        msg = f"A partner client can only send records of its own exchange '{exchange}'."
        return [field_error(["body", "source_exchange"], msg)]
    return []


async def ensure_external_ref_free(
    session: AsyncSession, source_exchange: str, external_ref: str | None, exclude: uuid.UUID | None
) -> None:
    if external_ref and await repository.external_ref_taken(
        session, source_exchange, external_ref, exclude
    ):
        raise ExternalRefTaken(
            f"The exchange '{source_exchange}' already has a listing with external_ref "
            f"'{external_ref}'."
        )


async def refresh_ip(session: AsyncSession, listing: Listing) -> None:
    from app.ip.service import refresh_ip_summary  # written by the IP helper

    await session.flush()
    await refresh_ip_summary(session, listing)


async def count_rights(session: AsyncSession, listing_id: uuid.UUID) -> int:
    from app.ip.service import count_rights as count  # written by the IP helper

    return await count(session, listing_id)


# --- use cases --------------------------------------------------------------------------------


async def create_listing(
    session: AsyncSession, principal: Principal, data: ListingCreate
) -> Listing:
    """A new draft; only kind and title are needed now, the rest before submission."""
    organisation = await resolve_organisation(session, principal, data.organisation_id, "listings")
    values = _normalise(data.model_dump(exclude={"organisation_id"}, exclude_none=True))
    values.setdefault("source_exchange", organisation.source_exchange)
    kind = data.kind
    errors = _trl_errors(kind, values) + _client_exchange_errors(
        principal, organisation, data.source_exchange
    )
    errors += await vocabulary_errors(session, values)
    if errors:
        raise ListingInvalid(f"Invalid listing: {_names(errors)}.", errors=errors)
    await ensure_external_ref_free(session, values["source_exchange"], data.external_ref, None)
    listing = Listing(
        **values,
        organisation_id=organisation.id,
        created_by_id=principal.user_id,
        tier=TIER_BY_KIND[kind],
        status=ListingStatus.draft,
        content_updated_at=utcnow(),
    )
    session.add(listing)
    await session.flush()
    if listing.ip_declaration is not None:
        await refresh_ip(session, listing)
    await audit.record(
        session, principal, "listing.create", "listing", listing.id,
        changes=audit.diff({}, snapshot(listing)),
    )  # fmt: skip
    return listing


def _split_moderated(
    listing: Listing, changes: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(applied now, pending after this edit); pending is None unless the listing is published."""
    if listing.status != ListingStatus.published:
        return changes, None
    pending = dict(listing.pending_changes or {})
    direct: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in MODERATED_FIELDS:
            direct[name] = value
        elif value == getattr(listing, name):
            pending.pop(name, None)  # edited back to the published value
        else:
            pending[name] = value.value if isinstance(value, IPDeclaration) else value
    return direct, pending


def _refuse_new_gaps(
    before: dict[str, Any], direct: dict[str, Any], pending: dict[str, Any] | None
) -> None:
    """A listing under review or published must stay complete: edits may not empty a field."""
    if before["status"] not in REVIEWABLE:
        return
    had = {e["field"] for e in missing_fields({**before, **(before["pending_changes"] or {})})}
    after = {**before, **direct, **(pending or {})}
    introduced = [e for e in missing_fields(after) if e["field"] not in had]
    if introduced:
        raise ListingIncomplete(
            f"A listing under review or published must stay complete: {_names(introduced)}.",
            errors=introduced,
        )


async def _check_update(
    session: AsyncSession, principal: Principal, listing: Listing, changes: dict[str, Any]
) -> None:
    kind = changes.get("kind", listing.kind)
    if kind != listing.kind and listing.status != ListingStatus.draft:
        raise ListingKindLocked(
            f"The kind cannot change once a listing has been submitted (it is {listing.status})."
        )
    errors = _trl_errors(kind, changes)
    if principal.is_client and "source_exchange" in changes:
        if changes["source_exchange"] != listing.source_exchange:
            msg = "A partner client cannot move a listing to another exchange."
            errors.append(field_error(["body", "source_exchange"], msg))
    errors += await vocabulary_errors(session, changes)
    if errors:
        raise ListingInvalid(f"Invalid listing: {_names(errors)}.", errors=errors)
    if "external_ref" in changes or "source_exchange" in changes:
        await ensure_external_ref_free(
            session,
            changes.get("source_exchange", listing.source_exchange),
            changes.get("external_ref", listing.external_ref),
            listing.id,
        )


async def update_listing(
    session: AsyncSession, principal: Principal, listing: Listing, data: ListingUpdate
) -> Listing:
    """Owner edit. On a published listing TRL/IP/price edits wait in `pending_changes`."""
    if listing.status == ListingStatus.archived:
        raise ListingArchived("An archived listing cannot be edited.")
    changes = _normalise(data.model_dump(exclude_unset=True))
    await _check_update(session, principal, listing, changes)
    kind = changes.get("kind", listing.kind)
    if kind == ListingKind.equipment and listing.kind != ListingKind.equipment:
        changes.update(trl=None, target_trl=None)  # a draft turned into equipment sheds its TRL
    before = snapshot(listing)
    direct, pending = _split_moderated(listing, changes)
    _refuse_new_gaps(before, direct, pending)
    for name, value in direct.items():
        setattr(listing, name, value)
    listing.tier = TIER_BY_KIND[kind]
    if pending is not None:
        if pending and not before["pending_changes"]:
            listing.submitted_at = utcnow()  # when the edit entered the review queue
        listing.pending_changes = pending or None
    listing.content_updated_at = utcnow()
    await session.flush()
    if direct.get("ip_declaration", before["ip_declaration"]) != before["ip_declaration"]:
        await refresh_ip(session, listing)
    await audit.record(
        session, principal, "listing.update", "listing", listing.id,
        changes=audit.diff(before, snapshot(listing)),
    )  # fmt: skip
    return listing


async def submit_listing(session: AsyncSession, principal: Principal, listing: Listing) -> Listing:
    """Send a draft (or a corrected rejected listing) for review; every gap is named at once."""
    if listing.status not in (ListingStatus.draft, ListingStatus.rejected):
        raise ListingTransitionNotAllowed(
            f"Only draft or rejected listings can be submitted; this listing is {listing.status}."
        )
    state = snapshot(listing)
    rights = (
        await count_rights(session, listing.id) if listing.kind == ListingKind.ip_right else None
    )
    errors = missing_fields(state, rights) + await vocabulary_errors(session, state)
    if errors:
        raise ListingIncomplete(
            f"The listing cannot be submitted yet; missing or invalid: {_names(errors)}.",
            errors=errors,
        )
    listing.status = ListingStatus.submitted
    listing.submitted_at = utcnow()
    listing.rejection_reason = None
    await session.flush()
    await audit.record(
        session, principal, "listing.submit", "listing", listing.id,
        changes=audit.diff(state, snapshot(listing)),
    )  # fmt: skip
    return listing


async def archive_listing(session: AsyncSession, principal: Principal, listing: Listing) -> Listing:
    """Take a listing out of the catalogue for good (owner or operator staff)."""
    if listing.status == ListingStatus.archived:
        raise ListingTransitionNotAllowed("The listing is already archived.")
    before = snapshot(listing)
    listing.status = ListingStatus.archived
    listing.archived_at = utcnow()
    listing.pending_changes = None
    await session.flush()
    await audit.record(
        session, principal, "listing.archive", "listing", listing.id,
        changes=audit.diff(before, snapshot(listing)),
    )  # fmt: skip
    return listing


async def delete_listing(
    session: AsyncSession, settings: Settings, principal: Principal, listing: Listing
) -> None:
    """Only drafts and rejected listings disappear; anything once reviewed is archived instead."""
    if listing.status not in (ListingStatus.draft, ListingStatus.rejected):
        raise ListingNotDeletable(
            f"Only drafts and rejected listings can be deleted; this listing is {listing.status}. "
            "Archive it instead."
        )
    before = snapshot(listing)
    await audit.record(
        session, principal, "listing.delete", "listing", listing.id,
        changes=audit.diff(before, dict.fromkeys(before)),
    )  # fmt: skip
    # Rows of its files cascade; the files on disk go once the delete is committed.
    from app.attachments.service import discard_files_of

    await discard_files_of(session, settings, listing_id=listing.id)
    await session.delete(listing)
    await session.flush()
