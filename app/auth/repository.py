"""Identity queries. Emails are compared lower-case, as the unique index on lower(email) does."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.auth.models import (
    Invitation,
    Membership,
    OAuthClient,
    Organisation,
    OrganisationKind,
    OrgRole,
    PasswordResetToken,
    PlatformRole,
    RefreshToken,
    User,
)


def same_email(column: Any, email: str) -> ColumnElement[bool]:
    return func.lower(column) == email.lower()


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(same_email(User.email, email)))


async def tax_code_taken(
    session: AsyncSession, tax_code: str, exclude_id: uuid.UUID | None = None
) -> bool:
    query = select(Organisation.id).where(Organisation.tax_code == tax_code)
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    return await session.scalar(query.limit(1)) is not None


async def memberships_of(session: AsyncSession, user_id: uuid.UUID) -> list[Membership]:
    rows = await session.scalars(
        select(Membership)
        .options(joinedload(Membership.organisation))
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at)
    )
    return list(rows.all())


async def members_of(session: AsyncSession, organisation_id: uuid.UUID) -> list[Membership]:
    rows = await session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.organisation_id == organisation_id)
        .order_by(Membership.created_at)
    )
    return list(rows.all())


async def get_membership(
    session: AsyncSession, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> Membership | None:
    # Locked so two concurrent demotions cannot both see "another owner remains".
    return await session.scalar(
        select(Membership)
        .where(Membership.organisation_id == organisation_id, Membership.user_id == user_id)
        .with_for_update()
    )


async def owner_ids(session: AsyncSession, organisation_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Membership.user_id)
        .where(Membership.organisation_id == organisation_id, Membership.role == OrgRole.owner)
        .with_for_update()
    )
    return list(rows.all())


def organisations_query(
    kind: OrganisationKind | None, region: str | None, verified: bool | None, q: str | None
) -> Select[Organisation]:
    query = select(Organisation)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    if region is not None:
        query = query.where(Organisation.region == region)
    if verified is not None:
        query = query.where(Organisation.verified.is_(verified))
    if q:
        # unaccent folds tone marks and đ, so "vien cong nghe" finds "Viện Công nghệ".
        pattern = func.unaccent("%" + _escape_like(q) + "%")
        query = query.where(
            or_(
                func.unaccent(Organisation.name_vi).ilike(pattern, escape="\\"),
                func.unaccent(func.coalesce(Organisation.name_en, "")).ilike(pattern, escape="\\"),
            )
        )
    return query.order_by(Organisation.name_vi, Organisation.id)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def get_operator_organisation(session: AsyncSession) -> Organisation | None:
    return await session.scalar(
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.operator)
        .order_by(Organisation.created_at)
        .limit(1)
    )


async def get_invitation_by_hash(session: AsyncSession, token_hash: str) -> Invitation | None:
    return await session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash).with_for_update()
    )


async def get_invitation(
    session: AsyncSession, organisation_id: uuid.UUID, invitation_id: uuid.UUID
) -> Invitation | None:
    return await session.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id, Invitation.organisation_id == organisation_id
        )
    )


def invitations_query(organisation_id: uuid.UUID) -> Select[Invitation]:
    return (
        select(Invitation)
        .where(Invitation.organisation_id == organisation_id)
        .order_by(Invitation.created_at.desc(), Invitation.id)
    )


async def revoke_open_invitations(
    session: AsyncSession, organisation_id: uuid.UUID, email: str, now: datetime
) -> None:
    await session.execute(
        update(Invitation)
        .where(
            Invitation.organisation_id == organisation_id,
            same_email(Invitation.email, email),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


async def get_refresh_token(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    # Locked: two concurrent uses of one token serialise, and the second is seen as reuse.
    return await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
    )


async def revoke_refresh_tokens(
    session: AsyncSession,
    now: datetime,
    *,
    family_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
) -> None:
    condition = (
        RefreshToken.family_id == family_id if family_id else RefreshToken.user_id == user_id
    )
    await session.execute(
        update(RefreshToken)
        .where(condition, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def get_reset_token(session: AsyncSession, token_hash: str) -> PasswordResetToken | None:
    return await session.scalar(
        select(PasswordResetToken)
        .where(PasswordResetToken.token_hash == token_hash)
        .with_for_update()
    )


async def close_reset_tokens(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )


async def get_client_by_client_id(session: AsyncSession, client_id: str) -> OAuthClient | None:
    return await session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))


def clients_query() -> Select[OAuthClient]:
    return select(OAuthClient).order_by(OAuthClient.created_at.desc(), OAuthClient.id)


async def other_operator_admins(session: AsyncSession, user_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(User)
        .where(
            and_(
                User.platform_roles.contains([PlatformRole.operator_admin.value]),
                User.is_active,
                User.id != user_id,
            )
        )
    )
    return int(count or 0)
