"""require_org_role: 404 for strangers, 403 for members without the role, pass for the role."""

import uuid

import pytest

from app.auth.dependencies import require_org_role
from app.auth.models import OrgRole, PlatformRole
from app.auth.principal import Principal
from app.core.errors import Forbidden, NotFound

ORG = uuid.uuid4()
admin_only = require_org_role(OrgRole.owner, OrgRole.admin)


def person(role: OrgRole | None = None, *platform: PlatformRole) -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        memberships={ORG: role} if role else {},
        platform_roles=frozenset(platform),
    )


@pytest.mark.parametrize("role", [OrgRole.owner, OrgRole.admin])
async def test_role_holders_pass(role: OrgRole):
    principal = person(role)
    assert await admin_only(ORG, principal) is principal


async def test_member_without_role_is_forbidden():
    with pytest.raises(Forbidden):
        await admin_only(ORG, person(OrgRole.member))


async def test_stranger_gets_not_found():
    with pytest.raises(NotFound):
        await admin_only(ORG, person())


async def test_moderator_sees_but_may_not_act():
    with pytest.raises(Forbidden):
        await admin_only(ORG, person(None, PlatformRole.moderator))


async def test_operator_admin_passes_everywhere():
    principal = person(None, PlatformRole.operator_admin)
    assert await admin_only(ORG, principal) is principal
