"""SMASSI, SMASSIR, PRIMASS-L and IRTF SpeX tables from the real files (mirror copies).

Expected values come from the files themselves (lines quoted in the comments) and from
/work/shared/data/README.md, whose counts are explained where they differ. Skipped when
ASTEROID_SPECTRA_MIRROR is not set.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.fetch import fetch_collection
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.irtf_spex import IRTF_SPEX
from asteroid_spectra.data.sources.primass_l import PRIMASS_L
from asteroid_spectra.data.sources.smass1 import SMASS1
from asteroid_spectra.data.sources.smassir import SMASSIR

pytestmark = pytest.mark.integration

if not os.environ.get("ASTEROID_SPECTRA_MIRROR"):
    pytest.skip("ASTEROID_SPECTRA_MIRROR is not set", allow_module_level=True)

SOURCES = {source.name: source for source in (SMASS1, SMASSIR, PRIMASS_L, IRTF_SPEX)}


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, ParsedTable]]:
    """Every table of the four sources, parsed from the verified mirror copies."""
    return {name: source.parse(fetch_collection(name)) for name, source in SOURCES.items()}


def spectra(parsed: dict[str, dict[str, ParsedTable]], name: str) -> pd.DataFrame:
    return parsed[name]["spectra"].frame


def first_and_last(frame: pd.DataFrame, file: str) -> list[tuple[Any, ...]]:
    rows = frame[frame[schema.FILE] == file]
    columns = [schema.WAVELENGTH, schema.REFLECTANCE, schema.ERROR]
    return [tuple(rows[columns].iloc[i].fillna(-9).tolist()) for i in (0, -1)]


@pytest.mark.parametrize(
    ("name", "files", "asteroids", "numbered", "samples", "low", "high"),
    [
        # README: 316 SMASSI spectra; 313 aNNNNNN.[1] and 3 au<designation>.[1]
        ("smass1", 316, 316, 313, 148852, 0.4169, 1.0172),
        # README: 251 SMASSIR spectra; 227 numbered, 24 au<designation>.[3]
        ("smassir", 251, 251, 227, 12587, 0.866, 1.661),
        # README: 417 PRIMASS-L spectra = the files of the parameters table; 438 .tab files
        # are published (21 without parameters, 53 of them blue/red settings)
        ("primass-l", 438, 418, 418, 279785, 0.34, 0.92),
        # README: 300 SpeX spectra; 102,039 lines, 6 of them all-zero padding rows
        ("irtf-spex", 300, 173, 173, 102033, 0.646, 2.548),
    ],
)
def test_counts_and_ranges(
    parsed: dict[str, dict[str, ParsedTable]],
    name: str,
    files: int,
    asteroids: int,
    numbered: int,
    samples: int,
    low: float,
    high: float,
) -> None:
    frame = spectra(parsed, name)
    objects = frame.drop_duplicates(schema.OBJECT_ID)

    assert frame[schema.FILE].nunique() == files
    assert len(objects) == asteroids
    assert int(objects[schema.NUMBER].notna().sum()) == numbered
    assert len(frame) == samples
    assert (frame[schema.WAVELENGTH].min(), frame[schema.WAVELENGTH].max()) == (low, high)
    assert (frame[schema.SURVEY] == name).all()
    assert (frame.groupby(schema.FILE)[schema.WAVELENGTH].diff().dropna() > 0).all()
    assert (frame[schema.REFLECTANCE] > 0).all()


@pytest.mark.parametrize(
    ("name", "file", "expected"),
    [
        # a000004.[1] (4 Vesta): first line "  4220 0.862", last " 10066 0.946" (Å)
        ("smass1", "a000004.[1]", [(0.422, 0.862, -9), (1.0066, 0.946, -9)]),
        # a000004.[3]: "     0.902     0.748     0.002" … "     1.644     1.126     0.002"
        ("smassir", "a000004.[3]", [(0.902, 0.748, 0.002), (1.644, 1.126, 0.002)]),
        # 000084_vis.tab (84 Klio): "0.50000 0.95182" … "0.90000 1.07076"
        (
            "primass-l",
            "data/spectra/inner/klio/000084_vis.tab",
            [(0.5, 0.95182, -9), (0.9, 1.07076, -9)],
        ),
        # 4_001009t051541.tab (4 Vesta): "0.8200 0.81628 0.00193" … "2.4400 0.98896 0.00463"
        (
            "irtf-spex",
            "data/moskovitzetal2010/4_001009t051541.tab",
            [(0.82, 0.81628, 0.00193), (2.44, 0.98896, 0.00463)],
        ),
    ],
)
def test_a_known_spectrum(
    parsed: dict[str, dict[str, ParsedTable]], name: str, file: str, expected: list[tuple[float]]
) -> None:
    assert first_and_last(spectra(parsed, name), file) == expected


def test_smass1_sample_converted_from_angstrom(parsed: dict[str, dict[str, ParsedTable]]) -> None:
    frame = spectra(parsed, "smass1")
    vesta = frame[frame[schema.OBJECT_ID] == "4"]

    assert len(vesta) == 561  # lines of a000004.[1]
    assert vesta.iloc[100][[schema.WAVELENGTH, schema.REFLECTANCE]].tolist() == [0.5235, 1.013]
    notes = parsed["smass1"]["spectra"].notes
    assert "1 file already in µm, not Å (kept): smass1/a004062.[1]" in notes
    assert frame.loc[frame[schema.FILE] == "a004062.[1]", schema.WAVELENGTH].max() == 0.925
    assert frame[schema.ERROR].isna().all()  # no SMASSI file has error bars
    provisional = frame.loc[frame[schema.NUMBER].isna(), schema.DESIGNATION].unique()
    assert sorted(provisional) == ["1991 XB", "1992 NA", "1992 UB"]


def test_smassir_notes_compare_the_file_list(parsed: dict[str, dict[str, ParsedTable]]) -> None:
    notes = parsed["smassir"]["spectra"].notes

    assert notes[0] == "251 spectra of 251 asteroids, 0.866-1.661 µm"
    assert "smassir/SMASSIR.files.txt lists 241 files; 251 spectra are published" in notes
    assert "listed but not published: a001279.[3]" in notes
    assert not any(note.startswith("dropped") for note in notes)  # no junk in SMASSIR


def test_spex_junk_and_repeat_observations(parsed: dict[str, dict[str, ParsedTable]]) -> None:
    frame = spectra(parsed, "irtf-spex")
    notes = parsed["irtf-spex"]["spectra"].notes
    per_file = frame.drop_duplicates(schema.FILE)

    assert notes[2].startswith("dropped 6 all-zero padding rows in 6 files: ")
    assert not any("non-positive reflectance" in note for note in notes)
    assert per_file[schema.OBJECT_ID].value_counts().head(3).to_dict() == {
        "785": 24,
        "2100": 17,
        "129": 15,
    }
    assert per_file["paper"].nunique() == 13
    assert per_file["observation_time"].str.len().value_counts().to_dict() == {19: 294, 10: 6}
    assert "8 inventory LIDs cut the paper folder short; matched by file name" in notes
    assert "inventory lists 300 products, 300 of them published" in notes


def test_primass_classes(parsed: dict[str, dict[str, ParsedTable]]) -> None:
    classes = parsed["primass-l"]["classes"].frame
    labelled = classes[classes[schema.LABELLED]]

    assert len(classes) == 438
    assert len(labelled) == 417
    assert labelled[schema.PRIMASS_CLASS].value_counts().to_dict() == {
        "X": 69,
        "B": 62,
        "Ch": 57,
        "C": 56,
        "Cgh": 44,
        "Cb": 36,
        "T": 26,
        "Xc": 15,
        "Xk": 14,
        "Cg": 13,
        "D": 13,
        "Xe": 6,
        "Sq": 2,
        "A": 1,
        "L": 1,
        "O": 1,
        "Q": 1,
    }
    assert labelled[schema.MAIN_GROUP].value_counts().to_dict() == {
        "C": 268,
        "X": 104,
        "Other": 43,
        "S": 2,
    }
    assert classes["setting"].value_counts().to_dict() == {"red": 34, "blue": 19}
    assert classes["band_detected"].value_counts(dropna=False).to_dict() == {
        False: 272,
        True: 126,
        pd.NA: 40,
    }
    # 39888 (1998 ES20): "39888,B,-1,0.08,-1,-1,-1,-1,-999999,-999999,…" — a slope of -1
    polana = classes.set_index(schema.OBJECT_ID).loc["39888"]
    assert (polana["slope"], polana["slope_error"], polana[schema.DESIGNATION]) == (
        -1.0,
        0.08,
        "1998 ES20",
    )
    klio = classes.set_index(schema.FILE).loc["data/spectra/inner/klio/000084_vis.tab"]
    assert (klio[schema.NAME], klio[schema.PRIMASS_CLASS], klio["band_center"]) == (
        "Klio",
        "X",
        0.688,
    )
    assert classes.loc[classes[schema.OBJECT_ID] == "752", schema.PRIMASS_CLASS].tolist() == ["X"]
