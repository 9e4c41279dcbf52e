"""Connections over HTTP: who may create, answer, move and read them, and what is recorded."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrganisationKind, User
from app.connections.models import Connection, ConnectionStatus
from app.listings.models import Listing, ListingAccessGrant, ListingStatus
from app.needs.models import NeedStatus
from tests.connections.helpers import (
    API,
    audit_actions,
    broker,
    error_fields,
    member,
    notified,
    request,
    staff,
    timeline,
)
from tests.factories import create_listing, create_need, create_user


@dataclass
class Pair:
    listing: Listing
    institute: Organisation
    owner: User
    company: Organisation
    seeker: User
    connection: dict[str, Any]

    @property
    def url(self) -> str:
        return f"{API}/{self.connection['id']}"


async def _requested(session: AsyncSession, client: httpx.AsyncClient, auth_headers) -> Pair:  # type: ignore[no-untyped-def]
    institute, owner = await member(session)
    company, seeker = await member(session, OrganisationKind.enterprise)
    listing = await create_listing(session, institute, confidential_detail="Bản vẽ chi tiết")
    response = await request(client, auth_headers(seeker), listing.id)
    assert response.status_code == 201, response.text
    return Pair(listing, institute, owner, company, seeker, response.json())


async def _count(session: AsyncSession, **where: object) -> int:
    stmt = select(func.count()).select_from(Connection).filter_by(**where)
    return int(await session.scalar(stmt) or 0)


async def _grants(session: AsyncSession, listing_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(ListingAccessGrant.listing_id == listing_id)
    return int(await session.scalar(stmt) or 0)


# --- creating ------------------------------------------------------------------------------


async def test_request_records_pair_timeline_audit_and_notifies_the_owner(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    body = pair.connection
    assert body["supplier_organisation_id"] == str(pair.institute.id)
    assert body["seeker_organisation_id"] == str(pair.company.id)
    assert (body["initiator"], body["status"], body["awaiting"]) == (
        "seeker",
        "requested",
        ["supplier"],
    )
    assert await timeline(session, body["id"]) == [("created", "requested")]
    assert await audit_actions(session, body["id"]) == ["connection.create"]
    assert await notified(session, pair.owner, "connection.requested") == 1
    assert await notified(session, pair.seeker, "connection.requested") == 0


async def test_duplicate_request_returns_the_existing_connection_with_200(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    again = await request(client, auth_headers(pair.seeker), pair.listing.id, message="Nhắc lại")
    assert (again.status_code, again.json()["id"]) == (200, pair.connection["id"])
    colleague = await create_user(session, pair.company)  # same organisation, same pair
    third = await request(client, auth_headers(colleague), pair.listing.id)
    assert (third.status_code, third.json()["id"]) == (200, pair.connection["id"])
    assert await _count(session, listing_id=pair.listing.id) == 1
    assert await audit_actions(session, pair.connection["id"]) == ["connection.create"]


async def test_the_unique_pair_is_a_database_constraint(
    session: AsyncSession,
) -> None:
    institute, _ = await member(session)
    company, _ = await member(session, OrganisationKind.enterprise)
    listing = await create_listing(session, institute)
    values = {
        "listing_id": listing.id,
        "supplier_organisation_id": institute.id,
        "seeker_organisation_id": company.id,
        "initiator": "seeker",
        "channel": "online",
    }
    session.add(Connection(**values))
    await session.flush()
    nested = await session.begin_nested()
    session.add(Connection(**values))
    with pytest.raises(IntegrityError, match="uq_connections_listing_seeker"):
        await session.flush()
    await nested.rollback()


async def test_cannot_request_own_listing_or_an_unpublished_one(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, owner = await member(session)
    _, seeker = await member(session, OrganisationKind.enterprise)
    listing = await create_listing(session, institute)
    draft = await create_listing(session, institute, status=ListingStatus.draft)
    ids = (institute.id, listing.id, draft.id)  # a refused request expires loaded rows
    operator_staff = auth_headers(await staff(session))
    own = await request(client, auth_headers(owner), ids[1])
    assert own.status_code == 422
    assert error_fields(own.json()) == {"listing_id"}
    assert (await request(client, auth_headers(seeker), ids[2])).status_code == 404
    # The owner sees their draft, so for them the answer is "not open", not "missing".
    assert (await request(client, auth_headers(owner), ids[2])).status_code == 409
    assert (await request(client, operator_staff, ids[2])).status_code == 409
    assert await _count(session, supplier_organisation_id=ids[0]) == 0


async def test_a_request_names_exactly_a_listing(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    _, seeker = await member(session, OrganisationKind.enterprise)
    response = await client.post(API, json={"kind": "request"}, headers=auth_headers(seeker))
    assert response.status_code == 422
    assert (await client.post(API, json={"listing_id": str(uuid.uuid4())})).status_code == 401


async def test_members_of_several_organisations_say_which_one_acts(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, _ = await member(session)
    listing = await create_listing(session, institute)
    company, seeker = await member(session, OrganisationKind.enterprise)
    other, _ = await member(session, OrganisationKind.enterprise)
    from app.auth.models import Membership, OrgRole

    session.add(Membership(user_id=seeker.id, organisation_id=other.id, role=OrgRole.member))
    await session.flush()
    ambiguous = await request(client, auth_headers(seeker), listing.id)
    assert ambiguous.status_code == 422
    assert error_fields(ambiguous.json()) == {"organisation_id"}
    chosen = await request(client, auth_headers(seeker), listing.id, organisation_id=str(other.id))
    assert chosen.status_code == 201
    assert chosen.json()["seeker_organisation_id"] == str(other.id)
    foreign = await request(
        client, auth_headers(seeker), listing.id, organisation_id=str(institute.id)
    )
    assert foreign.status_code == 422


async def test_supplier_answers_a_need_and_the_need_owner_accepts(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, need_owner = await member(session, OrganisationKind.enterprise)
    need = await create_need(session, company)
    institute, supplier = await member(session)
    listing = await create_listing(session, institute)
    body = {"kind": "answer", "need_id": str(need.id), "listing_id": str(listing.id)}
    answered = await client.post(API, json=body, headers=auth_headers(supplier))
    assert answered.status_code == 201, answered.text
    connection = answered.json()
    assert (connection["initiator"], connection["awaiting"]) == ("supplier", ["seeker"])
    assert await notified(session, need_owner, "connection.requested") == 1

    own_answer = await client.post(
        f"{API}/{connection['id']}/accept", headers=auth_headers(supplier)
    )
    assert own_answer.status_code == 403
    accepted = await client.post(
        f"{API}/{connection['id']}/accept", headers=auth_headers(need_owner)
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert await _grants(session, listing.id) == 1  # the offered listing's detail is shared

    own_need = await client.post(
        API, json={"kind": "answer", "need_id": str(need.id)}, headers=auth_headers(need_owner)
    )
    assert own_need.status_code == 422
    draft = await create_need(session, company, status=NeedStatus.draft)
    hidden = await client.post(
        API, json={"kind": "answer", "need_id": str(draft.id)}, headers=auth_headers(supplier)
    )
    assert hidden.status_code == 404


async def test_broker_introduction_waits_for_both_sides(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    company, buyer = await member(session, OrganisationKind.enterprise)
    need = await create_need(session, company)
    institute, owner = await member(session)
    listing = await create_listing(session, institute)
    the_broker = await broker(session)
    body = {"kind": "introduction", "need_id": str(need.id), "listing_id": str(listing.id)}

    assert (await client.post(API, json=body, headers=auth_headers(buyer))).status_code == 403
    introduced = await client.post(API, json=body, headers=auth_headers(the_broker))
    assert introduced.status_code == 201, introduced.text
    connection = introduced.json()
    assert connection["channel"] == "broker"
    assert connection["broker_user_id"] == str(the_broker.id)
    assert sorted(connection["awaiting"]) == ["seeker", "supplier"]
    assert await notified(session, owner, "connection.requested") == 1
    assert await notified(session, buyer, "connection.requested") == 1

    url = f"{API}/{connection['id']}"
    broker_accepts = await client.post(f"{url}/accept", headers=auth_headers(the_broker))
    assert broker_accepts.status_code == 403
    half = await client.post(f"{url}/accept", headers=auth_headers(owner))
    assert half.status_code == 200
    assert (half.json()["status"], half.json()["awaiting"]) == ("requested", ["seeker"])
    twice = await client.post(f"{url}/accept", headers=auth_headers(owner))
    assert twice.status_code == 403
    assert await _grants(session, listing.id) == 0
    both = await client.post(f"{url}/accept", headers=auth_headers(buyer))
    assert both.json()["status"] == "accepted"
    assert await _grants(session, listing.id) == 1
    assert [k for k, _ in await timeline(session, connection["id"])] == [
        "created", "acceptance", "status_change",
    ]  # fmt: skip
    duplicate = await client.post(API, json=body, headers=auth_headers(the_broker))
    assert (duplicate.status_code, duplicate.json()["id"]) == (200, connection["id"])


# --- answering -----------------------------------------------------------------------------


async def test_a_company_cannot_accept_its_own_request(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    response = await client.post(f"{pair.url}/accept", headers=auth_headers(pair.seeker))
    assert response.status_code == 403
    row = await session.get(Connection, pair.connection["id"])
    assert row is not None
    assert row.status is ConnectionStatus.requested
    assert await _grants(session, pair.listing.id) == 0


async def test_outsiders_cannot_see_or_answer(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    _, outsider = await member(session, OrganisationKind.enterprise)
    headers = auth_headers(outsider)
    assert (await client.get(pair.url, headers=headers)).status_code == 404
    assert (await client.post(f"{pair.url}/accept", headers=headers)).status_code == 404
    assert (await client.get(pair.url)).status_code == 401
    # Staff see it, but accepting is the owner's decision.
    operator_staff = auth_headers(await staff(session))
    assert (await client.get(pair.url, headers=operator_staff)).status_code == 200
    assert (await client.post(f"{pair.url}/accept", headers=operator_staff)).status_code == 403


async def test_accept_grants_detail_and_counts(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    before = await client.get(
        f"/api/v1/listings/{pair.listing.id}", headers=auth_headers(pair.seeker)
    )
    assert before.json()["detail"] is None
    accepted = await client.post(f"{pair.url}/accept", headers=auth_headers(pair.owner))
    assert accepted.status_code == 200
    assert accepted.json()["counted"] is True
    assert accepted.json()["accepted_at"]
    after = await client.get(
        f"/api/v1/listings/{pair.listing.id}", headers=auth_headers(pair.seeker)
    )
    assert after.json()["detail"]["confidential_detail"] == "Bản vẽ chi tiết"
    grant = await session.scalar(
        select(ListingAccessGrant).where(ListingAccessGrant.listing_id == pair.listing.id)
    )
    assert grant is not None
    assert str(grant.connection_id) == pair.connection["id"]
    assert grant.organisation_id == pair.company.id
    assert await audit_actions(session, pair.connection["id"]) == [
        "connection.create", "connection.accept",
    ]  # fmt: skip
    assert await notified(session, pair.seeker, "connection.accepted") == 1
    again = await client.post(f"{pair.url}/accept", headers=auth_headers(pair.owner))
    assert again.status_code == 409


async def test_declined_connection_does_not_count_nor_advance(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    owner = auth_headers(pair.owner)
    declined = await client.post(
        f"{pair.url}/decline", json={"reason": "Không phù hợp"}, headers=owner
    )
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["counted"]) == ("declined", False)
    assert await notified(session, pair.seeker, "connection.declined") == 1
    assert (await client.post(f"{pair.url}/advance", headers=owner)).status_code == 409
    assert (await client.post(f"{pair.url}/accept", headers=owner)).status_code == 409
    assert (await client.post(f"{pair.url}/close", headers=owner)).status_code == 409
    assert await _grants(session, pair.listing.id) == 0
    # Asking again returns the declined connection: the pair counts once, and not now.
    again = await request(client, auth_headers(pair.seeker), pair.listing.id)
    assert (again.status_code, again.json()["status"]) == (200, "declined")


async def test_requested_connection_cannot_advance(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    response = await client.post(f"{pair.url}/advance", headers=auth_headers(pair.owner))
    assert response.status_code == 409


async def test_advance_and_close_by_parties_and_assigned_broker_only(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    await client.post(f"{pair.url}/accept", headers=auth_headers(pair.owner))
    unassigned_broker = auth_headers(await broker(session))
    # The connection is in the unassigned pool: visible to brokers, but they may not drive it.
    assert (await client.get(pair.url, headers=unassigned_broker)).status_code == 200
    refused = await client.post(f"{pair.url}/advance", headers=unassigned_broker)
    assert refused.status_code == 403
    assert (await client.post(f"{pair.url}/close", headers=unassigned_broker)).status_code == 403

    assigned = await broker(session)
    operator_staff = auth_headers(await staff(session))
    assign = await client.post(
        f"{pair.url}/assign", json={"broker_user_id": str(assigned.id)}, headers=operator_staff
    )
    assert assign.status_code == 200
    assert assign.json()["broker_user_id"] == str(assigned.id)
    assert await notified(session, assigned, "connection.assigned") == 1
    # Assigned to someone else now: another broker does not even see it.
    assert (await client.post(f"{pair.url}/advance", headers=unassigned_broker)).status_code == 404
    row = await session.get(Connection, pair.connection["id"])
    assert row is not None
    assert row.status is ConnectionStatus.accepted

    advanced = await client.post(f"{pair.url}/advance", headers=auth_headers(assigned))
    assert advanced.status_code == 200
    assert advanced.json()["status"] == "in_negotiation"
    assert await notified(session, pair.owner, "connection.in_negotiation") == 1
    closed = await client.post(
        f"{pair.url}/close", json={"reason": "Giá không phù hợp"}, headers=auth_headers(pair.seeker)
    )
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["counted"]) == ("closed_no_deal", True)
    assert (await client.post(f"{pair.url}/close", headers=operator_staff)).status_code == 409


async def test_staff_assign_only_brokers_and_brokers_take_unassigned(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    operator_staff = auth_headers(await staff(session))
    not_broker = await client.post(
        f"{pair.url}/assign", json={"broker_user_id": str(pair.seeker.id)}, headers=operator_staff
    )
    assert not_broker.status_code == 422
    by_party = await client.post(
        f"{pair.url}/assign",
        json={"broker_user_id": str(pair.seeker.id)},
        headers=auth_headers(pair.owner),
    )
    assert by_party.status_code == 403
    assert (
        await client.post(f"{pair.url}/take", headers=auth_headers(pair.owner))
    ).status_code == 403

    first, second = await broker(session), await broker(session)
    pool = await client.get(API, params={"unassigned": "true"}, headers=auth_headers(first))
    assert pair.connection["id"] in [c["id"] for c in pool.json()["items"]]
    taken = await client.post(f"{pair.url}/take", headers=auth_headers(first))
    assert taken.status_code == 200
    assert (await client.post(f"{pair.url}/take", headers=auth_headers(first))).status_code == 200
    assert (await client.post(f"{pair.url}/take", headers=auth_headers(second))).status_code == 404
    mine = await client.get(API, headers=auth_headers(first))
    assert [c["id"] for c in mine.json()["items"]] == [pair.connection["id"]]
    assert ("assignment", None) in await timeline(session, pair.connection["id"])


async def test_messages_go_on_the_timeline_and_notify_the_other_side(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    written = await client.post(
        f"{pair.url}/messages",
        json={"body": "Cho hỏi giá chuyển giao?"},
        headers=auth_headers(pair.seeker),
    )
    assert written.status_code == 201, written.text
    assert written.json()["events"][-1]["body"] == "Cho hỏi giá chuyển giao?"
    assert await notified(session, pair.owner, "connection.message") == 1
    assert await notified(session, pair.seeker, "connection.message") == 0
    empty = await client.post(
        f"{pair.url}/messages", json={"body": "  "}, headers=auth_headers(pair.seeker)
    )
    assert empty.status_code == 422
    pool_broker = await client.post(
        f"{pair.url}/messages",
        json={"body": "Xin chào"},
        headers=auth_headers(await broker(session)),
    )
    assert pool_broker.status_code == 403


async def test_list_mine_and_filters(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    other = await create_listing(session, pair.institute)
    await request(client, auth_headers(pair.seeker), other.id)
    await client.post(f"{pair.url}/accept", headers=auth_headers(pair.owner))
    seeker = auth_headers(pair.seeker)

    mine = await client.get(API, headers=seeker)
    assert mine.json()["pagination"]["total_count"] == 2
    accepted = await client.get(API, params={"status": "accepted"}, headers=seeker)
    assert [c["id"] for c in accepted.json()["items"]] == [pair.connection["id"]]
    by_listing = await client.get(API, params={"listing_id": str(other.id)}, headers=seeker)
    assert by_listing.json()["pagination"]["total_count"] == 1
    _, outsider = await member(session, OrganisationKind.enterprise)
    assert (await client.get(API, headers=auth_headers(outsider))).json()["items"] == []
    bad = await client.get(API, params={"status": "nonsense"}, headers=seeker)
    assert bad.status_code == 422


async def test_service_requests_by_broker_with_status_handler_and_outcome(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    the_broker = await broker(session)
    brk = auth_headers(the_broker)
    await client.post(f"{pair.url}/take", headers=brk)

    unknown = await client.post(
        f"{pair.url}/service-requests", json={"type": "massage"}, headers=brk
    )
    assert unknown.status_code == 422
    assert error_fields(unknown.json()) == {"type"}
    asked = await client.post(
        f"{pair.url}/service-requests",
        json={"type": "negotiation_support"},
        headers=auth_headers(pair.seeker),
    )
    assert asked.status_code == 201
    assert asked.json()["handler_user_id"] == str(the_broker.id)  # the assigned broker handles it
    assert await notified(session, the_broker, "connection.service_request") == 1

    sr_url = f"{pair.url}/service-requests/{asked.json()['id']}"
    by_party = await client.patch(
        sr_url, json={"status": "done"}, headers=auth_headers(pair.seeker)
    )
    assert by_party.status_code == 403
    started = await client.patch(sr_url, json={"status": "in_progress"}, headers=brk)
    assert started.status_code == 200
    assert started.json()["started_at"]
    done = await client.patch(
        sr_url, json={"status": "done", "outcome": "Hai bên thống nhất giá"}, headers=brk
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["outcome"]) == ("done", "Hai bên thống nhất giá")
    reopened = await client.patch(sr_url, json={"status": "open"}, headers=brk)
    assert reopened.status_code == 409
    listed = await client.get(f"{pair.url}/service-requests", headers=auth_headers(pair.owner))
    assert [s["status"] for s in listed.json()] == ["done"]
    missing = await client.patch(
        f"{pair.url}/service-requests/{uuid.uuid4()}", json={}, headers=brk
    )
    assert missing.status_code == 404


async def test_pipeline_groups_a_brokers_connections_by_stage(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    pair = await _requested(session, client, auth_headers)
    the_broker = await broker(session)
    brk = auth_headers(the_broker)
    await client.post(f"{pair.url}/take", headers=brk)
    planned = await client.patch(
        pair.url,
        json={"next_action": "Gọi điện cho viện", "next_action_due": "2020-01-01"},
        headers=brk,
    )
    assert planned.status_code == 200
    assert planned.json()["next_action"] == "Gọi điện cho viện"
    by_party = await client.patch(
        pair.url, json={"next_action": "x"}, headers=auth_headers(pair.owner)
    )
    assert by_party.status_code == 403

    board = await client.get("/api/v1/brokerage/pipeline", headers=brk)
    assert board.status_code == 200, board.text
    stages = {s["status"]: s for s in board.json()["stages"]}
    assert stages["requested"]["count"] == 1
    assert stages["accepted"]["count"] == 0
    item = stages["requested"]["items"][0]
    assert item["listing_title"] == pair.listing.title_vi
    assert item["seeker_name"] == pair.company.name_vi
    assert (item["next_action"], item["overdue"]) == ("Gọi điện cho viện", True)
    assert board.json()["overdue"] == 1

    assert (
        await client.get("/api/v1/brokerage/pipeline", headers=auth_headers(pair.owner))
    ).status_code == 403
    as_staff = await client.get(
        "/api/v1/brokerage/pipeline",
        params={"broker_user_id": str(the_broker.id)},
        headers=auth_headers(await staff(session)),
    )
    assert as_staff.status_code == 200
    assert as_staff.json()["overdue"] == 1


async def test_answering_an_anonymous_need_does_not_reveal_its_poster(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    from app.needs.models import NeedVisibility

    company, poster = await member(session, OrganisationKind.enterprise)
    need = await create_need(session, company, visibility=NeedVisibility.anonymous)
    _, supplier = await member(session)
    body = {"kind": "answer", "need_id": str(need.id)}
    answered = await client.post(API, json=body, headers=auth_headers(supplier))
    assert answered.status_code == 201
    assert answered.json()["seeker_organisation_id"] is None
    url = f"{API}/{answered.json()['id']}"
    assert (await client.get(url, headers=auth_headers(supplier))).json()[
        "seeker_organisation_id"
    ] is None
    listed = await client.get(API, headers=auth_headers(supplier))
    assert [c["seeker_organisation_id"] for c in listed.json()["items"]] == [None]
    own_view = await client.get(url, headers=auth_headers(poster))
    assert own_view.json()["seeker_organisation_id"] == str(company.id)
    await client.post(f"{url}/accept", headers=auth_headers(poster))
    revealed = await client.get(url, headers=auth_headers(supplier))
    assert revealed.json()["seeker_organisation_id"] == str(company.id)
