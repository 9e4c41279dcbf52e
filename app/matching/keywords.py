"""Turn a long need or listing text into a compact query: at most ten words that carry meaning.

Meilisearch reads only the first ten words of a query, and both engines require every query word
to match, so a pasted problem statement must be reduced to its key terms, not sent whole.

Vietnamese writes words as space-separated syllables (`sấy lạnh`, `nông sản`, `trí tuệ nhân
tạo`), so single syllables are poor terms. Text is cut into chunks at punctuation and stopwords
(RAKE), each chunk is segmented by longest match against a lexicon of known phrases (the
exchange's synonym terms and the keywords people gave their listings and needs, plus a few
common technical compounds below) and the subject's own explicit keywords; what no phrase
covers stays as single syllables. Terms are scored by where they occur (keywords and title count
more than the body) and how often; phrases outrank lone syllables, and a phrase takes the place
of the syllables it contains. Stopwords are compared with their tone marks (`có` is a stopword,
`cơ` in `cơ khí` is not) unless the text was typed without any; duplicates are detected on
folded forms.

Pure functions, no database: the caller passes the lexicon.
"""

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.text import fold, nfc

MAX_QUERY_WORDS = 10  # Meilisearch ignores every word after the tenth
MAX_PHRASE_WORDS = 5  # `trí tuệ nhân tạo`, `bảo quản sau thu hoạch`
KEYWORD_BOOST = 4.0
TITLE_BOOST = 3.0
BODY_BOOST = 1.0
SYLLABLE_FACTOR = 0.6  # a lone syllable is less specific than a phrase

_STOP_VI = """
của và các những cho với được là có để trong một này khi từ theo đã đang sẽ bị bởi thì mà nên
nhưng hoặc hay như về tại trên dưới ra vào cũng rất nhiều ít hơn nhất đó kia ấy nào gì ai đến
tới qua trước giữa cùng lại đều chỉ vẫn còn nếu vì do nhằm bằng việc sự cái chiếc nhau mỗi mọi
toàn tất cả đây đấy thế vậy rồi chưa không chẳng phải hãy cần muốn tìm giúp khác thành tạo dùng
gồm lần loại
"""
_STOP_EN = """
a an the and or of for to in on at by with from into onto about as is are be been being was were
it its this that these those we our us you your they their them he she his her i my me can could
will would should shall may might must need needs needed want wants looking seek seeking use used
using based such other etc via per than then there here which who whom whose what when where why
how all any each every both few more most some no not only own same so too very also new
technology technologies solution solutions company enterprise
"""
# Two-syllable fillers, and words every listing or need says (they would spend the budget).
_STOP_PAIRS = """
có thể; chúng tôi; chúng ta; doanh nghiệp; công ty; nhu cầu; mong muốn; hiện nay; hiện tại;
hiện đang; tìm kiếm; giải pháp; công nghệ; yêu cầu; đáp ứng; thực hiện; tiến hành; sử dụng;
mục đích; bao gồm; đặc biệt; ngoài ra; tuy nhiên; trong khi; cũng như; cụ thể; nhiều loại;
kỹ thuật; tự nhiên; sản phẩm; hệ thống; quy trình; phương pháp; ứng dụng; nghiên cứu;
phát triển; hiệu quả; thế hệ; chi phí; giá thành; giảm thiểu; nâng cao; cải thiện; quy mô;
thời gian; kết hợp; tạo ra; tích hợp; tối ưu; đạt chuẩn; tiêu chuẩn
"""
# Compounds of the domain that the data may not yet name as keywords. A known phrase is kept
# whole even when one of its syllables is a stopword elsewhere (`không khí`, `sau thu hoạch`).
_BUILT_IN_PHRASES = """
nông sản; thủy sản; hải sản; trái cây; rau quả; rau củ; thực phẩm; đồ uống; cà phê; hạt điều;
hồ tiêu; ca cao; sấy lạnh; sấy khô; sấy thăng hoa; bơm nhiệt; nhiệt độ; độ ẩm; tự động;
tự động hóa; điều khiển; cảm biến; năng lượng; mặt trời; điện mặt trời; tiết kiệm; nước thải;
xử lý nước thải;
chất thải; rác thải; xử lý; môi trường; vi sinh; vi khuẩn; sinh học; phân bón; thức ăn chăn nuôi;
chăn nuôi; nuôi trồng; trồng trọt; cây trồng; giống cây; hóa chất; dược liệu; dược phẩm;
mỹ phẩm; cao su; nhựa tái chế; tái chế; vật liệu; vật liệu mới; gốm sứ; kim loại; gia công;
cơ khí; chế tạo; máy móc; thiết bị; dây chuyền; trí tuệ nhân tạo; học máy; dữ liệu; phần mềm;
phần cứng; vi mạch; bán dẫn; điện tử; viễn thông; y tế; chẩn đoán; giao thông; chuỗi cung ứng;
truy xuất nguồn gốc; bảo quản; sau thu hoạch; năng suất; màu sắc;
dinh dưỡng; kháng khuẩn; in 3d; khí sinh học; xe điện; chế biến; đóng gói; bao bì; lên men;
chiết xuất; tinh dầu; nước mắm; lúa gạo; thủy lợi; tưới tiêu; không khí; hàng không;
thông tin; thông minh; cân bằng; bằng sáng chế; khác biệt; điện năng; độ bền; tuổi thọ;
chế phẩm; hữu cơ; phụ phẩm; nông nghiệp; rút ngắn; đồng bằng; tinh bột; phát hiện; bất hoạt;
vi điều khiển; kết cấu; nhà xưởng; áp mái; chưng cất; hơi nước; nhận dạng; thành phần;
thành phố; hợp kim; khuôn mẫu; ép nhựa; nhiệt điện; phân loại; kiểm soát; giám sát; nước sạch;
nước biển; xâm nhập mặn; chịu mặn; sinh trưởng; nấm mốc; vi rút; kháng sinh; thủy phân;
nhỏ giọt; sầu riêng; thanh long; cà chua; cá tra; vải thiều; mía đường; hạt giống; cà phê;
tôm thẻ; ao nuôi; chất lượng nước; xuất khẩu; thương mại điện tử; kéo dài; thời hạn; bề mặt;
bảo trì; dự đoán; kiểm tra; độ chính xác; tốc độ; hiệu suất; công suất; nguyên liệu; phế phẩm;
tận dụng; vận hành; lắp đặt; sửa chữa; đo lường; an toàn; máy tính; điện thoại; hình ảnh;
chăm sóc; khách hàng; ngôn ngữ; tiếng việt; dệt nhuộm; oxy hóa; pin mặt trời; quang điện;
không người lái; máy bay; phun thuốc; bảo vệ thực vật; thuốc trừ sâu; phát thải; khí nhà kính
"""


