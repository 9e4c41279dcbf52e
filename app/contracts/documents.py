"""Contract documents, stored like attachments (same streaming upload, sniffing and storage).

The attachments table has no contract owner, so contract files get their own small table; the
file handling itself is the attachments domain's, reused rather than copied.
"""

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.service import clean_filename
from app.attachments.storage import get_storage, new_key, remove_on_rollback
from app.attachments.upload import FILE_FIELD, ReceivedForm
from app.auth.principal import Principal
from app.contracts import lifecycle
from app.contracts.exceptions import ContractInvalid
from app.contracts.models import Contract, ContractDocument, ContractDocumentKind
from app.core import audit
from app.core.config import Settings
from app.core.errors import field_error


async def discard(settings: Settings, form: ReceivedForm) -> None:
    if form.file is not None:
        await get_storage(settings).remove(form.file.temp_path)


def _kind(form: ReceivedForm, default: ContractDocumentKind) -> ContractDocumentKind | None:
    raw = form.fields.get("kind", "").strip() or default.value
    return next((k for k in ContractDocumentKind if k.value == raw), None)


def _check_file(form: ReceivedForm, errors: list[dict[str, Any]]) -> None:
    if form.file is None:
        errors.append(field_error(["body", FILE_FIELD], "Attach the file in the 'file' field."))


async def store(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    form: ReceivedForm,
    kind: ContractDocumentKind,
) -> ContractDocument:
    """Place the received file under a fresh key and record it; removed again on rollback."""
    assert form.file is not None
    storage = get_storage(settings)
    key = new_key()
    path = await storage.place(form.file.temp_path, key)
    remove_on_rollback(session, path)
    row = ContractDocument(
        contract_id=contract.id,
        kind=kind,
        filename=clean_filename(form.file.filename, form.file.content_type),
        content_type=form.file.content_type,
        size_bytes=form.file.size,
        sha256=form.file.sha256,
        storage_key=key,
        uploaded_by_id=principal.user_id,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        principal,
        "contract.document_upload",
        "contract",
        contract.id,
        changes={"document": [None, str(row.id)], "kind": [None, kind.value]},
        summary=row.filename,
    )
    return row


async def upload(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    form: ReceivedForm,
) -> ContractDocument:
    errors: list[dict[str, Any]] = []
    kind = _kind(form, ContractDocumentKind.other)
    if kind is None:
        names = ", ".join(k.value for k in ContractDocumentKind)
        errors.append(field_error(["body", "kind"], f"Use one of: {names}."))
    _check_file(form, errors)
    if errors:
        await discard(settings, form)
        raise ContractInvalid("The upload has invalid fields.", errors=errors)
    assert kind is not None
    return await store(session, settings, principal, contract, form, kind)


async def record_signed(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    form: ReceivedForm,
) -> Contract:
    """The signed document and its date, as one step: the contract is signed with the file."""
    errors: list[dict[str, Any]] = []
    signed_date = None
    try:
        signed_date = date.fromisoformat(form.fields.get("signed_date", "").strip())
    except ValueError:
        errors.append(field_error(["body", "signed_date"], "A date like 2026-11-22 is required."))
    _check_file(form, errors)
    if errors:
        await discard(settings, form)
        raise ContractInvalid("The signed document and its date are required.", errors=errors)
    assert signed_date is not None
    try:
        await lifecycle.record_signed(session, settings, principal, contract, signed_date)
    except BaseException:
        await discard(settings, form)
        raise
    await store(session, settings, principal, contract, form, ContractDocumentKind.signed_contract)
    return contract
