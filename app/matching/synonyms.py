"""VI↔EN synonym groups (data in `synonym_groups`), shared by both engines."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.text import fold, words
from app.matching.models import SynonymGroup


async def load_groups(session: AsyncSession) -> list[list[str]]:
    """Active groups, each a list of terms as written (accented)."""
    rows = await session.scalars(select(SynonymGroup.terms).where(SynonymGroup.active))
    return [list(terms) for terms in rows.all()]


def synonym_map(groups: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    """{term: [every other term of its groups]} in both directions (Meilisearch `synonyms`)."""
    mapping: dict[str, list[str]] = {}
    for group in groups:
        for term in group:
            others = mapping.setdefault(term, [])
            others.extend(t for t in group if t != term and t not in others)
    return mapping


def expansions(
    query_words: Sequence[str], groups: Sequence[Sequence[str]]
) -> list[tuple[int, int, list[list[str]]]]:
    """Spans of the (folded) query that are a synonym term: [(start, end, [alternative words])].

    Both the query and the terms are folded, so `tri tue nhan tao`, `Trí tuệ nhân tạo` and `AI`
    all meet. Longer terms win where spans overlap.
    """
    found: list[tuple[int, int, list[list[str]]]] = []
    folded_groups = [[words(fold(t)) for t in group] for group in groups]
    candidates: list[tuple[int, int, list[list[str]]]] = []
    for group in folded_groups:
        for term in group:
            n = len(term)
            for start in range(len(query_words) - n + 1):
                if n and list(query_words[start : start + n]) == term:
                    alternatives = [t for t in group if t != term and t]
                    candidates.append((start, start + n, alternatives))
    taken: set[int] = set()
    for start, end, alts in sorted(candidates, key=lambda c: c[0] - c[1]):
        span = set(range(start, end))
        if span & taken:
            # The same span may come from two groups: merge their alternatives.
            for i, (s, e, a) in enumerate(found):
                if (s, e) == (start, end):
                    found[i] = (s, e, a + [x for x in alts if x not in a])
            continue
        taken |= span
        found.append((start, end, alts))
    return sorted(found)
