"""The counting rules of the 2030 targets, in code and in words, and the projection arithmetic.

Pure: no database, no HTTP. The repository applies the same rules in SQL; the texts below are
what the dashboard and the reports show, so a change to a rule changes its text here too.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Literal

from app.connections.models import COUNTED_STATUSES
from app.contracts.models import SIGNED_STATUSES, PartnerDirection
from app.listings.models import TECHNOLOGY_KINDS

# Dates of the targets are Vietnamese calendar days (UTC+7, no daylight saving).
VN_TZ = timezone(timedelta(hours=7))
VN_TZ_NAME = "Asia/Ho_Chi_Minh"  # the same zone, as PostgreSQL names it
DEADLINE = date(2030, 12, 31)  # Decision 3628/QĐ-UBND: targets to 2030
PROJECTION_WINDOW_MONTHS = 12
DAYS_PER_MONTH = 365.25 / 12


class TargetCode(StrEnum):
    connections = "connections"
    contracts = "contracts"
    ip_dossier = "ip_dossier"


CONNECTIONS_TARGET = 1500
CONTRACTS_TARGET = 50
IP_SHARE_TARGET = 0.70  # "more than 70 %": strictly greater

# Technology transfer (Law on TT 07/2017 Art. 5: assignment, licences, capital contribution with
# technology, joint development as the contracts domain classifies it) or equipment sale.
# An explicit list: a contract type added to the vocabulary later counts only once added here.
COUNTED_CONTRACT_TYPES = frozenset(
    {
        "ownership_assignment",
        "licence_exclusive",
        "licence_non_exclusive",
        "capital_contribution",
        "joint_development",
        "equipment_sale",
    }
)

COUNTED_CONNECTION_STATUSES = frozenset(s.value for s in COUNTED_STATUSES)
COUNTED_CONTRACT_STATUSES = frozenset(s.value for s in SIGNED_STATUSES)
IP_KINDS = frozenset(k.value for k in TECHNOLOGY_KINDS)

LABELS: dict[TargetCode, tuple[str, str]] = {
    TargetCode.connections: ("Kết nối cung – cầu công nghệ", "Supply–demand connections"),
    TargetCode.contracts: (
        "Hợp đồng chuyển giao công nghệ, mua bán thiết bị",
        "Technology-transfer and equipment-sale contracts",
    ),
    TargetCode.ip_dossier: (
        "Tỷ lệ công nghệ có hồ sơ SHTT rõ ràng và định giá độc lập",
        "Share of technologies with a clear IP dossier and an independent valuation",
    ),
}

RULES: dict[TargetCode, tuple[str, str]] = {
    TargetCode.connections: (
        "Một kết nối được tính khi đã được chấp nhận: trạng thái đã chấp nhận, đang đàm phán, "
        "đã ký hợp đồng, hoặc kết thúc không giao dịch (chỉ có thể sau khi đã chấp nhận), và có "
        "ngày chấp nhận. Yêu cầu đang chờ và yêu cầu bị từ chối không được tính. Mỗi cặp (tin "
        "cung + tổ chức tìm kiếm, hoặc nhu cầu + tổ chức cung ứng) chỉ có một bản ghi nên chỉ "
        "được tính một lần. Kết nối được xếp vào kỳ và tháng theo ngày chấp nhận (giờ Việt Nam). "
        "Sàn nguồn: sàn đối tác đã báo cáo kết nối, nếu không thì sàn nguồn của tin cung (hoặc "
        "của nhu cầu). Lĩnh vực, TRL và tầng tháp lấy từ tin cung (lĩnh vực lấy từ nhu cầu khi "
        "không có tin cung); kết nối thuộc nhiều lĩnh vực được tính ở mỗi lĩnh vực, nên tổng các "
        "dòng theo lĩnh vực có thể lớn hơn tổng số.",
        "A connection counts once it has been accepted: status accepted, in negotiation, "
        "contracted, or closed without a deal (reachable only after acceptance), with an "
        "acceptance date. Pending and declined requests do not count. Each pair (listing + "
        "seeking organisation, or need + supplying organisation) has one record, so it counts "
        "once. A connection falls in the period and month of its acceptance date (Viet Nam "
        "time). Source exchange: the partner exchange that reported it, else the listing's (or "
        "the need's) source exchange. Sector, TRL and pyramid tier come from the listing (the "
        "sector from the need when there is no listing); a connection in several sectors counts "
        "in each, so the sector rows may add up to more than the total.",
    ),
    TargetCode.contracts: (
        "Một hợp đồng được tính khi đã ký: trạng thái đã ký, đang thực hiện, đã hoàn thành, "
        "hoặc đã chấm dứt sau khi ký (hợp đồng đã ký rồi chấm dứt vẫn được tính vì nó đã được "
        "ký). Bản nháp không được tính. Chỉ tính hợp đồng chuyển giao công nghệ (chuyển giao "
        "quyền sở hữu, chuyển giao quyền sử dụng độc quyền hoặc không độc quyền, góp vốn bằng "
        "công nghệ, hợp tác phát triển công nghệ) và hợp đồng mua bán máy móc, thiết bị; hợp "
        "đồng dịch vụ KH&CN không được tính. Hợp đồng được xếp vào kỳ và tháng theo ngày ký. "
        "Giá trị là tổng giá trị hợp đồng (VND). Lĩnh vực: lĩnh vực ghi trên hợp đồng, nếu không "
        "có thì lĩnh vực của tin cung (hoặc của nhu cầu); tổng các dòng theo lĩnh vực có thể lớn "
        "hơn tổng số. Sàn nguồn, TRL, tầng tháp như đối với kết nối.",
        "A contract counts once it has been signed: status signed, in execution, completed, or "
        "terminated after signing (a contract signed and then terminated was signed, so it "
        "still counts). Drafts do not count. Only technology-transfer contracts (ownership "
        "assignment, exclusive or non-exclusive licence, capital contribution with technology, "
        "joint development) and equipment-sale contracts count; S&T service contracts do not. "
        "A contract falls in the period and month of its signed date. The value is the sum of "
        "the contract values in VND. Sector: the contract's own sector, else the listing's (or "
        "the need's) sectors; the sector rows may add up to more than the total. Source "
        "exchange, TRL and pyramid tier as for connections.",
    ),
    TargetCode.ip_dossier: (
        "Tỷ lệ = số tin cung đang công bố thuộc loại công nghệ, kết quả nghiên cứu hoặc quyền "
        "SHTT có hồ sơ SHTT rõ ràng / tổng số tin cung đang công bố thuộc các loại đó. Hồ sơ rõ "
        "ràng khi: (a) có ít nhất một quyền SHTT và mọi quyền đều có số văn bằng (số đơn khi "
        "đang nộp đơn), có tài liệu chứng minh và đã được Sàn xác minh — hoặc không có quyền "
        "nào và tin được khai là bí quyết kỹ thuật kèm bản tuyên bố của chủ sở hữu; và (b) có ít "
        "nhất một kết quả định giá độc lập đã được Sàn xác minh. Đây là số liệu tồn tại cuối kỳ: "
        "tính mọi tin được công bố đến ngày cuối kỳ (ngày đầu kỳ không áp dụng), theo tình trạng "
        "hồ sơ hiện tại. Theo tháng: theo tháng công bố. Mục tiêu: trên 70 %.",
        "Share = published listings of kind technology, research result or IP right whose IP "
        "dossier is clear / all published listings of those kinds. A dossier is clear when "
        "(a) at least one IP right is recorded and every right has its number (the application "
        "number while pending), an evidence document and the operator's verification — or no "
        "right is recorded and the listing is declared secret know-how with the owner's "
        "declaration attached; and (b) at least one independent valuation is verified by the "
        "operator. A stock figure at the end of the period: every listing published up to the "
        "period's last day counts (the period's first day does not apply), with its current "
        "dossier state. By month: by month of publication. Target: more than 70 %.",
    ),
}

UNCLASSIFIED = ("Chưa phân loại", "Unclassified")

DIRECTION_LABELS: dict[str, tuple[str, str]] = {
    PartnerDirection.domestic: ("Trong nước", "Domestic"),
    PartnerDirection.inbound: ("Từ nước ngoài vào Việt Nam", "Inbound (from abroad)"),
    PartnerDirection.outbound: ("Từ Việt Nam ra nước ngoài", "Outbound (abroad)"),
}


def vn_today() -> date:
    return datetime.now(UTC).astimezone(VN_TZ).date()


def day_start(day: date) -> datetime:
    """The first instant of a Vietnamese calendar day, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


