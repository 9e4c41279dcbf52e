"""HTTP: organisation profiles, verification, invitations and members."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.auth import org_service, schemas
from app.auth.dependencies import (
    CurrentPrincipal,
    OperatorAdmin,
    OperatorStaff,
    OrgAdmin,
    SettingsDep,
    require_scopes,
)
from app.auth.models import OrganisationKind
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep

router = APIRouter(prefix="/organisations", tags=["organisations"])

# Writes by people and partner clients alike need the organisations:write scope.
WRITE = [Depends(require_scopes("organisations:write"))]


@router.get(
    "",
    summary="List and search organisations (public profiles)",
    response_model=Page[schemas.OrganisationSummary],
    responses=problems(422),
)
async def list(
    session: SessionDep,
    params: PaginationDep,
    kind: OrganisationKind | None = None,
    region: str | None = None,
    verified: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Name, accents optional")] = None,
) -> Page[schemas.OrganisationSummary]:
    """Anyone may browse; sorted by Vietnamese name."""
    return await org_service.search(
        session, params, kind=kind, region=region, verified=verified, q=q
    )


@router.post(
    "",
    summary="Create an organisation of any kind (operator admin)",
    response_model=schemas.Organisation,
    status_code=201,
    responses=problems(401, 403, 409, 422),
)
async def create(
    session: SessionDep, principal: OperatorAdmin, data: schemas.OrganisationCreate
) -> schemas.Organisation:
    """Partner exchanges and the operator itself are created this way."""
    org = await org_service.create(session, principal, data)
    return await org_service.profile(session, principal, org)


@router.get(
    "/{organisation_id}",
    summary="An organisation's profile",
    response_model=schemas.Organisation,
    responses=problems(404),
)
async def get(
    session: SessionDep, principal: CurrentPrincipal, organisation_id: uuid.UUID
) -> schemas.Organisation:
    """Public profile; members and operator staff also see contacts and members."""
    org = await org_service.get(session, organisation_id)
    return await org_service.profile(session, principal, org)


@router.patch(
    "/{organisation_id}",
    summary="Update an organisation's profile",
    response_model=schemas.Organisation,
    dependencies=WRITE,
    responses=problems(401, 403, 404, 409, 422),
)
async def update(
    session: SessionDep,
    principal: OrgAdmin,
    organisation_id: uuid.UUID,
    data: schemas.OrganisationUpdate,
) -> schemas.Organisation:
    """Owners and admins of the organisation, or operator admins."""
    org = await org_service.get(session, organisation_id)
    org = await org_service.update(session, principal, org, data)
    return await org_service.profile(session, principal, org)


@router.post(
    "/{organisation_id}/verify",
    summary="Mark an organisation verified (operator staff)",
    response_model=schemas.Organisation,
    responses=problems(401, 403, 404, 422),
)
async def verify(
    session: SessionDep,
    principal: OperatorStaff,
    organisation_id: uuid.UUID,
    data: schemas.OrganisationVerify | None = None,
) -> schemas.Organisation:
    """Body `{"verified": false}` withdraws the mark."""
    org = await org_service.get(session, organisation_id)
    verified = data.verified if data is not None else True
    org = await org_service.verify(session, principal, org, verified)
    return await org_service.profile(session, principal, org)


@router.post(
    "/{organisation_id}/invitations",
    summary="Invite a person by email",
    response_model=schemas.Invitation,
    status_code=201,
    dependencies=WRITE,
    responses=problems(401, 403, 404, 409, 422),
)
async def create_invitation(
    session: SessionDep,
    settings: SettingsDep,
    principal: OrgAdmin,
    organisation_id: uuid.UUID,
    data: schemas.InvitationCreate,
) -> schemas.Invitation:
    """Mails a single-use link; only owners may invite owners."""
    org = await org_service.get(session, organisation_id)
    return await org_service.invite(session, settings, principal, org, data)


@router.get(
    "/{organisation_id}/invitations",
    summary="List an organisation's invitations",
    response_model=Page[schemas.Invitation],
    responses=problems(401, 403, 404),
)
async def list_invitations(
    session: SessionDep, principal: OrgAdmin, organisation_id: uuid.UUID, params: PaginationDep
) -> Page[schemas.Invitation]:
    """Newest first, with their status."""
    await org_service.get(session, organisation_id)
    return await org_service.list_invitations(session, organisation_id, params)


@router.delete(
    "/{organisation_id}/invitations/{invitation_id}",
    summary="Revoke an invitation",
    status_code=204,
    response_model=None,
    dependencies=WRITE,
    responses=problems(401, 403, 404, 409),
)
async def revoke_invitation(
    session: SessionDep, principal: OrgAdmin, organisation_id: uuid.UUID, invitation_id: uuid.UUID
) -> None:
    """Its link stops working."""
    await org_service.revoke_invitation(session, principal, organisation_id, invitation_id)


@router.delete(
    "/{organisation_id}/members/{user_id}",
    summary="Remove a member",
    status_code=204,
    response_model=None,
    dependencies=WRITE,
    responses=problems(401, 403, 404, 409),
)
async def remove_member(
    session: SessionDep, principal: OrgAdmin, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """The last owner cannot be removed."""
    await org_service.remove_member(session, principal, organisation_id, user_id)


@router.patch(
    "/{organisation_id}/members/{user_id}",
    summary="Change a member's role",
    response_model=schemas.Member,
    dependencies=WRITE,
    responses=problems(401, 403, 404, 409, 422),
)
async def update_member(
    session: SessionDep,
    principal: OrgAdmin,
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
    data: schemas.MemberUpdate,
) -> schemas.Member:
    """Only owners grant or withdraw ownership; an organisation keeps at least one owner."""
    return await org_service.change_role(session, principal, organisation_id, user_id, data.role)
