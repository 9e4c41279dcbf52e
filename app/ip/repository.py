"""Queries of IP rights and valuations. Visibility is the listing's (app.listings.access)."""

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation
from app.ip.models import IPRight, IPRightStatus, Valuation


async def list_rights(session: AsyncSession, listing_id: uuid.UUID) -> list[IPRight]:
    rows = await session.scalars(
        select(IPRight)
        .where(IPRight.listing_id == listing_id)
        .order_by(IPRight.created_at, IPRight.id)
    )
    return list(rows.all())


async def get_right(
    session: AsyncSession, listing_id: uuid.UUID, right_id: uuid.UUID
) -> IPRight | None:
    return await session.scalar(
        select(IPRight).where(IPRight.id == right_id, IPRight.listing_id == listing_id)
    )


async def count_rights(session: AsyncSession, listing_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(IPRight).where(IPRight.listing_id == listing_id)
    )
    return int(count or 0)


async def list_valuations(session: AsyncSession, listing_id: uuid.UUID) -> list[Valuation]:
    rows = await session.scalars(
        select(Valuation)
        .where(Valuation.listing_id == listing_id)
        .order_by(Valuation.valuation_date.desc(), Valuation.created_at.desc(), Valuation.id)
    )
    return list(rows.all())


async def get_valuation(
    session: AsyncSession, listing_id: uuid.UUID, valuation_id: uuid.UUID
) -> Valuation | None:
    return await session.scalar(
        select(Valuation).where(Valuation.id == valuation_id, Valuation.listing_id == listing_id)
    )


async def existing_organisations(
    session: AsyncSession, organisation_ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    if not organisation_ids:
        return set()
    rows = await session.scalars(
        select(Organisation.id).where(Organisation.id.in_(organisation_ids))
    )
    return set(rows.all())


async def listings_with_lapsed_grants(session: AsyncSession, today: date) -> list[uuid.UUID]:
    """Listings holding a right still recorded as granted whose expiry date has passed."""
    rows = await session.scalars(
        select(IPRight.listing_id)
        .where(IPRight.status == IPRightStatus.granted, IPRight.expiry_date < today)
        .distinct()
        .order_by(IPRight.listing_id)
    )
    return list(rows.all())
