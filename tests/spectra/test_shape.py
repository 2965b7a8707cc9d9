from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.spectra.shape import remove_slope, slope, smooth

GRID = np.linspace(0.45, 0.92, 48)


def cubic(x: np.ndarray) -> np.ndarray:
    return 1 + 0.3 * x - 0.8 * x**2 + 0.5 * x**3


# --- slope ---------------------------------------------------------------------------
def test_slope_of_lines_through_unity_is_their_gradient() -> None:
    gammas = np.array([-0.5, 0.0, 0.25, 1.5])
    values = 1 + gammas[:, np.newaxis] * (GRID - 0.55)
    result = slope(GRID, values)
    assert result.shape == (4,)
    np.testing.assert_allclose(result, gammas, atol=1e-12)
    assert slope(GRID, values[2]).shape == ()


def test_slope_is_the_least_squares_fit_through_unity(rng: np.random.Generator) -> None:
    # γ = Σ w x (R - 1) / Σ w x², x = λ - λ0 (Bus & Binzel 2002, weighted by 1/σ²).
    values = 1 + 0.4 * (GRID - 0.6) + rng.normal(0, 0.02, GRID.size)
    sigma = rng.uniform(0.01, 0.05, GRID.size)
    x, w = GRID - 0.6, sigma**-2
    expected = np.sum(w * x * (values - 1)) / np.sum(w * x**2)
    assert float(slope(GRID, values, at=0.6, error=sigma)) == pytest.approx(expected, rel=1e-12)
    unweighted = np.sum(x * (values - 1)) / np.sum(x**2)
    assert float(slope(GRID, values, at=0.6)) == pytest.approx(unweighted, rel=1e-12)


def test_slope_weights_ignore_samples_with_huge_errors() -> None:
    values = 1 + 0.3 * (GRID - 0.55)
    values[-1] = 5.0  # an outlier...
    sigma = np.full(GRID.size, 0.01)
    sigma[-1] = 1e6  # ...with an enormous error
    assert float(slope(GRID, values, error=sigma)) == pytest.approx(0.3, abs=1e-9)


@pytest.mark.parametrize("bad", [0.0, -0.01])
def test_slope_with_non_positive_errors_raises(bad: float) -> None:
    sigma = np.full(GRID.size, 0.01)
    sigma[3] = bad
    with pytest.raises(SpectrumError, match="needs positive errors; got 1 zero or negative"):
        slope(GRID, np.ones(GRID.size), error=sigma)


# --- remove_slope --------------------------------------------------------------------
def test_remove_slope_of_pure_slopes_gives_ones() -> None:
    gammas = np.array([-0.5, 0.0, 0.8])
    values = 1 + gammas[:, np.newaxis] * (GRID - 0.55)
    sigma = np.full(values.shape, 0.02)
    out = remove_slope(GRID, values, error=sigma)
    np.testing.assert_allclose(out.reflectance, 1.0, rtol=1e-12)
    # Errors are divided by the same line.
    assert out.error is not None
    np.testing.assert_allclose(out.error, 0.02 / values, rtol=1e-12)


def test_remove_slope_leaves_an_even_feature_exactly() -> None:
    # On a grid symmetric about 0.55 µm, an even feature d(x) adds nothing to Σ x (R - 1),
    # so R = 1 + γx + d has fitted slope γ exactly and R / (1 + γx) = 1 + d / (1 + γx).
    wavelength = np.linspace(0.40, 0.70, 31)
    x = wavelength - 0.55
    feature = -0.05 * np.exp(-((x / 0.05) ** 2))
    values = 1 + 0.6 * x + feature
    assert float(slope(wavelength, values)) == pytest.approx(0.6, abs=1e-12)
    out = remove_slope(wavelength, values)
    np.testing.assert_allclose(out.reflectance, 1 + feature / (1 + 0.6 * x), rtol=1e-12)


def test_remove_slope_with_a_line_crossing_zero_raises() -> None:
    # 1 + 3(λ - 0.55) is negative below 0.22 µm.
    wavelength = np.linspace(0.2, 0.9, 15)
    with pytest.raises(SpectrumError, match="slope line is not positive over the whole grid"):
        remove_slope(wavelength, 1 + 3 * (wavelength - 0.55))


# --- smooth --------------------------------------------------------------------------
@pytest.mark.parametrize("lam", [None, 0.0, 1e-6, 1e-2, 1.0])
def test_smooth_reproduces_a_line(lam: float | None) -> None:
    # A cubic smoothing spline penalises the second derivative; a line has none.
    values = 1 + 0.5 * (GRID - 0.55)
    np.testing.assert_allclose(smooth(GRID, values, lam=lam), values, rtol=1e-8)


def test_smooth_with_zero_lambda_interpolates(rng: np.random.Generator) -> None:
    values = rng.uniform(0.8, 1.2, GRID.size)
    np.testing.assert_allclose(smooth(GRID, values, lam=0.0), values, atol=1e-12)


def test_smooth_rows_independently(rng: np.random.Generator) -> None:
    values = 1 + 0.3 * (GRID - 0.55) + rng.normal(0, 0.02, (3, GRID.size))
    together = smooth(GRID, values)
    assert together.shape == (3, GRID.size)
    for row, expected in zip(values, together, strict=True):
        np.testing.assert_allclose(smooth(GRID, row), expected, rtol=1e-12)


def test_smooth_reduces_noise(rng: np.random.Generator) -> None:
    truth = cubic(GRID)
    noisy = truth + rng.normal(0, 0.01, GRID.size)
    smoothed = smooth(GRID, noisy)
    assert np.sqrt(np.mean((smoothed - truth) ** 2)) < 0.6 * np.sqrt(np.mean((noisy - truth) ** 2))


def test_smooth_errors_down_weight_an_outlier() -> None:
    truth = 1 + 0.5 * (GRID - 0.55)
    values = truth.copy()
    values[20] += 0.2
    sigma = np.full(GRID.size, 0.01)
    sigma[20] = 10.0
    unweighted = smooth(GRID, values, lam=1e-4)
    weighted = smooth(GRID, values, lam=1e-4, error=sigma)
    assert abs(unweighted[20] - truth[20]) > 0.01
    assert abs(weighted[20] - truth[20]) < 1e-4


@pytest.mark.parametrize(
    ("size", "kwargs", "match"),
    [
        (4, {}, "Smoothing needs at least 5 samples; got 4"),
        (10, {"lam": -1.0}, r"'lam' parameter of smooth must be a non-negative .* Got -1\.0"),
        (10, {"lam": float("nan")}, r"'lam' parameter of smooth .* Got nan instead"),
        (10, {"error": np.r_[0.0, np.full(9, 0.01)]}, "needs positive errors; got 1 zero"),
    ],
)
def test_smooth_rejects_bad_input(size: int, kwargs: dict[str, object], match: str) -> None:
    wavelength = np.linspace(0.5, 0.9, size)
    with pytest.raises(SpectrumError, match=match):
        smooth(wavelength, np.ones(size), **kwargs)  # type: ignore[arg-type]
