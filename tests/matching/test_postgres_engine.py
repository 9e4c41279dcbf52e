"""PostgresSearchEngine: the behaviour suite, plus what only the Postgres adapter does."""

import re
import unicodedata
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.text import fold
from app.matching.models import OutboxEvent, SynonymGroup
from app.matching.outbox import enqueue
from app.matching.postgres_engine import LISTING_SPEC, PostgresSearchEngine, text_match
from app.matching.schemas import ListingQuery
from app.matching.search_columns import LISTINGS
from app.matching.synonyms import load_groups
from app.matching.text_query import compile_query
from app.needs.models import NeedVisibility
from tests.factories import create_listing, create_need
from tests.matching.behaviour import CASES, Case, case_id
from tests.matching.conftest import PostgresHarness


@pytest.mark.parametrize("case", CASES, ids=case_id)
async def test_behaviour(case: Case, postgres_harness: PostgresHarness) -> None:
    await case(postgres_harness)


# --- folding in SQL is the same as in Python -------------------------------------------------

VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


async def test_sql_fold_matches_python_fold(session: AsyncSession) -> None:
    for sample in (VIETNAMESE_LETTERS, VIETNAMESE_LETTERS.upper(), "Công nghệ SẤY Đường"):
        for form in ("NFC", "NFD"):
            value = unicodedata.normalize(form, sample)
            assert await session.scalar(select(func.techx_fold(value))) == fold(value)


async def test_generated_columns_hold_folded_text(session: AsyncSession) -> None:
    listing = await create_listing(
        session, title_vi="Đường ống nhựa", title_en="Plastic pipe", keywords=["Ống HDPE"]
    )
    c = LISTINGS.c
    row = (
        await session.execute(
            select(c.search_vector, c.rank_vector, c.title_words).where(c.id == listing.id)
        )
    ).one()
    assert "'duong':1A" in row.search_vector
    assert re.search(r"'hdpe':\d+B", row.search_vector)  # keywords weigh B
    assert re.search(r"'say':\d+C", row.search_vector)  # the summary weighs C
    # Ranking reads the title and keywords only, folded like the query.
    assert "'duong':1A" in row.rank_vector
    assert re.search(r"'hdpe':\d+B", row.rank_vector)
    assert "say" not in row.rank_vector
    # The exact-accent bonus reads the title's words as written (lower case).
    assert "'đường':1" in row.title_words
    assert "duong" not in row.title_words


async def _plan(session: AsyncSession, text_query: str) -> str:
    tq = compile_query(text_query)
    matched, score = text_match(LISTING_SPEC, tq)
    stmt = select(LISTINGS.c.id, score).where(matched)
    sql = str(stmt.compile(dialect=session.bind.dialect, compile_kwargs={"literal_binds": True}))
    # text() escapes % again for the driver, so undo the compiler's escaping first.
    result = await session.execute(text("EXPLAIN " + sql.replace("%%", "%")))
    return "\n".join(result.scalars().all())


async def test_queries_use_the_search_index(session: AsyncSession) -> None:
    await session.execute(text("SET LOCAL enable_seqscan = off"))
    assert "ix_listings_search_vector" in await _plan(session, "nano bac")


async def test_accented_queries_rank_by_title_words_without_regular_expressions(
    session: AsyncSession,
) -> None:
    # A regular expression per row cost ~5 µs at 100k listings: the bonus is a tsvector match.
    tq = compile_query("bán")
    _, score = text_match(LISTING_SPEC, tq)
    sql = str(score.compile(dialect=session.bind.dialect, compile_kwargs={"literal_binds": True}))
    assert "title_words @@" in sql
    assert "~" not in sql
    assert "ts_rank(" in sql


# --- synonyms are data -----------------------------------------------------------------------


async def test_seeded_synonym_groups_pair_vietnamese_with_english(session: AsyncSession) -> None:
    groups = await load_groups(session)
    assert len(groups) >= 25
    flat = {fold(t) for g in groups for t in g}
    for term in ("tri tue nhan tao", "ai", "internet van vat", "iot", "renewable energy", "say"):
        assert term in flat
    for group in groups:
        assert len({fold(t) for t in group}) >= 2, group  # a group of one expands nothing