def contract_counts(contract_type: str, status: str) -> bool:
    return contract_type in COUNTED_CONTRACT_TYPES and status in COUNTED_CONTRACT_STATUSES


def share(part: int, whole: int) -> float:
    """part / whole rounded to 4 places; 0 when there is nothing to divide."""
    return round(part / whole, 4) if whole else 0.0


# --- months ----------------------------------------------------------------------------------


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from first to last inclusive (empty when first is after last)."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while (year, month) <= (int(last[:4]), int(last[5:7])):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_span(counted: list[str], start: date | None, end: date) -> list[str]:
    """The months a by-month breakdown lists: the whole period, gaps filled with zero rows.

    Without a start, the span begins at the first month holding a record.
    """
    first = month_key(start) if start else (min(counted) if counted else None)
    return months_between(first, month_key(end)) if first else []


# --- projection to 2030 ----------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    method: Literal["linear_rate", "current_share"]
    as_of: date
    deadline: date
    window_start: date | None
    window_months: float
    rate_per_month: float
    projected_total: float
    on_track: bool


def window_start(as_of: date, first_record: date | None) -> date | None:
    """The rate's window: the last 12 months up to `as_of`, or since the first record if later."""
    if first_record is None:
        return None
    try:
        year_ago = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        year_ago = as_of.replace(year=as_of.year - 1, day=28)
    return max(first_record, year_ago + timedelta(days=1))


def months_in(start: date, end: date) -> float:
    """Length of [start, end] (both days included) in average months."""
    return ((end - start).days + 1) / DAYS_PER_MONTH


def project_count(
    *,
    as_of: date,
    total_to_date: int,
    window_from: date | None,
    in_window: int,
    target: int,
    deadline: date = DEADLINE,
) -> Projection:
    """Total at the deadline if records keep coming at the window's monthly rate.

    The window is at least one month long, so a burst in the first days of operation is not
    extrapolated into an absurd rate.
    """
    window = max(1.0, months_in(window_from, as_of)) if window_from else 0.0
    rate = in_window / window if window else 0.0
    remaining = max(0, (deadline - as_of).days) / DAYS_PER_MONTH
    projected = total_to_date + rate * remaining
    return Projection(
        method="linear_rate",
        as_of=as_of,
        deadline=deadline,
        window_start=window_from,
        window_months=round(window, 2),
        rate_per_month=round(rate, 2),
        projected_total=round(projected, 1),
        on_track=projected >= target,
    )


def project_share(*, as_of: date, current: float, target: float) -> Projection:
    """A share has no trend to extrapolate (dossier states have no history): it is held as is."""
    return Projection(
        method="current_share",
        as_of=as_of,
        deadline=DEADLINE,
        window_start=None,
        window_months=0.0,
        rate_per_month=0.0,
        projected_total=current,
        on_track=current > target,
    )
