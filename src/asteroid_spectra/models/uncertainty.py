"""Abstention and out-of-distribution scores for classifications.

Abstention rule
    A classification is *uncertain* when the calibrated probability of the most probable
    class is below a threshold (0.5 by default: the model then finds it more likely than
    not that the spectrum belongs to another class).

Out-of-distribution score
    :class:`DistanceOOD` measures how far a spectrum lies from the training spectra: the
    distance to its ``k``-th nearest training spectrum divided by the same distance's
    99th percentile among the training spectra themselves (leave-one-out). A score below
    1 is typical of the training set; above 1, the spectrum is more isolated than 99 % of
    the training spectra and the classification is an extrapolation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.neighbours import distance_score, kth_distance
from asteroid_spectra.models.predictions import DEFAULT_THRESHOLD

__all__ = ["DEFAULT_THRESHOLD", "DistanceOOD", "abstain"]


def abstain(proba: npt.ArrayLike, threshold: float = DEFAULT_THRESHOLD) -> npt.NDArray[np.bool_]:
    """Return True where the top-class probability is below `threshold`.

    Examples
    --------
    >>> abstain([[0.9, 0.1], [0.45, 0.55], [0.4, 0.35]]).tolist()
    [False, False, True]
    """
    probabilities = np.asarray(proba, dtype=np.float64)
    return np.asarray(probabilities.max(axis=1) < threshold)


class DistanceOOD(BaseEstimator):  # type: ignore[misc]
    """Distance-to-training-set out-of-distribution score.

    Parameters
    ----------
    n_neighbors : int
        Which nearest training spectrum's distance is used (k).
    quantile : float
        Quantile of the training spectra's own (leave-one-out) k-NN distances that maps
        to a score of 1.
    max_samples : int, optional
        Keep at most this many training spectra as the reference (a seeded random
        subset): scoring costs time proportional to the reference size, which matters for
        catalogues of millions of spectra. Default: all.
    random_state : int, optional
        Seed of that subset.

    Attributes
    ----------
    reference_ : float
        The training k-NN distance at `quantile`.
    reference_spectra_ : ndarray, shape (r, m)
        The spectra distances are measured to (the training spectra, or their subset).
    k_ : int
        The neighbour whose distance is used (`n_neighbors`, or fewer for tiny sets).
    """

    def __init__(
        self,
        n_neighbors: int = 5,
        quantile: float = 0.99,
        max_samples: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.quantile = quantile
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, X: npt.ArrayLike, y: Any = None) -> DistanceOOD:
        """Index the training spectra and calibrate the score's scale."""
        values = np.asarray(validate_data(self, X, dtype=np.float64))
        if self.max_samples is not None and values.shape[0] > self.max_samples:
            rng = np.random.default_rng(self.random_state)
            values = values[np.sort(rng.choice(values.shape[0], self.max_samples, replace=False))]
        k = min(self.n_neighbors, values.shape[0] - 1)
        if k < 1:
            raise ParameterError(
                f"DistanceOOD needs at least 2 training spectra. Got n_samples={values.shape[0]} "
                "instead."
            )
        self.reference_spectra_ = values
        # the (k+1)-th nearest: the nearest is the spectrum itself, at distance 0
        own = kth_distance(values, values, k + 1)
        reference = float(np.quantile(own, self.quantile))
        self.reference_ = reference if reference > 0 else 1.0
        self.k_ = k
        return self

    def score_samples(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """OOD score of each spectrum (≤ 1 typical, > 1 unlike the training set)."""
        check_is_fitted(self, "reference_spectra_")
        X = np.asarray(validate_data(self, X, reset=False, dtype=np.float64))
        return distance_score(X, self.reference_spectra_, self.k_, self.reference_)
