"""Exhaustive nearest-neighbour distances with numpy, and the out-of-distribution score.

:func:`squared_distances` is the one pairwise distance of the package: the RBF kernel of
the numpy-only inference form (:func:`~asteroid_spectra.models.inference.svc_decision`)
and, without the constant row term, the nearest-neighbour search (:func:`kth_distance`)
of the out-of-distribution score (:class:`~asteroid_spectra.models.uncertainty.DistanceOOD`,
:func:`distance_score`) use it, in blocks of rows. The arithmetic follows scikit-learn's, so the
distances agree with ``sklearn.metrics.pairwise.euclidean_distances`` and
``sklearn.neighbors.NearestNeighbors`` to rounding, without importing scikit-learn.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["CHUNK", "distance_score", "kth_distance", "squared_distances"]

FloatArray = npt.NDArray[np.float64]

CHUNK = 2048
"""Rows per block of kernel matrices (keeps them in cache, bounds memory)."""

SEARCH_CHUNK = 256
"""Rows per block of the nearest-neighbour search (measured fastest for 2,000 references)."""


def squared_distances(X: FloatArray, Y: FloatArray) -> FloatArray:
    """Squared Euclidean distances between the rows of `X` and `Y`, shape (n, m).

    ``|x|^2 - 2 x.y + |y|^2`` clipped at 0, in scikit-learn's order of operations
    (``sklearn.metrics.pairwise.euclidean_distances``).
    """
    distances = -2 * (X @ Y.T)
    distances += np.einsum("ij,ij->i", X, X)[:, np.newaxis]
    distances += np.einsum("ij,ij->i", Y, Y)[np.newaxis, :]
    np.maximum(distances, 0, out=distances)
    return distances


def kth_distance(X: FloatArray, reference: FloatArray, k: int) -> FloatArray:
    """Distance of each row of `X` to its `k`-th nearest row of `reference` (k ≥ 1).

    Exhaustive search in blocks of rows. The squared distance ``|x|^2 - 2 x.y + |y|^2``
    is ranked without its ``|x|^2`` term, constant along a row, which is added (and the
    result clipped at 0) to the k-th value only: the distances of
    ``sklearn.neighbors.NearestNeighbors(algorithm="brute")`` to rounding, at half the
    passes over the distance matrix.

    Examples
    --------
    >>> reference = np.array([[0.0], [1.0], [3.0]])
    >>> kth_distance(np.array([[0.0], [2.5]]), reference, 2).tolist()
    [1.0, 1.5]
    """
    out = np.empty(len(X))
    far = -2 * np.ascontiguousarray(reference.T)
    own = np.einsum("ij,ij->i", reference, reference)
    for start in range(0, len(X), SEARCH_CHUNK):
        rows = X[start : start + SEARCH_CHUNK]
        partial = rows @ far
        partial += own
        kth = np.partition(partial, k - 1, axis=1)[:, k - 1]
        out[start : start + SEARCH_CHUNK] = kth + np.einsum("ij,ij->i", rows, rows)
    np.maximum(out, 0, out=out)
    return np.sqrt(out)


def distance_score(X: FloatArray, reference: FloatArray, k: int, scale: float) -> FloatArray:
    """Out-of-distribution score: :func:`kth_distance` to `reference` divided by `scale`.

    The score of :class:`~asteroid_spectra.models.uncertainty.DistanceOOD` from its
    fitted ``reference_spectra_``, ``k_`` and ``reference_`` (the training spectra's own
    k-NN distance at the chosen quantile): ≤ 1 is typical of the training set.
    """
    return np.asarray(kth_distance(X, reference, k) / scale)
