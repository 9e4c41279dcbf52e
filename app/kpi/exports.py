"""CSV and XLSX files of the dashboard and of contracts.

Files are built from the same objects the JSON API returns (the dashboard) or from one query
(contracts), so a figure in a file is the figure on the screen. CSV is UTF-8 with a byte-order
mark: without it Excel reads Vietnamese as mojibake.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from app.kpi import rules
from app.kpi import schemas as s

BOM = "\ufeff"
Cell = str | int | float | bool | date | None


@dataclass(frozen=True)
class Table:
    title: str  # also the XLSX sheet name: at most 31 characters
    headers: list[str]
    rows: list[list[Cell]]


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return BOM + out.getvalue()


# Text a spreadsheet would run as a formula (CSV injection, OWASP): titles are user input.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(cell: Cell) -> Cell:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def _xlsx_cell(sheet: Any, cell: Cell) -> Any:
    """Strings stay strings: openpyxl would store text starting with "=" as a formula."""
    if not isinstance(cell, str):
        return cell
    written = WriteOnlyCell(sheet, value=cell)
    written.data_type = "s"
    return written


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(stem: str, start: date | None, end: date, extension: str) -> str:
    return f"techx-{stem}_{start.isoformat() if start else 'all'}_{end.isoformat()}.{extension}"


def attachment(name: str) -> dict[str, str]:
    """Our file names are ASCII, so the plain `filename=` form is exact."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


# --- the dashboard ----------------------------------------------------------------------------

TARGET_HEADERS = [
    "Mã chỉ tiêu / Target code",
    "Chỉ tiêu / Target (vi)",
    "Target (en)",
    "Đơn vị / Unit",
    "Giá trị / Value",
    "Mục tiêu 2030 / 2030 target",
    "So sánh / Comparison",
    "Tỷ lệ đạt mục tiêu / Share of target",
    "Số hồ sơ rõ ràng / Clear dossiers",
    "Số công nghệ công bố / Published technologies",
    "Giá trị hợp đồng (VND) / Contract value (VND)",
    "Tốc độ mỗi tháng / Rate per month",
    "Dự báo đến 31/12/2030 / Projected at 2030-12-31",
    "Đạt tiến độ / On track",
]
BREAKDOWN_HEADERS = [
    "Mã chỉ tiêu / Target code",
    "Mã / Key",
    "Tên / Label (vi)",
    "Label (en)",
    "Giá trị / Value",
    "Giá trị hợp đồng (VND) / Contract value (VND)",
    "Tổng số / Total",
    "Tỷ lệ / Share",
]
BREAKDOWN_SHEETS = {
    "by_month": "Theo tháng (By month)",
    "by_source_exchange": "Theo sàn (By exchange)",
    "by_sector": "Theo lĩnh vực (By sector)",
    "by_trl": "Theo TRL (By TRL)",
    "by_tier": "Theo tầng tháp (By tier)",
    "by_channel": "Theo kênh (By channel)",
}
TARGETS_SHEET = "Chỉ tiêu (Targets)"
RULES_SHEET = "Quy tắc (Rules)"


def _target_row(t: s.Target) -> list[Cell]:
    p = t.projection_2030
    return [
        t.code,
        t.label_vi,
        t.label_en,
        t.unit,
        t.value,
        t.target,
        t.comparison,
        t.share_of_target,
        t.numerator,
        t.denominator,
        t.value_vnd,
        p.rate_per_month,
        p.projected_total,
        p.on_track,
    ]


def _breakdown_rows(t: s.Target, name: str) -> list[list[Cell]]:
    rows: list[Any] = getattr(t.breakdowns, name) or []
    if name == "by_month":
        return [
            [t.code, r.month, r.month, r.month, r.value, r.value_vnd, r.total, r.share]
            for r in rows
        ]
    return [
        [t.code, r.key, r.label_vi, r.label_en, r.value, r.value_vnd, r.total, r.share]
        for r in rows
    ]


def dashboard_tables(d: s.Dashboard) -> list[Table]:
    tables = [Table(TARGETS_SHEET, TARGET_HEADERS, [_target_row(t) for t in d.targets])]
    for name, title in BREAKDOWN_SHEETS.items():
        rows = [row for t in d.targets for row in _breakdown_rows(t, name)]
        tables.append(Table(title, BREAKDOWN_HEADERS, rows))
    period: list[list[Cell]] = [
        ["period", "Từ ngày / From", d.period.from_],
        ["period", "Đến ngày / To", d.period.to],
    ]
    rules_rows: list[list[Cell]] = [[t.code, t.rule_vi, t.rule_en] for t in d.targets]
    tables.append(
        Table(
            RULES_SHEET,
            ["Mã / Code", "Quy tắc tính / Counting rule (vi)", "Counting rule (en)"],
            [*period, *rules_rows],
        )
    )
    return tables


