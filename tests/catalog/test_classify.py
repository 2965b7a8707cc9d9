"""classify_frame: one partition of a wide catalogue → one classified row per asteroid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.catalog.classify import OUTPUT_COLUMNS, classify_frame, output_template
from asteroid_spectra.catalog.input import band_columns
from asteroid_spectra.exceptions import AsteroidSpectraError


def test_classifies_every_row_in_order(wide_catalogue: pd.DataFrame, catalogue_model) -> None:
    out = classify_frame(wide_catalogue, catalogue_model)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    assert out[schema.NUMBER].tolist() == list(range(1, 201))
    accuracy = np.mean(out[schema.MAIN_GROUP].to_numpy() == wide_catalogue.attrs["groups"])
    assert accuracy >= 0.98
    probabilities = out[[f"p_{g}" for g in schema.MAIN_GROUPS]].to_numpy(dtype=float)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(out["probability"], probabilities.max(axis=1), atol=1e-6)
    assert set(out[schema.BUS_CLASS]) <= {"C", "X", "S", "D"}
    assert out["error"].isna().all()


def test_flags_are_counted_and_repaired(wide_catalogue: pd.DataFrame, catalogue_model) -> None:
    out = classify_frame(wide_catalogue, catalogue_model)
    flagged_418 = np.arange(200) % 7 == 0
    # 0.374 µm is always flagged (not a used band); 0.418 µm every 7th row (used, repaired).
    assert out["n_flagged"].tolist() == (1 + flagged_418).tolist()
    assert out["n_repaired"].tolist() == flagged_418.astype(int).tolist()
    assert set(out["bands_used"]) == {"0.418-0.946"}
    np.testing.assert_allclose(out["median_error"], 0.02, rtol=1e-6)
    assert set(out["error_bin"]) == {"0.01-0.03"}


def test_a_spectrum_with_too_few_good_bands_keeps_its_row_with_the_reason(
    wide_catalogue: pd.DataFrame, catalogue_model
) -> None:
    frame = wide_catalogue.copy()
    _, _, flag = band_columns()
    frame.loc[3, flag[1:6]] = 1  # 5 of the 13 used bands flagged: 8 good, 9 needed
    out = classify_frame(frame, catalogue_model)
    assert pd.isna(out.loc[3, schema.MAIN_GROUP])
    assert pd.isna(out.loc[3, "p_S"])
    assert out.loc[3, "error"] == (
        "only 8 of the 13 bands 0.418-0.946 µm are unflagged; classification needs at least 9"
    )
    assert out[schema.MAIN_GROUP].notna().sum() == 199


def test_output_dtypes_match_the_template(wide_catalogue: pd.DataFrame, catalogue_model) -> None:
    out = classify_frame(wide_catalogue, catalogue_model)
    assert out.dtypes.to_dict() == output_template().dtypes.to_dict()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ("drop", "lacks 1 band column"),
        ("bus-model", "needs a main-group model"),
    ],
)
def test_errors(wide_catalogue: pd.DataFrame, catalogue_model, change: str, match: str) -> None:
    import copy

    frame, model = wide_catalogue, catalogue_model
    if change == "drop":
        frame = frame.drop(columns=["flag_990"])
    else:
        model = copy.copy(model)
        model.target = "bus"
    with pytest.raises(AsteroidSpectraError, match=match):
        classify_frame(frame, model)
