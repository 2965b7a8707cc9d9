"""Fixtures for the catalogue tests: a small wide Gaia-like catalogue and a model for it.

Spectra are straight lines through unity at 0.55 µm on the 16 Gaia DR3 bands, with a
slope per main group (C flat, X mildly red, S red, Other very red), so a model learns them
exactly; errors are 0.02 and some bands are flagged, as in the real catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.catalog.input import band_columns
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.registry import build_model
from asteroid_spectra.models.uncertainty import DistanceOOD
from asteroid_spectra.spectra.bands import GAIA_DR3_USED

SLOPES = {"C": 0.0, "X": 0.35, "S": 0.9, "Other": 1.8}
FINE = {"C": "C", "X": "X", "S": "S", "Other": "D"}


def line_spectra(slopes: np.ndarray, grid: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Straight spectra through 1 at 0.55 µm with 1 % noise."""
    values = 1 + slopes[:, None] * (grid - 0.55) + rng.normal(0, 0.01, (slopes.size, grid.size))
    values[:, np.isclose(grid, 0.55)] = 1.0
    return values


@pytest.fixture(scope="package")
def catalogue_model() -> TaxonomyModel:
    """A main-group model (logistic on Bus-like classes) on the 13 used Gaia bands."""
    rng = np.random.default_rng(3)
    groups = np.repeat(list(SLOPES), 40)
    slopes = np.array([SLOPES[g] for g in groups]) + rng.normal(0, 0.03, groups.size)
    X = line_spectra(slopes, GAIA_DR3_USED, rng)
    fine = np.array([FINE[g] for g in groups], dtype=object)
    estimator = build_model("logistic-bus", "main-group", GAIA_DR3_USED, 0)
    estimator.fit(X, groups.astype(object), fine_labels=fine)
    return TaxonomyModel(
        estimator=estimator,
        target="main-group",
        name="logistic-bus",
        wavelength=GAIA_DR3_USED.copy(),
        ood=DistanceOOD().fit(X),
        card={"model": "logistic-bus", "target": "main-group"},
    )


@pytest.fixture
def wide_catalogue() -> pd.DataFrame:
    """200 asteroids in the wide layout, 50 per main group, in a known order."""
    rng = np.random.default_rng(11)
    groups = np.tile(list(SLOPES), 50)
    slopes = np.array([SLOPES[g] for g in groups]) + rng.normal(0, 0.03, groups.size)
    grid = schema.GAIA_DR3_WAVELENGTH
    values = line_spectra(slopes, grid, rng)
    flags = np.zeros(values.shape, dtype=np.int8)
    flags[:, 0] = 1  # 0.374 µm: flagged, as for most Gaia asteroids
    flags[::7, 1] = 2  # 0.418 µm sometimes
    values[flags != 0] += 0.5  # flagged values are wrong
    reflectance, error, flag = band_columns()
    frame = pd.DataFrame(
        {
            schema.NUMBER: pd.array(np.arange(1, groups.size + 1), dtype="Int64"),
            schema.DESIGNATION: pd.array([None] * groups.size, dtype="string"),
            schema.NAME: pd.array([f"rock{i}" for i in range(groups.size)], dtype="string"),
        }
    )
    for j in range(grid.size):
        frame[reflectance[j]] = values[:, j].astype(np.float32)
        frame[error[j]] = np.float32(0.02)
        frame[flag[j]] = flags[:, j]
    frame.attrs["groups"] = groups.tolist()
    return frame
