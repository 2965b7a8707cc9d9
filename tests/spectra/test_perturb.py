"""tilt and add_noise: the instrument-like perturbations."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.schema import SMASS2_WAVELENGTH
from asteroid_spectra.spectra.perturb import add_noise, degrade, tilt
from asteroid_spectra.spectra.shape import slope


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


# --- degrade: add noise up to target errors ---------------------------------------------------
@pytest.mark.parametrize(
    ("own", "target", "noise", "total"),
    [
        (0.03, 0.05, 0.04, 0.05),  # sqrt(0.05² - 0.03²) = 0.04
        (0.0, 0.02, 0.02, 0.02),  # an exact spectrum gets the whole target error
        (np.nan, 0.02, 0.02, 0.02),  # a missing error counts as 0
        (0.05, 0.03, 0.0, 0.05),  # already noisier than the target: unchanged
        (0.04, 0.04, 0.0, 0.04),
        (0.03, np.nan, 0.0, 0.03),  # a missing target error counts as 0
    ],
)
def test_degrade_adds_the_missing_variance(
    own: float, target: float, noise: float, total: float
) -> None:
    shape = (5000, 4)
    spectra = np.full(shape, 1.3)
    noisy, sigma = degrade(spectra, np.full(shape, own), np.full(shape, target), random_state=1)
    assert noisy.shape == sigma.shape == shape
    assert np.std(noisy - spectra) == pytest.approx(noise, rel=0.03, abs=1e-12)
    assert abs(np.mean(noisy - spectra)) < 0.002  # unbiased
    np.testing.assert_allclose(sigma, total)


def test_degrade_works_element_by_element(rng: np.random.Generator) -> None:
    # Column 0: no noise needed; column 1: 0.1 of noise; rows are independent spectra.
    n = 4000
    error = np.column_stack([np.full(n, 0.2), np.zeros(n)])
    target = np.column_stack([np.full(n, 0.1), np.full(n, 0.1)])
    spectra = rng.normal(1, 0.01, (n, 2))
    noisy, sigma = degrade(spectra, error, target, random_state=rng)
    np.testing.assert_array_equal(noisy[:, 0], spectra[:, 0])
    assert np.std(noisy[:, 1] - spectra[:, 1]) == pytest.approx(0.1, rel=0.05)
    assert sigma[0].tolist() == [0.2, 0.1]


def test_degrade_is_reproducible_and_leaves_the_input_alone() -> None:
    spectra = np.ones((3, 16))
    error = np.full((3, 16), 0.01)
    target = np.full((3, 16), 0.05)
    first, _ = degrade(spectra, error, target, random_state=7)
    again, _ = degrade(spectra, error, target, random_state=np.random.default_rng(7))
    other, _ = degrade(spectra, error, target, random_state=8)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert spectra.tolist() == np.ones((3, 16)).tolist()
    assert error.tolist() == np.full((3, 16), 0.01).tolist()


def test_degrade_keeps_missing_values_missing() -> None:
    spectra = np.array([[1.0, np.nan, 1.2]])
    noisy, sigma = degrade(spectra, [[0.01, np.nan, 0.01]], [[0.05, 0.05, 0.05]], random_state=0)
    assert np.isnan(noisy[0, 1])
    assert np.isfinite(noisy[0, [0, 2]]).all()
    assert sigma.tolist() == [[0.05, 0.05, 0.05]]


def test_bend_red_changes_only_beyond_its_start_by_the_given_amount() -> None:
    from asteroid_spectra.spectra.perturb import RED_FROM, bend_red

    grid = np.asarray(SMASS2_WAVELENGTH)
    bent = bend_red(np.ones((2, grid.size)), grid, np.array([0.4, -0.2]))
    np.testing.assert_array_equal(bent[:, grid <= RED_FROM], 1.0)
    assert bent[0, grid == 0.90][0] == pytest.approx(1.06)
    assert bent[1, grid == 0.90][0] == pytest.approx(0.97)
