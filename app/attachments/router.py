"""HTTP routes of attachments: upload to a listing, need, IP right or valuation; read; delete.

Uploads are `multipart/form-data` with a `file` field, an optional `purpose` and `confidential`
(default true). The body is streamed (see upload.py), so the routes read the request directly.
"""

import logging
import unicodedata
import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from app.attachments import schemas as s
from app.attachments import service, upload
from app.attachments.exceptions import AttachmentNotFound
from app.attachments.service import PURPOSES, Target
from app.attachments.storage import get_storage
from app.auth.dependencies import (
    AuthenticatedPrincipal,
    CurrentPrincipal,
    SettingsDep,
    require_scopes,
)
from app.auth.principal import Principal
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.errors import problems

log = logging.getLogger(__name__)

router = APIRouter(tags=["attachments"])

ListingWriter = Annotated[Principal, Depends(require_scopes("listings:write"))]
NeedWriter = Annotated[Principal, Depends(require_scopes("needs:write"))]
UPLOAD_ERRORS = problems(400, 401, 403, 404, 413, 415, 422)
READ_ERRORS = problems(401, 404)


def _upload_body(kind: str) -> dict[str, Any]:
    purposes = [p.value for p in PURPOSES[kind]]
    schema = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "PDF, PNG, JPEG, WebP"},
            "purpose": {"type": "string", "enum": purposes, "default": purposes[0]},
            "confidential": {"type": "boolean", "default": True},
        },
    }
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


async def _receive_and_attach(
    request: Request,
    session: SessionDep,
    settings: Settings,
    principal: Principal,
    target: Target,
) -> s.Attachment:
    form = await upload.receive(
        request.headers.get("content-type"),
        request.headers.get("content-length"),
        request.stream(),
        get_storage(settings),
        settings.max_upload_bytes,
    )
    row = await service.attach(session, settings, principal, target, form)
    return s.Attachment.model_validate(row)


# --- upload --------------------------------------------------------------------------------


@router.post(
    "/listings/{listing_id}/attachments",
    name="create_for_listing",
    summary="Attach a file to a listing",
    response_model=s.Attachment,
    status_code=201,
    responses=UPLOAD_ERRORS,
    openapi_extra=_upload_body("listing"),
)
async def create_for_listing(
    listing_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ListingWriter,
) -> s.Attachment:
    """Upload a document, image or secret-know-how declaration of the owner's listing."""
    target = await service.listing_target(session, principal, listing_id, manage=True)
    return await _receive_and_attach(request, session, settings, principal, target)


@router.post(
    "/needs/{need_id}/attachments",
    name="create_for_need",
    summary="Attach a file to a need",
    response_model=s.Attachment,
    status_code=201,
    responses=UPLOAD_ERRORS,
    openapi_extra=_upload_body("need"),
)
async def create_for_need(
    need_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: NeedWriter,
) -> s.Attachment:
    """Upload a document or image of the owner's technology need."""
    target = await service.need_target(session, principal, need_id, manage=True)
    return await _receive_and_attach(request, session, settings, principal, target)


@router.post(
    "/listings/{listing_id}/ip-rights/{right_id}/attachments",
    name="create_for_ip_right",
    summary="Attach evidence to an IP right",
    response_model=s.Attachment,
    status_code=201,
    responses=UPLOAD_ERRORS,
    openapi_extra=_upload_body("ip_right"),
)
async def create_for_ip_right(
    listing_id: uuid.UUID,
    right_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ListingWriter,
) -> s.Attachment:
    """Upload the certificate or filing receipt of an IP right."""
    target = await service.right_target(session, principal, listing_id, right_id, manage=True)
    return await _receive_and_attach(request, session, settings, principal, target)


@router.post(
    "/listings/{listing_id}/valuations/{valuation_id}/attachments",
    name="create_for_valuation",
    summary="Attach a report to a valuation",
    response_model=s.Attachment,
    status_code=201,
    responses=UPLOAD_ERRORS,
    openapi_extra=_upload_body("valuation"),
)
async def create_for_valuation(
    listing_id: uuid.UUID,
    valuation_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ListingWriter,
) -> s.Attachment:
    """Upload the valuation report."""
    target = await service.valuation_target(
        session, principal, listing_id, valuation_id, manage=True
    )
    return await _receive_and_attach(request, session, settings, principal, target)


