"""On the demo data set, the dashboard and its workbook equal direct SQL counts."""

import io
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.seed import demo
from tests.kpi.conftest import API, REPORTS, target

CONNECTIONS = """
    SELECT count(*) FROM connections
    WHERE status IN ('accepted', 'in_negotiation', 'contracted', 'closed_no_deal')
      AND accepted_at IS NOT NULL
"""
CONTRACTS = """
    SELECT count(*), coalesce(sum(value_vnd), 0) FROM contracts
    WHERE status IN ('signed', 'in_execution', 'completed', 'terminated')
      AND signed_date IS NOT NULL
      AND contract_type IN ('ownership_assignment', 'licence_exclusive', 'licence_non_exclusive',
                            'capital_contribution', 'joint_development', 'equipment_sale')
"""
TECHNOLOGIES = """
    SELECT count(*) FILTER (WHERE ip_dossier_clear), count(*) FROM listings
    WHERE status = 'published' AND kind IN ('technology', 'research_result', 'ip_right')
"""


async def test_demo_figures_equal_direct_sql_counts(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    report = await demo.seed_demo(session)
    connections = (await session.execute(text(CONNECTIONS))).scalar_one()
    contracts, value = (await session.execute(text(CONTRACTS))).one()
    clear, technologies = (await session.execute(text(TECHNOLOGIES))).one()

    body: dict[str, Any] = (await client.get(API)).json()
    workbook = await client.get(f"{REPORTS}/kpi.xlsx")

    assert technologies >= 100  # the demo set is really there
    ip = target(body, "ip_dossier")
    assert (ip["numerator"], ip["denominator"]) == (clear, technologies)
    assert ip["value"] == round(report.clear_dossier_share, 4)
    assert target(body, "connections")["value"] == connections
    assert target(body, "contracts")["value"] == contracts
    assert target(body, "contracts")["value_vnd"] == value
    book = load_workbook(io.BytesIO(workbook.content), read_only=True)
    rows = {r[0]: r for r in book["Chỉ tiêu (Targets)"].iter_rows(min_row=2, values_only=True)}
    assert rows["connections"][4] == connections
    assert (rows["contracts"][4], rows["contracts"][10]) == (contracts, value)
    assert (rows["ip_dossier"][8], rows["ip_dossier"][9]) == (clear, technologies)
