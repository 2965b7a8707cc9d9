"""Fixtures for the model tests: seeded synthetic spectra with Bus-like labels.

Each Bus-like class is a prototype on the SMASSII grid (0.44-0.92 µm): a linear slope
through unity at 0.55 µm times Gaussian absorption bands near 0.92 µm (the onset of the
1-µm band of S, V and Q types) and 0.70 µm (the hydration band of Ch types), following the
feature-based definitions of Bus & Binzel (2002). Spectra are prototypes with a jittered
slope and band depth plus 1 % Gaussian noise, so the main groups are easy to separate and
the finer classes are harder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.uncertainty import DistanceOOD
from asteroid_spectra.spectra.sets import SpectralSet

from ..conftest import CLASS_PROTOTYPES, GRID, prototype

WAVELENGTH = np.array(schema.SMASS2_WAVELENGTH)

# Bus-like class -> (slope µm⁻¹, depth of the 0.92-µm band, depth of the 0.70-µm band).
PROTOTYPES: Mapping[str, tuple[float, float, float]] = {
    "S": (0.9, 0.15, 0.0),
    "Sq": (0.5, 0.25, 0.0),
    "Sa": (1.6, 0.15, 0.0),
    "Sk": (0.7, 0.08, 0.0),
    "C": (0.0, 0.0, 0.0),
    "Ch": (0.05, 0.0, 0.08),
    "X": (0.35, 0.0, 0.0),
    "Xk": (0.3, 0.05, 0.0),
    "V": (0.4, 0.45, 0.0),
    "D": (2.4, 0.0, 0.0),
    "O": (0.3, 0.35, 0.0),
    "R": (1.0, 0.4, 0.0),
}

# 180 labelled spectra: four main groups, nine fine classes of 10-30 spectra each.
COUNTS: Mapping[str, int] = {
    "S": 30,
    "Sq": 20,
    "Sa": 10,
    "C": 30,
    "Ch": 20,
    "X": 25,
    "Xk": 15,
    "V": 15,
    "D": 15,
}


def synthetic_spectra(
    counts: Mapping[str, int], seed: int, noise: float = 0.01
) -> tuple[np.ndarray, np.ndarray]:
    """Return reflectance (n, 49) and Bus-like labels (n,) drawn around the prototypes."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for name, count in counts.items():
        slope, band, hydration = PROTOTYPES[name]
        slopes = slope + rng.normal(0, 0.05, (count, 1))
        bands = band * rng.uniform(0.85, 1.15, (count, 1))
        hydrations = hydration * rng.uniform(0.85, 1.15, (count, 1))
        values = (
            (1 + slopes * (WAVELENGTH - schema.NORMALISATION_WAVELENGTH))
            * (1 - bands * np.exp(-(((WAVELENGTH - 0.92) / 0.1) ** 2)))
            * (1 - hydrations * np.exp(-(((WAVELENGTH - 0.70) / 0.05) ** 2)))
        )
        values /= values[:, [np.flatnonzero(WAVELENGTH == 0.55)[0]]]
        rows.append(values + rng.normal(0, noise, values.shape))
        labels += [name] * count
    order = rng.permutation(len(labels))
    return np.vstack(rows)[order], np.asarray(labels, dtype=object)[order]


@dataclass(frozen=True)
class Labelled:
    """Synthetic training data: reflectance, main groups, Bus-like classes, grid."""

    X: np.ndarray
    y: np.ndarray
    fine: np.ndarray
    wavelength: np.ndarray


def labelled(counts: Mapping[str, int], seed: int) -> Labelled:
    X, fine = synthetic_spectra(counts, seed)
    y = np.asarray([schema.main_group(f) for f in fine], dtype=object)
    return Labelled(X, y, fine, WAVELENGTH)


@pytest.fixture(scope="session")
def grid() -> np.ndarray:
    """The SMASSII grid, µm."""
    return WAVELENGTH


@pytest.fixture(scope="session")
def train() -> Labelled:
    """180 synthetic labelled spectra (seed 1)."""
    return labelled(COUNTS, seed=1)


@pytest.fixture(scope="session")
def held_out() -> Labelled:
    """180 more spectra from the same classes (seed 2), held out."""
    return labelled(COUNTS, seed=2)


@pytest.fixture(scope="session")
def make_labelled() -> Callable[[Mapping[str, int], int], Labelled]:
    """Factory: ``make_labelled(counts, seed)`` for custom class sizes."""
    return labelled


@pytest.fixture(scope="session")
def spectral_set() -> SpectralSet:
    """A SMASSII-like set: 180 common-class spectra, rare O (2) and R (3), 4 unlabelled."""
    counts = {**COUNTS, "O": 2, "R": 3}
    X, fine = synthetic_spectra(counts, seed=3)
    unlabelled, _ = synthetic_spectra({"S": 2, "C": 2}, seed=4)
    n, k = len(fine), len(unlabelled)
    objects = pd.DataFrame(
        {
            schema.OBJECT_ID: [str(i + 1) for i in range(n + k)],
            schema.BUS_CLASS: [*fine.tolist(), *[None] * k],
            schema.MAIN_GROUP: [*(schema.main_group(f) for f in fine), *[None] * k],
            schema.LABELLED: [True] * n + [False] * k,
        }
    )
    error = np.full((n + k, WAVELENGTH.size), 0.01)
    return SpectralSet(objects, WAVELENGTH, np.vstack([X, unlabelled]), error=error)


# --- a small trained model on the Bus-like prototypes (classification tests) ----------------
@pytest.fixture(scope="session")
def synthetic() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reflectance (140, 49), main groups and Bus-like classes: 20 spectra per class."""
    rng = np.random.default_rng(7)
    rows, groups, fine = [], [], []
    for name, (group, _, _) in CLASS_PROTOTYPES.items():
        for _ in range(20):
            rows.append(prototype(name) * (1 + rng.normal(0, 0.01, GRID.size)))
            groups.append(group)
            fine.append(name)
    X = np.asarray(rows)
    X /= X[:, GRID == 0.55]
    return X, np.asarray(groups, dtype=object), np.asarray(fine, dtype=object)


def fit_model(
    synthetic: tuple[np.ndarray, np.ndarray, np.ndarray], keep: np.ndarray | None = None
) -> TaxonomyModel:
    """A Bus-level SVM on the synthetic spectra, on the grid points `keep`."""
    X, groups, fine = synthetic
    keep = np.ones(GRID.size, dtype=bool) if keep is None else keep
    estimator = GroupedClassifier(make_svm(scaling=None, C=30.0, gamma=10.0))
    estimator.fit(X[:, keep], groups, fine_labels=fine)
    ood = DistanceOOD().fit(X[:, keep])
    return TaxonomyModel(estimator, "main-group", "synthetic-svm", GRID[keep], ood)


@pytest.fixture(scope="session")
def model(synthetic: tuple[np.ndarray, np.ndarray, np.ndarray]) -> TaxonomyModel:
    """The model on the whole grid."""
    return fit_model(synthetic)
