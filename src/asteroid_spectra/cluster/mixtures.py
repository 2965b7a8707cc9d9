"""Gaussian-mixture sweeps: how many components do the data support.

For each number of components k = 1..K and each seed, a full-covariance
:class:`~sklearn.mixture.GaussianMixture` is fitted and scored by the Bayesian and
Akaike information criteria. The BIC-optimal k of every seed shows whether the answer is
stable or an accident of one initialisation.

References
----------
Schwarz, G. (1978). Estimating the dimension of a model. Annals of Statistics 6,
461-464 (BIC). Akaike, H. (1974). A new look at the statistical model identification.
IEEE Transactions on Automatic Control 19, 716-723 (AIC).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.mixture import GaussianMixture

from asteroid_spectra.exceptions import ParameterError

__all__ = ["MixtureSweep", "fit_mixture", "sweep_mixtures"]


@dataclass(frozen=True)
class MixtureSweep:
    """Information criteria of mixtures with 1..K components over several seeds.

    Attributes
    ----------
    n_components : ndarray, shape (K,)
        1..K.
    seeds : tuple of int
        Mixture initialisation seeds (rows of the score arrays).
    bic, aic : ndarray, shape (n_seeds, K)
        Criteria (lower is better).
    """

    n_components: npt.NDArray[np.int64]
    seeds: tuple[int, ...]
    bic: npt.NDArray[np.float64]
    aic: npt.NDArray[np.float64]

    @property
    def bic_optimal_k(self) -> npt.NDArray[np.int64]:
        """BIC-optimal number of components of each seed."""
        return np.asarray(self.n_components[np.argmin(self.bic, axis=1)])

    @property
    def aic_optimal_k(self) -> npt.NDArray[np.int64]:
        """AIC-optimal number of components of each seed."""
        return np.asarray(self.n_components[np.argmin(self.aic, axis=1)])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "n_components": self.n_components.tolist(),
            "seeds": list(self.seeds),
            "bic": self.bic.tolist(),
            "aic": self.aic.tolist(),
            "bic_optimal_k": self.bic_optimal_k.tolist(),
            "aic_optimal_k": self.aic_optimal_k.tolist(),
        }


def fit_mixture(Z: npt.ArrayLike, n_components: int, seed: int) -> GaussianMixture:
    """Fit a full-covariance Gaussian mixture (k-means++ start, seeded)."""
    return GaussianMixture(
        n_components=n_components,
        covariance_type="full",
        init_params="k-means++",
        max_iter=200,
        reg_covar=1e-6,
        random_state=seed,
    ).fit(np.asarray(Z, dtype=np.float64))


def sweep_mixtures(
    Z: npt.ArrayLike,
    max_components: int = 15,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    on_step: Callable[[], None] | None = None,
) -> MixtureSweep:
    """Fit mixtures with 1..`max_components` components for every seed.

    Parameters
    ----------
    Z : array_like, shape (n, d)
        Points (latent vectors).
    max_components : int
        Largest number of components K.
    seeds : sequence of int
        Initialisation seeds.
    on_step : callable, optional
        Called after each fit (for progress bars).

    Returns
    -------
    MixtureSweep
    """
    points = np.asarray(Z, dtype=np.float64)
    if max_components < 1:
        raise ParameterError(f"max_components must be at least 1. Got {max_components!r} instead.")
    ks = np.arange(1, max_components + 1)
    bic = np.empty((len(seeds), ks.size))
    aic = np.empty((len(seeds), ks.size))
    for i, seed in enumerate(seeds):
        for j, k in enumerate(ks):
            mixture = fit_mixture(points, int(k), seed)
            bic[i, j] = mixture.bic(points)
            aic[i, j] = mixture.aic(points)
            if on_step is not None:
                on_step()
    return MixtureSweep(ks, tuple(int(s) for s in seeds), bic, aic)
