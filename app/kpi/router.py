"""HTTP routes: the public dashboard, report files, and the open-data export of listings.

Access: the dashboard and its files are city-level public statistics (aggregates, no names), so
they are open to everyone, partner clients included. The contract report names the parties and
the values of each contract: operator staff only (token with kpi:read).
"""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from app.core.db import SessionDep
from app.core.errors import problems
from app.kpi import exports, open_data, repository, service
from app.kpi import schemas as s
from app.kpi.dependencies import PeriodDep, ReportReader, StreamingSession
from app.listings import taxonomy

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTRACT_VOCABULARIES = (
    "contract_type",
    "contract_form",
    "transfer_method",
    "vsic_section",
    "sector",
)

kpi_router = APIRouter(prefix="/kpi", tags=["kpi"])
reports_router = APIRouter(prefix="/reports", tags=["reports"])
open_data_router = APIRouter(prefix="/open-data", tags=["open-data"])


def _file(content: str | bytes, media_type: str, name: str) -> Response:
    return Response(content, media_type=media_type, headers=exports.attachment(name))


def _file_doc(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": "The file"}}


@kpi_router.get(
    "",
    name="get",
    summary="Progress to the 2030 targets",
    response_model=s.Dashboard,
    responses=problems(422),
)
async def get(session: SessionDep, period: PeriodDep) -> s.Dashboard:
    """Public: connections, contracts and the IP-dossier share, with their rules and breakdowns."""
    return await service.dashboard(session, period)


@reports_router.get(
    "/kpi.csv",
    name="kpi_csv",
    summary="The dashboard as CSV",
    response_class=Response,
    responses={**_file_doc(CSV), **problems(422)},
)
async def kpi_csv(session: SessionDep, period: PeriodDep) -> Response:
    """Public: every figure and breakdown of the dashboard in one table (UTF-8 with BOM)."""
    dashboard = await service.dashboard(session, period)
    name = exports.filename("kpi", period.start, period.end, "csv")
    return _file(exports.dashboard_csv(dashboard), CSV, name)


@reports_router.get(
    "/kpi.xlsx",
    name="kpi_xlsx",
    summary="The dashboard as an Excel workbook",
    response_class=Response,
    responses={**_file_doc(XLSX), **problems(422)},
)
async def kpi_xlsx(session: SessionDep, period: PeriodDep) -> Response:
    """Public: one sheet for the targets, one per breakdown, one for the counting rules."""
    dashboard = await service.dashboard(session, period)
    name = exports.filename("kpi", period.start, period.end, "xlsx")
    return _file(exports.workbook_bytes(exports.dashboard_tables(dashboard)), XLSX, name)


async def _contract_tables(session: SessionDep, period: PeriodDep) -> list[exports.Table]:
    rows = await repository.list_signed_contracts(session, period.start, period.end)
    labels = {v: await taxonomy.labels(session, v) for v in CONTRACT_VOCABULARIES}
    return exports.contracts_tables(rows, labels)


@reports_router.get(
    "/contracts.csv",
    name="contracts_csv",
    summary="Signed contracts of a period as CSV",
    response_class=Response,
    responses={**_file_doc(CSV), **problems(401, 403, 422)},
)
async def contracts_csv(
    principal: ReportReader, session: SessionDep, period: PeriodDep
) -> Response:
    """Operator staff: one row per contract signed in the period (MOST-style statistics)."""
    table = (await _contract_tables(session, period))[0]
    name = exports.filename("contracts", period.start, period.end, "csv")
    return _file(exports.csv_text(table.headers, table.rows), CSV, name)


@reports_router.get(
    "/contracts.xlsx",
    name="contracts_xlsx",
    summary="Signed contracts of a period as an Excel workbook",
    response_class=Response,
    responses={**_file_doc(XLSX), **problems(401, 403, 422)},
)
async def contracts_xlsx(
    principal: ReportReader, session: SessionDep, period: PeriodDep
) -> Response:
    """Operator staff: the contracts, and a summary by type, form, method, direction, VSIC."""
    tables = await _contract_tables(session, period)
    name = exports.filename("contracts", period.start, period.end, "xlsx")
    return _file(exports.workbook_bytes(tables), XLSX, name)


@open_data_router.get(
    "/listings.csv",
    name="listings_csv",
    summary="Published listings as CSV (open data)",
    response_class=StreamingResponse,
    responses=_file_doc(CSV),
)
async def listings_csv(session: StreamingSession) -> StreamingResponse:
    """Public fields of every published listing, streamed (UTF-8 with BOM; lists joined by ;)."""
    rows = repository.stream_open_listings(session)
    headers = exports.attachment("techx-listings.csv")
    return StreamingResponse(open_data.open_listings_csv(rows), media_type=CSV, headers=headers)


@open_data_router.get(
    "/listings.json",
    name="listings_json",
    summary="Published listings as JSON (open data)",
    response_model=list[s.OpenListing],
    response_class=StreamingResponse,
)
async def listings_json(session: StreamingSession) -> StreamingResponse:
    """Public fields of every published listing, streamed as one JSON array."""
    rows = repository.stream_open_listings(session)
    headers = exports.attachment("techx-listings.json")
    return StreamingResponse(
        open_data.open_listings_json(rows), media_type="application/json", headers=headers
    )


router = APIRouter()
router.include_router(kpi_router)
router.include_router(reports_router)
router.include_router(open_data_router)
