"""Report files (CSV/XLSX) and the open-data export of listings."""

import csv
import io
import json
from datetime import date
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrgRole
from app.contracts.models import ContractStatus, PartnerDirection
from app.core.config import Settings
from app.listings.models import ListingKind, ListingStatus
from tests.factories import create_listing, create_organisation, create_user
from tests.kpi.conftest import (
    API,
    MARCH,
    OPEN_DATA,
    REPORTS,
    create_connection,
    create_contract,
    partner_client_headers,
    staff,
    target,
)

MARKER = "MAT-KHAU-QUY-TRINH-7f3a"  # appears only in confidential fields


def sheet_rows(content: bytes, title: str) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(r) for r in book[title].iter_rows(values_only=True)]


def csv_rows(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def march_data(session: AsyncSession) -> None:
    connection = await create_connection(session, accepted=date(2026, 3, 3))
    await create_contract(session, connection=connection, value_vnd=2_000_000_000)
    await create_listing(session, ip_dossier_clear=True, kind=ListingKind.ip_right)


# --- the dashboard's files -------------------------------------------------------------------


async def test_the_xlsx_export_holds_the_numbers_of_the_json(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await march_data(session)
    body = (await client.get(API, params=MARCH)).json()

    response = await client.get(f"{REPORTS}/kpi.xlsx", params=MARCH)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"] == (
        'attachment; filename="techx-kpi_2026-03-01_2026-03-31.xlsx"'
    )
    targets = sheet_rows(response.content, "Chỉ tiêu (Targets)")
    assert targets[0][0] == "Mã chỉ tiêu / Target code"
    by_code = {row[0]: row for row in targets[1:]}
    for code in ("connections", "contracts", "ip_dossier"):
        t = target(body, code)
        row = by_code[code]
        assert row[4] == t["value"], code
        assert row[5] == t["target"], code
        assert row[12] == t["projection_2030"]["projected_total"], code
    assert by_code["contracts"][10] == target(body, "contracts")["value_vnd"] == 2_000_000_000
    assert by_code["connections"][4] == 1
    assert by_code["ip_dossier"][8] == target(body, "ip_dossier")["numerator"]

    months = sheet_rows(response.content, "Theo tháng (By month)")
    march = {r[0]: r for r in months[1:] if r[1] == "2026-03"}
    assert march["connections"][4] == 1
    assert march["contracts"][5] == 2_000_000_000
    sectors = sheet_rows(response.content, "Theo lĩnh vực (By sector)")
    food = next(r for r in sectors if r[0] == "connections" and r[1] == "food_processing")
    assert food[2] == "Chế biến lương thực – thực phẩm"
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "Quy tắc (Rules)" in book.sheetnames
    assert "Theo kênh (By channel)" in book.sheetnames


async def test_the_csv_export_has_a_bom_bilingual_headers_and_the_figures(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await march_data(session)
    body = (await client.get(API, params=MARCH)).json()

    response = await client.get(f"{REPORTS}/kpi.csv", params=MARCH)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "techx-kpi_2026-03-01_2026-03-31.csv" in response.headers["content-disposition"]
    table = csv_rows(response)
    assert table[0][:3] == ["Phần / Section", "Mã chỉ tiêu / Target code", "Mã / Key"]
    targets = {r[1]: r for r in table if r[0] == "Chỉ tiêu (Targets)"}
    assert int(targets["connections"][5]) == target(body, "connections")["value"] == 1
    assert int(targets["contracts"][6]) == 2_000_000_000
    assert float(targets["ip_dossier"][5]) == target(body, "ip_dossier")["value"]
    channels = [r for r in table if r[0] == "Theo kênh (By channel)" and r[2] == "online"]
    assert int(channels[0][5]) == 1


async def test_the_dashboard_files_refuse_a_reversed_period(client: httpx.AsyncClient) -> None:
    response = await client.get(
        f"{REPORTS}/kpi.xlsx", params={"from": "2026-04-01", "to": "2026-03-01"}
    )

    assert response.status_code == 422


# --- contracts (staff only) --------------------------------------------------------------------


async def test_contract_reports_are_refused_to_anonymous_callers(
    client: httpx.AsyncClient,
) -> None:
    for name in ("contracts.csv", "contracts.xlsx"):
        response = await client.get(f"{REPORTS}/{name}")
        assert response.status_code == 401, name


async def test_contract_reports_are_refused_to_parties_and_brokers(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    contract = await create_contract(session)
    buyer = await session.get_one(Organisation, contract.buyer_organisation_id)
    party = await create_user(session, buyer, OrgRole.owner)
    broker_firm = await create_organisation(session)
    broker = await create_user(session, broker_firm, OrgRole.owner, platform_roles=["broker"])

    for user in (party, broker):
        response = await client.get(f"{REPORTS}/contracts.csv", headers=auth_headers(user))
        assert response.status_code == 403, user.email
        assert response.json()["status"] == 403


async def test_a_partner_client_reads_the_dashboard_but_not_the_contracts(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    headers = await partner_client_headers(session, settings)

    dashboard = await client.get(API, params=MARCH, headers=headers)
    contracts = await client.get(f"{REPORTS}/contracts.xlsx", headers=headers)

    assert dashboard.status_code == 200
    assert contracts.status_code == 403


async def test_staff_get_one_row_per_signed_contract(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    signed = await create_contract(
        session,
        value_vnd=2_000_000_000,
        sector="food_processing",
        partner_direction=PartnerDirection.inbound,
        registration_required=True,
        registration_deadline=date(2026, 6, 18),
        reference="HĐ-2026/017",
    )
    await create_contract(session, ContractStatus.draft)
    await create_contract(session, signed=date(2026, 2, 1))
    moderator = await staff(session)

    response = await client.get(
        f"{REPORTS}/contracts.csv", params=MARCH, headers=auth_headers(moderator)
    )

    assert response.status_code == 200
    assert "techx-contracts_2026-03-01_2026-03-31.csv" in response.headers["content-disposition"]
    table = csv_rows(response)
    assert table[0][0] == "Mã hợp đồng / Contract id"
    assert len(table) == 2  # the header and the one contract signed in March
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Mã hợp đồng / Contract id"] == str(signed.id)
    assert row["Số hợp đồng / Reference"] == "HĐ-2026/017"
    assert row["Loại hợp đồng / Contract type"] == "licence_non_exclusive"
    assert row["Tính vào chỉ tiêu 50 / Counts toward the 50 target"] == "true"
    assert row["Hình thức (Điều 5) / Form (Art. 5)"] == "standalone"
    assert row["Phương thức (Điều 6) / Methods (Art. 6)"] == "documents;training"
    assert row["Chiều chuyển giao / Partner direction"] == "inbound"
    assert row["Ngành VSIC / VSIC section"] == "C"
    assert row["Giá trị (VND) / Value (VND)"] == "2000000000"
    assert row["Ngày ký / Signed date"] == "2026-03-20"
    assert row["Hạn đăng ký / Registration deadline"] == "2026-06-18"


async def test_the_contracts_workbook_summarises_by_form_method_direction_and_vsic(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    await create_contract(session, value_vnd=100, methods=["documents", "training"])
    await create_contract(session, value_vnd=20, methods=["documents"], vsic_section="J")
    await create_contract(
        session,
        contract_type="st_service",
        value_vnd=3,
        licence_territory=None,
        sublicensing_allowed=None,
        form=None,
        methods=[],
        vsic_section="M",
    )
    admin = await staff(session, "operator_admin")

    response = await client.get(
        f"{REPORTS}/contracts.xlsx", params=MARCH, headers=auth_headers(admin)
    )

    assert response.status_code == 200
    contracts = sheet_rows(response.content, "Hợp đồng (Contracts)")
    assert len(contracts) == 4
    counted = {r[3]: r[5] for r in contracts[1:]}
    assert counted == {"licence_non_exclusive": True, "st_service": False}
    summary = {(r[0], r[1]): r for r in sheet_rows(response.content, "Tổng hợp (Summary)")[1:]}
    assert summary[("total", None)][4:] == (3, 123)
    assert summary[("method", "documents")][4:] == (2, 120)
    assert summary[("method", "training")][4:] == (1, 100)
    assert summary[("method", None)][4:] == (1, 3)
    assert summary[("form", "standalone")][4:] == (2, 120)
    assert summary[("form", "standalone")][2] == "Chuyển giao công nghệ độc lập"
    assert summary[("partner_direction", "domestic")][4:] == (3, 123)
    assert summary[("vsic_section", "C")][4:] == (1, 100)
    assert summary[("contract_type", "st_service")][4:] == (1, 3)


# --- open data ---------------------------------------------------------------------------------


async def secret_and_draft(session: AsyncSession) -> tuple[Any, Any]:
    organisation = await create_organisation(session, name_vi="Viện Công nghệ Sinh học Mở")
    published = await create_listing(
        session,
        organisation,
        title_vi="Công nghệ lên men vi sinh đặc biệt",
        sectors=["biotechnology", "food_processing"],
        process_summary=f"Bí quyết {MARKER}",
        confidential_detail=f"Chi tiết {MARKER}",
        pending_changes={"price_vnd": MARKER},
        price_vnd=750_000_000,
        price_type="negotiable",
    )
    draft = await create_listing(
        session, organisation, status=ListingStatus.draft, title_vi="Bản nháp chưa công bố"
    )
    return published, draft


async def test_open_data_csv_has_public_fields_of_published_listings_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    published, draft = await secret_and_draft(session)

    response = await client.get(f"{OPEN_DATA}/listings.csv")

    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="techx-listings.csv"'
    assert MARKER not in response.text
    table = csv_rows(response)
    header = table[0]
    assert header[:3] == ["id", "kind", "tier"]
    for private in ("process_summary", "confidential_detail", "pending_changes", "created_by_id"):
        assert private not in header
    listed = {r[0]: dict(zip(header, r, strict=True)) for r in table[1:]}
    assert str(draft.id) not in listed
    row = listed[str(published.id)]
    assert row["title_vi"] == "Công nghệ lên men vi sinh đặc biệt"
    assert row["sectors"] == "biotechnology;food_processing"
    assert row["organisation_name_vi"] == "Viện Công nghệ Sinh học Mở"
    assert row["price_vnd"] == "750000000"
    assert row["ip_dossier_clear"] == "false"


async def test_open_data_json_has_public_fields_of_published_listings_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    published, draft = await secret_and_draft(session)

    response = await client.get(f"{OPEN_DATA}/listings.json")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert MARKER not in response.text
    items = {item["id"]: item for item in json.loads(response.content)}
    assert str(draft.id) not in items
    item = items[str(published.id)]
    assert set(item) == {
        "id",
        "kind",
        "tier",
        "title_vi",
        "title_en",
        "summary_vi",
        "summary_en",
        "sectors",
        "vsic_sections",
        "trl",
        "ip_status",
        "ip_dossier_clear",
        "region",
        "source_exchange",
        "price_type",
        "price_vnd",
        "currency",
        "transfer_forms",
        "organisation_name_vi",
        "organisation_name_en",
        "published_at",
    }
    assert item["kind"] == "technology"
    assert item["tier"] == "upper"
    assert item["sectors"] == ["biotechnology", "food_processing"]


async def test_open_data_streams_every_published_listing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    organisation = await create_organisation(session)
    made = {str((await create_listing(session, organisation)).id) for _ in range(1001)}

    as_csv = await client.get(f"{OPEN_DATA}/listings.csv")
    as_json = await client.get(f"{OPEN_DATA}/listings.json")

    assert made <= {r[0] for r in csv_rows(as_csv)[1:]}
    assert made <= {item["id"] for item in json.loads(as_json.content)}


async def test_text_that_looks_like_a_formula_is_never_run_by_a_spreadsheet(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    formula = '=HYPERLINK("http://evil.example","Bấm vào đây")'
    listing = await create_listing(session, title_vi=formula)
    await create_contract(session, title=formula)
    moderator = await staff(session)

    listings = await client.get(f"{OPEN_DATA}/listings.csv")
    workbook = await client.get(
        f"{REPORTS}/contracts.xlsx", params=MARCH, headers=auth_headers(moderator)
    )

    row = next(r for r in csv_rows(listings) if r[0] == str(listing.id))
    assert row[3] == "'" + formula
    book = load_workbook(io.BytesIO(workbook.content))
    cell = book["Hợp đồng (Contracts)"]["C2"]
    assert (cell.value, cell.data_type) == (formula, "s")
