"""Instrument-like perturbations of spectra: slope changes and noise.

Two spectrographs rarely agree on a spectrum's slope: the solar analogue stars, the
slit, the airmass and the detector leave a multiplicative tilt of a few per cent per
micron (Bus & Binzel 2002, §3; DeMeo et al. 2009, §2.2). :func:`tilt` applies such a
tilt, :func:`add_noise` Gaussian noise at a signal-to-noise ratio. They are used to train
robust models (:class:`~asteroid_spectra.models.augment.AugmentedClassifier`) and to
measure robustness (``benchmarks/robustness.py``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from asteroid_spectra.schema import NORMALISATION_WAVELENGTH

__all__ = ["add_noise", "tilt"]

FloatArray = npt.NDArray[np.float64]


def tilt(
    reflectance: npt.ArrayLike,
    wavelength: npt.ArrayLike,
    slope: npt.ArrayLike,
    at: float = NORMALISATION_WAVELENGTH,
) -> FloatArray:
    r"""Change the spectral slope of normalised spectra by `slope` per micron.

    .. math:: R'(\lambda) = R(\lambda)\,\bigl(1 + s\,(\lambda - \lambda_0)\bigr)

    with :math:`\lambda_0` = `at`, so the normalisation at :math:`\lambda_0` is kept.

    Parameters
    ----------
    reflectance : array_like, shape (n_wavelengths,) or (n_spectra, n_wavelengths)
        Spectra normalised at `at`.
    wavelength : array_like, shape (n_wavelengths,)
        Wavelengths (µm).
    slope : float or array_like, shape (n_spectra,)
        Relative slope change (µm⁻¹): 0.05 is +5 %/µm.
    at : float
        Pivot wavelength (µm).

    Returns
    -------
    ndarray
        Same shape as `reflectance`.

    Examples
    --------
    >>> tilt([1.0, 1.0, 1.0], [0.45, 0.55, 0.95], 0.1).round(3).tolist()
    [0.99, 1.0, 1.04]
    """
    values = np.asarray(reflectance, dtype=np.float64)
    grid = np.asarray(wavelength, dtype=np.float64)
    slopes = np.asarray(slope, dtype=np.float64)
    if values.ndim == 2 and slopes.ndim == 1:
        slopes = slopes[:, np.newaxis]
    return np.asarray(values * (1.0 + slopes * (grid - at)))


def add_noise(
    reflectance: npt.ArrayLike,
    snr: npt.ArrayLike,
    random_state: int | np.random.Generator | None = None,
) -> FloatArray:
    """Add Gaussian noise of standard deviation ``reflectance / snr`` to each sample.

    Parameters
    ----------
    reflectance : array_like, shape (n_wavelengths,) or (n_spectra, n_wavelengths)
        Spectra.
    snr : float or array_like, shape (n_spectra,)
        Signal-to-noise ratio per sample (infinite: no noise).
    random_state : int, Generator or None
        Seed or generator of the noise.

    Returns
    -------
    ndarray
        Same shape as `reflectance`.

    Examples
    --------
    >>> noisy = add_noise(np.ones((2000, 49)), 20, random_state=0)
    >>> round(float(noisy.std()), 2)
    0.05
    """
    values = np.asarray(reflectance, dtype=np.float64)
    ratio = np.asarray(snr, dtype=np.float64)
    if values.ndim == 2 and ratio.ndim == 1:
        ratio = ratio[:, np.newaxis]
    rng = np.random.default_rng(random_state)
    return np.asarray(values + rng.standard_normal(values.shape) * values / ratio)
