"""Every spectrum of one asteroid on one axes: the scale factors, lines, legend and title."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra.plotting.asteroid import plot_asteroid_spectra, scale_factors
from asteroid_spectra.spectra.asteroid import AsteroidSpectra
from asteroid_spectra.spectra.spectrum import Spectrum


def arrays(*pairs: tuple[list[float], list[float]]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.array(w, dtype=float), np.array(r, dtype=float)) for w, r in pairs]


# --- scale_factors -------------------------------------------------------------------------


def test_a_spectrum_covering_055_um_is_divided_by_its_value_there() -> None:
    factors = scale_factors(arrays(([0.5, 0.6], [1.0, 3.0]), ([0.55, 0.9], [4.0, 1.0])))
    assert factors == pytest.approx([0.5, 0.25], rel=1e-12)  # 2.0 interpolated; 4.0 at 0.55


def test_the_normalisation_wavelength_can_be_chosen() -> None:
    spectra = arrays(([0.5, 1.0, 1.5], [1.0, 2.0, 4.0]))
    assert scale_factors(spectra, at=1.0) == [0.5]
    assert scale_factors(spectra, at=1.25) == [pytest.approx(1 / 3)]


def test_the_documented_example_visible_and_near_infrared() -> None:
    visible, nir = np.array([0.5, 0.6, 1.0]), np.array([0.9, 1.2, 1.5])
    factors = scale_factors([(visible, 2 * visible), (nir, 3 * nir)])
    # visible: 1 / 1.1; NIR: its 0.9 µm sample (the overlap) onto the scaled visible one
    assert factors == pytest.approx([1 / 1.1, 1.8 / 1.1 / 2.7], rel=1e-12)


def test_a_near_infrared_spectrum_takes_the_median_ratio_over_the_scaled_spectra() -> None:
    spectra = arrays(
        ([0.4, 0.55, 1.0], [1.0, 1.0, 1.0]),  # scaled: 1 at 0.9 and 1.0 µm → ratio 0.5
        ([0.5, 0.55, 1.0], [1.0, 1.0, 2.0]),  # 16/9 and 2 → ratios 8/9 and 1: median 17/18
        ([0.5, 0.55, 1.0], [2.0, 2.0, 8.0]),  # 10/3 and 4 → median 11/6
        ([0.9, 1.0, 1.5], [2.0, 2.0, 2.0]),  # near-infrared: overlaps all three on 0.9-1.0 µm
    )
    factors = scale_factors(spectra)
    assert factors == pytest.approx([1.0, 1.0, 0.5, 17 / 18], rel=1e-12)


def test_a_spectrum_overlapping_no_scaled_one_keeps_its_published_scale() -> None:
    spectra = arrays(([0.4, 0.55, 0.9], [2.0, 2.0, 2.0]), ([1.0, 1.5, 2.0], [7.0, 8.0, 9.0]))
    assert scale_factors(spectra) == [0.5, 1.0]
    # touching at one wavelength is no overlap either
    touching = arrays(([0.4, 0.55, 0.9], [2.0, 2.0, 2.0]), ([0.9, 1.5, 2.0], [7.0, 8.0, 9.0]))
    assert scale_factors(touching) == [0.5, 1.0]


def test_near_infrared_spectra_chain_onto_those_already_scaled() -> None:
    spectra = arrays(
        ([0.4, 0.55, 1.0], [1.0, 1.0, 1.0]),
        ([0.9, 1.3, 1.6], [0.5, 0.5, 0.5]),  # onto the visible at 0.9 µm: × 2
        ([1.5, 2.0, 2.5], [0.25, 0.25, 0.25]),  # only onto the previous one (× 2): × 4
    )
    assert scale_factors(spectra) == pytest.approx([1.0, 2.0, 4.0], rel=1e-12)


def test_no_spectra_no_factors() -> None:
    assert scale_factors([]) == []


# --- plot_asteroid_spectra -------------------------------------------------------------------

VISIBLE = np.round(np.linspace(0.44, 0.92, 20), 4)
COLOURS = np.array([0.337, 0.359, 0.437, 0.550, 0.701, 0.853, 0.948, 1.041])
NIR = np.round(np.linspace(0.9, 1.6, 30), 4)


def spectrum(survey: str, wavelength: np.ndarray, reflectance: np.ndarray) -> Spectrum:
    return Spectrum(wavelength, reflectance, meta={"survey": survey, "file": f"{survey}.txt"})


@pytest.fixture
def vesta() -> AsteroidSpectra:
    """Three spectra of 4 Vesta: visible (value 2 at 0.55 µm), 8 colours, near-infrared."""
    spectra = (
        spectrum("smass2", VISIBLE, 2 * (1 + 0.5 * (VISIBLE - 0.55))),
        spectrum("ecas", COLOURS, 1 + 0.2 * (COLOURS - 0.55)),
        spectrum("smassir", NIR, np.full(NIR.size, 0.5)),
    )
    labels = {"bus_class": "V", "demeo_class": "Sv", "tholen_class": None, "primass_class": None}
    return AsteroidSpectra("4", "Vesta", labels, spectra, pd.DataFrame())


def test_one_line_per_spectrum_labelled_by_survey_and_points(vesta: AsteroidSpectra) -> None:
    figure = plot_asteroid_spectra(vesta)
    (ax,) = figure.axes
    assert len(ax.lines) == 3
    legend = ax.get_legend()
    assert [text.get_text() for text in legend.get_texts()] == [
        "smass2 (20 points)",
        "ecas (8 points)",
        "smassir (30 points)",
    ]
    # up to 16 points (colours, Gaia DR3) get markers; denser spectra are plain lines
    assert [line.get_marker() for line in ax.lines] == ["None", "o", "None"]
    np.testing.assert_array_equal(ax.lines[2].get_xdata(), NIR)


def test_lines_are_the_spectra_times_their_scale_factors(vesta: AsteroidSpectra) -> None:
    (ax,) = plot_asteroid_spectra(vesta).axes
    factors = scale_factors([(s.wavelength, s.reflectance) for s in vesta.spectra])
    assert factors[0] == pytest.approx(0.5)  # 2 at 0.55 µm
    assert factors[1] == pytest.approx(1.0)
    # SMASSIR (0.5 everywhere) onto the two scaled lines: SMASSII 1 + 0.5 (λ - 0.55) over
    # 0.9-0.92 µm (its one sample there, 0.9 µm), ECAS 1 + 0.2 (λ - 0.55) over 0.9-1.041 µm
    onto_smass2 = (1 + 0.5 * (0.9 - 0.55)) / 0.5
    overlap = NIR[(NIR >= 0.9) & (NIR <= 1.041)]
    assert len(overlap) == 6
    onto_ecas = float(np.median((1 + 0.2 * (overlap - 0.55)) / 0.5))
    assert factors[2] == pytest.approx((onto_smass2 + onto_ecas) / 2, rel=1e-12)
    for line, s, factor in zip(ax.lines, vesta.spectra, factors, strict=True):
        np.testing.assert_allclose(line.get_ydata(), s.reflectance * factor, rtol=1e-12)
    assert np.interp(0.55, ax.lines[0].get_xdata(), ax.lines[0].get_ydata()) == pytest.approx(1)
    assert ax.get_ylabel() == "Reflectance (unity at 0.55 µm)"
    assert ax.get_xlabel() == "Wavelength (µm)"


def test_unscaled_lines_are_the_published_values(vesta: AsteroidSpectra) -> None:
    (ax,) = plot_asteroid_spectra(vesta, scale=False).axes
    for line, s in zip(ax.lines, vesta.spectra, strict=True):
        np.testing.assert_array_equal(line.get_ydata(), s.reflectance)
    assert ax.get_ylabel() == "Reflectance"


def test_title_names_the_asteroid_and_its_classes(vesta: AsteroidSpectra) -> None:
    (ax,) = plot_asteroid_spectra(vesta).axes
    assert ax.get_title() == "(4) Vesta — bus V, demeo Sv"  # taxonomies without a class left out
    unclassified = AsteroidSpectra(
        "1995 BM2", None, dict.fromkeys(vesta.labels), vesta.spectra[:1], pd.DataFrame()
    )
    (ax,) = plot_asteroid_spectra(unclassified).axes
    assert ax.get_title() == "1995 BM2"
    assert len(ax.lines) == 1


def test_figure_has_the_documented_size(vesta: AsteroidSpectra) -> None:
    figure = plot_asteroid_spectra(vesta)
    assert tuple(figure.get_size_inches()) == (8.0, 4.5)
