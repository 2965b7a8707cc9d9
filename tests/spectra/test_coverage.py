"""prepare: resampling onto the covered grid points, gaps, normalisation, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.exceptions import CoverageError
from asteroid_spectra.spectra.coverage import MAX_GAP, MIN_COVERAGE, prepare
from asteroid_spectra.spectra.spectrum import Spectrum

from ..conftest import GRID, prototype


def line(wavelength: np.ndarray, gradient: float = 0.4, scale: float = 3.0) -> Spectrum:
    """A straight spectrum, not normalised (scale at 0.55 µm)."""
    return Spectrum(wavelength, scale * (1 + gradient * (wavelength - 0.55)))


@pytest.mark.parametrize(
    ("start", "stop", "span"),
    [
        (0.44, 0.92, (0.44, 0.92)),
        (0.43, 0.95, (0.44, 0.92)),  # beyond the grid: cut to it
        (0.4735, 0.8640, (0.48, 0.86)),
        (0.4599, 0.8202, (0.46, 0.82)),  # within SNAP of a grid point: counts as covered
        (0.50, 0.80, (0.50, 0.80)),  # the minimum
        (0.49, 0.83, (0.50, 0.82)),  # spans start and stop on multiples of 0.02 µm
    ],
)
def test_the_span_is_the_grid_points_covered(
    start: float, stop: float, span: tuple[float, float]
) -> None:
    prepared = prepare(line(np.linspace(start, stop, 400)))
    assert prepared.span == pytest.approx(span)
    assert prepared.reflectance.size == round((span[1] - span[0]) / 0.01) + 1


@pytest.mark.parametrize("points", [1000, 60, 12])  # dense, similar, coarse (44 nm)
def test_a_straight_spectrum_is_resampled_exactly_and_normalised(points: int) -> None:
    wavelength = np.linspace(0.44, 0.92, points)
    prepared = prepare(line(wavelength))
    np.testing.assert_allclose(prepared.reflectance, 1 + 0.4 * (GRID - 0.55), atol=2e-3)
    assert prepared.reflectance[GRID == 0.55][0] == 1.0


def test_a_curved_dense_spectrum_is_band_averaged() -> None:
    wavelength = np.linspace(0.42, 0.95, 5000)
    prepared = prepare(Spectrum(wavelength, prototype("V", wavelength)))
    np.testing.assert_allclose(prepared.reflectance, prototype("V"), atol=2e-3)


@pytest.mark.parametrize(
    ("start", "stop", "missing"),
    [
        (0.52, 0.92, r"missing 0\.500-0\.520 µm\)"),
        (0.44, 0.78, r"missing 0\.780-0\.800 µm\)"),
        (0.53, 0.70, r"missing 0\.500-0\.530 µm and 0\.700-0\.800 µm"),
        (1.0, 2.4, r"covers 1\.000-2\.400 µm"),
    ],
)
def test_too_little_coverage_is_refused_saying_what_is_missing(
    start: float, stop: float, missing: str
) -> None:
    with pytest.raises(CoverageError, match=missing) as caught:
        prepare(line(np.linspace(start, stop, 100)))
    assert f"needs at least {MIN_COVERAGE[0]:.2f}-{MIN_COVERAGE[1]:.2f} µm" in str(caught.value)


def test_a_narrow_gap_is_filled_and_reported() -> None:
    wavelength = np.linspace(0.44, 0.92, 961)  # 0.5 nm sampling
    keep = (wavelength < 0.695) | (wavelength > 0.712)  # no sample for the 0.70 band
    prepared = prepare(line(wavelength[keep]))
    assert prepared.span == (0.44, 0.92)
    assert prepared.reflectance[GRID == 0.70][0] == pytest.approx(1 + 0.4 * 0.15, abs=1e-3)
    assert prepared.notes == ("filled a gap at 0.690-0.710 µm by interpolation",)


def test_a_wide_gap_cuts_the_spectrum_to_the_side_with_the_normalisation_point() -> None:
    wavelength = np.linspace(0.44, 0.92, 961)
    keep = (wavelength < 0.845) | (wavelength > 0.845 + MAX_GAP + 0.02)
    prepared = prepare(line(wavelength[keep]))
    assert prepared.span == (0.44, 0.84)
    assert "used only 0.44-0.84 µm" in prepared.notes[-1]


def test_a_cut_at_an_odd_grid_point_is_trimmed_to_an_even_one() -> None:
    wavelength = np.linspace(0.44, 0.92, 961)
    keep = (wavelength < 0.835) | (wavelength > 0.835 + MAX_GAP + 0.02)
    assert prepare(line(wavelength[keep])).span == (0.44, 0.82)


def test_a_wide_gap_that_leaves_too_little_is_refused() -> None:
    wavelength = np.linspace(0.44, 0.92, 961)
    keep = (wavelength < 0.745) | (wavelength > 0.80)
    with pytest.raises(CoverageError, match=r"has usable data only in 0\.440-0\.740 µm"):
        prepare(line(wavelength[keep]))


def test_a_gap_at_the_normalisation_wavelength_is_refused() -> None:
    wavelength = np.linspace(0.44, 0.92, 961)
    keep = (wavelength < 0.52) | (wavelength > 0.60)
    with pytest.raises(CoverageError, match="cannot be normalised there"):
        prepare(line(wavelength[keep]))


def test_prepare_does_not_modify_the_spectrum() -> None:
    spectrum = line(np.linspace(0.44, 0.92, 100))
    before = spectrum.reflectance.copy()
    prepare(spectrum)
    np.testing.assert_array_equal(spectrum.reflectance, before)
