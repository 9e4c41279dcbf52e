"""Data builders for tests: `create_x(session, **overrides)`, plus a signed-in header helper."""

import itertools
import uuid
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Membership, Organisation, OrganisationKind, OrgRole, User
from app.auth.passwords import hash_password
from app.auth.scopes import USER_SCOPES
from app.auth.tokens import issue_access_token
from app.core.config import Settings

_seq = itertools.count(1)
DEFAULT_PASSWORD = "mat-khau-Rat-Manh-2026"
_PASSWORD_HASH = hash_password(DEFAULT_PASSWORD)  # argon2 is slow on purpose; hash once


async def create_organisation(session: AsyncSession, **overrides: Any) -> Organisation:
    n = next(_seq)
    values: dict[str, Any] = {
        "kind": OrganisationKind.institute,
        "name_vi": f"Viện Nghiên cứu Công nghệ số {n}",
        "name_en": f"Digital Technology Institute {n}",
        "region": "hcm",
        "source_exchange": "hcm",
    }
    values.update(overrides)
    org = Organisation(**values)
    session.add(org)
    await session.flush()
    return org


async def create_user(
    session: AsyncSession,
    organisation: Organisation | None = None,
    role: OrgRole = OrgRole.member,
    **overrides: Any,
) -> User:
    n = next(_seq)
    values: dict[str, Any] = {
        "email": f"nguoi-dung-{n}-{uuid.uuid4().hex[:6]}@example.vn",
        "full_name": f"Nguyễn Văn Đức {n}",
        "password_hash": _PASSWORD_HASH,
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    await session.flush()
    if organisation is not None:
        session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
        await session.flush()
    return user


def bearer(settings: Settings, user: User, ttl: int = 600) -> dict[str, str]:
    token = issue_access_token(settings, f"user:{user.id}", USER_SCOPES, ttl)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth_headers(settings: Settings):  # type: ignore[no-untyped-def]
    """`auth_headers(user)` -> Authorization header for that user."""

    def make(user: User) -> dict[str, str]:
        return bearer(settings, user)

    return make
