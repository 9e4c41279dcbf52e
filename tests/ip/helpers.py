"""Builders for IP and attachment tests: people, rights, valuations, attachment rows, files."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.models import Attachment, AttachmentPurpose
from app.auth.models import Organisation, OrganisationKind, OrgRole, User
from app.core.audit import AuditEntry
from app.ip.models import IPRight, IPRightStatus, Valuation, ValuationMethod
from app.listings.models import Listing
from tests.factories import create_listing, create_organisation, create_user

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@dataclass
class Owner:
    """An organisation with a member and a listing of theirs.

    Ids are kept as plain values: a failed request rolls the shared test session back, which
    expires every loaded object (reading an attribute would then need a reload).
    """

    organisation: Organisation
    user: User
    listing: Listing
    listing_id: uuid.UUID
    organisation_id: uuid.UUID
    user_id: uuid.UUID


async def owner_with_listing(session: AsyncSession, **listing_values: Any) -> Owner:
    organisation = await create_organisation(session)
    user = await create_user(session, organisation, OrgRole.member)
    listing = await create_listing(session, organisation, **listing_values)
    return Owner(organisation, user, listing, listing.id, organisation.id, user.id)


async def settle(session: AsyncSession) -> None:
    """Commit the test's setup (a savepoint), so failing requests roll back only their own work."""
    await session.commit()


async def outsider(session: AsyncSession) -> User:
    """A signed-in member of an unrelated enterprise."""
    organisation = await create_organisation(session, kind=OrganisationKind.enterprise)
    return await create_user(session, organisation, OrgRole.member)


async def moderator(session: AsyncSession) -> User:
    operator = await create_organisation(session, kind=OrganisationKind.operator)
    return await create_user(session, operator, platform_roles=["moderator"])


async def add_right(session: AsyncSession, listing: Listing, **overrides: Any) -> IPRight:
    values: dict[str, Any] = {
        "listing_id": listing.id,
        "right_type": "invention_patent",
        "title": "Phương pháp sấy lạnh trái cây",
        "status": IPRightStatus.granted,
        "number": "1-0012345",
        "application_number": "1-2019-01234",
        "jurisdiction": "VN",
        "filing_date": date(2019, 3, 1),
        "grant_date": date(2021, 6, 1),
        "expiry_date": date(2039, 3, 1),
        "owners": [{"name": "Viện Công nghệ", "organisation_id": None, "share_pct": 100}],
    }
    values.update(overrides)
    right = IPRight(**values)
    session.add(right)
    await session.flush()
    return right


async def add_valuation(session: AsyncSession, listing: Listing, **overrides: Any) -> Valuation:
    values: dict[str, Any] = {
        "listing_id": listing.id,
        "method": ValuationMethod.income,
        "value": 2_500_000_000,
        "currency": "VND",
        "valuation_date": date(2025, 12, 1),
        "valuer_name": "Công ty Thẩm định giá Sài Gòn",
        "independent": True,
        "verified": True,
    }
    values.update(overrides)
    valuation = Valuation(**values)
    session.add(valuation)
    await session.flush()
    return valuation


async def add_attachment_row(
    session: AsyncSession, purpose: AttachmentPurpose, **owner: uuid.UUID
) -> Attachment:
    """An attachment row without a file (enough for the dossier rules)."""
    row = Attachment(
        purpose=purpose,
        filename="giay-chung-nhan.pdf",
        content_type="application/pdf",
        size_bytes=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        storage_key=secrets.token_hex(20),
        confidential=True,
        **owner,
    )
    session.add(row)
    await session.flush()
    return row


async def audit_actions(session: AsyncSession, object_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_id == str(object_id))
        .order_by(AuditEntry.at)
    )
    return list(rows.all())
