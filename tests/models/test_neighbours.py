"""Nearest-neighbour distances with numpy agree with scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from asteroid_spectra.models.neighbours import kth_distance, squared_distances


def test_squared_distances_match_a_direct_computation(rng: np.random.Generator) -> None:
    X, Y = rng.normal(size=(7, 5)), rng.normal(size=(4, 5))
    direct = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=2)
    np.testing.assert_allclose(squared_distances(X, Y), direct, rtol=1e-12, atol=1e-12)
    assert (squared_distances(X, X).diagonal() >= 0).all()


@pytest.mark.parametrize("k", [1, 3, 5])
def test_kth_distance_matches_nearest_neighbours(k: int, rng: np.random.Generator) -> None:
    reference = rng.normal(size=(300, 6))
    X = rng.normal(size=(5000, 6))  # more rows than one block
    expected = NearestNeighbors(n_neighbors=k).fit(reference).kneighbors(X)[0][:, -1]
    np.testing.assert_allclose(kth_distance(X, reference, k), expected, rtol=1e-10)
