"""Row builders: plain dicts of column values, composed from the templates with a seeded RNG.

Shared by the demo data set (`app.seed.demo`) and the benchmark generator (`bench.generate`), so
both produce the same kind of realistic rows. Builders never touch the database.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.core.text import nfc
from app.listings.models import TIER_BY_KIND, IPDeclaration, ListingKind, ListingStatus
from app.needs.models import NeedStatus, NeedVisibility
from app.seed.need_templates import NeedSeed
from app.seed.subjects import EquipmentSeed, ServiceSeed, Subject

DEMO_NAMESPACE = uuid.UUID("d3e0c5b1-2030-4c0d-8e5a-7ec4c0de2030")
# Every date is relative to this instant, so the data set is the same whenever it is loaded.
ANCHOR = datetime(2026, 11, 15, 2, 0, tzinfo=UTC)

EXTERNAL_PREFIX = {"brvt": "BRVT", "binh_duong": "BD", "national": "TP", "other": "EXT"}

KIND_TITLE = {
    ListingKind.research_result: ("Nghiên cứu ", "Research result: "),
}
RIGHT_TITLE = {
    "invention_patent": ("Sáng chế", "Patent"),
    "utility_solution": ("Giải pháp hữu ích", "Utility solution"),
    "industrial_design": ("Kiểu dáng công nghiệp", "Industrial design"),
    "ic_layout_design": ("Thiết kế bố trí mạch tích hợp", "IC layout design"),
    "copyright": ("Quyền tác giả chương trình máy tính", "Software copyright"),
    "plant_variety": ("Giống cây trồng được bảo hộ", "Protected plant variety"),
}
TECH_FORMS = [
    "licence_non_exclusive", "licence_exclusive", "ownership_assignment", "capital_contribution",
    "joint_development",
]  # fmt: skip


@dataclass(frozen=True)
class OrgRef:
    """What a listing or need needs to know about its organisation."""

    id: uuid.UUID
    region: str
    source_exchange: str
    created_by_id: uuid.UUID | None = None


def demo_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")


def _lower_first(text: str) -> str:
    # "Công nghệ…" -> "công nghệ…", but acronyms stay: "AI-assisted", "UAV…".
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _money(rng: random.Random, low_million: int, high_million: int) -> int:
    """VND rounded to 10 million, as people quote prices."""
    return rng.randrange(low_million // 10, high_million // 10 + 1) * 10_000_000


def listing_status(rng: random.Random) -> ListingStatus:
    return _weighted(
        rng,
        {
            ListingStatus.published: 80, ListingStatus.draft: 7, ListingStatus.submitted: 7,
            ListingStatus.rejected: 4, ListingStatus.archived: 2,
        },
    )  # fmt: skip


def _lifecycle(rng: random.Random, status: str) -> dict[str, Any]:
    """Plausible moderation timestamps for a record in `status`, all before ANCHOR."""
    created = ANCHOR - timedelta(days=rng.randint(20, 540), minutes=rng.randint(0, 1439))
    row: dict[str, Any] = {"created_at": created, "content_updated_at": created}
    if status == "draft":
        row["updated_at"] = created
        return row
    row["submitted_at"] = submitted = created + timedelta(days=rng.randint(0, 5), hours=3)
    last = submitted
    if status != "submitted":
        row["reviewed_at"] = last = submitted + timedelta(days=rng.randint(1, 7))
    if status == "rejected":
        row["rejection_reason"] = rng.choice(REJECTION_REASONS)
    elif status != "submitted":
        row["published_at"] = last
    if status in ("archived", "fulfilled", "expired"):
        closed = min(ANCHOR, last + timedelta(days=rng.randint(1, max(1, (ANCHOR - last).days))))
        row["archived_at" if status == "archived" else "closed_at"] = closed
        last = closed
    elif status == "published" and rng.random() < 0.4:
        # Owners update some listings after publication (drives the stale flag).
        row["content_updated_at"] = last = last + timedelta(days=rng.randint(1, 60))
    row["updated_at"] = min(last, ANCHOR)
    row["content_updated_at"] = min(row["content_updated_at"], ANCHOR)
    return row


REJECTION_REASONS = [
    "Thiếu tóm tắt quy trình công nghệ; đề nghị bổ sung và gửi lại.",
    "Mức TRL khai báo chưa có minh chứng thử nghiệm; đề nghị đính kèm báo cáo.",
    "Thông tin sở hữu trí tuệ chưa rõ chủ sở hữu; đề nghị bổ sung văn bằng hoặc đơn.",
    "Nội dung trùng với tin đã đăng của cùng đơn vị.",
]


def _common(key: str, kind: ListingKind, org: OrgRef, status: str, n: int) -> dict[str, Any]:
    external = None
    if org.source_exchange != "hcm":
        external = f"{EXTERNAL_PREFIX.get(org.source_exchange, 'EXT')}-{2024 + n % 3}-{n:05d}"
    return {
        "id": demo_id("listing", key),
        "organisation_id": org.id,
        "created_by_id": org.created_by_id,
        "kind": kind,
        "tier": TIER_BY_KIND[kind],
        "status": ListingStatus(status),
        "region": org.region,
        "source_exchange": org.source_exchange,
        "external_ref": external,
        "currency": "VND",
        "ip_dossier_clear": False,
        "protects_technology": False,
        "strategic_groups": [],
        "transfer_forms": [],
        "pending_changes": None,
    }


def technology_listing(
    rng: random.Random,
    key: str,
    n: int,
    kind: ListingKind,
    subject: Subject,
    variant: tuple[str, str],
    org: OrgRef,
    status: str,
    *,
    right_type: str | None = None,
    declaration: IPDeclaration = IPDeclaration.none,
) -> dict[str, Any]:
    """A technology, research result or IP-right listing built on one subject."""
    title_vi, title_en = subject.title_vi + variant[0], subject.title_en + variant[1]
    if kind in KIND_TITLE:
        prefix_vi, prefix_en = KIND_TITLE[kind]
        title_vi, title_en = prefix_vi + _lower_first(title_vi), prefix_en + title_en
    if kind is ListingKind.ip_right and right_type:
        label_vi, label_en = RIGHT_TITLE.get(right_type, ("Quyền sở hữu trí tuệ", "IP right"))
        title_vi, title_en = f"{label_vi}: {title_vi}", f"{label_en}: {title_en}"
    low, high = subject.trl
    if kind is ListingKind.research_result:
        # Research results sit earlier on the scale than the finished technology.
        low, high = max(1, low - 2), max(low, (low + high) // 2)
    elif kind is ListingKind.technology:
        low = min(high, low + 1)
    trl = rng.randint(low, high)
    price_type = _weighted(
        rng, {"negotiable": 35, "indicative": 25, "floor": 15, "firm": 10, "on_request": 15}
    )
    scale = {ListingKind.research_result: (100, 2000), ListingKind.ip_right: (200, 5000)}
    price = (
        None
        if price_type in ("negotiable", "on_request")
        else _money(rng, *scale.get(kind, (300, 6000)))
    )
    forms = ["ownership_assignment", "licence_exclusive", "licence_non_exclusive"]
    if kind is not ListingKind.ip_right:
        forms = rng.sample(TECH_FORMS, rng.randint(1, 3))
    lead = "Kết quả đề tài khoa học và công nghệ. " if kind is ListingKind.research_result else ""
    row = _common(key, kind, org, status, n) | {
        "title_vi": nfc(title_vi),
        "title_en": title_en,
        "summary_vi": nfc(lead + subject.summary_vi),
        "summary_en": subject.summary_en,
        "technical_description": nfc(
            f"{subject.technical_vi} Mức sẵn sàng công nghệ hiện tại: TRL {trl}."
        ),
        "process_summary": nfc(subject.process_vi),
        "confidential_detail": nfc(
            f"Hồ sơ kỹ thuật chi tiết, bản vẽ và thông số vận hành của “{title_vi}” được cung cấp "
            "sau khi chủ sở hữu chấp nhận kết nối."
        ),
        "application_fields": nfc(subject.applications_vi),
        "keywords": [nfc(k) for k in subject.keywords],
        "sectors": list(subject.sectors),
        "vsic_sections": list(subject.vsic),
        "strategic_groups": list(subject.groups),
        "trl": trl,
        "target_trl": min(9, trl + 2) if kind is ListingKind.research_result else None,
        "ip_declaration": declaration,
        "protects_technology": kind is ListingKind.ip_right,
        "transfer_forms": sorted(forms),
        "price_type": price_type,
        "price_vnd": price,
    }
    return row | _listing_dates(rng, status)


def _listing_dates(rng: random.Random, status: str) -> dict[str, Any]:
    dates = _lifecycle(rng, status)
    dates.pop("closed_at", None)
    return dates


def equipment_listing(
    rng: random.Random, key: str, n: int, item: EquipmentSeed, org: OrgRef, status: str
) -> dict[str, Any]:
    """Machinery for sale: specifications, condition, quantity, price; never a TRL."""
    condition = _weighted(rng, {"new": 40, "used": 45, "refurbished": 15})
    price = _money(rng, *item.price_range)
    if condition != "new":
        price = price * rng.randint(40, 75) // 100 // 10_000_000 * 10_000_000
    price_type = _weighted(rng, {"firm": 30, "negotiable": 30, "indicative": 25, "on_request": 15})
    year = rng.randint(2016, 2024)
    state_vi = {
        "new": "Mới 100 %",
        "used": f"Đã qua sử dụng, sản xuất năm {year}",
        "refurbished": f"Đã tân trang năm {year + 1}, bảo hành 6 tháng",
    }[condition]
    row = _common(key, ListingKind.equipment, org, status, n) | {
        "title_vi": nfc(item.title_vi),
        "title_en": item.title_en,
        "summary_vi": nfc(f"{item.title_vi}. {state_vi}; giao tại {_place(org)}."),
        "summary_en": f"{item.title_en}, {condition}.",
        "specifications": nfc(item.specifications),
        "condition": condition,
        "quantity": rng.choice([1, 1, 1, 2, 3]),
        "keywords": [nfc(k) for k in item.keywords],
        "sectors": list(item.sectors),
        "vsic_sections": list(item.vsic),
        "trl": None,
        "target_trl": None,
        "ip_declaration": None,
        "transfer_forms": ["equipment_sale"],
        "price_type": price_type,
        "price_vnd": None if price_type in ("negotiable", "on_request") else price,
    }
    return row | _listing_dates(rng, status)


def service_listing(
    rng: random.Random, key: str, n: int, item: ServiceSeed, org: OrgRef, status: str
) -> dict[str, Any]:
    """An S&T service or technology-data offer."""
    area = rng.choice(
        ["TP. Hồ Chí Minh và vùng Đông Nam Bộ", "Toàn quốc", "Đồng bằng sông Cửu Long"]
    )
    price_type = _weighted(rng, {"on_request": 40, "indicative": 35, "negotiable": 25})
    row = _common(key, ListingKind.st_service, org, status, n) | {
        "title_vi": nfc(item.title_vi),
        "title_en": item.title_en,
        "summary_vi": nfc(item.description),
        "summary_en": item.title_en + ".",
        "service_description": nfc(item.description),
        "provider_qualifications": nfc(item.qualifications),
        "service_area": nfc(area),
        "keywords": [nfc(k) for k in item.keywords],
        "sectors": list(item.sectors),
        "vsic_sections": ["M"],
        "trl": None,
        "target_trl": None,
        "ip_declaration": None,
        "transfer_forms": ["st_service"],
        "price_type": price_type,
        "price_vnd": _money(rng, 10, 300) if price_type == "indicative" else None,
    }
    return row | _listing_dates(rng, status)


def _place(org: OrgRef) -> str:
    return {"brvt": "Bà Rịa – Vũng Tàu", "binh_duong": "Bình Dương"}.get(
        org.source_exchange, "TP. Hồ Chí Minh"
    )


def need_status(rng: random.Random) -> NeedStatus:
    return _weighted(
        rng,
        {
            NeedStatus.published: 70, NeedStatus.draft: 6, NeedStatus.submitted: 8,
            NeedStatus.rejected: 3, NeedStatus.fulfilled: 6, NeedStatus.expired: 5,
            NeedStatus.archived: 2,
        },
    )  # fmt: skip


def need_row(
    rng: random.Random,
    key: str,
    template: NeedSeed,
    variant: tuple[str, str],
    org: OrgRef,
    status: str,
) -> dict[str, Any]:
    """An enterprise's technology need."""
    low, high = template.budget
    budget_min = _money(rng, low, (low + high) // 2)
    budget_max = max(budget_min, _money(rng, (low + high) // 2, high))
    dates = _lifecycle(rng, status)
    closed = dates.pop("closed_at", None)
    if status == "expired":
        deadline: date = (ANCHOR - timedelta(days=rng.randint(1, 60))).date()
    else:
        deadline = (ANCHOR + timedelta(days=rng.randint(30, 400))).date()
    visibility = _weighted(
        rng,
        {NeedVisibility.public: 60, NeedVisibility.anonymous: 25, NeedVisibility.restricted: 15},
    )
    return {
        "id": demo_id("need", key),
        "organisation_id": org.id,
        "created_by_id": org.created_by_id,
        "status": NeedStatus(status),
        "visibility": visibility,
        "title_vi": nfc(template.title_vi + variant[0]),
        "title_en": template.title_en + variant[1],
        "problem_statement": nfc(template.problem),
        "desired_outcome": nfc(template.outcome),
        "sectors": list(template.sectors),
        "vsic_sections": list(template.vsic),
        "keywords": [nfc(k) for k in template.keywords],
        "min_trl": max(1, min(9, template.min_trl + rng.choice([-1, 0, 0, 1]))),
        "budget_min_vnd": budget_min,
        "budget_max_vnd": budget_max,
        "currency": "VND",
        "deadline": deadline,
        "region": org.region,
        "source_exchange": org.source_exchange,
        "external_ref": None,
        "transfer_forms": list(template.transfer_forms),
        "fulfilled_at": closed if status == "fulfilled" else None,
        **dates,
    }
