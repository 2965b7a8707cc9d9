"""Instrument-like perturbations of spectra: slope changes and noise.

Two spectrographs rarely agree on a spectrum's slope: the solar analogue stars, the
slit, the airmass and the detector leave a multiplicative tilt of a few per cent per
micron (Bus & Binzel 2002, §3; DeMeo et al. 2009, §2.2), and the red end of a CCD
spectrum, where the detector's response and the solar analogue's fall off, drifts by
several per cent (Gaia DR3 sits 8.5 % above SMASSII at 0.90 µm, PRIMASS-L ~5 % beyond
0.8 µm). :func:`tilt` applies such a tilt, :func:`bend_red` such a red-end drift,
:func:`add_noise` Gaussian noise at a signal-to-noise ratio. They are used to train
robust models (:class:`~asteroid_spectra.models.augment.AugmentedClassifier`) and to
measure robustness (``benchmarks/robustness.py``). :func:`degrade` makes a bright
asteroid's spectrum as noisy as a fainter one's, given the fainter one's errors.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from asteroid_spectra.schema import NORMALISATION_WAVELENGTH

__all__ = ["RED_FROM", "add_noise", "bend_red", "degrade", "tilt"]

FloatArray = npt.NDArray[np.float64]

RED_FROM = 0.75
"""Wavelength (µm) beyond which :func:`bend_red` changes a spectrum."""


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


def bend_red(
    reflectance: npt.ArrayLike,
    wavelength: npt.ArrayLike,
    amount: npt.ArrayLike,
    start: float = RED_FROM,
) -> FloatArray:
    r"""Raise or lower the red end of spectra by `amount` per micron beyond `start`.

    .. math:: R'(\lambda) = R(\lambda)\,\bigl(1 + a\,\max(\lambda - \lambda_r, 0)\bigr)

    with :math:`\lambda_r` = `start`; shorter wavelengths are unchanged.

    Parameters
    ----------
    reflectance : array_like, shape (n_wavelengths,) or (n_spectra, n_wavelengths)
        Spectra.
    wavelength : array_like, shape (n_wavelengths,)
        Wavelengths (µm).
    amount : float or array_like, shape (n_spectra,)
        Relative change per micron beyond `start` (µm⁻¹): 0.4 raises 0.90 µm by 6 %.
    start : float
        Where the change begins (µm).

    Returns
    -------
    ndarray
        Same shape as `reflectance`.

    Examples
    --------
    >>> bend_red([1.0, 1.0, 1.0], [0.55, 0.75, 0.90], 0.4).round(3).tolist()
    [1.0, 1.0, 1.06]
    """
    values = np.asarray(reflectance, dtype=np.float64)
    grid = np.asarray(wavelength, dtype=np.float64)
    amounts = np.asarray(amount, dtype=np.float64)
    if values.ndim == 2 and amounts.ndim == 1:
        amounts = amounts[:, np.newaxis]
    return np.asarray(values * (1.0 + amounts * np.clip(grid - start, 0.0, None)))


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


def degrade(
    reflectance: npt.ArrayLike,
    error: npt.ArrayLike,
    target_error: npt.ArrayLike,
    random_state: int | np.random.Generator | None = None,
) -> tuple[FloatArray, FloatArray]:
    r"""Add noise so each sample's total error becomes `target_error`.

    A sample measured with error :math:`\sigma` gets Gaussian noise of standard
    deviation :math:`\sqrt{\max(\sigma_t^2 - \sigma^2, 0)}`, so its total error is
    :math:`\max(\sigma_t, \sigma)`: the spectrum looks as if observed with the target's
    errors. Missing errors count as 0.

    Parameters
    ----------
    reflectance, error : array_like, shape (n_spectra, n_wavelengths)
        Spectra and their 1-sigma errors.
    target_error : array_like, shape (n_spectra, n_wavelengths)
        1-sigma errors to reach (e.g. errors of random spectra of a fainter catalogue).
    random_state : int, Generator or None
        Seed or generator of the noise.

    Returns
    -------
    (ndarray, ndarray)
        The degraded spectra and their new errors.

    Examples
    --------
    >>> noisy, sigma = degrade(np.ones((4000, 3)), np.full((4000, 3), 0.03),
    ...                        np.full((4000, 3), 0.05), random_state=0)
    >>> round(float(noisy.std()), 2), sigma[0].tolist()
    (0.04, [0.05, 0.05, 0.05])
    """
    values = np.asarray(reflectance, dtype=np.float64)
    own = np.nan_to_num(np.asarray(error, dtype=np.float64), nan=0.0)
    target = np.nan_to_num(np.asarray(target_error, dtype=np.float64), nan=0.0)
    extra = np.sqrt(np.clip(target**2 - own**2, 0.0, None))
    rng = np.random.default_rng(random_state)
    return values + rng.standard_normal(values.shape) * extra, np.maximum(target, own)
