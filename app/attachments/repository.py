"""Queries of attachments. Who may see one is decided by its owner object (see service)."""

import uuid
from collections import defaultdict

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.models import Attachment, AttachmentPurpose
from app.ip.models import IPRight, Valuation


async def get(session: AsyncSession, attachment_id: uuid.UUID) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


async def list_for(
    session: AsyncSession, owner: ColumnElement[bool], *, include_confidential: bool
) -> list[Attachment]:
    query = select(Attachment).where(owner)
    if not include_confidential:
        query = query.where(Attachment.confidential.is_(False))
    rows = await session.scalars(query.order_by(Attachment.created_at, Attachment.id))
    return list(rows.all())


async def purposes_by_right(
    session: AsyncSession, right_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """{right id: {purpose: number of files}} for the given rights."""
    if not right_ids:
        return {}
    rows = await session.execute(
        select(Attachment.ip_right_id, Attachment.purpose, func.count())
        .where(Attachment.ip_right_id.in_(right_ids))
        .group_by(Attachment.ip_right_id, Attachment.purpose)
    )
    found: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for right_id, purpose, count in rows.all():
        if right_id is not None:
            found[right_id][AttachmentPurpose(purpose)] = int(count)
    return dict(found)


async def listing_has_purpose(
    session: AsyncSession, listing_id: uuid.UUID, purpose: AttachmentPurpose
) -> bool:
    found = await session.scalar(
        select(exists().where(Attachment.listing_id == listing_id, Attachment.purpose == purpose))
    )
    return bool(found)


def _belongs_to_listing(listing_id: uuid.UUID) -> ColumnElement[bool]:
    """The listing's own files and those of its rights and valuations."""
    return or_(
        Attachment.listing_id == listing_id,
        Attachment.ip_right_id.in_(select(IPRight.id).where(IPRight.listing_id == listing_id)),
        Attachment.valuation_id.in_(select(Valuation.id).where(Valuation.listing_id == listing_id)),
    )


async def storage_keys(
    session: AsyncSession,
    *,
    listing_id: uuid.UUID | None = None,
    need_id: uuid.UUID | None = None,
    ip_right_id: uuid.UUID | None = None,
    valuation_id: uuid.UUID | None = None,
) -> list[str]:
    conditions = []
    if listing_id is not None:
        conditions.append(_belongs_to_listing(listing_id))
    if need_id is not None:
        conditions.append(Attachment.need_id == need_id)
    if ip_right_id is not None:
        conditions.append(Attachment.ip_right_id == ip_right_id)
    if valuation_id is not None:
        conditions.append(Attachment.valuation_id == valuation_id)
    if not conditions:
        return []
    rows = await session.scalars(select(Attachment.storage_key).where(or_(*conditions)))
    return list(rows.all())
