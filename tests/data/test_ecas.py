"""ECAS parsing: colors.csv, the data/<number>.csv reflectances, and how they agree.

The synthetic files imitate the published ones (/work/shared/data/README.md and the
mirror's ecas/ folder): colors.csv with its 28 columns, empty means and -0.099 standard
deviations for unmeasured colours, NOTE -9 for no note, ``---`` for an unnamed asteroid;
data files written the way classy wrote them (reflectance 10^(∓0.4 c), ``refl_err`` =
0.4 ln10 |c| σ, unmeasured filters left out).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.datasets import load_table
from asteroid_spectra.data.sources.ecas import (
    COLOR_HEADER,
    COLORS,
    COLOURS,
    ECAS,
    colour_reflectance,
    colour_reflectance_error,
    parse_colors,
    parse_spectrum,
)
from asteroid_spectra.exceptions import DataError, ParseError

Files = Callable[[Mapping[str, bytes]], dict[str, Path]]

# number, AST_NAME, name, colours (s-v … v-z, None = unmeasured), sigma, nights, note, flags
ASTEROIDS: list[dict[str, Any]] = [
    # 1 Ceres: the published row (colors.csv line 2).
    {
        "number": 1,
        "ast_name": "Ceres",
        "name": "Ceres",
        "colours": [0.43, 0.263, 0.047, 0.0, -0.005, -0.022, -0.031],
        "sigma": [0.01, 0.006, 0.006, 0.006, 0.006, 0.008, 0.008],
        "nights": 6,
        "note": -9,
        "flags": [0] * 7,
    },
    # 13 Egeria: s-v, v-p and v-z not measured (colors.csv line 14).
    {
        "number": 13,
        "ast_name": "Egeria",
        "name": "Egeria",
        "colours": [None, 0.314, 0.068, 0.003, 0.037, None, None],
        "sigma": [None, 0.01, 0.01, 0.005, 0.009, None, None],
        "nights": 1,
        "note": -9,
        "flags": [0] * 7,
    },
    # 152 Atala: no colour at all, a note (colors.csv line 127).
    {
        "number": 152,
        "ast_name": "Atala",
        "name": "Atala",
        "colours": [None] * 7,
        "sigma": [None] * 7,
        "nights": 0,
        "note": 1,
        "flags": [0] * 7,
    },
    # 4688: unnamed in 1985, now known by its provisional designation; three flags.
    {
        "number": 4688,
        "ast_name": "---",
        "name": "1980 WF",
        "colours": [0.372, 0.505, 0.275, 0.117, -0.106, -0.334, -0.546],
        "sigma": [0.126, 0.018, 0.015, 0.016, 0.02, 0.048, 0.103],
        "nights": 2,
        "note": 10,
        "flags": [1, 0, 0, 0, 0, 1, 1],
    },
]


def colors_row(asteroid: Mapping[str, Any]) -> list[str]:
    pairs = []
    for colour, sigma in zip(asteroid["colours"], asteroid["sigma"], strict=True):
        pairs += [
            "" if colour is None else repr(colour),
            "-0.099" if sigma is None else repr(sigma),
        ]
    flags = asteroid["flags"]
    return [
        str(asteroid["number"]),
        asteroid["ast_name"],
        *pairs,
        str(asteroid["nights"]),
        str(asteroid["note"]),
        asteroid["name"],
        str(asteroid["number"]),
        str(int(any(flags))),
        *(f"{flag:.1f}" for flag in flags),
    ]


def colors_text(rows: list[list[str]] | None = None) -> bytes:
    rows = [colors_row(a) for a in ASTEROIDS] if rows is None else rows
    return "\n".join(",".join(row) for row in [list(COLOR_HEADER), *rows]).encode() + b"\n"


def data_text(asteroid: Mapping[str, Any]) -> bytes:
    """A data file as classy wrote it from the colours."""
    lines = ["refl,refl_err,wave,flag"]
    sign = [-1, -1, -1, None, 1, 1, 1, 1]
    values = [*asteroid["colours"][:3], None, *asteroid["colours"][3:]]
    sigmas = [*asteroid["sigma"][:3], None, *asteroid["sigma"][3:]]
    flags = [*asteroid["flags"][:3], 0, *asteroid["flags"][3:]]
    for band, wavelength in enumerate(schema.ECAS_WAVELENGTH):
        if sign[band] is None:
            lines.append(f"1.0,0.0,{wavelength},0")
        elif values[band] is not None:
            refl = 10 ** (0.4 * sign[band] * values[band])
            error = abs(values[band]) * 0.4 * math.log(10) * sigmas[band]
            lines.append(f"{refl!r},{error!r},{wavelength},{flags[band]}")
    return ("\n".join(lines) + "\n").encode()


def ecas_files(**changes: bytes) -> dict[str, bytes]:
    files = {COLORS: colors_text()}
    files |= {f"ecas/data/{a['number']}.csv": data_text(a) for a in ASTEROIDS}
    files["ecas/data/ecasmean.tab"] = b"     1 Ceres   0.430  10\n"  # registered, not parsed
    return files | changes


@pytest.fixture
def ecas_paths(write_files: Files) -> dict[str, Path]:
    return write_files(ecas_files())


# --- the colour → reflectance relation ------------------------------------------------------


def test_colour_reflectance_reproduces_the_published_data_file_of_ceres() -> None:
    # Expected: ecas/data/1.csv of the mirror (refl column), written from colors.csv line 2.
    published = [
        0.6729766562843177,
        0.78487410348873,
        0.9576349769692688,
        1.0,
        1.0,
        0.995405417351527,
        0.9799411610955941,
        0.971851702940169,
    ]
    np.testing.assert_allclose(colour_reflectance(ASTEROIDS[0]["colours"]), published, rtol=1e-15)


@pytest.mark.parametrize(("band", "colour", "expected"), [(0, 0.5, 10**-0.2), (4, 0.5, 10**0.2)])
def test_blue_colours_dim_and_red_colours_brighten(
    band: int, colour: float, expected: float
) -> None:
    colours = np.zeros(7)
    colours[band] = colour
    reflectance = colour_reflectance(colours)
    assert reflectance[band if band < 3 else band + 1] == pytest.approx(expected)
    assert reflectance[3] == 1.0


def test_reflectance_keeps_nan_and_broadcasts() -> None:
    result = colour_reflectance([[np.nan, 0, 0, 0, 0, 0, 0], [0.1] * 7])
    assert result.shape == (2, 8)
    assert np.isnan(result[0, 0])
    assert result[1, 3] == 1.0


def test_error_is_the_first_order_propagation() -> None:
    colours = np.array([0.43, 0.263, 0.047, 0.0, -0.005, -0.022, -0.031])
    sigma = np.full(7, 0.01)
    step = 1e-6
    numeric = [
        (colour_reflectance(colours + step * np.eye(7)[i]) - colour_reflectance(colours))[
            i if i < 3 else i + 1
        ]
        / step
        for i in range(7)
    ]
    expected = np.insert(np.abs(numeric) * sigma, 3, 0.0)
    np.testing.assert_allclose(colour_reflectance_error(colours, sigma), expected, rtol=1e-5)
    # v-w = 0 has a non-zero error (the data files give 0 there: 0.4 ln10 |c| σ).
    assert colour_reflectance_error(colours, sigma)[4] == pytest.approx(0.4 * math.log(10) * 0.01)


# --- colors.csv ------------------------------------------------------------------------------


def test_colors_table_columns_and_dtypes() -> None:
    frame = parse_colors(colors_text().decode()).frame

    colour_columns = [f"{c}_{part}" for c in COLOURS for part in ("mean", "std_dev")]
    flags = ["flag", *(f"flag_{c}" for c in COLOURS)]
    assert list(frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        "ast_name",
        *colour_columns,
        "nights",
        "note",
        *flags,
    ]
    assert frame[schema.OBJECT_ID].tolist() == ["1", "13", "152", "4688"]
    assert frame[schema.NUMBER].dtype == "Int64"
    assert all(frame[c].dtype == "string" for c in (schema.OBJECT_ID, schema.NAME, "ast_name"))
    assert all(frame[c].dtype == np.float64 for c in colour_columns)
    assert all(frame[c].dtype == np.int8 for c in flags)
    assert (frame[schema.SURVEY] == "ecas").all()


def test_unmeasured_colours_and_notes_are_missing() -> None:
    frame = parse_colors(colors_text().decode()).frame.set_index(schema.OBJECT_ID)

    egeria = frame.loc["13"]
    assert math.isnan(egeria["s_v_mean"])
    assert math.isnan(egeria["s_v_std_dev"])  # -0.099 in the file
    assert (egeria["u_v_mean"], egeria["u_v_std_dev"]) == (0.314, 0.01)
    assert frame.loc["152", [f"{c}_mean" for c in COLOURS]].isna().all()
    assert pd.isna(frame.loc["1", "note"])  # -9: no note
    assert frame.loc["4688", "note"] == 10
    assert frame.loc["152", "nights"] == 0


def test_identity_of_an_asteroid_named_by_its_provisional_designation() -> None:
    frame = parse_colors(colors_text().decode()).frame.set_index(schema.OBJECT_ID)

    row = frame.loc["4688"]
    assert row[schema.NUMBER] == 4688
    assert pd.isna(row[schema.NAME])
    assert row[schema.DESIGNATION] == "1980 WF"
    assert pd.isna(row["ast_name"])  # '---' as published
    assert (row["flag"], row["flag_s_v"], row["flag_u_v"]) == (1, 1, 0)


def test_colors_notes_count_unmeasured_colours() -> None:
    notes = parse_colors(colors_text().decode()).notes
    assert notes[0] == "4 asteroids"
    assert "s-v: not measured for 2 asteroids" in notes
    assert not any("flags disagree" in note for note in notes)


def test_a_flag_that_contradicts_the_sigma_limit_is_noted() -> None:
    rows = [colors_row(a) for a in ASTEROIDS]
    rows[0][COLOR_HEADER.index("flag_V_Z")] = "1.0"  # σ 0.008 is below the 0.051 limit
    rows[0][COLOR_HEADER.index("flag")] = "1"
    notes = parse_colors(colors_text(rows).decode()).notes
    assert "v-z: 1 flags disagree with sigma > 0.051" in notes


def edit(column: str, value: str, row: int = 1) -> str:
    rows = [colors_row(a) for a in ASTEROIDS]
    rows[row][COLOR_HEADER.index(column)] = value
    return colors_text(rows).decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"^ecas/colors\.csv, line 1: expected the header AST_NUMBER,.*got nothing$"),
        (
            colors_text().decode().replace("AST_NAME", "NAME"),
            r"line 1: expected the header AST_NUMBER,AST_NAME,",
        ),
        (
            colors_text().decode() + "5,Astraea,0.444\n",
            r"line 6: expected 28 comma-separated fields, got 3$",
        ),
        (edit("U_V_MEAN", "0.3x"), r"line 3: expected a number in column 'U_V_MEAN', got '0\.3x'"),
        (edit("NIGHTS", "1.5"), r"line 3: expected an integer in column 'NIGHTS', got '1\.5'"),
        (edit("AST_NUMBER", "14"), r"line 3: expected the value of 'number' in column 'AST_NU"),
        (edit("number", ""), r"line 3: expected an asteroid number in column 'number', got ''"),
        (
            edit("V_W_STD_DEV", "-0.02"),
            r"line 3: expected a standard deviation >= 0 \(or -0\.099: missing\) in column "
            r"'V_W_STD_DEV', got '-0\.02'",
        ),
        (edit("flag_B_V", "2.0"), r"line 3: expected a flag 0 or 1 in column 'flag_B_V'"),
    ],
)
def test_malformed_colors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_colors(text)


def test_an_asteroid_listed_twice_is_refused() -> None:
    rows = [colors_row(a) for a in ASTEROIDS] + [colors_row(ASTEROIDS[0])]
    with pytest.raises(ParseError, match=r"line 6: expected each asteroid once in column 'number'"):
        parse_colors(colors_text(rows).decode())


def test_an_empty_table_is_refused() -> None:
    with pytest.raises(ParseError, match=r"expected one row per asteroid after the header"):
        parse_colors(",".join(COLOR_HEADER) + "\n")


# --- data/<number>.csv --------------------------------------------------------------------

HEAD = "refl,refl_err,wave,flag\n"


def test_spectrum_file_is_read_in_wavelength_order() -> None:
    array = parse_spectrum(data_text(ASTEROIDS[1]).decode(), where="ecas/data/13.csv")
    np.testing.assert_allclose(array[:, 0], [0.359, 0.437, 0.55, 0.701, 0.853])
    assert array[2, 1:].tolist() == [1.0, 0.0, 0.0]  # the normalisation point


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wave,refl\n", r"^ecas/data/9\.csv, line 1: expected the header refl,refl_err,wave,flag"),
        (f"{HEAD}1.0,0.0,0.55,0\nabc,0.1,0.701,0\n", r"line 3: .*'refl', got 'abc'"),
        (
            f"{HEAD}1.0,0.0,0.55,0\n1.1,0.1,0.6,0\n",
            r"line 3: expected one of 0\.337, .* 1\.041 µm in column 'wave', got '0\.6'",
        ),
        (
            f"{HEAD}1.1,0.1,0.701,0\n1.0,0.0,0.55,0\n",
            r"line 3: expected a wavelength above the previous one in column 'wave'",
        ),
        (
            f"{HEAD}0.9,0.1,0.437,0\n",
            r"^ecas/data/9\.csv: expected the 0\.55 µm normalisation point",
        ),
        (
            f"{HEAD}1.0,0.0,0.55,0\n-1.0,0.1,0.701,0\n",
            r"line 3: expected a positive finite reflectance in column 'refl', got '-1\.0'",
        ),
        (
            f"{HEAD}1.0,0.0,0.55,0\ninf,0.1,0.701,0\n",
            r"line 3: expected a positive finite reflectance",
        ),
        (
            f"{HEAD}1.0,0.0,0.55,0\n1.0,,0.701,0\n",
            r"line 3: expected an error >= 0 in column 'refl_err', got ''",
        ),
        (f"{HEAD}1.0,0.0,0.55,3\n", r"line 2: expected a flag 0 or 1 in column 'flag', got '3'"),
    ],
)
def test_malformed_spectrum_files(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_spectrum(text, where="ecas/data/9.csv")


# --- the source ------------------------------------------------------------------------------


def test_spectra_table(ecas_paths: dict[str, Path]) -> None:
    tables = ECAS.parse(ecas_paths)
    spectra = tables["spectra"].frame

    assert list(spectra.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        schema.WAVELENGTH,
        schema.REFLECTANCE,
        schema.ERROR,
        "file_error",
        schema.FLAG,
    ]
    assert spectra.groupby(schema.FILE, sort=False).size().to_dict() == {
        "data/1.csv": 8,
        "data/13.csv": 5,
        "data/152.csv": 1,
        "data/4688.csv": 8,
    }
    assert spectra[schema.FLAG].dtype == np.int8
    assert spectra[schema.NUMBER].dtype == "Int64"
    assert spectra[schema.FILE].dtype == "string"
    ceres = spectra[spectra[schema.OBJECT_ID] == "1"]
    np.testing.assert_allclose(ceres[schema.WAVELENGTH], schema.ECAS_WAVELENGTH)
    np.testing.assert_allclose(
        ceres[schema.ERROR],
        colour_reflectance_error(ASTEROIDS[0]["colours"], ASTEROIDS[0]["sigma"]),
    )
    assert ceres[schema.ERROR].iloc[4] > 0  # v-w = 0 ± 0.006
    assert ceres["file_error"].iloc[4] == 0.0
    unnamed = spectra[spectra[schema.OBJECT_ID] == "4688"].iloc[0]
    assert unnamed[schema.DESIGNATION] == "1980 WF"
    assert spectra[spectra[schema.OBJECT_ID] == "4688"][schema.FLAG].tolist() == [
        1,
        0,
        0,
        0,
        0,
        0,
        1,
        1,
    ]
    notes = tables["spectra"].notes
    assert (
        notes[0] == "4 data files, 22 samples; samples per file: 1: 1 files, 5: 1 files, 8: 2 files"
    )
    assert notes[1] == "0 disagreements between data files and colors.csv"
    assert tables["colors"].frame.shape == (4, 30)


def test_a_data_file_that_disagrees_with_colors_csv_is_named(write_files: Files) -> None:
    changed = data_text(ASTEROIDS[0]).replace(b"0.6729766562843177", b"0.7000000000000000")
    extra = data_text(ASTEROIDS[2]).replace(b"1.0,0.0,0.55,0", b"0.9,0.01,0.437,0\n1.0,0.0,0.55,0")
    tables = ECAS.parse(
        write_files(ecas_files(**{"ecas/data/1.csv": changed, "ecas/data/152.csv": extra}))
    )
    notes = tables["spectra"].notes
    assert "2 disagreements between data files and colors.csv" in notes
    assert (
        "ecas/data/1.csv: reflectance 0.7000 at 0.337 µm; the colours of colors.csv give 0.6730"
        in notes
    )
    assert (
        "ecas/data/152.csv: holds the filters at 0.437, 0.55 µm; colors.csv has colours for "
        "0 of them" in notes
    )


def test_a_data_file_without_colours_keeps_its_number(write_files: Files) -> None:
    files = ecas_files(**{"ecas/data/99.csv": data_text(ASTEROIDS[0])})
    tables = ECAS.parse(write_files(files))
    spectra = tables["spectra"].frame
    row = spectra[spectra[schema.OBJECT_ID] == "99"]
    assert len(row) == 8
    assert row[schema.NUMBER].iloc[0] == 99
    assert row[schema.ERROR].isna().all()
    assert "ecas/data/99.csv: asteroid not in colors.csv" in tables["spectra"].notes


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        (
            [COLORS],
            r"^ECAS needs ecas/colors\.csv and the data/<number>\.csv files; "
            r"ecas/colors\.csv was not given\.",
        ),
        (
            [f"ecas/data/{a['number']}.csv" for a in ASTEROIDS],
            r"no data file was given\. Fetch them",
        ),
    ],
)
def test_missing_files_are_a_data_error(
    ecas_paths: dict[str, Path], drop: list[str], message: str
) -> None:
    paths = {name: path for name, path in ecas_paths.items() if name not in drop}
    with pytest.raises(DataError, match=message):
        ECAS.parse(paths)


def test_a_file_that_is_not_utf8_is_a_parse_error(write_files: Files) -> None:
    paths = write_files(ecas_files(**{COLORS: b"\xff\xfe"}))
    with pytest.raises(ParseError, match=r"colors\.csv: expected UTF-8 text"):
        ECAS.parse(paths)


def test_load_table_caches_both_tables(register_survey: Any) -> None:
    settings = register_survey(ECAS, ecas_files())

    colors = load_table("ecas", "colors", settings=settings)
    spectra = load_table("ecas", settings=settings)

    assert (len(colors), len(spectra)) == (4, 22)
    assert spectra[schema.NUMBER].dtype == "Int64"
    assert spectra[schema.FLAG].dtype == np.int8
    assert colors["note"].dtype == "Int64"
    provenance = spectra.attrs["provenance"]
    assert (provenance["source"], provenance["parser_version"]) == ("ecas", 1)
    assert provenance["citation"].startswith("Zellner, B., Tholen, D. J. & Tedesco, E. F. (1985)")