def _phrases(text: str) -> list[str]:
    return [p.strip() for p in nfc(text).split(";") if p.strip()]


STOPWORDS: frozenset[str] = frozenset(nfc(_STOP_VI + _STOP_EN).split())
STOP_PAIRS: frozenset[tuple[str, ...]] = frozenset(tuple(p.split()) for p in _phrases(_STOP_PAIRS))
# Text typed without tone marks is compared with the stopwords' folded forms.
_STOPWORDS_FOLDED = frozenset(fold(w) for w in STOPWORDS)
_STOP_PAIRS_FOLDED = frozenset(tuple(fold(w) for w in pair) for pair in STOP_PAIRS)
BUILT_IN_LEXICON: frozenset[str] = frozenset(p.lower() for p in _phrases(_BUILT_IN_PHRASES))

# Decimal versions ("4.0") are one token; letters/digits otherwise; any other mark ends a chunk.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+|[^\w\s]")


@dataclass(frozen=True)
class KeyTerm:
    text: str  # as written, lower case with tone marks: "sấy lạnh"
    folded: str  # "say lanh"
    weight: float  # importance within its text, the best term = 1.0
    words: int


class Lexicon:
    """Known phrases, matched with their tone marks when the text has them (`thành phần` is
    not `thành phân`), and by folded form when the text was typed without any."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.accented = frozenset(nfc(p).lower() for p in phrases)
        self.folded = frozenset(fold(p) for p in self.accented)

    def knows(self, words: Sequence[str]) -> bool:
        phrase = " ".join(words)
        folded = fold(phrase)
        return folded in self.folded if folded == phrase else phrase in self.accented


def _plain(words: Sequence[str]) -> bool:
    return all(fold(w) == w for w in words)


def _is_content(token: str) -> bool:
    if not any(ch.isalpha() for ch in token):
        return False  # numbers and marks: budgets, years and units are not search terms
    stop = _STOPWORDS_FOLDED if _plain([token]) else STOPWORDS
    return len(token) > 1 and token not in stop


def _stop_pair(pair: tuple[str, ...]) -> bool:
    if len(pair) != 2:
        return False
    return pair in (_STOP_PAIRS_FOLDED if _plain(pair) else STOP_PAIRS)


def _known_at(raw: Sequence[str], i: int, lexicon: Lexicon) -> int:
    """Length of the longest known phrase starting at raw[i] (0 when none)."""
    for n in range(min(MAX_PHRASE_WORDS, len(raw) - i), 1, -1):
        part = raw[i : i + n]
        if all(t[0].isalnum() for t in part) and lexicon.knows(part):
            return n
    return 0


def chunks(text: str, lexicon: Lexicon | None = None) -> list[list[str]]:
    """Runs of content words (lower case, tone marks kept) between punctuation and stopwords."""
    raw = _TOKEN.findall(nfc(text).lower())
    lexicon = lexicon or Lexicon(())
    result: list[list[str]] = []
    current: list[str] = []
    i = 0
    while i < len(raw):
        known = _known_at(raw, i, lexicon)
        if known:
            current.extend(raw[i : i + known])
            i += known
            continue
        pair = tuple(raw[i : i + 2])
        if _is_content(raw[i]) and not _stop_pair(pair):
            current.append(raw[i])
            i += 1
            continue
        if current:
            result.append(current)
            current = []
        i += 2 if _stop_pair(pair) else 1
    if current:
        result.append(current)
    return result


def segment(chunk: Sequence[str], lexicon: Lexicon) -> list[tuple[str, ...]]:
    """Longest match of known phrases, the rest as single syllables."""
    words: list[tuple[str, ...]] = []
    i = 0
    while i < len(chunk):
        for n in range(min(MAX_PHRASE_WORDS, len(chunk) - i), 1, -1):
            if lexicon.knows(chunk[i : i + n]):
                words.append(tuple(chunk[i : i + n]))
                i += n
                break
        else:
            words.append((chunk[i],))
            i += 1
    return words


def extract_terms(
    fields: Sequence[tuple[str | None, float]],
    keywords: Sequence[str] = (),
    lexicon: Collection[str] = (),
    max_words: int = MAX_QUERY_WORDS,
) -> list[KeyTerm]:
    """Key terms of a text, most important first, together at most `max_words` words.

    `fields` are (text, boost) pairs, e.g. the title with TITLE_BOOST and the body with
    BODY_BOOST; explicit `keywords` count most and are phrases as written.
    """
    sources = [(kw, KEYWORD_BOOST) for kw in keywords] + [(t, b) for t, b in fields if t]
    known = Lexicon([*BUILT_IN_LEXICON, *lexicon, *lexicon_from(keywords)])
    chunked = [(chunks(text, known), boost) for text, boost in sources if text]
    scores: dict[str, float] = {}
    shown: dict[str, tuple[str, ...]] = {}
    order: dict[str, int] = {}
    for text_chunks, boost in chunked:
        for chunk in text_chunks:
            for term in segment(chunk, known):
                key = fold(" ".join(term))
                factor = 1.0 if len(term) > 1 else SYLLABLE_FACTOR
                scores[key] = scores.get(key, 0.0) + boost * factor
                shown.setdefault(key, term)
                order.setdefault(key, len(order))
    ranked = sorted(scores, key=lambda k: (-scores[k], order[k]))
    return _within_budget(ranked, scores, shown, max_words)


def _within_budget(
    ranked: list[str], scores: dict[str, float], shown: dict[str, tuple[str, ...]], budget: int
) -> list[KeyTerm]:
    top = scores[ranked[0]] if ranked else 1.0
    chosen: list[KeyTerm] = []
    for key in ranked:
        if any(_contains(c.folded, key) for c in chosen):
            continue  # `sấy` adds nothing once `sấy lạnh` is in
        # A phrase takes the place of the lone syllables it contains (`xoài sấy` over `sấy`).
        kept = [c for c in chosen if not _contains(key, c.folded)]
        words = shown[key]
        if sum(c.words for c in kept) + len(words) > budget:
            continue  # a shorter term further down may still fit
        position = next((i for i, c in enumerate(chosen) if c not in kept), len(kept))
        weight = max([scores[key]] + [c.weight * top for c in chosen if c not in kept]) / top
        kept.insert(position, KeyTerm(" ".join(words), key, round(weight, 4), len(words)))
        chosen = kept
        if sum(c.words for c in chosen) >= budget:
            break
    return chosen


def _contains(phrase: str, part: str) -> bool:
    return f" {part} " in f" {phrase} "


def compact_query(terms: Sequence[KeyTerm]) -> str:
    """The terms as one query string (at most ten words)."""
    return " ".join(t.text for t in terms)


def _second_title(first: str | None) -> float:
    # The English title mostly repeats the Vietnamese one (synonyms bridge the languages): it
    # must not spend the word budget on translations.
    return BODY_BOOST if first else TITLE_BOOST


def need_terms(need: Any, lexicon: Collection[str] = ()) -> list[KeyTerm]:
    """Key terms of a need: title, problem statement, desired outcome and its keywords."""
    return extract_terms(
        [
            (need.title_vi, TITLE_BOOST),
            (need.title_en, _second_title(need.title_vi)),
            (need.problem_statement, BODY_BOOST),
            (need.desired_outcome, BODY_BOOST),
        ],
        keywords=list(need.keywords or []),
        lexicon=lexicon,
    )


def listing_terms(listing: Any, lexicon: Collection[str] = ()) -> list[KeyTerm]:
    """Key terms of a listing's public text (never its confidential detail)."""
    return extract_terms(
        [
            (listing.title_vi, TITLE_BOOST),
            (listing.title_en, _second_title(listing.title_vi)),
            (listing.summary_vi, BODY_BOOST),
            (listing.technical_description, BODY_BOOST),
            (listing.application_fields, BODY_BOOST),
            (listing.specifications, BODY_BOOST),
            (listing.service_description, BODY_BOOST),
        ],
        keywords=list(listing.keywords or []),
        lexicon=lexicon,
    )


def lexicon_from(phrases: Iterable[str]) -> frozenset[str]:
    """Multi-word phrases, lower case (single words say nothing about where words end)."""
    found = set()
    for phrase in phrases:
        for chunk in chunks(phrase):
            if 1 < len(chunk) <= MAX_PHRASE_WORDS:
                found.add(" ".join(chunk))
    return frozenset(found)
