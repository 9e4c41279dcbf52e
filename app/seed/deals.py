"""Demo deals: connections with their timelines, exchange service requests and contracts.

`build_deals(plan, seed)` makes them from the demo plan alone (its published listings and needs,
organisations and people) with its own `random.Random(seed)`: same plan, same rows, the same
uuid5 ids, dated over the 18 months before `builders.ANCHOR`. `seed_deals` inserts what is
missing (INSERT … ON CONFLICT DO NOTHING), so a second run adds nothing, and a pair a real user
has connected meanwhile stays theirs (the demo connection and everything hanging on it is skipped).

Rows are written directly, not through the services: those stamp `utcnow()` and random ids and
send notifications, so they cannot replay a dated history. What the services enforce holds:
- connections (connections.service, .lifecycle, .recording): the subject is a published listing
  or need, published before the connection was made; the supplier owns the listing, the seeker
  owns the need; the parties differ, so a seeker never owns the listing; one row per (listing,
  seeker) and per (need, supplier) when there is no listing; each side's consent stamped as
  `rules.CONSENT_AT_CREATION` says, `accepted_at` once both consented; moves only along
  requested → accepted | declined → in_negotiation → contracted | closed_no_deal, each with its
  timestamp and a timeline event with the service's kind, body, from/to status and actor; a
  meeting at an event is accepted at the start of the event day (Viet Nam) and recorded later;
  a partner report names the partner organisation, its source exchange and a unique external_ref.
- detail access (lifecycle.accept): the seeker is granted a listing's confidential detail when a
  request, answer or introduction is accepted. Recorded meetings and partner reports grant
  nothing, as in `connections.recording`.
- brokerage (connections.brokerage): `broker_user_id` is a broker, set with `broker_assigned_at`
  by an introduction, a broker's recording, or an assignment by staff (an assignment event); a
  service request has a vocabulary type, a broker or staff handler, `started_at` once in
  progress, `completed_at` once done or cancelled, and an event per step; next actions are
  planned by the assigned broker on open connections.
- contracts (contracts.service, .lifecycle): drafted on an accepted or negotiating connection,
  with its parties, listing, need and broker; terms that pass `check_terms` (vocabulary codes,
  licence terms only on licences, a royalty % only with royalty terms) and `missing_for_signing`;
  signed by both parties (the second signature seals it) or recorded by a broker; sealing moves the
  connection to contracted; `registration_required` is `contracts.rules.registration_required`
  and the deadline `rules.registration_deadline(signed)` (+ 90 days) when it is required;
  certificates are dated between signing and the anchor; execution, completion and termination
  follow the lifecycle.
The one `demo.seed` audit row written by `app.seed.demo` stands for all of these writes.
"""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.connections.models import (
    Connection,
    ConnectionChannel,
    ConnectionEvent,
    ConnectionEventKind,
    ConnectionInitiator,
    ConnectionStatus,
    ServiceRequest,
    ServiceRequestStatus,
)
from app.contracts import rules as contract_rules
from app.contracts.models import Contract, ContractStatus, PartnerDirection, PaymentTerms
from app.listings.models import TECHNOLOGY_KINDS, ListingAccessGrant, ListingKind
from app.seed import builders as b
from app.seed.organisations import ALL_ORGANISATIONS, OPERATOR, OrgSeed
from app.seed.plan import EMAIL_DOMAIN, Plan

Row = dict[str, Any]
S = ConnectionStatus
VIETNAM = timezone(timedelta(hours=7))
LAST_MOMENT = b.ANCHOR - timedelta(hours=6)  # nothing happens after the anchor
DAY = timedelta(days=1)

# How many connections each route makes, by final status (120 in all).
ROUTES: dict[str, dict[ConnectionStatus, int]] = {
    "request": {S.requested: 7, S.declined: 7, S.accepted: 10, S.in_negotiation: 8,
                S.contracted: 5, S.closed_no_deal: 8},
    "answer": {S.requested: 3, S.declined: 3, S.accepted: 5, S.in_negotiation: 3,
               S.contracted: 1, S.closed_no_deal: 5},
    "broker": {S.requested: 3, S.declined: 2, S.accepted: 5, S.in_negotiation: 6,
               S.contracted: 4, S.closed_no_deal: 5},
    "event": {S.accepted: 6, S.in_negotiation: 5, S.contracted: 2, S.closed_no_deal: 7},
    "partner": {S.requested: 2, S.accepted: 4, S.in_negotiation: 2, S.closed_no_deal: 2},
}  # fmt: skip
# The contracts: a contracted connection's contract is signed, a negotiating one's is a draft.
CONTRACTS: list[tuple[str, ConnectionStatus, str]] = [
    ("request", S.contracted, "licence_non_exclusive"),
    ("request", S.contracted, "equipment_sale"),
    ("request", S.contracted, "licence_exclusive"),
    ("request", S.contracted, "equipment_sale"),
    ("request", S.contracted, "st_service"),
    ("request", S.in_negotiation, "licence_non_exclusive"),
    ("answer", S.contracted, "licence_non_exclusive"),
    ("broker", S.contracted, "licence_exclusive"),
    ("broker", S.contracted, "ownership_assignment"),
    ("broker", S.contracted, "equipment_sale"),
    ("broker", S.contracted, "licence_non_exclusive"),
    ("broker", S.in_negotiation, "equipment_sale"),
    ("event", S.contracted, "equipment_sale"),
    ("event", S.contracted, "licence_exclusive"),
]
# Signed contracts by signing date, oldest first: the old ones have had time to finish.
SIGNED_ORDER = [
    ContractStatus.completed, ContractStatus.completed, ContractStatus.terminated,
    ContractStatus.completed, ContractStatus.in_execution, ContractStatus.terminated,
    ContractStatus.in_execution, ContractStatus.in_execution, ContractStatus.in_execution,
]  # fmt: skip
KINDS_FOR: dict[str, frozenset[ListingKind]] = {
    "licence_exclusive": TECHNOLOGY_KINDS,
    "licence_non_exclusive": TECHNOLOGY_KINDS,
    "ownership_assignment": frozenset({ListingKind.ip_right}),
    "equipment_sale": frozenset({ListingKind.equipment}),
    "st_service": frozenset({ListingKind.st_service}),
}
VALUE_MILLION = {
    "licence_non_exclusive": (300, 1800), "licence_exclusive": (800, 3500),
    "ownership_assignment": (2000, 5000), "equipment_sale": (250, 4000), "st_service": (120, 450),
}  # fmt: skip
TITLE_PREFIX = {
    "licence_exclusive": "Hợp đồng chuyển giao quyền sử dụng công nghệ (độc quyền)",
    "licence_non_exclusive": "Hợp đồng chuyển giao quyền sử dụng công nghệ (không độc quyền)",
    "ownership_assignment": "Hợp đồng chuyển giao quyền sở hữu công nghệ",
    "equipment_sale": "Hợp đồng mua bán thiết bị",
    "st_service": "Hợp đồng dịch vụ khoa học và công nghệ",
}
REFERENCE_SUFFIX = {"equipment_sale": "HĐMB", "st_service": "HĐDV"}  # else HĐCGCN

