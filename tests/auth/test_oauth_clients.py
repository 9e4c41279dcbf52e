import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import require_scopes
from app.auth.models import OAuthClient, Organisation, OrganisationKind, User
from app.core.audit import AuditEntry
from tests.auth.conftest import TOKEN_URL, bearer_of
from tests.factories import create_organisation, create_user

CLIENTS = "/api/v1/oauth-clients"
Headers = Callable[[User], dict[str, str]]


@pytest.fixture
async def exchange(session: AsyncSession) -> Organisation:
    return await create_organisation(
        session,
        kind=OrganisationKind.partner_exchange,
        name_vi="Sàn giao dịch công nghệ Bình Dương",
        source_exchange="binh_duong",
    )


@pytest.fixture
def scoped_routes(app: FastAPI) -> None:
    """Two tiny routes guarded by scopes, to see what a client token reaches."""
    router = APIRouter(prefix="/api/v1/_test")

    @router.post("/needs", dependencies=[Depends(require_scopes("needs:write"))])
    async def write_need() -> dict[str, str]:
        return {"ok": "needs"}

    @router.get("/listings", dependencies=[Depends(require_scopes("listings:read"))])
    async def read_listings() -> dict[str, str]:
        return {"ok": "listings"}

    app.include_router(router)


async def new_client(
    client: httpx.AsyncClient, headers: dict[str, str], exchange: Organisation, scopes: list[str]
) -> dict[str, Any]:
    body = {"name": "Đồng bộ Bình Dương", "organisation_id": str(exchange.id), "scopes": scopes}
    response = await client.post(CLIENTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


async def test_create_shows_the_secret_once_and_stores_a_hash(
    client: httpx.AsyncClient,
    session: AsyncSession,
    operator_admin: User,
    auth_headers: Headers,
    exchange: Organisation,
):
    created = await new_client(client, auth_headers(operator_admin), exchange, ["listings:read"])
    secret = created["client_secret"]
    row = await session.scalar(
        select(OAuthClient).where(OAuthClient.client_id == created["client_id"])
    )
    assert row is not None
    assert row.created_by_id == operator_admin.id
    assert row.secret_hash.startswith("$argon2id$")
    assert secret not in row.secret_hash
    listed = await client.get(CLIENTS, headers=auth_headers(operator_admin))
    assert listed.status_code == 200
    assert [c["client_id"] for c in listed.json()["items"]] == [created["client_id"]]
    assert "client_secret" not in listed.json()["items"][0]
    entry = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "oauth_client.create")
    )
    assert entry is not None
    assert secret not in str(entry.changes)


async def test_client_must_belong_to_a_partner_exchange(
    client: httpx.AsyncClient, session: AsyncSession, operator_admin: User, auth_headers: Headers
):
    institute = await create_organisation(session)
    body = {"name": "Đồng bộ", "organisation_id": str(institute.id), "scopes": ["listings:read"]}
    response = await client.post(CLIENTS, json=body, headers=auth_headers(operator_admin))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.organisation_id"]


async def test_scopes_must_be_known(
    client: httpx.AsyncClient, operator_admin: User, auth_headers: Headers, exchange: Organisation
):
    body = {"name": "Đồng bộ", "organisation_id": str(exchange.id), "scopes": ["root"]}
    response = await client.post(CLIENTS, json=body, headers=auth_headers(operator_admin))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.scopes"]


async def test_only_operator_admins_manage_clients(
    client: httpx.AsyncClient,
    session: AsyncSession,
    moderator: User,
    auth_headers: Headers,
    exchange: Organisation,
):
    owner = await create_user(session, exchange)
    body = {"name": "Đồng bộ", "organisation_id": str(exchange.id), "scopes": ["listings:read"]}
    # Headers first: a refused request rolls back and expires the loaded users.
    for headers in [auth_headers(moderator), auth_headers(owner)]:
        assert (await client.post(CLIENTS, json=body, headers=headers)).status_code == 403
        assert (await client.get(CLIENTS, headers=headers)).status_code == 403
    assert (await client.get(CLIENTS)).status_code == 401


