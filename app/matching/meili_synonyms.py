"""VI↔EN synonyms for Meilisearch, including the terms it cannot expand by itself.

Meilisearch looks synonyms up only for query terms of one to three words. Vietnamese is written
in syllables, so many terms are longer (`trí tuệ nhân tạo`, `năng lượng tái tạo` are four
words): as keys of the `synonyms` setting they would never fire, and a Vietnamese query would
miss English documents. Those long terms are therefore expanded at indexing time instead: a
document that contains any term of a group gets the group's long terms in a low-weight
searchable field, `synonym_terms`. Short terms stay in the `synonyms` setting (both directions,
applied at query time, nothing to reindex when they change).
"""

from collections.abc import Sequence
from typing import Any

from app.core.text import fold, words
from app.matching.synonyms import synonym_map

MAX_SYNONYM_WORDS = 3
FIELD = "synonym_terms"

Rules = list[tuple[str, list[str]]]


def _is_long(term: str) -> bool:
    return len(words(term)) > MAX_SYNONYM_WORDS


def _folded(term: str) -> str:
    return " ".join(words(fold(term)))


def synonyms_setting(groups: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    """The `synonyms` setting: both directions, keys of at most three words."""
    mapping = synonym_map(groups)
    return {
        term: sorted(set(others))
        for term, others in sorted(mapping.items())
        if others and not _is_long(term)
    }


def long_term_rules(groups: Sequence[Sequence[str]]) -> Rules:
    """(folded term, long terms of its group) for every group that has a long term."""
    rules: Rules = []
    for group in groups:
        long_terms = [t for t in group if _is_long(t)]
        if long_terms:
            rules.extend((_folded(t), [x for x in long_terms if x != t]) for t in group)
    return [(term, extra) for term, extra in rules if term and extra]


def synonym_terms(doc: dict[str, Any], rules: Rules) -> list[str]:
    """The long synonyms a document should also be found by (those it does not contain)."""
    parts = [doc.get("title_folded") or "", doc.get("text_folded") or ""]
    parts.extend(doc.get("keywords_folded") or [])
    text = f" {' '.join(words(' '.join(parts)))} "
    found: list[str] = []
    for term, extra in rules:
        if f" {term} " in text:
            found.extend(t for t in extra if t not in found and f" {_folded(t)} " not in text)
    return found


def with_synonym_terms(docs: Sequence[dict[str, Any]], rules: Rules) -> list[dict[str, Any]]:
    return [{**doc, FIELD: synonym_terms(doc, rules)} for doc in docs]
