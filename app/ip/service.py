"""IP rights and valuations of listings: rules, verification, and the computed IP dossier.

Other domains call `refresh_ip_summary`, `count_rights` and `dossier_state` (brief's contracts).

IP rows of a *published* listing are applied at once, not parked in `listing.pending_changes`
like TRL or price: the operator's control over them is verification, and any owner edit of a
verified fact withdraws the verification (so the dossier is no longer clear until re-checked).
Every write is audited.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments import service as attachments
from app.attachments.models import AttachmentPurpose
from app.auth.principal import Principal
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.ip import dossier, repository, validation
from app.ip import schemas as s
from app.ip.exceptions import IPRightInvalid, IPRightNotFound, ValuationInvalid, ValuationNotFound
from app.ip.models import IPRight, Valuation
from app.listings.models import Listing
from app.notifications.service import Message, notify_organisation

# Facts the operator checks; changing one by the owner withdraws the verification, otherwise a
# verified badge could end up vouching for a number or owner nobody has checked.
RIGHT_VERIFIED_FACTS = frozenset(
    {
        "right_type",
        "number",
        "application_number",
        "status",
        "jurisdiction",
        "filing_date",
        "grant_date",
        "expiry_date",
        "owners",
    }
)
VALUATION_VERIFIED_FACTS = frozenset(
    {
        "method",
        "value",
        "currency",
        "valuation_date",
        "valuer_organisation_id",
        "valuer_name",
        "independent",
    }
)
RIGHT_FIELDS = ("right_type", "title", *sorted(RIGHT_VERIFIED_FACTS - {"right_type"}), "notes")
VALUATION_FIELDS = (*sorted(VALUATION_VERIFIED_FACTS), "notes")


# --- contracts used by other domains -------------------------------------------------------


async def count_rights(session: AsyncSession, listing_id: uuid.UUID) -> int:
    return await repository.count_rights(session, listing_id)


async def dossier_state(session: AsyncSession, listing: Listing) -> s.DossierState:
    rights = await repository.list_rights(session, listing.id)
    purposes = await attachments.purposes_by_right(session, [r.id for r in rights])
    has_declaration = await attachments.listing_has_purpose(
        session, listing.id, AttachmentPurpose.know_how_declaration
    )
    valuations = await repository.list_valuations(session, listing.id)
    return dossier.evaluate(listing.ip_declaration, rights, purposes, has_declaration, valuations)


async def refresh_ip_summary(
    session: AsyncSession, listing: Listing, today: date | None = None
) -> None:
    """Recompute the cached `ip_status` and `ip_dossier_clear` of a listing from its rows."""
    await session.flush()  # the rules read the rows, including ones added in this transaction
    rights = await repository.list_rights(session, listing.id)
    day = today or dossier.vn_today()
    listing.ip_status = dossier.summarise_status(rights, listing.ip_declaration, day)
    listing.ip_dossier_clear = (await dossier_state(session, listing)).clear


async def refresh_lapsed_rights(session: AsyncSession, today: date | None = None) -> int:
    """Recompute the IP summary of listings whose granted rights expired since (run daily).

    A right's expiry changes what the listing shows (`granted` → `expired`, the dossier may stop
    being clear) without any write to the listing, so nothing else would notice. Through the
    ORM, so the search outbox and the audit log see each change. Returns the listings changed.
    """
    day = today or dossier.vn_today()
    changed = 0
    for listing_id in await repository.listings_with_lapsed_grants(session, day):
        listing = await session.get(Listing, listing_id)
        if listing is None:
            continue
        before = {"ip_status": listing.ip_status, "ip_dossier_clear": listing.ip_dossier_clear}
        await refresh_ip_summary(session, listing, day)
        after = {"ip_status": listing.ip_status, "ip_dossier_clear": listing.ip_dossier_clear}
        if after != before:
            changed += 1
            await audit.record(
                session,
                None,
                "listing.ip_refresh",
                "listing",
                listing.id,
                changes=audit.diff(before, after),
                summary=f"granted right(s) expired before {day.isoformat()}",
            )
    await session.flush()
    return changed


async def list_rights(session: AsyncSession, listing: Listing) -> list[IPRight]:
    return await repository.list_rights(session, listing.id)


async def list_valuations(session: AsyncSession, listing: Listing) -> list[Valuation]:
    return await repository.list_valuations(session, listing.id)


# --- presenting ----------------------------------------------------------------------------


async def present_rights(
    session: AsyncSession, rights: list[IPRight], *, detail: bool
) -> list[s.IPRight]:
    """Rights are public facts; the owner's notes need detail access."""
    counts = await attachments.purposes_by_right(session, [r.id for r in rights])
    shown = []
    for right in rights:
        found = counts.get(right.id, {})
        evidence = found.get(AttachmentPurpose.ip_evidence, 0) + found.get(
            AttachmentPurpose.know_how_declaration, 0
        )
        item = s.IPRight.model_validate(right).model_copy(update={"evidence_count": evidence})
        shown.append(item if detail else item.model_copy(update={"notes": None}))
    return shown


