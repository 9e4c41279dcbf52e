"""The counting rules of rules.py in SQL: one "facts" subquery per target, then GROUP BYs.

Every fact row is one counted record with the same columns (day, month, source_exchange,
sectors, trl, tier, channel, value_vnd, clear), so one set of aggregate queries serves the three
targets and the figures come straight from the records.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    null,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.auth.models import Organisation
from app.connections.models import Connection
from app.contracts.models import Contract
from app.kpi import rules
from app.listings.models import Listing, ListingStatus
from app.needs.models import Need

SCALAR_DIMENSIONS = ("source_exchange", "trl", "tier", "channel", "month")


@dataclass(frozen=True)
class GroupRow:
    key: str | None
    count: int
    value_vnd: int
    clear: int


@dataclass(frozen=True)
class Totals:
    count: int
    value_vnd: int
    clear: int
    first_day: date | None


def _local_day(column: Any) -> Any:
    return cast(func.timezone(rules.VN_TZ_NAME, column), Date)


def _month(day: Any) -> Any:
    return func.to_char(day, "YYYY-MM")


def _subject_sectors(listing: Any, need: Any) -> Any:
    """The listing's sectors when there is a listing, else the need's."""
    return case((listing.id.is_not(None), listing.sectors), else_=need.sectors)


def _within(column: Any, start: date | None, end: date, *, timestamp: bool) -> Any:
    """start <= column's Viet Nam day <= end (no lower bound without a start)."""
    if timestamp:
        upper = column < rules.day_start(end + timedelta(days=1))
        return and_(column >= rules.day_start(start), upper) if start else upper
    return column.between(start, end) if start else column <= end


def connection_facts(start: date | None, end: date) -> Subquery:
    listing, need = aliased(Listing), aliased(Need)
    day = _local_day(Connection.accepted_at)
    stmt = (
        select(
            Connection.id.label("id"),
            day.label("day"),
            _month(day).label("month"),
            func.coalesce(
                Connection.partner_exchange, listing.source_exchange, need.source_exchange
            ).label("source_exchange"),
            _subject_sectors(listing, need).label("sectors"),
            cast(listing.trl, String).label("trl"),
            cast(listing.tier, String).label("tier"),
            cast(Connection.channel, String).label("channel"),
            cast(null(), BigInteger).label("value_vnd"),
            cast(null(), Boolean).label("clear"),
        )
        .outerjoin(listing, listing.id == Connection.listing_id)
        .outerjoin(need, need.id == Connection.need_id)
        .where(
            Connection.status.in_(rules.COUNTED_CONNECTION_STATUSES),
            Connection.accepted_at.is_not(None),
            _within(Connection.accepted_at, start, end, timestamp=True),
        )
    )
    return stmt.subquery("connection_facts")


def contract_facts(start: date | None, end: date) -> Subquery:
    listing, need, connection = aliased(Listing), aliased(Need), aliased(Connection)
    own_sector = array[Any]([Contract.sector], type_=String(40))
    stmt = (
        select(
            Contract.id.label("id"),
            Contract.signed_date.label("day"),
            _month(Contract.signed_date).label("month"),
            func.coalesce(
                connection.partner_exchange, listing.source_exchange, need.source_exchange
            ).label("source_exchange"),
            case(
                (Contract.sector.is_not(None), own_sector),
                else_=_subject_sectors(listing, need),
            ).label("sectors"),
            cast(listing.trl, String).label("trl"),
            cast(listing.tier, String).label("tier"),
            cast(null(), String).label("channel"),
            Contract.value_vnd.label("value_vnd"),
            cast(null(), Boolean).label("clear"),
        )
        .outerjoin(listing, listing.id == Contract.listing_id)
        .outerjoin(need, need.id == Contract.need_id)
        .outerjoin(connection, connection.id == Contract.connection_id)
        .where(
            Contract.status.in_(rules.COUNTED_CONTRACT_STATUSES),
            Contract.contract_type.in_(rules.COUNTED_CONTRACT_TYPES),
            Contract.signed_date.is_not(None),
            _within(Contract.signed_date, start, end, timestamp=False),
        )
    )
    return stmt.subquery("contract_facts")


