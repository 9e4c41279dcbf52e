"""Compact queries from long Vietnamese / English texts (pure functions)."""

from types import SimpleNamespace

from app.core.text import fold
from app.matching.keywords import (
    BODY_BOOST,
    MAX_QUERY_WORDS,
    TITLE_BOOST,
    chunks,
    compact_query,
    extract_terms,
    lexicon_from,
    listing_terms,
    need_terms,
)
from app.matching.text_query import tokens

PROBLEM = (
    "Công ty chúng tôi hiện đang sấy xoài bằng lò sấy than, chi phí cao và sản phẩm không đều "
    "màu. Xoài sấy bị thâm màu, mất vitamin C. Chúng tôi mong muốn tìm giải pháp sấy lạnh bằng "
    "bơm nhiệt, công suất 500 kg/mẻ, điều khiển độ ẩm tự động, giữ màu vàng tự nhiên của xoài; "
    "đồng thời giảm 30 % chi phí năng lượng so với lò sấy hiện tại và đạt tiêu chuẩn xuất khẩu "
    "sang thị trường Nhật Bản và châu Âu."
)


def _need(**kw: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "title_vi": "Cần công nghệ sấy lạnh xoài giữ màu",
        "title_en": None,
        "problem_statement": PROBLEM,
        "desired_outcome": None,
        "keywords": [],
    }
    values.update(kw)
    return SimpleNamespace(**values)


def _texts(terms: list) -> list[str]:  # type: ignore[type-arg]
    return [t.text for t in terms]


def test_long_problem_statement_becomes_at_most_ten_query_words() -> None:
    terms = need_terms(_need())
    query = compact_query(terms)

    assert len(tokens(query)) <= MAX_QUERY_WORDS
    assert sum(t.words for t in terms) == len(tokens(query))
    assert "sấy lạnh" in _texts(terms)
    assert "xoài" in _texts(terms)
    # Fillers of a need never spend the budget.
    for filler in ("công ty", "chúng tôi", "mong muốn", "giải pháp", "công nghệ", "của", "và"):
        assert f" {filler} " not in f" {query} "


def test_the_title_comes_before_words_of_the_body() -> None:
    terms = extract_terms(
        [("Máy bóc vỏ hạt điều", TITLE_BOOST), ("Dùng dao cắt định hình.", BODY_BOOST)]
    )
    texts = _texts(terms)
    assert texts.index("hạt điều") < texts.index("dao")
    assert terms[0].weight == 1.0
    assert all(0 < t.weight <= 1.0 for t in terms)


def test_explicit_keywords_count_most_and_stay_whole_phrases() -> None:
    terms = need_terms(_need(keywords=["bảo quản sau thu hoạch", "Xoài cát Hòa Lộc"]))
    texts = _texts(terms)
    assert texts[0] in {"bảo quản sau thu hoạch", "xoài cát hòa lộc"}
    assert "xoài cát hòa lộc" in texts


def test_vietnamese_compounds_stay_together_and_tone_marks_tell_stopwords_apart() -> None:
    terms = extract_terms(
        [("Robot hàn cho ngành cơ khí có thể hoạt động trong không khí ẩm", TITLE_BOOST)]
    )
    texts = _texts(terms)
    # `có` (has) is a stopword; `cơ` in `cơ khí` (mechanical) is not, although both fold to `co`.
    assert "cơ khí" in texts
    # A known compound survives although `không` alone is a stopword.
    assert "không khí" in texts
    assert "có" not in texts
    assert "thể" not in texts


def test_known_phrases_match_with_their_tone_marks() -> None:
    # `thành phân` folds like the known `thành phần`, but is not that word.
    assert chunks("thành phân hữu cơ") == [["phân", "hữu", "cơ"]]
    terms = extract_terms([("phân bón thành phần hữu cơ", TITLE_BOOST)])
    assert _texts(terms) == ["phân bón", "thành phần", "hữu cơ"]


def test_unaccented_text_still_finds_known_phrases() -> None:
    terms = extract_terms([("cong nghe say lanh cho nong san", TITLE_BOOST)])
    assert _texts(terms) == ["say lanh", "nong san"]


def test_the_lexicon_passed_in_keeps_catalogue_phrases_whole() -> None:
    text = [("Giám sát ao nuôi tôm thẻ chân trắng", TITLE_BOOST)]
    without = _texts(extract_terms(text))
    with_lexicon = _texts(extract_terms(text, lexicon=lexicon_from(["tôm thẻ chân trắng"])))
    assert "tôm thẻ chân trắng" not in without
    assert "tôm thẻ chân trắng" in with_lexicon


def test_duplicates_are_detected_on_folded_forms() -> None:
    terms = extract_terms([("Sấy lạnh", TITLE_BOOST), ("say lanh, SẤY LẠNH", BODY_BOOST)])
    assert [t.folded for t in terms] == ["say lanh"]
    assert terms[0].text == "sấy lạnh"  # shown as first written


def test_a_phrase_replaces_the_lone_syllables_it_contains() -> None:
    terms = extract_terms(
        [("sấy sấy sấy", BODY_BOOST), ("thiết bị sấy lạnh", TITLE_BOOST)], max_words=10
    )
    folded = [t.folded for t in terms]
    assert "say lanh" in folded
    assert "say" not in folded


def test_english_stopwords_numbers_and_marks_are_dropped() -> None:
    terms = extract_terms(
        [("A solution for the cold drying of mango, 500 kg per batch (2026).", TITLE_BOOST)]
    )
    texts = _texts(terms)
    assert {"cold", "drying", "mango"} <= set(texts)
    assert not {"a", "the", "for", "of", "500", "2026", "solution", "per"} & set(texts)


def test_the_word_budget_is_respected_with_long_phrases() -> None:
    terms = extract_terms(
        [("xử lý nước thải trí tuệ nhân tạo truy xuất nguồn gốc điện mặt trời", TITLE_BOOST)],
        max_words=7,
    )
    assert sum(t.words for t in terms) <= 7
    assert _texts(terms)[0] == "xử lý nước thải"


def test_english_title_does_not_crowd_out_the_vietnamese_one() -> None:
    listing = SimpleNamespace(
        title_vi="Hệ thống tưới nhỏ giọt thông minh cho sầu riêng",
        title_en="Smart drip irrigation system for durian orchards",
        summary_vi=None,
        technical_description=None,
        application_fields=None,
        specifications=None,
        service_description=None,
        keywords=[],
    )
    terms = listing_terms(listing)
    assert _texts(terms)[:4] == ["nhỏ giọt", "thông minh", "sầu riêng", "tưới"]
    english = [t for t in terms if t.text in {"smart", "drip", "irrigation", "durian"}]
    assert all(t.weight < 0.5 for t in english)


def test_empty_text_gives_no_terms() -> None:
    assert extract_terms([(None, TITLE_BOOST), ("", BODY_BOOST)]) == []
    assert compact_query([]) == ""
    assert extract_terms([("của và các những cho với", TITLE_BOOST)]) == []


def test_lexicon_from_keeps_multi_word_phrases_only() -> None:
    assert lexicon_from(["Sấy lạnh", "IoT", "xử lý nước thải, MBBR"]) == frozenset(
        {"sấy lạnh", "xử lý nước thải"}
    )
    assert fold("Sấy lạnh") == "say lanh"