async def present_right(session: AsyncSession, right: IPRight, *, detail: bool) -> s.IPRight:
    return (await present_rights(session, [right], detail=detail))[0]


def present_valuation(valuation: Valuation, *, detail: bool) -> s.Valuation:
    """The value is commercial: only those who may read the listing's detail see it."""
    item = s.Valuation.model_validate(valuation)
    return item if detail else item.model_copy(update={"value": None, "notes": None})


# --- rights --------------------------------------------------------------------------------


async def get_right(session: AsyncSession, listing: Listing, right_id: uuid.UUID) -> IPRight:
    right = await repository.get_right(session, listing.id, right_id)
    if right is None:
        raise IPRightNotFound(f"IP right {right_id} does not exist on this listing.")
    return right


async def _right_type_errors(session: AsyncSession, code: str) -> list[dict[str, Any]]:
    from app.listings.taxonomy import check_codes  # written by the taxonomy helper

    return await check_codes(session, "ip_right_type", [code], ["body", "right_type"])


async def _check_right(session: AsyncSession, state: dict[str, Any], type_changed: bool) -> None:
    org_ids = {
        uuid.UUID(str(o["organisation_id"])) for o in state["owners"] if o.get("organisation_id")
    }
    known = await repository.existing_organisations(session, org_ids)
    errors = await _right_type_errors(session, state["right_type"]) if type_changed else []
    errors += validation.right_errors(state, dossier.vn_today(), known)
    if errors:
        raise IPRightInvalid("The IP right has invalid fields.", errors=errors)


def _snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(row, f) for f in fields}


def _removed(before: dict[str, Any]) -> dict[str, Any]:
    return audit.diff(before, dict.fromkeys(before))


def _owner_edit(listing: Listing) -> None:
    listing.content_updated_at = utcnow()  # IP data is listing content: it keeps it fresh


async def create_right(
    session: AsyncSession, principal: Principal, listing: Listing, data: s.IPRightCreate
) -> IPRight:
    state = data.model_dump(mode="python")
    state["owners"] = [o.model_dump(mode="json") for o in data.owners]
    await _check_right(session, state, type_changed=True)
    right = IPRight(listing_id=listing.id, **state)
    session.add(right)
    await session.flush()
    _owner_edit(listing)
    await audit.record(
        session,
        principal,
        "ip_right.create",
        "ip_right",
        right.id,
        changes=audit.diff({}, _snapshot(right, RIGHT_FIELDS)),
        summary=f"listing {listing.id}",
    )
    await refresh_ip_summary(session, listing)
    return right


async def update_right(
    session: AsyncSession,
    principal: Principal,
    listing: Listing,
    right: IPRight,
    data: s.IPRightUpdate,
) -> IPRight:
    patch = data.model_dump(exclude_unset=True, mode="python")
    if data.owners is not None:
        patch["owners"] = [o.model_dump(mode="json") for o in data.owners]
    for required in ("right_type", "status", "jurisdiction", "owners"):
        if required in patch and patch[required] is None:
            patch.pop(required)  # null means "unchanged" for fields a right cannot lack
    before = _snapshot(right, RIGHT_FIELDS)
    state = {**before, **patch}
    await _check_right(session, state, type_changed=state["right_type"] != before["right_type"])
    for field, value in patch.items():
        setattr(right, field, value)
    changes = audit.diff(before, _snapshot(right, RIGHT_FIELDS))
    if right.verified and RIGHT_VERIFIED_FACTS & changes.keys():
        _clear_verification(right)
        changes["verified"] = [True, False]
    if changes:
        _owner_edit(listing)
        await audit.record(session, principal, "ip_right.update", "ip_right", right.id, changes)
    await refresh_ip_summary(session, listing)
    return right


async def delete_right(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    listing: Listing,
    right: IPRight,
) -> None:
    await attachments.discard_files_of(session, settings, ip_right_id=right.id)
    before = _snapshot(right, RIGHT_FIELDS)
    await session.delete(right)
    _owner_edit(listing)
    await audit.record(
        session, principal, "ip_right.delete", "ip_right", right.id, _removed(before)
    )
    await refresh_ip_summary(session, listing)


def _clear_verification(row: IPRight | Valuation) -> None:
    row.verified, row.verified_by_id, row.verified_at = False, None, None


async def set_right_verified(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    listing: Listing,
    right: IPRight,
    verified: bool,
) -> IPRight:
    """Operator staff vouch for (or withdraw) a right's recorded facts and evidence."""
    if right.verified != verified:
        if verified:
            right.verified, right.verified_by_id, right.verified_at = (
                True,
                principal.user_id,
                utcnow(),
            )
        else:
            _clear_verification(right)
        action = "ip_right.verify" if verified else "ip_right.unverify"
        await audit.record(
            session, principal, action, "ip_right", right.id, {"verified": [not verified, verified]}
        )
        await _notify_verification(session, settings, listing, "ip_right", right.id, verified)
    await refresh_ip_summary(session, listing)
    return right


