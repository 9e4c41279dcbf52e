"""Meilisearch index settings, declared in code; `MeilisearchEngine.ensure_ready` applies them.

One `IndexSpec` per entity says which document fields are searchable (in rank order),
filterable (every filter of the port, plus `id` for deletions), sortable (every sort key),
highlighted, and Vietnamese. `settings_diff` compares them with what the server reports, so an
up-to-date index gets no settings task at all.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.matching.documents import LISTING_SEARCHABLE, NEED_SEARCHABLE
from app.matching.meili_synonyms import FIELD as SYNONYM_FIELD
from app.matching.meili_synonyms import synonyms_setting
from app.matching.schemas import Entity
from app.matching.spelling import ONE_TYPO_MIN_LETTERS, TWO_TYPOS_MIN_LETTERS


@dataclass(frozen=True)
class IndexSpec:
    """What one index needs, declared in code: `ensure_ready` makes Meilisearch match it."""

    suffix: str
    searchable: tuple[str, ...]
    filterable: tuple[str, ...]
    sortable: tuple[str, ...]
    vietnamese: tuple[str, ...]
    highlighted: tuple[str, ...]  # the same fields the Postgres engine highlights
    cropped: tuple[str, ...]  # of which these become snippets around the match


def _names(*lines: str) -> tuple[str, ...]:
    return tuple(" ".join(lines).split())


LISTINGS = IndexSpec(
    suffix="listings",
    searchable=LISTING_SEARCHABLE,  # title > keywords > summary > descriptions (documents.py)
    filterable=_names(
        "id kind tier status trl sectors ip_status ip_dossier_clear source_exchange region",
        "price_vnd organisation_id transfer_forms vsic_sections strategic_groups",
        "published_at updated_at",
    ),
    sortable=("published_at", "updated_at", "price_vnd", "trl"),
    vietnamese=_names(
        "*_vi application_fields technical_description specifications service_description"
    ),
    highlighted=("title_vi", "title_en", "summary_vi", "summary_en"),
    cropped=("summary_vi", "summary_en"),
)
NEEDS = IndexSpec(
    suffix="needs",
    searchable=NEED_SEARCHABLE,
    filterable=_names(
        "id status visibility sectors min_trl region source_exchange transfer_forms",
        "budget_min_vnd budget_max_vnd organisation_id vsic_sections",
        "published_at updated_at deadline",
    ),
    sortable=("published_at", "updated_at", "deadline", "budget_max_vnd"),
    vietnamese=("*_vi", "problem_statement", "desired_outcome"),
    highlighted=("title_vi", "title_en", "problem_statement", "desired_outcome"),
    cropped=("problem_statement", "desired_outcome"),
)
SPECS: dict[Entity, IndexSpec] = {"listing": LISTINGS, "need": NEEDS}

RANKING_RULES = [
    # An explicit sort (price, TRL, dates) orders strictly, as in the Postgres engine; with
    # `relevance` no sort is sent and the text rules decide; fresher listings break ties.
    "sort",
    "words",
    "typo",
    "proximity",
    "attributeRank",
    "wordPosition",
    "exactness",
    "published_at:desc",
]


def index_settings(spec: IndexSpec, groups: Sequence[Sequence[str]]) -> dict[str, Any]:
    """The full declared settings of one index (the PATCH /settings body when all differ)."""
    return {
        # Long synonyms expanded into the document rank below every real text field.
        "searchableAttributes": [*spec.searchable, SYNONYM_FIELD],
        "filterableAttributes": list(spec.filterable),
        "sortableAttributes": list(spec.sortable),
        "rankingRules": RANKING_RULES,
        "synonyms": synonyms_setting(groups),
        "typoTolerance": {
            "enabled": True,
            # Vietnamese syllables are short: allow one typo from four letters (`sayy` → `sấy`).
            # The Postgres engine's corrections use the same sizes (app/matching/spelling.py).
            "minWordSizeForTypos": {
                "oneTypo": ONE_TYPO_MIN_LETTERS,
                "twoTypos": TWO_TYPOS_MIN_LETTERS,
            },
            # TRL levels, years and codes must match exactly, never "6" for "5".
            "disableOnNumbers": True,
        },
        "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "count"}},
        "pagination": {"maxTotalHits": 10000},
        "localizedAttributes": [
            {"locales": ["vie"], "attributePatterns": list(spec.vietnamese)},
            {"locales": ["eng"], "attributePatterns": ["*_en"]},
        ],
    }


_UNORDERED = {"filterableAttributes", "sortableAttributes"}


def _normalised(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in _UNORDERED:
        return sorted(json.dumps(v, sort_keys=True) for v in value)
    if key == "synonyms":
        return {k: sorted(set(v)) for k, v in value.items()}
    return value


def _contains(current: Any, wanted: Any) -> bool:
    """Nested settings objects: every declared sub-key matches (undeclared ones are free)."""
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            _contains(current.get(k), v) for k, v in wanted.items()
        )
    return bool(current == wanted)


def settings_diff(current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """Only the settings that differ: an unchanged index gets no task at all."""
    changes = {}
    for key, wanted in desired.items():
        have = current.get(key)
        same = (
            _contains(have, wanted)
            if isinstance(wanted, dict) and key != "synonyms"
            else _normalised(key, have) == _normalised(key, wanted)
        )
        if not same:
            changes[key] = wanted
    return changes
