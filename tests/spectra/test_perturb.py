"""tilt and add_noise: the instrument-like perturbations."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.schema import SMASS2_WAVELENGTH
from asteroid_spectra.spectra.perturb import add_noise, tilt
from asteroid_spectra.spectra.preprocess import slope


@pytest.mark.parametrize("change", [-0.10, -0.05, 0.05, 0.10])
def test_tilt_changes_a_flat_spectrum_slope_by_the_given_amount(change: float) -> None:
    flat = np.ones(SMASS2_WAVELENGTH.size)
    tilted = tilt(flat, SMASS2_WAVELENGTH, change)
    assert tilted[SMASS2_WAVELENGTH == 0.55][0] == 1.0  # the normalisation is kept
    assert slope(SMASS2_WAVELENGTH, tilted) == pytest.approx(change, rel=1e-6)


def test_tilt_takes_one_slope_per_spectrum() -> None:
    spectra = np.ones((3, SMASS2_WAVELENGTH.size))
    tilted = tilt(spectra, SMASS2_WAVELENGTH, [0.0, 0.1, -0.1])
    assert tilted[0].tolist() == spectra[0].tolist()
    assert tilted[1, -1] == pytest.approx(1 + 0.1 * (0.92 - 0.55))
    assert tilted[2, -1] == pytest.approx(1 - 0.1 * (0.92 - 0.55))
    assert spectra.sum() == spectra.size  # input untouched


@pytest.mark.parametrize("snr", [10.0, 50.0])
def test_noise_has_the_requested_signal_to_noise_ratio(snr: float) -> None:
    spectra = np.full((400, 49), 1.2)
    noisy = add_noise(spectra, snr, random_state=3)
    assert np.std(noisy - spectra) == pytest.approx(1.2 / snr, rel=0.02)


def test_noise_is_reproducible_and_per_spectrum() -> None:
    spectra = np.ones((2, 49))
    first = add_noise(spectra, np.array([np.inf, 20.0]), random_state=0)
    again = add_noise(spectra, np.array([np.inf, 20.0]), random_state=0)
    np.testing.assert_array_equal(first, again)
    assert first[0].tolist() == [1.0] * 49  # infinite SNR: no noise
    assert np.std(first[1]) > 0.02