# --- lists ---------------------------------------------------------------------------------


@router.get(
    "/listings/{listing_id}/attachments",
    name="list_for_listing",
    summary="Files of a listing",
    response_model=list[s.Attachment],
    responses=READ_ERRORS,
)
async def list_for_listing(
    listing_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[s.Attachment]:
    """The listing's files the caller may read."""
    target = await service.listing_target(session, principal, listing_id)
    rows = await service.list_visible(session, principal, target)
    return [s.Attachment.model_validate(r) for r in rows]


@router.get(
    "/needs/{need_id}/attachments",
    name="list_for_need",
    summary="Files of a need",
    response_model=list[s.Attachment],
    responses=READ_ERRORS,
)
async def list_for_need(
    need_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[s.Attachment]:
    """The need's files the caller may read."""
    target = await service.need_target(session, principal, need_id)
    rows = await service.list_visible(session, principal, target)
    return [s.Attachment.model_validate(r) for r in rows]


@router.get(
    "/listings/{listing_id}/ip-rights/{right_id}/attachments",
    name="list_for_ip_right",
    summary="Evidence of an IP right",
    response_model=list[s.Attachment],
    responses=READ_ERRORS,
)
async def list_for_ip_right(
    listing_id: uuid.UUID, right_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[s.Attachment]:
    """The right's evidence files (detail readers only; empty for others)."""
    target = await service.right_target(session, principal, listing_id, right_id)
    rows = await service.list_visible(session, principal, target)
    return [s.Attachment.model_validate(r) for r in rows]


@router.get(
    "/listings/{listing_id}/valuations/{valuation_id}/attachments",
    name="list_for_valuation",
    summary="Reports of a valuation",
    response_model=list[s.Attachment],
    responses=READ_ERRORS,
)
async def list_for_valuation(
    listing_id: uuid.UUID,
    valuation_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> list[s.Attachment]:
    """The valuation's report files (detail readers only; empty for others)."""
    target = await service.valuation_target(session, principal, listing_id, valuation_id)
    rows = await service.list_visible(session, principal, target)
    return [s.Attachment.model_validate(r) for r in rows]


# --- one attachment ------------------------------------------------------------------------


@router.get(
    "/attachments/{attachment_id}",
    name="get",
    summary="Attachment metadata",
    response_model=s.Attachment,
    responses=READ_ERRORS,
)
async def get(
    attachment_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> s.Attachment:
    """Metadata of a file the caller may read."""
    row, _ = await service.get_visible(session, principal, attachment_id)
    return s.Attachment.model_validate(row)


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987)."""
    folded = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = folded.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    exact = quote(filename, safe="")
    return f"attachment; filename=\"{ascii_name or 'file'}\"; filename*=UTF-8''{exact}"


@router.get(
    "/attachments/{attachment_id}/content",
    name="content",
    summary="Download a file",
    response_class=FileResponse,
    responses={
        200: {"content": {t: {} for t in upload.EXTENSIONS}, "description": "The file"},
        **READ_ERRORS,
    },
)
async def content(
    attachment_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
) -> FileResponse:
    """The file itself, as a download, for callers who may read it."""
    row, _ = await service.get_visible(session, principal, attachment_id)
    storage = get_storage(settings)
    if not await storage.exists(row.storage_key):
        log.error("attachment file missing", extra={"attachment_id": str(row.id)})
        raise AttachmentNotFound("The file of this attachment is missing from storage.")
    headers = {
        "Content-Disposition": content_disposition(row.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if row.confidential:
        headers["Cache-Control"] = "private, no-store"
    return FileResponse(
        storage.path_for(row.storage_key), media_type=row.content_type, headers=headers
    )


@router.delete(
    "/attachments/{attachment_id}",
    name="delete",
    summary="Delete a file",
    status_code=204,
    response_model=None,
    responses=problems(401, 403, 404),
)
async def delete(
    attachment_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: AuthenticatedPrincipal,
) -> None:
    """Remove a file of the caller's organisation (the file goes once the deletion commits)."""
    await service.delete(session, settings, principal, attachment_id)
