from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.exceptions import CoverageError, SpectrumError
from asteroid_spectra.spectra.preprocess import band_edges, normalise, resample


def cubic(x: np.ndarray) -> np.ndarray:
    return 1 + 0.3 * x - 0.8 * x**2 + 0.5 * x**3


# --- band_edges ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("centres", "edges"),
    [
        ([0.5, 0.6, 0.8], [0.45, 0.55, 0.7, 0.9]),
        ([0.5, 0.6], [0.45, 0.55, 0.65]),
        ([1.0, 2.0, 3.0, 4.0], [0.5, 1.5, 2.5, 3.5, 4.5]),
    ],
)
def test_band_edges(centres: list[float], edges: list[float]) -> None:
    np.testing.assert_allclose(band_edges(centres), edges, rtol=1e-12)


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ([0.5], r"at least 2 values; got \(1,\)"),
        ([[0.5, 0.6]], r"1-D with at least 2 values; got \(1, 2\)"),
        ([0.6, 0.5], "finite and strictly increasing"),
        ([0.5, 0.5, 0.6], "finite and strictly increasing"),
        ([0.5, np.nan], "finite and strictly increasing"),
    ],
)
def test_band_edges_rejects_bad_grids(grid: list[float], match: str) -> None:
    with pytest.raises(SpectrumError, match=match):
        band_edges(grid)


# --- resample: bands -----------------------------------------------------------------
def test_bands_of_a_line_on_an_aligned_grid_give_the_line_at_the_centres(
    dense_grid: np.ndarray,
) -> None:
    # A uniform source whose samples sit on the band edges is symmetric about each
    # centre, so the mean of 1 + 2λ is 1 + 2 * centre.
    grid = np.array([0.45, 0.55, 0.65, 0.75, 0.85, 0.95])
    out = resample(dense_grid, 1 + 2 * dense_grid, grid, method="bands")
    np.testing.assert_allclose(out.reflectance, 1 + 2 * grid, rtol=1e-12)
    assert out.error is None


def test_bands_of_a_line_give_the_line_at_the_mean_sample_wavelength(
    rng: np.random.Generator,
) -> None:
    # On an irregular source the band mean of a line is the line at the mean of the
    # wavelengths inside the band.
    source = np.sort(rng.uniform(0.40, 1.00, 2000))
    grid = np.array([0.5, 0.6, 0.7, 0.8])
    out = resample(source, 3 - source, grid, method="bands")
    bands = [(0.45, 0.55), (0.55, 0.65), (0.65, 0.75), (0.75, 0.85)]
    expected = [3 - source[(source >= lo) & (source <= hi)].mean() for lo, hi in bands]
    np.testing.assert_allclose(out.reflectance, expected, rtol=1e-12)


def test_bands_propagate_errors_as_root_sum_of_squares_over_n(rng: np.random.Generator) -> None:
    source = np.sort(rng.uniform(0.40, 1.00, 500))
    values = rng.uniform(0.8, 1.2, 500)
    sigma = rng.uniform(0.005, 0.05, 500)
    grid = np.array([0.5, 0.7, 0.9])  # bands 0.4-0.6, 0.6-0.8, 0.8-1.0
    out = resample(source, values, grid, method="bands", error=sigma)
    assert out.error is not None
    for k, (lo, hi) in enumerate([(0.4, 0.6), (0.6, 0.8), (0.8, 1.0)]):
        inside = (source >= lo) & (source <= hi)
        n = inside.sum()
        assert out.reflectance[k] == pytest.approx(values[inside].mean(), rel=1e-12)
        assert out.error[k] == pytest.approx(np.sqrt(np.sum(sigma[inside] ** 2)) / n, rel=1e-12)


def test_a_sample_on_an_edge_counts_in_both_bands() -> None:
    # Edges 0.45 | 0.55 | 0.65: the sample at 0.55 belongs to both bands.
    out = resample(
        [0.45, 0.5, 0.55, 0.6, 0.65], [1.0, 2.0, 3.0, 4.0, 5.0], [0.5, 0.6], method="bands"
    )
    np.testing.assert_allclose(out.reflectance, [2.0, 4.0])


def test_bands_are_vectorised_over_rows(dense_grid: np.ndarray, rng: np.random.Generator) -> None:
    values = rng.uniform(0.5, 1.5, (4, dense_grid.size))
    grid = np.linspace(0.45, 0.95, 11)
    together = resample(dense_grid, values, grid, method="bands").reflectance
    assert together.shape == (4, 11)
    for row, expected in zip(values, together, strict=True):
        np.testing.assert_allclose(
            resample(dense_grid, row, grid, method="bands").reflectance, expected, rtol=1e-12
        )


