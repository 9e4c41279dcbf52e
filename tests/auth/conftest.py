"""Identity test helpers: sign-in, a registration payload, an operator admin, the dev mailer."""

import re
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrganisationKind, OrgRole, PlatformRole, User
from app.core.config import Settings
from app.core.mailer import LogMailer, get_mailer
from tests.factories import DEFAULT_PASSWORD, create_organisation, create_user

TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
def mailer(settings: Settings) -> LogMailer:
    mailer = get_mailer(settings)
    assert isinstance(mailer, LogMailer)
    mailer.sent.clear()
    return mailer


async def login(
    client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD, **extra: str
) -> httpx.Response:
    data = {"grant_type": "password", "username": email, "password": password, **extra}
    return await client.post(TOKEN_URL, data=data)


def bearer_of(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": "Le.Thi.Hoa@Vien-CNSH.vn",
        "password": "mat-khau-du-dai-2026",
        "full_name": "Lê Thị Hoa",
        "locale": "vi",
        "organisation": {
            "kind": "institute",
            "name_vi": "Viện Công nghệ Sinh học",
            "name_en": "Institute of Biotechnology",
            "tax_code": "0312345678",
            "region": "hcm",
        },
    }
    body.update(overrides)
    return body


def link_token(body: str, param: str) -> str:
    match = re.search(rf"{param}=([\w-]+)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
async def operator_admin(session: AsyncSession) -> User:
    operator = await create_organisation(session, kind=OrganisationKind.operator)
    return await create_user(
        session, operator, OrgRole.owner, platform_roles=[PlatformRole.operator_admin.value]
    )


@pytest.fixture
async def moderator(session: AsyncSession) -> User:
    return await create_user(session, platform_roles=[PlatformRole.moderator.value])
