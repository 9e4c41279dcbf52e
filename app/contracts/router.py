"""HTTP routes of contracts: drafts, signatures, execution, registration, documents."""

import logging
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from app.attachments import upload
from app.attachments.router import content_disposition
from app.attachments.storage import get_storage
from app.auth.dependencies import SettingsDep
from app.auth.principal import Principal
from app.contracts import documents, lifecycle, repository, schemas, service
from app.contracts.dependencies import (
    ContractReader,
    ContractWriter,
    ReadableContract,
    WritableContract,
)
from app.contracts.exceptions import ContractDocumentNotFound, NotAManager
from app.contracts.models import Contract, ContractDocumentKind, ContractStatus
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep, paginate

log = logging.getLogger(__name__)

router = APIRouter(prefix="/contracts", tags=["contracts"])

UPLOAD_ERRORS = problems(400, 401, 403, 404, 409, 413, 415, 422)


def _multipart(fields: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {
        "type": "object",
        "required": ["file", *required],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "PDF, PNG, JPEG, WebP"},
            **fields,
        },
    }
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


async def _receive(request: Request, settings: Settings) -> upload.ReceivedForm:
    return await upload.receive(
        request.headers.get("content-type"),
        request.headers.get("content-length"),
        request.stream(),
        get_storage(settings),
        settings.max_upload_bytes,
    )


@router.post(
    "",
    name="create",
    summary="Draft a contract",
    status_code=201,
    response_model=schemas.Contract,
    responses=problems(401, 403, 404, 409, 422),
)
async def create(
    data: schemas.ContractCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: ContractWriter,
) -> Contract:
    """By a member of a party, the connection's broker, or operator staff."""
    return await service.create(session, settings, principal, data)


@router.get(
    "",
    name="list",
    summary="Contracts I take part in",
    response_model=Page[schemas.Contract],
    responses=problems(401, 403, 422),
)
async def list_contracts(
    session: SessionDep,
    principal: ContractReader,
    pagination: PaginationDep,
    status: ContractStatus | None = None,
    connection_id: uuid.UUID | None = None,
    contract_type: str | None = None,
) -> Page[schemas.Contract]:
    """Of my organisations, brokered by me; all for staff."""
    stmt = repository.list_query(
        principal, status=status, connection_id=connection_id, contract_type=contract_type
    )
    rows, total = await paginate(session, stmt, pagination)
    items = [schemas.Contract.model_validate(r) for r in rows]
    return Page[schemas.Contract].build(items, total, pagination)


@router.get(
    "/{contract_id}",
    name="get",
    summary="One contract",
    response_model=schemas.Contract,
    responses=problems(401, 403, 404),
)
async def get(contract: ReadableContract) -> Contract:
    """Parties, the broker and staff; 404 for everyone else."""
    return contract


@router.patch(
    "/{contract_id}",
    name="update",
    summary="Change a draft contract",
    response_model=schemas.Contract,
    responses=problems(401, 403, 404, 409, 422),
)
async def update(
    data: schemas.ContractUpdate,
    session: SessionDep,
    settings: SettingsDep,
    principal: ContractWriter,
    contract: WritableContract,
) -> Contract:
    """Only drafts change; a signature given on the old terms is withdrawn."""
    return await service.update(session, settings, principal, contract, data)


@router.post(
    "/{contract_id}/sign",
    name="sign",
    summary="Sign for your organisation's side",
    response_model=schemas.Contract,
    responses=problems(401, 403, 404, 409, 422),
)
async def sign(
    session: SessionDep,
    settings: SettingsDep,
    principal: ContractWriter,
    contract: WritableContract,
    data: schemas.Signature | None = None,
) -> Contract:
    """When both sides have signed: signed, registration deadline set, connection contracted."""
    side = data.side if data else None
    return await lifecycle.sign(session, settings, principal, contract, side)


@router.post(
    "/{contract_id}/record-signed",
    name="record_signed",
    summary="Record a contract signed on paper (brokers, staff)",
    response_model=schemas.Contract,
    responses=UPLOAD_ERRORS,
    openapi_extra=_multipart(
        {"signed_date": {"type": "string", "format": "date"}}, ["signed_date"]
    ),
)
async def record_signed(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ContractWriter,
    contract: WritableContract,
) -> Contract:
    """Multipart: `file` (the signed document) and `signed_date`."""
    _require_document_writer(principal)
    form = await _receive(request, settings)
    return await documents.record_signed(session, settings, principal, contract, form)


