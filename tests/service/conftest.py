"""Fixtures for the service tests: a small trained model on synthetic spectra.

Three Bus-like prototypes per main group on the SMASSII grid — a slope through unity at
0.55 µm and, for S and V types, a Gaussian band near 0.92 µm (Bus & Binzel 2002) — with
1 % noise, seeded.
"""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.uncertainty import DistanceOOD
from asteroid_spectra.schema import SMASS2_WAVELENGTH

GRID = np.asarray(SMASS2_WAVELENGTH)

# Bus-like class -> (main group, slope µm⁻¹, depth of the band at 0.92 µm).
PROTOTYPES = {
    "C": ("C", 0.0, 0.0),
    "B": ("C", -0.25, 0.0),
    "S": ("S", 0.9, 0.15),
    "Sq": ("S", 0.5, 0.25),
    "X": ("X", 0.35, 0.0),
    "D": ("Other", 2.0, 0.0),
    "V": ("Other", 0.4, 0.45),
}


def prototype(name: str, wavelength: np.ndarray = GRID) -> np.ndarray:
    """Noise-free spectrum of a prototype, unity at 0.55 µm."""
    _, gradient, depth = PROTOTYPES[name]
    band = 1 - depth * np.exp(-0.5 * ((wavelength - 0.95) / 0.08) ** 2)
    at = 1 - depth * np.exp(-0.5 * ((0.55 - 0.95) / 0.08) ** 2)
    return (1 + gradient * (wavelength - 0.55)) * band / at


@pytest.fixture(scope="session")
def synthetic() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reflectance (140, 49), main groups and Bus-like classes: 20 spectra per class."""
    rng = np.random.default_rng(7)
    rows, groups, fine = [], [], []
    for name, (group, _, _) in PROTOTYPES.items():
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
