"""Need rules: post, edit, submit, moderate, fulfil, archive, expire. No HTTP, never a commit.

Who may post a need: DOMAIN.md gives needs to enterprises, but universities and institutes also
buy technology and equipment, so members of enterprise, university and institute organisations
may post; a partner exchange's API client may send the needs of its exchange; operator staff may
post on behalf of any such organisation (companies met at techmarts or over the phone) and may
manage every need. Broker firms and the operator itself do not post needs of their own.
"""

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Select, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrganisationKind
from app.auth.principal import Principal
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import field_error
from app.listings import service as listings
from app.needs import repository
from app.needs.exceptions import (
    NeedIncomplete,
    NeedInvalid,
    NeedNotDeletable,
    NeedPosterNotAllowed,
    NeedTransitionNotAllowed,
)
from app.needs.models import Need, NeedStatus
from app.needs.schemas import NeedCreate, NeedUpdate
from app.notifications.service import Message, notify_organisation

POSTER_KINDS = frozenset(
    {OrganisationKind.enterprise, OrganisationKind.university, OrganisationKind.institute}
)
CODE_FIELDS = {
    "sectors": "sector",
    "vsic_sections": "vsic_section",
    "transfer_forms": "transfer_form",
    "region": "region",
    "source_exchange": "source_exchange",
}
LIST_FIELDS = ("sectors", "vsic_sections", "keywords", "transfer_forms")
REQUIRED = {
    "title_vi": "A Vietnamese title is required.",
    "problem_statement": "Describe the problem to solve.",
    "desired_outcome": "Describe the outcome you expect.",
    "sectors": "Choose at least one sector.",
    "min_trl": "Give the minimum TRL you can take on (1–9).",
}
SUBMITTABLE = frozenset({NeedStatus.draft, NeedStatus.rejected, NeedStatus.expired})
FINISHED = frozenset({NeedStatus.archived, NeedStatus.fulfilled})


def snapshot(need: Need) -> dict[str, Any]:
    return {attr.key: getattr(need, attr.key) for attr in inspect(Need).column_attrs}


def effective_status(need: Need, today: date | None = None) -> NeedStatus:
    """A published need whose deadline has passed reads as expired before the worker marks it."""
    today = today or repository.vn_today()
    if need.status == NeedStatus.published and need.deadline is not None and need.deadline < today:
        return NeedStatus.expired
    return NeedStatus(need.status)


def can_manage(principal: Principal, need: Need) -> bool:
    return principal.is_operator_staff or principal.is_member(need.organisation_id)


def review_queue_select() -> Select[Any]:
    """Needs awaiting review, for the moderation queue (see app.listings.moderation)."""
    return repository.review_queue_select()


# --- checks -----------------------------------------------------------------------------------


def missing_fields(state: Mapping[str, Any], today: date | None = None) -> list[dict[str, Any]]:
    """One error per missing field; with `today`, a deadline already passed is one too."""
    errors = [
        field_error(["body", name], msg, "missing")
        for name, msg in REQUIRED.items()
        if state.get(name) in (None, "", [])
    ]
    if today is not None and state.get("deadline") is not None and state["deadline"] < today:
        errors.append(field_error(["body", "deadline"], "The deadline has already passed."))
    return errors


