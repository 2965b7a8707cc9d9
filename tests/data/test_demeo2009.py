"""Bus-DeMeo parsing: splined spectra, scores, templates, and their join.

The synthetic files copy the published layouts (demeo2009/ of the mirror): 41 columns
named ``0.45`` … ``2.45`` then ``name, number, class_`` (number empty when unnumbered);
scores with ``number`` written as a float (``1.0``), ``designation`` as at the time of
the paper (``1989VA``), an empty or ``SI`` Bus class; templates with ``<class>_Mean``,
``<class>_Sigma`` columns and -0.999 for an undefined sigma.
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
from asteroid_spectra.data.sources.demeo2009 import (
    DEMEO2009,
    SCORES,
    SCORES_HEADER,
    SPECTRA,
    TEMPLATES,
    parse_scores,
    parse_spectra,
    parse_templates,
)
from asteroid_spectra.exceptions import DataError, ParseError

Files = Callable[[Mapping[str, bytes]], dict[str, Path]]
GRID = [f"{w:.2f}" for w in schema.DEMEO_WAVELENGTH]

# name, number ("" if unnumbered), class, slope of the synthetic spectrum (per µm)
SPECTRA_ROWS = [
    ("Ceres", "1", "C", 0.0),
    ("Vesta", "4", "V", 0.1),
    ("2002 AV", "", "S", 0.3),
    ("Cruithne", "3753", "Q", 0.2),
    ("Steyaert", "3788", "S", 0.2),  # the same values as Cruithne (as in the published file)
    ("Alexandra", "54", "Cgh", -0.05),  # no scores
    ("1989 VA", "99907", "Sqw", 0.25),
]

SCORES_ROWS = [
    "1,C,C,0.006,-0.5626,-0.0669,-0.1351,-0.0871,-0.0256,Ceres,1.0,C",
    "4,V,V,0.027,-0.0043,0.602,-0.1556,0.0189,-0.0255,Vesta,4.0,V",
    "3753,Q,Q,0.2115,-0.5643,0.2866,0.0835,0.0046,-0.0157,Cruithne,3753.0,Q",
    "3788,,S,0.2012,0.2111,-0.0168,0.0719,0.0036,-0.0033,Steyaert,3788.0,S",
    "1989VA,SI,Sq,0.3,0.1,0.1,0.1,0.1,0.1,1989 VA,99907.0,Sqw",
    "17,SI,S,0.2103,0.4067,-0.1167,-0.0095,0.0088,0.0096,Thetis,17.0,S",  # no spectrum
]


def spectrum(slope: float) -> list[str]:
    return [f"{1 + slope * (w - 0.55):.3f}" for w in schema.DEMEO_WAVELENGTH]


def spectra_text(rows: list[tuple[str, str, str, float]] = SPECTRA_ROWS) -> str:
    lines = [",".join([*GRID, "name", "number", "class_"])]
    lines += [",".join([*spectrum(slope), name, number, cls]) for name, number, cls, slope in rows]
    return "\n".join(lines) + "\n"


def scores_text(rows: list[str] = SCORES_ROWS) -> str:
    return "\n".join([",".join(SCORES_HEADER), *rows]) + "\n"


def templates_text(classes: tuple[str, ...] = ("A", "Cg", "Xn")) -> str:
    header = ["wave", *(f"{c}_{part}" for c in classes for part in ("Mean", "Sigma"))]
    lines = [",".join(header)]
    for w in GRID:
        values = []
        for i, cls in enumerate(classes):
            mean = 1 + 0.1 * (i + 1) * (float(w) - 0.55)
            sigma = "-0.999" if cls == "Cg" else ("0.000" if w == "0.55" else "0.020")
            values += [f"{mean:.3f}", sigma]
        lines.append(",".join([w, *values]))
    return "\n".join(lines) + "\n"


def demeo_files() -> dict[str, bytes]:
    return {
        SPECTRA: spectra_text().encode(),
        SCORES: scores_text().encode(),
        TEMPLATES: templates_text().encode(),
    }


# --- the spectra file ------------------------------------------------------------------------


def test_spectra_are_read_with_identity_and_class() -> None:
    objects, reflectance = parse_spectra(spectra_text())

    assert reflectance.shape == (7, 41)
    np.testing.assert_allclose(reflectance[:, 2], 1.0)  # 0.55 µm
    assert reflectance[1, -1] == pytest.approx(1.19)  # Vesta: 1 + 0.1 (2.45 - 0.55)
    assert list(objects.columns) == [*schema.IDENTITY_COLUMNS, schema.FILE, schema.DEMEO_CLASS]
    assert objects[schema.OBJECT_ID].tolist() == [
        "1",
        "4",
        "2002 AV",
        "3753",
        "3788",
        "54",
        "99907",
    ]
    unnumbered = objects.iloc[2]
    assert pd.isna(unnumbered[schema.NUMBER])
    assert unnumbered[schema.DESIGNATION] == "2002 AV"
    assert objects.iloc[6][schema.DESIGNATION] == "1989 VA"
    assert objects[schema.FILE].iloc[0] == "demeo2009_splined_spectra.csv:2"
    assert objects[schema.NUMBER].dtype == "Int64"
    assert objects[schema.DEMEO_CLASS].dtype == "string"


def replace_value(row: int, column: str, value: str) -> str:
    lines = spectra_text().splitlines()
    fields = lines[row].split(",")
    fields[lines[0].split(",").index(column)] = value
    lines[row] = ",".join(fields)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            spectra_text().replace("2.45,", "2.50,", 1),
            r"^demeo2009/demeo2009_splined_spectra\.csv, line 1: expected the header 0\.45,",
        ),
        (
            replace_value(2, "1.00", "abc"),
            r"line 3: expected a number in column '1\.00', got 'abc'",
        ),
        (
            replace_value(2, "1.00", "-0.1"),
            r"line 3: expected a positive reflectance in column '1\.00'",
        ),
        (
            replace_value(3, "0.55", "0.9"),
            r"line 4: expected 1 \(normalised at 0\.55 µm\) in column '0\.55'",
        ),
        (replace_value(2, "class_", "Sk"), r"line 3: expected a Bus-DeMeo class .* got 'Sk'"),
        (
            replace_value(2, "number", "1"),
            r"line 3: expected each asteroid once in column 'number'",
        ),
        (replace_value(3, "name", "Unknown"), r"line 4: expected an asteroid label"),
        (",".join([*GRID, "name", "number", "class_"]) + "\n", r"expected one spectrum per line"),
    ],
)
def test_malformed_spectra(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_spectra(text)


# --- the scores file -------------------------------------------------------------------------


def test_scores_columns_missing_bus_classes_and_the_si_spelling() -> None:
    table = parse_scores(scores_text())
    frame = table.frame.set_index(schema.OBJECT_ID)

    assert list(table.frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.BUS_CLASS,
        "scores_class_demeo",
        schema.DEMEO_CLASS,
        "slope",
        *(f"pc{i}" for i in range(1, 6)),
    ]
    assert frame.loc["1", "pc1"] == -0.5626
    assert frame.loc["1", schema.NUMBER] == 1  # written 1.0
    assert pd.isna(frame.loc["3788", schema.BUS_CLASS])  # empty
    assert frame.loc["17", schema.BUS_CLASS] == "Sl"  # written SI
    assert frame.loc["99907", schema.DESIGNATION] == "1989 VA"
    assert frame.loc["99907", ["scores_class_demeo", schema.DEMEO_CLASS]].tolist() == ["Sq", "Sqw"]
    assert "class_bus 'SI' read as the Bus class 'Sl' for 2 asteroids" in table.notes
    assert "class_demeo differs from class_ for 1 asteroids" in table.notes


def test_an_unknown_bus_class_is_dropped_with_a_note() -> None:
    rows = [SCORES_ROWS[0].replace("1,C,C,", "1,Zz,C,")]
    table = parse_scores(scores_text(rows))
    assert pd.isna(table.frame[schema.BUS_CLASS].iloc[0])
    assert "line 2: unknown Bus class 'Zz', dropped" in table.notes


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [SCORES_ROWS[0].replace("1,C,C,", "2,C,C,")],
            r"^demeo2009/scores\.csv, line 2: expected the designation '2' to be the number or "
            r"the provisional designation of '1'",
        ),
        (
            [SCORES_ROWS[4].replace("1989VA", "1990VA")],
            r"line 2: expected the designation '1990VA'",
        ),
        (
            [SCORES_ROWS[0].replace("0.006", "")],
            r"line 2: expected a score in column 'slope', got ''",
        ),
        (
            [SCORES_ROWS[0].replace(",Ceres,1.0,", ",Ceres,1.5,")],
            r"line 2: expected an integer in column 'number', got '1\.5'",
        ),
        ([SCORES_ROWS[0].replace(",C,0.006", ",Cx,0.006")], r"line 2: expected a Bus-DeMeo class"),
        ([SCORES_ROWS[0], SCORES_ROWS[0]], r"line 3: expected each asteroid once"),
    ],
)
def test_malformed_scores(rows: list[str], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_scores(scores_text(rows))


# --- the templates file ----------------------------------------------------------------------


def test_templates_are_long_with_missing_sigma() -> None:
    table = parse_templates(templates_text())
    frame = table.frame

    assert list(frame.columns) == [schema.DEMEO_CLASS, schema.WAVELENGTH, "mean", "sigma"]
    assert len(frame) == 3 * 41
    assert frame[schema.DEMEO_CLASS].unique().tolist() == ["A", "Cg", "Xn"]
    assert frame.loc[frame[schema.DEMEO_CLASS] == "Cg", "sigma"].isna().all()  # -0.999
    a_type = frame[frame[schema.DEMEO_CLASS] == "A"]
    np.testing.assert_allclose(a_type[schema.WAVELENGTH], schema.DEMEO_WAVELENGTH)
    assert a_type["sigma"].iloc[0] == 0.02
    assert table.notes == ["3 classes: A, Cg, Xn", "sigma undefined (-0.999) for Cg"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            templates_text().replace("Cg_Sigma", "Cg_Sd"),
            r"^demeo2009/templates\.csv: expected the columns wave, <class>_Mean",
        ),
        (templates_text(("A", "Zz")), r"line 1: template expected a Bus-DeMeo class .* got 'Zz'"),
        (
            templates_text().replace("\n2.45,", "\n2.50,"),
            r"expected the 41 wavelengths 0\.45-2\.45 µm",
        ),
        (
            templates_text().replace(",0.020", ",-0.5", 1),
            r"line 2: expected a sigma >= 0 \(or -0\.999: undefined\) in column 'A_Sigma'",
        ),
        (
            templates_text().replace("\n0.50,0.", "\n0.50,x", 1),
            r"line 3: expected a number in column 'A_Mean'",
        ),
    ],
)
def test_malformed_templates(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_templates(text)


# --- the source ------------------------------------------------------------------------------


def test_the_three_tables(write_files: Files) -> None:
    tables = DEMEO2009.parse(write_files(demeo_files()))

    spectra = tables["spectra"].frame
    assert list(spectra.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        schema.WAVELENGTH,
        schema.REFLECTANCE,
    ]
    assert len(spectra) == 7 * 41
    np.testing.assert_allclose(spectra[schema.WAVELENGTH].iloc[:41], schema.DEMEO_WAVELENGTH)
    assert spectra[schema.REFLECTANCE].iloc[41 + 40] == pytest.approx(1.19)  # Vesta at 2.45 µm

    classes = tables["classes"].frame.set_index(schema.OBJECT_ID)
    assert list(tables["classes"].frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        schema.DEMEO_CLASS,
        schema.MAIN_GROUP,
        schema.BUS_CLASS,
        "scores_class_demeo",
        "slope",
        *(f"pc{i}" for i in range(1, 6)),
    ]
    assert classes.loc["4", [schema.DEMEO_CLASS, schema.MAIN_GROUP, schema.BUS_CLASS]].tolist() == [
        "V",
        "Other",
        "V",
    ]
    assert classes.loc["1", "pc1"] == -0.5626
    assert classes.loc[["54", "2002 AV"], "pc1"].isna().all()  # not in scores.csv
    assert classes.loc["99907", schema.MAIN_GROUP] == "S"
    assert tables["templates"].frame.shape == (123, 4)

    notes = tables["classes"].notes
    assert notes[0] == "7 spectra in 6 classes: S 2, C 1, V 1, Q 1, Cgh 1, Sqw 1"
    assert (
        "5 of 7 spectra have scores in scores.csv; 2 do not (not listed there): 2002 AV, 54"
        in notes
    )
    assert "17: in scores.csv but has no spectrum" in notes
    assert "0 spectra whose class differs from class_ of scores.csv" in notes
    assert (
        "demeo2009_splined_spectra.csv:6 (3788, S) repeats demeo2009_splined_spectra.csv:5 "
        "(3753, Q) value for value"
    ) in notes


def test_a_class_that_differs_between_the_files_is_noted(write_files: Files) -> None:
    files = demeo_files()
    files[SCORES] = scores_text([SCORES_ROWS[0].replace(",Ceres,1.0,C", ",Ceres,1.0,B")]).encode()
    notes = DEMEO2009.parse(write_files(files))["classes"].notes
    assert "1 spectra whose class differs from class_ of scores.csv" in notes


def test_missing_files_are_a_data_error(write_files: Files) -> None:
    files = demeo_files()
    del files[TEMPLATES]
    with pytest.raises(DataError, match=r"needs demeo2009/templates\.csv; not given"):
        DEMEO2009.parse(write_files(files))


def test_load_table_caches_the_three_tables(register_survey: Any) -> None:
    settings = register_survey(DEMEO2009, demeo_files())

    classes = load_table("demeo2009", "classes", settings=settings)
    templates = load_table("demeo2009", "templates", settings=settings)
    spectra = load_table("demeo2009", settings=settings)

    assert (len(classes), len(templates), len(spectra)) == (7, 123, 287)
    assert classes[schema.NUMBER].dtype == "Int64"
    assert classes.attrs["provenance"]["citation"].startswith("DeMeo, F. E., Binzel, R. P.")
