"""Uploading files: content sniffing, size limit, checksum, storage layout, fields, permissions."""

import hashlib
import unicodedata
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.models import Attachment
from app.core.config import Settings
from app.listings.models import ListingStatus
from tests.factories import create_need, create_organisation, create_user
from tests.ip.helpers import (
    EXE,
    JPEG,
    PDF,
    PNG,
    WEBP,
    add_right,
    add_valuation,
    audit_actions,
    outsider,
    owner_with_listing,
    settle,
)

Headers = Any


def listing_url(listing_id: Any) -> str:
    return f"/api/v1/listings/{listing_id}/attachments"


async def count_rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Attachment)) or 0)


def stored_files(settings: Settings) -> list[Path]:
    root = Path(settings.upload_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def incoming(settings: Settings) -> list[Path]:
    folder = Path(settings.upload_dir) / "incoming"
    return list(folder.iterdir()) if folder.exists() else []


async def test_a_pdf_is_stored_under_a_random_key_with_its_checksum(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, settings: Settings
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    response = await client.post(
        listing_url(owner.listing_id),
        files={"file": ("../../etc/báo-cáo.pdf", PDF, "text/plain")},
        data={"purpose": "document", "confidential": "false"},
        headers=auth_headers(owner.user),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["content_type"] == "application/pdf"  # sniffed, not the client's text/plain
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["size_bytes"] == len(PDF)
    assert body["confidential"] is False
    assert body["filename"] == "báo-cáo.pdf"
    assert body["download_url"] == f"/api/v1/attachments/{body['id']}/content"
    row = await session.get(Attachment, body["id"])
    assert row is not None
    assert row.listing_id == owner.listing_id
    path = Path(settings.upload_dir) / row.storage_key[:2] / row.storage_key
    assert path.read_bytes() == PDF
    assert "báo" not in str(path)
    assert incoming(settings) == []
    assert await audit_actions(session, row.id) == ["attachment.upload"]


@pytest.mark.parametrize(
    ("content", "content_type", "name", "expected_name"),
    [
        (PNG, "image/png", "anh-may-say.png", "anh-may-say.png"),
        (JPEG, "image/jpeg", "Ảnh.JPEG", "Ảnh.jpeg"),
        (WEBP, "image/webp", "scan.pdf", "scan.webp"),  # a misleading extension is replaced
        (PDF, "application/pdf", "hop-dong", "hop-dong.pdf"),
    ],
)
async def test_accepted_types_are_sniffed_from_content(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth_headers: Headers,
    content: bytes,
    content_type: str,
    name: str,
    expected_name: str,
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    response = await client.post(
        listing_url(owner.listing_id),
        files={"file": (name, content, "application/octet-stream")},
        headers=auth_headers(owner.user),
    )
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == content_type
    assert response.json()["filename"] == expected_name
    assert response.json()["confidential"] is True  # the default
    assert response.json()["purpose"] == "document"


async def test_file_names_are_stored_nfc(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    decomposed = unicodedata.normalize("NFD", "Bản vẽ kỹ thuật.pdf")
    response = await client.post(
        listing_url(owner.listing_id),
        files={"file": (decomposed, PDF, "application/pdf")},
        headers=auth_headers(owner.user),
    )
    assert response.json()["filename"] == unicodedata.normalize("NFC", "Bản vẽ kỹ thuật.pdf")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (EXE, "Programs"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "Programs"),
        (b"Xin chao, day la van ban thuong, khong phai PDF.", "not PDF"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not PDF"),
        (b"%PD", "not PDF"),  # shorter than any signature
    ],
)
async def test_anything_else_is_refused_with_415(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth_headers: Headers,
    settings: Settings,
    content: bytes,
    words: str,
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    before = await count_rows(session)
    response = await client.post(
        listing_url(owner.listing_id),
        files={"file": ("ket-qua.pdf", content, "application/pdf")},
        headers=auth_headers(owner.user),
    )
    assert response.status_code == 415, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert await count_rows(session) == before
    assert incoming(settings) == []


async def test_an_oversized_file_is_refused_with_413(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth_headers: Headers,
    settings: Settings,
    app: FastAPI,
) -> None:
    app.state.settings = settings.model_copy(update={"max_upload_bytes": 1000})
    owner = await owner_with_listing(session)
    headers = auth_headers(owner.user)
    await settle(session)
    big = PDF + b"0" * 1000
    response = await client.post(
        listing_url(owner.listing_id), files={"file": ("lon.pdf", big, "application/pdf")},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["detail"]
    assert await count_rows(session) == 0
    assert incoming(settings) == []
    exact = PDF + b"0" * (1000 - len(PDF))
    response = await client.post(
        listing_url(owner.listing_id), files={"file": ("vua.pdf", exact, "application/pdf")},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 201


async def test_form_errors_are_listed_at_once(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, settings: Settings
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    files_before = stored_files(settings)
    response = await client.post(
        listing_url(owner.listing_id),
        files={"file": ("x.pdf", PDF, "application/pdf")},
        data={"purpose": "valuation_report", "confidential": "maybe"},
        headers=auth_headers(owner.user),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.purpose", "body.confidential"}
    assert incoming(settings) == []
    assert stored_files(settings) == files_before


async def test_an_image_purpose_needs_an_image(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    response = await client.post(
        listing_url(owner.listing_id),
        files={"file": ("x.pdf", PDF, "application/pdf")},
        data={"purpose": "image"},
        headers=auth_headers(owner.user),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.purpose"


async def test_a_missing_file_and_a_non_multipart_body(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    headers = auth_headers(owner.user)
    await settle(session)
    response = await client.post(
        listing_url(owner.listing_id), files={"purpose": (None, "document")}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.file"
    response = await client.post(listing_url(owner.listing_id), json={"file": "x"}, headers=headers)
    assert response.status_code == 415
    empty = await client.post(
        listing_url(owner.listing_id), files={"file": ("x.pdf", b"", "application/pdf")},
        headers=headers,
    )  # fmt: skip
    assert empty.status_code == 422


async def test_upload_permissions(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    published = await owner_with_listing(session)
    draft = await owner_with_listing(session, status=ListingStatus.draft)
    stranger = auth_headers(await outsider(session))
    await settle(session)
    files = {"file": ("x.pdf", PDF, "application/pdf")}
    assert (await client.post(listing_url(published.listing_id), files=files)).status_code == 401
    response = await client.post(listing_url(published.listing_id), files=files, headers=stranger)
    assert response.status_code == 403
    response = await client.post(listing_url(draft.listing_id), files=files, headers=stranger)
    assert response.status_code == 404
    assert await count_rows(session) == 0


async def test_evidence_and_reports_attach_to_rights_and_valuations(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing)
    valuation = await add_valuation(session, owner.listing)
    other = await owner_with_listing(session)
    foreign_right = await add_right(session, other.listing)
    headers = auth_headers(owner.user)
    await settle(session)
    base = f"/api/v1/listings/{owner.listing_id}"
    files = {"file": ("gcn.pdf", PDF, "application/pdf")}
    response = await client.post(
        f"{base}/ip-rights/{right.id}/attachments", files=files, headers=headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["purpose"] == "ip_evidence"
    assert response.json()["ip_right_id"] == str(right.id)
    response = await client.post(
        f"{base}/valuations/{valuation.id}/attachments", files=files, headers=headers
    )
    assert response.status_code == 201
    assert response.json()["purpose"] == "valuation_report"
    response = await client.post(
        f"{base}/ip-rights/{foreign_right.id}/attachments", files=files, headers=headers
    )
    assert response.status_code == 404


async def test_need_files(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    company = await create_organisation(session)
    employee = await create_user(session, company)
    need_id = (await create_need(session, company)).id
    draft_id = (await create_need(session, company, status="draft")).id
    stranger = auth_headers(await outsider(session))
    mine = auth_headers(employee)
    await settle(session)
    files = {"file": ("yeu-cau.pdf", PDF, "application/pdf")}
    response = await client.post(f"/api/v1/needs/{need_id}/attachments", files=files, headers=mine)
    assert response.status_code == 201, response.text
    assert response.json()["need_id"] == str(need_id)
    response = await client.post(
        f"/api/v1/needs/{need_id}/attachments", files=files, headers=stranger
    )
    assert response.status_code == 403
    response = await client.post(
        f"/api/v1/needs/{draft_id}/attachments", files=files, headers=stranger
    )
    assert response.status_code == 404
    assert (
        await client.post(f"/api/v1/needs/{need_id}/attachments", files=files)
    ).status_code == 401
