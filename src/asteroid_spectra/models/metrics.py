"""Scores of probabilistic classifications: the multi-class Brier score and the ECE.

Both take the true labels, the predicted probabilities (one column per class, in the order
of `classes`) and the classes; the repeated cross-validation of
:mod:`~asteroid_spectra.models.evaluation` reports them for every model with
``predict_proba``, next to scikit-learn's accuracy and F1 scores.

References
----------
Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
Monthly Weather Review 78, 1-3. Naeini, M. P. et al. (2015). Obtaining well calibrated
probabilities using Bayesian binning. AAAI (expected calibration error). Guo, C. et al.
(2017). On calibration of modern neural networks. ICML (the ECE of the top class).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["brier_score", "expected_calibration_error"]


def brier_score(y_true: npt.ArrayLike, proba: npt.ArrayLike, classes: npt.ArrayLike) -> float:
    """Multi-class Brier score: mean over samples of ``sum_k (p_k - [y = k])**2``.

    0 is perfect; always predicting uniform probabilities over K classes scores 1 - 1/K.

    Examples
    --------
    >>> brier_score(["a", "b"], [[1.0, 0.0], [0.5, 0.5]], ["a", "b"])
    0.25
    """
    probabilities = np.asarray(proba, dtype=np.float64)
    onehot = np.asarray(y_true)[:, np.newaxis] == np.asarray(classes)[np.newaxis, :]
    return float(np.mean(np.sum((probabilities - onehot) ** 2, axis=1)))


def expected_calibration_error(
    y_true: npt.ArrayLike, proba: npt.ArrayLike, classes: npt.ArrayLike, n_bins: int = 15
) -> float:
    """Return the expected calibration error of the top-class probability (equal-width bins).

    ``sum_b (n_b / n) * |accuracy_b - confidence_b|`` over bins of the predicted
    probability of the most probable class (Naeini et al. 2015; Guo et al. 2017).

    Examples
    --------
    >>> expected_calibration_error(["a", "a"], [[0.9, 0.1], [0.9, 0.1]], ["a", "b"])
    0.1
    """
    probabilities = np.asarray(proba, dtype=np.float64)
    confidence = probabilities.max(axis=1)
    predicted = np.asarray(classes)[probabilities.argmax(axis=1)]
    correct = predicted == np.asarray(y_true)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    error = 0.0
    for b in np.unique(bins):
        inside = bins == b
        error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return round(float(error), 12)
