"""PRIMASS-L parsing: spectra by region and family, blue/red settings, classes, fills.

The synthetic files imitate the published collection (/work/shared/data/README.md):
CRLF-terminated two-column spectra under ``data/spectra/<region>[/<family>]/``, the
header-less parameters table (rows copied from the published one, including its ``-1``
and ``-999999`` fills, a real slope of -1 and the file listed twice) and the data
collection table (25 fields, of which file, number, name, start time and reference).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data.datasets import load_table
from asteroid_spectra.data.designations import Designation, parse_numbered_stem
from asteroid_spectra.data.sources.primass_l import (
    OBSERVATIONS_FILE,
    PARAMETERS,
    PARAMETERS_FILE,
    PRIMASS_L,
    parse_parameters,
)
from asteroid_spectra.exceptions import DataError, ParseError

from .conftest import LINE_ENDINGS, column_text

Write = Callable[[Mapping[str, bytes]], dict[str, Path]]


def spectrum(start: float, stop: float, ending: str = "\r\n") -> bytes:
    wavelength = np.round(np.arange(start, stop + 1e-9, 0.05), 5)
    return column_text([[f"{w:.5f}", f"{1 + 0.2 * (w - 0.55):.5f}"] for w in wavelength], ending)


SPECTRA = {
    "data/spectra/inner/klio/000084_vis.tab": (0.5, 0.9),
    "data/spectra/cybele/000225_vis.tab": (0.4, 0.9),
    "data/spectra/outer/lixiaohua/003330_vis_b.tab": (0.4, 0.7),
    "data/spectra/outer/lixiaohua/003330_vis_r.tab": (0.5, 0.9),
    "data/spectra/inner/polana/006698_1_vis.tab": (0.35, 0.9),
    "data/spectra/inner/polana/006698_2_vis.tab": (0.35, 0.9),
    "data/spectra/inner/sulamitis/000752_vis.tab": (0.5, 0.9),
    "data/spectra/inner/erigone/018759_vis.tab": (0.5, 0.9),
    "data/spectra/inner/polana/039888_vis.tab": (0.5, 0.9),
}

PARAMETER_ROWS = """\
84,X,0.87,0.9,1.6,0.03,0.688,0.001,-999999,-999999,spectra/inner/klio/000084_vis.tab
142,B,-0.9,0.02,-1,-1,-1,-1,-999999,-999999,spectra/inner/polana/000142_vis.tab
225,B,-5.62,1.25,-1,-1,-1,-1,0.4979,0.001,spectra/cybele/000225_vis.tab
752,X,2.6,0.8,1.65,0.01,0.7254,0.0006,-999999,-999999,spectra/inner/sulamitis/000752_vis.tab
752,X,1.6,0.8,2.04,0.19,0.739,0.005,-999999,-999999,spectra/inner/sulamitis/000752_vis.tab
3330,T,-999999,-999999,-999999,-999999,-999999,-999999,0.511,0.001,spectra/outer/lixiaohua/003330_vis_b.tab
3330,T,4.57,0.7,-1,-1,-1,-1,-999999,-999999,spectra/outer/lixiaohua/003330_vis_r.tab
6698,C,0.12,0.19,-1,-1,-1,-1,-999999,-999999,spectra/inner/polana/006698_1_vis.tab
6698,C,0.47,0.16,-1,-1,-1,-1,-999999,-999999,spectra/inner/polana/006698_2_vis.tab
39888,B,-1,0.08,-1,-1,-1,-1,-999999,-999999,spectra/inner/polana/039888_vis.tab
"""
"""Rows of the published parameters table (142 has no spectrum here)."""


def observation(file: str, number: int, name: str, start: str, reference: str) -> str:
    fields = [file, str(number), name, "Family", "Nes15", *["1.0"] * 8, start, start]
    fields += ["3", "600", *["1.1"] * 5, "6;9", "1.5", reference]
    assert len(fields) == 25
    return ",".join(fields)


OBSERVATIONS = [
    observation("000084_vis.tab", 84, "Klio", "2017-02-16T06:21:54", "Morate et al (2019)"),
    observation("000225_vis.tab", 225, "Henrietta", "2011-01-31T05:35:00", "De Pra et al (2018a)"),
    observation(
        "003330_vis_b.tab", 3330, "Gantrisch", "2017-02-20T08:03:00", "De Pra et al (2020a)"
    ),
    observation(
        "003330_vis_r.tab", 3330, "Gantrisch", "2017-02-20T07:44:22", "De Pra et al (2020a)"
    ),
    observation(
        "006698_1_vis.tab", 6698, "Malhotra", "2010-10-31T01:13:51", "De Leon et al (2016)"
    ),
    observation(
        "006698_2_vis.tab", 6698, "Malhotra", "2010-11-11T23:23:54", "De Leon et al (2016)"
    ),
    observation("000752_vis.tab", 752, "Sulamitis", "2015-09-01T04:50:19", "Morate et al (2018)"),
    observation("018759_vis.tab", 18759, "1999 HO2", "2014-12-17T22:31:16", "Morate et al (2016)"),
    observation(
        "039888_vis.tab", 39888, "1998 ES20", "2013-01-15T03:40:10", "De Leon et al (2016)"
    ),
    observation(
        "001581_vis.tab", 1581, "Abanderada", "2011-02-01T06:56:54", "De Pra et al (2020b)"
    ),
]


def files(**replace: bytes) -> dict[str, bytes]:
    out = {f"primass_l/{name}": spectrum(*span) for name, span in SPECTRA.items()}
    out[PARAMETERS_FILE] = PARAMETER_ROWS.replace("\n", "\r\n").encode()
    out[OBSERVATIONS_FILE] = ("\r\n".join(OBSERVATIONS) + "\r\n").encode()
    return {**out, **replace}


def parse(write: Write, **replace: bytes) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    parsed = PRIMASS_L.parse(write(files(**replace)))
    return {name: (table.frame, table.notes) for name, table in parsed.items()}


@pytest.fixture
def tables(write_files: Write) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    return parse(write_files)


@pytest.fixture
def classes(tables: dict[str, tuple[pd.DataFrame, list[str]]]) -> pd.DataFrame:
    frame = tables["classes"][0]
    return frame.set_index(frame[schema.FILE].str.rsplit("/", n=1).str[-1])


# --- file names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "number", "rest"),
    [
        ("000084_vis", 84, "vis"),
        ("003330_vis_b", 3330, "vis_b"),
        ("006698_1_vis", 6698, "1_vis"),
        ("25143_010328t134842", 25143, "010328t134842"),  # IRTF SpeX
        ("4_001009t051541", 4, "001009t051541"),
    ],
)
def test_parse_numbered_stem(stem: str, number: int, rest: str) -> None:
    assert parse_numbered_stem(stem) == (Designation(number=number), rest)


@pytest.mark.parametrize("stem", ["000000_vis", "vis_000084", "000084", "1995BM2_vis", "84-vis"])
def test_parse_numbered_stem_rejects_other_names(stem: str) -> None:
    with pytest.raises(ParseError, match=rf"asteroid number and an underscore .* got '{stem}'"):
        parse_numbered_stem(stem)


# --- spectra -----------------------------------------------------------------------------


def test_spectra_keep_region_family_and_setting(
    tables: dict[str, tuple[pd.DataFrame, list[str]]],
) -> None:
    frame, notes = tables["spectra"]
    files = frame.drop_duplicates(schema.FILE).set_index(schema.FILE, drop=False)

    assert len(files) == 9
    assert files.loc["data/spectra/cybele/000225_vis.tab", ["region", "family"]].tolist() == [
        "cybele",
        pd.NA,
    ]
    assert files.loc["data/spectra/inner/klio/000084_vis.tab", "family"] == "klio"
    settings = files["setting"].fillna("-").to_dict()
    assert settings["data/spectra/outer/lixiaohua/003330_vis_b.tab"] == "blue"
    assert settings["data/spectra/outer/lixiaohua/003330_vis_r.tab"] == "red"
    assert settings["data/spectra/inner/polana/006698_1_vis.tab"] == "-"
    assert notes[:2] == [
        "9 spectra of 7 asteroids, 0.35-0.9 µm",
        "1 blue (_vis_b) and 1 red (_vis_r) settings kept as separate spectra",
    ]


def test_blue_and_red_settings_are_separate_spectra(
    tables: dict[str, tuple[pd.DataFrame, list[str]]],
) -> None:
    frame, _ = tables["spectra"]
    gantrisch = frame[frame[schema.OBJECT_ID] == "3330"]

    spans = gantrisch.groupby("setting")[schema.WAVELENGTH].agg(["min", "max"])
    assert spans.loc["blue"].tolist() == [0.4, 0.7]
    assert spans.loc["red"].tolist() == [0.5, 0.9]
    assert (gantrisch.groupby(schema.FILE)[schema.WAVELENGTH].diff().dropna() > 0).all()


def test_spectra_values_are_as_published(tables: dict[str, tuple[pd.DataFrame, list[str]]]) -> None:
    frame, _ = tables["spectra"]
    klio = frame[frame[schema.OBJECT_ID] == "84"]

    assert klio[schema.WAVELENGTH].iloc[[0, -1]].tolist() == [0.5, 0.9]
    assert klio[schema.REFLECTANCE].iloc[[0, -1]].tolist() == [0.99, 1.07]
    assert klio[schema.ERROR].isna().all()
    assert list(frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        "region",
        "family",
        "setting",
        schema.WAVELENGTH,
        schema.REFLECTANCE,
        schema.ERROR,
    ]


@pytest.mark.parametrize("ending", LINE_ENDINGS)
def test_every_line_ending_parses_alike(write_files: Write, ending: str) -> None:
    name = "primass_l/data/spectra/inner/klio/000084_vis.tab"
    frame, _ = parse(write_files, **{name: spectrum(0.5, 0.9, LINE_ENDINGS[ending])})["spectra"]

    klio = frame[frame[schema.OBJECT_ID] == "84"]
    np.testing.assert_allclose(klio[schema.WAVELENGTH], np.arange(0.5, 0.9001, 0.05))


# --- identity and classes ----------------------------------------------------------------


def test_names_and_designations_come_from_the_data_collection(classes: pd.DataFrame) -> None:
    assert classes.loc["000084_vis.tab", [schema.OBJECT_ID, schema.NAME]].tolist() == ["84", "Klio"]
    assert pd.isna(classes.loc["000084_vis.tab", schema.DESIGNATION])
    assert classes.loc["018759_vis.tab", schema.DESIGNATION] == "1999 HO2"
    assert pd.isna(classes.loc["018759_vis.tab", schema.NAME])
    assert classes.loc["003330_vis_b.tab", "observation_time"] == "2017-02-20T08:03:00"
    assert classes.loc["003330_vis_b.tab", "reference"] == "De Pra et al (2020a)"
    assert (classes[schema.SURVEY] == "primass-l").all()


def test_classes_columns_and_dtypes(classes: pd.DataFrame) -> None:
    assert list(classes.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        "region",
        "family",
        "setting",
        "observation_time",
        "reference",
        schema.PRIMASS_CLASS,
        schema.MAIN_GROUP,
        schema.LABELLED,
        schema.LABEL_NOTE,
        *PARAMETERS,
        "band_detected",
        "turnoff_detected",
    ]
    dtypes = classes.dtypes.astype(str)
    assert dtypes[schema.NUMBER] == "Int64"
    assert dtypes[schema.PRIMASS_CLASS] == "string"
    assert dtypes[schema.LABELLED] == "bool"
    assert (dtypes[list(PARAMETERS)] == "float64").all()
    assert (dtypes[["band_detected", "turnoff_detected"]] == "boolean").all()
    assert len(classes) == 9  # one row per spectrum file


def test_class_and_parameters_of_a_spectrum(classes: pd.DataFrame) -> None:
    klio = classes.loc["000084_vis.tab"]

    assert (klio[schema.PRIMASS_CLASS], klio[schema.MAIN_GROUP], klio[schema.LABELLED]) == (
        "X",
        "X",
        True,
    )
    assert [klio[name] for name in PARAMETERS[:6]] == [0.87, 0.9, 1.6, 0.03, 0.688, 0.001]
    assert np.isnan(klio["turnoff"])
    assert klio["band_detected"]
    assert pd.isna(klio["turnoff_detected"])  # -999999: not measured


@pytest.mark.parametrize(
    ("file", "slope", "band_detected", "turnoff", "turnoff_detected"),
    [
        ("000225_vis.tab", -5.62, False, 0.4979, True),  # -1: no band
        ("003330_vis_b.tab", np.nan, None, 0.511, True),  # blue setting: no slope measured
        ("003330_vis_r.tab", 4.57, False, np.nan, None),
        ("039888_vis.tab", -1.0, False, np.nan, None),  # a slope of -1 ± 0.08 is a slope
    ],
)
def test_fill_pairs_become_missing_values(
    classes: pd.DataFrame,
    file: str,
    slope: float,
    band_detected: bool | None,
    turnoff: float,
    turnoff_detected: bool | None,
) -> None:
    row = classes.loc[file]

    np.testing.assert_equal([row["slope"], row["turnoff"]], [slope, turnoff])
    assert np.isnan(row["band_depth"])
    assert np.isnan(row["band_center_error"])
    assert (None if pd.isna(row["band_detected"]) else row["band_detected"]) == band_detected
    assert (None if pd.isna(row["turnoff_detected"]) else row["turnoff_detected"]) == (
        turnoff_detected
    )


def test_ambiguous_and_missing_rows(
    classes: pd.DataFrame, tables: dict[str, tuple[pd.DataFrame, list[str]]]
) -> None:
    sulamitis = classes.loc["000752_vis.tab"]
    assert sulamitis[schema.PRIMASS_CLASS] == "X"
    assert classes.loc["000752_vis.tab", list(PARAMETERS)].isna().all()
    unlabelled = classes.loc["018759_vis.tab"]
    assert not unlabelled[schema.LABELLED]
    assert pd.isna(unlabelled[schema.PRIMASS_CLASS])
    assert unlabelled[schema.LABEL_NOTE] == "no row in primassl_visible_spectral_parameters.csv"

    assert tables["classes"][1] == [
        "9 spectra, 8 with a class",
        "data/spectra/inner/sulamitis/000752_vis.tab: listed twice with different parameters "
        "(line 5); they cannot be attributed, left NaN; class X kept",
        "1 spectra without a row in the parameters table (unlabelled): "
        "data/spectra/inner/erigone/018759_vis.tab",
        "parameters of files not published: data/spectra/inner/polana/000142_vis.tab",
        f"{OBSERVATIONS_FILE} lists files not published: 001581_vis.tab",
    ]


def test_identical_duplicate_rows_are_kept_once() -> None:
    row = "84,X,0.87,0.9,1.6,0.03,0.688,0.001,-999999,-999999,spectra/inner/klio/000084_vis.tab"

    rows, notes = parse_parameters(f"{row}\n{row}\n")

    assert rows["data/spectra/inner/klio/000084_vis.tab"]["slope"] == 0.87
    assert notes == [
        "data/spectra/inner/klio/000084_vis.tab: listed twice with identical rows (line 2); "
        "kept once"
    ]


def test_conflicting_classes_leave_the_class_empty() -> None:
    text = (
        "84,X,0.87,0.9,1.6,0.03,0.688,0.001,-999999,-999999,spectra/inner/klio/000084_vis.tab\n"
        "84,C,0.87,0.9,1.6,0.03,0.688,0.001,-999999,-999999,spectra/inner/klio/000084_vis.tab\n"
    )

    rows, notes = parse_parameters(text)

    assert rows["data/spectra/inner/klio/000084_vis.tab"][schema.PRIMASS_CLASS] is None
    assert notes[0].endswith("class left empty")


# --- errors ------------------------------------------------------------------------------

PARAMETERS_AT = r"primass_l/data/primassl_visible_spectral_parameters\.csv, line 2: "


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "84,X,0.87,0.9,1.6,0.03,0.688,0.001,-999999,spectra/inner/klio/000084_vis.tab",
            PARAMETERS_AT + r"expected 11 comma-separated fields .* got 10",
        ),
        (
            "84,X,0.87,n/a,1.6,0.03,0.688,0.001,-1,-1,spectra/inner/klio/000084_vis.tab",
            PARAMETERS_AT + r"expected an integer number and 8 numeric parameters",
        ),
        (
            "85,X,0.87,0.9,1.6,0.03,0.688,0.001,-1,-1,spectra/inner/klio/000084_vis.tab",
            PARAMETERS_AT
            + r"expected the number of data/spectra/inner/klio/000084_vis.tab \(84\), "
            r"got 85",
        ),
    ],
)
def test_a_malformed_parameter_row_names_file_and_line(
    write_files: Write, row: str, message: str
) -> None:
    table = f"{PARAMETER_ROWS.splitlines()[0]}\r\n{row}\r\n".encode()

    with pytest.raises(ParseError, match=message):
        parse(write_files, **{PARAMETERS_FILE: table})


def test_a_malformed_spectrum_names_file_and_line(write_files: Write) -> None:
    name = "primass_l/data/spectra/inner/klio/000084_vis.tab"
    content = b"0.50000 0.95182\r\n0.50050 0.95427\r\n0.50100 -\r\n"

    with pytest.raises(ParseError, match=rf"{name}, line 3: expected 2 or 3 numbers separated"):
        parse(write_files, **{name: content})


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "primass_l/data/spectra/inner/klio/000084_nir.tab",
            r"000084_nir\.tab: expected 'NNNNNN_vis'",
        ),
        (
            "primass_l/data/spectra/inner/klio/vis_000084.tab",
            r"vis_000084\.tab: expected a file name",
        ),
    ],
)
def test_an_unknown_file_name_is_a_parse_error(write_files: Write, name: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(write_files, **{name: spectrum(0.5, 0.9)})


def test_a_number_that_disagrees_with_the_data_collection(write_files: Write) -> None:
    wrong = observation("000084_vis.tab", 85, "Klio", "2017-02-16T06:21:54", "Morate et al (2019)")

    with pytest.raises(ParseError, match=r"000084_vis\.tab: expected number 84 .* got 85"):
        parse(write_files, **{OBSERVATIONS_FILE: wrong.encode()})


def test_a_short_data_collection_row(write_files: Write) -> None:
    with pytest.raises(ParseError, match=r"data_collection\.csv, line 1: expected 25 .* got 3"):
        parse(write_files, **{OBSERVATIONS_FILE: b"000084_vis.tab,84,Klio\r\n"})


def test_the_parameters_table_is_required(write_files: Write) -> None:
    paths = write_files(files())
    del paths[PARAMETERS_FILE]

    with pytest.raises(DataError, match=r"PRIMASS-L needs .*parameters\.csv; fetch it"):
        PRIMASS_L.parse(paths)


def test_load_table_round_trips_the_classes(register_survey: Callable[..., Settings]) -> None:
    settings = register_survey(PRIMASS_L, files())

    table = load_table("primass-l", "classes", settings=settings)
    cached = load_table("primass-l", "classes", settings=settings)

    pd.testing.assert_frame_equal(table, cached)
    assert cached["band_detected"].dtype == "boolean"
    assert int(cached[schema.LABELLED].sum()) == 8
    assert load_table("primass-l", settings=settings)[schema.FILE].nunique() == 9