def dashboard_csv(d: s.Dashboard) -> str:
    """One long table: a section column, the breakdown sheets' columns, then the targets'."""
    headers = [
        "Phần / Section",
        *BREAKDOWN_HEADERS,
        "Mục tiêu 2030 / 2030 target",
        "Tỷ lệ đạt mục tiêu / Share of target",
        "Dự báo đến 31/12/2030 / Projected at 2030-12-31",
        "Đạt tiến độ / On track",
    ]
    rows: list[list[Cell]] = []
    for t in d.targets:
        p = t.projection_2030
        head: list[Cell] = [TARGETS_SHEET, t.code, t.code, t.label_vi, t.label_en, t.value]
        rows.append(
            [*head, t.value_vnd, t.denominator, None, t.target, t.share_of_target]
            + [p.projected_total, p.on_track]
        )
    for name, title in BREAKDOWN_SHEETS.items():
        for t in d.targets:
            rows.extend([title, *row, None, None, None, None] for row in _breakdown_rows(t, name))
    return csv_text(headers, rows)


# --- contracts (MOST-style statistics) --------------------------------------------------------

CONTRACT_HEADERS = [
    "Mã hợp đồng / Contract id",
    "Số hợp đồng / Reference",
    "Tên hợp đồng / Title",
    "Loại hợp đồng / Contract type",
    "Loại (tên) / Type (label)",
    "Tính vào chỉ tiêu 50 / Counts toward the 50 target",
    "Trạng thái / Status",
    "Hình thức (Điều 5) / Form (Art. 5)",
    "Phương thức (Điều 6) / Methods (Art. 6)",
    "Chiều chuyển giao / Partner direction",
    "Ngành VSIC / VSIC section",
    "Lĩnh vực / Sector",
    "Giá trị (VND) / Value (VND)",
    "Ngày ký / Signed date",
    "Bên chuyển giao / Supplier",
    "Bên nhận / Buyer",
    "Vốn nhà nước / State funded",
    "Phải đăng ký / Registration required",
    "Hạn đăng ký / Registration deadline",
    "Số giấy chứng nhận / Certificate number",
    "Ngày chứng nhận / Certificate date",
]


def contract_row(row: Any, labels: dict[str, dict[str, tuple[str, str]]]) -> list[Cell]:
    c = row.Contract
    type_label = labels["contract_type"].get(c.contract_type, (c.contract_type, ""))[0]
    return [
        str(c.id),
        c.reference,
        c.title,
        c.contract_type,
        type_label,
        rules.contract_counts(c.contract_type, c.status.value),
        c.status.value,
        c.form,
        ";".join(c.methods),
        c.partner_direction.value,
        c.vsic_section,
        c.sector,
        c.value_vnd,
        c.signed_date,
        row.supplier_name,
        row.buyer_name,
        c.state_funded,
        c.registration_required,
        c.registration_deadline,
        c.registration_certificate_number,
        c.registration_certificate_date,
    ]


SUMMARY_HEADERS = [
    "Nhóm / Group",
    "Mã / Key",
    "Tên / Label (vi)",
    "Label (en)",
    "Số hợp đồng / Contracts",
    "Tổng giá trị (VND) / Total value (VND)",
]
# Summary group -> (vocabulary of its labels, how to read the codes of one contract).
SUMMARY_GROUPS: dict[str, tuple[str | None, Any]] = {
    "contract_type": ("contract_type", lambda c: [c.contract_type]),
    "form": ("contract_form", lambda c: [c.form]),
    "method": ("transfer_method", lambda c: c.methods or [None]),
    "partner_direction": (None, lambda c: [c.partner_direction.value]),
    "vsic_section": ("vsic_section", lambda c: [c.vsic_section]),
    "sector": ("sector", lambda c: [c.sector]),
}


def contract_summary(
    contracts: Sequence[Any], labels: dict[str, dict[str, tuple[str, str]]]
) -> list[list[Cell]]:
    """Counts and total value per group; a contract with two methods counts under both."""
    rows: list[list[Cell]] = [["total", None, "Tổng", "Total", len(contracts)]]
    rows[0].append(sum(c.value_vnd or 0 for c in contracts))
    for group, (vocabulary, codes_of) in SUMMARY_GROUPS.items():
        names = labels.get(vocabulary, {}) if vocabulary else rules.DIRECTION_LABELS
        counts: dict[str | None, list[int]] = {}
        for c in contracts:
            for code in dict.fromkeys(codes_of(c)):
                tally = counts.setdefault(code, [0, 0])
                tally[0] += 1
                tally[1] += c.value_vnd or 0
        for code in sorted(counts, key=lambda k: (k is None, k or "")):
            label_vi, label_en = (
                rules.UNCLASSIFIED if code is None else names.get(code, (code, code))
            )
            rows.append([group, code, label_vi, label_en, *counts[code]])
    return rows


def contracts_tables(
    rows: Sequence[Any], labels: dict[str, dict[str, tuple[str, str]]]
) -> list[Table]:
    contracts = [r.Contract for r in rows]
    return [
        Table("Hợp đồng (Contracts)", CONTRACT_HEADERS, [contract_row(r, labels) for r in rows]),
        Table("Tổng hợp (Summary)", SUMMARY_HEADERS, contract_summary(contracts, labels)),
    ]
