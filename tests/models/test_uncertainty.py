"""Abstention on the top-class probability and the distance-based OOD score."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from asteroid_spectra.models.uncertainty import DEFAULT_THRESHOLD, DistanceOOD, abstain


@parametrize_with_checks([DistanceOOD()], xfail_strict=True)
def test_sklearn_conformance(estimator: DistanceOOD, check: Any) -> None:
    check(estimator)


# --- abstain -------------------------------------------------------------------------
PROBA = [[0.9, 0.1, 0.0], [0.5, 0.3, 0.2], [0.4, 0.35, 0.25], [0.34, 0.33, 0.33]]


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (DEFAULT_THRESHOLD, [False, False, True, True]),  # 0.5 itself is not below 0.5
        (0.95, [True, True, True, True]),
        (0.4, [False, False, False, True]),
        (0.34, [False, False, False, False]),
        (0.0, [False, False, False, False]),
    ],
)
def test_abstain_below_the_threshold(threshold: float, expected: list[bool]) -> None:
    assert abstain(PROBA, threshold).tolist() == expected


def test_default_threshold_is_a_half() -> None:
    assert DEFAULT_THRESHOLD == 0.5
    assert abstain([[0.49, 0.51], [0.499, 0.501]]).tolist() == [False, False]
    assert abstain([[0.45, 0.3, 0.25]]).tolist() == [True]


# --- DistanceOOD ---------------------------------------------------------------------
LINE = np.arange(11, dtype=float)[:, np.newaxis]  # points 0, 1, …, 10 on a line


@pytest.mark.parametrize(
    ("k", "query", "reference", "expected"),
    [
        # k = 1: every point's nearest other point is 1 away; 20 is 10 from the end.
        (1, [[20.0], [5.0], [5.5]], 1.0, [10.0, 0.0, 0.5]),
        # k = 2: the ends' 2nd-nearest others are 2 away (the 100 % quantile); 5.5 has
        # 5 and 6 at 0.5 and 20 has 9 at 11.
        (2, [[20.0], [5.5], [-1.0]], 2.0, [5.5, 0.25, 1.0]),
    ],
)
def test_scores_on_a_line(
    k: int, query: list[list[float]], reference: float, expected: list[float]
) -> None:
    ood = DistanceOOD(n_neighbors=k, quantile=1.0).fit(LINE)
    assert ood.k_ == k
    assert ood.reference_ == reference
    np.testing.assert_allclose(ood.score_samples(query), expected, rtol=1e-12)


def test_reference_is_the_quantile_of_leave_one_out_distances(train: Any) -> None:
    ood = DistanceOOD(n_neighbors=5, quantile=0.9).fit(train.X)
    distances = np.linalg.norm(train.X[:, np.newaxis, :] - train.X[np.newaxis, :, :], axis=2)
    np.fill_diagonal(distances, np.inf)  # leave each spectrum out of its own neighbours
    fifth = np.sort(distances, axis=1)[:, 4]
    assert ood.reference_ == pytest.approx(np.quantile(fifth, 0.9), rel=1e-12)


def test_training_spectra_are_typical_and_shifted_ones_are_not(train: Any, held_out: Any) -> None:
    ood = DistanceOOD().fit(train.X)
    # At most 1 % of the leave-one-out distances (plus one for the interpolated quantile)
    # exceed the reference, and a training spectrum's own score is at most its LOO one.
    assert (ood.score_samples(train.X) <= 1).mean() >= 0.99 - 1 / len(train.X)
    # New draws from the same classes are mostly typical…
    assert np.median(ood.score_samples(held_out.X)) < 1
    # …spectra 0.5 brighter than anything in training are far outside.
    assert ood.score_samples(train.X + 0.5).min() > 5


def test_n_neighbors_is_capped_by_the_training_size() -> None:
    ood = DistanceOOD(n_neighbors=5).fit(LINE[:3])
    assert ood.k_ == 2


def test_identical_training_spectra_keep_a_unit_scale() -> None:
    ood = DistanceOOD(n_neighbors=2).fit(np.ones((4, 3)))
    assert ood.reference_ == 1.0
    np.testing.assert_allclose(ood.score_samples([[1.0, 1.0, 3.0]]), [2.0])


def test_one_training_spectrum_is_not_enough() -> None:
    with pytest.raises(
        ValueError, match=r"DistanceOOD needs at least 2 training spectra\. Got n_samples=1"
    ):
        DistanceOOD().fit(LINE[:1])


def test_score_before_fit_and_with_the_wrong_width(train: Any) -> None:
    with pytest.raises(NotFittedError, match="not fitted yet"):
        DistanceOOD().score_samples(train.X)
    ood = DistanceOOD().fit(train.X)
    with pytest.raises(ValueError, match="X has 48 features, but DistanceOOD is expecting 49"):
        ood.score_samples(train.X[:, :-1])


def test_max_samples_keeps_a_seeded_subset_of_the_reference(rng: np.random.Generator) -> None:
    X = rng.normal(size=(500, 4))
    small = DistanceOOD(max_samples=100, random_state=1).fit(X)
    again = DistanceOOD(max_samples=100, random_state=1).fit(X)
    other = DistanceOOD(max_samples=100, random_state=2).fit(X)
    assert small.reference_spectra_.shape[0] == 100
    np.testing.assert_array_equal(small.score_samples(X[:20]), again.score_samples(X[:20]))
    assert not np.array_equal(small.score_samples(X[:20]), other.score_samples(X[:20]))
    # Typical points stay typical: most scores of the same distribution are below 1.
    assert np.mean(small.score_samples(rng.normal(size=(200, 4))) < 1) > 0.9
    full = DistanceOOD(max_samples=1000).fit(X)
    assert full.reference_spectra_.shape[0] == 500
