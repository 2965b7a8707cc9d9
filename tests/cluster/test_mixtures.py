"""Gaussian-mixture sweeps: BIC/AIC over 1..K components and several seeds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from asteroid_spectra.cluster.mixtures import MixtureSweep, fit_mixture, sweep_mixtures

SEEDS = (0, 1, 2)


def blobs(k: int, d: int, n_per_blob: int, seed: int) -> np.ndarray:
    """`k` unit-variance Gaussian blobs in `d` dimensions, neighbouring centres 12 σ apart."""
    rng = np.random.default_rng(seed)
    centres = 12.0 * _polygon(k, d)
    return np.vstack([rng.normal(centre, 1.0, (n_per_blob, d)) for centre in centres])


def _polygon(k: int, d: int) -> np.ndarray:
    """`k` points on a circle in the first two of `d` axes, neighbours 1 apart."""
    angles = 2 * np.pi * np.arange(k) / k
    radius = 1 / (2 * np.sin(np.pi / k))
    points = np.zeros((k, d))
    points[:, 0], points[:, 1] = radius * np.cos(angles), radius * np.sin(angles)
    return points


def free_parameters(k: int, d: int) -> int:
    """Free parameters of a full-covariance mixture: means, covariances, weights."""
    return k * d + k * d * (d + 1) // 2 + k - 1


@pytest.mark.parametrize(("k", "d"), [(3, 2), (4, 2), (4, 3)])
def test_bic_finds_the_number_of_blobs_for_every_seed(k: int, d: int) -> None:
    points = blobs(k, d, 80, seed=k + d)
    sweep = sweep_mixtures(points, max_components=7, seeds=SEEDS)
    assert sweep.bic_optimal_k.tolist() == [k] * len(SEEDS)
    # One component short is far worse: the blobs are far apart.
    assert np.all(sweep.bic[:, k - 2] - sweep.bic[:, k - 1] > 100)


def test_shapes_and_seeds() -> None:
    points = blobs(3, 2, 40, seed=1)
    sweep = sweep_mixtures(points, max_components=5, seeds=(4, 9))
    assert sweep.n_components.tolist() == [1, 2, 3, 4, 5]
    assert sweep.seeds == (4, 9)
    assert sweep.bic.shape == sweep.aic.shape == (2, 5)
    assert sweep.bic_optimal_k.shape == sweep.aic_optimal_k.shape == (2,)
    assert np.all(np.isfinite(sweep.bic))


@pytest.mark.parametrize("n", [7, 8, 60])
def test_bic_minus_aic_is_the_parameter_count_times_ln_n_minus_2(n: int) -> None:
    # BIC - AIC = p ln n - 2 p = p (ln n - 2) (Schwarz 1978; Akaike 1974): AIC ≤ BIC
    # exactly when n > e² ≈ 7.39, so 7 points give AIC > BIC and 8 give AIC < BIC.
    d = 2
    rng = np.random.default_rng(n)
    points = rng.normal(size=(n, d))
    sweep = sweep_mixtures(points, max_components=2 if n < 20 else 4, seeds=(0,))
    ks = sweep.n_components
    expected = np.array([free_parameters(int(k), d) for k in ks]) * (np.log(n) - 2)
    np.testing.assert_allclose(sweep.bic[0] - sweep.aic[0], expected, rtol=1e-9)
    assert np.all(np.sign(sweep.bic - sweep.aic) == np.sign(np.log(n) - 2))


def test_aic_is_below_bic_on_blobs() -> None:
    points = blobs(3, 2, 50, seed=3)  # n = 150 > e²
    sweep = sweep_mixtures(points, max_components=5, seeds=SEEDS)
    # The gap is p (ln 150 - 2) ≥ 5 × 3.01 for k = 1 (5 free parameters in 2-D).
    assert np.all(sweep.bic - sweep.aic >= 5 * (np.log(150) - 2) - 1e-9)
    # AIC penalises less, so it never prefers fewer components than BIC here.
    assert np.all(sweep.aic_optimal_k >= sweep.bic_optimal_k)


def test_optimal_k_is_the_argmin_of_each_row() -> None:
    sweep = MixtureSweep(
        n_components=np.arange(1, 5),
        seeds=(0, 1),
        bic=np.array([[9.0, 4.0, 5.0, 6.0], [9.0, 8.0, 7.0, 3.0]]),
        aic=np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 1.0, 2.0, 3.0]]),
    )
    assert sweep.bic_optimal_k.tolist() == [2, 4]
    assert sweep.aic_optimal_k.tolist() == [1, 2]


def test_to_dict_round_trips_through_json() -> None:
    points = blobs(3, 2, 30, seed=2)
    sweep = sweep_mixtures(points, max_components=4, seeds=(0, 5))
    data = json.loads(json.dumps(sweep.to_dict()))
    assert set(data) == {"n_components", "seeds", "bic", "aic", "bic_optimal_k", "aic_optimal_k"}
    rebuilt = MixtureSweep(
        np.asarray(data["n_components"]),
        tuple(data["seeds"]),
        np.asarray(data["bic"]),
        np.asarray(data["aic"]),
    )
    np.testing.assert_array_equal(rebuilt.n_components, sweep.n_components)
    assert rebuilt.seeds == sweep.seeds == (0, 5)
    np.testing.assert_array_equal(rebuilt.bic, sweep.bic)  # floats survive JSON exactly
    np.testing.assert_array_equal(rebuilt.aic, sweep.aic)
    assert data["bic_optimal_k"] == rebuilt.bic_optimal_k.tolist() == sweep.bic_optimal_k.tolist()
    assert data["aic_optimal_k"] == rebuilt.aic_optimal_k.tolist()
    assert rebuilt.to_dict() == data


def test_sweep_scores_are_those_of_fit_mixture() -> None:
    points = blobs(3, 2, 30, seed=4)
    sweep = sweep_mixtures(points, max_components=4, seeds=(0, 3))
    for row, seed in enumerate(sweep.seeds):
        for column, k in enumerate(sweep.n_components):
            mixture = fit_mixture(points, int(k), seed)
            assert mixture.bic(points) == sweep.bic[row, column]
            assert mixture.aic(points) == sweep.aic[row, column]


def test_fit_mixture_is_seeded_full_covariance() -> None:
    points = blobs(3, 2, 30, seed=5)
    first, second = fit_mixture(points, 3, 7), fit_mixture(points, 3, 7)
    assert first.covariance_type == "full"
    assert first.covariances_.shape == (3, 2, 2)
    np.testing.assert_array_equal(first.means_, second.means_)
    np.testing.assert_array_equal(first.predict(points), second.predict(points))


def test_on_step_is_called_after_every_fit() -> None:
    calls: list[None] = []
    sweep_mixtures(
        blobs(3, 2, 20, seed=6), max_components=3, seeds=(0, 1), on_step=lambda: calls.append(None)
    )
    assert len(calls) == 2 * 3


def test_sweep_does_not_modify_its_input() -> None:
    points = blobs(3, 2, 20, seed=7)
    before = points.copy()
    sweep_mixtures(points, max_components=2, seeds=(0,))
    np.testing.assert_array_equal(points, before)


@pytest.mark.parametrize("max_components", [0, -3])
def test_max_components_below_one_is_rejected(max_components: int) -> None:
    with pytest.raises(
        ValueError, match=rf"max_components must be at least 1\. Got {max_components} instead\."
    ):
        sweep_mixtures(np.zeros((10, 2)), max_components=max_components)
