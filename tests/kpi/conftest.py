"""Builders for the KPI tests: connections and contracts written straight as rows."""

import itertools
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OAuthClient, Organisation, OrganisationKind, User
from app.auth.tokens import issue_access_token
from app.connections.models import (
    Connection,
    ConnectionChannel,
    ConnectionInitiator,
    ConnectionStatus,
)
from app.contracts.models import Contract, ContractStatus, PaymentTerms
from app.core.config import Settings
from app.listings.models import Listing
from app.needs.models import Need
from tests.factories import create_listing, create_organisation, create_user

API = "/api/v1/kpi"
REPORTS = "/api/v1/reports"
OPEN_DATA = "/api/v1/open-data"

# The tests' own month: other tests write rows dated today, never in March 2026.
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
_seq = itertools.count(1)


def at(day: date, hour: int = 3) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def enterprise(session: AsyncSession, **values: Any) -> Organisation:
    return await create_organisation(session, kind=OrganisationKind.enterprise, **values)


async def create_connection(
    session: AsyncSession,
    status: ConnectionStatus = ConnectionStatus.accepted,
    *,
    accepted: date | None = date(2026, 3, 10),
    listing: Listing | None = None,
    need: Need | None = None,
    seeker: Organisation | None = None,
    **values: Any,
) -> Connection:
    """A connection on a listing (made unless `need` is given) by a new company (the need's
    company for a need).

    `accepted` is the acceptance day; ignored for requested and declined connections.
    """
    if listing is None and need is None:
        listing = await create_listing(session)
    if seeker is None and need is None:
        seeker = await enterprise(session)
    seeker_id = seeker.id if seeker else need.organisation_id  # type: ignore[union-attr]
    supplier_id = listing.organisation_id if listing else (await create_organisation(session)).id
    delivered = status not in (ConnectionStatus.requested, ConnectionStatus.declined)
    when = at(accepted) if delivered and accepted else None
    connection = Connection(
        listing_id=listing.id if listing else None,
        need_id=need.id if need else None,
        supplier_organisation_id=supplier_id,
        seeker_organisation_id=seeker_id,
        initiator=ConnectionInitiator.seeker,
        channel=values.pop("channel", ConnectionChannel.online),
        status=status,
        seeker_accepted_at=when,
        supplier_accepted_at=when,
        accepted_at=when,
        declined_at=at(date(2026, 3, 10)) if status is ConnectionStatus.declined else None,
        **values,
    )
    session.add(connection)
    await session.flush()
    return connection


LICENCE: dict[str, Any] = {
    "contract_type": "licence_non_exclusive",
    "licence_territory": "Việt Nam",
    "sublicensing_allowed": False,
    "form": "standalone",
    "methods": ["documents", "training"],
    "payment_terms": PaymentTerms.lump_sum,
    "vsic_section": "C",
}


async def create_contract(
    session: AsyncSession,
    status: ContractStatus = ContractStatus.signed,
    *,
    signed: date | None = date(2026, 3, 20),
    value_vnd: int = 1_500_000_000,
    connection: Connection | None = None,
    **values: Any,
) -> Contract:
    """A licence contract (override `contract_type` etc.), on a new connection unless given."""
    connection = connection or await create_connection(session)
    terms = {**LICENCE, **values}
    contract = Contract(
        connection_id=connection.id,
        listing_id=connection.listing_id,
        need_id=connection.need_id,
        supplier_organisation_id=connection.supplier_organisation_id,
        buyer_organisation_id=connection.seeker_organisation_id,
        status=status,
        title=terms.pop("title", f"Hợp đồng chuyển giao công nghệ số {next(_seq)}"),
        value_vnd=value_vnd,
        signed_date=None if status is ContractStatus.draft else signed,
        **terms,
    )
    session.add(contract)
    await session.flush()
    return contract


async def partner_client_headers(
    session: AsyncSession, settings: Settings, scopes: tuple[str, ...] = ("kpi:read",)
) -> dict[str, str]:
    """A partner exchange's machine client holding `scopes`."""
    organisation = await create_organisation(
        session, kind=OrganisationKind.partner_exchange, source_exchange="brvt"
    )
    client = OAuthClient(
        client_id=f"partner-{next(_seq)}-{organisation.id.hex[:6]}",
        secret_hash="not-used-in-these-tests",
        name="Sàn giao dịch công nghệ Bà Rịa – Vũng Tàu",
        organisation_id=organisation.id,
        scopes=list(scopes),
    )
    session.add(client)
    await session.flush()
    token = issue_access_token(settings, f"client:{client.id}", set(scopes), 600)
    return {"Authorization": f"Bearer {token}"}


async def staff(session: AsyncSession, role: str = "moderator") -> User:
    operator = await create_organisation(session, kind=OrganisationKind.operator)
    return await create_user(session, operator, platform_roles=[role])


def target(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(t for t in body["targets"] if t["code"] == code)