def test_empty_band_raises_coverage_error_naming_it() -> None:
    source = np.r_[np.linspace(0.40, 0.60, 201), np.linspace(0.80, 1.00, 201)]
    with pytest.raises(
        CoverageError,
        match=r"no sample in 1 of the 5 target bands \(first empty band: 0\.65-0\.75 µm\)",
    ):
        resample(source, np.ones(source.size), [0.5, 0.6, 0.7, 0.8, 0.9], method="bands")


@pytest.mark.parametrize("grid", [[0.9, 1.1, 1.3], [0.35, 0.5, 0.65], [0.9, 1.0 + 1e-6]])
def test_bands_beyond_the_source_raise_coverage_error(
    dense_grid: np.ndarray, grid: list[float]
) -> None:
    # Like interpolation, band averaging does not extrapolate, even when the last band
    # still holds a sample (1.0 µm lies in the band 1.0-1.2 µm around 1.1 µm).
    with pytest.raises(CoverageError, match=r"covers 0\.4-1 µm; resampling needs .* does not"):
        resample(dense_grid, np.ones(dense_grid.size), grid, method="bands")


def test_bands_at_the_ends_of_the_source_average_the_covered_half(
    dense_grid: np.ndarray,
) -> None:
    # The band around 0.40 µm spans 0.35-0.45 µm; only 0.400-0.450 is covered, so its
    # mean of 1 + λ is 1 + 0.425.
    out = resample(dense_grid, 1 + dense_grid, [0.4, 0.5], method="bands")
    np.testing.assert_allclose(out.reflectance, [1.425, 1.5], rtol=1e-12)


# --- resample: interpolation ---------------------------------------------------------
def test_spline_is_exact_for_cubics_row_by_row() -> None:
    # Not-a-knot cubic splines reproduce cubic polynomials exactly.
    source = np.linspace(0.45, 0.95, 8)
    values = np.stack([cubic(source), 2 * cubic(source) - source**3])
    grid = np.linspace(0.45, 0.95, 101)
    out = resample(source, values, grid, method="spline")
    np.testing.assert_allclose(out.reflectance[0], cubic(grid), rtol=1e-12)
    np.testing.assert_allclose(out.reflectance[1], 2 * cubic(grid) - grid**3, rtol=1e-12)


def test_linear_is_exact_for_lines_and_interpolates_errors() -> None:
    source = np.array([0.5, 0.6, 0.8, 0.9])
    out = resample(
        source, 2 - source, [0.5, 0.55, 0.7, 0.9], method="linear", error=[0.1, 0.2, 0.4, 0.4]
    )
    np.testing.assert_allclose(out.reflectance, [1.5, 1.45, 1.3, 1.1], rtol=1e-12)
    assert out.error is not None
    np.testing.assert_allclose(out.error, [0.1, 0.15, 0.3, 0.4], rtol=1e-12)


def test_spline_on_three_points_falls_back_to_linear() -> None:
    out = resample([0.5, 0.6, 0.7], [1.0, 2.0, 1.5], [0.55, 0.65], method="spline")
    np.testing.assert_allclose(out.reflectance, [1.5, 1.75], rtol=1e-12)


def test_grid_ends_within_rounding_of_the_source_are_accepted() -> None:
    out = resample(
        [0.5, 0.6, 0.7, 0.8], [1.0, 2.0, 3.0, 4.0], [0.5 - 1e-12, 0.8 + 1e-12], method="spline"
    )
    np.testing.assert_allclose(out.reflectance, [1.0, 4.0], rtol=1e-12)


@pytest.mark.parametrize(
    ("source_step", "expected"),
    [
        (0.005, "bands"),  # twice as dense as the 0.01 target: average
        (0.004, "bands"),
        (0.01, "spline"),  # same density: interpolate
        (0.05, "spline"),  # coarser: interpolate
    ],
)
def test_auto_chooses_bands_for_dense_sources(
    source_step: float, expected: str, rng: np.random.Generator
) -> None:
    source = np.arange(0.40, 1.0 + source_step / 2, source_step)
    values = rng.uniform(0.8, 1.2, source.size)
    grid = np.arange(0.45, 0.9501, 0.01)
    auto = resample(source, values, grid).reflectance
    chosen = resample(source, values, grid, method=expected).reflectance  # type: ignore[arg-type]
    np.testing.assert_array_equal(auto, chosen)


