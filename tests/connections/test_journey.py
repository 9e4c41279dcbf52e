"""The issue's whole journey through the API alone: list, publish, request, accept, detail,
broker service, licence contract signed by both sides, connection contracted."""

from datetime import date, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrganisationKind
from app.connections.models import COUNTED_STATUSES, Connection, ServiceRequest
from app.contracts.models import Contract
from tests.connections.helpers import API, CONTRACTS, broker, member, notified, staff, timeline

LISTINGS = "/api/v1/listings"
SECRET = "Quy trình 3 giai đoạn: tiền xử lý, sấy chân không, ủ ẩm (bí quyết)."


async def _published_listing(client: httpx.AsyncClient, owner: dict, moderator: dict) -> str:
    created = await client.post(
        LISTINGS,
        json={
            "kind": "technology",
            "title_vi": "Công nghệ sấy lạnh trái cây giữ màu",
            "summary_vi": "Sấy lạnh bơm nhiệt giữ màu và vitamin của xoài, thanh long.",
            "technical_description": "Buồng sấy bơm nhiệt 2 cấp, điều khiển ẩm độ.",
            "process_summary": SECRET,
            "trl": 6,
            "ip_declaration": "secret_know_how",
            "sectors": ["food_processing"],
        },
        headers=owner,
    )
    assert created.status_code == 201, created.text
    listing_id = created.json()["id"]
    submitted = await client.post(f"{LISTINGS}/{listing_id}/submit", headers=owner)
    assert submitted.status_code == 200, submitted.text
    published = await client.post(f"{LISTINGS}/{listing_id}/publish", headers=moderator)
    assert published.status_code == 200, published.text
    return listing_id


async def test_full_journey_from_listing_to_signed_licence(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, researcher = await member(session, OrganisationKind.institute)
    company, buyer = await member(session, OrganisationKind.enterprise)
    the_broker = await broker(session)
    inst, comp, brk = auth_headers(researcher), auth_headers(buyer), auth_headers(the_broker)
    listing_id = await _published_listing(client, inst, auth_headers(await staff(session)))

    before = await client.get(f"{LISTINGS}/{listing_id}", headers=comp)
    assert before.status_code == 200
    assert before.json()["detail"] is None

    requested = await client.post(
        API, json={"listing_id": listing_id, "message": "Chúng tôi muốn tìm hiểu."}, headers=comp
    )
    assert requested.status_code == 201, requested.text
    connection = requested.json()
    assert (connection["status"], connection["channel"], connection["counted"]) == (
        "requested", "online", False,
    )  # fmt: skip
    assert connection["awaiting"] == ["supplier"]
    assert await notified(session, researcher, "connection.requested") == 1

    accepted = await client.post(f"{API}/{connection['id']}/accept", headers=inst)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["counted"] is True
    assert await notified(session, buyer, "connection.accepted") == 1

    after = await client.get(f"{LISTINGS}/{listing_id}", headers=comp)
    assert after.json()["detail"]["process_summary"] == SECRET

    taken = await client.post(f"{API}/{connection['id']}/take", headers=brk)
    assert taken.status_code == 200
    assert taken.json()["broker_user_id"] == str(the_broker.id)
    service = await client.post(
        f"{API}/{connection['id']}/service-requests",
        json={"type": "valuation_support", "description": "Định giá theo phương pháp thu nhập"},
        headers=brk,
    )
    assert service.status_code == 201, service.text
    assert service.json()["handler_user_id"] == str(the_broker.id)
    advanced = await client.post(f"{API}/{connection['id']}/advance", headers=brk)
    assert advanced.json()["status"] == "in_negotiation"

    drafted = await client.post(
        CONTRACTS,
        json={
            "connection_id": connection["id"],
            "title": "Hợp đồng chuyển giao quyền sử dụng công nghệ sấy lạnh",
            "contract_type": "licence_non_exclusive",
            "licence_territory": "Việt Nam",
            "sublicensing_allowed": False,
            "form": "standalone",
            "methods": ["documents", "training"],
            "state_funded": True,
            "value_vnd": 1_500_000_000,
            "payment_terms": "fee_plus_royalty",
            "royalty_pct": "3.5",
        },
        headers=brk,
    )
    assert drafted.status_code == 201, drafted.text
    contract = drafted.json()
    assert contract["supplier_organisation_id"] == str(institute.id)
    assert contract["buyer_organisation_id"] == str(company.id)
    assert contract["licence_exclusive"] is False
    assert contract["registration_required"] is True
    assert await notified(session, buyer, "contract.to_sign") == 1

    first = await client.post(f"{CONTRACTS}/{contract['id']}/sign", headers=inst)
    assert first.status_code == 200
    assert first.json()["status"] == "draft"
    second = await client.post(f"{CONTRACTS}/{contract['id']}/sign", headers=comp)
    assert second.status_code == 200, second.text
    signed = second.json()
    signed_on = date.fromisoformat(signed["signed_date"])
    assert signed["status"] == "signed"
    assert signed["counted"] is True
    assert date.fromisoformat(signed["registration_deadline"]) == signed_on + timedelta(days=90)

    final = (await client.get(f"{API}/{connection['id']}", headers=comp)).json()
    assert final["status"] == "contracted"
    assert final["contracted_at"]
    assert [e["kind"] for e in final["events"]].count("contract") == 2  # drafted, signed
    assert [s["type"] for s in final["service_requests"]] == ["valuation_support"]

    row = await session.get(Connection, connection["id"])
    assert row is not None
    assert row.status in COUNTED_STATUSES
    assert (await timeline(session, row.id))[:2] == [
        ("created", "requested"), ("status_change", "accepted"),
    ]  # fmt: skip
    assert await session.scalar(select(func.count()).select_from(ServiceRequest).where(
        ServiceRequest.connection_id == row.id)) == 1  # fmt: skip
    stored = await session.get(Contract, contract["id"])
    assert stored is not None
    assert stored.signed_date == signed_on
