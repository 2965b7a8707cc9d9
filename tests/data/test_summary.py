"""summarise: class statistics of a long spectra table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.sources.gaia_dr3 import GAIA_DR3
from asteroid_spectra.data.sources.smass2 import SMASS2
from asteroid_spectra.data.summary import summarise

# object_id → Bus class (None: unlabelled); listed out of taxonomy order on purpose.
LABELS = {
    "4": "V",
    "1": "C",
    "5": "Sq",
    "2": "B",
    "16": "Xk",
    "3": "Sk",
    "4156": "Cgh",
    "523": None,
    "99": None,
}


@pytest.fixture
def labelled_table() -> pd.DataFrame:
    """Nine objects × 3 wavelengths, seven with a Bus class, like the SMASSII table."""
    wavelength = np.array([0.44, 0.55, 0.92])
    rows = []
    for object_id, bus in LABELS.items():
        for w in wavelength:
            rows.append(
                {
                    schema.SURVEY: "smass2",
                    schema.OBJECT_ID: object_id,
                    schema.BUS_CLASS: bus,
                    schema.MAIN_GROUP: None if bus is None else schema.main_group(bus),
                    schema.LABELLED: bus is not None,
                    schema.WAVELENGTH: w,
                    schema.REFLECTANCE: 1 + 0.2 * (w - 0.55),
                }
            )
    table = pd.DataFrame(rows)
    table.attrs["provenance"] = {"source": "smass2", "citation": "Bus & Binzel (2002)"}
    return table


@pytest.fixture
def flagged_table() -> pd.DataFrame:
    """Four objects × 2 bands, like Gaia DR3: one missing value, flags 0/1/2."""
    return pd.DataFrame(
        {
            schema.SURVEY: ["gaia-dr3"] * 8,
            schema.OBJECT_ID: ["9", "9", "29", "29", "85", "85", "1000", "1000"],
            schema.WAVELENGTH: [0.374, 0.418] * 4,
            schema.REFLECTANCE: [np.nan, 0.8, 0.7, 0.8, 0.75, 0.85, 0.72, 0.81],
            schema.ERROR: [np.nan, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07],
            schema.FLAG: np.array([2, 0, 1, 0, 0, 0, 2, 1], dtype=np.int8),
        }
    )


def test_counts_of_a_labelled_table(labelled_table: pd.DataFrame) -> None:
    summary = summarise(labelled_table)

    assert summary["survey"] == "smass2"
    assert summary["n_spectra"] == 9
    assert summary["n_labelled"] == 7
    assert summary["n_unlabelled"] == 2
    assert summary["n_bus_classes"] == 7
    assert summary["n_wavelengths"] == 3
    assert summary["wavelength_range_um"] == [0.44, 0.92]
    assert summary["citation"] == "Bus & Binzel (2002)"


def test_main_groups_in_c_s_x_other_order(labelled_table: pd.DataFrame) -> None:
    counts = summarise(labelled_table)["main_group_counts"]

    assert list(counts.items()) == [("C", 3), ("S", 2), ("X", 1), ("Other", 1)]


def test_empty_main_group_is_reported_as_zero(labelled_table: pd.DataFrame) -> None:
    without_x = labelled_table[labelled_table[schema.MAIN_GROUP] != "X"]

    counts = summarise(without_x)["main_group_counts"]

    assert list(counts.items()) == [("C", 3), ("S", 2), ("X", 0), ("Other", 1)]


def test_bus_classes_in_taxonomy_order(labelled_table: pd.DataFrame) -> None:
    counts = summarise(labelled_table)["bus_class_counts"]

    # schema.BUS_CLASSES order: B, C, Cb, Cg, Cgh, Ch, S, Sa, Sk, Sl, Sq, Sr, X, ..., V
    assert list(counts.items()) == [
        ("B", 1), ("C", 1), ("Cgh", 1), ("Sk", 1), ("Sq", 1), ("Xk", 1), ("V", 1),
    ]  # fmt: skip


def test_objects_are_counted_once_not_per_sample(labelled_table: pd.DataFrame) -> None:
    doubled = pd.concat([labelled_table, labelled_table], ignore_index=True)

    summary = summarise(doubled)

    assert summary["n_spectra"] == 9
    assert summary["main_group_counts"]["C"] == 3


def test_flag_statistics(flagged_table: pd.DataFrame) -> None:
    summary = summarise(flagged_table)

    assert summary["survey"] == "gaia-dr3"  # no provenance: from the survey column
    assert summary["citation"] is None
    assert summary["n_spectra"] == 4
    assert summary["n_missing_values"] == 1
    # 0.374 µm: flags 2, 1, 0, 2 → 3 of 4; 0.418 µm: 0, 0, 0, 1 → 1 of 4
    assert summary["flagged_fraction_by_band"] == {"0.374": 0.75, "0.418": 0.25}
    assert summary["median_error"] == pytest.approx(0.04)  # NaN ignored
    assert "main_group_counts" not in summary


def test_unlabelled_table_has_no_label_statistics(labelled_table: pd.DataFrame) -> None:
    bare = labelled_table.drop(columns=[schema.LABELLED, schema.BUS_CLASS, schema.MAIN_GROUP])

    summary = summarise(bare)

    assert set(summary) == {
        "survey", "n_spectra", "n_wavelengths", "wavelength_range_um", "citation",
    }  # fmt: skip


def test_summary_is_json_ready(labelled_table: pd.DataFrame, flagged_table: pd.DataFrame) -> None:
    for table in (labelled_table, flagged_table):
        summary = summarise(table)
        assert json.loads(json.dumps(summary)) == summary


def test_summary_of_a_parsed_smass2_table(smass2_paths: dict[str, Path]) -> None:
    summary = summarise(SMASS2.parse(smass2_paths)["spectra"].frame)

    assert summary["n_spectra"] == 10
    assert summary["n_labelled"] == 7
    assert summary["n_wavelengths"] == 49
    assert summary["wavelength_range_um"] == [0.44, 0.92]
    assert summary["main_group_counts"] == {"C": 3, "S": 2, "X": 1, "Other": 1}
    assert list(summary["bus_class_counts"]) == ["B", "C", "Cgh", "Sq", "Xk", "V"]
    assert summary["bus_class_counts"]["Sq"] == 2


def test_summary_of_a_parsed_gaia_table(gaia_paths: dict[str, Path]) -> None:
    summary = summarise(GAIA_DR3.parse(gaia_paths)["spectra"].frame)

    assert summary["n_spectra"] == 22
    assert summary["n_wavelengths"] == 16
    assert summary["n_missing_values"] == 2
    fractions = summary["flagged_fraction_by_band"]
    assert list(fractions)[:2] == ["0.374", "0.418"]
    assert {band: f for band, f in fractions.items() if f} == {
        "0.374": round(2 / 22, 4),
        "0.638": round(1 / 22, 4),
        "1.034": round(1 / 22, 4),
    }
    # errors 0.001 (band + 1): 20 + 22 × 15 values, the 175th and 176th are in band 8
    assert summary["median_error"] == pytest.approx(0.009)
