"""What every stage shares: the run settings, the stage record, reference numbers, helpers.

``mean_std`` and ``headline`` format the numbers of an evaluation summary; ``cross_validate``
builds a model by name (or clones a given estimator) and cross-validates it on a SMASSII
target under the run's settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asteroid_spectra.report.sections import Section

__all__ = [
    "TUTORIAL_X_F1",
    "Progress",
    "Settings",
    "Stage",
    "cross_validate",
    "headline",
    "mean_std",
]

Progress = Callable[[int, int], None]
"""``(done, total)`` progress callback of a stage."""

TUTORIAL_X_F1 = {"svm": 0.938, "mlp": 0.931, "cnn": 0.945, "mlp-tuned": 0.941}
"""F1 of the X class published by the reference tutorial (one random split each)."""


@dataclass(frozen=True)
class Settings:
    """How much work the study does.

    Attributes
    ----------
    seed : int
        Seed of every split, model and draw.
    quick : bool
        Shrink the work (same code paths).
    """

    seed: int = 0
    quick: bool = False

    @property
    def folds(self) -> int:
        """Folds of the stratified K-fold."""
        return 3 if self.quick else 5

    @property
    def repeats(self) -> int:
        """Repeats of the K-fold."""
        return 1 if self.quick else 3

    @property
    def max_epochs(self) -> int | None:
        """Epoch cap of the networks (None: their defaults)."""
        return 15 if self.quick else None

    @property
    def trials(self) -> int:
        """Optuna trials of the tuning stage."""
        return 4 if self.quick else 20

    @property
    def cluster_seeds(self) -> int:
        """Autoencoder seeds of the latent-space study."""
        return 2 if self.quick else 5

    def key(self) -> dict[str, Any]:
        """Return what the results depend on, besides the data and the code."""
        return {"seed": self.seed, "quick": self.quick}


@dataclass(frozen=True)
class Stage:
    """A named step of the study."""

    key: str
    title: str
    run: Callable[[Settings, Progress], Section]


def mean_std(metric: dict[str, float]) -> str:
    """Format ``{"mean": m, "std": s}`` as ``"m ± s"`` (3 decimals)."""
    return f"{metric['mean']:.3f} ± {metric['std']:.3f}"


def headline(summary: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Return the entries of `keys` that `summary` has."""
    return {k: summary[k] for k in keys if k in summary}


def cross_validate(
    name: str, target: str, settings: Settings, progress: Progress, estimator: Any = None
) -> Any:
    """Cross-validate model `name` (or a clone of `estimator`) under the run's settings."""
    from asteroid_spectra.models.training import evaluate_named

    return evaluate_named(
        target,
        name,
        folds=settings.folds,
        repeats=settings.repeats,
        seed=settings.seed,
        on_fold=progress,
        estimator=estimator,
        params=None if settings.max_epochs is None else {"max_epochs": settings.max_epochs},
    )
