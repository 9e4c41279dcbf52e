"""Matching cost: need → listings and listing → needs, in-process and through the API.

In-process: `app.matching.matcher.match_need` / `match_listing` called directly (Python + SQL,
no HTTP), with the statements timed as for search (bench.raw_sql). Through the API: the
`…/{id}/matches` routes, found in the running app's OpenAPI document, called by a signed-in
operator (an account the benchmark creates in its own database). Both are skipped, with a note,
when the matcher or its routes do not exist yet.
"""

import importlib.util
import re
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.models import User
from app.auth.principal import ANONYMOUS
from app.auth.scopes import USER_SCOPES
from app.auth.tokens import issue_access_token
from app.core.config import Settings
from app.listings.models import Listing, ListingStatus
from app.needs import repository as needs_repository
from app.needs.models import Need, NeedVisibility
from bench.load import Request
from bench.raw_sql import StatementTimer, Timing, measure

BENCH_USER_EMAIL = "bench.operator@bench.techx.invalid"
_MATCH_PATH = re.compile(r"^/api/v1/(needs|listings)/\{[^}/]+\}/matches$")


def matcher_available() -> bool:
    return importlib.util.find_spec("app.matching.matcher") is not None


def match_routes(openapi: dict[str, Any]) -> dict[str, str]:
    """{"needs": "/api/v1/needs/{need_id}/matches", "listings": …} for the routes that exist."""
    found = {}
    for path, operations in openapi.get("paths", {}).items():
        m = _MATCH_PATH.match(path)
        if m and "get" in operations:
            found[m.group(1)] = path
    return found


async def sample_ids(
    maker: async_sessionmaker[AsyncSession], count: int
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Live public needs and published listings, spread over the id space (deterministic)."""
    today = needs_repository.vn_today()
    async with maker() as session:
        needs = select(Need.id).where(
            needs_repository.live(today), Need.visibility == NeedVisibility.public
        )
        listings = select(Listing.id).where(Listing.status == ListingStatus.published)
        need_ids = (await session.scalars(needs.order_by(Need.id).limit(count))).all()
        listing_ids = (await session.scalars(listings.order_by(Listing.id).limit(count))).all()
    return list(need_ids), list(listing_ids)


async def operator_token(maker: async_sessionmaker[AsyncSession], settings: Settings) -> str:
    """A bearer token for an operator admin of the bench database (created on first use)."""
    async with maker() as session, session.begin():
        user = await session.scalar(select(User).where(User.email == BENCH_USER_EMAIL))
        if user is None:
            user = User(
                email=BENCH_USER_EMAIL,
                full_name="Benchmark Operator",
                platform_roles=["operator_admin"],
            )
            session.add(user)
            await session.flush()
        user_id = user.id
    return issue_access_token(settings, f"user:{user_id}", USER_SCOPES, 3600)


def api_requests(
    routes: dict[str, str], need_ids: list[uuid.UUID], listing_ids: list[uuid.UUID]
) -> dict[str, list[Request]]:
    requests: dict[str, list[Request]] = {}
    for entity, ids in (("needs", need_ids), ("listings", listing_ids)):
        if entity in routes:
            path = routes[entity]
            param = path[path.index("{") : path.index("}") + 1]
            requests[entity] = [Request(f"{entity}:{i}", path.replace(param, str(i))) for i in ids]
    return requests


async def fetch_openapi(base_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.get("/api/v1/openapi.json")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


async def in_process(
    maker: async_sessionmaker[AsyncSession],
    timer: StatementTimer,
    settings: Settings,
    need_ids: list[uuid.UUID],
    listing_ids: list[uuid.UUID],
) -> dict[str, Any]:
    """Each subject matched once, in a fresh session; SQL timed like the searches."""
    from app.matching import matcher

    need_timing, listing_timing = Timing(), Timing()
    for need_id in need_ids:

        async def by_need(session: AsyncSession, need_id: uuid.UUID = need_id) -> Any:
            need = await session.get_one(Need, need_id)
            return await matcher.match_need(session, settings, ANONYMOUS, need)

        await measure(maker, timer, by_need, 1, need_timing, explain=False)
    for listing_id in listing_ids:

        async def by_listing(session: AsyncSession, listing_id: uuid.UUID = listing_id) -> Any:
            listing = await session.get_one(Listing, listing_id)
            return await matcher.match_listing(session, settings, ANONYMOUS, listing)

        await measure(maker, timer, by_listing, 1, listing_timing, explain=False)
    return {"need_to_listings": need_timing.report(), "listing_to_needs": listing_timing.report()}
