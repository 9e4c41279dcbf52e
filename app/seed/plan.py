"""The demo data set as rows (dicts), decided entirely by a seeded RNG: same input, same rows.

`build_plan` never touches the database; `app.seed.demo` inserts what is missing.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from app.auth.models import OrgRole
from app.listings.models import IPDeclaration, ListingKind
from app.seed import builders as b
from app.seed.ip_rows import IPPlanner
from app.seed.need_templates import NEED_VARIANTS, NEEDS
from app.seed.organisations import (
    ALL_ORGANISATIONS,
    ENTERPRISES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    OPERATOR,
    SUPPLIERS,
    VALUATION_FIRM_SLUG,
    OrgSeed,
)
from app.seed.subjects import EQUIPMENT, SERVICES, SUBJECTS, Subject

EMAIL_DOMAIN = "demo.techx.vn"
TAX_PREFIX = {"brvt": "35", "binh_duong": "37", "national": "01"}

# How many listings of each kind the demo holds (≥ 300 in all).
LISTING_COUNTS = {
    ListingKind.technology: 90,
    ListingKind.research_result: 80,
    ListingKind.ip_right: 55,
    ListingKind.equipment: 60,
    ListingKind.st_service: 36,
}
NEED_COUNT = len(NEEDS) * 3


@dataclass
class Plan:
    organisations: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    listings: list[dict[str, Any]] = field(default_factory=list)
    ip_rights: list[dict[str, Any]] = field(default_factory=list)
    valuations: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)


def planned_emails() -> list[str]:
    return [email for org in ALL_ORGANISATIONS for email, _, _, _ in _people(org, random.Random(0))]


def _people(org: OrgSeed, rng: random.Random) -> list[tuple[str, str, tuple[str, ...], OrgRole]]:
    """(email, full name, platform roles, organisation role) of an organisation's demo people."""
    if org.people:
        listed = [(f"{local}@{EMAIL_DOMAIN}", name, roles) for local, name, roles in org.people]
    else:
        listed = [(f"{org.slug}@{EMAIL_DOMAIN}", _name(rng), ())]
        if org.kind in ("institute", "university", "enterprise"):
            listed.append((f"{org.slug}.nv@{EMAIL_DOMAIN}", _name(rng), ()))
    return [
        (email, name, roles, OrgRole.owner if i == 0 else OrgRole.member)
        for i, (email, name, roles) in enumerate(listed)
    ]


def _tax_code(org: OrgSeed, number: int) -> str:
    """Ten digits, the province prefix first, as Vietnamese enterprise codes look."""
    return f"{TAX_PREFIX.get(org.source_exchange, '03')}{31_000_000 + number * 7919:08d}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


