"""Band spectra (Gaia DR3): the bands a model uses and the repair of flagged bands.

Gaia DR3 samples each asteroid in 16 bands 0.374-1.034 µm, each with a 1-sigma error and
a flag (0 good; 1 and 2 doubtful). Measured on the 60,518 published spectra, the flags
concentrate at the ends: 74 % of the 0.374 µm values are flagged or missing, 45 % at
1.034 µm, 7 % at 0.418 and 0.990 µm, ~1 % elsewhere; flagged values have a median error of
0.36 (unflagged: 0.03). So the models use the 13 bands 0.418-0.946 µm
(:data:`GAIA_DR3_USED`) and treat a flagged or missing value inside them as a gap,
filled by linear interpolation between the neighbouring good bands (linear extrapolation
from the two nearest good bands at the ends). Measured (``benchmarks/cross_survey.py``,
5x5 grouped CV): repairing and trusting the flagged values classify alike, within the
fold spread (main-group accuracy 0.863 vs 0.866 ± 0.02 on the published spectra, 0.813
vs 0.818 at catalogue noise); repair is kept because it keeps the catalogue's wild
flagged values (negative reflectances, errors of 0.4) out of the classifier.

References
----------
Gaia Collaboration, Galluccio, L. et al. (2023). Gaia Data Release 3: Reflectance spectra
of Solar System small bodies. A&A 674, A35 (section 5: flags and known systematics).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema
from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.spectra.gaps import fill_gaps

__all__ = [
    "ERROR_BINS",
    "ERROR_BIN_LABELS",
    "GAIA_DR3_USED",
    "MIN_GOOD_BANDS",
    "SMASS2_OVERLAP",
    "RepairedBands",
    "band_index",
    "error_bin",
    "median_error",
    "repair_bands",
]

FloatArray = npt.NDArray[np.float64]

GAIA_DR3_USED: npt.NDArray[np.float64] = schema.GAIA_DR3_WAVELENGTH[1:14].copy()
"""The 13 Gaia DR3 bands (µm) the models use: 0.418-0.946 µm."""
GAIA_DR3_USED.setflags(write=False)

SMASS2_OVERLAP = (0.46, 0.91)
"""Span (µm) of the Gaia DR3 bands inside SMASSII's 0.44-0.92 µm: 0.462-0.902, 11 bands."""

ERROR_BINS = ((0.0, 0.01), (0.01, 0.03), (0.03, 0.06), (0.06, np.inf))
"""Bins of a spectrum's median band error (0.462-0.902 µm) used to report accuracy."""

ERROR_BIN_LABELS = tuple(
    f"<{hi:g}" if lo == 0 else (f">{lo:g}" if np.isinf(hi) else f"{lo:g}-{hi:g}")
    for lo, hi in ERROR_BINS
)
"""Labels of :data:`ERROR_BINS`: ``"<0.01"``, ``"0.01-0.03"``, ``"0.03-0.06"``, ``">0.06"``."""

MIN_GOOD_BANDS = 9
"""Fewest good (unflagged, finite) bands of the used ones a spectrum needs to be repaired."""


class RepairedBands(NamedTuple):
    """Band spectra restricted to the used bands, flagged values filled.

    Attributes
    ----------
    reflectance : ndarray, shape (n, k)
        Reflectance on the used bands; rows that could not be repaired are NaN.
    error : ndarray, shape (n, k)
        1-sigma errors of the used bands (as published; NaN where missing).
    n_filled : ndarray of int, shape (n,)
        Bands of each row filled by interpolation.
    usable : ndarray of bool, shape (n,)
        Rows with at least `min_good` good bands.
    """

    reflectance: FloatArray
    error: FloatArray
    n_filled: npt.NDArray[np.int64]
    usable: npt.NDArray[np.bool_]


def band_index(
    bands: npt.ArrayLike, wavelength: npt.ArrayLike = schema.GAIA_DR3_WAVELENGTH
) -> npt.NDArray[np.intp]:
    """Column of each band centre of `bands` in a grid of band centres `wavelength` (µm).

    Raises
    ------
    SpectrumError
        If a band is not one of the centres (within 1e-6 µm).

    Examples
    --------
    >>> band_index([0.418, 0.55]).tolist()
    [1, 4]
    """
    grid = np.asarray(wavelength, dtype=np.float64)
    keep = np.atleast_1d(np.asarray(bands, dtype=np.float64))
    index = np.abs(grid[np.newaxis, :] - keep[:, np.newaxis]).argmin(axis=1)
    if not np.allclose(grid[index], keep, atol=1e-6):
        raise SpectrumError(
            f"Every band to keep must be one of the band centres {np.round(grid, 3).tolist()} "
            f"µm; got {np.round(keep, 3).tolist()}."
        )
    return np.asarray(index, dtype=np.intp)


