"""The one gap-filler: replace bad samples by linear interpolation between good ones.

Both the Gaia DR3 band repair (:mod:`~asteroid_spectra.spectra.bands`: flagged bands) and
the preparation of users' spectra for a model (:mod:`~asteroid_spectra.spectra.coverage`:
narrow gaps such as telluric bands) fill missing samples this way.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["fill_gaps"]

FloatArray = npt.NDArray[np.float64]


def _nearest_good(good: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.int64], ...]:
    """Index of the previous and next good column of each cell (-1 / k when none)."""
    n, k = good.shape
    columns = np.broadcast_to(np.arange(k), (n, k))
    previous = np.maximum.accumulate(np.where(good, columns, -1), axis=1)
    following = np.minimum.accumulate(np.where(good, columns, k)[:, ::-1], axis=1)[:, ::-1]
    return previous, following


def fill_gaps(wavelength: npt.ArrayLike, values: npt.ArrayLike, good: npt.ArrayLike) -> FloatArray:
    """Fill the bad samples of each spectrum linearly from its good samples.

    A bad sample between two good ones gets the linear interpolation between its nearest
    good neighbours; one beyond the last (or before the first) good sample the linear
    extrapolation from the two nearest good samples. Each row needs at least two good
    samples (a row with one is filled with that value; one with none stays as it is).

    Parameters
    ----------
    wavelength : array_like, shape (k,)
        Grid (µm), increasing.
    values : array_like, shape (n, k)
        Spectra on the grid.
    good : array_like of bool, shape (n, k) or (k,)
        Which samples to trust.

    Returns
    -------
    ndarray, shape (n, k)
        `values` with the bad samples replaced (good ones unchanged).

    Examples
    --------
    >>> fill_gaps([0.4, 0.5, 0.6, 0.7], [[9.0, 1.0, 9.0, 1.4]], [False, True, False, True])
    array([[0.8, 1. , 1.2, 1.4]])
    """
    grid = np.asarray(wavelength, dtype=np.float64)
    data = np.atleast_2d(np.asarray(values, dtype=np.float64))
    mask = np.broadcast_to(np.asarray(good, dtype=bool), data.shape)
    n, k = data.shape
    previous, following = _nearest_good(mask)
    rows = np.arange(n)[:, None]
    # Two anchors per cell: the good neighbours on each side, or the two nearest good
    # cells on the one side that has them (extrapolation).
    left = previous.copy()
    right = following.copy()
    no_left = left < 0
    no_right = right >= k
    safe = np.minimum(right, k - 1)
    after = np.minimum(safe + 1, k - 1)
    left = np.where(no_left, right, left)
    right = np.where(no_left, np.minimum(following[rows, after], k - 1), right)
    before = np.maximum(previous, 0)
    before_previous = np.where(before > 0, previous[rows, np.maximum(before - 1, 0)], -1)
    right = np.where(no_right, previous, right)
    left = np.where(no_right, np.maximum(before_previous, 0), left)
    left, right = np.clip(left, 0, k - 1), np.clip(right, 0, k - 1)
    x0, x1 = grid[left], grid[right]
    y0, y1 = data[rows, left], data[rows, right]
    span = np.where(x1 == x0, 1.0, x1 - x0)
    with np.errstate(invalid="ignore"):
        filled = y0 + (grid[None, :] - x0) * np.where(x1 == x0, 0.0, (y1 - y0) / span)
    usable = mask.any(axis=1, keepdims=True)
    return np.asarray(np.where(mask | ~usable, data, filled))
