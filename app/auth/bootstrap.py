"""First operator admin (`techx create-admin`): the operator organisation, the person, the role."""

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.models import Membership, Organisation, OrganisationKind, OrgRole, PlatformRole, User
from app.auth.passwords import hash_password
from app.core import audit
from app.core.db import create_engine, create_sessionmaker, unit_of_work, utcnow

OPERATOR_NAME_VI = "Trung tâm Thông tin, Thống kê và Ứng dụng tiến bộ KH&CN TP.HCM"
OPERATOR_NAME_EN = "HCMC Centre for S&T Information, Statistics and Application"


async def create_operator_admin(
    database_url: str, email: str, full_name: str, password: str
) -> uuid.UUID:
    """Idempotent: create or promote the person; the password given becomes theirs."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, unit_of_work(session):
            return await ensure_operator_admin(session, email, full_name, password)
    finally:
        await engine.dispose()


async def ensure_operator_admin(
    session: AsyncSession, email: str, full_name: str, password: str
) -> uuid.UUID:
    """The operator organisation if missing, the user as its owner, platform role operator_admin."""
    operator = await _operator_organisation(session)
    password_hash = await asyncio.to_thread(hash_password, password)
    user = await repository.get_user_by_email(session, email)
    created = user is None
    if user is None:
        user = User(email=email.strip(), full_name=full_name, password_hash=password_hash)
        session.add(user)
        await session.flush()
    else:
        user.password_hash, user.is_active = password_hash, True
    if PlatformRole.operator_admin.value not in user.platform_roles:
        user.platform_roles = [*user.platform_roles, PlatformRole.operator_admin.value]
    membership = await repository.get_membership(session, operator.id, user.id)
    if membership is None:
        session.add(Membership(user_id=user.id, organisation_id=operator.id, role=OrgRole.owner))
    else:
        membership.role = OrgRole.owner
    await session.flush()  # the session does not autoflush; a second call must see this one
    await audit.record(
        session,
        None,
        "user.create_operator_admin",
        "user",
        user.id,
        changes={"email": user.email, "created": created, "organisation_id": operator.id},
        summary="techx create-admin",
    )
    return user.id


async def _operator_organisation(session: AsyncSession) -> Organisation:
    operator = await repository.get_operator_organisation(session)
    if operator is None:
        operator = Organisation(
            kind=OrganisationKind.operator,
            name_vi=OPERATOR_NAME_VI,
            name_en=OPERATOR_NAME_EN,
            region="hcm",
            source_exchange="hcm",
            verified=True,
            verified_at=utcnow(),
        )
        session.add(operator)
        await session.flush()
        await audit.record(
            session,
            None,
            "organisation.create",
            "organisation",
            operator.id,
            changes={"kind": operator.kind, "name_vi": operator.name_vi},
            summary="techx create-admin",
        )
    return operator
