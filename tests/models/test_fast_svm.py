"""FastSVC computes scikit-learn's SVC decision function, only faster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skops.io as sio
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from asteroid_spectra.models.fast_svm import FastSVC


@pytest.fixture
def blobs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    centres = rng.normal(0, 1, (7, 6))
    labels = np.repeat(np.arange(7), 30)
    X = centres[labels] + rng.normal(0, 0.8, (len(labels), 6))  # overlapping classes
    return X, labels


@pytest.mark.parametrize("n_classes", [2, 3, 7])
@pytest.mark.parametrize("gamma", [0.1, "scale"])
def test_decision_function_equals_scikit_learn(
    blobs: tuple[np.ndarray, np.ndarray], n_classes: int, gamma: float | str
) -> None:
    X, labels = blobs
    keep = labels < n_classes
    X, y = X[keep], np.asarray([f"class{k}" for k in labels[keep]])
    reference = SVC(C=3.0, gamma=gamma).fit(X, y)
    fast = FastSVC(C=3.0, gamma=gamma).fit(X, y)
    np.testing.assert_allclose(
        fast.decision_function(X), reference.decision_function(X), rtol=0, atol=1e-9
    )
    expected = (X.shape[0],) if n_classes == 2 else (X.shape[0], n_classes)
    assert fast.decision_function(X).shape == expected


def test_decision_function_is_the_same_in_chunks(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    # More rows than one chunk (2048): the chunked loop must stitch rows back in order.
    X, y = blobs
    fast = FastSVC(C=3.0).fit(X, y)
    many = np.resize(X, (5000, X.shape[1]))
    reference = SVC(C=3.0).fit(X, y).decision_function(many)
    np.testing.assert_allclose(fast.decision_function(many), reference, atol=1e-9)


def test_predict_is_the_largest_decision(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = blobs
    fast = FastSVC(C=3.0).fit(X, y)
    reference = SVC(C=3.0, break_ties=True).fit(X, y)
    np.testing.assert_array_equal(fast.predict(X), reference.predict(X))
    np.testing.assert_array_equal(
        fast.predict(X), fast.classes_[np.argmax(fast.decision_function(X), axis=1)]
    )


def test_binary_predict(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    X, labels = blobs
    keep = labels < 2
    y = np.where(labels[keep] == 0, "X", "rest")
    fast = FastSVC().fit(X[keep], y)
    np.testing.assert_array_equal(fast.predict(X[keep]), SVC().fit(X[keep], y).predict(X[keep]))


@pytest.mark.parametrize(("kernel", "shape"), [("linear", "ovr"), ("rbf", "ovo")])
def test_other_kernels_and_shapes_fall_back_to_scikit_learn(
    blobs: tuple[np.ndarray, np.ndarray], kernel: str, shape: str
) -> None:
    X, y = blobs
    fast = FastSVC(kernel=kernel, decision_function_shape=shape).fit(X, y)
    reference = SVC(kernel=kernel, decision_function_shape=shape).fit(X, y)
    np.testing.assert_array_equal(fast.decision_function(X), reference.decision_function(X))
    np.testing.assert_array_equal(fast.predict(X), reference.predict(X))


def test_refitting_refreshes_the_cached_tables(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = blobs
    fast = FastSVC(C=3.0).fit(X, y)
    fast.decision_function(X[:5])
    fast.fit(X[::2], y[::2])
    reference = SVC(C=3.0).fit(X[::2], y[::2])
    np.testing.assert_allclose(fast.decision_function(X), reference.decision_function(X), atol=1e-9)


def test_saved_after_use_without_its_cache(
    blobs: tuple[np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    X, y = blobs
    fast = FastSVC(C=3.0).fit(X, y)
    before = fast.decision_function(X)
    sio.dump(fast, tmp_path / "svc.skops")
    assert "builtins.slice" not in sio.get_untrusted_types(file=tmp_path / "svc.skops")
    loaded = sio.load(tmp_path / "svc.skops", trusted=["asteroid_spectra.models.fast_svm.FastSVC"])
    np.testing.assert_array_equal(loaded.decision_function(X), before)


@parametrize_with_checks(
    [FastSVC(C=3.0)],
    expected_failed_checks=lambda estimator: {
        "check_sample_weight_equivalence_on_dense_data": (
            "as for scikit-learn's SVC: libsvm stops at a tolerance, so weighting and "
            "repeating samples agree only to ~1e-3"
        ),
        "check_sample_weight_equivalence_on_sparse_data": "as above, for sparse input",
    },
)
def test_sklearn_conformance(estimator: FastSVC, check: Any) -> None:
    check(estimator)
