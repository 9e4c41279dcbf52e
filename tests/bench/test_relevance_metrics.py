"""precision@k and nDCG@k with graded relevance (pure functions of bench.relevance)."""

import math

import pytest

from bench.relevance import dcg, ndcg_at_k, precision_at_k

JUDGED = {"a": 2, "b": 1, "c": 2, "z": 0}


def test_precision_counts_relevant_items_in_the_first_k() -> None:
    assert precision_at_k(["a", "x", "b", "y"], JUDGED, k=4) == 0.5


def test_precision_ignores_items_after_k() -> None:
    assert precision_at_k(["x", "a", "b", "c"], JUDGED, k=2) == 0.5


def test_precision_counts_missing_positions_as_misses() -> None:
    # Returning fewer results must never score better than returning them.
    assert precision_at_k(["a"], JUDGED, k=10) == 0.1
    assert precision_at_k([], JUDGED, k=10) == 0.0


def test_precision_treats_grade_zero_and_unjudged_as_irrelevant() -> None:
    assert precision_at_k(["z", "unknown"], JUDGED, k=2) == 0.0


def test_dcg_uses_exponential_gain_and_log_discount() -> None:
    assert dcg([2, 1]) == pytest.approx(3 / math.log2(2) + 1 / math.log2(3))
    assert dcg([]) == 0.0


def test_ndcg_is_one_for_the_ideal_ranking() -> None:
    assert ndcg_at_k(["a", "c", "b"], JUDGED, k=10) == pytest.approx(1.0)


def test_ndcg_rewards_putting_higher_grades_first() -> None:
    best = ndcg_at_k(["a", "c", "b"], JUDGED, k=3)
    swapped = ndcg_at_k(["b", "a", "c"], JUDGED, k=3)
    assert swapped < best
    expected = dcg([1, 2, 2]) / dcg([2, 2, 1])
    assert swapped == pytest.approx(expected)


def test_ndcg_compares_with_the_ideal_cut_at_k() -> None:
    # Two grade-2 items fit in k=2: one of them at rank 1 is half the ideal's first term.
    assert ndcg_at_k(["a", "x"], JUDGED, k=2) == pytest.approx(dcg([2]) / dcg([2, 2]))


def test_ndcg_counts_a_duplicate_only_once() -> None:
    assert ndcg_at_k(["a", "a"], {"a": 2, "b": 2}, k=2) == pytest.approx(dcg([2]) / dcg([2, 2]))


def test_ndcg_is_zero_when_nothing_relevant_is_returned_or_judged() -> None:
    assert ndcg_at_k(["x", "y"], JUDGED, k=10) == 0.0
    assert ndcg_at_k([], JUDGED, k=10) == 0.0
    assert ndcg_at_k(["a"], {}, k=10) == 0.0
    assert ndcg_at_k(["a"], {"a": 0}, k=10) == 0.0


@pytest.mark.parametrize("metric", [precision_at_k, ndcg_at_k])
def test_k_must_be_positive(metric) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="positive"):
        metric(["a"], JUDGED, k=0)
