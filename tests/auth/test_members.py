from collections.abc import Callable
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Invitation, Membership, OrgRole, User
from app.auth.tokens import hash_secret
from app.core.audit import AuditEntry
from app.core.db import utcnow
from app.core.mailer import LogMailer
from tests.auth.conftest import bearer_of, link_token, login, registration
from tests.factories import create_organisation, create_user

ORGS = "/api/v1/organisations"
Headers = Callable[[User], dict[str, str]]


async def invite(client: httpx.AsyncClient, org_id, headers, email: str, role: str = "member"):
    return await client.post(
        f"{ORGS}/{org_id}/invitations", json={"email": email, "role": role}, headers=headers
    )


async def test_invitation_is_mailed_and_joins_on_registration(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, mailer: LogMailer
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    response = await invite(client, org.id, auth_headers(owner), "Ngo.Bao@example.vn", "admin")
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending"
    assert [m.to for m in mailer.sent] == ["Ngo.Bao@example.vn"]
    token = link_token(mailer.sent[0].body, "invitation")
    stored = await session.scalar(select(Invitation).where(Invitation.id == response.json()["id"]))
    assert stored is not None
    assert stored.token_hash == hash_secret(token)

    payload = registration(email="ngo.bao@example.vn", organisation=None, invitation_token=token)
    joined = await client.post("/api/v1/auth/register", json=payload)
    assert joined.status_code == 201, joined.text
    assert [(m["organisation"]["id"], m["role"]) for m in joined.json()["memberships"]] == [
        (str(org.id), "admin")
    ]
    again = registration(email="khac@example.vn", organisation=None, invitation_token=token)
    assert (await client.post("/api/v1/auth/register", json=again)).status_code == 422
    actions = set(
        (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.object_id == response.json()["id"])
            )
        ).all()
    )
    assert actions == {"invitation.create", "invitation.accept"}


async def test_invitation_for_another_email_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, mailer: LogMailer
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    await invite(client, org.id, auth_headers(owner), "duoc-moi@example.vn")
    token = link_token(mailer.sent[-1].body, "invitation")
    payload = registration(email="nguoi-khac@example.vn", organisation=None, invitation_token=token)
    response = await client.post("/api/v1/auth/register", json=payload)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.invitation_token"]


async def test_existing_user_accepts_invitation(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, mailer: LogMailer
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    person = await create_user(session, await create_organisation(session))
    await invite(client, org.id, auth_headers(owner), person.email.upper())
    token = link_token(mailer.sent[-1].body, "invitation")
    response = await client.post(
        "/api/v1/auth/invitations/accept", json={"token": token}, headers=auth_headers(person)
    )
    assert response.status_code == 201, response.text
    assert response.json()["organisation"]["id"] == str(org.id)
    assert response.json()["role"] == "member"
    role = await session.scalar(
        select(Membership.role).where(
            Membership.organisation_id == org.id, Membership.user_id == person.id
        )
    )
    assert role is OrgRole.member


async def test_expired_invitation_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, mailer: LogMailer
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    created = (await invite(client, org.id, auth_headers(owner), "muon@example.vn")).json()
    token = link_token(mailer.sent[-1].body, "invitation")
    stored = await session.get(Invitation, created["id"])
    assert stored is not None
    stored.expires_at = utcnow() - timedelta(minutes=1)
    payload = registration(email="muon@example.vn", organisation=None, invitation_token=token)
    assert (await client.post("/api/v1/auth/register", json=payload)).status_code == 422


async def test_member_cannot_invite_own_org_403_other_org_404(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, mailer: LogMailer
):
    org = await create_organisation(session)
    other = await create_organisation(session)
    member = await create_user(session, org, OrgRole.member)
    headers, org_id, other_id = auth_headers(member), org.id, other.id
    own = await invite(client, org_id, headers, "a@example.vn")
    assert own.status_code == 403
    foreign = await invite(client, other_id, headers, "a@example.vn")
    assert foreign.status_code == 404
    assert (await client.get(f"{ORGS}/{other_id}/invitations", headers=headers)).status_code == 404
    assert await session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert mailer.sent == []


async def test_only_owners_invite_owners(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    org = await create_organisation(session)
    admin = await create_user(session, org, OrgRole.admin)
    response = await invite(client, org.id, auth_headers(admin), "chu@example.vn", "owner")
    assert response.status_code == 403


async def test_inviting_a_member_again_is_409(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    member = await create_user(session, org, OrgRole.member)
    assert (await invite(client, org.id, auth_headers(owner), member.email)).status_code == 409


async def test_list_and_revoke_invitations(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, mailer: LogMailer
):
    org = await create_organisation(session)
    admin = await create_user(session, org, OrgRole.admin)
    headers, org_id = auth_headers(admin), org.id
    first = (await invite(client, org_id, headers, "x@example.vn")).json()
    second = (await invite(client, org_id, headers, "X@example.vn")).json()
    listed = await client.get(f"{ORGS}/{org_id}/invitations", headers=headers)
    assert listed.status_code == 200
    # A new invitation to the same address replaces the older one.
    assert {i["id"]: i["status"] for i in listed.json()["items"]} == {
        first["id"]: "revoked",
        second["id"]: "pending",
    }
    url = f"{ORGS}/{org_id}/invitations/{second['id']}"
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.delete(url, headers=headers)).status_code == 409
    token = link_token(mailer.sent[-1].body, "invitation")
    payload = registration(email="x@example.vn", organisation=None, invitation_token=token)
    assert (await client.post("/api/v1/auth/register", json=payload)).status_code == 422
    assert await session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.action == "invitation.revoke", AuditEntry.object_id == second["id"]
        )
    )
    missing = f"{ORGS}/{org_id}/invitations/00000000-0000-0000-0000-000000000000"
    assert (await client.delete(missing, headers=headers)).status_code == 404