def _refuse_new_gaps(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """A need under review or published must stay complete (a past deadline just expires it)."""
    had = {e["field"] for e in missing_fields(before)}
    introduced = [e for e in missing_fields(after) if e["field"] not in had]
    if introduced:
        raise NeedIncomplete(
            f"A need under review or published must stay complete: {_names(introduced)}.",
            errors=introduced,
        )


def _client_exchange_check(principal: Principal, home: str, requested: str | None) -> None:
    """A partner exchange's client sends, and keeps, needs of its own exchange only."""
    if principal.is_client and requested not in (None, home):
        msg = f"A partner client can only send needs of its own exchange '{home}'."
        raise NeedInvalid(msg, errors=[field_error(["body", "source_exchange"], msg)])


def _budget_errors(state: Mapping[str, Any]) -> list[dict[str, Any]]:
    low, high = state.get("budget_min_vnd"), state.get("budget_max_vnd")
    if low is not None and high is not None and low > high:
        return [field_error(["body", "budget_max_vnd"], "Must not be below budget_min_vnd.")]
    return []


def _names(errors: list[dict[str, Any]]) -> str:
    return ", ".join(dict.fromkeys(str(e["loc"][-1]) for e in errors))


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    for name in LIST_FIELDS:
        if name in values:
            values[name] = list(dict.fromkeys(values[name] or []))
    return values


async def _poster(
    session: AsyncSession, principal: Principal, organisation_id: uuid.UUID | None
) -> Organisation:
    if (
        principal.is_operator_staff
        and organisation_id is not None
        and not principal.is_member(organisation_id)
    ):  # posting on a company's behalf
        organisation = await session.get(Organisation, organisation_id)
        if organisation is None:
            raise NeedInvalid(
                "No such organisation.",
                errors=[field_error(["body", "organisation_id"], "No such organisation.")],
            )
    else:
        organisation = await listings.resolve_organisation(
            session, principal, organisation_id, "needs"
        )
    partner = principal.is_client and organisation.kind == OrganisationKind.partner_exchange
    if organisation.kind not in POSTER_KINDS and not partner:
        raise NeedPosterNotAllowed(
            "Needs are posted by enterprises, universities and institutes "
            f"(this organisation is a {organisation.kind}). Operator staff posting on a "
            "company's behalf must give its organisation_id."
        )
    return organisation


async def _validate(
    session: AsyncSession, values: Mapping[str, Any], state: Mapping[str, Any]
) -> None:
    errors = _budget_errors(state) + await listings.vocabulary_errors(session, values, CODE_FIELDS)
    if errors:
        raise NeedInvalid(f"Invalid need: {_names(errors)}.", errors=errors)


async def _record(session: AsyncSession, principal: Principal | None, action: str, need: Need,
                  before: dict[str, Any], summary: str | None = None) -> None:  # fmt: skip
    await audit.record(
        session, principal, f"need.{action}", "need", need.id,
        changes=audit.diff(before, snapshot(need)), summary=summary,
    )  # fmt: skip


# --- use cases --------------------------------------------------------------------------------


async def create_need(session: AsyncSession, principal: Principal, data: NeedCreate) -> Need:
    """A new draft need; only the title is needed now, the rest before submission."""
    organisation = await _poster(session, principal, data.organisation_id)
    values = _normalise(data.model_dump(exclude={"organisation_id"}, exclude_none=True))
    _client_exchange_check(principal, organisation.source_exchange, data.source_exchange)
    values.setdefault("source_exchange", organisation.source_exchange)
    await _validate(session, values, values)
    need = Need(
        **values,
        organisation_id=organisation.id,
        created_by_id=principal.user_id,
        status=NeedStatus.draft,
        content_updated_at=utcnow(),
    )
    session.add(need)
    await session.flush()
    await _record(session, principal, "create", need, {})
    return need


async def update_need(
    session: AsyncSession, principal: Principal, need: Need, data: NeedUpdate
) -> Need:
    """Edit by the poster (or staff). A need under review or published must stay complete."""
    if need.status in FINISHED:
        raise NeedTransitionNotAllowed(f"A need that is {need.status} cannot be edited.")
    changes = _normalise(data.model_dump(exclude_unset=True))
    _client_exchange_check(principal, need.source_exchange, changes.get("source_exchange"))
    before = snapshot(need)
    # An overdue need stays expired when its deadline is moved (as if the daily job had run):
    # renewing it means submitting it for review again.
    need.status = effective_status(need)
    after = {**snapshot(need), **changes}
    await _validate(session, changes, after)
    if need.status in (NeedStatus.submitted, NeedStatus.published):
        _refuse_new_gaps(before, after)
    for name, value in changes.items():
        setattr(need, name, value)
    need.content_updated_at = utcnow()
    await session.flush()
    await _record(session, principal, "update", need, before)
    return need


async def submit_need(session: AsyncSession, principal: Principal, need: Need) -> Need:
    """Send for review; every missing field is named at once. Expired needs may be renewed."""
    if effective_status(need) not in SUBMITTABLE:
        raise NeedTransitionNotAllowed(
            "Only draft, rejected or expired needs can be submitted; "
            f"this need is {effective_status(need)}."
        )
    before = snapshot(need)
    errors = missing_fields(before, repository.vn_today())
    errors += await listings.vocabulary_errors(session, before, CODE_FIELDS)
    if errors:
        raise NeedIncomplete(
            f"The need cannot be submitted yet; missing or invalid: {_names(errors)}.",
            errors=errors,
        )
    need.status = NeedStatus.submitted
    need.submitted_at = utcnow()
    need.rejection_reason = None
    await session.flush()
    await _record(session, principal, "submit", need, before)
    return need


async def _notify_poster(
    session: AsyncSession, settings: Settings, need: Need, **message: str
) -> None:
    await notify_organisation(
        session,
        settings,
        need.organisation_id,
        Message(link=f"/needs/{need.id}", object_type="need", object_id=need.id, **message),
    )


def _require_submitted(need: Need, action: str) -> None:
    if need.status != NeedStatus.submitted:
        raise NeedTransitionNotAllowed(
            f"Cannot {action} this need: only submitted needs are reviewed (it is {need.status})."
        )


async def publish_need(
    session: AsyncSession, settings: Settings, principal: Principal, need: Need
) -> Need:
    """Moderator approval of a submitted need; the poster is notified."""
    _require_submitted(need, "publish")
    if need.deadline is not None and need.deadline < repository.vn_today():
        raise NeedTransitionNotAllowed(
            "Cannot publish this need: its deadline has passed. "
            "Reject it so the poster can renew it."
        )
    before = snapshot(need)
    need.status = NeedStatus.published
    need.published_at = utcnow()
    need.reviewed_at, need.reviewed_by_id = utcnow(), principal.user_id
    await session.flush()
    await _record(session, principal, "publish", need, before)
    await _notify_poster(
        session, settings, need,
        kind="need.published",
        title_vi=f"Nhu cầu công nghệ đã được duyệt và công bố: {need.title_vi}",
        title_en=f"Your technology need was approved and published: {need.title_vi}",
    )  # fmt: skip
    return need


async def reject_need(
    session: AsyncSession, settings: Settings, principal: Principal, need: Need, reason: str
) -> Need:
    """Moderator refusal with a reason; the poster is notified."""
    _require_submitted(need, "reject")
    before = snapshot(need)
    need.status = NeedStatus.rejected
    need.rejection_reason = reason
    need.reviewed_at, need.reviewed_by_id = utcnow(), principal.user_id
    await session.flush()
    await _record(session, principal, "reject", need, before, summary=reason)
    await _notify_poster(
        session, settings, need,
        kind="need.rejected",
        title_vi=f"Nhu cầu công nghệ bị từ chối: {need.title_vi}",
        title_en=f"Your technology need was rejected: {need.title_vi}",
        body_vi=f"Lý do: {reason}",
        body_en=f"Reason: {reason}",
    )  # fmt: skip
    return need


async def fulfil_need(session: AsyncSession, principal: Principal, need: Need) -> Need:
    """The poster found what it needed (also after the deadline passed)."""
    status = effective_status(need)
    if status not in (NeedStatus.published, NeedStatus.expired):
        raise NeedTransitionNotAllowed(
            f"Only published or expired needs can be marked fulfilled; this need is {status}."
        )
    before = snapshot(need)
    need.status = NeedStatus.fulfilled
    need.fulfilled_at = utcnow()
    await session.flush()
    await _record(session, principal, "fulfil", need, before)
    return need


async def archive_need(session: AsyncSession, principal: Principal, need: Need) -> Need:
    if need.status == NeedStatus.archived:
        raise NeedTransitionNotAllowed("The need is already archived.")
    before = snapshot(need)
    need.status = NeedStatus.archived
    need.archived_at = utcnow()
    await session.flush()
    await _record(session, principal, "archive", need, before)
    return need


async def delete_need(
    session: AsyncSession, settings: Settings, principal: Principal, need: Need
) -> None:
    if need.status not in (NeedStatus.draft, NeedStatus.rejected):
        raise NeedNotDeletable(
            f"Only drafts and rejected needs can be deleted; this need is {need.status}. "
            "Archive it instead."
        )
    before = snapshot(need)
    await audit.record(
        session, principal, "need.delete", "need", need.id,
        changes=audit.diff(before, dict.fromkeys(before)),
    )  # fmt: skip
    # Rows of its files cascade; the files on disk go once the delete is committed.
    from app.attachments.service import discard_files_of

    await discard_files_of(session, settings, need_id=need.id)
    await session.delete(need)
    await session.flush()


async def expire_overdue_needs(session: AsyncSession, today: date | None = None) -> int:
    """Mark published needs past their deadline as expired (run daily by the worker/CLI).

    Row by row through the ORM, so the search outbox and the audit log see every change.
    """
    today = today or repository.vn_today()
    needs = await repository.overdue_needs(session, today)
    for need in needs:
        before = snapshot(need)
        need.status = NeedStatus.expired
        await _record(session, None, "expire", need, before, summary=f"deadline {need.deadline}")
    await session.flush()
    return len(needs)
