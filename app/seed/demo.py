"""The demo data set: organisations, people, ≥ 300 listings, ≥ 80 needs, IP dossiers, and
18 months of deals: ~120 connections, ~40 service requests, ~14 contracts (`app.seed.deals`).

Every demo account signs in with the password **demo-Techx-2026**, e.g.
`admin@demo.techx.vn` (operator admin), `kiemduyet@demo.techx.vn` (moderator),
`moigioi@demo.techx.vn` and `moigioi.spn@demo.techx.vn` (brokers), `ich@demo.techx.vn`
(Viện Công nghệ Hóa học), `hcmut@demo.techx.vn` (Trường Đại học Bách khoa),
`saigonxanh@demo.techx.vn` (an enterprise); each supplier and enterprise also has `<slug>.nv@…`.

Deterministic (RNG seeded with 2030, uuid5 ids, dates relative to a fixed anchor) and idempotent:
running it again inserts only rows that are missing, never duplicates.
"""

import asyncio
import hashlib
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.models import Attachment
from app.attachments.storage import FileStorage
from app.auth import repository as auth_repository
from app.auth.models import Membership, Organisation, User
from app.auth.passwords import hash_password
from app.connections.models import Connection, ServiceRequest
from app.contracts.models import Contract
from app.core import audit
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.ip.models import IPRight, Valuation
from app.ip.service import refresh_ip_summary
from app.listings.models import TECHNOLOGY_KINDS, Listing, ListingStatus
from app.needs.models import Need
from app.seed.deals import seed_deals
from app.seed.files import placeholder_pdf
from app.seed.plan import Plan, build_plan, planned_emails

log = logging.getLogger(__name__)

SEED = 2030
DEMO_PASSWORD = "demo-Techx-2026"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    listings_by_kind: dict[str, int] = field(default_factory=dict)
    clear_dossier_share: float = 0.0  # of published technology-kind listings
    # e.g. {"connections_by_status": {"accepted": 30, …}, "contracts_by_type": {…}}
    deals: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def inserted_anything(self) -> bool:
        return any(self.created.values())

    def summary(self) -> str:
        made = ", ".join(f"{k} +{v}" for k, v in self.created.items())
        have = ", ".join(f"{k} {v}" for k, v in self.totals.items())
        return (
            f"demo data: {made}\nnow: {have}\nlistings by kind: {self.listings_by_kind}\n"
            f"clear IP dossier: {self.clear_dossier_share:.0%} of published technology listings"
            + "".join(f"\n{name.replace('_', ' ')}: {n}" for name, n in self.deals.items())
        )


async def seed_demo(session: AsyncSession, *, upload_dir: Path | None = None) -> SeedReport:
    """Insert whatever part of the demo data set is missing (flushes, never commits)."""
    operator = await auth_repository.get_operator_organisation(session)
    plan = build_plan(SEED, operator.id if operator else None, await _known_users(session))
    report = SeedReport()
    report.created["organisations"] = len(
        await _insert_missing(session, Organisation, plan.organisations)
    )
    report.created["users"] = await _insert_users(session, plan.users)
    report.created["memberships"] = await _insert_memberships(session, plan.memberships)
    listings = await _insert_missing(session, Listing, plan.listings)
    report.created["listings"] = len(listings)
    report.created["needs"] = len(await _insert_missing(session, Need, plan.needs))
    report.created["ip_rights"] = len(await _insert_missing(session, IPRight, plan.ip_rights))
    report.created["valuations"] = len(await _insert_missing(session, Valuation, plan.valuations))
    report.created["attachments"] = await _insert_attachments(session, plan, upload_dir)
    for listing in listings:
        if listing.kind in TECHNOLOGY_KINDS:  # the only kinds with IP rows and a declaration
            await refresh_ip_summary(session, listing)
    await session.flush()
    report.created |= await seed_deals(session, plan, SEED)  # needs the listings and needs
    await _fill_totals(session, report)
    if report.inserted_anything:
        await audit.record(
            session, None, "demo.seed", "demo_data", None, changes={"created": report.created},
            summary="techx seed-demo",
        )  # fmt: skip
    log.info(
        "demo data seeded",
        extra={
            "rows_created": report.created,
            "rows_total": report.totals,
            "listings_by_kind": report.listings_by_kind,
            "clear_dossier_share": round(report.clear_dossier_share, 3),
        },
    )
    return report


