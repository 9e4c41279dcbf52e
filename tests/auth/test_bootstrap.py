import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.auth.bootstrap import OPERATOR_NAME_VI, create_operator_admin, ensure_operator_admin
from app.auth.models import Membership, Organisation, OrganisationKind, OrgRole, User
from app.auth.passwords import verify_password
from app.core.audit import AuditEntry
from tests.factories import create_user

PASSWORD = "mat-khau-quan-tri-2026"


async def operator_count(session: AsyncSession) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.kind == OrganisationKind.operator)
        )
        or 0
    )


async def test_creates_operator_org_user_and_role_once(session: AsyncSession):
    had_operator = await operator_count(session)
    user_id = await ensure_operator_admin(session, "Admin@SoKHCN.hcm.vn", "Quản trị viên", PASSWORD)
    again = await ensure_operator_admin(session, "admin@sokhcn.hcm.vn", "Quản trị viên", PASSWORD)
    await session.flush()
    assert again == user_id
    assert await operator_count(session) == max(had_operator, 1)
    user = await session.get(User, user_id)
    assert user is not None
    assert user.platform_roles == ["operator_admin"]
    assert verify_password(PASSWORD, user.password_hash)
    role = await session.scalar(
        select(Membership.role)
        .join(Organisation)
        .where(Membership.user_id == user_id, Organisation.kind == OrganisationKind.operator)
    )
    assert role is OrgRole.owner
    assert (
        await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "user.create_operator_admin",
                AuditEntry.object_id == str(user_id),
            )
        )
        == 2
    )


async def test_promotes_an_existing_person(session: AsyncSession):
    person = await create_user(session, platform_roles=["broker"], is_active=False)
    user_id = await ensure_operator_admin(session, person.email, "Ignored", PASSWORD)
    await session.flush()
    assert user_id == person.id
    await session.refresh(person)
    assert person.platform_roles == ["broker", "operator_admin"]
    assert person.is_active


async def test_create_operator_admin_commits(database_url: str, engine: AsyncEngine):
    email = f"admin-{uuid.uuid4().hex[:8]}@sokhcn.hcm.vn"
    async with engine.connect() as conn:
        existing_operator = await conn.scalar(
            select(Organisation.id).where(Organisation.kind == OrganisationKind.operator)
        )
    user_id = await create_operator_admin(database_url, email, "Quản trị", PASSWORD)
    try:
        async with engine.connect() as conn:
            name = await conn.scalar(
                select(Organisation.name_vi).join(Membership).where(Membership.user_id == user_id)
            )
        assert name is not None
        if existing_operator is None:
            assert name == OPERATOR_NAME_VI
    finally:
        # It really committed: clean up so other tests see the database as it was.
        async with engine.begin() as conn:
            org_ids = (
                await conn.scalars(
                    select(Membership.organisation_id).where(Membership.user_id == user_id)
                )
            ).all()
            await conn.execute(
                delete(AuditEntry).where(
                    AuditEntry.object_id.in_([str(user_id), *map(str, org_ids)])
                )
            )
            await conn.execute(delete(User).where(User.id == user_id))
            if existing_operator is None:
                await conn.execute(delete(Organisation).where(Organisation.id.in_(org_ids)))