# Days before the anchor a connection is made, by final status: open ones are recent.
AGE = {
    S.requested: (2, 40), S.declined: (15, 520), S.accepted: (8, 160),
    S.in_negotiation: (30, 320), S.contracted: (170, 530), S.closed_no_deal: (60, 530),
}  # fmt: skip
# Days between a step and the one before it (scaled down when they would pass the anchor).
STEP_DAYS = {
    "side": (1, 6), "accept": (1, 9), "decline": (2, 14), "negotiate": (5, 30),
    "draft": (10, 45), "sign": (10, 40), "close": (10, 90),
}  # fmt: skip
SERVICE_TYPES = (
    "introduction", "consulting", "brokerage", "valuation_support", "technical_support",
    "negotiation_support", "contract_signing_support", "execution_support",
)  # fmt: skip
SERVICES_PER_TYPE = 5


@dataclass(frozen=True)
class Techmart:
    name: str
    day: date
    sectors: frozenset[str]  # empty: every sector


TECHMARTS = [
    Techmart("Techmart Cơ khí – Tự động hóa 2025", date(2025, 8, 14),
             frozenset({"mechanical", "electronics_it", "ai"})),
    Techmart("Chợ công nghệ và thiết bị TP.HCM 2025", date(2025, 10, 16), frozenset()),
    Techmart("Techmart Chế biến thực phẩm 2026", date(2026, 5, 21),
             frozenset({"food_processing", "biotechnology"})),
    Techmart("Techmart Vật liệu mới – Năng lượng tái tạo 2026", date(2026, 9, 10),
             frozenset({"new_materials", "renewable_energy", "chem_pharma_rubber_plastics"})),
]  # fmt: skip

REQUEST_MESSAGES = [
    "Công ty chúng tôi quan tâm và muốn tìm hiểu khả năng ứng dụng tại nhà máy. Đề nghị quý đơn "
    "vị cung cấp thông tin chi tiết và báo giá sơ bộ.",
    "Chúng tôi đang tìm giải pháp thay thế dây chuyền hiện tại; xin được trao đổi về điều kiện "
    "chuyển giao và thời gian triển khai.",
    "Đề nghị cho biết giải pháp đã được áp dụng ở quy mô công nghiệp chưa và có hỗ trợ đào tạo "
    "vận hành không.",
    "Doanh nghiệp có kế hoạch đầu tư trong năm nay; mong được hẹn lịch làm việc trực tiếp.",
]
ANSWER_MESSAGES = [
    "Đơn vị chúng tôi có kết quả nghiên cứu đáp ứng nhu cầu này, đã thử nghiệm ở quy mô pilot; "
    "xin được trao đổi thêm về yêu cầu kỹ thuật.",
    "Chúng tôi đã chuyển giao giải pháp tương tự cho hai doanh nghiệp trong ngành và có thể khảo "
    "sát miễn phí tại nhà máy.",
    "Nhóm nghiên cứu đề xuất phương án chuyển giao kèm đào tạo và hỗ trợ kỹ thuật 6 tháng.",
]
INTRODUCTIONS = [
    "Sàn giới thiệu: giải pháp đã công bố phù hợp với nhu cầu của doanh nghiệp về phạm vi và mức "
    "sẵn sàng công nghệ. Đề nghị hai bên xác nhận để nhận thông tin chi tiết.",
    "Qua khảo sát nhu cầu, nhà môi giới đề xuất kết nối hai bên; bên cung đã có kinh nghiệm triển "
    "khai tương tự.",
]
MEETING_NOTES = [
    "Gặp gỡ tại gian trưng bày; doanh nghiệp đề nghị khảo sát thực tế trong tháng tới.",
    "Hai bên trao đổi tại phiên kết nối cung – cầu và đã trao đổi hồ sơ năng lực.",
    "Doanh nghiệp đặt lịch tham quan phòng thí nghiệm sau sự kiện.",
]
MESSAGES = {
    "seeker": [
        "Cảm ơn quý đơn vị đã phản hồi. Chúng tôi muốn hẹn lịch khảo sát thực tế vào tuần tới.",
        "Đề nghị báo giá chi tiết theo phương án chuyển giao kèm đào tạo vận hành.",
        "Ban giám đốc đã đồng ý về nguyên tắc; bộ phận pháp chế đang rà soát các điều khoản.",
        "Chúng tôi cần thêm số liệu chạy thử ở quy mô sản xuất trước khi quyết định.",
    ],
    "supplier": [
        "Chúng tôi đã gửi hồ sơ kỹ thuật và kết quả thử nghiệm; đề nghị công ty xem và phản hồi.",
        "Nhóm chuyên gia có thể đến nhà máy khảo sát vào thứ Năm tuần sau.",
        "Chúng tôi đề xuất chuyển giao trọn gói: tài liệu, đào tạo 2 tuần và chuyên gia hỗ trợ "
        "6 tháng.",
        "Lịch chạy thử tại nhà máy dự kiến vào đầu tháng sau.",
    ],
    "broker": [
        "Sàn đã gửi mẫu hợp đồng chuyển giao công nghệ và hướng dẫn hồ sơ đăng ký; đề nghị hai bên "
        "góp ý.",
        "Nhà môi giới đã tổng hợp ý kiến hai bên; buổi đàm phán tiếp theo dự kiến tổ chức tại Sàn.",
    ],
}
DECLINE_REASONS = {
    "supplier": [
        "Công nghệ đã được chuyển giao độc quyền cho đối tác khác trong khu vực.",
        "Hiện chưa đủ nhân lực hỗ trợ triển khai ở quy mô doanh nghiệp yêu cầu.",
        "Nhu cầu của doanh nghiệp nằm ngoài phạm vi của giải pháp.",
    ],
    "seeker": [
        "Doanh nghiệp đã tìm được giải pháp khác.",
        "Chi phí dự kiến vượt ngân sách đầu tư năm nay.",
    ],
}
CLOSE_REASONS = [
    "Hai bên không thống nhất được giá chuyển giao.",
    "Doanh nghiệp tạm hoãn kế hoạch đầu tư sang năm sau.",
    "Kết quả chạy thử chưa đạt yêu cầu chất lượng của doanh nghiệp.",
    "Doanh nghiệp chọn giải pháp của nhà cung cấp khác.",
    "Không thống nhất được phạm vi độc quyền theo lãnh thổ.",
]
TERMINATION_REASONS = [
    "Bên nhận không thanh toán đợt 2 đúng hạn; hai bên thỏa thuận thanh lý hợp đồng.",
    "Doanh nghiệp thay đổi định hướng sản xuất; hai bên thỏa thuận chấm dứt trước hạn.",
]
NEXT_ACTIONS = {
    S.requested: ["Nhắc bên còn lại trả lời đề nghị kết nối"],
    S.accepted: ["Hẹn buổi làm việc đầu tiên giữa hai bên", "Gửi hồ sơ kỹ thuật cho doanh nghiệp"],
    S.in_negotiation: ["Gửi dự thảo hợp đồng cho hai bên góp ý", "Tổ chức buổi đàm phán giá lần 2"],
}
SERVICE_TEXTS = {  # what is asked, what came of it
    "introduction": ("Đề nghị Sàn giới thiệu đơn vị cung ứng phù hợp.",
                     "Đã giới thiệu và gửi hồ sơ tóm tắt của hai bên; hai bên đồng ý trao đổi."),
    "consulting": ("Đề nghị tư vấn hình thức và phương thức chuyển giao phù hợp.",
                   "Đã tư vấn chuyển giao quyền sử dụng kèm đào tạo và chuyên gia hỗ trợ."),
    "brokerage": ("Đề nghị nhà môi giới theo dõi và thúc đẩy giao dịch.",
                  "Đã tổ chức hai buổi làm việc, hai bên thống nhất phạm vi chuyển giao."),
    "valuation_support": ("Đề nghị hỗ trợ định giá công nghệ trước khi đàm phán.",
                          "Đã kết nối tổ chức thẩm định giá độc lập; chứng thư đã được phát hành."),
    "technical_support": ("Đề nghị chuyên gia đánh giá khả năng áp dụng tại nhà máy.",
                          "Chuyên gia đã khảo sát dây chuyền và gửi báo cáo đánh giá."),
    "negotiation_support": ("Đề nghị Sàn chủ trì buổi đàm phán giá và lộ trình thanh toán.",
                            "Hai bên thống nhất giá và lộ trình thanh toán tại buổi đàm phán."),
    "contract_signing_support": ("Đề nghị rà soát dự thảo hợp đồng trước khi ký.",
                                 "Đã rà soát dự thảo theo Luật Chuyển giao công nghệ và hướng dẫn "
                                 "hồ sơ đăng ký."),
    "execution_support": ("Đề nghị hỗ trợ nghiệm thu và theo dõi thực hiện hợp đồng.",
                          "Đã hỗ trợ nghiệm thu đợt 1 và theo dõi tiến độ đào tạo vận hành."),
}  # fmt: skip
CANCELLED = "Hủy theo đề nghị của bên yêu cầu."


