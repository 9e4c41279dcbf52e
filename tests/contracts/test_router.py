"""Contracts over HTTP: drafting, signing by both parties, recording, execution, registration."""

import uuid
from datetime import date, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import OrganisationKind
from app.connections.models import ConnectionStatus
from app.contracts.models import Contract, ContractDocument, ContractStatus
from tests.connections.helpers import (
    CONTRACTS,
    audit_actions,
    broker,
    error_fields,
    member,
    notified,
    staff,
    timeline,
)
from tests.contracts.helpers import LICENCE, PDF, deal


async def _draft(
    client: httpx.AsyncClient, headers: dict, connection_id: uuid.UUID, **terms
) -> dict:  # type: ignore[no-untyped-def,type-arg]
    body = {**LICENCE, "connection_id": str(connection_id), **terms}
    response = await client.post(CONTRACTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_draft_from_a_connection_takes_its_parties(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    d = await deal(session)
    contract = await _draft(client, auth_headers(d.buyer), d.connection.id)
    assert contract["status"] == "draft"
    assert contract["counted"] is False
    assert contract["supplier_organisation_id"] == str(d.institute.id)
    assert contract["buyer_organisation_id"] == str(d.company.id)
    assert contract["listing_id"] == str(d.listing.id)
    assert (contract["licence_exclusive"], contract["registration_required"]) == (True, False)
    assert await audit_actions(session, contract["id"]) == ["contract.create"]
    assert await notified(session, d.supplier, "contract.to_sign") == 1
    assert await notified(session, d.buyer, "contract.to_sign") == 0
    assert ("contract", None) in await timeline(session, d.connection.id)


async def test_draft_validation_names_every_problem(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    d = await deal(session)
    body = {
        "connection_id": str(d.connection.id),
        "title": "Hợp đồng",
        "contract_type": "equipment_sale",
        "licence_territory": "Việt Nam",
        "methods": ["telepathy"],
        "payment_terms": "lump_sum",
        "royalty_pct": "5",
        "effective_date": "2026-05-01",
        "end_date": "2026-01-01",
        "supplier_organisation_id": str(d.company.id),
    }
    response = await client.post(CONTRACTS, json=body, headers=auth_headers(d.buyer))
    assert response.status_code == 422
    assert error_fields(response.json()) == {
        "licence_territory", "methods", "royalty_pct", "end_date", "supplier_organisation_id",
    }  # fmt: skip
    unknown = await client.post(
        CONTRACTS,
        json={**LICENCE, "contract_type": "barter", "connection_id": str(d.connection.id)},
        headers=auth_headers(d.buyer),
    )
    assert unknown.status_code == 422
    assert error_fields(unknown.json()) == {"contract_type"}


async def test_only_accepted_connections_and_their_participants_get_contracts(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    requested = await deal(session, ConnectionStatus.requested)
    d = await deal(session)
    _, outsider = await member(session, OrganisationKind.enterprise)
    pool_broker = await broker(session)
    body = {**LICENCE, "connection_id": str(requested.connection.id)}
    assert (await client.post(CONTRACTS, json=body, headers=auth_headers(requested.buyer))
            ).status_code == 409  # fmt: skip
    body["connection_id"] = str(d.connection.id)
    assert (await client.post(CONTRACTS, json=body, headers=auth_headers(outsider))
            ).status_code == 404  # fmt: skip
    assert (await client.post(CONTRACTS, json=body, headers=auth_headers(pool_broker))
            ).status_code == 403  # fmt: skip
    count = await session.scalar(select(Contract.id).where(Contract.connection_id.isnot(None)))
    assert count is None


async def test_contract_without_connection_by_a_broker_or_a_party(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    institute, supplier = await member(session)
    company, _ = await member(session, OrganisationKind.enterprise)
    the_broker = await broker(session)
    missing = await client.post(CONTRACTS, json=LICENCE, headers=auth_headers(the_broker))
    assert missing.status_code == 422
    assert error_fields(missing.json()) == {"supplier_organisation_id", "buyer_organisation_id"}
    parties = {
        "supplier_organisation_id": str(institute.id),
        "buyer_organisation_id": str(company.id),
    }
    by_broker = await client.post(
        CONTRACTS, json={**LICENCE, **parties}, headers=auth_headers(the_broker)
    )
    assert by_broker.status_code == 201
    assert by_broker.json()["broker_user_id"] == str(the_broker.id)
    by_party = await client.post(
        CONTRACTS, json={**LICENCE, **parties}, headers=auth_headers(supplier)
    )
    assert by_party.status_code == 201
    assert by_party.json()["broker_user_id"] is None
    _, outsider = await member(session, OrganisationKind.enterprise)
    refused = await client.post(
        CONTRACTS, json={**LICENCE, **parties}, headers=auth_headers(outsider)
    )
    assert refused.status_code == 403

    mine = await client.get(CONTRACTS, headers=auth_headers(the_broker))
    assert [c["id"] for c in mine.json()["items"]] == [by_broker.json()["id"]]
    assert (await client.get(CONTRACTS, headers=auth_headers(outsider))).json()["items"] == []
    hidden = await client.get(
        f"{CONTRACTS}/{by_party.json()['id']}", headers=auth_headers(outsider)
    )
    assert hidden.status_code == 404
    seen = await client.get(
        f"{CONTRACTS}/{by_party.json()['id']}", headers=auth_headers(await staff(session))
    )
    assert seen.status_code == 200


async def test_both_parties_sign_and_the_connection_is_contracted(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    d = await deal(session)
    supplier, buyer = auth_headers(d.supplier), auth_headers(d.buyer)
    contract = await _draft(client, buyer, d.connection.id, partner_direction="outbound")
    url = f"{CONTRACTS}/{contract['id']}"

    the_broker = await broker(session)
    assert (await client.post(f"{url}/sign", headers=auth_headers(the_broker))).status_code == 404
    first = await client.post(f"{url}/sign", headers=buyer)
    assert first.status_code == 200
    assert first.json()["buyer_signed_at"]
    assert (await client.post(f"{url}/sign", headers=buyer)).status_code == 409
    assert await notified(session, d.supplier, "contract.to_sign") == 2  # drafted, then signed

    second = await client.post(f"{url}/sign", headers=supplier)
    assert second.status_code == 200, second.text
    signed = second.json()
    assert (signed["status"], signed["registration_required"]) == ("signed", True)
    deadline = date.fromisoformat(signed["signed_date"]) + timedelta(days=90)
    assert signed["registration_deadline"] == deadline.isoformat()
    await session.refresh(d.connection)
    assert d.connection.status is ConnectionStatus.contracted
    assert d.connection.contracted_at
    assert await notified(session, d.buyer, "contract.signed") == 1
    assert await notified(session, d.supplier, "connection.contracted") == 0  # supplier acted
    assert await notified(session, d.buyer, "connection.contracted") == 1
    assert "contract.signed" in await audit_actions(session, contract["id"])
    assert (await client.patch(url, json={"value_vnd": 1}, headers=buyer)).status_code == 409
    assert (await client.post(f"{url}/sign", headers=supplier)).status_code == 409


async def test_signing_needs_complete_terms_and_edits_withdraw_signatures(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    d = await deal(session)
    buyer = auth_headers(d.buyer)
    contract = await _draft(
        client,
        buyer,
        d.connection.id,
        value_vnd=None,
        payment_terms=None,
        licence_territory=None,
        methods=[],
    )
    url = f"{CONTRACTS}/{contract['id']}"
    incomplete = await client.post(f"{url}/sign", headers=buyer)
    assert incomplete.status_code == 422
    assert error_fields(incomplete.json()) == {
        "value_vnd", "payment_terms", "methods", "licence_territory",
    }  # fmt: skip
    patched = await client.patch(
        url,
        json={
            "value_vnd": 900_000_000,
            "payment_terms": "royalty",
            "methods": ["documents"],
            "licence_territory": "VN",
        },
        headers=buyer,
    )
    assert patched.status_code == 200, patched.text
    royalty = await client.post(f"{url}/sign", headers=buyer)
    assert royalty.status_code == 422
    assert error_fields(royalty.json()) == {"royalty_pct"}
    await client.patch(url, json={"royalty_pct": "4.25"}, headers=buyer)
    assert (await client.post(f"{url}/sign", headers=buyer)).status_code == 200
    changed = await client.patch(
        url, json={"value_vnd": 950_000_000}, headers=auth_headers(d.supplier)
    )
    assert changed.status_code == 200
    assert changed.json()["buyer_signed_at"] is None
    assert changed.json()["status"] == "draft"
    emptied = await client.patch(url, json={"contract_type": None}, headers=buyer)
    assert emptied.status_code == 422


async def test_broker_records_a_signed_paper_contract(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers, settings
) -> None:
    the_broker = await broker(session)
    d = await deal(session, broker_user_id=the_broker.id)
    brk = auth_headers(the_broker)
    contract = await _draft(
        client,
        brk,
        d.connection.id,
        contract_type="equipment_sale",
        licence_territory=None,
        sublicensing_allowed=None,
        form=None,
        methods=[],
    )
    url = f"{CONTRACTS}/{contract['id']}/record-signed"
    pdf = {"file": ("hop-dong-da-ky.pdf", PDF, "application/pdf")}

    by_party = await client.post(
        url, files=pdf, data={"signed_date": "2026-01-10"}, headers=auth_headers(d.buyer)
    )
    assert by_party.status_code == 403
    future = (date.today() + timedelta(days=10)).isoformat()
    assert (await client.post(url, files=pdf, data={"signed_date": future}, headers=brk)
            ).status_code == 422  # fmt: skip
    no_date = await client.post(url, files=pdf, headers=brk)
    assert no_date.status_code == 422
    assert error_fields(no_date.json()) == {"signed_date"}

    recorded = await client.post(url, files=pdf, data={"signed_date": "2026-01-10"}, headers=brk)
    assert recorded.status_code == 200, recorded.text
    body = recorded.json()
    assert (body["status"], body["signed_date"], body["recorded_by_broker"]) == (
        "signed", "2026-01-10", True,
    )  # fmt: skip
    assert body["registration_required"] is False
    assert body["registration_deadline"] is None
    docs = (await session.scalars(select(ContractDocument).where(
        ContractDocument.contract_id == uuid.UUID(contract["id"])))).all()  # fmt: skip
    assert [(doc.kind.value, doc.filename, doc.sha256 != "") for doc in docs] == [
        ("signed_contract", "hop-dong-da-ky.pdf", True),
    ]  # fmt: skip
    await session.refresh(d.connection)
    assert d.connection.status is ConnectionStatus.contracted


async def test_execution_termination_and_registration(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    d = await deal(session)
    supplier, buyer = auth_headers(d.supplier), auth_headers(d.buyer)
    contract = await _draft(client, buyer, d.connection.id, state_funded=True)
    url = f"{CONTRACTS}/{contract['id']}"
    assert (await client.post(f"{url}/start-execution", headers=buyer)).status_code == 409
    registration = {"certificate_number": "123/GCN-SKHCN", "certificate_date": "2026-01-01"}
    assert (await client.post(f"{url}/registration", json=registration, headers=buyer)
            ).status_code == 409  # fmt: skip
    await client.post(f"{url}/sign", headers=buyer)
    signed = (await client.post(f"{url}/sign", headers=supplier)).json()
    assert signed["registration_required"] is True

    day_before = date.fromisoformat(signed["signed_date"]) - timedelta(days=1)
    early = await client.post(
        f"{url}/registration",
        json={**registration, "certificate_date": day_before.isoformat()},
        headers=buyer,
    )
    assert early.status_code == 422
    registration["certificate_date"] = signed["signed_date"]
    registered = await client.post(f"{url}/registration", json=registration, headers=buyer)
    assert registered.status_code == 200
    assert registered.json()["registration_certificate_number"] == "123/GCN-SKHCN"
    assert (await client.post(f"{url}/registration", json=registration, headers=buyer)
            ).status_code == 409  # fmt: skip

    started = await client.post(f"{url}/start-execution", headers=supplier)
    assert started.status_code == 200
    assert started.json()["status"] == "in_execution"
    no_reason = await client.post(f"{url}/terminate", json={}, headers=buyer)
    assert no_reason.status_code == 422
    ended = await client.post(f"{url}/terminate", json={"reason": "Bên mua phá sản"}, headers=buyer)
    assert ended.status_code == 200
    assert (ended.json()["status"], ended.json()["counted"]) == ("terminated", True)
    assert await notified(session, d.supplier, "contract.terminated") == 1
    assert (await client.post(f"{url}/complete", headers=buyer)).status_code == 409


async def test_complete_after_execution(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    d = await deal(session)
    supplier, buyer = auth_headers(d.supplier), auth_headers(d.buyer)
    contract = await _draft(client, buyer, d.connection.id)
    url = f"{CONTRACTS}/{contract['id']}"
    await client.post(f"{url}/sign", headers=buyer)
    await client.post(f"{url}/sign", headers=supplier)
    assert (await client.post(f"{url}/complete", headers=buyer)).status_code == 409
    await client.post(f"{url}/start-execution", headers=buyer)
    done = await client.post(f"{url}/complete", headers=supplier)
    assert done.status_code == 200
    assert done.json()["completed_at"]
    row = await session.get(Contract, uuid.UUID(contract["id"]))
    assert row is not None
    assert row.status is ContractStatus.completed


async def test_documents_upload_list_download_and_refusals(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers
) -> None:
    d = await deal(session)
    buyer = auth_headers(d.buyer)
    contract = await _draft(client, buyer, d.connection.id)
    url = f"{CONTRACTS}/{contract['id']}/documents"
    uploaded = await client.post(
        url,
        files={"file": ("Phụ lục 1.pdf", PDF, "application/pdf")},
        data={"kind": "annex"},
        headers=buyer,
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert (document["kind"], document["filename"]) == ("annex", "Phụ lục 1.pdf")

    listed = await client.get(url, headers=auth_headers(d.supplier))
    assert [x["id"] for x in listed.json()] == [document["id"]]
    content = await client.get(f"{url}/{document['id']}/content", headers=auth_headers(d.supplier))
    assert content.status_code == 200
    assert content.content == PDF
    assert content.headers["cache-control"] == "private, no-store"

    _, outsider = await member(session, OrganisationKind.enterprise)
    assert (
        await client.get(f"{url}/{document['id']}/content", headers=auth_headers(outsider))
    ).status_code == 404
    program = await client.post(
        url, files={"file": ("x.pdf", b"MZ\x90\x00" * 10, "application/pdf")}, headers=buyer
    )
    assert program.status_code == 415
    bad_kind = await client.post(
        url,
        files={"file": ("y.pdf", PDF, "application/pdf")},
        data={"kind": "selfie"},
        headers=buyer,
    )
    assert bad_kind.status_code == 422
    assert error_fields(bad_kind.json()) == {"kind"}
    count = len((await session.scalars(select(ContractDocument.id).where(
        ContractDocument.contract_id == uuid.UUID(contract["id"])))).all())  # fmt: skip
    assert count == 1
