"""Builders for contract tests: an accepted connection and a draft ready to sign."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrganisationKind, User
from app.connections.models import (
    Connection,
    ConnectionChannel,
    ConnectionInitiator,
    ConnectionStatus,
)
from app.core.db import utcnow
from app.listings.models import Listing
from tests.connections.helpers import member
from tests.factories import create_listing

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

LICENCE: dict[str, Any] = {
    "title": "Hợp đồng chuyển giao quyền sử dụng công nghệ sấy lạnh",
    "contract_type": "licence_exclusive",
    "licence_territory": "Đông Nam Bộ",
    "sublicensing_allowed": False,
    "form": "standalone",
    "methods": ["documents", "training", "experts"],
    "value_vnd": 2_000_000_000,
    "payment_terms": "lump_sum",
    "sector": "food_processing",
    "vsic_section": "C",
}


@dataclass
class Deal:
    listing: Listing
    connection: Connection
    institute: Organisation
    supplier: User
    company: Organisation
    buyer: User


async def deal(
    session: AsyncSession, status: ConnectionStatus = ConnectionStatus.accepted, **values: Any
) -> Deal:
    """An institute's listing and a company, connected (accepted unless told otherwise)."""
    institute, supplier = await member(session)
    company, buyer = await member(session, OrganisationKind.enterprise)
    listing = await create_listing(session, institute)
    now = utcnow()
    connection = Connection(
        listing_id=listing.id,
        supplier_organisation_id=institute.id,
        seeker_organisation_id=company.id,
        initiator=ConnectionInitiator.seeker,
        channel=ConnectionChannel.online,
        status=status,
        seeker_accepted_at=now,
        supplier_accepted_at=None if status is ConnectionStatus.requested else now,
        accepted_at=None if status is ConnectionStatus.requested else now,
        **values,
    )
    session.add(connection)
    await session.flush()
    return Deal(listing, connection, institute, supplier, company, buyer)
