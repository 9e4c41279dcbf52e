"""GET /api/v1/kpi: what counts, what does not, breakdowns, periods, and direct SQL checks."""

from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.connections.models import (
    Connection,
    ConnectionChannel,
    ConnectionInitiator,
    ConnectionStatus,
)
from app.contracts.models import ContractStatus
from app.listings.models import ListingKind, ListingStatus
from tests.factories import create_listing, create_need, create_organisation
from tests.kpi.conftest import (
    API,
    MARCH,
    at,
    create_connection,
    create_contract,
    enterprise,
    target,
)


async def dashboard(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get(API, params=params or None)
    assert response.status_code == 200, response.text
    return dict(response.json())


def rows(t: dict[str, Any], breakdown: str) -> dict[str | None, dict[str, Any]]:
    return {r.get("key", r.get("month")): r for r in t["breakdowns"][breakdown]}


async def test_one_accepted_connection_counts_and_pending_or_declined_do_not(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_connection(session, ConnectionStatus.accepted)
    await create_connection(session, ConnectionStatus.requested)
    await create_connection(session, ConnectionStatus.declined)

    connections = target(await dashboard(client, **MARCH), "connections")

    assert connections["value"] == 1
    assert connections["target"] == 1500
    assert connections["comparison"] == "at_least"
    assert connections["share_of_target"] == round(1 / 1500, 4)
    assert connections["breakdowns"]["by_month"] == [
        {"month": "2026-03", "value": 1, "value_vnd": None, "total": None, "share": None}
    ]
    assert "declined" in connections["rule_en"]
    assert "Pending" in connections["rule_en"]


async def test_a_duplicate_request_cannot_be_recorded_so_it_cannot_count(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = await create_connection(session, ConnectionStatus.accepted)
    duplicate = Connection(
        listing_id=first.listing_id,
        supplier_organisation_id=first.supplier_organisation_id,
        seeker_organisation_id=first.seeker_organisation_id,
        initiator=ConnectionInitiator.seeker,
        channel=ConnectionChannel.online,
        status=ConnectionStatus.accepted,
        accepted_at=first.accepted_at,
    )
    savepoint = await session.begin_nested()
    session.add(duplicate)
    with pytest.raises(IntegrityError):
        await session.flush()
    await savepoint.rollback()

    assert target(await dashboard(client, **MARCH), "connections")["value"] == 1


async def test_later_stages_still_count_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_connection(session, ConnectionStatus.closed_no_deal, close_reason="Giá cao")
    await create_connection(session, ConnectionStatus.in_negotiation)
    await create_connection(session, ConnectionStatus.contracted)

    assert target(await dashboard(client, **MARCH), "connections")["value"] == 3


async def test_a_signed_licence_counts_with_its_value_and_a_draft_does_not(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_contract(session, ContractStatus.signed, value_vnd=2_000_000_000)
    await create_contract(session, ContractStatus.draft, value_vnd=9_000_000_000)
    await create_contract(
        session, contract_type="st_service", value_vnd=7_000_000_000, **_not_licence()
    )

    contracts = target(await dashboard(client, **MARCH), "contracts")

    assert contracts["value"] == 1
    assert contracts["value_vnd"] == 2_000_000_000
    assert contracts["currency"] == "VND"
    assert contracts["target"] == 50
    assert contracts["breakdowns"]["by_month"] == [
        {"month": "2026-03", "value": 1, "value_vnd": 2_000_000_000, "total": None, "share": None}
    ]


def _not_licence() -> dict[str, Any]:
    return {"licence_territory": None, "sublicensing_allowed": None, "form": None, "methods": []}


async def test_a_contract_signed_then_terminated_still_counts(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_contract(session, ContractStatus.terminated, value_vnd=500_000_000)
    await create_contract(
        session, contract_type="equipment_sale", value_vnd=300_000_000, **_not_licence()
    )

    contracts = target(await dashboard(client, **MARCH), "contracts")

    assert (contracts["value"], contracts["value_vnd"]) == (2, 800_000_000)


async def test_breakdowns_add_up_to_the_totals(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    brvt = await create_listing(
        session,
        source_exchange="brvt",
        sectors=["mechanical", "ai"],
        trl=4,
        kind=ListingKind.research_result,
    )
    equipment = await create_listing(session, kind=ListingKind.equipment, sectors=[])
    need = await create_need(session, sectors=["biotechnology"])
    await create_connection(session, listing=brvt, accepted=date(2026, 3, 2))
    await create_connection(session, channel=ConnectionChannel.event, accepted=date(2026, 3, 30))
    await create_connection(session, listing=equipment, channel=ConnectionChannel.broker)
    by_need = await create_connection(session, need=need)
    await create_contract(session, connection=by_need, sector=None, value_vnd=100)
    await create_contract(session, value_vnd=50, sector="electronics_it")

    body = await dashboard(client, **MARCH)
    connections, contracts = target(body, "connections"), target(body, "contracts")

    assert connections["value"] == 5  # four above and the second contract's own connection
    for name in ("by_month", "by_source_exchange", "by_trl", "by_tier", "by_channel"):
        assert sum(r["value"] for r in connections["breakdowns"][name]) == 5, name
    sectors = rows(connections, "by_sector")
    assert (sectors["mechanical"]["value"], sectors["ai"]["value"]) == (1, 1)
    assert sectors["food_processing"]["value"] == 2
    assert sectors["biotechnology"]["value"] == 1  # from the need: no listing
    assert sectors[None]["value"] == 1  # the equipment listing has no sector
    assert sum(r["value"] for r in connections["breakdowns"]["by_sector"]) == 6  # 2 sectors
    assert rows(connections, "by_source_exchange")["brvt"]["value"] == 1
    assert rows(connections, "by_trl")["4"]["value"] == 1
    assert rows(connections, "by_trl")[None]["value"] == 2  # equipment, and the need
    assert rows(connections, "by_tier")["middle"]["value"] == 1
    assert rows(connections, "by_tier")["base"]["value"] == 1
    assert rows(connections, "by_channel")["event"]["value"] == 1

    assert (contracts["value"], contracts["value_vnd"]) == (2, 150)
    for name in ("by_month", "by_source_exchange", "by_trl", "by_tier"):
        breakdown = contracts["breakdowns"][name]
        assert sum(r["value"] for r in breakdown) == 2, name
        assert sum(r["value_vnd"] for r in breakdown) == 150, name
    contract_sectors = rows(contracts, "by_sector")
    assert contract_sectors["biotechnology"]["value_vnd"] == 100  # the need's sector
    assert contract_sectors["electronics_it"]["value_vnd"] == 50  # the contract's own sector
    assert contracts["breakdowns"]["by_channel"] is None


async def test_partner_reported_connections_belong_to_the_reporting_exchange(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    partner = await create_organisation(session, source_exchange="binh_duong")
    await create_connection(
        session,
        channel=ConnectionChannel.partner_exchange,
        partner_organisation_id=partner.id,
        partner_exchange="binh_duong",
        external_ref="BD-2026-0042",
    )

    connections = target(await dashboard(client, **MARCH), "connections")

    assert rows(connections, "by_source_exchange")["binh_duong"]["value"] == 1
    assert rows(connections, "by_channel")["partner_exchange"]["value"] == 1


async def test_the_period_selects_by_acceptance_and_signing_dates(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    february = await create_connection(session, accepted=date(2026, 2, 27))
    await create_contract(session, connection=february, signed=date(2026, 4, 2))
    await create_connection(session, accepted=date(2026, 3, 31))

    march = await dashboard(client, **MARCH)
    spring = await dashboard(client, **{"from": "2026-02-01", "to": "2026-04-30"})

    assert target(march, "connections")["value"] == 1
    assert target(march, "contracts")["value"] == 0
    assert march["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert target(spring, "connections")["value"] == 2
    assert target(spring, "contracts")["value"] == 1
    months = target(spring, "connections")["breakdowns"]["by_month"]
    assert [(m["month"], m["value"]) for m in months] == [
        ("2026-02", 1),
        ("2026-03", 1),
        ("2026-04", 0),
    ]


async def test_a_period_ending_before_it_starts_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(API, params={"from": "2026-05-01", "to": "2026-04-30"})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"query.from", "query.to"}


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"from": "0001-01-01"}, {"query.from"}),
        ({"to": "9999-12-31"}, {"query.to"}),
        ({"from": "1999-12-31", "to": "2101-01-01"}, {"query.from", "query.to"}),
    ],
)
async def test_dates_outside_the_reporting_range_are_refused(
    client: httpx.AsyncClient, params: dict[str, str], fields: set[str]
) -> None:
    response = await client.get(API, params=params)

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == fields


async def test_a_malformed_date_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(API, params={"from": "01/03/2026"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "from"]


async def test_the_default_period_is_all_time_to_today(client: httpx.AsyncClient) -> None:
    body = await dashboard(client)

    assert body["period"]["from"] is None
    assert date.fromisoformat(body["period"]["to"]) >= date(2026, 11, 1)
    assert [t["code"] for t in body["targets"]] == ["connections", "contracts", "ip_dossier"]


IP_SQL = """
    SELECT count(*) FILTER (WHERE ip_dossier_clear), count(*)
    FROM listings
    WHERE status = 'published' AND kind IN ('technology', 'research_result', 'ip_right')
"""


async def test_the_ip_share_equals_a_direct_sql_count(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_listing(session, ip_dossier_clear=True)
    await create_listing(session, kind=ListingKind.ip_right, ip_dossier_clear=True)
    await create_listing(session, kind=ListingKind.research_result)
    await create_listing(session, ip_dossier_clear=True, status=ListingStatus.draft)
    await create_listing(session, kind=ListingKind.equipment, ip_dossier_clear=True)
    clear, total = (await session.execute(text(IP_SQL))).one()

    ip = target(await dashboard(client), "ip_dossier")

    assert (ip["numerator"], ip["denominator"]) == (clear, total)
    assert ip["value"] == round(clear / total, 4)
    assert ip["target"] == 0.7
    assert ip["comparison"] == "more_than"
    assert ip["projection_2030"]["method"] == "current_share"
    assert ip["projection_2030"]["on_track"] is (clear / total > 0.7)
    by_month = ip["breakdowns"]["by_month"]
    assert sum(m["value"] for m in by_month) == clear
    assert sum(m["total"] for m in by_month) == total
    for name in ("by_source_exchange", "by_trl", "by_tier"):
        assert sum(r["total"] for r in ip["breakdowns"][name]) == total, name
    assert "independent valuation" in ip["rule_en"]


async def test_the_ip_share_is_a_stock_at_the_end_of_the_period(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_listing(session, ip_dossier_clear=True, published_at=at(date(2026, 1, 5)))
    await create_listing(session, published_at=at(date(2026, 3, 5)))
    await create_listing(session, ip_dossier_clear=True, published_at=at(date(2026, 5, 5)))
    sql = IP_SQL + " AND published_at < '2026-04-01T00:00:00+07:00'"
    clear, total = (await session.execute(text(sql))).one()

    ip = target(await dashboard(client, **MARCH), "ip_dossier")

    assert (ip["numerator"], ip["denominator"]) == (clear, total)
    assert ip["breakdowns"]["by_month"][-1]["month"] == "2026-03"


async def test_connection_and_contract_counts_equal_direct_sql(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    company = await enterprise(session)
    await create_connection(session, seeker=company)
    await create_connection(session, ConnectionStatus.declined, seeker=company)
    await create_contract(session, value_vnd=123)
    await create_contract(session, ContractStatus.completed, value_vnd=456)
    connections_sql = """
        SELECT count(*) FROM connections
        WHERE status IN ('accepted', 'in_negotiation', 'contracted', 'closed_no_deal')
          AND accepted_at IS NOT NULL
    """
    contracts_sql = """
        SELECT count(*), coalesce(sum(value_vnd), 0) FROM contracts
        WHERE status IN ('signed', 'in_execution', 'completed', 'terminated')
          AND contract_type IN ('ownership_assignment', 'licence_exclusive',
              'licence_non_exclusive', 'capital_contribution', 'joint_development',
              'equipment_sale')
    """
    connections = (await session.execute(text(connections_sql))).scalar_one()
    contracts, value = (await session.execute(text(contracts_sql))).one()

    body = await dashboard(client)

    assert target(body, "connections")["value"] == connections
    assert (target(body, "contracts")["value"], target(body, "contracts")["value_vnd"]) == (
        contracts,
        value,
    )


async def test_the_projection_uses_the_records_up_to_the_period_end(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for day in (date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)):
        await create_connection(session, accepted=day)

    projection = target(await dashboard(client, **MARCH), "connections")["projection_2030"]

    assert projection["as_of"] == "2026-03-31"
    assert projection["method"] == "linear_rate"
    assert date.fromisoformat(projection["window_start"]) <= date(2026, 1, 10)
    assert projection["rate_per_month"] > 0
    assert projection["projected_total"] > 3
    assert projection["on_track"] is False


async def test_the_dashboard_is_public_and_names_nobody(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    company = await enterprise(session, name_vi="Công ty Bí Mật Ẩn Danh")
    await create_connection(session, seeker=company)

    response = await client.get(API, params=MARCH)

    assert response.status_code == 200
    assert "Bí Mật Ẩn Danh" not in response.text
