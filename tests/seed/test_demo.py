"""Seeding the demo data: idempotent, and it writes the attachment files it records."""

import logging
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.attachments.models import Attachment
from app.attachments.storage import FileStorage
from app.seed import demo


async def test_seeding_twice_adds_nothing_the_second_time(
    session: AsyncSession, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.seed.demo")
    assert await demo.catalogue_is_empty(session)

    first = await demo.seed_demo(session, upload_dir=tmp_path)
    second = await demo.seed_demo(session, upload_dir=tmp_path)

    assert not await demo.catalogue_is_empty(session)
    assert first.created["listings"] == first.totals["listings"] >= 300
    assert set(second.created.values()) == {0}
    assert second.totals == first.totals
    assert second.listings_by_kind == first.listings_by_kind
    assert second.clear_dossier_share == first.clear_dossier_share
    logged = [r for r in caplog.records if r.getMessage() == "demo data seeded"]
    assert logged[0].rows_total == first.totals  # type: ignore[attr-defined]
    attachments = (await session.scalars(select(Attachment))).all()
    assert len(attachments) == first.totals["attachments"]
    storage = FileStorage(tmp_path)
    for attachment in attachments[:20]:
        content = storage.path_for(attachment.storage_key).read_bytes()
        assert content.startswith(b"%PDF-")
        assert len(content) == attachment.size_bytes
