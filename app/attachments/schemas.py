"""Attachment metadata as the API shows it."""

import uuid
from datetime import datetime

from pydantic import computed_field

from app.attachments.models import AttachmentPurpose
from app.core.schemas import Schema


class Attachment(Schema):
    id: uuid.UUID
    listing_id: uuid.UUID | None
    need_id: uuid.UUID | None
    ip_right_id: uuid.UUID | None
    valuation_id: uuid.UUID | None
    purpose: AttachmentPurpose
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    confidential: bool
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def download_url(self) -> str:
        return f"/api/v1/attachments/{self.id}/content"
