"""Errors of uploads and attachments."""

from app.core.errors import (
    BadRequest,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)


class AttachmentNotFound(NotFound):
    title = "Attachment not found"


class NeedNotFound(NotFound):
    title = "Need not found"


class FileTooLarge(PayloadTooLarge):
    title = "File too large"


class FileTypeRefused(UnsupportedMediaType):
    title = "File type not accepted"


class NotMultipart(UnsupportedMediaType):
    title = "Send the file as multipart/form-data"


class MalformedUpload(BadRequest):
    slug, title = "malformed-upload", "Malformed multipart body"


class UploadInvalid(ValidationFailed):
    title = "Invalid upload"
