"""Receive one uploaded file from a multipart body as it streams in.

Starlette's form parser spools a whole file before the route runs, whatever its size; here the
body is parsed chunk by chunk, the size limit and the file type (sniffed from the first bytes —
the filename and the client's content type are not trusted) are enforced as data arrives, and
the request stops being read as soon as either fails. Memory use is one chunk.
"""

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from app.attachments.exceptions import (
    FileTooLarge,
    FileTypeRefused,
    MalformedUpload,
    NotMultipart,
    UploadInvalid,
)
from app.attachments.storage import FileStorage
from app.core.errors import field_error

FILE_FIELD = "file"
FORM_OVERHEAD = 64 * 1024  # part headers and small fields around the file
MAX_FIELD_BYTES = 1024
MAX_PARTS = 10
SNIFF_BYTES = 12

# Accepted types and the extensions a downloaded file gets.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
}
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"PK\x03\x04",
)


def sniff(head: bytes) -> str | None:
    """The content type from magic bytes, or None when it is not an accepted type."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _refuse(head: bytes) -> FileTypeRefused:
    accepted = "PDF, PNG, JPEG or WebP"
    if head.startswith(_EXECUTABLE_MAGIC):
        return FileTypeRefused(f"Programs and archives are not accepted; upload {accepted}.")
    return FileTypeRefused(f"The file content is not {accepted} (the file name does not count).")


@dataclass
class ReceivedFile:
    temp_path: Path
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass
class ReceivedForm:
    fields: dict[str, str] = field(default_factory=dict)
    file: ReceivedFile | None = None


class _Reader:
    """Collects python-multipart callbacks; the async loop then acts on them chunk by chunk."""

    def __init__(self, storage: FileStorage, max_bytes: int) -> None:
        self.storage, self.max_bytes = storage, max_bytes
        self.events: list[tuple[str, Any]] = []
        self._field, self._value = bytearray(), bytearray()
        self._headers: dict[bytes, bytes] = {}
        self.form = ReceivedForm()
        self.parts = 0
        self._kind: str | None = None  # "file", "field" or "skip" for the current part
        self._name = ""
        self._buffer = bytearray()
        self._head = bytearray()
        self._type: str | None = None
        self._out: Any = None
        self._temp: Path | None = None
        self._size = 0
        self._hash = hashlib.sha256()
        self._filename = ""

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_header_field": lambda d, s, e: self._field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": lambda d, s, e: self.events.append(("data", bytes(d[s:e]))),
            "on_part_end": lambda: self.events.append(("end", None)),
        }

    def _header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        self.events.append(("part", self._headers))
        self._headers = {}

    async def handle(self) -> None:
        events, self.events = self.events, []
        for kind, value in events:
            if kind == "part":
                await self._begin(value)
            elif kind == "data":
                await self._data(value)
            else:
                await self._end()

    async def _begin(self, headers: dict[bytes, bytes]) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise MalformedUpload(f"Too many form parts (at most {MAX_PARTS}).")
        # Browsers send UTF-8 names raw; the parser round-trips bytes through latin-1.
        _, params = parse_options_header(headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        self._buffer.clear()
        if b"filename" not in params:
            self._kind = "field"
        elif self._name == FILE_FIELD and self.form.file is None and self._temp is None:
            self._kind = "file"
            self._filename = _html5_unescape(params[b"filename"].decode("utf-8", "replace"))
            self._temp = await self.storage.temp_path()
            self._out = await anyio.open_file(self._temp, "xb")
        elif self._name == FILE_FIELD:
            raise MalformedUpload("Send exactly one file per upload.")
        else:
            self._kind = "skip"  # a file under another name: read past it, keep nothing

    async def _data(self, chunk: bytes) -> None:
        if self._kind == "field":
            self._buffer.extend(chunk)
            if len(self._buffer) > MAX_FIELD_BYTES:
                raise MalformedUpload(f"The form field '{self._name}' is too long.")
        elif self._kind == "file":
            await self._file_data(chunk)

    async def _file_data(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self.max_bytes:
            raise FileTooLarge(f"The file is larger than {self.max_bytes} bytes.")
        if self._type is None:
            self._head.extend(chunk[: SNIFF_BYTES - len(self._head)])
            if len(self._head) >= SNIFF_BYTES:
                self._type = self._sniffed()
        self._hash.update(chunk)
        await self._out.write(chunk)

    def _sniffed(self) -> str:
        found = sniff(bytes(self._head))
        if found is None:
            raise _refuse(bytes(self._head))
        return found

    async def _end(self) -> None:
        if self._kind == "field":
            self.form.fields[self._name] = self._buffer.decode("utf-8", "replace")
        elif self._kind == "file":
            await self._out.aclose()
            self._out = None
            if self._size == 0:
                raise UploadInvalid(
                    "The file is empty.", errors=[field_error(["body", FILE_FIELD], "empty file")]
                )
            content_type = self._type or self._sniffed()
            assert self._temp is not None
            self.form.file = ReceivedFile(
                self._temp, self._filename, content_type, self._size, self._hash.hexdigest()
            )
        self._kind = None

    @property
    def inside_part(self) -> bool:
        return self._kind is not None

    async def discard(self) -> None:
        if self._out is not None:
            await self._out.aclose()
        if self._temp is not None:
            await self.storage.remove(self._temp)


def _html5_unescape(name: str) -> str:
    """Browsers (and httpx) send `"`, CR and LF in file names as %22, %0D, %0A (WHATWG)."""
    return name.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


def _boundary(content_type: str | None) -> bytes:
    ctype, params = parse_options_header(content_type)
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise NotMultipart("Upload files as multipart/form-data with a 'file' field.")
    return params[b"boundary"]


def _check_declared_length(content_length: str | None, max_bytes: int) -> None:
    if (
        content_length
        and content_length.isdigit()
        and int(content_length) > max_bytes + FORM_OVERHEAD
    ):
        raise FileTooLarge(f"The upload is larger than {max_bytes} bytes.")


async def receive(
    content_type: str | None,
    content_length: str | None,
    body: AsyncIterator[bytes],
    storage: FileStorage,
    max_bytes: int,
) -> ReceivedForm:
    """Parse the body into small fields and one file written to a temporary path.

    On success the caller owns the temporary file (place it or remove it); on error it is gone.
    """
    boundary = _boundary(content_type)
    _check_declared_length(content_length, max_bytes)
    reader = _Reader(storage, max_bytes)
    parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
    total = 0
    try:
        async for chunk in body:
            total += len(chunk)
            if total > max_bytes + FORM_OVERHEAD:
                raise FileTooLarge(f"The upload is larger than {max_bytes} bytes.")
            parser.write(chunk)
            await reader.handle()
        parser.finalize()
        await reader.handle()
    except FormParserError as exc:
        await reader.discard()
        raise MalformedUpload(f"The multipart body could not be read: {exc}") from exc
    except BaseException:
        await reader.discard()
        raise
    if reader.inside_part:
        await reader.discard()
        raise MalformedUpload("The multipart body ended before its closing boundary.")
    return reader.form
