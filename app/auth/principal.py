"""Who is calling: a signed-in user, a partner client, or the anonymous public."""

import uuid
from dataclasses import dataclass, field

from app.auth.models import OrgRole, PlatformRole

ORG_ADMIN_ROLES = frozenset({OrgRole.owner, OrgRole.admin})
OPERATOR_STAFF_ROLES = frozenset({PlatformRole.operator_admin, PlatformRole.moderator})


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID | None = None
    client_id: uuid.UUID | None = None
    label: str = "anonymous"
    locale: str = "vi"
    # organisation id -> role; a partner client acts for exactly one organisation (as member).
    memberships: dict[uuid.UUID, OrgRole] = field(default_factory=dict)
    platform_roles: frozenset[PlatformRole] = frozenset()
    scopes: frozenset[str] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.client_id is not None

    @property
    def is_client(self) -> bool:
        return self.client_id is not None

    @property
    def org_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(self.memberships)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def has_role(self, *roles: PlatformRole) -> bool:
        return bool(self.platform_roles.intersection(roles))

    @property
    def is_operator_staff(self) -> bool:
        """Moderators and operator admins see and verify everything."""
        return bool(self.platform_roles & OPERATOR_STAFF_ROLES)

    @property
    def is_broker(self) -> bool:
        return PlatformRole.broker in self.platform_roles

    def role_in(self, organisation_id: uuid.UUID) -> OrgRole | None:
        return self.memberships.get(organisation_id)

    def is_member(self, organisation_id: uuid.UUID) -> bool:
        return organisation_id in self.memberships

    def is_org_admin(self, organisation_id: uuid.UUID) -> bool:
        return self.memberships.get(organisation_id) in ORG_ADMIN_ROLES


ANONYMOUS = Principal()
