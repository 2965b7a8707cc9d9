"""Cross-survey data from the real SMASSII and Gaia DR3 files (values measured on them).

Skipped when ASTEROID_SPECTRA_MIRROR is not set: loading both surveys from the network
would take minutes.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.models.crosssurvey import cross_survey_evaluate
from asteroid_spectra.models.survey_sets import (
    CrossSurveyData,
    bands_of,
    load_cross_survey,
    survey_correction,
)

pytestmark = pytest.mark.integration

if not os.environ.get("ASTEROID_SPECTRA_MIRROR"):
    pytest.skip("ASTEROID_SPECTRA_MIRROR is not set", allow_module_level=True)


@pytest.fixture(scope="module")
def overlap() -> CrossSurveyData:
    return load_cross_survey("main-group")


def test_overlap_sizes(overlap: CrossSurveyData) -> None:
    # Of the 1,339 labelled SMASSII asteroids, 1,324 are in Gaia DR3: 1,323 with a repairable
    # spectrum, one with too few good bands (left out); 15 are SMASSII-only.
    n = 1323
    assert len(overlap.y) == len(overlap.fine) == len(overlap.objects) == n
    for array in (
        overlap.gaia_reflectance,
        overlap.gaia_error,
        overlap.gaia_flag,
        overlap.smass_reflectance,
    ):
        assert array.shape == (n, 16)
    assert overlap.extra_reflectance.shape == (15, 16)
    assert len(overlap.extra_y) == len(overlap.extra_fine) == 15
    assert overlap.pool_error.shape == overlap.pool_flag.shape == (60517, 16)
    assert np.isfinite(overlap.pool_error[:, 1:14]).all()
    assert overlap.objects[schema.OBJECT_ID].is_unique
    assert overlap.target == "main-group"
    assert set(overlap.y) == {"C", "S", "X", "Other"}
    assert pd.Series(overlap.y).value_counts().to_dict() == {
        "S": 540,
        "C": 392,
        "X": 236,
        "Other": 155,
    }


def test_rows_are_the_same_asteroids(overlap: CrossSurveyData) -> None:
    numbered = overlap.objects[schema.NUMBER].notna().to_numpy()
    smass_numbers = overlap.objects[schema.NUMBER].to_numpy()[numbered].astype(int)
    gaia_numbers = overlap.objects["gaia_number"].to_numpy()[numbered].astype(int)
    np.testing.assert_array_equal(smass_numbers, gaia_numbers)
    # Both spectra normalised at 0.55 µm; SMASSII only on its 0.462-0.902 µm bands.
    at_055 = np.isclose(schema.GAIA_DR3_WAVELENGTH, 0.55)
    np.testing.assert_allclose(overlap.gaia_reflectance[:, at_055], 1.0)
    np.testing.assert_allclose(overlap.smass_reflectance[:, at_055], 1.0, atol=0.02)
    core = np.isin(schema.GAIA_DR3_WAVELENGTH, bands_of("smass2"))
    assert np.isfinite(overlap.smass_reflectance[:, core]).all()
    assert np.isnan(overlap.smass_reflectance[:, ~core]).all()


def test_gaia_is_redder_than_smass2_beyond_0_75_um(overlap: CrossSurveyData) -> None:
    ratio = survey_correction(overlap.gaia_reflectance, overlap.smass_reflectance)
    at = dict(zip(np.round(schema.GAIA_DR3_WAVELENGTH, 3).tolist(), ratio.tolist(), strict=True))
    assert at[0.902] > 1.05  # measured 1.084
    assert at[0.55] == pytest.approx(1.0, abs=0.005)
    assert at[0.858] > at[0.814] > at[0.77] > 1.0
    for band in (0.374, 0.418, 0.946, 0.99, 1.034):  # outside SMASSII: no correction
        assert at[band] == 1.0


def test_a_fast_gaia_scheme_evaluation(overlap: CrossSurveyData) -> None:
    from asteroid_spectra.models.registry import build_model

    bands = bands_of("gaia")
    result = cross_survey_evaluate(
        lambda: build_model("logistic-bus", "main-group", bands, 0),
        overlap,
        scheme="gaia",
        folds=3,
        repeats=1,
        copies=1,
    )
    summary = result.summary()
    assert summary["accuracy"]["mean"] > 0.8  # measured 0.87
    assert summary["catalogue_noise_accuracy"]["mean"] < summary["accuracy"]["mean"]
    assert summary["protocol"]["n_per_bin"] == {
        "<0.01": 780,
        "0.01-0.03": 496,
        "0.03-0.06": 41,
        ">0.06": 6,
    }
    assert int(result.confusion.to_numpy().sum()) == 1323
