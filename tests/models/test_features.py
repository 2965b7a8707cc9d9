"""spectral_features: a FeatureUnion of reflectance, slope, slope-removed, derivative, PCA."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from asteroid_spectra.models.features import FEATURES, spectral_features


@pytest.fixture(scope="module")
def sloped(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pure slopes 1 + γ (λ - 0.55) and their γ (µm⁻¹)."""
    gamma = np.linspace(-0.4, 1.6, 12)
    return 1 + gamma[:, np.newaxis] * (grid - 0.55), gamma


def test_feature_names() -> None:
    assert FEATURES == ("reflectance", "slope", "slope-removed", "derivative", "pca")


@pytest.mark.parametrize(
    ("kinds", "width"),
    [
        (["reflectance"], 49),
        (["slope"], 1),
        (["slope-removed"], 49),
        (["derivative"], 49),
        (["pca"], 10),
        (["reflectance", "slope"], 50),
        (list(FEATURES), 49 + 1 + 49 + 49 + 10),
    ],
)
def test_output_width(kinds: list[str], width: int, train: Any) -> None:
    union = spectral_features(train.wavelength, kinds)
    assert isinstance(union, FeatureUnion)
    assert [name for name, _ in union.transformer_list] == kinds
    assert union.fit_transform(train.X).shape == (180, width)


def test_blocks_compute_their_features(sloped: tuple[np.ndarray, np.ndarray], grid: Any) -> None:
    X, gamma = sloped
    out = spectral_features(grid, ["reflectance", "slope", "slope-removed", "derivative"])
    values = out.fit_transform(X)
    np.testing.assert_array_equal(values[:, :49], X)  # passthrough
    np.testing.assert_allclose(values[:, 49], gamma, atol=1e-12)  # the slope, µm⁻¹
    np.testing.assert_allclose(values[:, 50:99], 1.0, atol=1e-12)  # nothing but the slope
    np.testing.assert_allclose(values[:, 99:], gamma[:, np.newaxis] * np.ones(49), atol=1e-9)


def test_pca_is_fitted_on_the_training_data_only(train: Any, held_out: Any) -> None:
    union = spectral_features(train.wavelength, ["pca"], n_components=3).fit(train.X)
    expected = PCA(3).fit(train.X).transform(held_out.X)
    np.testing.assert_allclose(union.transform(held_out.X), expected, rtol=1e-8, atol=1e-10)


def test_features_feed_a_classifier(train: Any, held_out: Any) -> None:
    pipeline = make_pipeline(
        spectral_features(train.wavelength, ["slope", "pca"], n_components=5),
        LogisticRegression(max_iter=2000),
    )
    assert pipeline.fit(train.X, train.y).score(held_out.X, held_out.y) >= 0.9


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        (
            ["reflectance", "fft"],
            r"Unknown feature block 'fft'; expected one of reflectance, slope, slope-removed, "
            r"derivative, pca\.",
        ),
        ([], r"The 'kinds' parameter of spectral_features must name at least one block\."),
    ],
)
def test_invalid_blocks_raise(kinds: list[str], message: str, grid: np.ndarray) -> None:
    with pytest.raises(ValueError, match=message):
        spectral_features(grid, kinds)