@dataclass(frozen=True)
class Person:
    """Who acts: a user (`email` is their label) or, without an id, a partner's client."""

    id: uuid.UUID | None
    email: str


@dataclass(frozen=True)
class Org:
    id: uuid.UUID
    seed: OrgSeed


@dataclass(frozen=True)
class Slot:
    route: str  # request | answer | broker | event | partner
    status: ConnectionStatus
    contract_type: str | None = None


@dataclass
class Deal:
    slot: Slot
    row: Row
    listing: Row | None
    need: Row | None
    actors: dict[str, Person]  # supplier, seeker, broker (when one is assigned)
    events: list[Row] = field(default_factory=list)
    contract: Row | None = None


@dataclass
class Deals:
    connections: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    grants: list[Row] = field(default_factory=list)
    contracts: list[Row] = field(default_factory=list)
    service_requests: list[Row] = field(default_factory=list)


def slots() -> list[Slot]:
    """Contract-bearing connections first: they need the rarer listings."""
    planned = [Slot(route, status, kind) for route, status, kind in CONTRACTS]
    for route, statuses in ROUTES.items():
        for status, count in statuses.items():
            taken = sum(1 for p in planned if (p.route, p.status) == (route, status))
            planned += [Slot(route, status)] * (count - taken)
    return planned


def vn_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def day_start(day: date) -> datetime:
    """The start of a Viet Nam calendar day in UTC (as `connections.recording` stores it)."""
    return datetime.combine(day, time(0), VIETNAM).astimezone(UTC)


def _between(
    rng: random.Random, start: datetime, end: datetime, low: float, high: float
) -> datetime:
    moment = start + (end - start) * rng.uniform(low, high)
    return moment.replace(second=0, microsecond=0)


