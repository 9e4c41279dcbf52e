"""HTTP routes of technology needs (demand): board, poster edits, lifecycle, moderation."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import CurrentPrincipal, OperatorStaff, SettingsDep
from app.auth.principal import Principal
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PaginationDep, paginate, parse_sorting
from app.needs import repository, schemas, service
from app.needs.dependencies import ManageableNeed, NeedWriter, ReadableNeed, ReviewableNeed
from app.needs.models import Need

router = APIRouter(prefix="/needs", tags=["needs"])


async def _view(session: AsyncSession, principal: Principal, need: Need) -> schemas.Need:
    names = await repository.organisation_names(session, [need.organisation_id])
    return schemas.need_view(
        need,
        status=service.effective_status(need),
        organisation_name=names.get(need.organisation_id),
        internal=service.can_manage(principal, need),
    )


@router.get(
    "",
    name="list",
    summary="Browse technology needs",
    response_model=Page[schemas.Need],
    responses=problems(401, 422),
)
async def list_needs(
    session: SessionDep,
    principal: CurrentPrincipal,
    pagination: PaginationDep,
    filters: Annotated[schemas.NeedFilters, Query()],
    sorting: Annotated[list[str] | None, Query(description="e.g. -published_at, deadline")] = None,
) -> Page[schemas.Need]:
    """Live needs for all (by visibility); own ones with `mine`/`organisation_id`; all for staff."""
    today = repository.vn_today()
    order_by = parse_sorting(sorting, repository.SORTABLE, "-published_at")
    stmt = repository.list_statement(principal, filters, today, order_by)
    rows, total = await paginate(session, stmt, pagination)
    names = await repository.organisation_names(session, (r.organisation_id for r in rows))
    items = [
        schemas.need_view(
            row,
            status=service.effective_status(row, today),
            organisation_name=names.get(row.organisation_id),
            internal=service.can_manage(principal, row),
        )
        for row in rows
    ]
    return Page[schemas.Need].build(items, total, pagination)


@router.post(
    "",
    summary="Post a draft need",
    status_code=201,
    response_model=schemas.Need,
    responses=problems(401, 403, 422),
)
async def create(
    data: schemas.NeedCreate, session: SessionDep, principal: NeedWriter
) -> schemas.Need:
    """Start a draft for your organisation (staff: on a company's behalf); only `title_vi` now."""
    need = await service.create_need(session, principal, data)
    return await _view(session, principal, need)


@router.get(
    "/{need_id}", summary="Read a need", response_model=schemas.Need, responses=problems(404)
)
async def get(need: ReadableNeed, session: SessionDep, principal: CurrentPrincipal) -> schemas.Need:
    """The need; the poster is hidden when it chose to stay anonymous."""
    return await _view(session, principal, need)


@router.patch(
    "/{need_id}",
    summary="Edit a need",
    response_model=schemas.Need,
    responses=problems(401, 403, 404, 409, 422),
)
async def update(
    data: schemas.NeedUpdate, need: ManageableNeed, session: SessionDep, principal: NeedWriter
) -> schemas.Need:
    """Edit by the posting organisation or operator staff."""
    need = await service.update_need(session, principal, need, data)
    return await _view(session, principal, need)


@router.delete(
    "/{need_id}",
    summary="Delete a draft or rejected need",
    status_code=204,
    response_model=None,
    responses=problems(401, 403, 404, 409),
)
async def delete(
    need: ManageableNeed, session: SessionDep, settings: SettingsDep, principal: NeedWriter
) -> None:
    """Drafts and rejected needs only; archive anything else."""
    await service.delete_need(session, settings, principal, need)


@router.post(
    "/{need_id}/submit",
    summary="Submit a need for review",
    response_model=schemas.Need,
    responses=problems(401, 403, 404, 409, 422),
)
async def submit(need: ManageableNeed, session: SessionDep, principal: NeedWriter) -> schemas.Need:
    """Checks every required field and names all gaps at once; also renews an expired need."""
    need = await service.submit_need(session, principal, need)
    return await _view(session, principal, need)


@router.post(
    "/{need_id}/publish",
    summary="Publish a submitted need",
    response_model=schemas.Need,
    responses=problems(401, 403, 404, 409),
)
async def publish(
    need: ReviewableNeed, session: SessionDep, settings: SettingsDep, principal: OperatorStaff
) -> schemas.Need:
    """Moderator approval; the posting organisation is notified."""
    need = await service.publish_need(session, settings, principal, need)
    return await _view(session, principal, need)


@router.post(
    "/{need_id}/reject",
    summary="Reject a submitted need",
    response_model=schemas.Need,
    responses=problems(401, 403, 404, 409, 422),
)
async def reject(
    data: schemas.NeedReject,
    need: ReviewableNeed,
    session: SessionDep,
    settings: SettingsDep,
    principal: OperatorStaff,
) -> schemas.Need:
    """Moderator refusal with a reason; the posting organisation is notified."""
    need = await service.reject_need(session, settings, principal, need, data.reason)
    return await _view(session, principal, need)


@router.post(
    "/{need_id}/archive",
    summary="Archive a need",
    response_model=schemas.Need,
    responses=problems(401, 403, 404, 409),
)
async def archive(need: ManageableNeed, session: SessionDep, principal: NeedWriter) -> schemas.Need:
    """Withdraw a need (posting organisation or operator staff)."""
    need = await service.archive_need(session, principal, need)
    return await _view(session, principal, need)


@router.post(
    "/{need_id}/fulfil",
    summary="Mark a need fulfilled",
    response_model=schemas.Need,
    responses=problems(401, 403, 404, 409),
)
async def fulfil(need: ManageableNeed, session: SessionDep, principal: NeedWriter) -> schemas.Need:
    """The posting organisation found the technology it needed."""
    need = await service.fulfil_need(session, principal, need)
    return await _view(session, principal, need)
