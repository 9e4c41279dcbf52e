"""Match alerts on publication, and saved searches that announce new results once."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.core.config import Settings
from app.core.db import run_after_commit, utcnow
from app.core.mailer import LogMailer, get_mailer
from app.listings.models import Listing, ListingStatus
from app.matching.alert_models import AlertDirection, MatchAlert, SavedSearch, SavedSearchHit
from app.matching.alerts import process_publication_alerts
from app.matching.saved_searches import MAX_PER_USER, process_saved_searches
from app.needs.models import Need, NeedStatus, NeedVisibility
from app.notifications.models import Notification
from tests.factories import create_listing, create_need, create_user
from tests.listings.helpers import moderator
from tests.matching.match_factories import enterprise, supplier

DRYER = "Công nghệ sấy lạnh bơm nhiệt cho xoài xuất khẩu"
DRYER_TEXT = "Buồng sấy lạnh bơm nhiệt giữ màu và vitamin của xoài sấy, điều khiển độ ẩm."
LONG_AGO = timedelta(days=3)  # before the first run's look-back window


async def _listing(session: AsyncSession, **kw: Any) -> Listing:
    values: dict[str, Any] = {
        "title_vi": DRYER, "title_en": None, "summary_vi": None,
        "technical_description": DRYER_TEXT, "trl": 7,
    }  # fmt: skip
    values.update(kw)
    organisation = values.pop("organisation", None) or await supplier(session)
    return await create_listing(session, organisation, **values)


async def _need(session: AsyncSession, **kw: Any) -> Need:
    values: dict[str, Any] = {"title_vi": "Cần công nghệ sấy lạnh xoài giữ màu",
                              "problem_statement": DRYER_TEXT, "min_trl": 6}  # fmt: skip
    values.update(kw)
    organisation = values.pop("organisation", None) or await enterprise(session)
    return await create_need(session, organisation, **values)


async def _notifications(session: AsyncSession, user: User, kind: str) -> list[Notification]:
    rows = await session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    )
    return list(rows.all())


async def _alerts(session: AsyncSession) -> list[MatchAlert]:
    return list((await session.scalars(select(MatchAlert))).all())


def _mails_to(settings: Settings, user: User) -> list[Any]:
    mailer = get_mailer(settings)
    assert isinstance(mailer, LogMailer)
    return [mail for mail in mailer.sent if mail.to == user.email]


async def test_publishing_a_listing_alerts_owners_of_matching_needs_once(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Any
) -> None:
    buyer_org = await enterprise(session)
    buyers = [await create_user(session, buyer_org) for _ in range(2)]
    matching = await _need(session, organisation=buyer_org, published_at=utcnow() - LONG_AGO)
    hidden_org = await enterprise(session)
    hidden_user = await create_user(session, hidden_org)
    restricted = await _need(
        session, organisation=hidden_org, visibility=NeedVisibility.restricted,
        published_at=utcnow() - LONG_AGO,
    )  # fmt: skip
    other_org = await enterprise(session)
    other_user = await create_user(session, other_org)
    await _need(
        session, organisation=other_org, title_vi="Cần chip vi điều khiển công suất thấp",
        problem_statement="Thiết kế vi mạch RISC-V cho thiết bị đeo.", sectors=["semiconductors"],
        published_at=utcnow() - LONG_AGO,
    )  # fmt: skip
    listing = await _listing(session, status=ListingStatus.submitted)

    published = await client.post(
        f"/api/v1/listings/{listing.id}/publish", headers=auth_headers(await moderator(session))
    )
    assert published.status_code == 200, published.text

    report = await process_publication_alerts(session, settings)

    assert (report.listings, report.alerts) == (1, 2)
    alerts = await _alerts(session)
    assert {(a.listing_id, a.need_id) for a in alerts} == {
        (listing.id, matching.id),
        (listing.id, restricted.id),
    }
    assert {a.direction for a in alerts} == {AlertDirection.listing_published}
    assert all(a.score >= settings.match_alert_threshold for a in alerts)
    for user in (*buyers, hidden_user):
        (note,) = await _notifications(session, user, "match.listing_for_need")
        assert note.link == f"/listings/{listing.id}"
        assert note.title_vi.startswith("Công nghệ mới phù hợp với nhu cầu")
        assert DRYER in (note.body_vi or "")
    assert await _notifications(session, other_user, "match.listing_for_need") == []

    await run_after_commit(session)  # the mails go once the alerts are committed
    assert len(_mails_to(settings, buyers[0])) == 1
    assert _mails_to(settings, other_user) == []

    again = await process_publication_alerts(session, settings)
    assert (again.listings, again.alerts) == (0, 0)
    assert len(await _alerts(session)) == 2
    assert len(await _notifications(session, buyers[0], "match.listing_for_need")) == 1


async def test_publishing_a_need_alerts_owners_of_matching_listings(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Any
) -> None:
    seller_org = await supplier(session)
    seller = await create_user(session, seller_org)
    listing = await _listing(session, organisation=seller_org, published_at=utcnow() - LONG_AGO)
    need = await _need(session, status=NeedStatus.submitted, visibility=NeedVisibility.anonymous)

    published = await client.post(
        f"/api/v1/needs/{need.id}/publish", headers=auth_headers(await moderator(session))
    )
    assert published.status_code == 200, published.text
    report = await process_publication_alerts(session, settings)

    assert (report.needs, report.alerts) == (1, 1)
    (alert,) = await _alerts(session)
    assert (alert.listing_id, alert.need_id) == (listing.id, need.id)
    assert alert.direction == AlertDirection.need_published
    (note,) = await _notifications(session, seller, "match.need_for_listing")
    assert note.link == f"/needs/{need.id}"
    assert note.body_vi is not None
    assert need.title_vi in note.body_vi


async def test_a_pair_is_alerted_once_whichever_side_is_published_again(
    session: AsyncSession, settings: Settings
) -> None:
    seller_org = await supplier(session)
    seller = await create_user(session, seller_org)
    need = await _need(session, published_at=utcnow() - LONG_AGO)
    listing = await _listing(session, organisation=seller_org)
    assert (await process_publication_alerts(session, settings)).alerts == 1

    need.published_at = utcnow()  # the need comes back: a new publication to match
    await session.flush()
    report = await process_publication_alerts(session, settings)

    assert (report.needs, report.alerts) == (1, 0)
    assert len(await _alerts(session)) == 1
    assert await _notifications(session, seller, "match.need_for_listing") == []
    assert listing.id == (await _alerts(session))[0].listing_id


async def test_the_database_refuses_a_second_alert_for_a_pair(session: AsyncSession) -> None:
    need = await _need(session)
    listing = await _listing(session)
    session.add(MatchAlert(listing_id=listing.id, need_id=need.id, score=0.7,
                           direction=AlertDirection.listing_published))  # fmt: skip
    await session.flush()

    duplicate = MatchAlert(listing_id=listing.id, need_id=need.id, score=0.9,
                           direction=AlertDirection.need_published)  # fmt: skip
    async with session.begin_nested():
        session.add(duplicate)
        with pytest.raises(IntegrityError):
            await session.flush()


async def test_weak_matches_and_old_publications_alert_nobody(
    session: AsyncSession, settings: Settings
) -> None:
    await _need(session, published_at=utcnow() - LONG_AGO)
    await _listing(session, published_at=utcnow() - LONG_AGO)  # before the first run's window
    assert (await process_publication_alerts(session, settings)).alerts == 0

    await _listing(session)
    strict = settings.model_copy(update={"match_alert_threshold": 0.99})
    report = await process_publication_alerts(session, strict)
    assert (report.listings, report.alerts) == (1, 0)
    assert await _alerts(session) == []


# --- saved searches ----------------------------------------------------------------------------

SAVED = "/api/v1/saved-searches"


async def _save(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post(SAVED, json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_a_saved_search_announces_only_results_it_has_not_shown(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Any
) -> None:
    user = await create_user(session, await enterprise(session))
    existing = await _listing(session)
    query = {"q": "sấy lạnh", "sector": ["food_processing"], "trl_min": 5}

    saved = await _save(
        client, auth_headers(user), name="Sấy lạnh trái cây", entity="listings", query=query
    )

    assert saved["query"] == query
    assert saved["last_checked_at"] is not None
    hits = (await session.scalars(select(SavedSearchHit))).all()
    assert [(h.object_id, h.notified) for h in hits] == [(existing.id, False)]
    assert (await process_saved_searches(session, settings)).results == 0

    fresh = await _listing(session, title_vi="Máy sấy lạnh mít và thanh long")
    await _listing(session, title_vi="Máy ép nhựa tái chế", technical_description="Ép nhựa.")
    report = await process_saved_searches(session, settings)

    assert (report.checked, report.notified, report.results) == (1, 1, 1)
    (note,) = await _notifications(session, user, "saved_search.new_results")
    assert note.title_vi == "1 kết quả mới cho tìm kiếm “Sấy lạnh trái cây”"
    assert note.body_vi == f"{fresh.title_vi}."
    assert (await process_saved_searches(session, settings)).results == 0
    assert len(await _notifications(session, user, "saved_search.new_results")) == 1


async def test_saved_need_searches_follow_need_visibility(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, auth_headers: Any
) -> None:
    loner = await create_user(session)  # signed in, member of no organisation
    await _save(client, auth_headers(loner), name="Nhu cầu sấy", entity="needs",
                query={"q": "sấy lạnh"})  # fmt: skip

    await _need(session, visibility=NeedVisibility.restricted)
    public = await _need(session, title_vi="Cần máy sấy lạnh cho mít")
    assert (await process_saved_searches(session, settings)).results == 1

    hits = (await session.scalars(select(SavedSearchHit.object_id))).all()
    assert list(hits) == [public.id]


async def test_a_search_saved_without_a_baseline_records_one_silently(
    session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(session)
    await _listing(session)
    session.add(SavedSearch(user_id=user.id, name="x", entity="listings", params={"q": "sấy"}))
    await session.flush()

    assert (await process_saved_searches(session, settings)).results == 0
    assert await _notifications(session, user, "saved_search.new_results") == []
    hit = await session.scalar(select(SavedSearchHit))
    assert hit is not None
    assert hit.notified is False


async def test_saved_searches_belong_to_their_user(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    owner, stranger = await create_user(session), await create_user(session)
    saved = await _save(client, auth_headers(owner), name="Sấy", entity="listings")
    url = f"{SAVED}/{saved['id']}"

    assert (await client.post(SAVED, json={"name": "x", "entity": "listings"})).status_code == 401
    assert (await client.get(SAVED)).status_code == 401
    assert (await client.get(url, headers=auth_headers(stranger))).status_code == 404
    assert (await client.delete(url, headers=auth_headers(stranger))).status_code == 404
    theirs = await client.get(SAVED, headers=auth_headers(stranger))
    assert theirs.json()["items"] == []

    mine = await client.get(SAVED, headers=auth_headers(owner))
    assert [s["id"] for s in mine.json()["items"]] == [saved["id"]]
    assert mine.json()["pagination"] == {"total_count": 1, "max_page": 1}
    assert (await client.get(url, headers=auth_headers(owner))).json()["name"] == "Sấy"
    assert (await client.delete(url, headers=auth_headers(owner))).status_code == 204
    assert await session.scalar(select(func.count()).select_from(SavedSearch)) == 0
    assert (await client.get(url, headers=auth_headers(owner))).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "entity": "contracts"}, "body"),
        ({"name": "", "entity": "listings"}, "body.listings.name"),
        ({"name": "x", "entity": "listings", "query": {"qq": "sấy"}}, "body.listings.query.qq"),
        ({"name": "x", "entity": "listings", "query": {"trl_min": 7, "trl_max": 5}},
         "body.listings.query"),
        ({"name": "x", "entity": "needs", "query": {"kind": ["equipment"]}},
         "body.needs.query.kind"),
    ],
)  # fmt: skip
async def test_invalid_saved_searches_are_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth_headers: Any,
    body: dict[str, Any],
    field: str,
) -> None:
    user = await create_user(session)
    response = await client.post(SAVED, json=body, headers=auth_headers(user))
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert field in {e["field"] for e in errors}
    if field == "body":  # an unknown entity: the message names the ones there are
        assert "'listings', 'needs'" in errors[0]["msg"]
    assert await session.scalar(select(func.count()).select_from(SavedSearch)) == 0


async def test_saved_searches_are_limited_per_user(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Any
) -> None:
    user = await create_user(session)
    session.add_all(
        SavedSearch(user_id=user.id, name=f"s{i}", entity="listings", params={})
        for i in range(MAX_PER_USER)
    )
    await session.flush()

    response = await client.post(
        SAVED, json={"name": "một nữa", "entity": "listings"}, headers=auth_headers(user)
    )

    assert response.status_code == 409
    assert await session.scalar(select(func.count()).select_from(SavedSearch)) == MAX_PER_USER
