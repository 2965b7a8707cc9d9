"""Fixtures for the spectra tests: small analytic spectra."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.spectra.spectrum import Spectrum


@pytest.fixture
def dense_grid() -> np.ndarray:
    """0.40-1.00 µm in 0.001 µm steps (601 samples), denser than the SMASSII grid."""
    return np.round(np.linspace(0.40, 1.00, 601), 6)


@pytest.fixture
def sloped() -> Spectrum:
    """The pure slope 1 + 0.5 (λ - 0.55) on 0.45-0.90 µm, with constant 1 % errors."""
    wavelength = np.linspace(0.45, 0.90, 10)
    return Spectrum(
        wavelength,
        1 + 0.5 * (wavelength - 0.55),
        np.full(10, 0.01),
        np.zeros(10, dtype=np.int8),
        {"object_id": "1", "source": "test"},
    )
