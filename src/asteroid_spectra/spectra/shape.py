"""The shape of a spectrum: its slope, the spectrum without it, and a smoothed version.

Every function takes a wavelength grid ``(m,)`` in µm and values ``(m,)`` or
``(n, m)`` (one spectrum per row, all on that grid) and returns new arrays; nothing is
modified in place. :class:`~asteroid_spectra.spectra.spectrum.Spectrum` methods and the
scikit-learn transformers are thin wrappers over these functions; resampling and
normalisation are in :mod:`~asteroid_spectra.spectra.preprocess`.

References
----------
Bus, S. J. & Binzel, R. P. (2002). Phase II of the Small Main-Belt Asteroid
Spectroscopic Survey: a feature-based taxonomy. Icarus 158, 146-177 (slope through unity
at 0.55 µm and its removal by division). Craven, P. & Wahba, G. (1979). Smoothing noisy
data with spline functions. Numerische Mathematik 31, 377-403 (generalised
cross-validation).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.schema import NORMALISATION_WAVELENGTH
from asteroid_spectra.spectra.preprocess import Resampled
from asteroid_spectra.spectra.validation import as_grid, as_values

__all__ = ["remove_slope", "slope", "smooth"]

FloatArray = npt.NDArray[np.float64]


def _weights(error: npt.ArrayLike, grid: FloatArray) -> FloatArray:
    """Return the weights ``1 / error**2``; a zero error would have infinite weight."""
    sigma = as_values(error, grid, "error")
    if np.any(sigma <= 0):
        raise SpectrumError(
            f"Weighting by 1/error**2 needs positive errors; got {int(np.sum(sigma <= 0))} "
            "zero or negative errors. Drop those samples or give no errors."
        )
    weights: FloatArray = sigma**-2.0
    return weights


def slope(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    *,
    at: float = NORMALISATION_WAVELENGTH,
    error: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Spectral slope of normalised spectra, in µm⁻¹.

    The slope :math:`\gamma` of the line :math:`1 + \gamma(\lambda - \lambda_0)` through
    unity at :math:`\lambda_0` = `at` that best fits the spectrum in the least-squares
    sense (weighted by :math:`1/\sigma^2` when errors are given), as in Bus & Binzel
    (2002):

    .. math:: \gamma = \frac{\sum w (\lambda-\lambda_0)(R-1)}{\sum w (\lambda-\lambda_0)^2}

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm.
    reflectance : array_like, shape (m,) or (n, m)
        Spectra normalised to unity at `at` (see :func:`~.preprocess.normalise`).
    at : float
        Wavelength where the line passes through unity, µm.
    error : array_like, optional
        1-sigma errors for weighting.

    Returns
    -------
    ndarray, shape () or (n,)
        Slope in reflectance per µm (multiply by 10 for %/100 nm).

    Raises
    ------
    SpectrumError
        If errors are given and some are not positive.

    Examples
    --------
    >>> round(float(slope([0.45, 0.55, 0.65], [0.9, 1.0, 1.1])), 12)
    1.0
    """
    grid = as_grid(wavelength)
    values = as_values(reflectance, grid)
    offset = grid - at
    weight = np.ones_like(values) if error is None else _weights(error, grid)
    return np.asarray(
        np.sum(weight * offset * (values - 1), axis=-1) / np.sum(weight * offset**2, axis=-1)
    )


def remove_slope(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    *,
    at: float = NORMALISATION_WAVELENGTH,
    error: npt.ArrayLike | None = None,
) -> Resampled:
    """Divide normalised spectra by their slope line (see :func:`slope`).

    What remains are the absorption features, the basis of the Bus & Binzel (2002)
    feature-based taxonomy.

    Returns
    -------
    Resampled
        Slope-removed values and errors scaled the same way.

    Raises
    ------
    SpectrumError
        If the slope line is not positive somewhere on the grid (a slope too steep for
        the range), or errors are given and some are not positive.
    """
    grid = as_grid(wavelength)
    values = as_values(reflectance, grid)
    gamma = slope(grid, values, at=at, error=error)
    line = 1 + np.asarray(gamma)[..., np.newaxis] * (grid - at)
    if np.any(line <= 0):
        raise SpectrumError(
            "The slope line is not positive over the whole grid, so the slope cannot be "
            "divided out; crop the spectrum to a narrower range around the normalisation "
            "wavelength."
        )
    sigma = None if error is None else as_values(error, grid, "error") / line
    return Resampled(values / line, sigma)


def smooth(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    *,
    lam: float | None = None,
    error: npt.ArrayLike | None = None,
) -> FloatArray:
    """Smooth spectra with a cubic smoothing spline, evaluated on the same grid.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm (need not be uniform).
    reflectance : array_like, shape (m,) or (n, m)
        Values on the grid.
    lam : float, optional
        Smoothing strength; None chooses it per spectrum by generalised
        cross-validation (Craven & Wahba 1979), as
        :func:`scipy.interpolate.make_smoothing_spline` does.
    error : array_like, optional
        1-sigma errors; samples are weighted by ``1 / error**2``.

    Returns
    -------
    ndarray
        Smoothed values, same shape as `reflectance`.

    Raises
    ------
    SpectrumError
        Fewer than 5 samples, a negative `lam`, or errors that are not all positive.
    """
    from scipy.interpolate import make_smoothing_spline

    grid = as_grid(wavelength)
    values = as_values(reflectance, grid)
    if grid.size < 5:
        raise SpectrumError(f"Smoothing needs at least 5 samples; got {grid.size}.")
    if lam is not None and not lam >= 0:
        raise SpectrumError(
            f"The 'lam' parameter of smooth must be a non-negative float or None. Got {lam!r} "
            "instead."
        )
    weights = None if error is None else _weights(error, grid)
    rows = values.reshape(-1, grid.size)
    row_weights = (
        None if weights is None else np.broadcast_to(weights, values.shape).reshape(rows.shape)
    )
    smoothed = np.empty_like(rows)
    for i, row in enumerate(rows):
        w = None if row_weights is None else row_weights[i]
        smoothed[i] = make_smoothing_spline(grid, row, w=w, lam=lam)(grid)
    return smoothed.reshape(values.shape)
