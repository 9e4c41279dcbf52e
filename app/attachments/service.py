"""Attach files to listings, needs, IP rights and valuations; decide who may read them.

Who may read a file follows the object it is attached to:
- listing files: non-confidential ones with the listing (public once published); confidential
  ones with the listing's confidential detail (owner, operator staff, granted organisations);
- IP-right evidence and valuation reports: always detail-level (`can_read_detail`);
- need files: the need's owner organisation and operator staff; non-confidential files also
  whoever may see the need (the needs domain's `readable_by`).
Objects and files a caller may not see are reported missing (404), never forbidden.
"""

import logging
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments import repository
from app.attachments.exceptions import AttachmentNotFound, NeedNotFound, UploadInvalid
from app.attachments.models import Attachment, AttachmentPurpose
from app.attachments.storage import get_storage, new_key, remove_after_commit, remove_on_rollback
from app.attachments.upload import EXTENSIONS, FILE_FIELD, ReceivedFile, ReceivedForm
from app.auth.principal import Principal
from app.core import audit
from app.core.config import Settings
from app.core.errors import Forbidden, NotFound, field_error
from app.ip.models import IPRight, Valuation
from app.listings import access
from app.listings.models import Listing
from app.needs.models import Need

log = logging.getLogger(__name__)

Kind = Literal["listing", "need", "ip_right", "valuation"]
P = AttachmentPurpose
PURPOSES: dict[str, tuple[AttachmentPurpose, ...]] = {  # the first one is the default
    "listing": (P.document, P.image, P.know_how_declaration),
    "need": (P.document, P.image),
    "ip_right": (P.ip_evidence, P.know_how_declaration, P.document),
    "valuation": (P.valuation_report, P.document),
}
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Target:
    """The object a file hangs on, with the listing or need that governs access to it."""

    kind: Kind
    object_id: uuid.UUID
    listing: Listing | None = None
    need: Need | None = None

    @property
    def organisation_id(self) -> uuid.UUID:
        owner = self.listing or self.need
        assert owner is not None
        return owner.organisation_id

    @property
    def column(self) -> Any:
        return getattr(Attachment, f"{self.kind}_id")

    @property
    def write_scope(self) -> str:
        return "needs:write" if self.kind == "need" else "listings:write"


# --- contracts used by the IP domain ------------------------------------------------------


