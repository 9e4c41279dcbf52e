"""The streaming receiver, storage placement and file-name rules, without HTTP."""

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.exceptions import FileTooLarge, FileTypeRefused, MalformedUpload, NotMultipart
from app.attachments.router import content_disposition
from app.attachments.service import clean_filename
from app.attachments.storage import FileStorage, new_key, remove_on_rollback
from app.attachments.upload import receive, sniff
from tests.factories import create_organisation
from tests.ip.helpers import EXE, JPEG, PDF, PNG, WEBP

BOUNDARY = "techx-test-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def part_head(name: str, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()


def body(content: bytes, **fields: str) -> bytes:
    out = b"".join(part_head(k) + v.encode() + b"\r\n" for k, v in fields.items())
    return out + part_head("file", "tệp.pdf") + content + f"\r\n--{BOUNDARY}--\r\n".encode()


async def chunks(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


@pytest.fixture
def storage(tmp_path: Path) -> FileStorage:
    return FileStorage(tmp_path / "uploads")


def leftovers(storage: FileStorage) -> list[Path]:
    return list(storage.incoming.iterdir()) if storage.incoming.exists() else []


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (EXE, None),
        (b"RIFF\x00\x00\x00\x00WAVE", None),  # RIFF, but audio
        (b"\x89PNG", None),  # truncated signature
        (b"", None),
    ],
)
def test_sniff(head: bytes, expected: str | None) -> None:
    assert sniff(head[:12]) == expected


async def test_fields_and_file_arrive_in_small_chunks(storage: FileStorage) -> None:
    form = await receive(
        CONTENT_TYPE,
        None,
        chunks(body(PDF, purpose="document", confidential="false")),
        storage,
        10_000,
    )
    assert form.fields == {"purpose": "document", "confidential": "false"}
    assert form.file is not None
    assert form.file.filename == "tệp.pdf"
    assert form.file.size == len(PDF)
    assert form.file.sha256 == hashlib.sha256(PDF).hexdigest()
    assert form.file.temp_path.read_bytes() == PDF


async def test_reading_stops_as_soon_as_the_limit_is_passed(storage: FileStorage) -> None:
    read = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal read
        yield part_head("file", "lon.pdf") + PDF
        while True:
            read += 1
            yield b"0" * 1024

    with pytest.raises(FileTooLarge):
        await receive(CONTENT_TYPE, None, endless(), storage, 10 * 1024)
    assert read <= 11  # about the limit, not the (endless) body
    assert leftovers(storage) == []


async def test_a_declared_length_over_the_limit_is_refused_before_reading(
    storage: FileStorage,
) -> None:
    async def untouchable() -> AsyncIterator[bytes]:
        raise AssertionError("the body must not be read")
        yield b""  # pragma: no cover

    with pytest.raises(FileTooLarge):
        await receive(CONTENT_TYPE, str(50 * 1024 * 1024), untouchable(), storage, 1024)


async def test_an_executable_is_refused_after_its_first_bytes(storage: FileStorage) -> None:
    read = 0

    async def program() -> AsyncIterator[bytes]:
        nonlocal read
        yield part_head("file", "hoa-don.pdf") + EXE[:16]
        while True:
            read += 1
            yield b"\x00" * 1024

    with pytest.raises(FileTypeRefused):
        await receive(CONTENT_TYPE, None, program(), storage, 10**9)
    assert read == 0
    assert leftovers(storage) == []


async def test_malformed_bodies(storage: FileStorage) -> None:
    with pytest.raises(NotMultipart):
        await receive("application/json", None, chunks(b"{}"), storage, 1000)
    with pytest.raises(NotMultipart):
        await receive("multipart/form-data", None, chunks(b""), storage, 1000)
    truncated = part_head("file", "x.pdf") + PDF  # no closing boundary
    with pytest.raises(MalformedUpload):
        await receive(CONTENT_TYPE, None, chunks(truncated), storage, 1000)
    assert leftovers(storage) == []
    two = part_head("file", "a.pdf") + PDF + b"\r\n" + body(PDF)
    with pytest.raises(MalformedUpload):
        await receive(CONTENT_TYPE, None, chunks(two), storage, 1000)
    assert leftovers(storage) == []
    long_field = body(PDF, purpose="x" * 5000)
    with pytest.raises(MalformedUpload):
        await receive(CONTENT_TYPE, None, chunks(long_field, 1024), storage, 100_000)


async def test_place_moves_the_file_under_its_key(storage: FileStorage) -> None:
    temp = await storage.temp_path()
    temp.write_bytes(PDF)
    key = new_key()
    path = await storage.place(temp, key)
    assert path == storage.root / key[:2] / key
    assert path.read_bytes() == PDF
    assert not temp.exists()
    with pytest.raises(ValueError, match="storage key"):
        storage.path_for("../../etc/passwd")


async def test_a_rolled_back_upload_leaves_no_file(
    session: AsyncSession, storage: FileStorage
) -> None:
    temp = await storage.temp_path()
    temp.write_bytes(PDF)
    path = await storage.place(temp, new_key())
    await create_organisation(session)
    remove_on_rollback(session, path)
    await session.rollback()
    assert not path.exists()


@pytest.mark.parametrize(
    ("raw", "content_type", "expected"),
    [
        ("C:\\Users\\an\\Desktop\\hợp đồng.pdf", "application/pdf", "hợp đồng.pdf"),
        ("../../../etc/passwd", "application/pdf", "passwd.pdf"),
        ('a"b;c\r\nd.PDF', "application/pdf", "a_b_c_d.pdf"),
        ("  ...  ", "image/png", "tep-dinh-kem.png"),
        ("photo.jpg", "image/png", "photo.png"),
        ("setup.exe", "application/pdf", "setup.exe.pdf"),
        ("hoa-don\u202egpj.exe", "application/pdf", "hoa-don_gpj.exe.pdf"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 251 + ".pdf"),
    ],
)
def test_clean_filename(raw: str, content_type: str, expected: str) -> None:
    assert clean_filename(raw, content_type) == expected


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name() -> None:
    header = content_disposition("Bản vẽ Đà Lạt.pdf")
    assert header == (
        'attachment; filename="Ban ve Da Lat.pdf"; '
        "filename*=UTF-8''B%E1%BA%A3n%20v%E1%BA%BD%20%C4%90%C3%A0%20L%E1%BA%A1t.pdf"
    )