def technology_facts(end: date) -> Subquery:
    """Published technology-kind listings up to `end` (a stock: no start)."""
    published = func.coalesce(Listing.published_at, Listing.created_at)
    day = _local_day(published)
    stmt = select(
        Listing.id.label("id"),
        day.label("day"),
        _month(day).label("month"),
        Listing.source_exchange.label("source_exchange"),
        Listing.sectors.label("sectors"),
        cast(Listing.trl, String).label("trl"),
        cast(Listing.tier, String).label("tier"),
        cast(null(), String).label("channel"),
        cast(null(), BigInteger).label("value_vnd"),
        Listing.ip_dossier_clear.label("clear"),
    ).where(
        Listing.status == ListingStatus.published,
        Listing.kind.in_(rules.IP_KINDS),
        _within(published, None, end, timestamp=True),
    )
    return stmt.subquery("technology_facts")


def _measures(facts: Subquery) -> list[Any]:
    return [
        func.count(func.distinct(facts.c.id)).label("count"),
        func.coalesce(func.sum(facts.c.value_vnd), 0).label("value_vnd"),
        func.count(func.distinct(facts.c.id)).filter(facts.c.clear.is_(true())).label("clear"),
    ]


async def totals(session: AsyncSession, facts: Subquery) -> Totals:
    row = (await session.execute(select(*_measures(facts), func.min(facts.c.day)))).one()
    return Totals(int(row[0]), int(row[1]), int(row[2]), row[3])


async def count_from(session: AsyncSession, facts: Subquery, first_day: date) -> int:
    stmt = select(func.count()).select_from(facts).where(facts.c.day >= first_day)
    return int(await session.scalar(stmt) or 0)


def _group_rows(rows: Sequence[Any]) -> list[GroupRow]:
    return [GroupRow(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]


async def group(session: AsyncSession, facts: Subquery, dimension: str) -> list[GroupRow]:
    """Counts per value of a one-valued dimension (a null key gathers records without one)."""
    assert dimension in SCALAR_DIMENSIONS
    key = facts.c[dimension]
    stmt = select(key, *_measures(facts)).group_by(key)
    return _group_rows((await session.execute(stmt)).all())


async def group_by_sector(session: AsyncSession, facts: Subquery) -> list[GroupRow]:
    """Counts per sector: a record counts once in each of its sectors, and once under the null
    key when it has none. Sums are over distinct records, so a repeated code counts once."""
    sector = func.unnest(facts.c.sectors).table_valued("code").render_derived("sector")
    pairs = (
        select(facts.c.id, facts.c.value_vnd, facts.c.clear, sector.c.code.label("key"))
        .select_from(facts)
        .join(sector, true())
        .distinct()
        .subquery("pairs")
    )
    stmt = select(pairs.c.key, *_measures(pairs)).group_by(pairs.c.key)
    rows = _group_rows((await session.execute(stmt)).all())
    none = select(null(), *_measures(facts)).where(
        func.coalesce(func.cardinality(facts.c.sectors), 0) == 0
    )
    unclassified = _group_rows((await session.execute(none)).all())
    return rows + [r for r in unclassified if r.count]


# --- reports ---------------------------------------------------------------------------------


def signed_contracts(start: date | None, end: date) -> Select[Contract, str, str]:
    """Every signed contract of the period (all types; the report flags the counted ones)."""
    supplier, buyer = aliased(Organisation), aliased(Organisation)
    return (
        select(
            Contract,
            supplier.name_vi.label("supplier_name"),
            buyer.name_vi.label("buyer_name"),
        )
        .join(supplier, supplier.id == Contract.supplier_organisation_id)
        .join(buyer, buyer.id == Contract.buyer_organisation_id)
        .where(
            Contract.status.in_(rules.COUNTED_CONTRACT_STATUSES),
            Contract.signed_date.is_not(None),
            _within(Contract.signed_date, start, end, timestamp=False),
        )
        .order_by(Contract.signed_date, Contract.id)
    )


async def list_signed_contracts(session: AsyncSession, start: date | None, end: date) -> list[Any]:
    return list((await session.execute(signed_contracts(start, end))).all())


OPEN_COLUMNS = (
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
    "published_at",
)


def open_listings() -> Select[Any]:
    """Published listings, public columns only (named one by one: never the whole row)."""
    columns = [getattr(Listing, name) for name in OPEN_COLUMNS]
    return (
        select(
            *columns,
            Organisation.name_vi.label("organisation_name_vi"),
            Organisation.name_en.label("organisation_name_en"),
        )
        .join(Organisation, Organisation.id == Listing.organisation_id)
        .where(Listing.status == ListingStatus.published)
        .order_by(Listing.published_at, Listing.id)
    )


async def stream_open_listings(
    session: AsyncSession, batch: int = 500
) -> AsyncIterator[dict[str, Any]]:
    """Rows through a server-side cursor, so a large catalogue never sits in memory."""
    result = await session.stream(open_listings().execution_options(yield_per=batch))
    async for row in result.mappings():
        yield dict(row)