async def purposes_by_right(
    session: AsyncSession, right_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    return await repository.purposes_by_right(session, right_ids)


async def listing_has_purpose(
    session: AsyncSession, listing_id: uuid.UUID, purpose: AttachmentPurpose
) -> bool:
    return await repository.listing_has_purpose(session, listing_id, purpose)


async def discard_files_of(session: AsyncSession, settings: Settings, **owner: uuid.UUID) -> None:
    """Before deleting a listing, need, right or valuation: remove its files once committed.

    The rows go with the owner (ON DELETE CASCADE); the files on disk need this call.
    """
    keys = await repository.storage_keys(session, **owner)
    remove_after_commit(session, get_storage(settings), keys)


# --- loading targets with the caller's rights --------------------------------------------


async def _listing(
    session: AsyncSession, principal: Principal, listing_id: uuid.UUID, manage: bool
) -> Listing:
    if manage:
        return await access.get_manageable(session, principal, listing_id)
    return await access.get_readable(session, principal, listing_id)


async def listing_target(
    session: AsyncSession, principal: Principal, listing_id: uuid.UUID, *, manage: bool = False
) -> Target:
    listing = await _listing(session, principal, listing_id, manage)
    return Target("listing", listing.id, listing=listing)


async def right_target(
    session: AsyncSession,
    principal: Principal,
    listing_id: uuid.UUID,
    right_id: uuid.UUID,
    *,
    manage: bool = False,
) -> Target:
    from app.ip.service import get_right

    listing = await _listing(session, principal, listing_id, manage)
    right = await get_right(session, listing, right_id)
    return Target("ip_right", right.id, listing=listing)


async def valuation_target(
    session: AsyncSession,
    principal: Principal,
    listing_id: uuid.UUID,
    valuation_id: uuid.UUID,
    *,
    manage: bool = False,
) -> Target:
    from app.ip.service import get_valuation

    listing = await _listing(session, principal, listing_id, manage)
    valuation = await get_valuation(session, listing, valuation_id)
    return Target("valuation", valuation.id, listing=listing)


async def _readable_need(
    session: AsyncSession, principal: Principal, need_id: uuid.UUID
) -> Need | None:
    need = await session.get(Need, need_id)
    if need is None or principal.is_operator_staff or principal.is_member(need.organisation_id):
        return need
    from app.needs.repository import readable_by  # the needs domain's one visibility rule

    visible = await session.scalar(
        select(exists().where(Need.id == need_id, readable_by(principal)))
    )
    return need if visible else None


async def need_target(
    session: AsyncSession, principal: Principal, need_id: uuid.UUID, *, manage: bool = False
) -> Target:
    need = await _readable_need(session, principal, need_id)
    if need is None:
        raise NeedNotFound(f"Need {need_id} does not exist or is not visible to you.")
    if manage and not principal.is_member(need.organisation_id):
        raise Forbidden("Only members of the need's organisation may change its files.")
    return Target("need", need.id, need=need)


async def _target_of(session: AsyncSession, principal: Principal, row: Attachment) -> Target:
    """The attachment's owner, loaded only if the caller may see it (else 404)."""
    try:
        if row.need_id is not None:
            return await need_target(session, principal, row.need_id)
        if row.listing_id is not None:
            return await listing_target(session, principal, row.listing_id)
        if row.ip_right_id is not None:
            right = await session.get(IPRight, row.ip_right_id)
            assert right is not None
            return await right_target(session, principal, right.listing_id, right.id)
        valuation = await session.get(Valuation, row.valuation_id)
        assert valuation is not None
        return await valuation_target(session, principal, valuation.listing_id, valuation.id)
    except NotFound as exc:
        raise _not_found(row.id) from exc


def _not_found(attachment_id: uuid.UUID) -> AttachmentNotFound:
    return AttachmentNotFound(
        f"Attachment {attachment_id} does not exist or is not visible to you."
    )


# --- reading -------------------------------------------------------------------------------


async def may_read(
    session: AsyncSession, principal: Principal, target: Target, *, confidential: bool
) -> bool:
    """Given a target the caller may see, may they read a file of it (module docstring)?"""
    if target.need is not None:
        owner = principal.is_operator_staff or principal.is_member(target.need.organisation_id)
        return owner or not confidential
    assert target.listing is not None
    if confidential or target.kind in ("ip_right", "valuation"):
        return await access.can_read_detail(session, principal, target.listing)
    return True


async def list_visible(
    session: AsyncSession, principal: Principal, target: Target
) -> list[Attachment]:
    everything = await may_read(session, principal, target, confidential=True)
    if not everything and not await may_read(session, principal, target, confidential=False):
        return []
    owner: ColumnElement[bool] = target.column == target.object_id
    return await repository.list_for(session, owner, include_confidential=everything)


async def get_visible(
    session: AsyncSession, principal: Principal, attachment_id: uuid.UUID
) -> tuple[Attachment, Target]:
    row = await repository.get(session, attachment_id)
    if row is None:
        raise _not_found(attachment_id)
    target = await _target_of(session, principal, row)
    if not await may_read(session, principal, target, confidential=row.confidential):
        raise _not_found(attachment_id)
    return row, target


# --- writing -------------------------------------------------------------------------------


# Control characters, quoting/path characters, and bidi overrides ("gpj.exe" shown as "exe.jpg").
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\/:*?<>|;\u202a-\u202e\u2066-\u2069]+')
_KNOWN_EXTENSIONS = {e for exts in EXTENSIONS.values() for e in exts}
MAX_FILENAME = 255


