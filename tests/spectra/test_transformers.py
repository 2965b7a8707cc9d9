from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline

from asteroid_spectra.exceptions import CoverageError, SpectrumError
from asteroid_spectra.spectra import preprocess, shape
from asteroid_spectra.spectra.transformers import (
    Derivative,
    Normaliser,
    Resampler,
    SlopeFeature,
    SlopeRemover,
    Smoother,
)

GRID = np.round(np.linspace(0.44, 0.92, 49), 2)


@pytest.fixture
def spectra(rng: np.random.Generator) -> np.ndarray:
    """Ten sloped, slightly noisy spectra on GRID, about unity at 0.55 µm."""
    gamma = rng.uniform(-0.3, 1.0, (10, 1))
    return 1 + gamma * (GRID - 0.55) + rng.normal(0, 1e-4, (10, GRID.size))


@pytest.fixture
def scaled(spectra: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same spectra times a random albedo-like scale per row."""
    return spectra * rng.uniform(0.05, 0.3, (10, 1))


ALL = [
    Resampler(GRID, grid=np.linspace(0.5, 0.9, 5)),
    Normaliser(GRID),
    SlopeRemover(GRID),
    SlopeFeature(GRID),
    Smoother(GRID, lam=1e-4),
    Derivative(GRID),
    Derivative(GRID, order=2),
]


def ids(estimator: object) -> str:
    order = getattr(estimator, "order", None)
    return type(estimator).__name__ + ("" if order is None else str(order))


# --- the estimator contract ----------------------------------------------------------
@pytest.mark.parametrize("estimator", ALL, ids=ids)
def test_fit_returns_self_and_learns_the_width(estimator: Normaliser, spectra: np.ndarray) -> None:
    fresh = clone(estimator)
    assert fresh.fit(spectra) is fresh
    assert fresh.n_features_in_ == GRID.size


@pytest.mark.parametrize("estimator", ALL, ids=ids)
def test_clone_and_params(estimator: Normaliser) -> None:
    params = estimator.get_params()
    assert params["wavelength"] is GRID  # __init__ stores its arguments unchanged
    copy = clone(estimator)
    assert copy is not estimator
    assert type(copy) is type(estimator)
    for name, value in copy.get_params().items():
        np.testing.assert_array_equal(value, params[name])


def test_set_params_changes_the_transform(spectra: np.ndarray) -> None:
    normaliser = Normaliser(GRID)
    assert normaliser.set_params(at=0.7) is normaliser
    assert normaliser.get_params()["at"] == 0.7
    out = normaliser.fit_transform(spectra)
    np.testing.assert_allclose(out[:, np.flatnonzero(GRID == 0.7)[0]], 1.0, rtol=1e-12)


def test_clone_of_a_fitted_transformer_is_unfitted(spectra: np.ndarray) -> None:
    fitted = SlopeRemover(GRID, at=0.6).fit(spectra)
    copy = clone(fitted)
    assert copy.get_params()["at"] == 0.6
    assert not hasattr(copy, "n_features_in_")
    with pytest.raises(NotFittedError):
        copy.transform(spectra)


@pytest.mark.parametrize("estimator", ALL, ids=ids)
def test_transform_before_fit_raises_not_fitted(estimator: Normaliser, spectra: np.ndarray) -> None:
    with pytest.raises(NotFittedError, match="not fitted yet"):
        clone(estimator).transform(spectra)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        clone(estimator).get_feature_names_out()


@pytest.mark.parametrize("estimator", ALL, ids=ids)
def test_grid_and_columns_must_match(estimator: Normaliser, spectra: np.ndarray) -> None:
    name = type(estimator).__name__
    with pytest.raises(
        SpectrumError,
        match=rf"'wavelength' parameter of {name} must have one value per column of X\. "
        r"Got 49 wavelengths for 48 columns instead\.",
    ):
        clone(estimator).fit(spectra[:, :-1])


def test_a_two_dimensional_grid_raises(spectra: np.ndarray) -> None:
    with pytest.raises(
        SpectrumError, match=r"'wavelength' parameter of Normaliser must be a 1-D grid in µm\. "
    ):
        Normaliser(GRID[np.newaxis, :]).fit(spectra)


def test_transform_checks_the_width_learnt_in_fit(spectra: np.ndarray) -> None:
    normaliser = Normaliser(GRID).fit(spectra)
    with pytest.raises(ValueError, match="X has 48 features, but Normaliser is expecting 49"):
        normaliser.transform(spectra[:, :-1])


@pytest.mark.parametrize("estimator", ALL, ids=ids)
def test_transform_does_not_modify_x(estimator: Normaliser, spectra: np.ndarray) -> None:
    before = spectra.copy()
    out = clone(estimator).fit_transform(spectra)
    np.testing.assert_array_equal(spectra, before)
    assert not np.shares_memory(out, spectra)


# --- what each transformer computes --------------------------------------------------
def test_normaliser_gives_unity_at_055(scaled: np.ndarray) -> None:
    out = Normaliser(GRID).fit_transform(scaled)
    column = np.flatnonzero(GRID == 0.55)[0]
    np.testing.assert_allclose(out[:, column], 1.0, rtol=1e-12)
    # Each row is divided by its own value at 0.55 µm (a grid point: no interpolation).
    np.testing.assert_allclose(out, scaled / scaled[:, [column]], rtol=1e-12)


def test_normaliser_with_a_window_divides_by_the_window_mean(scaled: np.ndarray) -> None:
    out = Normaliser(GRID, at=0.55, window=0.015).fit_transform(scaled)
    # ±0.015 µm around 0.55 holds 0.54, 0.55 and 0.56.
    inside = np.abs(GRID - 0.55) <= 0.015
    assert inside.sum() == 3
    np.testing.assert_allclose(out, scaled / scaled[:, inside].mean(axis=1, keepdims=True))


def test_normaliser_outside_the_grid_raises_at_transform(spectra: np.ndarray) -> None:
    with pytest.raises(CoverageError, match=r"Cannot normalise at 1\.2 µm"):
        Normaliser(GRID, at=1.2).fit_transform(spectra)


def test_slope_remover_after_normaliser_flattens_pure_slopes(scaled: np.ndarray) -> None:
    # scale · (1 + γ(λ - 0.55)) normalised is 1 + γ(λ - 0.55); dividing by the slope
    # line leaves ones (up to the 1e-4 noise).
    out = make_pipeline(Normaliser(GRID), SlopeRemover(GRID)).fit_transform(scaled)
    np.testing.assert_allclose(out, 1.0, atol=1e-3)


def test_slope_remover_without_normalising_first_can_fail(scaled: np.ndarray) -> None:
    # The slope line assumes unity at 0.55 µm; at a 5-30 % scale it is far off.
    with pytest.raises(SpectrumError, match="slope line is not positive over the whole grid"):
        SlopeRemover(GRID).fit_transform(scaled)


def test_slope_feature_returns_the_gradient(rng: np.random.Generator) -> None:
    gamma = rng.uniform(-0.5, 1.5, 7)
    X = 1 + gamma[:, np.newaxis] * (GRID - 0.55)
    feature = SlopeFeature(GRID).fit(X)
    out = feature.transform(X)
    assert out.shape == (7, 1)
    np.testing.assert_allclose(out[:, 0], gamma, atol=1e-12)
    assert feature.get_feature_names_out().tolist() == ["slope"]


def test_resampler_matches_the_function_and_names_the_new_grid(spectra: np.ndarray) -> None:
    target = np.array([0.5, 0.6, 0.7, 0.8, 0.9])
    resampler = Resampler(GRID, grid=target, method="linear").fit(spectra)
    out = resampler.transform(spectra)
    assert out.shape == (10, 5)
    # On-grid targets with linear interpolation pick the samples themselves.
    columns = [np.flatnonzero(np.isclose(GRID, w))[0] for w in target]
    np.testing.assert_allclose(out, spectra[:, columns], rtol=1e-12)
    assert resampler.get_feature_names_out().tolist() == [
        "reflectance_0.5000",
        "reflectance_0.6000",
        "reflectance_0.7000",
        "reflectance_0.8000",
        "reflectance_0.9000",
    ]


def test_resampler_is_exact_for_cubics_with_the_spline() -> None:
    X = np.stack([1 + 0.2 * GRID**3, 2 - GRID + GRID**2])
    target = np.linspace(0.45, 0.91, 24)
    out = Resampler(GRID, grid=target, method="spline").fit_transform(X)
    np.testing.assert_allclose(out, [1 + 0.2 * target**3, 2 - target + target**2], rtol=1e-12)


def test_resampler_beyond_the_grid_raises_coverage_error(spectra: np.ndarray) -> None:
    with pytest.raises(CoverageError, match=r"covers 0\.44-0\.92 µm; resampling needs 0\.4-0\.9"):
        Resampler(GRID, grid=[0.4, 0.9]).fit_transform(spectra)


def test_smoother_matches_the_function(spectra: np.ndarray) -> None:
    out = Smoother(GRID, lam=1e-4).fit_transform(spectra)
    np.testing.assert_allclose(out, shape.smooth(GRID, spectra, lam=1e-4), rtol=1e-12)


def test_feature_names_of_grid_transformers() -> None:
    X = np.ones((2, GRID.size))
    names = Normaliser(GRID).fit(X).get_feature_names_out()
    assert names.shape == (49,)
    assert names[0] == "reflectance_0.4400"
    assert names[-1] == "reflectance_0.9200"
    pipeline = make_pipeline(Normaliser(GRID), SlopeFeature(GRID)).fit(X)
    assert pipeline.get_feature_names_out().tolist() == ["slope"]


# p(λ) = 0.3 + 1.2 λ - 0.8 λ²: p' = 1.2 - 1.6 λ (µm⁻¹), p'' = -1.6 (µm⁻²). Central
# differences are exact for quadratics, also on an uneven grid (np.gradient's second-order
# formula); the one-sided differences at the grid edges are only first-order accurate.
UNEVEN = np.cumsum(np.r_[0.44, np.tile([0.005, 0.01, 0.015], 10)])


@pytest.mark.parametrize("grid", [GRID, UNEVEN], ids=["smass2", "uneven"])
def test_derivatives_of_a_quadratic_are_exact_inside_the_grid(grid: np.ndarray) -> None:
    X = np.stack([0.3 + 1.2 * grid - 0.8 * grid**2, 2 * (0.3 + 1.2 * grid - 0.8 * grid**2)])
    first = Derivative(grid).fit_transform(X)
    second = Derivative(grid, order=2).fit_transform(X)
    assert first.shape == second.shape == X.shape
    np.testing.assert_allclose(first[0, 1:-1], 1.2 - 1.6 * grid[1:-1], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(second[0, 2:-2], -1.6, rtol=1e-9)
    np.testing.assert_allclose(first[1], 2 * first[0], rtol=1e-12)  # linear in the spectrum
    # At the edges the one-sided difference is off by about p'' h / 2.
    assert first[0, 0] != pytest.approx(1.2 - 1.6 * grid[0], abs=1e-6)
    assert first[0, 0] == pytest.approx(1.2 - 1.6 * grid[0], abs=1.6 * 0.02)


def test_derivative_of_a_slope_is_the_slope_everywhere() -> None:
    sloped = 1 + np.array([[0.2], [-0.4]]) * (GRID - 0.55)
    np.testing.assert_allclose(Derivative(GRID).fit_transform(sloped), [[0.2] * 49, [-0.4] * 49])
    np.testing.assert_allclose(Derivative(GRID, order=2).fit_transform(sloped), 0.0, atol=1e-9)


@pytest.mark.parametrize("order", [0, 3, 1.5])
def test_derivative_order_must_be_one_or_two(order: float, spectra: np.ndarray) -> None:
    derivative = Derivative(GRID, order=order).fit(spectra)  # type: ignore[arg-type]
    with pytest.raises(
        SpectrumError, match=rf"The 'order' parameter of Derivative must be 1 or 2\. Got {order}"
    ):
        derivative.transform(spectra)


@pytest.mark.parametrize(("order", "prefix"), [(1, "derivative1"), (2, "derivative2")])
def test_derivative_feature_names(order: int, prefix: str, spectra: np.ndarray) -> None:
    names = Derivative(GRID, order=order).fit(spectra).get_feature_names_out()
    assert names[0] == f"{prefix}_0.4400"
    assert names[-1] == f"{prefix}_0.9200"
    assert names.shape == (49,)


# --- in a model ----------------------------------------------------------------------
def test_pipeline_finds_the_band_under_random_scale_and_slope(rng: np.random.Generator) -> None:
    # Class 1 has a 1-µm band (a Gaussian dip at 0.9 µm, depth 5-15 %); both classes have
    # random scale, random slope and 1 % noise, which Normaliser + SlopeRemover remove.
    n = 60
    labels = np.repeat([0, 1], n // 2)
    scale = rng.uniform(0.05, 0.4, (n, 1))
    gamma = rng.uniform(-0.2, 1.2, (n, 1))
    depth = np.where(labels == 1, rng.uniform(0.05, 0.15, n), 0.0)[:, np.newaxis]
    band = 1 - depth * np.exp(-(((GRID - 0.9) / 0.06) ** 2))
    X = scale * (1 + gamma * (GRID - 0.55)) * band * (1 + rng.normal(0, 0.01, (n, GRID.size)))
    pipeline = Pipeline(
        [
            ("normalise", Normaliser(GRID)),
            ("remove_slope", SlopeRemover(GRID)),
            ("classify", LogisticRegression(C=100.0, max_iter=2000)),
        ]
    )
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = cross_val_score(pipeline, X, labels, cv=folds)
    assert scores.shape == (5,)
    assert scores.mean() > 0.9  # chance is 0.5


def test_pipeline_params_route_to_steps(spectra: np.ndarray) -> None:
    pipeline = make_pipeline(Normaliser(GRID), SlopeFeature(GRID))
    pipeline.set_params(normaliser__at=0.7, slopefeature__at=0.7)
    out = pipeline.fit_transform(spectra)
    expected = shape.slope(GRID, preprocess.normalise(GRID, spectra, at=0.7).reflectance, at=0.7)
    np.testing.assert_allclose(out[:, 0], expected, rtol=1e-12)
