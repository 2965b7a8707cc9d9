"""The checks spectral arrays pass before anything is computed from them.

Two kinds of input are checked here, once, so that the code behind them can trust it:

- the samples of a :class:`~asteroid_spectra.spectra.spectrum.Spectrum`
  (:func:`check_samples`, run by its constructor): wavelengths in µm, finite, strictly
  increasing and inside 0.1-6 µm; finite, non-negative reflectance and errors; at least
  :data:`MIN_POINTS` samples. The arrays come back as read-only copies;
- the wavelength grid and the values on it that the pure functions of
  :mod:`~asteroid_spectra.spectra.preprocess` and :mod:`~asteroid_spectra.spectra.shape`
  take (:func:`as_grid`, :func:`as_values`): a grid ``(m,)`` that is finite and strictly
  increasing, and finite values ``(m,)`` or ``(n, m)`` (one spectrum per row).

Every check raises :class:`~asteroid_spectra.exceptions.SpectrumError` (or
:class:`~asteroid_spectra.exceptions.UnitError` for wavelengths that are not in µm) with
what was expected, what was found and what to do.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.spectra.units import check_range

__all__ = ["MIN_POINTS", "Samples", "as_grid", "as_values", "check_samples"]

MIN_POINTS = 3
"""Fewest samples a spectrum may have (a slope needs three to be checked)."""

FloatArray = npt.NDArray[np.float64]


class Samples(NamedTuple):
    """The checked, read-only arrays of a spectrum (see :func:`check_samples`)."""

    wavelength: FloatArray
    reflectance: FloatArray
    error: FloatArray | None
    flag: npt.NDArray[np.int8] | None


def _frozen(values: npt.ArrayLike | None, dtype: Any = np.float64) -> Any:
    if values is None:
        return None
    array = np.array(values, dtype=dtype, copy=True)
    array.setflags(write=False)
    return array


def _where(wavelength: FloatArray, bad: npt.NDArray[np.bool_]) -> str:
    at = ", ".join(f"{w:.4g}" for w in wavelength[bad][:5])
    more = "…" if bad.sum() > 5 else ""
    return f"at {at}{more} µm"


def check_samples(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    error: npt.ArrayLike | None = None,
    flag: npt.ArrayLike | None = None,
) -> Samples:
    """Check the samples of a spectrum and return read-only copies of them.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Wavelengths in µm, finite, strictly increasing, within 0.1-6 µm.
    reflectance : array_like, shape (m,)
        Reflectance, finite and non-negative.
    error : array_like, shape (m,), optional
        1-sigma errors, finite and non-negative.
    flag : array_like of int, shape (m,), optional
        Per-sample quality flags (stored as int8).

    Returns
    -------
    Samples
        Copies of the arrays (float64, flags int8) that cannot be written to; the
        caller's arrays are neither shared nor frozen.

    Raises
    ------
    SpectrumError
        Shapes differ, too few points, NaNs, unsorted wavelengths, negative values.
    UnitError
        Wavelengths outside 0.1-6 µm (e.g. nm given as µm).

    Examples
    --------
    >>> samples = check_samples([0.45, 0.55, 0.65], [0.9, 1.0, 1.1])
    >>> samples.wavelength.tolist(), samples.wavelength.flags.writeable, samples.error
    ([0.45, 0.55, 0.65], False, None)
    """
    samples = Samples(
        _frozen(wavelength), _frozen(reflectance), _frozen(error), _frozen(flag, np.int8)
    )
    _check(*samples)
    return samples


def _check(wavelength: Any, reflectance: Any, error: Any, flag: Any) -> None:
    """Raise for the first check the frozen arrays of :func:`check_samples` fail."""
    for name, array in (("wavelength", wavelength), ("reflectance", reflectance)):
        if array.ndim != 1:
            raise SpectrumError(f"{name} must be 1-D; got shape {array.shape}.")
    size = wavelength.size
    for name, array in (("reflectance", reflectance), ("error", error), ("flag", flag)):
        if array is not None and array.shape != (size,):
            raise SpectrumError(
                f"{name} must have one value per wavelength ({size}); got shape {array.shape}."
            )
    if size < MIN_POINTS:
        raise SpectrumError(
            f"Too few points: a spectrum needs at least {MIN_POINTS} samples; got {size}."
        )
    if not np.all(np.isfinite(wavelength)):
        raise SpectrumError(
            f"wavelength has {int(np.sum(~np.isfinite(wavelength)))} NaN or infinite "
            "values; remove those rows."
        )
    check_range(wavelength)
    steps = np.diff(wavelength)
    if not np.all(steps > 0):
        i = int(np.flatnonzero(steps <= 0)[0])
        kind = "repeated" if steps[i] == 0 else "decreasing"
        raise SpectrumError(
            f"Wavelengths must be strictly increasing; {kind} at index {i + 1} "
            f"({wavelength[i + 1]:.6g} µm after {wavelength[i]:.6g} µm). Sort the samples "
            "and merge duplicates (Spectrum.from_arrays sorts reversed input)."
        )
    for name, array in (("reflectance", reflectance), ("error", error)):
        if array is None:
            continue
        bad = ~np.isfinite(array)
        if bad.any():
            raise SpectrumError(
                f"{name} has {int(bad.sum())} NaN or infinite values "
                f"{_where(wavelength, bad)}; remove those samples."
            )
        negative = array < 0
        if negative.any():
            raise SpectrumError(
                f"{name} has {int(negative.sum())} negative values "
                f"{_where(wavelength, negative)}; reflectance and errors cannot be "
                "negative. Remove those samples or check the file's columns."
            )


def as_grid(wavelength: npt.ArrayLike, what: str = "wavelength") -> FloatArray:
    """Return `wavelength` as a float64 grid, checked to be 1-D, finite and increasing.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        A wavelength grid (µm), at least 2 values, strictly increasing.
    what : str
        Name of the grid in the error message (``"target"`` for a resampling target).

    Returns
    -------
    ndarray, shape (m,)

    Raises
    ------
    SpectrumError
        If the grid is not 1-D with at least 2 values, or not finite and strictly
        increasing.
    """
    grid = np.asarray(wavelength, dtype=np.float64)
    if grid.ndim != 1 or grid.size < 2:
        raise SpectrumError(
            f"The {what} grid must be 1-D with at least 2 values; got {grid.shape}."
        )
    if not np.all(np.isfinite(grid)) or not np.all(np.diff(grid) > 0):
        raise SpectrumError(f"The {what} grid must be finite and strictly increasing.")
    return grid


def as_values(values: npt.ArrayLike, grid: FloatArray, what: str = "reflectance") -> FloatArray:
    """Return `values` as float64, checked to be finite spectra on `grid`.

    Parameters
    ----------
    values : array_like, shape (m,) or (n, m)
        One spectrum, or one per row, sampled on `grid`.
    grid : ndarray, shape (m,)
        The grid (from :func:`as_grid`).
    what : str
        Name of the values in the error message (``"error"`` for 1-sigma errors).

    Returns
    -------
    ndarray, shape (m,) or (n, m)

    Raises
    ------
    SpectrumError
        If the shape does not match the grid, or a value is NaN or infinite.
    """
    array = np.asarray(values, dtype=np.float64)
    if array.ndim not in (1, 2) or array.shape[-1] != grid.size:
        raise SpectrumError(
            f"{what} must have shape ({grid.size},) or (n, {grid.size}) to match the "
            f"wavelength grid; got {array.shape}."
        )
    if not np.all(np.isfinite(array)):
        raise SpectrumError(
            f"{what} contains {int(np.sum(~np.isfinite(array)))} NaN or infinite values; "
            "drop those samples (or bands) before preprocessing."
        )
    return array