def _require_document_writer(principal: Principal) -> None:
    # Checked before the body is read, so a refused caller does not upload a whole file.
    if not (principal.is_broker or principal.is_operator_staff):
        raise NotAManager("Only brokers and operator staff record a signed document.")


@router.post(
    "/{contract_id}/start-execution",
    name="start_execution",
    summary="Start executing a signed contract",
    response_model=schemas.Contract,
    responses=problems(401, 403, 404, 409),
)
async def start_execution(
    session: SessionDep, principal: ContractWriter, contract: WritableContract
) -> Contract:
    """signed → in_execution."""
    return await lifecycle.start_execution(session, principal, contract)


@router.post(
    "/{contract_id}/complete",
    name="complete",
    summary="Mark a contract completed",
    response_model=schemas.Contract,
    responses=problems(401, 403, 404, 409),
)
async def complete(
    session: SessionDep, principal: ContractWriter, contract: WritableContract
) -> Contract:
    """in_execution → completed."""
    return await lifecycle.complete(session, principal, contract)


@router.post(
    "/{contract_id}/terminate",
    name="terminate",
    summary="Terminate a contract",
    response_model=schemas.Contract,
    responses=problems(401, 403, 404, 409, 422),
)
async def terminate(
    data: schemas.Termination,
    session: SessionDep,
    settings: SettingsDep,
    principal: ContractWriter,
    contract: WritableContract,
) -> Contract:
    """signed | in_execution → terminated, with the reason."""
    return await lifecycle.terminate(session, settings, principal, contract, data.reason)


@router.post(
    "/{contract_id}/registration",
    name="register",
    summary="Record the S&T authority's registration certificate",
    response_model=schemas.Contract,
    responses=problems(401, 403, 404, 409, 422),
)
async def register(
    data: schemas.Registration,
    session: SessionDep,
    principal: ContractWriter,
    contract: WritableContract,
) -> Contract:
    """Certificate number and date (Law on TT, Art. 31)."""
    return await lifecycle.register(
        session, principal, contract, data.certificate_number, data.certificate_date
    )


@router.post(
    "/{contract_id}/documents",
    name="upload_document",
    summary="Attach a document to a contract",
    status_code=201,
    response_model=schemas.ContractDocument,
    responses=UPLOAD_ERRORS,
    openapi_extra=_multipart(
        {"kind": {"type": "string", "enum": [k.value for k in ContractDocumentKind]}}, []
    ),
)
async def upload_document(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ContractWriter,
    contract: WritableContract,
) -> object:
    """Multipart: `file` and `kind` (draft, signed_contract, annex, registration_certificate…)."""
    form = await _receive(request, settings)
    return await documents.upload(session, settings, principal, contract, form)


@router.get(
    "/{contract_id}/documents",
    name="list_documents",
    summary="Documents of a contract",
    response_model=list[schemas.ContractDocument],
    responses=problems(401, 403, 404),
)
async def list_documents(session: SessionDep, contract: ReadableContract) -> object:
    """Everyone who sees the contract."""
    return await repository.documents_of(session, contract.id)


@router.get(
    "/{contract_id}/documents/{document_id}/content",
    name="download_document",
    summary="Download a contract document",
    response_class=FileResponse,
    responses={
        200: {"content": {t: {} for t in upload.EXTENSIONS}, "description": "The file"},
        **problems(401, 403, 404),
    },
)
async def download_document(
    document_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    contract: ReadableContract,
) -> FileResponse:
    """The file, as a private download."""
    row = await repository.get_document(session, contract.id, document_id)
    storage = get_storage(settings)
    if row is None:
        raise ContractDocumentNotFound(f"No document {document_id} on this contract.")
    if not await storage.exists(row.storage_key):
        log.error("contract document file missing", extra={"document_id": str(row.id)})
        raise ContractDocumentNotFound("The file of this document is missing from storage.")
    headers = {
        "Content-Disposition": content_disposition(row.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }
    return FileResponse(
        storage.path_for(row.storage_key), media_type=row.content_type, headers=headers
    )