class Planner:
    def __init__(
        self, rng: random.Random, operator_id: uuid.UUID | None, known_users: dict[str, uuid.UUID]
    ) -> None:
        self.rng = rng
        self.plan = Plan()
        self.operator_id = operator_id
        self.known_users = known_users
        self.org_ids: dict[str, uuid.UUID] = {}
        self.refs: dict[str, b.OrgRef] = {}
        self.user_ids: dict[str, uuid.UUID] = {}
        self.n = 0

    def build(self) -> Plan:
        for number, org in enumerate(ALL_ORGANISATIONS, 1):
            self._organisation(number, org)
        ip = IPPlanner(
            self.rng, self.plan, self.org_ids[VALUATION_FIRM_SLUG], self.user_ids["admin"],
            {o.slug: o.name_vi for o in ALL_ORGANISATIONS}, self.org_ids,
        )  # fmt: skip
        self._technology_listings(ip)
        self._equipment_listings()
        self._service_listings()
        self._needs()
        return self.plan

    def _organisation(self, number: int, org: OrgSeed) -> None:
        org_id = b.demo_id("organisation", org.slug)
        if org is OPERATOR and self.operator_id is not None:
            org_id = (
                self.operator_id
            )  # `techx create-admin` made it already: reuse, don't duplicate
        self.org_ids[org.slug] = org_id
        people = _people(org, self.rng)
        if org is not OPERATOR or self.operator_id is None:
            self.plan.organisations.append(self._organisation_row(number, org, org_id))
        for email, name, roles, role in people:
            user_id = self.known_users.get(email) or b.demo_id("user", email)
            self.user_ids.setdefault(email.split("@")[0], user_id)
            self.plan.users.append(
                {"id": user_id, "email": email, "full_name": name, "platform_roles": list(roles),
                 "is_active": True, "created_at": b.ANCHOR - timedelta(days=600)}
            )  # fmt: skip
            self.plan.memberships.append(
                {"id": b.demo_id("membership", email), "user_id": user_id,
                 "organisation_id": org_id, "role": role}
            )  # fmt: skip
        creator = self.known_users.get(people[0][0]) or b.demo_id("user", people[0][0])
        self.refs[org.slug] = b.OrgRef(org_id, org.region, org.source_exchange, creator)

    def _organisation_row(self, number: int, org: OrgSeed, org_id: uuid.UUID) -> dict[str, Any]:
        return {
            "id": org_id,
            "kind": org.kind,
            "name_vi": org.name_vi,
            "name_en": org.name_en,
            "tax_code": _tax_code(org, number),
            "region": org.region,
            "source_exchange": org.source_exchange,
            "address": org.address,
            "website": org.website,
            "email": f"lienhe.{org.slug}@{EMAIL_DOMAIN}",
            "phone": f"028 {self.rng.randint(3800, 3999)} {self.rng.randint(1000, 9999)}",
            "description": org.description,
            "verified": True,
            "verified_at": b.ANCHOR - timedelta(days=600 - number),
            "created_at": b.ANCHOR - timedelta(days=700 - number),
        }

    def _owner_for(self, sectors: tuple[str, ...], enterprise_share: float = 0.15) -> OrgSeed:
        pool = ENTERPRISES if self.rng.random() < enterprise_share else SUPPLIERS
        matching = [o for o in pool if set(o.sectors) & set(sectors)]
        return self.rng.choice(matching or SUPPLIERS)

    def _key(self, kind: ListingKind) -> tuple[str, int]:
        self.n += 1
        return f"{kind.value}:{self.n:04d}", self.n

    def _technology_listings(self, ip: IPPlanner) -> None:
        for kind in (ListingKind.technology, ListingKind.research_result, ListingKind.ip_right):
            combos = [(s, v) for s in SUBJECTS for v in s.variants]
            self.rng.shuffle(combos)
            wanted = LISTING_COUNTS[kind]
            for subject, variant in (combos * 2)[:wanted]:
                self._technology_listing(ip, kind, subject, variant)

    def _technology_listing(
        self, ip: IPPlanner, kind: ListingKind, subject: Subject, variant: tuple[str, str]
    ) -> None:
        owner = self._owner_for(subject.sectors, 0.1 if kind is ListingKind.technology else 0.0)
        key, n = self._key(kind)
        declaration, right_type = ip.declaration(kind, subject)
        row = b.technology_listing(
            self.rng, key, n, kind, subject, variant, self.refs[owner.slug],
            b.listing_status(self.rng), right_type=right_type, declaration=declaration,
        )  # fmt: skip
        self.plan.listings.append(row)
        if declaration is not IPDeclaration.none or kind is ListingKind.ip_right:
            ip.dossier(row, owner.slug, subject, right_type)
        else:
            ip.valuation_only(row, owner.slug)

    def _equipment_listings(self) -> None:
        for i in range(LISTING_COUNTS[ListingKind.equipment]):
            item = EQUIPMENT[i % len(EQUIPMENT)]
            owner = self._owner_for(item.sectors, enterprise_share=0.5)
            key, n = self._key(ListingKind.equipment)
            self.plan.listings.append(
                b.equipment_listing(
                    self.rng, key, n, item, self.refs[owner.slug], b.listing_status(self.rng)
                )
            )

    def _service_listings(self) -> None:
        for i in range(LISTING_COUNTS[ListingKind.st_service]):
            item = SERVICES[i % len(SERVICES)]
            owner = self._owner_for(item.sectors, enterprise_share=0.1)
            if item.title_vi.startswith("Dịch vụ thẩm định giá"):
                owner = next(o for o in ALL_ORGANISATIONS if o.slug == VALUATION_FIRM_SLUG)
            key, n = self._key(ListingKind.st_service)
            self.plan.listings.append(
                b.service_listing(
                    self.rng, key, n, item, self.refs[owner.slug], b.listing_status(self.rng)
                )
            )

    def _needs(self) -> None:
        for i in range(NEED_COUNT):
            template = NEEDS[i % len(NEEDS)]
            variant = NEED_VARIANTS[i // len(NEEDS) % len(NEED_VARIANTS)]
            matching = [o for o in ENTERPRISES if set(o.sectors) & set(template.sectors)]
            owner = self.rng.choice(matching or ENTERPRISES)
            self.plan.needs.append(
                b.need_row(
                    self.rng, f"{i + 1:04d}", template, variant, self.refs[owner.slug],
                    b.need_status(self.rng),
                )
            )  # fmt: skip


def build_plan(
    seed: int,
    operator_id: uuid.UUID | None = None,
    known_users: dict[str, uuid.UUID] | None = None,
) -> Plan:
    """The whole demo data set. `operator_id`/`known_users` reuse rows that already exist."""
    return Planner(random.Random(seed), operator_id, known_users or {}).build()