def repair_bands(
    reflectance: npt.ArrayLike,
    flag: npt.ArrayLike | None = None,
    error: npt.ArrayLike | None = None,
    *,
    wavelength: npt.ArrayLike = schema.GAIA_DR3_WAVELENGTH,
    bands: npt.ArrayLike = GAIA_DR3_USED,
    min_good: int = MIN_GOOD_BANDS,
) -> RepairedBands:
    """Restrict band spectra to `bands` and fill their flagged or missing values.

    Parameters
    ----------
    reflectance : array_like, shape (n, m)
        Reflectance on `wavelength` (normalised to 1 at 0.55 µm).
    flag : array_like of int, shape (n, m), optional
        Per-band flags; non-zero marks a doubtful value. Default: all good.
    error : array_like, shape (n, m), optional
        1-sigma errors, passed through restricted to `bands`.
    wavelength : array_like, shape (m,)
        Band centres (µm) of the columns (default: the 16 Gaia DR3 bands).
    bands : array_like, shape (k,)
        Band centres (µm) to keep; each must be one of `wavelength`.
    min_good : int
        Rows with fewer good values among `bands` are not repaired (NaN, ``usable``
        False): interpolating most of a spectrum would invent it.

    Returns
    -------
    RepairedBands

    Raises
    ------
    SpectrumError
        If the arrays' shapes disagree or a band is not in `wavelength`.

    Examples
    --------
    >>> grid = np.array([0.4, 0.5, 0.6, 0.7])
    >>> out = repair_bands([[9.0, 1.0, 1.2, 1.4]], [[1, 0, 0, 0]], wavelength=grid,
    ...                    bands=grid, min_good=2)
    >>> out.reflectance.round(3).tolist(), out.n_filled.tolist()
    ([[0.8, 1.0, 1.2, 1.4]], [1])
    """
    grid = np.asarray(wavelength, dtype=np.float64)
    values = np.atleast_2d(np.asarray(reflectance, dtype=np.float64))
    if values.ndim != 2 or values.shape[1] != grid.size:
        raise SpectrumError(
            f"Band spectra must have shape (n, {grid.size}) to match the {grid.size} band "
            f"centres; got shape {values.shape}."
        )
    flags = np.zeros(values.shape, dtype=np.int64) if flag is None else np.atleast_2d(flag)
    if flags.shape != values.shape:
        raise SpectrumError(f"The flags have shape {flags.shape}; expected {values.shape}.")
    keep = np.asarray(bands, dtype=np.float64)
    index = band_index(keep, grid)
    kept = values[:, index]
    good = np.isfinite(kept) & (flags[:, index] == 0)
    n_good = good.sum(axis=1)
    usable = n_good >= max(min_good, 2)
    filled = np.full_like(kept, np.nan)
    if usable.any():
        filled[usable] = fill_gaps(keep, kept[usable], good[usable])
    errors = np.full_like(kept, np.nan)
    if error is not None:
        sigma = np.atleast_2d(np.asarray(error, dtype=np.float64))
        if sigma.shape != values.shape:
            raise SpectrumError(f"The errors have shape {sigma.shape}; expected {values.shape}.")
        errors = sigma[:, index]
    n_filled = np.where(usable, keep.size - n_good, 0).astype(np.int64)
    return RepairedBands(filled, errors, n_filled, usable)


def median_error(
    error: npt.ArrayLike,
    *,
    wavelength: npt.ArrayLike = schema.GAIA_DR3_WAVELENGTH,
    span: tuple[float, float] = SMASS2_OVERLAP,
) -> FloatArray:
    """Median 1-sigma error of each spectrum over the bands inside `span` (µm).

    The default span, 0.462-0.902 µm for Gaia DR3, leaves out the noisy end bands, so the
    value ranks spectra by their overall signal-to-noise ratio. Missing errors are
    skipped; a spectrum with none gives NaN.

    Examples
    --------
    >>> grid = np.array([0.4, 0.5, 0.6, 0.7])
    >>> median_error([[0.9, 0.01, 0.03, np.nan]], wavelength=grid, span=(0.45, 0.75)).tolist()
    [0.02]
    """
    import warnings

    grid = np.asarray(wavelength, dtype=np.float64)
    values = np.atleast_2d(np.asarray(error, dtype=np.float64))
    inside = (grid >= span[0]) & (grid <= span[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
        return np.asarray(np.nanmedian(values[:, inside], axis=1))


def error_bin(errors: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Label each median band error with its bin of :data:`ERROR_BINS` (``"0.01-0.03"``).

    Examples
    --------
    >>> error_bin([0.005, 0.02, 0.2]).tolist()
    ['<0.01', '0.01-0.03', '>0.06']
    """
    values = np.asarray(errors, dtype=np.float64)
    labels = np.empty(values.shape, dtype=object)
    for (lo, hi), label in zip(ERROR_BINS, ERROR_BIN_LABELS, strict=True):
        labels[(values >= lo) & (values < hi)] = label
    labels[~np.isfinite(values)] = "unknown"
    return labels
