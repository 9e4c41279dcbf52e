"""The clear IP dossier end to end: rights, evidence, verification, valuations, declarations."""

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.ip import service
from app.listings.models import IPDeclaration, IPStatus, ListingStatus
from tests.ip.helpers import (
    PDF,
    add_attachment_row,
    add_right,
    add_valuation,
    moderator,
    owner_with_listing,
    settle,
)

Headers = Any
FILE = {"file": ("van-bang.pdf", PDF, "application/pdf")}


async def dossier(client: httpx.AsyncClient, listing_id: Any) -> dict[str, Any]:
    response = await client.get(f"/api/v1/listings/{listing_id}/ip-dossier")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_clear_only_after_verified_documented_right_and_verified_independent_valuation(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session, ip_declaration=IPDeclaration.rights)
    mine, staff = auth_headers(owner.user), auth_headers(await moderator(session))
    await settle(session)
    base = f"/api/v1/listings/{owner.listing_id}"

    state = await dossier(client, owner.listing_id)
    assert state["clear"] is False
    assert state["missing"] == ["no_ip_record", "no_independent_valuation"]
    assert state["missing_labels"][0]["label_vi"]

    right = await client.post(
        f"{base}/ip-rights",
        json={
            "right_type": "utility_solution", "status": "granted", "number": "2-0002345",
            "application_number": "2-2020-00321", "filing_date": "2020-04-01",
            "grant_date": "2022-08-15", "owners": [{"name": "Viện", "share_pct": 100}],
        },
        headers=mine,
    )  # fmt: skip
    right_id = right.json()["id"]
    state = await dossier(client, owner.listing_id)
    assert state["missing"] == [
        "right_without_evidence", "right_not_verified", "no_independent_valuation",
    ]  # fmt: skip

    evidence = await client.post(
        f"{base}/ip-rights/{right_id}/attachments", files=FILE, headers=mine
    )
    assert evidence.status_code == 201
    await client.post(f"{base}/ip-rights/{right_id}/verify", headers=staff)
    state = await dossier(client, owner.listing_id)
    assert state["missing"] == ["no_independent_valuation"]
    assert state["basis"] == "rights"

    internal = {"method": "cost", "value": 900_000_000, "valuation_date": "2025-10-01",
                "valuer_name": "Phòng Tài chính của Viện", "independent": False}  # fmt: skip
    await client.post(f"{base}/valuations", json=internal, headers=mine)
    assert (await dossier(client, owner.listing_id))["missing"] == ["no_independent_valuation"]

    independent = {**internal, "method": "income", "value": 2_100_000_000,
                   "valuer_name": "Công ty Thẩm định giá Sài Gòn", "independent": True}  # fmt: skip
    created = await client.post(f"{base}/valuations", json=independent, headers=mine)
    valuation_id = created.json()["id"]
    assert (await dossier(client, owner.listing_id))["missing"] == ["valuation_not_verified"]
    assert owner.listing.ip_dossier_clear is False

    await client.post(f"{base}/valuations/{valuation_id}/verify", headers=staff)
    state = await dossier(client, owner.listing_id)
    assert state == {**state, "clear": True, "missing": [], "missing_labels": [], "rights": []}
    assert owner.listing.ip_dossier_clear is True
    assert owner.listing.ip_status is IPStatus.granted

    # Removing the only independent valuation makes the dossier unclear again.
    response = await client.delete(f"{base}/valuations/{valuation_id}", headers=mine)
    assert response.status_code == 204
    assert (await dossier(client, owner.listing_id))["missing"] == ["no_independent_valuation"]
    assert owner.listing.ip_dossier_clear is False


async def test_secret_know_how_needs_the_declaration_file(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session, ip_declaration=IPDeclaration.secret_know_how)
    await add_valuation(session, owner.listing)  # independent and verified
    mine = auth_headers(owner.user)
    await settle(session)
    assert (await dossier(client, owner.listing_id))["missing"] == ["know_how_declaration_missing"]

    base = f"/api/v1/listings/{owner.listing_id}/attachments"
    plain = await client.post(base, files=FILE, headers=mine)  # an ordinary document
    assert (await dossier(client, owner.listing_id))["clear"] is False
    declaration = await client.post(
        base, files=FILE, data={"purpose": "know_how_declaration"}, headers=mine
    )
    assert declaration.status_code == 201
    state = await dossier(client, owner.listing_id)
    assert state["clear"] is True
    assert state["basis"] == "secret_know_how"
    assert owner.listing.ip_dossier_clear is True
    assert owner.listing.ip_status is IPStatus.secret_know_how

    await client.delete(f"/api/v1/attachments/{declaration.json()['id']}", headers=mine)
    assert owner.listing.ip_dossier_clear is False
    await client.delete(f"/api/v1/attachments/{plain.json()['id']}", headers=mine)
    assert (await dossier(client, owner.listing_id))["missing"] == ["know_how_declaration_missing"]


async def test_unverifying_a_right_makes_the_dossier_unclear(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing, verified=True)
    await add_attachment_row(session, "ip_evidence", ip_right_id=right.id)  # type: ignore[arg-type]
    await add_valuation(session, owner.listing)
    await service.refresh_ip_summary(session, owner.listing)
    staff = auth_headers(await moderator(session))
    await settle(session)
    assert owner.listing.ip_dossier_clear is True
    response = await client.post(
        f"/api/v1/listings/{owner.listing_id}/ip-rights/{right.id}/unverify", headers=staff
    )
    assert response.status_code == 200
    assert owner.listing.ip_dossier_clear is False
    assert (await dossier(client, owner.listing_id))["missing"] == ["right_not_verified"]


async def test_the_dossier_of_an_invisible_listing_is_404(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await owner_with_listing(session, status=ListingStatus.draft)
    await settle(session)
    response = await client.get(f"/api/v1/listings/{draft.listing_id}/ip-dossier")
    assert response.status_code == 404


async def test_contract_functions(session: AsyncSession) -> None:
    owner = await owner_with_listing(session, ip_declaration=None)
    assert await service.count_rights(session, owner.listing_id) == 0
    await service.refresh_ip_summary(session, owner.listing)
    assert owner.listing.ip_status is None
    await add_right(session, owner.listing, status="pending", number=None)
    await add_right(session, owner.listing, right_type="trade_secret", number=None)
    assert await service.count_rights(session, owner.listing_id) == 2
    await service.refresh_ip_summary(session, owner.listing)
    assert owner.listing.ip_status is IPStatus.pending
    state = await service.dossier_state(session, owner.listing)
    assert state.clear is False
    assert len(state.rights) == 2
