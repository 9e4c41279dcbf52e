"""Query compilation and highlighting: pure functions, no database."""

import pytest

from app.matching.highlight import Highlighter
from app.matching.synonyms import expansions, synonym_map
from app.matching.text_query import compile_query

GROUPS = [
    ["trí tuệ nhân tạo", "AI", "artificial intelligence"],
    ["học máy", "machine learning"],
    ["sấy", "drying", "dryer"],
]


@pytest.mark.parametrize(
    ("typed", "tsquery", "prefix"),
    [
        ("cong nghe say", "'cong' & 'nghe' & ('say':* | 'drying' | 'dryer')", "say"),
        ("Công nghệ ", "'cong' & 'nghe'", None),
        ("ĐƯỜNG", "'duong':*", "duong"),
        (
            "AI",
            "('ai':* | ('tri' <-> 'tue' <-> 'nhan' <-> 'tao') | ('artificial' <-> 'intelligence'))",
            "ai",
        ),
        ("công nghiệp 4.0", "'cong' & 'nghiep' & '4.0':*", "4.0"),
        ("o'neil & (x)", "'o' & 'neil' & 'x':*", "x"),
    ],
)
def test_compiled_tsquery(typed: str, tsquery: str, prefix: str | None) -> None:
    query = compile_query(typed, GROUPS)
    assert query.tsquery == tsquery
    assert query.prefix == prefix


def test_nothing_searchable_is_an_empty_query() -> None:
    for typed in ("", "   ", "&|!", "___"):
        assert compile_query(typed, GROUPS).is_empty


def test_accented_words_are_kept_for_exact_ranking() -> None:
    assert compile_query("Bán máy sấy ban").accented == ["bán", "máy", "sấy"]
    assert compile_query("ban may say").accented == []


def test_nfd_input_is_folded_like_nfc() -> None:
    nfd = "co\u0302ng nghe\u0323\u0302"
    assert compile_query(nfd).words == ["cong", "nghe"]


def test_longest_synonym_span_wins_and_both_directions_expand() -> None:
    words = ["ung", "dung", "hoc", "may", "va", "ai"]
    spans = expansions(words, GROUPS)
    assert spans == [
        (2, 4, [["machine", "learning"]]),
        (5, 6, [["tri", "tue", "nhan", "tao"], ["artificial", "intelligence"]]),
    ]
    assert synonym_map(GROUPS)["sấy"] == ["drying", "dryer"]
    assert synonym_map(GROUPS)["dryer"] == ["sấy", "drying"]


@pytest.mark.parametrize(
    ("typed", "text", "marked"),
    [
        ("duong", "Sản xuất đường mía", "Sản xuất <mark>đường</mark> mía"),
        ("cong ngh", "Công nghệ sấy", "<mark>Công nghệ</mark> sấy"),
        ("nanno", "Hạt nano bạc", "Hạt <mark>nano</mark> bạc"),
        ("cong nghe say", "Công nghệ sấy nông sản", "<mark>Công nghệ sấy</mark> nông sản"),
        ("AI", "Ứng dụng trí tuệ nhân tạo", "Ứng dụng <mark>trí tuệ nhân tạo</mark>"),
        ("say", "<script>sấy</script>", "&lt;script&gt;<mark>sấy</mark>&lt;/script&gt;"),
    ],
)
def test_highlights_mark_original_words(typed: str, text: str, marked: str) -> None:
    assert Highlighter(compile_query(typed, GROUPS))(text) == marked


def test_no_match_no_highlight() -> None:
    assert Highlighter(compile_query("robot", GROUPS))("Máy ép nhựa") is None


def test_long_text_is_cut_around_the_first_match() -> None:
    text = " ".join(["mở"] * 60 + ["đường"] + ["kết"] * 60)
    snippet = Highlighter(compile_query("duong", GROUPS))(text, snippet=True)
    assert snippet is not None
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>đường</mark>" in snippet
    assert len(snippet.split()) <= 32


def test_multi_word_synonyms_mark_only_whole_phrases() -> None:
    groups = [["robot", "người máy"]]
    highlight = Highlighter(compile_query("robot", groups))
    assert highlight("Người máy hàn") == "<mark>Người máy</mark> hàn"
    assert highlight("Máy hàn điểm") is None
