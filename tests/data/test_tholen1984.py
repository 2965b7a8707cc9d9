"""Tholen (1984) parsing: scores.csv and Tholen's class notation.

The synthetic rows copy the published ones (tholen1984/scores.csv of the mirror: 1 Ceres
G, 45 Eugenia FC, 51 Nemausa CU, 3288 Seleucus S with NOTE 2) plus the notation's edge
cases (XFU, XSCU, TSD).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.datasets import load_table
from asteroid_spectra.data.sources.tholen1984 import (
    HEADER,
    SCORES,
    THOLEN1984,
    TholenClass,
    parse_scores,
    parse_tholen_class,
)
from asteroid_spectra.exceptions import DataError, ParseError

Files = Callable[[Mapping[str, bytes]], dict[str, Path]]

ROWS = [
    "1,Ceres,-1.73,-1.643,0.406,-0.329,0.227,-0.153,0.005,0,Ceres,1,G",
    "45,Eugenia,-2.999,-0.29,-0.528,0.017,0.203,0.196,0.068,0,Eugenia,45,FC",
    "51,Nemausa,-0.088,-0.911,1.038,-0.843,0.032,-0.158,-0.07,0,Nemausa,51,CU",
    "3288,Seleucus,2.201,-2.597,-0.298,0.142,-0.018,0.017,0.186,2,Seleucus,3288,S",
    "100,Hekate,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0,Hekate,100,XFU",
    "200,Dynamene,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0,Dynamene,200,XSCU",
    "300,Geraldina,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0,Geraldina,300,TSD",
]


def scores_text(rows: list[str] = ROWS) -> str:
    return "\n".join([",".join(HEADER), *rows]) + "\n"


@pytest.mark.parametrize(
    ("text", "classes", "unusual", "primary", "ambiguous"),
    [
        ("S", ("S",), False, "S", False),
        ("CX", ("C", "X"), False, "C", True),
        ("SU", ("S",), True, "S", False),
        ("XFU", ("X", "F"), True, "X", True),
        ("XSCU", ("X", "S", "C"), True, "X", True),
        ("TSD", ("T", "S", "D"), False, "T", True),
    ],
)
def test_tholen_notation(
    text: str, classes: tuple[str, ...], unusual: bool, primary: str, ambiguous: bool
) -> None:
    parsed = parse_tholen_class(text)
    assert parsed == TholenClass(text, classes, unusual)
    assert (parsed.primary, parsed.ambiguous) == (primary, ambiguous)


@pytest.mark.parametrize("text", ["", "U", "s", "SS", "CUX", "S:", "I", "XSCDA", "K"])
def test_not_tholen_notation(text: str) -> None:
    with pytest.raises(ParseError, match=r"^expected a Tholen class: 1-4 distinct letters of"):
        parse_tholen_class(text)


def test_classes_table_columns_and_dtypes() -> None:
    table = parse_scores(scores_text())
    frame = table.frame

    assert list(frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        *(f"pc{i}" for i in range(1, 8)),
        "note",
        schema.THOLEN_CLASS,
        "tholen_primary",
        "tholen_ambiguous",
        "tholen_unusual",
    ]
    assert frame[schema.NUMBER].dtype == "Int64"
    assert frame[schema.OBJECT_ID].dtype == "string"
    assert frame[schema.THOLEN_CLASS].dtype == "string"
    assert frame["tholen_ambiguous"].dtype == bool
    assert all(frame[f"pc{i}"].dtype == np.float64 for i in range(1, 8))
    assert frame["note"].dtype == "Int64"
    assert (frame[schema.SURVEY] == "tholen1984").all()
    assert frame[schema.OBJECT_ID].tolist() == ["1", "45", "51", "3288", "100", "200", "300"]


def test_scores_classes_and_notes_are_kept() -> None:
    frame = parse_scores(scores_text()).frame.set_index(schema.OBJECT_ID)

    ceres = frame.loc["1"]
    assert ceres[schema.NAME] == "Ceres"
    assert ceres[schema.THOLEN_CLASS] == "G"
    assert ceres["pc1"] == -1.73  # scores.csv line 2
    assert pd.isna(ceres["note"])  # 0: no note
    assert frame.loc["3288", "note"] == 2
    assert frame.loc["45", ["tholen_primary", "tholen_ambiguous", "tholen_unusual"]].tolist() == [
        "F",
        True,
        False,
    ]
    assert frame.loc["200", "tholen_class"] == "XSCU"


def test_notes_count_classes() -> None:
    notes = parse_scores(scores_text()).notes
    assert notes[0] == "7 asteroids in 7 published classes (4 ambiguous, 3 U-flagged)"
    assert notes[1].startswith("classes: ")


def test_an_unnumbered_provisional_name_becomes_the_designation() -> None:
    rows = [*ROWS[:1], "4688,1980 WF,0,0,0,0,0,0,0,0,1980 WF,4688,S"]
    frame = parse_scores(scores_text(rows)).frame.set_index(schema.OBJECT_ID)
    assert pd.isna(frame.loc["4688", schema.NAME])
    assert frame.loc["4688", schema.DESIGNATION] == "1980 WF"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["1,Ceres,-1.73,G"], r"^tholen1984/scores\.csv, line 2: expected 13 comma-separated"),
        ([ROWS[0].replace("-1.643", "x")], r"line 2: expected a number in column 'PC2', got 'x'"),
        ([ROWS[0].replace("-1.643", "")], r"line 2: expected a score in column 'PC2', got ''"),
        ([ROWS[0], ROWS[1].replace(",FC", ",K")], r"line 3: expected a Tholen class: .* 'K'"),
        ([ROWS[0].replace(",Ceres,1,", ",Ceres,2,")], r"line 2: expected the value of 'number'"),
        ([ROWS[0].replace(",Ceres,1,", ",Ceres,,")], r"line 2: expected an asteroid number"),
        ([ROWS[0].replace(",0,Ceres", ",0.5,Ceres")], r"integer in column 'NOTE', got '0\.5'"),
        ([ROWS[0], ROWS[0]], r"line 3: expected each asteroid once in column 'number'"),
        ([], r"expected one row per asteroid after the header, got none"),
    ],
)
def test_malformed_scores(rows: list[str], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_scores(scores_text(rows))


def test_a_wrong_header_is_refused() -> None:
    with pytest.raises(ParseError, match=r"line 1: expected the header AST_NUMBER,AST_NAME,PC1"):
        parse_scores(scores_text().replace("class_", "class"))


def test_the_source_parses_its_file(write_files: Files) -> None:
    tables = THOLEN1984.parse(write_files({SCORES: scores_text().encode()}))
    assert list(tables) == ["classes"]
    assert len(tables["classes"].frame) == 7
    assert THOLEN1984.tables == ("classes",)
    assert THOLEN1984.version == 1


def test_a_missing_file_is_a_data_error() -> None:
    with pytest.raises(DataError, match=r"^Tholen \(1984\) needs tholen1984/scores\.csv"):
        THOLEN1984.parse({})


def test_load_table_caches_the_classes(register_survey: Any) -> None:
    settings = register_survey(THOLEN1984, {SCORES: scores_text().encode()})

    classes = load_table("tholen1984", settings=settings)

    assert classes[schema.THOLEN_CLASS].tolist() == ["G", "FC", "CU", "S", "XFU", "XSCU", "TSD"]
    assert classes["note"].dtype == "Int64"
    assert classes.attrs["provenance"]["citation"].startswith("Tholen, D. J. (1984)")