class DealPlanner:
    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.rng = rng
        self.listings = [r for r in plan.listings if r["status"] == "published"]
        self.needs = [r for r in plan.needs if r["status"] == "published"]
        emails = {u["id"]: u["email"] for u in plan.users}
        self.people: dict[uuid.UUID, list[Person]] = {}
        for m in sorted(plan.memberships, key=lambda m: m["role"] != "owner"):
            person = Person(m["user_id"], emails[m["user_id"]])
            self.people.setdefault(m["organisation_id"], []).append(person)
        by_email = {e: Person(i, e) for i, e in emails.items()}
        self.brokers = [by_email[f"{n}@{EMAIL_DOMAIN}"] for n in ("moigioi", "moigioi.spn")]
        self.staff = [by_email[f"{n}@{EMAIL_DOMAIN}"] for n in ("admin", "kiemduyet")]
        self.orgs = {
            b.demo_id("organisation", o.slug): Org(b.demo_id("organisation", o.slug), o)
            for o in ALL_ORGANISATIONS
            if o is not OPERATOR
        }
        self.enterprises = [o for o in self.orgs.values() if o.seed.kind == "enterprise"]
        self.suppliers = [
            o for o in self.orgs.values() if o.seed.kind in ("institute", "university")
        ]
        self.partners = [
            o for o in self.orgs.values() if o.seed.slug in ("san-brvt", "san-binhduong")
        ]
        self.pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self.out = Deals()
        self.contract_seq = 0

    # --- choosing who meets whom ---------------------------------------------------------------

    def build(self) -> Deals:
        deals = [self._deal(slot) for slot in slots()]
        self._after_signing([d for d in deals if d.row["status"] is S.contracted])
        for service_type in SERVICE_TYPES:
            self._service_requests(deals, service_type)
        for deal in deals:
            self._finish(deal)
        return self.out

    def _deal(self, slot: Slot) -> Deal:
        for _ in range(500):
            deal = getattr(self, f"_{slot.route}")(slot)
            if deal is not None:
                self._unfold(deal)
                return deal
        raise RuntimeError(f"The demo catalogue has no subject left for {slot}.")

    def _made_at(self, status: ConnectionStatus) -> datetime:
        low, high = AGE[status]
        moment = b.ANCHOR - timedelta(days=self.rng.uniform(low, high))
        return moment.replace(second=0, microsecond=0)

    def _live(self, rows: Sequence[Row], at: datetime) -> list[Row]:
        return [r for r in rows if r["published_at"] + DAY <= at]

    def _offers(
        self, at: datetime, contract_type: str | None, sectors: frozenset[str]
    ) -> list[Row]:
        rows = self._live(self.listings, at)
        if contract_type is not None:
            kinds = KINDS_FOR[contract_type]
            rows = [r for r in rows if r["kind"] in kinds and contract_type in r["transfer_forms"]]
        if sectors:
            rows = [r for r in rows if sectors & set(r["sectors"])]
        return rows

    def _seeker(self, listing: Row, pool: Sequence[Org]) -> Org | None:
        free = [
            o
            for o in pool
            if o.id != listing["organisation_id"] and (listing["id"], o.id) not in self.pairs
        ]
        close = [o for o in free if set(o.seed.sectors) & set(listing["sectors"])]
        return self.rng.choice(close or free) if free else None

    def _need_for(self, listing: Row, at: datetime) -> Row | None:
        needs = [
            n
            for n in self._live(self.needs, at)
            if n["organisation_id"] != listing["organisation_id"]
            and (listing["id"], n["organisation_id"]) not in self.pairs
        ]
        close = [n for n in needs if set(n["sectors"]) & set(listing["sectors"])]
        return self.rng.choice(close or needs) if needs else None

    def _request(self, slot: Slot) -> Deal | None:
        at = self._made_at(slot.status)
        offers = self._offers(at, slot.contract_type, frozenset())
        listing = self.rng.choice(offers) if offers else None
        seeker = self._seeker(listing, self.enterprises) if listing else None
        if listing is None or seeker is None:
            return None
        deal = self._open(slot, at, listing, None, listing["organisation_id"], seeker.id)
        deal.row.update(
            initiator=ConnectionInitiator.seeker,
            channel=ConnectionChannel.online,
            seeker_accepted_at=at,
            message=self.rng.choice(REQUEST_MESSAGES),
        )
        self._created(deal, at, deal.actors["seeker"])
        return deal

    def _answer(self, slot: Slot) -> Deal | None:
        at = self._made_at(slot.status)
        supplier_ids = {o.id for o in self.suppliers}
        offers = [
            r
            for r in self._offers(at, slot.contract_type, frozenset())
            if r["organisation_id"] in supplier_ids
        ]
        listing = self.rng.choice(offers) if offers else None
        need = self._need_for(listing, at) if listing else None
        if listing is None or need is None:
            return None
        supplier = listing["organisation_id"]
        if slot.contract_type is None and self.rng.random() < 0.5:
            if (need["id"], supplier) in self.pairs:
                return None
            listing = None  # an answer offering no listing: the pair is (need, supplier)
        deal = self._open(slot, at, listing, need, supplier, need["organisation_id"])
        deal.row.update(
            initiator=ConnectionInitiator.supplier,
            channel=ConnectionChannel.online,
            supplier_accepted_at=at,
            message=self.rng.choice(ANSWER_MESSAGES),
        )
        self._created(deal, at, deal.actors["supplier"])
        return deal

    def _broker(self, slot: Slot) -> Deal | None:
        at = self._made_at(slot.status)
        offers = self._offers(at, slot.contract_type, frozenset())
        listing = self.rng.choice(offers) if offers else None
        need = self._need_for(listing, at) if listing else None
        if listing is None or need is None:
            return None
        deal = self._open(
            slot, at, listing, need, listing["organisation_id"], need["organisation_id"]
        )
        broker = self.rng.choice(self.brokers[:1] * 3 + self.brokers[1:] * 2)
        deal.row.update(
            initiator=ConnectionInitiator.broker,
            channel=ConnectionChannel.broker,
            message=self.rng.choice(INTRODUCTIONS),
        )
        self._assign_at_creation(deal, broker, at)
        self._created(deal, at, broker)
        return deal

    def _event(self, slot: Slot) -> Deal | None:
        least = {S.contracted: 150, S.closed_no_deal: 60, S.in_negotiation: 25}.get(slot.status, 5)
        marts = [m for m in TECHMARTS if day_start(m.day) <= b.ANCHOR - timedelta(days=least)]
        mart = self.rng.choice(marts)
        met = day_start(mart.day)
        listing = need = None
        if slot.contract_type is not None or self.rng.random() < 0.75:
            offers = self._offers(met, slot.contract_type, mart.sectors)
            listing = self.rng.choice(offers) if offers else None
            seeker = self._seeker(listing, self.enterprises) if listing else None
            if listing is None or seeker is None:
                return None
            supplier_id, seeker_id = listing["organisation_id"], seeker.id
        else:
            needs = [
                n
                for n in self._live(self.needs, met)
                if not mart.sectors or mart.sectors & set(n["sectors"])
            ]
            need = self.rng.choice(needs) if needs else None
            pool = [
                o for o in self.suppliers if need and set(o.seed.sectors) & set(need["sectors"])
            ]
            supplier = self.rng.choice(pool) if pool else None
            if need is None or supplier is None or (need["id"], supplier.id) in self.pairs:
                return None
            supplier_id, seeker_id = supplier.id, need["organisation_id"]
        recorded = _between(self.rng, met + DAY, met + 3 * DAY, 0, 1)
        deal = self._open(slot, recorded, listing, need, supplier_id, seeker_id)
        deal.row.update(
            initiator=ConnectionInitiator.operator,
            channel=ConnectionChannel.event,
            status=S.accepted,
            accepted_at=met,
            supplier_accepted_at=met,
            seeker_accepted_at=met,
            event_name=mart.name,
            event_date=mart.day,
            message=self.rng.choice(MEETING_NOTES),
        )
        recorder = self.rng.choice([*self.brokers, self.brokers[0], self.staff[0]])
        if recorder in self.brokers:
            self._assign_at_creation(deal, recorder, recorded)
        self._created(deal, recorded, recorder)
        return deal

    def _partner(self, slot: Slot) -> Deal | None:
        partner = self.rng.choice(self.partners)
        pool = [
            o for o in self.enterprises if o.seed.source_exchange == partner.seed.source_exchange
        ]
        at = self._made_at(slot.status)
        occurred = day_start(vn_day(at))
        offers = self._offers(occurred, None, frozenset())
        listing = self.rng.choice(offers) if offers else None
        seeker = self._seeker(listing, pool) if listing else None
        if listing is None or seeker is None:
            return None
        number = len(self.out.connections) + 1
        prefix = b.EXTERNAL_PREFIX[partner.seed.source_exchange]
        deal = self._open(slot, at, listing, None, listing["organisation_id"], seeker.id)
        deal.row.update(
            initiator=ConnectionInitiator.partner,
            channel=ConnectionChannel.partner_exchange,
            partner_organisation_id=partner.id,
            partner_exchange=partner.seed.source_exchange,
            external_ref=f"{prefix}-KN-{at.year}-{number:04d}",
            seeker_accepted_at=at,
            message=f"Kết nối do {partner.seed.name_vi} ghi nhận và chuyển sang Sàn TP.HCM.",
        )
        if slot.status is not S.requested:  # reported as accepted on the day it happened
            deal.row.update(
                status=S.accepted,
                accepted_at=occurred,
                supplier_accepted_at=occurred,
                seeker_accepted_at=occurred,
            )
        self._created(deal, at, Person(None, f"client:{partner.seed.slug}"))
        return deal

    def _open(
        self,
        slot: Slot,
        at: datetime,
        listing: Row | None,
        need: Row | None,
        supplier_id: uuid.UUID,
        seeker_id: uuid.UUID,
    ) -> Deal:
        if listing is not None:  # the pair: (listing, seeker), else (need, supplier)
            subject, other = listing["id"], seeker_id
        else:
            assert need is not None
            subject, other = need["id"], supplier_id
        self.pairs.add((subject, other))
        row: Row = {column.name: None for column in Connection.__table__.columns}
        row.update(
            id=b.demo_id("connection", f"{subject}:{other}"),
            listing_id=listing["id"] if listing else None,
            need_id=need["id"] if need else None,
            supplier_organisation_id=supplier_id,
            seeker_organisation_id=seeker_id,
            status=S.requested,
            created_at=at,
            updated_at=at,
        )
        actors = {"supplier": self.people[supplier_id][0], "seeker": self.people[seeker_id][0]}
        deal = Deal(slot, row, listing, need, actors)
        self.out.connections.append(row)
        return deal

    # --- the timeline ------------------------------------------------------------------------

    def _event_row(
        self, deal: Deal, at: datetime, actor: Person, kind: ConnectionEventKind, **values: Any
    ) -> None:
        number = len(deal.events) + 1
        row = {
            "id": b.demo_id("connection_event", f"{deal.row['id']}:{number}"),
            "connection_id": deal.row["id"],
            "at": at,
            "created_at": at,
            "updated_at": at,
            "actor_user_id": actor.id,
            "actor_label": actor.email,
            "kind": kind,
            "body": None,
            "from_status": None,
            "to_status": None,
            "object_id": None,
        }
        deal.events.append(row | values)

    def _created(self, deal: Deal, at: datetime, actor: Person) -> None:
        deal.row["created_by_id"] = actor.id
        self._event_row(
            deal,
            at,
            actor,
            ConnectionEventKind.created,
            body=deal.row["message"],
            to_status=deal.row["status"].value,
        )

    def _assign_at_creation(self, deal: Deal, broker: Person, at: datetime) -> None:
        deal.row.update(broker_user_id=broker.id, broker_assigned_at=at)
        deal.actors["broker"] = broker

    def _steps(self, deal: Deal) -> list[str]:
        status, broker_route = deal.slot.status, deal.slot.route == "broker"
        if deal.row["status"] is S.accepted:  # met at an event or reported as accepted
            steps: list[str] = []
        elif status is S.requested:
            return ["side"] if broker_route and self.rng.random() < 0.5 else []
        elif status is S.declined:
            return (["side"] if broker_route and self.rng.random() < 0.5 else []) + ["decline"]
        else:
            steps = (["side"] if broker_route else []) + ["accept"]
        if status is S.in_negotiation:
            steps += ["negotiate"] + (["draft"] if deal.slot.contract_type else [])
        elif status is S.contracted:
            steps += ["negotiate", "draft", "sign"]
        elif status is S.closed_no_deal:
            steps += (["negotiate"] if self.rng.random() < 0.65 else []) + ["close"]
        return steps

    def _unfold(self, deal: Deal) -> None:
        steps = self._steps(deal)
        start = deal.row["created_at"]
        days = [self.rng.uniform(*STEP_DAYS[s]) for s in steps]
        room = (LAST_MOMENT - start) / DAY
        scale = min(1.0, room / sum(days)) if days else 1.0
        moments, at = [], start
        for d in days:
            at = at + timedelta(minutes=round(d * scale * 1440))
            moments.append(at)
        assign = "broker" not in deal.actors and self.rng.random() < 0.35
        if assign and deal.row["accepted_at"] is not None:  # accepted when it was made
            self._assign(deal, start, moments[0] if moments else LAST_MOMENT)
        for i, (step, moment) in enumerate(zip(steps, moments, strict=True)):
            getattr(self, f"_{step}")(deal, moment)
            if step == "accept" and assign and "broker" not in deal.actors:
                self._assign(deal, moment, moments[i + 1] if i + 1 < len(moments) else LAST_MOMENT)
        self._messages(deal)
        self._next_action(deal, moments[-1] if moments else start)

    def _pending(self, deal: Deal) -> list[str]:
        return [s for s in ("supplier", "seeker") if deal.row[f"{s}_accepted_at"] is None]

    def _side(self, deal: Deal, at: datetime) -> None:
        side = self.rng.choice(["supplier", "seeker"])
        deal.row[f"{side}_accepted_at"] = at
        self._event_row(deal, at, deal.actors[side], ConnectionEventKind.acceptance, body=side)

    def _accept(self, deal: Deal, at: datetime) -> None:
        pending = self._pending(deal)
        for side in pending:
            deal.row[f"{side}_accepted_at"] = at
        deal.row.update(status=S.accepted, accepted_at=at)
        self._event_row(
            deal,
            at,
            deal.actors[pending[-1]],
            ConnectionEventKind.status_change,
            from_status="requested",
            to_status="accepted",
        )
        if deal.listing is not None:  # lifecycle.accept grants the seeker the detail
            self.out.grants.append(
                {
                    "id": b.demo_id(
                        "listing_access_grant",
                        f"{deal.listing['id']}:{deal.row['seeker_organisation_id']}",
                    ),
                    "listing_id": deal.listing["id"],
                    "organisation_id": deal.row["seeker_organisation_id"],
                    "granted_at": at,
                    "reason": "connection accepted",
                    "connection_id": deal.row["id"],
                }
            )

    def _decline(self, deal: Deal, at: datetime) -> None:
        side = self.rng.choice(self._pending(deal))
        reason = self.rng.choice(DECLINE_REASONS[side])
        deal.row.update(status=S.declined, declined_at=at, close_reason=reason)
        self._event_row(
            deal,
            at,
            deal.actors[side],
            ConnectionEventKind.status_change,
            body=reason,
            from_status="requested",
            to_status="declined",
        )

    def _driver(self, deal: Deal) -> Person:
        """Who moves the deal on: the assigned broker, else one of the parties."""
        return deal.actors.get("broker") or deal.actors[self.rng.choice(["supplier", "seeker"])]

    def _negotiate(self, deal: Deal, at: datetime) -> None:
        deal.row.update(status=S.in_negotiation, negotiation_started_at=at)
        self._event_row(
            deal,
            at,
            self._driver(deal),
            ConnectionEventKind.status_change,
            from_status="accepted",
            to_status="in_negotiation",
        )

    def _close(self, deal: Deal, at: datetime) -> None:
        reason, before = self.rng.choice(CLOSE_REASONS), deal.row["status"].value
        deal.row.update(status=S.closed_no_deal, closed_at=at, close_reason=reason)
        self._event_row(
            deal,
            at,
            self._driver(deal),
            ConnectionEventKind.status_change,
            body=reason,
            from_status=before,
            to_status="closed_no_deal",
        )

    def _assign(self, deal: Deal, after: datetime, before: datetime) -> None:
        """Staff give an accepted connection to a broker (brokerage.assign)."""
        at = _between(self.rng, after, before, 0.1, 0.4)
        broker = self.rng.choice(self.brokers)
        self._assign_at_creation(deal, broker, at)
        self._event_row(
            deal, at, self.staff[0], ConnectionEventKind.assignment, object_id=broker.id
        )

    def _messages(self, deal: Deal) -> None:
        row = deal.row
        if row["accepted_at"] is None:
            return
        start = max(row["accepted_at"], row["created_at"])
        end = row["contracted_at"] or row["closed_at"] or LAST_MOMENT
        writers = ["seeker", "supplier"] + (["broker"] if "broker" in deal.actors else [])
        for _ in range(self.rng.choice([0, 1, 1, 2, 3])):
            writer = self.rng.choice(writers)
            self._event_row(
                deal,
                _between(self.rng, start, end, 0.05, 0.95),
                deal.actors[writer],
                ConnectionEventKind.message,
                body=self.rng.choice(MESSAGES[writer]),
            )

    def _next_action(self, deal: Deal, last: datetime) -> None:
        status, broker = deal.row["status"], deal.actors.get("broker")
        if broker is None or status not in NEXT_ACTIONS:
            return
        action = self.rng.choice(NEXT_ACTIONS[status])
        due = vn_day(b.ANCHOR) + timedelta(days=self.rng.randint(-12, 21))
        deal.row.update(next_action=action, next_action_due=due)
        at = _between(self.rng, max(last, deal.row["broker_assigned_at"]), LAST_MOMENT, 0.2, 0.9)
        self._event_row(
            deal,
            at,
            broker,
            ConnectionEventKind.next_action,
            body=f"{action} (due {due.isoformat()})",
        )

    # --- contracts -----------------------------------------------------------------------------

    def _draft(self, deal: Deal, at: datetime) -> None:
        assert deal.slot.contract_type is not None
        self.contract_seq += 1
        drafter = deal.actors.get("broker") or deal.actors["supplier"]
        contract: Row = {column.name: None for column in Contract.__table__.columns}
        contract.update(self._terms(deal, deal.slot.contract_type, at))
        contract.update(
            id=b.demo_id("contract", str(deal.row["id"])),
            connection_id=deal.row["id"],
            listing_id=deal.row["listing_id"],
            need_id=deal.row["need_id"],
            supplier_organisation_id=deal.row["supplier_organisation_id"],
            buyer_organisation_id=deal.row["seeker_organisation_id"],
            broker_user_id=deal.row["broker_user_id"],
            created_by_id=drafter.id,
            status=ContractStatus.draft,
            recorded_by_broker=False,
            created_at=at,
            updated_at=at,
        )
        if deal.slot.status is S.in_negotiation and deal.slot.route != "broker":
            # The supplier has signed; the buyer's signature is awaited.
            signed_at = _between(self.rng, at, LAST_MOMENT, 0.3, 0.8)
            contract.update(
                supplier_signed_at=signed_at,
                supplier_signed_by_id=deal.actors["supplier"].id,
                updated_at=signed_at,
            )
        deal.contract = contract
        self.out.contracts.append(contract)
        self._event_row(
            deal,
            at,
            drafter,
            ConnectionEventKind.contract,
            body=f"Contract drafted: {contract['title']}",
            object_id=contract["id"],
        )

    def _terms(self, deal: Deal, kind: str, at: datetime) -> Row:
        """Terms that pass contracts.service.check_terms and missing_for_signing."""
        rng, listing = self.rng, deal.listing
        assert listing is not None
        licence = kind in contract_rules.LICENCE_TYPES
        transfer = contract_rules.is_technology_transfer(kind)
        low, high = VALUE_MILLION[kind]
        value = rng.randrange(low // 10, high // 10 + 1) * 10_000_000
        if kind == "equipment_sale" and listing.get("price_vnd"):
            value = listing["price_vnd"]
        payment, pct = PaymentTerms.lump_sum, None
        if licence and rng.random() < (0.7 if kind == "licence_exclusive" else 0.5):
            payment = rng.choice([PaymentTerms.fee_plus_royalty] * 2 + [PaymentTerms.royalty])
            pct = Decimal(rng.randint(4, 12)) / 2  # 2–6 %
        supplier_kind = self.orgs[deal.row["supplier_organisation_id"]].seed.kind
        # Results of state-funded research (institutes, universities) must be registered.
        state_funded = (
            transfer
            and supplier_kind in ("institute", "university")
            and (listing["kind"] is not ListingKind.technology or rng.random() < 0.5)
        )
        reference = REFERENCE_SUFFIX.get(kind, "HĐCGCN")
        methods = rng.choice(
            [
                ["documents", "training"],
                ["documents", "experts", "training"],
                ["documents", "equipment", "training"],
            ]
        )
        return {
            "title": f"{TITLE_PREFIX[kind]} – {listing['title_vi']}"[:300],
            "reference": f"{self.contract_seq:03d}/{at.year}/{reference}",
            "contract_type": kind,
            "licence_territory": rng.choice(["Việt Nam", "TP. Hồ Chí Minh và vùng Đông Nam Bộ"])
            if licence
            else None,
            "sublicensing_allowed": (kind == "licence_exclusive" and rng.random() < 0.4)
            if licence
            else None,
            "form": ("part_of_project" if rng.random() < 0.2 else "standalone")
            if transfer
            else None,
            "methods": methods if transfer else [],
            "partner_direction": PartnerDirection.domestic,
            "state_funded": state_funded,
            "sector": listing["sectors"][0],
            "vsic_section": listing["vsic_sections"][0],
            "value_vnd": value,
            "currency": "VND",
            "payment_terms": payment,
            "royalty_pct": pct,
            "payment_notes": _payment_notes(payment, pct),
            "registration_required": contract_rules.registration_required(
                kind, PartnerDirection.domestic, state_funded
            ),
        }

    def _sign(self, deal: Deal, at: datetime) -> None:
        contract = deal.contract
        assert contract is not None
        drafted = contract["created_at"]
        if deal.slot.route == "broker":  # lifecycle.record_signed: the broker records the paper
            broker = deal.actors["broker"]
            signed = max(vn_day(drafted), vn_day(at - timedelta(days=self.rng.randint(1, 3))))
            contract.update(recorded_by_broker=True, recorded_by_id=broker.id)
            sealer = broker
        else:  # lifecycle.sign: the supplier signs, the buyer's signature seals it
            first = _between(self.rng, drafted, at, 0.6, 0.95)
            sealer = deal.actors["seeker"]
            contract.update(
                supplier_signed_at=first,
                supplier_signed_by_id=deal.actors["supplier"].id,
                buyer_signed_at=at,
                buyer_signed_by_id=sealer.id,
            )
            signed = vn_day(at)
        required = contract_rules.registration_required(
            contract["contract_type"], contract["partner_direction"], contract["state_funded"]
        )
        effective = signed + timedelta(days=self.rng.randint(0, 10))
        contract.update(
            status=ContractStatus.signed,
            signed_date=signed,
            effective_date=effective,
            end_date=_end_date(contract["contract_type"], effective, self.rng),
            registration_required=required,
            updated_at=at,
            registration_deadline=contract_rules.registration_deadline(signed)
            if required
            else None,
        )
        deal.row.update(status=S.contracted, contracted_at=at)
        self._event_row(
            deal,
            at,
            sealer,
            ConnectionEventKind.contract,
            object_id=contract["id"],
            from_status="in_negotiation",
            to_status="contracted",
        )

    def _after_signing(self, deals: list[Deal]) -> None:
        """Old contracts are executed, completed or terminated; recent ones are just signed."""
        deals.sort(key=lambda d: (d.row["contracted_at"], str(d.row["id"])))
        terminated = 0
        for deal, status in zip(
            deals, SIGNED_ORDER + [ContractStatus.signed] * len(deals), strict=False
        ):
            contract = deal.contract
            assert contract is not None
            last = deal.row["contracted_at"]
            executed = status in (ContractStatus.in_execution, ContractStatus.completed) or (
                status is ContractStatus.terminated and terminated == 0
            )
            if executed:
                last = _until(last, self.rng.uniform(5, 25))
                contract["execution_started_at"] = last
            if status is ContractStatus.completed:
                last = contract["completed_at"] = _until(last, self.rng.uniform(45, 200))
            if status is ContractStatus.terminated:
                reason = TERMINATION_REASONS[terminated % len(TERMINATION_REASONS)]
                terminated += 1
                last = _until(last, self.rng.uniform(20, 120))
                contract.update(terminated_at=last, terminated_reason=reason)
                self._event_row(
                    deal,
                    last,
                    deal.actors["seeker"],
                    ConnectionEventKind.contract,
                    body=f"Contract terminated: {reason}",
                    object_id=contract["id"],
                )
            if (
                contract["registration_required"]
                and executed
                and status is not ContractStatus.terminated
            ):
                self._register(contract)
            contract.update(status=status, updated_at=last)

    def _register(self, contract: Row) -> None:
        """lifecycle.register: a certificate dated between signing and today."""
        signed: date = contract["signed_date"]
        day = min(signed + timedelta(days=self.rng.randint(15, 75)), vn_day(LAST_MOMENT))
        number = int(contract["reference"][:3])
        contract.update(
            registration_certificate_number=f"{number:02d}/{day.year}/GCN-CGCN",
            registration_certificate_date=day,
        )

    # --- exchange services ---------------------------------------------------------------------

    def _window(self, deal: Deal, kind: str) -> tuple[datetime, datetime | None] | None:
        """When a service of this kind fits the deal: (start, end or None while it runs)."""
        row, contract = deal.row, deal.contract
        end = row["closed_at"] or row["contracted_at"] or row["declined_at"]
        if kind == "introduction":
            if row["channel"] is not ConnectionChannel.broker:
                return None
            return row["created_at"], row["accepted_at"] or row["declined_at"]
        if row["accepted_at"] is None:
            return None
        start = max(row["accepted_at"], row["created_at"])
        if kind == "brokerage":
            return (max(start, row["broker_assigned_at"]), end) if "broker" in deal.actors else None
        if kind in ("consulting", "technical_support"):
            return start, end
        if kind in ("valuation_support", "negotiation_support"):
            if row["negotiation_started_at"] is None:
                return None
            if (
                kind == "valuation_support"
                and deal.listing
                and deal.listing["kind"] not in TECHNOLOGY_KINDS
            ):
                return None
            return row["negotiation_started_at"], end
        if contract is None:
            return None
        if kind == "contract_signing_support":
            return contract["created_at"], row["contracted_at"]
        if contract["execution_started_at"] is None:
            return None
        return contract["execution_started_at"], contract["completed_at"] or contract[
            "terminated_at"
        ]

    def _service_requests(self, deals: list[Deal], kind: str) -> None:
        fitting = [(d, w) for d in deals if (w := self._window(d, kind)) is not None]
        for deal, (start, end) in self.rng.sample(fitting, min(SERVICES_PER_TYPE, len(fitting))):
            self.out.service_requests.append(self._service_request(deal, kind, start, end))

    def _service_request(self, deal: Deal, kind: str, start: datetime, end: datetime | None) -> Row:
        rng, finished = self.rng, end is not None
        end = end or LAST_MOMENT
        created = _between(rng, start, end, 0.05, 0.35)
        if finished:
            status = (
                ServiceRequestStatus.cancelled if rng.random() < 0.15 else ServiceRequestStatus.done
            )
        else:
            status = rng.choice(
                [
                    ServiceRequestStatus.open,
                    ServiceRequestStatus.in_progress,
                    ServiceRequestStatus.in_progress,
                    ServiceRequestStatus.done,
                ]
            )
        handler = deal.actors.get("broker") or rng.choice([self.brokers[0], *self.staff])
        side = "supplier" if kind == "technical_support" and rng.random() < 0.5 else "seeker"
        requester = handler if kind == "brokerage" else deal.actors[side]
        asked, outcome = SERVICE_TEXTS[kind]
        row = {
            "id": b.demo_id("service_request", f"{deal.row['id']}:{kind}"),
            "connection_id": deal.row["id"],
            "type": kind,
            "status": status,
            "description": asked,
            "requested_by_id": requester.id,
            "handler_user_id": handler.id,
            "outcome": None,
            "due_date": vn_day(created) + timedelta(days=rng.randint(14, 30)),
            "started_at": None,
            "completed_at": None,
            "created_at": created,
            "updated_at": created,
        }
        self._event_row(
            deal,
            created,
            requester,
            ConnectionEventKind.service_request,
            body=f"{kind}: open",
            object_id=row["id"],
        )
        last = created
        if status in (ServiceRequestStatus.in_progress, ServiceRequestStatus.done):
            last = row["started_at"] = _between(rng, created, end, 0.1, 0.3)
            self._event_row(
                deal,
                last,
                handler,
                ConnectionEventKind.service_request,
                body=f"{kind}: in_progress",
                object_id=row["id"],
            )
        if status in (ServiceRequestStatus.done, ServiceRequestStatus.cancelled):
            last = row["completed_at"] = _between(rng, last, end, 0.5, 0.95)
            row["outcome"] = outcome if status is ServiceRequestStatus.done else CANCELLED
            self._event_row(
                deal,
                last,
                handler,
                ConnectionEventKind.service_request,
                body=f"{kind}: {status.value}",
                object_id=row["id"],
            )
        row["updated_at"] = last
        return row

    def _finish(self, deal: Deal) -> None:
        deal.events.sort(key=lambda e: e["at"])
        deal.row["updated_at"] = max(deal.row["created_at"], deal.events[-1]["at"])
        self.out.events += deal.events


def _until(start: datetime, days: float) -> datetime:
    """`days` after `start`, but never past the anchor (and never before `start`)."""
    return max(start, min(start + timedelta(minutes=round(days * 1440)), LAST_MOMENT))


def _end_date(kind: str, effective: date, rng: random.Random) -> date | None:
    if kind in contract_rules.LICENCE_TYPES:
        return effective + timedelta(days=365 * rng.choice([3, 5]))
    if kind == "st_service":
        return effective + timedelta(days=180)
    return None


def _payment_notes(terms: PaymentTerms, pct: Decimal | None) -> str:
    rate = str(pct).replace(".", ",")  # Vietnamese decimal comma
    if terms is PaymentTerms.fee_plus_royalty:
        return (
            f"Phí chuyển giao trả khi ký; phí bản quyền {rate} % doanh thu thuần, "
            "quyết toán hằng quý."
        )
    if terms is PaymentTerms.royalty:
        return (
            f"Phí bản quyền {rate} % doanh thu thuần của sản phẩm áp dụng công nghệ, "
            "quyết toán 6 tháng một lần."
        )
    return "Thanh toán hai đợt: 40 % khi ký, 60 % sau nghiệm thu."


def build_deals(plan: Plan, seed: int) -> Deals:
    """Every demo deal as rows; never touches the database."""
    return DealPlanner(plan, random.Random(seed)).build()


async def _insert(session: AsyncSession, table: Any, rows: list[Row]) -> int:
    if not rows:
        return 0
    stmt = insert(table).on_conflict_do_nothing().returning(table.c.id)
    return len((await session.execute(stmt, rows)).all())


async def seed_deals(session: AsyncSession, plan: Plan, seed: int) -> dict[str, int]:
    """Insert the missing demo deals; returns how many rows of each kind were added."""
    deals = build_deals(plan, seed)
    created = {"connections": await _insert(session, Connection.__table__, deals.connections)}
    ours = [row["id"] for row in deals.connections]
    present = set(await session.scalars(select(Connection.id).where(Connection.id.in_(ours))))

    def kept(rows: list[Row]) -> list[Row]:
        return [row for row in rows if row["connection_id"] in present]

    tables: list[tuple[str, Any, list[Row]]] = [
        ("connection_events", ConnectionEvent.__table__, deals.events),
        ("access_grants", ListingAccessGrant.__table__, deals.grants),
        ("contracts", Contract.__table__, deals.contracts),
        ("service_requests", ServiceRequest.__table__, deals.service_requests),
    ]
    for name, table, rows in tables:
        created[name] = await _insert(session, table, kept(rows))
    return created
