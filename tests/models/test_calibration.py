"""Temperature scaling and the reliability table, on probabilities of known calibration."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.calibration import Temperature, reliability
from asteroid_spectra.models.metrics import expected_calibration_error

CLASSES = ["C", "S", "X"]


def overconfident(n: int, right: float, confidence: float, seed: int = 0) -> tuple:
    """Predictions always `confidence` sure of their class, right a `right` share of times."""
    rng = np.random.default_rng(seed)
    predicted = rng.integers(0, 3, n)
    hit = rng.random(n) < right
    truth = np.where(hit, predicted, (predicted + rng.integers(1, 3, n)) % 3)
    proba = np.full((n, 3), (1 - confidence) / 2)
    proba[np.arange(n), predicted] = confidence
    return proba, np.asarray(CLASSES, dtype=object)[truth]


def test_an_overconfident_model_is_cooled_to_its_accuracy() -> None:
    proba, truth = overconfident(6000, right=0.7, confidence=0.97)
    scaler = Temperature().fit(proba, truth, CLASSES)
    calibrated = scaler.transform(proba)
    assert scaler.temperature_ > 1
    assert calibrated.max(axis=1).mean() == pytest.approx(0.7, abs=0.01)
    assert expected_calibration_error(truth, proba, CLASSES) > 0.25
    assert expected_calibration_error(truth, calibrated, CLASSES) < 0.01


def test_the_ranking_and_so_the_accuracy_are_kept() -> None:
    rng = np.random.default_rng(1)
    proba = rng.dirichlet([1, 1, 1], 500)
    truth = np.asarray(CLASSES, dtype=object)[rng.integers(0, 3, 500)]
    calibrated = Temperature().fit(proba, truth, CLASSES).transform(proba)
    np.testing.assert_array_equal(calibrated.argmax(axis=1), proba.argmax(axis=1))
    np.testing.assert_allclose(calibrated.sum(axis=1), 1.0)


def test_an_underconfident_model_is_warmed() -> None:
    proba, truth = overconfident(4000, right=0.95, confidence=0.6, seed=2)
    assert Temperature().fit(proba, truth, CLASSES).temperature_ < 1


def test_labels_outside_the_columns_are_refused() -> None:
    proba, _ = overconfident(10, right=1.0, confidence=0.9)
    with pytest.raises(ParameterError, match=r"Labels \['Q'\] are not among"):
        Temperature().fit(proba, ["Q"] * 10, CLASSES)


def test_transform_before_fit_is_refused() -> None:
    with pytest.raises(ParameterError, match="not fitted yet"):
        Temperature().transform([[0.5, 0.5]])


def test_a_single_prediction_is_too_few() -> None:
    with pytest.raises(ParameterError, match=r"n >= 2\. Got shape \(1, 3\)"):
        Temperature().fit([[0.2, 0.3, 0.5]], ["X"], CLASSES)


def test_reliability_bins_hold_the_confidence_accuracy_and_count() -> None:
    proba, truth = overconfident(3000, right=0.7, confidence=0.97, seed=3)
    table = reliability(proba, truth, CLASSES)
    assert table.shape == (1, 3)  # every prediction in the 0.9-1.0 bin
    assert table[0, 0] == pytest.approx(0.97)
    assert table[0, 1] == pytest.approx(0.7, abs=0.03)
    assert table[0, 2] == 3000
