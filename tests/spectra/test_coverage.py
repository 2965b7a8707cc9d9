"""prepare: resampling onto the covered grid points, gaps, normalisation, refusals.

The Bus (visible), Bus-DeMeo (vis-NIR) and Tholen (ECAS) rules.
"""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.exceptions import CoverageError
from asteroid_spectra.schema import DEMEO_WAVELENGTH, ECAS_WAVELENGTH
from asteroid_spectra.spectra.coverage import ECAS, MAX_GAP, MIN_COVERAGE, VIS_NIR, prepare
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
        (0.57, 0.92, r"missing 0\.550-0\.570 µm\)"),
        (0.44, 0.78, r"missing 0\.780-0\.800 µm\)"),
        (0.58, 0.70, r"missing 0\.550-0\.580 µm and 0\.700-0\.800 µm"),
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


def test_a_vis_nir_spectrum_takes_the_whole_demeo_grid_normalised_at_055() -> None:
    wavelength = np.linspace(0.44, 2.47, 800)
    prepared = prepare(line(wavelength, gradient=0.2), rule=VIS_NIR)
    assert prepared.span == (0.45, 2.45)
    np.testing.assert_allclose(prepared.wavelength, DEMEO_WAVELENGTH)
    np.testing.assert_allclose(prepared.reflectance, 1 + 0.2 * (DEMEO_WAVELENGTH - 0.55), atol=2e-3)
    assert prepared.notes == ()


def test_a_near_infrared_only_spectrum_is_normalised_at_12_and_says_so() -> None:
    wavelength = np.linspace(0.82, 2.49, 600)
    prepared = prepare(line(wavelength, gradient=0.2), rule=VIS_NIR)
    assert prepared.span == (0.85, 2.45)
    assert prepared.reflectance[np.isclose(prepared.wavelength, 1.2)][0] == 1.0
    expected = (1 + 0.2 * (prepared.wavelength - 0.55)) / (1 + 0.2 * 0.65)
    np.testing.assert_allclose(prepared.reflectance, expected, atol=1e-3)
    assert prepared.notes == ("normalised at 1.2 µm: the spectrum does not cover 0.55 µm",)


def test_telluric_gaps_in_a_near_infrared_spectrum_are_bridged_and_reported() -> None:
    wavelength = np.linspace(0.82, 2.50, 1681)  # 1 nm sampling
    keep = ~(
        ((wavelength > 1.33) & (wavelength < 1.47)) | ((wavelength > 1.78) & (wavelength < 1.97))
    )
    prepared = prepare(line(wavelength[keep], gradient=0.2), rule=VIS_NIR)
    assert prepared.span == (0.85, 2.45)
    assert prepared.notes == (  # between the grid points that still have data
        "filled a gap at 1.350-1.450 µm by interpolation",
        "filled a gap at 1.800-1.950 µm by interpolation",
        "normalised at 1.2 µm: the spectrum does not cover 0.55 µm",
    )
    at_14 = prepared.reflectance[np.isclose(prepared.wavelength, 1.40)][0]
    assert at_14 == pytest.approx((1 + 0.2 * 0.85) / (1 + 0.2 * 0.65), abs=2e-3)


def test_a_near_infrared_spectrum_missing_the_1_um_band_is_refused_with_a_hint() -> None:
    with pytest.raises(CoverageError) as caught:
        prepare(line(np.linspace(0.95, 2.45, 300)), rule=VIS_NIR)
    assert str(caught.value) == (
        "The spectrum covers 0.950-2.450 µm; Bus-DeMeo classification needs at least "
        "0.85-2.40 µm (missing 0.850-0.950 µm). Provide a spectrum covering that range "
        "(near-infrared spectra usually span 0.8-2.5 µm)."
    )


def test_the_eight_ecas_colours_are_taken_as_they_are() -> None:
    colours = np.array([0.80, 0.85, 0.93, 1.0, 1.08, 1.12, 1.05, 1.10])
    prepared = prepare(Spectrum(ECAS_WAVELENGTH, 2.0 * colours), rule=ECAS)
    np.testing.assert_allclose(prepared.wavelength, ECAS_WAVELENGTH)
    np.testing.assert_allclose(prepared.reflectance, colours)


def test_a_visible_spectrum_is_refused_by_the_tholen_rule() -> None:
    with pytest.raises(CoverageError, match=r"Tholen classification needs at least 0\.34-1\.04"):
        prepare(line(np.linspace(0.44, 0.92, 100)), rule=ECAS)


@pytest.mark.parametrize(
    ("start", "span_start"),
    [(0.503, 0.52), (0.53, 0.54), (0.545, 0.55), (0.55, 0.55)],
)
def test_a_spectrum_starting_up_to_0_55_um_is_classified_with_a_note(
    start: float, span_start: float
) -> None:
    prepared = prepare(line(np.linspace(start, 0.90, 300)))
    assert prepared.span == pytest.approx((span_start, 0.90))
    assert prepared.reflectance[prepared.wavelength == 0.55][0] == pytest.approx(1.0)
    assert prepared.notes == (
        f"used from {span_start:.2f} µm: the spectrum starts after 0.50 µm, so part of the "
        "blue slope that separates C, X and S classes is missing and the classes are less "
        "certain",
    )


def test_a_spectrum_starting_by_0_50_um_gets_no_note() -> None:
    assert prepare(line(np.linspace(0.495, 0.90, 300))).notes == ()
