from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrganisationKind, OrgRole, User
from app.core.audit import AuditEntry
from tests.factories import create_organisation, create_user

ORGS = "/api/v1/organisations"
Headers = Callable[[User], dict[str, str]]


async def test_public_profile_hides_contacts_and_members(
    client: httpx.AsyncClient, session: AsyncSession
):
    org = await create_organisation(
        session, email="lienhe@vien.vn", phone="028 3822 0000", tax_code="0301234567"
    )
    await create_user(session, org, OrgRole.owner)
    response = await client.get(f"{ORGS}/{org.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["name_vi"] == org.name_vi
    assert (body["email"], body["phone"], body["tax_code"], body["members"]) == (None,) * 4


async def test_members_and_staff_see_contacts_and_members(
    client: httpx.AsyncClient, session: AsyncSession, moderator: User, auth_headers: Headers
):
    org = await create_organisation(session, email="lienhe@vien.vn")
    owner = await create_user(session, org, OrgRole.owner)
    for viewer in (owner, moderator):
        body = (await client.get(f"{ORGS}/{org.id}", headers=auth_headers(viewer))).json()
        assert body["email"] == "lienhe@vien.vn"
        assert [(m["user_id"], m["role"]) for m in body["members"]] == [(str(owner.id), "owner")]


async def test_unknown_organisation_is_404(client: httpx.AsyncClient):
    response = await client.get(f"{ORGS}/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


async def test_list_filters_and_search_without_accents(
    client: httpx.AsyncClient, session: AsyncSession
):
    await create_organisation(
        session,
        name_vi="Đại học Bách khoa Tùng Lâm",
        kind=OrganisationKind.university,
        region="hcm",
        verified=True,
    )
    await create_organisation(
        session,
        name_vi="Công ty Cơ khí Tùng Lâm",
        kind=OrganisationKind.enterprise,
        region="dong_nai",
    )
    found = await client.get(ORGS, params={"q": "tung lam"})
    assert found.status_code == 200
    names = [o["name_vi"] for o in found.json()["items"]]
    assert names == ["Công ty Cơ khí Tùng Lâm", "Đại học Bách khoa Tùng Lâm"]
    assert found.json()["pagination"]["total_count"] == 2
    dai_hoc = await client.get(ORGS, params={"q": "dai hoc bach khoa tung"})
    assert [o["name_vi"] for o in dai_hoc.json()["items"]] == ["Đại học Bách khoa Tùng Lâm"]
    filtered = await client.get(
        ORGS,
        params={"q": "tung lam", "kind": "enterprise", "region": "dong_nai", "verified": "false"},
    )
    assert [o["name_vi"] for o in filtered.json()["items"]] == ["Công ty Cơ khí Tùng Lâm"]
    paged = await client.get(ORGS, params={"q": "tung lam", "limit": 1, "page": 2})
    assert paged.json()["pagination"] == {"total_count": 2, "max_page": 2}
    assert len(paged.json()["items"]) == 1
    assert (await client.get(ORGS, params={"kind": "ngan_hang"})).status_code == 422


async def test_admin_updates_profile_and_it_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    org = await create_organisation(session)
    admin = await create_user(session, org, OrgRole.admin)
    response = await client.patch(
        f"{ORGS}/{org.id}",
        json={"website": "https://vien.example.vn", "description": "Nghiên cứu công nghệ số"},
        headers=auth_headers(admin),
    )
    assert response.status_code == 200, response.text
    assert response.json()["website"] == "https://vien.example.vn"
    await session.refresh(org)
    assert org.description == "Nghiên cứu công nghệ số"
    entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "organisation.update", AuditEntry.object_id == str(org.id)
        )
    )
    assert entry is not None
    assert entry.actor_user_id == admin.id
    assert entry.changes["website"] == [None, "https://vien.example.vn"]


async def test_verified_cannot_be_patched(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    response = await client.patch(
        f"{ORGS}/{org.id}", json={"verified": True}, headers=auth_headers(owner)
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.verified"]


async def test_who_may_not_update(
    client: httpx.AsyncClient, session: AsyncSession, moderator: User, auth_headers: Headers
):
    org = await create_organisation(session)
    member = await create_user(session, org, OrgRole.member)
    stranger = await create_user(session, await create_organisation(session))
    headers = [auth_headers(u) for u in (member, stranger, moderator)]
    # Ids and headers first: a refused request rolls back and expires the loaded rows.
    org_id, url, body = org.id, f"{ORGS}/{org.id}", {"name_en": "Renamed"}
    assert (await client.patch(url, json=body, headers=headers[0])).status_code == 403
    assert (await client.patch(url, json=body, headers=headers[1])).status_code == 404
    assert (await client.patch(url, json=body, headers=headers[2])).status_code == 403
    assert (await client.patch(url, json=body)).status_code == 401
    name_en = await session.scalar(select(Organisation.name_en).where(Organisation.id == org_id))
    assert name_en != "Renamed"


async def test_operator_admin_updates_any_organisation(
    client: httpx.AsyncClient, session: AsyncSession, operator_admin: User, auth_headers: Headers
):
    org = await create_organisation(session)
    response = await client.patch(
        f"{ORGS}/{org.id}", json={"region": "can_tho"}, headers=auth_headers(operator_admin)
    )
    assert response.status_code == 200
    assert response.json()["region"] == "can_tho"


async def test_tax_code_taken_on_update_is_409(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    await create_organisation(session, tax_code="0309999999")
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    response = await client.patch(
        f"{ORGS}/{org.id}", json={"tax_code": "0309999999"}, headers=auth_headers(owner)
    )
    assert response.status_code == 409


async def test_verify_is_for_operator_staff(
    client: httpx.AsyncClient, session: AsyncSession, moderator: User, auth_headers: Headers
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    org_id = org.id
    owner_headers, staff_headers = auth_headers(owner), auth_headers(moderator)
    assert (await client.post(f"{ORGS}/{org_id}/verify", headers=owner_headers)).status_code == 403
    response = await client.post(f"{ORGS}/{org_id}/verify", headers=staff_headers)
    assert response.status_code == 200
    assert response.json()["verified"] is True
    assert response.json()["verified_at"]
    assert await session.scalar(select(Organisation.verified).where(Organisation.id == org_id))
    assert await session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.action == "organisation.verify", AuditEntry.object_id == str(org_id)
        )
    )
    undone = await client.post(
        f"{ORGS}/{org_id}/verify", json={"verified": False}, headers=staff_headers
    )
    assert undone.json()["verified"] is False
    assert undone.json()["verified_at"] is None


async def test_operator_admin_creates_any_kind(
    client: httpx.AsyncClient,
    session: AsyncSession,
    operator_admin: User,
    moderator: User,
    auth_headers: Headers,
):
    body = {
        "kind": "partner_exchange",
        "name_vi": "Sàn giao dịch công nghệ Bà Rịa – Vũng Tàu",
        "source_exchange": "brvt",
        "region": "hcm",
    }
    moderator_headers = auth_headers(moderator)
    response = await client.post(ORGS, json=body, headers=auth_headers(operator_admin))
    assert response.status_code == 201, response.text
    org_id = response.json()["id"]
    org = await session.get(Organisation, org_id)
    assert org is not None
    assert org.kind is OrganisationKind.partner_exchange
    assert await session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.action == "organisation.create", AuditEntry.object_id == org_id
        )
    )
    assert (await client.post(ORGS, json=body, headers=moderator_headers)).status_code == 403
