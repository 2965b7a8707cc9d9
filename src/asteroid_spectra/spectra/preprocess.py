"""Pure, vectorised preprocessing of reflectance spectra: resampling and normalisation.

Every function takes a wavelength grid ``(m,)`` in µm and values ``(m,)`` or
``(n, m)`` (one spectrum per row, all on that grid) and returns new arrays; nothing is
modified in place. :class:`~asteroid_spectra.spectra.spectrum.Spectrum` methods and the
scikit-learn transformers are thin wrappers over these functions. The slope, its removal
and smoothing are in :mod:`~asteroid_spectra.spectra.shape`.

References
----------
Bus, S. J. & Binzel, R. P. (2002). Phase II of the Small Main-Belt Asteroid
Spectroscopic Survey: a feature-based taxonomy. Icarus 158, 146-177 (normalisation at
0.55 µm).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import CoverageError, SpectrumError
from asteroid_spectra.schema import NORMALISATION_WAVELENGTH
from asteroid_spectra.spectra.validation import as_grid, as_values

__all__ = ["Resampled", "band_edges", "normalise", "resample"]

FloatArray = npt.NDArray[np.float64]
Method = Literal["auto", "spline", "bands", "linear"]
_TOLERANCE = 1e-9


class Resampled(NamedTuple):
    """Values resampled to a new grid, with propagated 1-sigma errors (or None)."""

    reflectance: FloatArray
    error: FloatArray | None


def _range(lo: float, hi: float) -> str:
    return f"{lo:.4g}-{hi:.4g} µm"


def band_edges(grid: npt.ArrayLike) -> FloatArray:
    """Return the ``m + 1`` edges of bands centred on `grid`.

    Inner edges are midpoints between neighbouring centres; the outer edges lie half a
    neighbouring spacing beyond the first and last centres.

    Examples
    --------
    >>> band_edges([0.5, 0.6, 0.8]).round(3).tolist()
    [0.45, 0.55, 0.7, 0.9]
    """
    centres = as_grid(grid)
    middle = (centres[1:] + centres[:-1]) / 2
    first = centres[0] - (centres[1] - centres[0]) / 2
    last = centres[-1] + (centres[-1] - centres[-2]) / 2
    return np.concatenate([[first], middle, [last]])


def _choose(wavelength: FloatArray, grid: FloatArray) -> Literal["spline", "bands"]:
    source_step = float(np.median(np.diff(wavelength)))
    target_step = float(np.median(np.diff(grid)))
    return "bands" if source_step <= target_step / 2 else "spline"


def resample(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    grid: npt.ArrayLike,
    *,
    method: Method = "auto",
    error: npt.ArrayLike | None = None,
    empty: Literal["raise", "nan"] = "raise",
) -> Resampled:
    """Resample spectra to a new wavelength grid.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Source grid in µm, strictly increasing.
    reflectance : array_like, shape (m,) or (n, m)
        Values on the source grid.
    grid : array_like, shape (k,)
        Target grid in µm, strictly increasing.
    method : {"auto", "spline", "bands", "linear"}
        ``"bands"`` averages the samples falling in each target band (edges from
        :func:`band_edges`; a sample on an edge counts in both bands), right for dense
        spectra going to a coarser grid;
        ``"spline"`` evaluates a cubic interpolating spline (not-a-knot), right for
        coarse spectra going to a finer grid; ``"linear"`` interpolates linearly.
        ``"auto"`` picks ``"bands"`` when the source is at least twice as dense as the
        target and ``"spline"`` otherwise.
    error : array_like, optional
        1-sigma errors on the source grid. Band-averaging propagates them as
        ``sqrt(sum(sigma**2)) / n``; interpolation interpolates them linearly.
    empty : {"raise", "nan"}
        What band-averaging does with a band holding no sample (a gap in the spectrum):
        raise :class:`CoverageError`, or leave the band NaN.

    Returns
    -------
    Resampled
        ``reflectance`` with shape (k,) or (n, k) and ``error`` (or None).

    Raises
    ------
    CoverageError
        If the target grid reaches beyond the source (no extrapolation), or a band holds
        no sample.

    Examples
    --------
    >>> wavelength = np.linspace(0.40, 1.00, 601)
    >>> out = resample(wavelength, 1 + wavelength, [0.5, 0.6, 0.7], method="bands")
    >>> out.reflectance.round(4).tolist()
    [1.5, 1.6, 1.7]
    """
    source = as_grid(wavelength)
    target = as_grid(grid, "target")
    values = as_values(reflectance, source)
    sigma = None if error is None else as_values(error, source, "error")
    chosen = _choose(source, target) if method == "auto" else method
    if chosen not in ("spline", "bands", "linear"):
        raise SpectrumError(
            f"The 'method' parameter of resample must be one of 'auto', 'spline', 'bands', "
            f"'linear'. Got {method!r} instead."
        )
    if target[0] < source[0] - _TOLERANCE or target[-1] > source[-1] + _TOLERANCE:
        raise CoverageError(
            f"The spectrum covers {_range(source[0], source[-1])}; resampling needs "
            f"{_range(target[0], target[-1])} and does not extrapolate. Use a target grid "
            "inside the covered range or a spectrum that covers the whole grid."
        )
    if empty not in ("raise", "nan"):
        raise SpectrumError(
            f"The 'empty' parameter of resample must be 'raise' or 'nan'. Got {empty!r} instead."
        )
    if chosen == "bands":
        return _band_average(source, values, target, sigma, empty)
    target = np.clip(target, source[0], source[-1])
    if chosen == "spline" and source.size >= 4:
        from scipy.interpolate import make_interp_spline

        resampled = make_interp_spline(source, values, k=3, axis=-1)(target)
    else:
        resampled = _linear(source, values, target)
    new_error = None if sigma is None else _linear(source, sigma, target)
    return Resampled(np.asarray(resampled, dtype=np.float64), new_error)


def _linear(source: FloatArray, values: FloatArray, target: FloatArray) -> FloatArray:
    index = np.clip(np.searchsorted(source, target, side="right") - 1, 0, source.size - 2)
    weight = (target - source[index]) / (source[index + 1] - source[index])
    return values[..., index] * (1 - weight) + values[..., index + 1] * weight


def _band_average(
    source: FloatArray,
    values: FloatArray,
    target: FloatArray,
    sigma: FloatArray | None,
    empty: str = "raise",
) -> Resampled:
    edges = band_edges(target)
    # Bands are closed: a sample on an edge (within rounding) counts in both bands it
    # separates, so a source grid aligned with the edges gives unbiased band means.
    start = np.searchsorted(source, edges[:-1] - _TOLERANCE, side="left")
    stop = np.searchsorted(source, edges[1:] + _TOLERANCE, side="right")
    counts = stop - start
    if np.any(counts == 0) and empty == "raise":
        gaps = np.flatnonzero(counts == 0)
        lo, hi = edges[gaps[0]], edges[gaps[0] + 1]
        raise CoverageError(
            f"The spectrum covers {_range(source[0], source[-1])} but has no sample in "
            f"{counts.size - np.count_nonzero(counts)} of the {counts.size} target bands "
            f"(first empty band: {_range(lo, hi)}). Use a grid inside the covered range, or "
            "empty='nan' to leave such bands missing."
        )

    def band_sum(array: FloatArray) -> FloatArray:
        cumulative = np.concatenate(
            [np.zeros((*array.shape[:-1], 1)), np.cumsum(array, axis=-1)], axis=-1
        )
        result: FloatArray = cumulative[..., stop] - cumulative[..., start]
        return result

    divisor = np.where(counts > 0, counts, 1)
    missing = counts == 0
    mean = band_sum(values) / divisor
    mean[..., missing] = np.nan
    new_error = None
    if sigma is not None:
        new_error = np.sqrt(band_sum(sigma**2)) / divisor
        new_error[..., missing] = np.nan
    return Resampled(mean, new_error)


def _value_at(wavelength: FloatArray, values: FloatArray, at: float, window: float) -> FloatArray:
    if not wavelength[0] - _TOLERANCE <= at <= wavelength[-1] + _TOLERANCE:
        raise CoverageError(
            f"Cannot normalise at {at:g} µm: the spectrum covers "
            f"{_range(wavelength[0], wavelength[-1])}. Normalise at a covered wavelength."
        )
    if window > 0:
        inside = np.abs(wavelength - at) <= window
        if not inside.any():
            raise CoverageError(
                f"No sample within ±{window:g} µm of {at:g} µm; widen the window or use 0 "
                "(linear interpolation)."
            )
        return np.asarray(values[..., inside].mean(axis=-1), dtype=np.float64)
    return _linear(wavelength, values, np.array([at]))[..., 0]


def normalise(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    *,
    at: float = NORMALISATION_WAVELENGTH,
    window: float = 0.0,
    error: npt.ArrayLike | None = None,
) -> Resampled:
    """Divide spectra by their reflectance at `at` µm (unity there afterwards).

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm.
    reflectance : array_like, shape (m,) or (n, m)
        Values on the grid.
    at : float
        Normalisation wavelength in µm (default 0.55, as Bus & Binzel 2002).
    window : float
        If positive, divide by the mean of the samples within ±`window` µm of `at`
        (robust for dense, noisy spectra); if 0, by the linear interpolation at `at`.
    error : array_like, optional
        1-sigma errors, scaled by the same factor (the normaliser's own uncertainty is
        not propagated).

    Returns
    -------
    Resampled
        Normalised values and scaled errors, on the same grid.

    Raises
    ------
    CoverageError
        If `at` is outside the grid.
    SpectrumError
        If a spectrum's reflectance at `at` is not positive.

    Examples
    --------
    >>> normalise([0.5, 0.55, 0.6], [2.0, 4.0, 6.0]).reflectance.tolist()
    [0.5, 1.0, 1.5]
    """
    grid = as_grid(wavelength)
    values = as_values(reflectance, grid)
    reference = _value_at(grid, values, at, window)
    if np.any(reference <= 0):
        raise SpectrumError(
            f"Cannot normalise: reflectance at {at:g} µm is not positive "
            f"({float(np.min(reference)):.4g}). Check the spectrum's values near {at:g} µm."
        )
    scale = reference[..., np.newaxis]
    sigma = None if error is None else as_values(error, grid, "error") / scale
    return Resampled(values / scale, sigma)
