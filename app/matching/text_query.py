"""Turn what a person typed into what the Postgres engine and the highlighter need.

Pure functions (no database): the query is folded like the indexed text (techx_fold), split into
tokens the way PostgreSQL's parser splits the indexed text, expanded with synonyms in both
directions, and compiled to a tsquery with the last word as a prefix (search-as-you-type).
Words the catalogue lacks may come with typo corrections (app/matching/spelling.py): each is
then searched as "itself or one of its corrections".
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.core.text import fold, nfc
from app.matching.synonyms import expansions

# Decimal versions ("4.0") stay one token, as PostgreSQL's parser keeps them; otherwise letters
# and digits (Unicode) split on everything else, underscores included.
_TOKEN = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")
MAX_TOKENS = 12


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def lexeme(token: str, prefix: bool = False) -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


def _phrase(words: Sequence[str], prefix_last: bool = False) -> str:
    parts = [lexeme(w, prefix_last and i == len(words) - 1) for i, w in enumerate(words)]
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


@dataclass(frozen=True)
class TextQuery:
    raw: str
    folded: str  # folded, tokens joined by spaces
    words: list[str]  # folded tokens
    tsquery: str | None  # None when nothing searchable was typed
    prefix: str | None  # last token, matched as a prefix
    # Lower-case accented words as typed ("bán"): rows containing them exactly rank higher.
    accented: list[str] = field(default_factory=list)
    # Synonym alternatives as folded word sequences, for highlighting whole phrases only.
    synonym_phrases: list[tuple[str, ...]] = field(default_factory=list)
    # Typo corrections that were applied: folded query word -> dictionary words searched too.
    corrections: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.tsquery is None


def _is_typing(text: str | None) -> bool:
    # A trailing space means the last word is complete: no prefix matching then.
    return not (text or "").endswith((" ", "\t"))


def _split(text: str | None) -> tuple[str, list[str], list[str]]:
    """(the text NFC and trimmed, its lower-case tokens as typed, the same folded)."""
    raw = nfc(text or "").strip()
    original = tokens(raw.lower())[:MAX_TOKENS]
    return raw, original, [fold(t) for t in original]


def typed_words(text: str | None) -> tuple[list[str], str | None]:
    """(folded query words, the last one if it is still being typed), as compile_query sees
    them: what the spelling corrector is asked about before the query is compiled."""
    _, _, folded_words = _split(text)
    prefix = folded_words[-1] if folded_words and _is_typing(text) else None
    return folded_words, prefix


def _word(word: str, prefix: bool, alternatives: Sequence[str]) -> str:
    own = lexeme(word, prefix=prefix)
    if not alternatives:
        return own
    return "(" + " | ".join([own, *(lexeme(a) for a in alternatives)]) + ")"


def compile_query(
    text: str,
    groups: Sequence[Sequence[str]] = (),
    corrections: Mapping[str, Sequence[str]] | None = None,
) -> TextQuery:
    raw, original, folded_words = _split(text)
    if not folded_words:
        return TextQuery(raw=raw, folded="", words=[], tsquery=None, prefix=None)
    typing = _is_typing(text)
    corrections = corrections or {}
    applied: dict[str, list[str]] = {}
    last = len(folded_words) - 1
    spans = {start: (end, alts) for start, end, alts in expansions(folded_words, groups)}
    parts: list[str] = []
    synonym_phrases: list[tuple[str, ...]] = []
    i = 0
    while i < len(folded_words):
        if i in spans:
            end, alts = spans[i]
            own = _phrase(folded_words[i:end], prefix_last=typing and end - 1 == last)
            parts.append("(" + " | ".join([own, *(_phrase(a) for a in alts)]) + ")")
            synonym_phrases.extend(tuple(a) for a in alts)
            i = end
            continue
        word = folded_words[i]
        alternatives = list(corrections.get(word, ()))
        if alternatives:
            applied[word] = alternatives
        parts.append(_word(word, typing and i == last, alternatives))
        i += 1
    accented = sorted({t for t, f in zip(original, folded_words, strict=True) if t != f})
    return TextQuery(
        raw=raw,
        folded=" ".join(folded_words),
        words=folded_words,
        tsquery=" & ".join(parts),
        prefix=folded_words[last] if typing else None,
        accented=accented,
        synonym_phrases=synonym_phrases,
        corrections=applied,
    )
