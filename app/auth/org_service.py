"""Organisations: profiles, verification, invitations and members.

Only owners (and operator admins) touch the owner role: inviting, promoting, demoting or
removing an owner. Admins manage everybody else.
"""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository, schemas
from app.auth.exceptions import (
    AlreadyMember,
    InvitationClosed,
    InvitationNotFound,
    LastOwner,
    MemberNotFound,
    OrganisationNotFound,
    TaxCodeTaken,
)
from app.auth.models import Invitation, Membership, Organisation, OrgRole, PlatformRole, User
from app.auth.principal import Principal
from app.auth.service import MAIL_PREFIX, flush_unique
from app.auth.tokens import hash_secret, new_secret
from app.core import audit
from app.core.config import Settings
from app.core.db import after_commit, utcnow
from app.core.errors import Forbidden, ValidationFailed, field_error
from app.core.mailer import Mail, get_mailer, send_quietly
from app.core.pagination import Page, PaginationParams, paginate

PROFILE_FIELDS = (
    "kind",
    "name_vi",
    "name_en",
    "tax_code",
    "region",
    "source_exchange",
    "address",
    "website",
    "email",
    "phone",
    "description",
    "verified",
)


async def get(session: AsyncSession, organisation_id: uuid.UUID) -> Organisation:
    org = await session.get(Organisation, organisation_id)
    if org is None:
        raise OrganisationNotFound(f"Organisation {organisation_id} does not exist.")
    return org


async def profile(
    session: AsyncSession, principal: Principal, org: Organisation
) -> schemas.Organisation:
    """Public profile; members and operator staff also get contacts and the member list."""
    view = schemas.Organisation.model_validate(org)
    if not (principal.is_member(org.id) or principal.is_operator_staff):
        return view.model_copy(update={"tax_code": None, "email": None, "phone": None})
    members = [
        schemas.Member(
            user_id=m.user_id,
            full_name=m.user.full_name,
            email=m.user.email,
            role=m.role,
            joined_at=m.created_at,
        )
        for m in await repository.members_of(session, org.id)
    ]
    return view.model_copy(update={"members": members})


async def search(
    session: AsyncSession, params: PaginationParams, **filters: Any
) -> Page[schemas.OrganisationSummary]:
    rows, total = await paginate(session, repository.organisations_query(**filters), params)
    items = [schemas.OrganisationSummary.model_validate(o) for o in rows]
    return Page[schemas.OrganisationSummary].build(items, total, params)


async def create(
    session: AsyncSession, actor: Principal, data: schemas.OrganisationCreate
) -> Organisation:
    """Operator admins create organisations of any kind (partner exchanges, the operator)."""
    values = data.model_dump()
    await _check_tax_code(session, values.get("tax_code"))
    org = Organisation(**values)
    session.add(org)
    await flush_unique(session)
    await audit.record(
        session, actor, "organisation.create", "organisation", org.id, changes=values
    )
    return org


async def update(
    session: AsyncSession, actor: Principal, org: Organisation, data: schemas.OrganisationUpdate
) -> Organisation:
    changes = data.model_dump(exclude_unset=True)
    if "name_vi" in changes and changes["name_vi"] is None:
        msg = "The Vietnamese name cannot be removed."
        raise ValidationFailed(msg, errors=[field_error(["body", "name_vi"], msg)])
    if changes.get("tax_code"):
        await _check_tax_code(session, changes["tax_code"], exclude_id=org.id)
    before = _snapshot(org)
    for field, value in changes.items():
        setattr(org, field, value)
    await flush_unique(session)
    await audit.record(
        session,
        actor,
        "organisation.update",
        "organisation",
        org.id,
        changes=audit.diff(before, _snapshot(org)),
    )
    return org


async def verify(
    session: AsyncSession, actor: Principal, org: Organisation, verified: bool
) -> Organisation:
    """Operator staff vouch for (or withdraw trust in) an organisation's identity."""
    before = _snapshot(org)
    org.verified = verified
    org.verified_at = utcnow() if verified else None
    await audit.record(
        session,
        actor,
        "organisation.verify",
        "organisation",
        org.id,
        changes=audit.diff(before, _snapshot(org)),
    )
    return org


