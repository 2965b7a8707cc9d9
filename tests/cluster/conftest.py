"""Fixtures for the latent-space tests: seeded spectra with known structure.

Two kinds of synthetic spectra, both on a chosen grid (µm):

* *factor spectra* are generated from three latent factors only - a linear slope
  through unity at 0.55 µm, and the depth and centre of a Gaussian 1-µm band onset -
  plus 0.5 % Gaussian noise, so a 3-dimensional autoencoder can reconstruct them well;
* a *labelled set* of four prototype classes, one per main group (C, S, X and V for
  Other), built like the SMASSII-like prototypes of ``tests/models/conftest.py`` after
  the feature-based definitions of Bus & Binzel (2002), with 1 % noise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.cluster.study import ClusterStudy, run_cluster_study
from asteroid_spectra.spectra.sets import SpectralSet

SMASS2_GRID = np.array(schema.SMASS2_WAVELENGTH)

# Bus class -> (slope µm⁻¹, depth of the 0.92-µm band): four well-separated prototypes,
# one per main group.
PROTOTYPES: Mapping[str, tuple[float, float]] = {
    "C": (0.0, 0.0),
    "S": (0.9, 0.15),
    "X": (0.35, 0.0),
    "V": (0.4, 0.45),
}
COUNTS: Mapping[str, int] = {"C": 60, "S": 60, "X": 50, "V": 40}
N_UNLABELLED = 4

# The study's settings: tiny so that it runs in seconds.
STUDY_SEEDS = (0, 1)
STUDY_LATENT_DIM = 3
STUDY_MAX_COMPONENTS = 6
STUDY_AUTOENCODER = {"max_epochs": 60}


def factor_spectra(n: int, seed: int, wavelength: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return `n` spectra (n, m) generated from three latent factors plus 0.5 % noise."""
    grid = np.asarray(wavelength, dtype=np.float64)
    rng = np.random.default_rng(seed)
    slope = rng.uniform(-0.5, 2.0, (n, 1))
    depth = rng.uniform(0.0, 0.3, (n, 1))
    centre = rng.uniform(0.85, 0.95, (n, 1))
    values = (1 + slope * (grid - schema.NORMALISATION_WAVELENGTH)) * (
        1 - depth * np.exp(-(((grid - centre) / 0.1) ** 2))
    )
    return np.asarray(values + rng.normal(0, 0.005, values.shape))


def prototype_spectra(
    counts: Mapping[str, int], seed: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.object_]]:
    """Return SMASSII-grid reflectance (n, 49) and Bus classes (n,) around the prototypes."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    unity = np.flatnonzero(SMASS2_GRID == schema.NORMALISATION_WAVELENGTH)[0]
    for name, count in counts.items():
        slope, band = PROTOTYPES[name]
        slopes = slope + rng.normal(0, 0.05, (count, 1))
        bands = band * rng.uniform(0.85, 1.15, (count, 1))
        values = (1 + slopes * (SMASS2_GRID - schema.NORMALISATION_WAVELENGTH)) * (
            1 - bands * np.exp(-(((SMASS2_GRID - 0.92) / 0.1) ** 2))
        )
        values /= values[:, [unity]]
        rows.append(values + rng.normal(0, 0.01, values.shape))
        labels += [name] * count
    order = rng.permutation(len(labels))
    return np.vstack(rows)[order], np.asarray(labels, dtype=object)[order]


@dataclass(frozen=True)
class StudyRun:
    """A study of the labelled set and the progress messages it reported."""

    study: ClusterStudy
    messages: list[str]


@pytest.fixture(scope="session")
def grid() -> npt.NDArray[np.float64]:
    """The SMASSII grid, 0.44-0.92 µm (49 samples)."""
    return SMASS2_GRID


@pytest.fixture(scope="session")
def make_factor_spectra() -> Callable[[int, int, npt.ArrayLike], npt.NDArray[np.float64]]:
    """Factory: ``make_factor_spectra(n, seed, wavelength)``."""
    return factor_spectra


@pytest.fixture(scope="session")
def labelled_set() -> SpectralSet:
    """210 labelled spectra of four prototype classes and 4 unlabelled ones (last)."""
    X, bus = prototype_spectra(COUNTS, seed=5)
    unlabelled, _ = prototype_spectra({"S": 2, "C": 2}, seed=6)
    n, k = len(bus), len(unlabelled)
    objects = pd.DataFrame(
        {
            schema.OBJECT_ID: [str(1000 + i) for i in range(n + k)],
            schema.NAME: [f"Synthetic {i}" if i % 7 else None for i in range(n + k)],
            schema.BUS_CLASS: [*bus.tolist(), *[None] * k],
            schema.MAIN_GROUP: [*(schema.main_group(b) for b in bus), *[None] * k],
            schema.LABELLED: [True] * n + [False] * k,
        }
    )
    return SpectralSet(objects, SMASS2_GRID, np.vstack([X, unlabelled]))


@pytest.fixture(scope="session")
def study_run(labelled_set: SpectralSet) -> StudyRun:
    """The latent-space study of `labelled_set` with tiny settings (a few seconds)."""
    messages: list[str] = []
    study = run_cluster_study(
        labelled_set,
        latent_dim=STUDY_LATENT_DIM,
        max_components=STUDY_MAX_COMPONENTS,
        seeds=STUDY_SEEDS,
        autoencoder_params=STUDY_AUTOENCODER,
        progress=messages.append,
    )
    return StudyRun(study, messages)