async def test_remove_member_but_never_the_last_owner(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    member = await create_user(session, org, OrgRole.member)
    org_id, owner_id, member_id, headers = org.id, owner.id, member.id, auth_headers(owner)
    removed = await client.delete(f"{ORGS}/{org_id}/members/{member_id}", headers=headers)
    assert removed.status_code == 204
    assert (
        await session.scalar(select(Membership.id).where(Membership.user_id == member_id)) is None
    )
    assert await session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.action == "membership.remove", AuditEntry.object_id == str(org_id)
        )
    )
    last = await client.delete(f"{ORGS}/{org_id}/members/{owner_id}", headers=headers)
    assert last.status_code == 409
    assert await session.scalar(select(Membership.id).where(Membership.user_id == owner_id))
    gone = await client.delete(f"{ORGS}/{org_id}/members/{member_id}", headers=headers)
    assert gone.status_code == 404


async def test_admin_cannot_remove_an_owner_and_member_cannot_remove_anyone(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    admin = await create_user(session, org, OrgRole.admin)
    member = await create_user(session, org, OrgRole.member)
    url = f"{ORGS}/{org.id}/members"
    admin_headers, member_headers = auth_headers(admin), auth_headers(member)
    owner_id, admin_id = owner.id, admin.id
    assert (await client.delete(f"{url}/{owner_id}", headers=admin_headers)).status_code == 403
    assert (await client.delete(f"{url}/{admin_id}", headers=member_headers)).status_code == 403


async def test_change_role(client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers):
    org = await create_organisation(session)
    owner = await create_user(session, org, OrgRole.owner)
    member = await create_user(session, org, OrgRole.member)
    org_id, owner_id, member_id, headers = org.id, owner.id, member.id, auth_headers(owner)
    member_email = member.email
    url = f"{ORGS}/{org_id}/members"
    promoted = await client.patch(f"{url}/{member_id}", json={"role": "owner"}, headers=headers)
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["role"] == "owner"
    # Two owners now: the first may step down; then the second is the last one.
    down = await client.patch(f"{url}/{owner_id}", json={"role": "member"}, headers=headers)
    assert down.status_code == 200
    new_owner = await login(client, member_email)
    last = await client.patch(
        f"{url}/{member_id}", json={"role": "admin"}, headers=bearer_of(new_owner)
    )
    assert last.status_code == 409
    roles = dict(
        (
            await session.execute(
                select(Membership.user_id, Membership.role).where(
                    Membership.organisation_id == org_id
                )
            )
        ).all()
    )
    assert roles == {owner_id: OrgRole.member, member_id: OrgRole.owner}
    entries = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "membership.role", AuditEntry.object_id == str(org_id))
    )
    assert entries == 2
