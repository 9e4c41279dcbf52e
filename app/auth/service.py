"""Accounts: registration, joining by invitation, password reset, platform roles, who am I."""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository, schemas
from app.auth.exceptions import (
    AlreadyMember,
    EmailTaken,
    InvalidInvitation,
    InvalidResetToken,
    LastOperatorAdmin,
    TaxCodeTaken,
    UserNotFound,
)
from app.auth.models import (
    Invitation,
    Membership,
    OAuthClient,
    Organisation,
    OrgRole,
    PasswordResetToken,
    PlatformRole,
    User,
)
from app.auth.passwords import hash_password
from app.auth.principal import Principal
from app.auth.schemas import Me, Registration
from app.auth.token_service import user_actor
from app.auth.tokens import hash_secret, new_secret
from app.core import audit
from app.core.config import Settings
from app.core.db import after_commit, utcnow
from app.core.errors import ValidationFailed, field_error
from app.core.mailer import Mail, get_mailer, send_quietly

MAIL_PREFIX = "[Sàn giao dịch công nghệ TP.HCM]"
# Any constant: serialises "is this the last operator admin?" checks across transactions.
_OPERATOR_ADMIN_LOCK = 0x7465636878


async def flush_unique(session: AsyncSession) -> None:
    """Flush, turning a lost race on a unique email or tax code into 409 instead of a 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint == "uq_users_email_lower":
            raise EmailTaken() from exc
        if constraint == "uq_organisations_tax_code":
            raise TaxCodeTaken() from exc
        raise


async def register(session: AsyncSession, data: Registration) -> User:
    """A person with a new organisation (as owner), or joining one by invitation."""
    if (data.organisation is None) == (data.invitation_token is None):
        msg = "Give either organisation (to create one) or invitation_token (to join one)."
        raise ValidationFailed(
            msg,
            errors=[
                field_error(["body", "organisation"], msg),
                field_error(["body", "invitation_token"], msg),
            ],
        )
    if await repository.get_user_by_email(session, data.email) is not None:
        raise EmailTaken()
    invitation = None
    if data.invitation_token is not None:
        invitation = await open_invitation(session, data.invitation_token, data.email)
    user = User(
        email=data.email,
        full_name=data.full_name,
        locale=data.locale,
        password_hash=await asyncio.to_thread(hash_password, data.password),
    )
    session.add(user)
    await flush_unique(session)
    actor = user_actor(user)
    if invitation is not None:
        await join(session, actor, user, invitation)
    else:
        await _found_organisation(session, actor, user, data)
    await audit.record(
        session,
        actor,
        "user.register",
        "user",
        user.id,
        changes={"email": user.email, "full_name": user.full_name},
    )
    return user


async def _found_organisation(
    session: AsyncSession, actor: Principal, user: User, data: Registration
) -> None:
    assert data.organisation is not None
    org_data = data.organisation.model_dump()
    if org_data["tax_code"] and await repository.tax_code_taken(session, org_data["tax_code"]):
        raise TaxCodeTaken()
    org = Organisation(**org_data, source_exchange="hcm")
    session.add(org)
    await flush_unique(session)
    session.add(Membership(user_id=user.id, organisation_id=org.id, role=OrgRole.owner))
    await audit.record(
        session, actor, "organisation.create", "organisation", org.id, changes=org_data
    )


async def open_invitation(session: AsyncSession, token: str, email: str) -> Invitation:
    """The invitation behind a token: unused, unrevoked, unexpired, and for this email."""
    invitation = await repository.get_invitation_by_hash(session, hash_secret(token))
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise InvalidInvitation()
    if invitation.email.lower() != email.lower():
        raise InvalidInvitation("The invitation was sent to a different email address.")
    return invitation


async def join(
    session: AsyncSession, actor: Principal, user: User, invitation: Invitation
) -> Membership:
    """Accept an invitation: membership with the invited role."""
    if await repository.get_membership(session, invitation.organisation_id, user.id) is not None:
        raise AlreadyMember()
    membership = Membership(
        user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role
    )
    session.add(membership)
    invitation.accepted_at = utcnow()
    await audit.record(
        session,
        actor,
        "invitation.accept",
        "invitation",
        invitation.id,
        changes={
            "organisation_id": invitation.organisation_id,
            "role": invitation.role,
            "user_id": user.id,
        },
    )
    return membership


async def accept_invitation(
    session: AsyncSession, principal: Principal, token: str
) -> schemas.Membership:
    """A signed-in person joins the organisation that invited them."""
    user = await session.get(User, principal.user_id)
    if user is None:
        raise UserNotFound()
    invitation = await open_invitation(session, token, user.email)
    membership = await join(session, principal, user, invitation)
    await session.flush()
    org = await session.get(Organisation, invitation.organisation_id)
    return schemas.Membership.model_validate({"organisation": org, "role": membership.role})


async def request_password_reset(session: AsyncSession, settings: Settings, email: str) -> None:
    """Mail a single-use link when the account exists; say nothing either way."""
    user = await repository.get_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    token = new_secret()
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=hash_secret(token),
            expires_at=utcnow() + timedelta(minutes=settings.password_reset_ttl_minutes),
        )
    )
    await audit.record(session, None, "auth.password_reset_requested", "user", user.id)
    mail = _reset_mail(settings, user, token)
    mailer = get_mailer(settings)
    after_commit(session, lambda: send_quietly(mailer, mail))


def _reset_mail(settings: Settings, user: User, token: str) -> Mail:
    link = f"{settings.public_base_url}/password-reset?token={token}"
    minutes = settings.password_reset_ttl_minutes
    body = (
        f"Xin chào {user.full_name},\n\nĐể đặt lại mật khẩu, mở liên kết sau (hiệu lực {minutes} "
        f"phút, dùng một lần):\n{link}\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này.\n\n---\n"
        f"To reset your password, open this link (valid {minutes} minutes, single use):\n{link}\n"
        "If you did not ask for it, ignore this mail."
    )
    return Mail(
        to=user.email, subject=f"{MAIL_PREFIX} Đặt lại mật khẩu / Password reset", body=body
    )


async def confirm_password_reset(session: AsyncSession, token: str, new_password: str) -> None:
    """Set the new password, spend the token, and end every signed-in session of the user."""
    row = await repository.get_reset_token(session, hash_secret(token))
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidResetToken()
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise InvalidResetToken()
    user.password_hash = await asyncio.to_thread(hash_password, new_password)
    row.used_at = now
    await repository.close_reset_tokens(session, user.id, now)
    await repository.revoke_refresh_tokens(session, now, user_id=user.id)
    await audit.record(session, user_actor(user), "auth.password_reset", "user", user.id)


async def me(session: AsyncSession, principal: Principal) -> Me:
    """The caller as seen by the API."""
    scopes = sorted(principal.scopes)
    if principal.client_id is not None:
        client = await session.get(OAuthClient, principal.client_id)
        assert client is not None  # the principal was just loaded from it
        org = await session.get(Organisation, client.organisation_id)
        return Me.model_validate(
            {"kind": "client", "client": client, "organisation": org, "scopes": scopes}
        )
    user = await session.get(User, principal.user_id)
    if user is None:
        raise UserNotFound()
    return Me.model_validate(
        {
            "kind": "user",
            "user": user,
            "memberships": await repository.memberships_of(session, user.id),
            "platform_roles": user.platform_roles,
            "scopes": scopes,
        }
    )


async def set_platform_roles(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, roles: list[PlatformRole]
) -> User:
    """Grant or withdraw platform roles; the platform always keeps an operator admin."""
    await session.execute(select(func.pg_advisory_xact_lock(_OPERATOR_ADMIN_LOCK)))
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise UserNotFound(f"User {user_id} does not exist.")
    before = sorted(user.platform_roles)
    after = sorted({r.value for r in roles})
    admin = PlatformRole.operator_admin.value
    if admin in before and admin not in after:
        if await repository.other_operator_admins(session, user.id) == 0:
            raise LastOperatorAdmin()
    user.platform_roles = after
    await audit.record(
        session,
        actor,
        "user.platform_roles",
        "user",
        user.id,
        changes=audit.diff({"platform_roles": before}, {"platform_roles": after}),
    )
    return user
