"""Saved searches: a user keeps a search and is told about results they have not seen yet.

Every result ever shown is recorded in `saved_search_hits` (primary key: search + object), so a
user is never told twice about one result. A new saved search records its current results at
once, without telling anyone (otherwise saving a search would announce the whole catalogue);
`process_saved_searches` then announces only what appeared since. The newest results are checked
(sorted by publication), since new results are what a saved search is for.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Membership, OrgRole, PlatformRole, User
from app.auth.principal import Principal
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound
from app.matching.alert_models import SavedSearch, SavedSearchEntity, SavedSearchHit
from app.matching.factory import get_search_engine
from app.matching.router import visible_need_kinds
from app.matching.saved_search_schemas import (
    ListingSavedSearchCreate,
    ListingSearchParams,
    NeedSavedSearchCreate,
    NeedSearchParams,
)
from app.matching.schemas import (
    ListingFilters,
    ListingQuery,
    NeedFilters,
    NeedQuery,
    SearchHit,
    SortKey,
)
from app.needs.repository import vn_today
from app.notifications.service import Message, notify_users

MAX_PER_USER = 50
RESULTS_CHECKED = 100  # newest results looked at per run
TITLES_IN_MESSAGE = 3


class SavedSearchNotFound(NotFound):
    title = "Saved search not found"


class TooManySavedSearches(Conflict):
    title = "Too many saved searches"


def listing_query(params: ListingSearchParams) -> ListingQuery:
    filters = ListingFilters(
        kind=params.kind,
        tier=params.tier,
        trl_min=params.trl_min,
        trl_max=params.trl_max,
        sectors=params.sector,
        ip_status=params.ip_status,
        dossier_clear=params.dossier_clear,
        source_exchange=params.source_exchange,
        region=params.region,
        price_min=params.price_min,
        price_max=params.price_max,
    )
    return ListingQuery(text=params.q, filters=filters, sort=SortKey.newest, limit=RESULTS_CHECKED)


def need_query(params: NeedSearchParams, principal: Principal) -> NeedQuery:
    filters = NeedFilters(
        sectors=params.sector,
        min_trl_min=params.min_trl_min,
        min_trl_max=params.min_trl_max,
        accepts_trl=params.accepts_trl,
        budget=params.budget,
        region=params.region,
        source_exchange=params.source_exchange,
        transfer_forms=params.transfer_form,
        visibility=visible_need_kinds(principal),
        open_on=vn_today(),
    )
    return NeedQuery(text=params.q, filters=filters, sort=SortKey.newest, limit=RESULTS_CHECKED)


async def current_results(
    session: AsyncSession, settings: Settings, saved: SavedSearch, principal: Principal
) -> list[SearchHit]:
    """What the search shows this user now, less what their own organisations posted."""
    engine = get_search_engine(settings, session)
    if saved.entity == SavedSearchEntity.listings:
        result = await engine.search_listings(
            listing_query(ListingSearchParams.model_validate(saved.params))
        )
    else:
        result = await engine.search_needs(
            need_query(NeedSearchParams.model_validate(saved.params), principal)
        )
    own = {str(org) for org in principal.org_ids}
    return [hit for hit in result.hits if hit.document.get("organisation_id") not in own]


async def principal_of(session: AsyncSession, user: User) -> Principal:
    """The user as the search API would see them (organisations and platform roles)."""
    rows = await session.execute(
        select(Membership.organisation_id, Membership.role).where(Membership.user_id == user.id)
    )
    return Principal(
        user_id=user.id,
        label=user.email,
        memberships={org_id: OrgRole(role) for org_id, role in rows.all()},
        platform_roles=frozenset(PlatformRole(r) for r in user.platform_roles),
    )


async def _record_hits(
    session: AsyncSession, saved: SavedSearch, hits: list[SearchHit], notified: bool
) -> set[str]:
    """Record results; returns the ones never seen before by this saved search."""
    if not hits:
        return set()
    rows = [
        {"saved_search_id": saved.id, "object_id": uuid.UUID(h.id), "notified": notified}
        for h in hits
    ]
    inserted = await session.scalars(
        insert(SavedSearchHit)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(SavedSearchHit.object_id)
    )
    return {str(object_id) for object_id in inserted.all()}


async def create(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    body: ListingSavedSearchCreate | NeedSavedSearchCreate,
) -> SavedSearch:
    """Save a search and record its current results as already seen."""
    assert principal.user_id is not None
    count = await session.scalar(
        select(func.count()).where(SavedSearch.user_id == principal.user_id)
    )
    if count and count >= MAX_PER_USER:
        raise TooManySavedSearches(
            f"You already have {count} saved searches; delete one to save another."
        )
    saved = SavedSearch(
        user_id=principal.user_id,
        name=body.name,
        entity=SavedSearchEntity(body.entity),
        params=body.query.model_dump(mode="json", exclude_defaults=True),
    )
    session.add(saved)
    await session.flush()
    await _record_hits(
        session, saved, await current_results(session, settings, saved, principal), False
    )
    saved.last_checked_at = utcnow()
    await audit.record(
        session, principal, "saved_search.create", "saved_search", saved.id,
        changes={"name": saved.name, "entity": saved.entity, "params": saved.params},
    )  # fmt: skip
    await session.flush()
    return saved


def owned_by(principal: Principal) -> Select[Any]:
    """The caller's saved searches, newest first."""
    return (
        select(SavedSearch)
        .where(SavedSearch.user_id == principal.user_id)
        .order_by(SavedSearch.created_at.desc(), SavedSearch.id)
    )