async def seed_into(database_url: str, upload_dir: Path | None = None) -> SeedReport:
    """`techx seed-demo`: seed in one committed transaction."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, unit_of_work(session):
            return await seed_demo(session, upload_dir=upload_dir)
    finally:
        await engine.dispose()


async def catalogue_is_empty(session: AsyncSession) -> bool:
    """No listing and no need yet (an operator admin made by `create-admin` does not count)."""
    listing = await session.scalar(select(Listing.id).limit(1))
    need = await session.scalar(select(Need.id).limit(1))
    return listing is None and need is None


async def seed_if_empty(database_url: str, upload_dir: Path | None = None) -> bool:
    """First start of `techx serve`: load the demo data into an empty catalogue."""
    if upload_dir is None:
        from app.core.config import get_settings

        upload_dir = get_settings().upload_dir
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, unit_of_work(session):
            if not await catalogue_is_empty(session):
                return False
            await seed_demo(session, upload_dir=upload_dir)
            return True
    finally:
        await engine.dispose()


async def _known_users(session: AsyncSession) -> dict[str, uuid.UUID]:
    """Demo e-mail addresses that already belong to someone (e.g. an admin made by hand)."""
    emails = planned_emails()
    rows = await session.execute(
        select(func.lower(User.email), User.id).where(func.lower(User.email).in_(emails))
    )
    return dict(rows.all())


async def _insert_missing(
    session: AsyncSession, model: Any, rows: list[dict[str, Any]]
) -> list[Any]:
    ids = [row["id"] for row in rows]
    existing = set((await session.scalars(select(model.id).where(model.id.in_(ids)))).all())
    objects = [model(**row) for row in rows if row["id"] not in existing]
    session.add_all(objects)
    await session.flush()
    return objects


async def _insert_users(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    ids = [row["id"] for row in rows]
    existing = set((await session.scalars(select(User.id).where(User.id.in_(ids)))).all())
    missing = [row for row in rows if row["id"] not in existing]
    if not missing:
        return 0
    # argon2 is slow on purpose: hash the shared demo password once, off the event loop.
    password_hash = await asyncio.to_thread(hash_password, DEMO_PASSWORD)
    session.add_all(User(**row, password_hash=password_hash) for row in missing)
    await session.flush()
    return len(missing)


async def _insert_memberships(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    pairs = [(row["user_id"], row["organisation_id"]) for row in rows]
    found = await session.execute(
        select(Membership.user_id, Membership.organisation_id).where(
            tuple_(Membership.user_id, Membership.organisation_id).in_(pairs)
        )
    )
    existing = {(user_id, org_id) for user_id, org_id in found.all()}
    missing = [r for r in rows if (r["user_id"], r["organisation_id"]) not in existing]
    session.add_all(Membership(**row) for row in missing)
    await session.flush()
    return len(missing)


async def _insert_attachments(session: AsyncSession, plan: Plan, upload_dir: Path | None) -> int:
    storage = FileStorage(upload_dir) if upload_dir is not None else None
    rows = []
    for planned in plan.attachments:
        row = dict(planned)
        content = placeholder_pdf(row.pop("_title"))
        row["size_bytes"], row["sha256"] = len(content), hashlib.sha256(content).hexdigest()
        if storage is not None:
            await asyncio.to_thread(_write_file, storage.path_for(row["storage_key"]), content)
        rows.append(row)
    return len(await _insert_missing(session, Attachment, rows))


def _write_file(path: Path, content: bytes) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


async def _fill_totals(session: AsyncSession, report: SeedReport) -> None:
    for name, model in [
        ("organisations", Organisation), ("users", User), ("listings", Listing), ("needs", Need),
        ("ip_rights", IPRight), ("valuations", Valuation), ("attachments", Attachment),
        ("connections", Connection), ("service_requests", ServiceRequest), ("contracts", Contract),
    ]:  # fmt: skip
        report.totals[name] = await session.scalar(select(func.count()).select_from(model)) or 0
    kinds = await session.execute(select(Listing.kind, func.count()).group_by(Listing.kind))
    report.listings_by_kind = {str(k): n for k, n in kinds.all()}
    published = await session.execute(
        select(Listing.ip_dossier_clear).where(
            Listing.status == ListingStatus.published, Listing.kind.in_(TECHNOLOGY_KINDS)
        )
    )
    clear = Counter(published.scalars().all())
    total = clear[True] + clear[False]
    report.clear_dossier_share = clear[True] / total if total else 0.0
    for name, column in [
        ("connections_by_status", Connection.status),
        ("connections_by_channel", Connection.channel),
        ("contracts_by_status", Contract.status), ("contracts_by_type", Contract.contract_type),
        ("service_requests_by_type", ServiceRequest.type),
        ("service_requests_by_status", ServiceRequest.status),
    ]:  # fmt: skip
        rows = await session.execute(select(column, func.count()).group_by(column))
        report.deals[name] = {str(key): n for key, n in rows.all()}