def test_interpolation_beyond_the_source_raises_coverage_error() -> None:
    with pytest.raises(
        CoverageError, match=r"covers 0\.5-0\.8 µm; resampling needs 0\.45-0\.8 µm and does not"
    ):
        resample([0.5, 0.6, 0.7, 0.8], [1.0, 1.0, 1.0, 1.0], [0.45, 0.8], method="linear")


@pytest.mark.parametrize(
    ("reflectance", "grid", "kwargs", "match"),
    [
        ([1.0, np.nan, 1.0, 1.0], [0.5, 0.6], {}, "reflectance contains 1 NaN or infinite"),
        ([1.0, 1.0, 1.0], [0.5, 0.6], {}, r"shape \(4,\) or \(n, 4\).*got \(3,\)"),
        ([1.0, 1.0, 1.0, 1.0], [0.6, 0.5], {}, "target grid must be finite and strictly"),
        ([1.0, 1.0, 1.0, 1.0], [0.6], {}, r"target grid must be 1-D with at least 2"),
        (
            [1.0, 1.0, 1.0, 1.0],
            [0.5, 0.6],
            {"method": "nearest"},
            r"'method' parameter of resample must be one of .* Got 'nearest' instead",
        ),
        (
            [1.0, 1.0, 1.0, 1.0],
            [0.5, 0.6],
            {"error": [0.1, np.inf, 0.1, 0.1]},
            "error contains 1 NaN or infinite",
        ),
    ],
)
def test_resample_rejects_bad_input(
    reflectance: list[float], grid: list[float], kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(SpectrumError, match=match):
        resample([0.5, 0.6, 0.7, 0.8], reflectance, grid, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["bands", "spline", "linear"])
def test_resample_does_not_modify_its_inputs(method: str, dense_grid: np.ndarray) -> None:
    values = 1 + dense_grid
    sigma = np.full(dense_grid.size, 0.01)
    grid = np.linspace(0.45, 0.95, 6)
    copies = [dense_grid.copy(), values.copy(), sigma.copy(), grid.copy()]
    out = resample(dense_grid, values, grid, method=method, error=sigma)  # type: ignore[arg-type]
    for array, copy in zip([dense_grid, values, sigma, grid], copies, strict=True):
        np.testing.assert_array_equal(array, copy)
    assert not np.shares_memory(out.reflectance, values)


# --- normalise -----------------------------------------------------------------------
def test_normalise_divides_each_row_by_its_interpolated_value() -> None:
    values = np.array([[2.0, 4.0, 6.0], [1.0, 1.0, 3.0]])
    out = normalise([0.5, 0.6, 0.7], values, error=[[0.3, 0.3, 0.3], [0.1, 0.1, 0.1]])
    # Row 0 is 3 at 0.55 (halfway between 2 and 4), row 1 is 1.
    np.testing.assert_allclose(out.reflectance, [[2 / 3, 4 / 3, 2.0], [1.0, 1.0, 3.0]])
    assert out.error is not None
    np.testing.assert_allclose(out.error, [[0.1, 0.1, 0.1], [0.1, 0.1, 0.1]])
    np.testing.assert_array_equal(values, [[2.0, 4.0, 6.0], [1.0, 1.0, 3.0]])


def test_normalise_with_a_window_divides_by_the_window_mean() -> None:
    wavelength = [0.50, 0.54, 0.55, 0.56, 0.60]
    out = normalise(wavelength, [5.0, 1.0, 2.0, 3.0, 5.0], at=0.55, window=0.015)
    # Mean of the samples within ±0.015 µm of 0.55 is (1 + 2 + 3) / 3 = 2.
    np.testing.assert_allclose(out.reflectance, [2.5, 0.5, 1.0, 1.5, 2.5])


@pytest.mark.parametrize(
    ("at", "window", "error", "match"),
    [
        (0.4, 0.0, CoverageError, r"Cannot normalise at 0\.4 µm: the spectrum covers 0\.5-0\.7"),
        (0.75, 0.0, CoverageError, r"Cannot normalise at 0\.75 µm"),
        (0.55, 0.01, CoverageError, r"No sample within ±0\.01 µm of 0\.55 µm"),
    ],
)
def test_normalise_outside_coverage_raises(
    at: float, window: float, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        normalise([0.5, 0.6, 0.7], [1.0, 1.0, 1.0], at=at, window=window)


def test_normalise_at_a_non_positive_value_raises() -> None:
    with pytest.raises(SpectrumError, match=r"reflectance at 0\.6 µm is not positive \(0\)"):
        normalise([0.5, 0.6, 0.7], [[1.0, 1.0, 1.0], [1.0, 0.0, 1.0]], at=0.6)