async def _check_tax_code(
    session: AsyncSession, tax_code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    if tax_code and await repository.tax_code_taken(session, tax_code, exclude_id):
        raise TaxCodeTaken()


def _snapshot(org: Organisation) -> dict[str, Any]:
    return {f: getattr(org, f) for f in PROFILE_FIELDS}


def _may_manage_owners(actor: Principal, organisation_id: uuid.UUID) -> bool:
    return actor.role_in(organisation_id) is OrgRole.owner or actor.has_role(
        PlatformRole.operator_admin
    )


def _require_owner_power(actor: Principal, organisation_id: uuid.UUID, *roles: OrgRole) -> None:
    if OrgRole.owner in roles and not _may_manage_owners(actor, organisation_id):
        raise Forbidden("Only an owner of the organisation may grant, change or remove ownership.")


async def invite(
    session: AsyncSession,
    settings: Settings,
    actor: Principal,
    org: Organisation,
    data: schemas.InvitationCreate,
) -> schemas.Invitation:
    """Invite by email; the link carries a secret whose hash only is stored."""
    _require_owner_power(actor, org.id, data.role)
    existing = await repository.get_user_by_email(session, data.email)
    if existing and await repository.get_membership(session, org.id, existing.id):
        raise AlreadyMember()
    now = utcnow()
    # One live invitation per address: an older link stops working when a new one is sent.
    await repository.revoke_open_invitations(session, org.id, data.email, now)
    token = new_secret()
    invitation = Invitation(
        organisation_id=org.id,
        email=data.email,
        role=data.role,
        token_hash=hash_secret(token),
        invited_by_id=actor.user_id,
        expires_at=now + timedelta(days=settings.invitation_ttl_days),
    )
    session.add(invitation)
    await session.flush()
    await audit.record(
        session,
        actor,
        "invitation.create",
        "invitation",
        invitation.id,
        changes={"organisation_id": org.id, "email": data.email, "role": data.role},
    )
    mail, mailer = _invitation_mail(settings, org, invitation, token), get_mailer(settings)
    after_commit(session, lambda: send_quietly(mailer, mail))
    return invitation_view(invitation)


def _invitation_mail(settings: Settings, org: Organisation, inv: Invitation, token: str) -> Mail:
    link = f"{settings.public_base_url}/register?invitation={token}"
    until = inv.expires_at.date().isoformat()
    body = (
        f"Bạn được mời tham gia {org.name_vi} trên Sàn giao dịch công nghệ TP.HCM "
        f"(vai trò: {inv.role.value}). Mở liên kết để đăng ký hoặc chấp nhận, hiệu lực đến "
        f"{until}:\n{link}\n\n---\n"
        f"You are invited to join {org.name_en or org.name_vi} on the HCMC Technology Exchange "
        f"(role: {inv.role.value}). Open the link to register or accept, valid until {until}:\n"
        f"{link}\n"
    )
    return Mail(
        to=inv.email, subject=f"{MAIL_PREFIX} Lời mời / Invitation: {org.name_vi}", body=body
    )


def invitation_view(inv: Invitation) -> schemas.Invitation:
    status = (
        "accepted"
        if inv.accepted_at
        else "revoked"
        if inv.revoked_at
        else "expired"
        if inv.expires_at <= utcnow()
        else "pending"
    )
    return schemas.Invitation.model_validate({**_columns(inv), "status": status})


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


async def list_invitations(
    session: AsyncSession, organisation_id: uuid.UUID, params: PaginationParams
) -> Page[schemas.Invitation]:
    rows, total = await paginate(session, repository.invitations_query(organisation_id), params)
    return Page[schemas.Invitation].build([invitation_view(i) for i in rows], total, params)


async def revoke_invitation(
    session: AsyncSession, actor: Principal, organisation_id: uuid.UUID, invitation_id: uuid.UUID
) -> None:
    invitation = await repository.get_invitation(session, organisation_id, invitation_id)
    if invitation is None:
        raise InvitationNotFound(f"Invitation {invitation_id} does not exist.")
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationClosed()
    invitation.revoked_at = utcnow()
    await audit.record(
        session,
        actor,
        "invitation.revoke",
        "invitation",
        invitation.id,
        changes={"organisation_id": organisation_id, "email": invitation.email},
    )


async def _member(
    session: AsyncSession, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> Membership:
    membership = await repository.get_membership(session, organisation_id, user_id)
    if membership is None:
        raise MemberNotFound(f"User {user_id} is not a member of this organisation.")
    return membership


async def _keep_an_owner(
    session: AsyncSession, membership: Membership, new_role: OrgRole | None
) -> None:
    """Refuse to leave the organisation without an owner."""
    if membership.role is not OrgRole.owner or new_role is OrgRole.owner:
        return
    owners = await repository.owner_ids(session, membership.organisation_id)
    if owners == [membership.user_id]:
        raise LastOwner()


async def remove_member(
    session: AsyncSession, actor: Principal, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    membership = await _member(session, organisation_id, user_id)
    _require_owner_power(actor, organisation_id, membership.role)
    await _keep_an_owner(session, membership, None)
    await session.delete(membership)
    await audit.record(
        session,
        actor,
        "membership.remove",
        "organisation",
        organisation_id,
        changes={"user_id": user_id, "role": membership.role},
    )


async def change_role(
    session: AsyncSession,
    actor: Principal,
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
    role: OrgRole,
) -> schemas.Member:
    membership = await _member(session, organisation_id, user_id)
    _require_owner_power(actor, organisation_id, membership.role, role)
    await _keep_an_owner(session, membership, role)
    before = membership.role
    membership.role = role
    await audit.record(
        session,
        actor,
        "membership.role",
        "organisation",
        organisation_id,
        changes={"user_id": user_id, "role": [before, role]},
    )
    user = await session.get(User, user_id)
    assert user is not None  # the membership row references it
    return schemas.Member(
        user_id=user.id,
        full_name=user.full_name,
        email=user.email,
        role=role,
        joined_at=membership.created_at,
    )
