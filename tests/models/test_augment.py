"""AugmentedClassifier: perturbed copies at fit time, plain delegation at predict time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.augment import AugmentedClassifier
from asteroid_spectra.models.classical import calibrated, make_svm
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.schema import SMASS2_WAVELENGTH
from asteroid_spectra.spectra.shape import slope

GRID = np.asarray(SMASS2_WAVELENGTH)


# The checks' data are not spectra: no wavelengths, so only noise augmentation.
@parametrize_with_checks(
    [AugmentedClassifier(LogisticRegression(), copies=2, max_slope=0.0, random_state=0)],
    xfail_strict=True,
)
def test_sklearn_conformance(estimator: AugmentedClassifier, check: Any) -> None:
    check(estimator)


class Recorder(LogisticRegression):
    """Logistic regression that keeps what it was fitted on."""

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Recorder:
        self.X_seen_, self.y_seen_, self.weight_seen_ = X, y, sample_weight
        return super().fit(X, y, sample_weight=sample_weight)


def flat_spectra(n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    X = np.ones((n, GRID.size))
    y = np.array(["C", "S"] * (n // 2))
    return X, y


def test_copies_are_tilted_within_the_slope_bound_and_noisy() -> None:
    X, y = flat_spectra()
    model = AugmentedClassifier(
        Recorder(), wavelength=GRID, copies=3, max_slope=0.1, min_snr=100, random_state=0
    ).fit(X, y)
    seen = model.estimator_.X_seen_
    assert seen.shape == (80, GRID.size)
    np.testing.assert_array_equal(seen[:20], X)  # the originals come first
    slopes = slope(GRID, seen[20:])
    assert np.all(np.abs(slopes) <= 0.1 + 0.03)  # bound + noise of SNR >= 100
    assert np.std(slopes) > 0.03  # uniform in [-0.1, 0.1]: std 0.058
    assert model.estimator_.y_seen_.tolist() == y.tolist() * 4


def test_red_ends_are_bent_within_their_bound_and_blue_sides_kept() -> None:
    X, y = flat_spectra()
    model = AugmentedClassifier(
        Recorder(),
        wavelength=GRID,
        copies=3,
        max_slope=0.0,
        max_red=0.4,
        min_snr=np.inf,
        random_state=0,
    ).fit(X, y)
    copies = model.estimator_.X_seen_[20:]
    np.testing.assert_array_equal(copies[:, GRID <= 0.75], 1.0)
    red = copies[:, GRID == 0.92][:, 0] - 1
    assert np.all(np.abs(red) <= 0.4 * 0.17 + 1e-12)
    assert np.std(red) > 0.02  # uniform in [-0.068, 0.068]: std 0.039


def test_a_negative_red_bound_is_refused() -> None:
    X, y = flat_spectra()
    with pytest.raises(ParameterError, match="'max_red' parameter of AugmentedClassifier"):
        AugmentedClassifier(Recorder(), wavelength=GRID, max_red=-0.1).fit(X, y)


def test_per_sample_fit_parameters_are_repeated_for_the_copies() -> None:
    X, y = flat_spectra()
    weight = np.arange(20.0)
    model = AugmentedClassifier(Recorder(), wavelength=GRID, copies=2, random_state=0)
    model.fit(X, y, sample_weight=weight)
    assert model.estimator_.weight_seen_.tolist() == weight.tolist() * 3


def test_no_copies_fits_the_data_as_given() -> None:
    X, y = flat_spectra()
    model = AugmentedClassifier(Recorder(), copies=0).fit(X, y)
    np.testing.assert_array_equal(model.estimator_.X_seen_, X)


def test_same_seed_same_model() -> None:
    rng = np.random.default_rng(0)
    X = 1 + np.outer(rng.uniform(0, 1, 40), GRID - 0.55)
    y = np.where(X[:, -1] > 1.18, "S", "C")
    first = AugmentedClassifier(SVC(), wavelength=GRID, random_state=4)
    second = clone(first)
    np.testing.assert_array_equal(
        first.fit(X, y).decision_function(X), second.fit(X, y).decision_function(X)
    )


def test_decision_function_only_when_the_estimator_has_one() -> None:
    model = AugmentedClassifier(make_pipeline(StandardScaler(), LogisticRegression()), copies=0)
    assert hasattr(model, "decision_function")
    from sklearn.neighbors import KNeighborsClassifier

    assert not hasattr(AugmentedClassifier(KNeighborsClassifier()), "decision_function")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"copies": -1}, r"The 'copies' parameter of AugmentedClassifier must be an int >= 0"),
        ({"max_slope": -0.1}, r"The 'max_slope' parameter .* must be >= 0\. Got -0\.1"),
        ({"min_snr": 0.0}, r"The 'min_snr' parameter .* must be > 0\. Got 0\.0"),
        ({"wavelength": None}, r"needs the 'wavelength' of the columns to change slopes"),
        ({"wavelength": GRID[:10]}, r"one value per feature \(49\)\. Got shape \(10,\)"),
    ],
)
def test_bad_parameters_are_refused_at_fit(params: dict[str, Any], message: str) -> None:
    X, y = flat_spectra()
    model = AugmentedClassifier(LogisticRegression(), **{"wavelength": GRID, **params})
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)


def test_works_inside_calibration_and_grouping_in_cross_validation() -> None:
    rng = np.random.default_rng(1)
    slopes = np.r_[rng.normal(0.0, 0.05, 30), rng.normal(0.3, 0.05, 30), rng.normal(0.9, 0.05, 30)]
    X = 1 + np.outer(slopes, GRID - 0.55) + rng.normal(0, 0.005, (90, GRID.size))
    fine = np.array(["C"] * 30 + ["X"] * 30 + ["S"] * 30)
    svm = make_svm(scaling=None, C=30.0, gamma=10.0, components=4, calibrate=False)
    model = GroupedClassifier(
        calibrated(AugmentedClassifier(svm, wavelength=GRID, copies=2, max_slope=0.05)),
        target="main-group",
    )
    scores = cross_val_score(model, X, fine, cv=StratifiedKFold(3, shuffle=True, random_state=0))
    assert scores.mean() >= 0.95
