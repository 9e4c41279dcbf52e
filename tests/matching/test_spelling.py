"""Typo correction from the word dictionary (app/matching/spelling.py) and the triggers that
keep the dictionary complete."""

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.listings.models import Listing, ListingStatus
from app.matching import spelling
from app.matching.models import SearchWord
from app.matching.postgres_engine import PostgresSearchEngine
from app.matching.schemas import ListingQuery, NeedQuery
from app.matching.spelling import corrections, edit_distance, pick, typo_budget, typo_distance
from app.matching.text_query import compile_query
from app.needs.models import NeedVisibility
from tests.factories import create_listing, create_need, create_organisation

# --- the typo budget and distances (pure) ------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "budget"),
    [("say", 0), ("sayy", 1), ("nanno", 1), ("blokchai", 2), ("blokchain", 2), ("iso9001", 0)],
)
def test_typo_budget_follows_meilisearch_sizes(word: str, budget: int) -> None:
    assert typo_budget(word) == budget


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("spirulna", "spirulina", 1),  # insertion
        ("nanno", "nano", 1),  # deletion
        ("grafene", "graphene", 2),  # substitution + insertion
        ("blokchain", "blockchain", 1),
        ("sayl", "sahy", 2),
        ("tuoi", "tiou", 2),
        ("mays", "amys", 1),  # two neighbours swapped count once
        ("", "abc", 3),
        ("same", "same", 0),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


def test_a_word_being_typed_is_compared_with_beginnings() -> None:
    assert typo_distance("blokch", "blockchain", is_prefix=True) == 1
    assert typo_distance("blokch", "blockchain", is_prefix=False) > 2


def test_pick_keeps_the_closest_within_budget_and_never_the_word_itself() -> None:
    near = ["nano", "nanno", "canno", "banana", "nanometer", "nann", "ano"]
    assert pick("nanno", near, is_prefix=False) == ["canno", "nann", "nano"]
    many = [f"nann{c}" for c in "abcdefghij"]
    assert len(pick("nanno", many, is_prefix=False)) == spelling.MAX_CORRECTIONS


# --- the dictionary is filled by triggers --------------------------------------------------------


async def _known(session: AsyncSession, *words: str) -> set[str]:
    rows = await session.scalars(select(SearchWord.word).where(SearchWord.word.in_(words)))
    return set(rows.all())


async def test_inserts_and_updates_of_listings_and_needs_fill_the_dictionary(
    session: AsyncSession,
) -> None:
    listing = await create_listing(
        session, title_vi="Máy quetzalxoay lúa", status=ListingStatus.draft
    )
    need = await create_need(session, title_vi="Cần thiết bị zorblatt cho xưởng")
    await session.flush()
    assert await _known(session, "quetzalxoay", "zorblatt") == {"quetzalxoay", "zorblatt"}

    await session.execute(
        update(Listing).where(Listing.id == listing.id).values(summary_vi="Động cơ vortiquan")
    )
    assert await _known(session, "vortiquan") == {"vortiquan"}
    assert need.id  # the need's words came from its own INSERT statement


async def test_bulk_inserts_fill_the_dictionary_too(session: AsyncSession) -> None:
    # One statement, many rows (as COPY and INSERT … SELECT write): a statement-level trigger.
    listing = await create_listing(session, title_vi="Gốc")
    await session.execute(
        text(
            "INSERT INTO listings (id, organisation_id, kind, tier, status, title_vi, keywords,"
            " sectors, vsic_sections, strategic_groups, source_exchange, ip_dossier_clear,"
            " protects_technology, transfer_forms, currency, content_updated_at)"
            " SELECT gen_random_uuid(), organisation_id, kind, tier, status,"
            " 'Bản sao plumbifex ' || n, keywords, sectors, vsic_sections, strategic_groups,"
            " source_exchange, ip_dossier_clear, protects_technology, transfer_forms, currency,"
            " now() FROM listings, generate_series(1, 3) AS n WHERE id = :id"
        ),
        {"id": listing.id},
    )
    assert await _known(session, "plumbifex", "ban", "sao") == {"plumbifex", "ban", "sao"}


# --- corrections -------------------------------------------------------------------------------


async def test_only_unknown_words_are_corrected(session: AsyncSession) -> None:
    await create_listing(session, title_vi="Vi tảo spirulina và blockchain nông sản")
    await session.flush()
    found = await corrections(session, ["spirulna", "blokchain", "nong", "san", "spirulina"])
    assert found == {"spirulna": ["spirulina"], "blokchain": ["blockchain"]}


async def test_a_prefix_of_a_known_word_is_not_a_typo(session: AsyncSession) -> None:
    await create_listing(session, title_vi="Hệ thống blockchain truy xuất")
    await session.flush()
    assert await corrections(session, ["blockc"], prefix="blockc") == {}
    # Not being typed any more (trailing space), the same letters are an unknown word.
    assert await corrections(session, ["blockc"]) == {}  # 4 letters away: beyond the budget
    assert await corrections(session, ["blokch"], prefix="blokch") == {"blokch": ["blockchain"]}


async def test_short_words_and_numbers_are_never_corrected(session: AsyncSession) -> None:
    await create_listing(session, title_vi="Tiêu chuẩn ISO 9001 cho xưởng sấy")
    await session.flush()
    assert await corrections(session, ["sab", "9002", "iso9002"]) == {}


# --- through the engine ------------------------------------------------------------------------


async def test_a_typo_finds_words_of_the_body_and_is_highlighted(session: AsyncSession) -> None:
    org = await create_organisation(session)
    listing = await create_listing(
        session,
        org,
        title_vi="Thực phẩm chức năng",
        summary_vi="Chiết xuất phycocyanin từ vi tảo.",
        status=ListingStatus.published,
    )
    await session.flush()
    engine = PostgresSearchEngine(session)
    result = await engine.search_listings(ListingQuery(text="phycocyanim "))
    assert [hit.id for hit in result.hits] == [str(listing.id)]
    assert "<mark>phycocyanin</mark>" in result.hits[0].highlights["summary_vi"]


async def test_corrections_never_reveal_what_a_searcher_may_not_read(
    session: AsyncSession,
) -> None:
    # The dictionary also holds the words of drafts and restricted needs; the search filters
    # still decide what is returned.
    await create_listing(session, title_vi="Dự án bí mật xylophant", status=ListingStatus.draft)
    await create_need(session, title_vi="Cần xylophant", visibility=NeedVisibility.restricted)
    await session.flush()
    assert await corrections(session, ["xylofant"]) == {"xylofant": ["xylophant"]}
    engine = PostgresSearchEngine(session)
    assert (await engine.search_listings(ListingQuery(text="xylofant "))).total == 0
    assert (await engine.search_needs(NeedQuery(text="xylofant "))).total == 0


def test_corrections_join_the_query_as_alternatives() -> None:
    tq = compile_query("blokchain nông sản", corrections={"blokchain": ["blockchain"]})
    assert tq.tsquery == "('blokchain' | 'blockchain') & 'nong' & 'san':*"
    assert tq.corrections == {"blokchain": ["blockchain"]}
    # A word inside a synonym span is searched through its synonyms, not corrected.
    tq = compile_query("chuoi khoi", [["chuỗi khối", "blockchain"]], {"khoi": ["khoai"]})
    assert "khoai" not in (tq.tsquery or "")
    assert tq.corrections == {}