async def test_client_token_reaches_only_its_scopes(
    client: httpx.AsyncClient,
    session: AsyncSession,
    operator_admin: User,
    auth_headers: Headers,
    exchange: Organisation,
    scoped_routes: None,
):
    created = await new_client(client, auth_headers(operator_admin), exchange, ["listings:read"])
    token = await client.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        headers=basic(created["client_id"], created["client_secret"]),
    )
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["scope"] == "listings:read"
    assert "refresh_token" not in body
    headers = bearer_of(token)
    assert (await client.get("/api/v1/_test/listings", headers=headers)).status_code == 200
    refused = await client.post("/api/v1/_test/needs", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"] == "insufficient_scope"

    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["kind"] == "client"
    assert me["user"] is None
    assert me["client"]["client_id"] == created["client_id"]
    assert me["organisation"]["id"] == str(exchange.id)
    assert me["scopes"] == ["listings:read"]
    entry = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "oauth_client.token")
    )
    assert entry is not None
    assert entry.actor_client_id is not None


async def test_client_scope_request(
    client: httpx.AsyncClient, operator_admin: User, auth_headers: Headers, exchange: Organisation
):
    created = await new_client(
        client, auth_headers(operator_admin), exchange, ["listings:read", "needs:read"]
    )
    form = {
        "grant_type": "client_credentials",
        "client_id": created["client_id"],
        "client_secret": created["client_secret"],
    }
    narrowed = await client.post(TOKEN_URL, data=form | {"scope": "needs:read"})
    assert narrowed.status_code == 200
    assert narrowed.json()["scope"] == "needs:read"
    everything = await client.post(TOKEN_URL, data=form)
    assert everything.json()["scope"] == "listings:read needs:read"
    wider = await client.post(TOKEN_URL, data=form | {"scope": "needs:read needs:write"})
    assert (wider.status_code, wider.json()["error"]) == (400, "invalid_scope")


async def test_bad_client_credentials_are_invalid_client(
    client: httpx.AsyncClient, operator_admin: User, auth_headers: Headers, exchange: Organisation
):
    created = await new_client(client, auth_headers(operator_admin), exchange, ["listings:read"])
    for headers in (basic(created["client_id"], "sai"), basic("techx-khong-co", "sai")):
        response = await client.post(
            TOKEN_URL, data={"grant_type": "client_credentials"}, headers=headers
        )
        assert (response.status_code, response.json()["error"]) == (401, "invalid_client")
    both = await client.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
        headers=basic(created["client_id"], created["client_secret"]),
    )
    assert (both.status_code, both.json()["error"]) == (400, "invalid_request")


async def test_rotate_and_deactivate(
    client: httpx.AsyncClient,
    session: AsyncSession,
    operator_admin: User,
    auth_headers: Headers,
    exchange: Organisation,
):
    admin = auth_headers(operator_admin)
    created = await new_client(client, admin, exchange, ["listings:read"])
    form = {"grant_type": "client_credentials"}
    token = await client.post(
        TOKEN_URL, data=form, headers=basic(created["client_id"], created["client_secret"])
    )

    rotated = await client.post(f"{CLIENTS}/{created['id']}/rotate-secret", headers=admin)
    assert rotated.status_code == 200
    new_secret = rotated.json()["client_secret"]
    assert new_secret != created["client_secret"]
    old = await client.post(
        TOKEN_URL, data=form, headers=basic(created["client_id"], created["client_secret"])
    )
    assert old.status_code == 401
    fresh = await client.post(TOKEN_URL, data=form, headers=basic(created["client_id"], new_secret))
    assert fresh.status_code == 200

    assert (await client.delete(f"{CLIENTS}/{created['id']}", headers=admin)).status_code == 204
    # Tokens already issued stop working at once.
    assert (await client.get("/api/v1/me", headers=bearer_of(token))).status_code == 401
    again = await client.post(TOKEN_URL, data=form, headers=basic(created["client_id"], new_secret))
    assert again.status_code == 401
    actions = set(
        (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.object_id == created["id"])
            )
        ).all()
    )
    assert {
        "oauth_client.create",
        "oauth_client.rotate_secret",
        "oauth_client.deactivate",
    } <= actions
    unknown = await client.delete(f"{CLIENTS}/00000000-0000-0000-0000-000000000000", headers=admin)
    assert unknown.status_code == 404
