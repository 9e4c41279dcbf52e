"""Typo tolerance for the Postgres engine: correct the words the catalogue does not contain.

Every distinct folded word of the indexed text is in `search_words` (filled by triggers). A
query word found there, or, for the word being typed, a word starting with it, is searched as
typed. Any other word is replaced by "itself or one of its nearest dictionary words": the
trigram index proposes neighbours (`word <-> 'blokchain'`), and those within the typo budget
Meilisearch allows are kept (one typo from 4 letters, two from 8; words with digits never, so
`TRL 6` is not `TRL 5`). The corrected query then runs through the same full-text GIN index as
any other, which is what keeps typo tolerance cheap at 100k listings.

Known words are not widened: `truong` is not also searched as `trong`, which would flood a
query with a common word. The corrections are never shown to users (the dictionary also holds
words of drafts and restricted needs; results are filtered as always).
"""

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Shared with the Meilisearch settings (`minWordSizeForTypos`), so both engines agree.
ONE_TYPO_MIN_LETTERS = 4
TWO_TYPOS_MIN_LETTERS = 8
MAX_CORRECTIONS = 5  # alternatives per word: enough for `nanno` -> nano, nanao, …
NEIGHBOURS = 40  # trigram neighbours examined per unknown word

_UNKNOWN_NEIGHBOURS = text(
    """
    WITH typed AS (
        SELECT q.word, q.is_prefix
        FROM unnest(CAST(:words AS text[]), CAST(:prefixes AS boolean[])) AS q(word, is_prefix)
    ),
    unknown AS (
        SELECT t.word FROM typed AS t
        WHERE NOT EXISTS (
            -- The first dictionary word at or after the query word, in binary order: equal to
            -- it, or starting with it when it is the word being typed.
            SELECT 1 FROM (
                SELECT d.word FROM search_words AS d
                WHERE d.word >= t.word COLLATE "C" ORDER BY d.word LIMIT 1
            ) AS first
            WHERE first.word = t.word OR (t.is_prefix AND starts_with(first.word, t.word))
        )
    )
    SELECT u.word, n.word AS neighbour
    FROM unknown AS u
    CROSS JOIN LATERAL (
        SELECT d.word FROM search_words AS d ORDER BY d.word <-> u.word LIMIT :neighbours
    ) AS n
    """
)


def typo_budget(word: str) -> int:
    """How many typos a query word may carry (Meilisearch's rule, with our 4/8 letter sizes)."""
    if any(ch.isdigit() for ch in word):
        return 0
    if len(word) >= TWO_TYPOS_MIN_LETTERS:
        return 2
    return 1 if len(word) >= ONE_TYPO_MIN_LETTERS else 0


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insert, delete, substitute, swap two neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def typo_distance(typed: str, word: str, is_prefix: bool) -> int:
    """Typos between what was typed and a dictionary word; a word being typed is compared with
    the word's beginnings (`blokch` is one typo from `blockch`ain)."""
    if not is_prefix:
        return edit_distance(typed, word)
    budget = typo_budget(typed)
    lengths = range(max(1, len(typed) - budget), min(len(word), len(typed) + budget) + 1)
    return min((edit_distance(typed, word[:n]) for n in lengths), default=len(typed))


def pick(typed: str, neighbours: Sequence[str], is_prefix: bool) -> list[str]:
    """The closest dictionary words within the typo budget, closest first (then a–z)."""
    budget = typo_budget(typed)
    scored = sorted(
        (distance, word)
        for word in set(neighbours)
        if word != typed and (distance := typo_distance(typed, word, is_prefix)) <= budget
    )
    return [word for _, word in scored[:MAX_CORRECTIONS]]


async def corrections(
    session: AsyncSession, words: Sequence[str], prefix: str | None = None
) -> dict[str, list[str]]:
    """{folded query word the catalogue lacks: [dictionary words it may be a typo of]}.

    `prefix` is the last word when it is still being typed (no trailing space).
    """
    asked = [w for w in dict.fromkeys(words) if typo_budget(w) > 0]
    if not asked:
        return {}
    params = {
        "words": asked,
        "prefixes": [w == prefix for w in asked],
        "neighbours": NEIGHBOURS,
    }
    found: dict[str, list[str]] = {}
    for word, neighbour in (await session.execute(_UNKNOWN_NEIGHBOURS, params)).all():
        found.setdefault(word, []).append(neighbour)
    picked = {word: pick(word, near, word == prefix) for word, near in found.items()}
    return {word: alternatives for word, alternatives in picked.items() if alternatives}
