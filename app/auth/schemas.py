"""Identity request and response bodies."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field, field_validator

from app.auth.models import Locale, OrganisationKind, OrgRole, PlatformRole
from app.auth.scopes import SCOPES
from app.core.schemas import NFCStr, Schema

Password = Annotated[str, Field(min_length=10, max_length=256)]
# Mã số thuế: 10 digits, or 13 with a branch suffix (0301234567-001).
TaxCode = Annotated[str, Field(pattern=r"^\d{10}(-\d{3})?$")]
Name = Annotated[NFCStr, Field(min_length=2, max_length=300)]
Region = Annotated[str, Field(min_length=2, max_length=60, pattern=r"^[a-z_]+$")]
# Kinds a person may register; operator and partner exchanges are created by operator admins.
SELF_SERVICE_KINDS = frozenset(OrganisationKind) - {
    OrganisationKind.operator,
    OrganisationKind.partner_exchange,
}


class OrganisationRegistration(Schema):
    kind: OrganisationKind
    name_vi: Name
    name_en: Name | None = None
    tax_code: TaxCode | None = None
    region: Region | None = None

    @field_validator("kind")
    @classmethod
    def _self_service_kind(cls, kind: OrganisationKind) -> OrganisationKind:
        if kind not in SELF_SERVICE_KINDS:
            raise ValueError("operator and partner exchange organisations are created by operators")
        return kind


class Registration(Schema):
    email: EmailStr
    password: Password
    full_name: Annotated[NFCStr, Field(min_length=1, max_length=200)]
    locale: Locale = Locale.vi
    organisation: OrganisationRegistration | None = None
    invitation_token: Annotated[str, Field(min_length=10, max_length=200)] | None = None


class TokenResponse(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str | None = None
    scope: str


class PasswordResetRequest(Schema):
    email: EmailStr


class PasswordResetConfirm(Schema):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    new_password: Password


class OrganisationSummary(Schema):
    id: uuid.UUID
    kind: OrganisationKind
    name_vi: str
    name_en: str | None
    region: str | None
    verified: bool


class Member(Schema):
    user_id: uuid.UUID
    full_name: str
    email: str
    role: OrgRole
    joined_at: datetime


class Organisation(OrganisationSummary):
    """Public profile; contact details and members only for members and operator staff."""

    source_exchange: str
    address: str | None
    website: str | None
    description: str | None
    verified_at: datetime | None
    created_at: datetime
    # Hidden from the public so that contacts go through the exchange and are recorded.
    tax_code: str | None = None
    email: str | None = None
    phone: str | None = None
    members: list[Member] | None = None


class OrganisationFields(Schema):
    model_config = ConfigDict(extra="forbid")

    name_en: Name | None = None
    tax_code: TaxCode | None = None
    region: Region | None = None
    address: Annotated[NFCStr, Field(max_length=1000)] | None = None
    website: Annotated[str, Field(max_length=300)] | None = None
    email: EmailStr | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    description: Annotated[NFCStr, Field(max_length=10000)] | None = None


class OrganisationCreate(OrganisationFields):
    kind: OrganisationKind
    name_vi: Name
    source_exchange: Annotated[str, Field(max_length=40)] = "hcm"


class OrganisationUpdate(OrganisationFields):
    """All optional; `verified` is not here (operator staff use POST …/verify)."""

    name_vi: Name | None = None


class OrganisationVerify(Schema):
    verified: bool = True


class InvitationCreate(Schema):
    email: EmailStr
    role: OrgRole = OrgRole.member


class Invitation(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID
    email: str
    role: OrgRole
    status: Literal["pending", "accepted", "revoked", "expired"]
    invited_by_id: uuid.UUID | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationAccept(Schema):
    token: Annotated[str, Field(min_length=10, max_length=200)]


class MemberUpdate(Schema):
    role: OrgRole


class Membership(Schema):
    organisation: OrganisationSummary
    role: OrgRole


class User(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    locale: Locale
    is_active: bool
    platform_roles: list[PlatformRole]
    created_at: datetime
    last_login_at: datetime | None


class OAuthClient(Schema):
    id: uuid.UUID
    client_id: str
    name: str
    organisation_id: uuid.UUID
    scopes: list[str]
    is_active: bool
    created_at: datetime
    last_used_at: datetime | None


class OAuthClientWithSecret(OAuthClient):
    client_secret: str = Field(description="Shown once; store it now, it cannot be read again.")


class OAuthClientCreate(Schema):
    name: Annotated[NFCStr, Field(min_length=2, max_length=200)]
    organisation_id: uuid.UUID
    scopes: Annotated[list[str], Field(min_length=1)]

    @field_validator("scopes")
    @classmethod
    def _known_scopes(cls, scopes: list[str]) -> list[str]:
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            raise ValueError(f"unknown scope(s): {', '.join(unknown)}")
        return sorted(set(scopes))


class Me(Schema):
    """The caller: a person (user, memberships, platform roles) or a partner client."""

    kind: Literal["user", "client"]
    user: User | None = None
    memberships: list[Membership] = []
    platform_roles: list[PlatformRole] = []
    client: OAuthClient | None = None
    organisation: OrganisationSummary | None = None
    scopes: list[str]


class PlatformRolesUpdate(Schema):
    roles: list[PlatformRole]
