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
from app.core.db import utcnow
from app.listings.models import (
    TIER_BY_KIND,
    IPDeclaration,
    Listing,
    ListingKind,
    ListingStatus,
)
from app.needs.models import Need, NeedStatus

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


async def create_listing(
    session: AsyncSession, organisation: Organisation | None = None, **overrides: Any
) -> Listing:
    """A complete technology listing (published unless `status` says otherwise)."""
    organisation = organisation or await create_organisation(session)
    kind = ListingKind(overrides.pop("kind", ListingKind.technology))
    n = next(_seq)
    values: dict[str, Any] = {
        "organisation_id": organisation.id,
        "kind": kind,
        "tier": TIER_BY_KIND[kind],
        "status": ListingStatus.published,
        "title_vi": f"Công nghệ sấy lạnh nông sản thế hệ {n}",
        "title_en": f"Cold drying technology for farm produce, generation {n}",
        "summary_vi": "Sấy lạnh giữ màu và vi chất của trái cây, rau củ.",
        "technical_description": "Buồng sấy bơm nhiệt, điều khiển độ ẩm tự động.",
        "process_summary": "Quy trình sấy 3 giai đoạn, thông số bí quyết.",
        "sectors": ["food_processing"],
        "region": "hcm",
        "source_exchange": "hcm",
        "trl": None if kind is ListingKind.equipment else 6,
        "ip_declaration": None if kind is ListingKind.equipment else IPDeclaration.none,
    }
    if kind is ListingKind.equipment:
        values.update(specifications="Công suất 500 kg/mẻ", condition="new", quantity=1)
    values.update(overrides)
    if values["status"] == ListingStatus.published:
        values.setdefault("published_at", utcnow())
    listing = Listing(**values)
    session.add(listing)
    await session.flush()
    return listing


async def create_need(
    session: AsyncSession, organisation: Organisation | None = None, **overrides: Any
) -> Need:
    """A published enterprise need (override `status` for other states)."""
    organisation = organisation or await create_organisation(
        session, kind=OrganisationKind.enterprise
    )
    values: dict[str, Any] = {
        "organisation_id": organisation.id,
        "status": NeedStatus.published,
        "title_vi": "Cần công nghệ sấy trái cây giữ màu tự nhiên",
        "problem_statement": "Xoài sấy bị thâm màu, mất vitamin; cần công nghệ sấy nhiệt độ thấp.",
        "sectors": ["food_processing"],
        "min_trl": 6,
        "region": "hcm",
    }
    values.update(overrides)
    if values["status"] == NeedStatus.published:
        values.setdefault("published_at", utcnow())
    need = Need(**values)
    session.add(need)
    await session.flush()
    return need


def bearer(settings: Settings, user: User, ttl: int = 600) -> dict[str, str]:
    token = issue_access_token(settings, f"user:{user.id}", USER_SCOPES, ttl)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth_headers(settings: Settings):  # type: ignore[no-untyped-def]
    """`auth_headers(user)` -> Authorization header for that user."""

    def make(user: User) -> dict[str, str]:
        return bearer(settings, user)

    return make