async def get_own(session: AsyncSession, principal: Principal, saved_id: uuid.UUID) -> SavedSearch:
    saved = await session.get(SavedSearch, saved_id)
    if saved is None or saved.user_id != principal.user_id:
        raise SavedSearchNotFound(f"Saved search {saved_id} does not exist or is not yours.")
    return saved


async def delete(session: AsyncSession, principal: Principal, saved: SavedSearch) -> None:
    await audit.record(
        session, principal, "saved_search.delete", "saved_search", saved.id,
        changes={"name": saved.name},
    )  # fmt: skip
    await session.delete(saved)
    await session.flush()


def _message(saved: SavedSearch, fresh: list[SearchHit]) -> Message:
    titles = "; ".join(str(h.document.get("title_vi")) for h in fresh[:TITLES_IN_MESSAGE])
    more = len(fresh) - TITLES_IN_MESSAGE
    tail_vi = f" và {more} kết quả khác" if more > 0 else ""
    tail_en = f" and {more} more" if more > 0 else ""
    kind, path = (
        ("listings", "/search/listings") if saved.entity == SavedSearchEntity.listings
        else ("needs", "/search/needs")
    )  # fmt: skip
    return Message(
        kind="saved_search.new_results",
        title_vi=f"{len(fresh)} kết quả mới cho tìm kiếm “{saved.name}”",
        title_en=f"{len(fresh)} new result{'s' if len(fresh) > 1 else ''} for “{saved.name}”",
        body_vi=f"{titles}{tail_vi}.",
        body_en=f"{titles}{tail_en}.",
        link=path,
        object_type="saved_search",
        object_id=saved.id,
    )


async def check(session: AsyncSession, settings: Settings, saved: SavedSearch, user: User) -> int:
    """Tell the user about results this search has never shown; returns how many."""
    principal = await principal_of(session, user)
    hits = await current_results(session, settings, saved, principal)
    first_run = saved.last_checked_at is None
    new_ids = await _record_hits(session, saved, hits, notified=not first_run)
    saved.last_checked_at = utcnow()
    fresh = [h for h in hits if h.id in new_ids]
    if first_run or not fresh:
        return 0
    await notify_users(session, settings, {user.id}, _message(saved, fresh))
    saved.last_notified_at = saved.last_checked_at
    return len(fresh)


@dataclass
class SavedSearchReport:
    checked: int = 0
    notified: int = 0  # searches that had news
    results: int = 0  # new results announced


async def process_saved_searches(session: AsyncSession, settings: Settings) -> SavedSearchReport:
    """Re-run every saved search of an active user once. Idempotent; never commits."""
    report = SavedSearchReport()
    rows = await session.execute(
        select(SavedSearch, User)
        .join(User, User.id == SavedSearch.user_id)
        .where(User.is_active)
        .order_by(SavedSearch.last_checked_at.asc().nulls_first(), SavedSearch.id)
    )
    for saved, user in rows.all():
        found = await check(session, settings, saved, user)
        report.checked += 1
        report.notified += 1 if found else 0
        report.results += found
    await session.flush()
    return report