# --- valuations ----------------------------------------------------------------------------


async def get_valuation(
    session: AsyncSession, listing: Listing, valuation_id: uuid.UUID
) -> Valuation:
    valuation = await repository.get_valuation(session, listing.id, valuation_id)
    if valuation is None:
        raise ValuationNotFound(f"Valuation {valuation_id} does not exist on this listing.")
    return valuation


async def _check_valuation(session: AsyncSession, listing: Listing, state: dict[str, Any]) -> None:
    valuer = state.get("valuer_organisation_id")
    known = await repository.existing_organisations(session, {valuer} if valuer else set())
    errors = validation.valuation_errors(state, dossier.vn_today(), listing.organisation_id, known)
    if errors:
        raise ValuationInvalid("The valuation has invalid fields.", errors=errors)


async def create_valuation(
    session: AsyncSession, principal: Principal, listing: Listing, data: s.ValuationCreate
) -> Valuation:
    state = data.model_dump(mode="python")
    await _check_valuation(session, listing, state)
    valuation = Valuation(listing_id=listing.id, **state)
    session.add(valuation)
    await session.flush()
    _owner_edit(listing)
    await audit.record(
        session,
        principal,
        "valuation.create",
        "valuation",
        valuation.id,
        changes=audit.diff({}, _snapshot(valuation, VALUATION_FIELDS)),
        summary=f"listing {listing.id}",
    )
    await refresh_ip_summary(session, listing)
    return valuation


async def update_valuation(
    session: AsyncSession,
    principal: Principal,
    listing: Listing,
    valuation: Valuation,
    data: s.ValuationUpdate,
) -> Valuation:
    patch = data.model_dump(exclude_unset=True, mode="python")
    for required in ("method", "value", "currency", "valuation_date", "independent"):
        if required in patch and patch[required] is None:
            patch.pop(required)
    before = _snapshot(valuation, VALUATION_FIELDS)
    await _check_valuation(session, listing, {**before, **patch})
    for field, value in patch.items():
        setattr(valuation, field, value)
    changes = audit.diff(before, _snapshot(valuation, VALUATION_FIELDS))
    if valuation.verified and VALUATION_VERIFIED_FACTS & changes.keys():
        _clear_verification(valuation)  # a changed figure or valuer must be checked again
        changes["verified"] = [True, False]
    if changes:
        _owner_edit(listing)
        await audit.record(
            session, principal, "valuation.update", "valuation", valuation.id, changes
        )
    await refresh_ip_summary(session, listing)
    return valuation


async def delete_valuation(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    listing: Listing,
    valuation: Valuation,
) -> None:
    await attachments.discard_files_of(session, settings, valuation_id=valuation.id)
    before = _snapshot(valuation, VALUATION_FIELDS)
    await session.delete(valuation)
    _owner_edit(listing)
    await audit.record(
        session, principal, "valuation.delete", "valuation", valuation.id, _removed(before)
    )
    await refresh_ip_summary(session, listing)


async def set_valuation_verified(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    listing: Listing,
    valuation: Valuation,
    verified: bool,
) -> Valuation:
    if valuation.verified != verified:
        if verified:
            valuation.verified, valuation.verified_by_id = True, principal.user_id
            valuation.verified_at = utcnow()
        else:
            _clear_verification(valuation)
        action = "valuation.verify" if verified else "valuation.unverify"
        await audit.record(
            session,
            principal,
            action,
            "valuation",
            valuation.id,
            {"verified": [not verified, verified]},
        )
        await _notify_verification(session, settings, listing, "valuation", valuation.id, verified)
    await refresh_ip_summary(session, listing)
    return valuation


_WHAT = {
    "ip_right": ("Quyền sở hữu trí tuệ", "An IP right"),
    "valuation": ("Kết quả định giá", "A valuation"),
}


async def _notify_verification(
    session: AsyncSession,
    settings: Settings,
    listing: Listing,
    object_type: str,
    object_id: uuid.UUID,
    verified: bool,
) -> None:
    what_vi, what_en = _WHAT[object_type]
    done_vi, done_en = (
        ("đã được xác minh", "was verified")
        if verified
        else ("không còn được xác minh", "is no longer verified")
    )
    await notify_organisation(
        session,
        settings,
        listing.organisation_id,
        Message(
            kind=f"{object_type}.{'verified' if verified else 'unverified'}",
            title_vi=f"{what_vi} của “{listing.title_vi}” {done_vi}",
            title_en=f"{what_en} of “{listing.title_en or listing.title_vi}” {done_en}",
            body_vi="Sàn giao dịch công nghệ TP.HCM đã cập nhật trạng thái xác minh hồ sơ SHTT.",
            body_en="The HCMC Technology Exchange updated the verification of your IP dossier.",
            link=f"/listings/{listing.id}",
            object_type=object_type,
            object_id=object_id,
        ),
    )
