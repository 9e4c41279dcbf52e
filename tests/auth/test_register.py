import unicodedata

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.exceptions import EmailTaken
from app.auth.models import Membership, Organisation, OrganisationKind, OrgRole, User
from app.auth.service import flush_unique
from app.core.audit import AuditEntry
from tests.auth.conftest import bearer_of, login, registration
from tests.factories import create_organisation, create_user

REGISTER = "/api/v1/auth/register"


async def test_register_then_sign_in_then_me(client: httpx.AsyncClient, session: AsyncSession):
    response = await client.post(REGISTER, json=registration())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["email"] == "Le.Thi.Hoa@vien-cnsh.vn"  # local part kept as given
    assert body["memberships"][0]["role"] == "owner"

    token = await login(client, "le.thi.hoa@VIEN-CNSH.vn", "mat-khau-du-dai-2026")
    assert token.status_code == 200, token.text
    me = await client.get("/api/v1/me", headers=bearer_of(token))
    assert me.status_code == 200
    data = me.json()
    assert data["kind"] == "user"
    assert data["user"]["full_name"] == "Lê Thị Hoa"
    assert [m["organisation"]["name_vi"] for m in data["memberships"]] == [
        "Viện Công nghệ Sinh học"
    ]
    assert data["memberships"][0]["organisation"]["kind"] == "institute"
    assert "listings:write" in data["scopes"]

    org = await session.scalar(select(Organisation).where(Organisation.tax_code == "0312345678"))
    assert org is not None
    assert org.verified is False
    role = await session.scalar(select(Membership.role).where(Membership.organisation_id == org.id))
    assert role is OrgRole.owner
    actions = set(
        (
            await session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.object_id.in_([str(org.id), body["user"]["id"]])
                )
            )
        ).all()
    )
    assert {"user.register", "organisation.create", "auth.login"} <= actions


async def test_password_is_hashed(client: httpx.AsyncClient, session: AsyncSession):
    await client.post(REGISTER, json=registration())
    user = await session.scalar(select(User).where(User.full_name == "Lê Thị Hoa"))
    assert user is not None
    assert user.password_hash
    assert user.password_hash.startswith("$argon2id$")


async def test_invalid_email_is_422_naming_email(client: httpx.AsyncClient):
    response = await client.post(REGISTER, json=registration(email="not-an-email"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.email"]


async def test_short_password_is_422(client: httpx.AsyncClient):
    response = await client.post(REGISTER, json=registration(password="ngan123"))
    assert response.status_code == 422
    assert "body.password" in {e["field"] for e in response.json()["errors"]}


async def test_duplicate_email_in_other_case_is_409(
    client: httpx.AsyncClient, session: AsyncSession
):
    await create_user(session, email="tran.van.binh@example.vn")
    payload = registration(email="TRAN.Van.Binh@Example.VN")
    payload["organisation"]["tax_code"] = None
    response = await client.post(REGISTER, json=payload)
    assert response.status_code == 409
    count = await session.scalar(
        select(func.count())
        .select_from(User)
        .where(func.lower(User.email) == "tran.van.binh@example.vn")
    )
    assert count == 1


async def test_registered_tax_code_is_409(client: httpx.AsyncClient, session: AsyncSession):
    await create_organisation(session, tax_code="0312345678")
    response = await client.post(REGISTER, json=registration())
    assert response.status_code == 409
    assert "tax code" in response.json()["detail"]
    assert await session.scalar(select(User.id).where(User.full_name == "Lê Thị Hoa")) is None


async def test_operator_kinds_cannot_be_self_registered(client: httpx.AsyncClient):
    for kind in ("operator", "partner_exchange"):
        payload = registration()
        payload["organisation"]["kind"] = kind
        response = await client.post(REGISTER, json=payload)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["body.organisation.kind"]


async def test_organisation_or_invitation_is_required(client: httpx.AsyncClient):
    response = await client.post(REGISTER, json=registration(organisation=None))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.organisation", "body.invitation_token"}


async def test_unknown_invitation_token_is_422(client: httpx.AsyncClient):
    payload = registration(organisation=None, invitation_token="khong-ton-tai-0123456789")
    response = await client.post(REGISTER, json=payload)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.invitation_token"]


async def test_enterprise_registration_is_stored_nfc(
    client: httpx.AsyncClient, session: AsyncSession
):
    name = unicodedata.normalize("NFC", "Công ty Cổ phần Cơ khí Sài Gòn")
    payload = registration(
        email="co-khi@example.vn", full_name=unicodedata.normalize("NFD", "Đỗ Văn An")
    )
    payload["organisation"] = {
        "kind": "enterprise",
        "name_vi": unicodedata.normalize("NFD", name),  # as some keyboards send it
        "tax_code": None,
    }
    response = await client.post(REGISTER, json=payload)
    assert response.status_code == 201, response.text
    org = await session.scalar(
        select(Organisation).where(
            Organisation.kind == OrganisationKind.enterprise, Organisation.name_vi == name
        )
    )
    assert org is not None
    assert response.json()["user"]["full_name"] == "Đỗ Văn An"


async def test_a_lost_race_on_the_email_index_is_a_conflict(session: AsyncSession):
    """The pre-check can lose to a concurrent registration; the unique index still answers 409."""
    await create_user(session, email="dua@example.vn")
    session.add(User(email="DUA@example.vn", full_name="Người thứ hai"))
    with pytest.raises(EmailTaken):
        await flush_unique(session)
    await session.rollback()
