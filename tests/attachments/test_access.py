"""Who may read and delete attachments; the download response."""

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.models import Attachment
from app.auth.models import OrganisationKind
from app.core.config import Settings
from app.listings.access import grant_detail_access
from app.listings.models import ListingStatus
from app.needs.models import NeedVisibility
from tests.factories import create_need, create_organisation, create_user
from tests.ip.helpers import (
    PDF,
    PNG,
    add_right,
    audit_actions,
    moderator,
    outsider,
    owner_with_listing,
    settle,
)

Headers = Any


async def upload(
    client: httpx.AsyncClient,
    path: str,
    headers: dict[str, str],
    *,
    confidential: bool = True,
    name: str = "tai-lieu.pdf",
    content: bytes = PDF,
    purpose: str | None = None,
) -> dict[str, Any]:
    data = {"confidential": str(confidential).lower()}
    if purpose:
        data["purpose"] = purpose
    response = await client.post(
        path, files={"file": (name, content, "application/pdf")}, data=data, headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_confidential_listing_files_follow_the_detail_rule(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    granted_org = await create_organisation(session, kind=OrganisationKind.enterprise)
    granted = await create_user(session, granted_org)
    await grant_detail_access(session, owner.listing_id, granted_org.id, "connection accepted")
    readers = {
        "owner": auth_headers(owner.user),
        "staff": auth_headers(await moderator(session)),
        "granted": auth_headers(granted),
    }
    stranger = auth_headers(await outsider(session))
    await settle(session)
    item = await upload(
        client, f"/api/v1/listings/{owner.listing_id}/attachments", readers["owner"]
    )
    for path in (f"/api/v1/attachments/{item['id']}", item["download_url"]):
        assert (await client.get(path)).status_code == 404
        assert (await client.get(path, headers=stranger)).status_code == 404
        for who, headers in readers.items():
            assert (await client.get(path, headers=headers)).status_code == 200, who


async def test_public_files_of_a_published_listing_are_public(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    published = await owner_with_listing(session)
    draft = await owner_with_listing(session, status=ListingStatus.draft)
    await settle(session)
    shown = await upload(
        client, f"/api/v1/listings/{published.listing_id}/attachments",
        auth_headers(published.user), confidential=False,
    )  # fmt: skip
    hidden = await upload(
        client, f"/api/v1/listings/{draft.listing_id}/attachments",
        auth_headers(draft.user), confidential=False,
    )  # fmt: skip
    response = await client.get(shown["download_url"])
    assert response.status_code == 200
    assert response.content == PDF
    assert (await client.get(hidden["download_url"])).status_code == 404


async def test_the_download_is_safe_to_serve(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    item = await upload(
        client, f"/api/v1/listings/{owner.listing_id}/attachments", auth_headers(owner.user),
        name="Hồ sơ \"đặc biệt\".pdf",
    )  # fmt: skip
    response = await client.get(item["download_url"], headers=auth_headers(owner.user))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Ho so _dac biet_.pdf"' in disposition
    assert f"filename*=UTF-8''{quote('Hồ sơ _đặc biệt_.pdf', safe='')}" in disposition
    assert response.content == PDF


async def test_evidence_and_valuation_reports_need_detail_access(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing)
    granted_org = await create_organisation(session, kind=OrganisationKind.enterprise)
    granted = auth_headers(await create_user(session, granted_org))
    await grant_detail_access(session, owner.listing_id, granted_org.id, "connection accepted")
    stranger = auth_headers(await outsider(session))
    await settle(session)
    base = f"/api/v1/listings/{owner.listing_id}/ip-rights/{right.id}/attachments"
    item = await upload(client, base, auth_headers(owner.user), confidential=False)
    assert (await client.get(item["download_url"])).status_code == 404
    assert (await client.get(item["download_url"], headers=stranger)).status_code == 404
    assert (await client.get(item["download_url"], headers=granted)).status_code == 200
    assert (await client.get(base)).json() == []
    assert [a["id"] for a in (await client.get(base, headers=granted)).json()] == [item["id"]]


async def test_lists_show_only_what_the_caller_may_read(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    path = f"/api/v1/listings/{owner.listing_id}/attachments"
    mine = auth_headers(owner.user)
    public = await upload(client, path, mine, confidential=False, content=PNG, purpose="image")
    secret = await upload(client, path, mine)
    assert [a["id"] for a in (await client.get(path)).json()] == [public["id"]]
    listed = [a["id"] for a in (await client.get(path, headers=mine)).json()]
    assert listed == [public["id"], secret["id"]]


async def test_need_files_follow_the_need(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers
) -> None:
    company = await create_organisation(session, kind=OrganisationKind.enterprise)
    mine = auth_headers(await create_user(session, company))
    need_id = (await create_need(session, company, visibility=NeedVisibility.public)).id
    draft_id = (await create_need(session, company, status="draft")).id
    supplier = auth_headers(await outsider(session))
    staff = auth_headers(await moderator(session))
    await settle(session)
    public = await upload(client, f"/api/v1/needs/{need_id}/attachments", mine, confidential=False)
    secret = await upload(client, f"/api/v1/needs/{need_id}/attachments", mine)
    unpublished = await upload(
        client, f"/api/v1/needs/{draft_id}/attachments", mine, confidential=False
    )
    assert (await client.get(public["download_url"])).status_code == 200
    assert (await client.get(secret["download_url"], headers=supplier)).status_code == 404
    assert (await client.get(secret["download_url"], headers=staff)).status_code == 200
    assert (await client.get(secret["download_url"], headers=mine)).status_code == 200
    assert (await client.get(unpublished["download_url"], headers=supplier)).status_code == 404
    listed = (await client.get(f"/api/v1/needs/{need_id}/attachments")).json()
    assert [a["id"] for a in listed] == [public["id"]]


async def test_delete_by_the_owner_removes_row_and_file(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, settings: Settings
) -> None:
    owner = await owner_with_listing(session)
    await settle(session)
    mine = auth_headers(owner.user)
    item = await upload(client, f"/api/v1/listings/{owner.listing_id}/attachments", mine)
    row = await session.get(Attachment, uuid.UUID(item["id"]))
    assert row is not None
    path = Path(settings.upload_dir) / row.storage_key[:2] / row.storage_key
    assert path.exists()
    response = await client.delete(f"/api/v1/attachments/{item['id']}", headers=mine)
    assert response.status_code == 204
    assert await session.scalar(select(Attachment).where(Attachment.id == row.id)) is None
    assert not path.exists()
    assert await audit_actions(session, row.id) == ["attachment.upload", "attachment.delete"]


async def test_who_may_not_delete(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, settings: Settings
) -> None:
    owner = await owner_with_listing(session)
    mine = auth_headers(owner.user)
    stranger = auth_headers(await outsider(session))
    staff = auth_headers(await moderator(session))
    await settle(session)
    base = f"/api/v1/listings/{owner.listing_id}/attachments"
    secret = await upload(client, base, mine)
    public = await upload(client, base, mine, confidential=False)
    assert (await client.delete(f"/api/v1/attachments/{secret['id']}")).status_code == 401
    assert (
        await client.delete(f"/api/v1/attachments/{secret['id']}", headers=stranger)
    ).status_code == 404
    assert (
        await client.delete(f"/api/v1/attachments/{public['id']}", headers=stranger)
    ).status_code == 403
    assert (
        await client.delete(f"/api/v1/attachments/{public['id']}", headers=staff)
    ).status_code == 403
    remaining = await session.scalars(
        select(Attachment.id).where(Attachment.listing_id == owner.listing_id)
    )
    assert {str(i) for i in remaining} == {secret["id"], public["id"]}


async def test_unknown_attachment_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/api/v1/attachments/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_deleting_a_right_removes_its_evidence_files(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, settings: Settings
) -> None:
    owner = await owner_with_listing(session)
    right = await add_right(session, owner.listing)
    mine = auth_headers(owner.user)
    await settle(session)
    base = f"/api/v1/listings/{owner.listing_id}/ip-rights/{right.id}"
    item = await upload(client, f"{base}/attachments", mine)
    row = await session.get(Attachment, uuid.UUID(item["id"]))
    assert row is not None
    path = Path(settings.upload_dir) / row.storage_key[:2] / row.storage_key
    assert path.exists()
    assert (await client.delete(base, headers=mine)).status_code == 204
    assert await session.scalar(select(Attachment).where(Attachment.id == row.id)) is None
    assert not path.exists()


async def test_deleting_a_draft_listing_removes_all_its_files(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, settings: Settings
) -> None:
    owner = await owner_with_listing(session, status=ListingStatus.draft)
    right = await add_right(session, owner.listing)
    mine = auth_headers(owner.user)
    await settle(session)
    listing_path = f"/api/v1/listings/{owner.listing_id}"
    own = await upload(client, f"{listing_path}/attachments", mine)
    evidence = await upload(client, f"{listing_path}/ip-rights/{right.id}/attachments", mine)
    paths = []
    for item in (own, evidence):
        row = await session.get(Attachment, uuid.UUID(item["id"]))
        assert row is not None
        paths.append(Path(settings.upload_dir) / row.storage_key[:2] / row.storage_key)
    assert all(p.exists() for p in paths)

    assert (await client.delete(listing_path, headers=mine)).status_code == 204
    assert not any(p.exists() for p in paths)


async def test_deleting_a_draft_need_removes_its_files(
    client: httpx.AsyncClient, session: AsyncSession, auth_headers: Headers, settings: Settings
) -> None:
    company = await create_organisation(session, kind=OrganisationKind.enterprise)
    user = await create_user(session, company)
    need = await create_need(session, company, status="draft")
    mine = auth_headers(user)
    await settle(session)
    item = await upload(client, f"/api/v1/needs/{need.id}/attachments", mine)
    row = await session.get(Attachment, uuid.UUID(item["id"]))
    assert row is not None
    path = Path(settings.upload_dir) / row.storage_key[:2] / row.storage_key
    assert path.exists()

    assert (await client.delete(f"/api/v1/needs/{need.id}", headers=mine)).status_code == 204
    assert not path.exists()
