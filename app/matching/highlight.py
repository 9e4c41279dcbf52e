"""Accent-insensitive highlighting on the original (accented) text, HTML-escaped, with <mark>.

`duong` marks `đường`; a one-letter typo (`nanno`) still marks `nano`; a prefix being typed
(`ngh`) marks `nghệ`. Adjacent marked words are merged into one <mark>.
"""

import html
import re

from app.core.text import fold
from app.matching.text_query import TextQuery

_WORD = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")
SNIPPET_WORDS = 30
MIN_FUZZY_CHARS = 4


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance <= 1 (one substitution, insertion or deletion)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


class Highlighter:
    def __init__(self, query: TextQuery) -> None:
        # Dictionary words a misspelt query word was corrected to mark like the typed ones.
        self.exact = set(query.words).union(*query.corrections.values())
        self.phrases = query.synonym_phrases
        self.prefix = query.prefix
        self.fuzzy = [w for w in query.words if len(w) >= MIN_FUZZY_CHARS]

    def _direct(self, folded: str) -> bool:
        return folded in self.exact or bool(self.prefix and folded.startswith(self.prefix))

    def _fuzzy(self, folded: str, typos: list[str]) -> bool:
        return len(folded) >= MIN_FUZZY_CHARS and any(_within_one_edit(folded, w) for w in typos)

    def _mark_phrases(self, folded: list[str], hits: list[bool]) -> None:
        """A synonym counts only as a whole: `người máy` marks both words, `máy` alone nothing."""
        for phrase in self.phrases:
            n = len(phrase)
            for start in range(len(folded) - n + 1):
                if tuple(folded[start : start + n]) == phrase:
                    hits[start : start + n] = [True] * n

    def __call__(self, text: str | None, snippet: bool = False) -> str | None:
        """The text with matches marked, or None when nothing in it matches."""
        if not text or not self.exact:
            return None
        found = [(m, fold(m.group())) for m in _WORD.finditer(text)]
        present = {f for _, f in found}
        # Typo matching only for query words this text lacks, so `cong` never marks `nông`.
        typos = [w for w in self.fuzzy if w not in present]
        hits = [self._direct(f) or (bool(typos) and self._fuzzy(f, typos)) for _, f in found]
        self._mark_phrases([f for _, f in found], hits)
        pieces: list[tuple[str, bool]] = []  # (raw piece, is a matched word)
        position = 0
        for (m, _), hit in zip(found, hits, strict=True):
            if m.start() > position:
                pieces.append((text[position : m.start()], False))
            pieces.append((m.group(), hit))
            position = m.end()
        if position < len(text):
            pieces.append((text[position:], False))
        if not any(hit for _, hit in pieces):
            return None
        if snippet:
            pieces = _window(pieces)
        return _render(pieces)


def _window(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """About SNIPPET_WORDS words around the first match, with ellipses where text was cut."""
    word_positions = [i for i, (p, _) in enumerate(pieces) if _WORD.fullmatch(p)]
    if len(word_positions) <= SNIPPET_WORDS:
        return pieces
    first_hit = next(i for i, (_, hit) in enumerate(pieces) if hit)
    k = word_positions.index(first_hit)
    start_k = max(0, k - SNIPPET_WORDS // 3)
    end_k = min(len(word_positions), start_k + SNIPPET_WORDS)
    start, end = word_positions[start_k], word_positions[end_k - 1] + 1
    window = pieces[start:end]
    if start > 0:
        window.insert(0, ("…", False))
    if end < len(pieces):
        window.append(("…", False))
    return window


def _render(pieces: list[tuple[str, bool]]) -> str:
    out: list[str] = []
    open_mark = False
    for i, (piece, hit) in enumerate(pieces):
        if hit and not open_mark:
            out.append("<mark>")
            open_mark = True
        elif not hit and open_mark:
            # Keep one mark across whitespace between two matched words.
            joins = piece.isspace() and i + 1 < len(pieces) and pieces[i + 1][1]
            if not joins:
                out.append("</mark>")
                open_mark = False
        out.append(html.escape(piece, quote=False))
    if open_mark:
        out.append("</mark>")
    return "".join(out)