def clean_filename(raw: str, content_type: str) -> str:
    """NFC, no path, no control or quoting characters, and the extension of the real type."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    stem, ext = os.path.splitext(name)
    right = EXTENSIONS[content_type]
    if ext.lower() in right:
        ext = ext.lower()
    else:  # a known but wrong extension is replaced; anything else is kept in the name
        stem, ext = (stem if ext.lower() in _KNOWN_EXTENSIONS else name), right[0]
    stem = stem or "tep-dinh-kem"
    return stem[: MAX_FILENAME - len(ext)] + ext


def _read_fields(
    target: Target, form: ReceivedForm
) -> tuple[ReceivedFile, AttachmentPurpose, bool]:
    errors = []
    allowed = PURPOSES[target.kind]
    raw_purpose = form.fields.get("purpose", "").strip() or allowed[0].value
    purpose = next((p for p in allowed if p.value == raw_purpose), None)
    if purpose is None:
        names = ", ".join(p.value for p in allowed)
        errors.append(
            field_error(["body", "purpose"], f"For a {target.kind}, use one of: {names}.")
        )
    raw_confidential = form.fields.get("confidential", "true").strip().lower()
    if raw_confidential not in _TRUE | _FALSE:
        errors.append(field_error(["body", "confidential"], "Use true or false."))
    file = form.file
    if file is None:
        errors.append(field_error(["body", FILE_FIELD], "Attach the file in the 'file' field."))
    elif purpose is P.image and not file.content_type.startswith("image/"):
        errors.append(field_error(["body", "purpose"], "An image must be PNG, JPEG or WebP."))
    if errors:
        raise UploadInvalid("The upload has invalid fields.", errors=errors)
    assert file is not None
    assert purpose is not None
    return file, purpose, raw_confidential in _TRUE


async def attach(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    target: Target,
    form: ReceivedForm,
) -> Attachment:
    """Record a received file on its target; the temporary file is placed or removed."""
    storage = get_storage(settings)
    try:
        file, purpose, confidential = _read_fields(target, form)
        key = new_key()
        path = await storage.place(file.temp_path, key)
    except BaseException:
        if form.file is not None:
            await storage.remove(form.file.temp_path)
        raise
    remove_on_rollback(session, path)
    if target.listing is not None:
        # Evidence and declarations change the listing's cached IP dossier state.
        await session.refresh(target.listing, with_for_update=True)
    row = Attachment(
        purpose=purpose,
        filename=clean_filename(file.filename, file.content_type),
        content_type=file.content_type,
        size_bytes=file.size,
        sha256=file.sha256,
        storage_key=key,
        confidential=confidential,
        uploaded_by_id=principal.user_id,
        **{f"{target.kind}_id": target.object_id},
    )
    session.add(row)
    await session.flush()
    fields = ("purpose", "filename", "content_type", "size_bytes", "sha256", "confidential")
    await audit.record(
        session,
        principal,
        "attachment.upload",
        "attachment",
        row.id,
        changes=audit.diff({}, {f: getattr(row, f) for f in fields}),
        summary=f"{target.kind} {target.object_id}",
    )
    await _refresh_listing(session, target)
    return row


async def delete(
    session: AsyncSession, settings: Settings, principal: Principal, attachment_id: uuid.UUID
) -> None:
    row, target = await get_visible(session, principal, attachment_id)
    if not principal.is_member(target.organisation_id):
        raise Forbidden("Only members of the owner organisation may delete its files.")
    if not principal.has_scope(target.write_scope):
        raise Forbidden(
            f"The token lacks the scope: {target.write_scope}.", error="insufficient_scope"
        )
    if target.listing is not None:
        await session.refresh(target.listing, with_for_update=True)
    await session.delete(row)
    await audit.record(
        session,
        principal,
        "attachment.delete",
        "attachment",
        row.id,
        changes={"filename": [row.filename, None], "sha256": [row.sha256, None]},
        summary=f"{target.kind} {target.object_id}",
    )
    remove_after_commit(session, get_storage(settings), [row.storage_key])
    await _refresh_listing(session, target)


async def _refresh_listing(session: AsyncSession, target: Target) -> None:
    if target.listing is not None:
        from app.ip.service import refresh_ip_summary

        await refresh_ip_summary(session, target.listing)