async def test_a_new_synonym_group_applies_at_once(session: AsyncSession) -> None:
    listing = await create_listing(session, title_vi="Máy gặt đập liên hợp")
    engine = PostgresSearchEngine(session)
    assert (await engine.search_listings(ListingQuery(text="combine harvester"))).total == 0
    session.add(SynonymGroup(terms=["máy gặt đập liên hợp", "combine harvester"]))
    await session.flush()
    result = await engine.search_listings(ListingQuery(text="combine harvester"))
    assert [h.id for h in result.hits] == [str(listing.id)]


# --- the outbox: every searchable change leaves a row in the same transaction -----------------


async def _events(session: AsyncSession, entity_id: uuid.UUID) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(OutboxEvent.entity, OutboxEvent.op)
        .where(OutboxEvent.entity_id == entity_id)
        .order_by(OutboxEvent.id)
    )
    return [(e.value, o.value) for e, o in rows.all()]


async def test_outbox_records_listing_insert_update_delete(session: AsyncSession) -> None:
    listing = await create_listing(session)
    assert await _events(session, listing.id) == [("listing", "upsert")]

    listing.title_vi = "Công nghệ mới"
    await session.flush()
    assert await _events(session, listing.id) == [("listing", "upsert")] * 2

    await session.delete(listing)
    await session.flush()
    assert await _events(session, listing.id) == [("listing", "upsert")] * 2 + [
        ("listing", "delete")
    ]


async def test_outbox_skips_changes_nothing_searchable_depends_on(session: AsyncSession) -> None:
    listing = await create_listing(session)
    listing.rejection_reason = "ghi chú kiểm duyệt"
    listing.pending_changes = {"trl": 7}
    listing.process_summary = "bí quyết mới"
    await session.flush()
    assert await _events(session, listing.id) == [("listing", "upsert")]


async def test_outbox_records_needs(session: AsyncSession) -> None:
    need = await create_need(session)
    need.visibility = NeedVisibility.restricted
    await session.flush()
    assert await _events(session, need.id) == [("need", "upsert")] * 2
    pending = await session.scalar(
        select(OutboxEvent).where(OutboxEvent.entity_id == need.id).limit(1)
    )
    assert pending is not None
    assert pending.processed_at is None
    assert pending.attempts == 0


async def test_enqueue_records_bulk_changes(session: AsyncSession) -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    await enqueue(session, "listing", ids, "delete")
    assert await _events(session, ids[0]) == [("listing", "delete")]
    assert await _events(session, ids[1]) == [("listing", "delete")]


async def test_ids_only_returns_the_same_hits_without_documents(session: AsyncSession) -> None:
    for title in ("Máy sấy lạnh nông sản", "Sấy thăng hoa trái cây", "Lò sấy gỗ"):
        await create_listing(session, title_vi=title)
    engine = PostgresSearchEngine(session)
    full = await engine.search_listings(ListingQuery(text="sấy", facets=["kind"]))
    bare = await engine.search_listings(ListingQuery(text="sấy", facets=["kind"], ids_only=True))
    assert [(h.id, h.score) for h in bare.hits] == [(h.id, h.score) for h in full.hits]
    assert (bare.total, bare.facets) == (full.total, full.facets)
    assert all(h.document == {} and h.highlights == {} for h in bare.hits)
    assert all(h.document for h in full.hits)


async def test_pages_stay_consistent_across_the_rescore_window(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.matching import postgres_engine

    monkeypatch.setattr(postgres_engine, "RESCORE_WINDOW", 3)
    marker = f"mk{uuid.uuid4().hex[:8]}"
    for i in range(8):
        body = " ".join([marker] * (i % 3 + 1))  # differing body weight: rescoring reorders
        await create_listing(session, title_vi=f"Thiết bị {i}", summary_vi=body)
    engine = PostgresSearchEngine(session)

    async def page(number: int, limit: int) -> list[str]:
        result = await engine.search_listings(
            ListingQuery(text=marker + " ", page=number, limit=limit)
        )
        assert result.total == 8
        return [hit.id for hit in result.hits]

    whole = await page(1, 8)
    pages = [await page(n, 2) for n in range(1, 5)]  # page 2 straddles the window's end
    assert [hit for p in pages for hit in p] == whole
    assert len(set(whole)) == 8
