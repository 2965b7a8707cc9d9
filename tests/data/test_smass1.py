"""SMASSI parsing: Å wavelengths to µm, identities, junk rules, line endings, bad files.

The synthetic files imitate the published ones (/work/shared/data/README.md and the
archive's README): ``aNNNNNN.[1]`` and ``au<designation>.[1]``, two columns (wavelength
in Å, reflectance normalised at 5500 Å) or three (with an error bar), one file in µm with
a column of zero errors (as ``a004062.[1]``), one with CR line endings.
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
from asteroid_spectra.data.sources.smass1 import SMASS1
from asteroid_spectra.data.sources.text_tables import JunkRules, read_spectrum
from asteroid_spectra.exceptions import DataError, ParseError

from .conftest import LINE_ENDINGS, column_text

Write = Callable[[Mapping[str, bytes]], dict[str, Path]]

ANGSTROM = [4400, 5000, 5500, 6000, 9800]
REFLECTANCE = [0.912, 0.961, 1.0, 1.031, 1.204]


def angstrom_file(ending: str = "\n", errors: bool = False) -> bytes:
    rows = [
        [w, r, *([0.01 * (i + 1)] if errors else [])]
        for i, (w, r) in enumerate(zip(ANGSTROM, REFLECTANCE, strict=True))
    ]
    return column_text(rows, ending)


FILES = {
    "smass1/README": b"The first column is the wavelength (angstroms) ...\n",
    "smass1/a000004.[1]": angstrom_file(),
    "smass1/a000001.[1]": angstrom_file("\r\n", errors=True),
    "smass1/au1991XB.[1]": angstrom_file("\r"),
    "smass1/a004062.[1]": column_text(
        [[0.4350, 0.8760, 0.0000], [0.5500, 1.0000, 0.0000], [0.9250, 1.1200, 0.0000]], "\r"
    ),
    # junk: a fill reflectance, a NaN, a zero reflectance, a repeated sample
    "smass1/a000010.[1]": column_text(
        [[4400, 0.93], [5000, -1], [5200, "nan"], [5500, 1.0], [5500, 1.0], [6000, 0], [7000, 1.1]]
    ),
}


def frame_of(write: Write, files: Mapping[str, bytes] = FILES) -> pd.DataFrame:
    return SMASS1.parse(write(files))["spectra"].frame


def spectrum(frame: pd.DataFrame, object_id: str) -> pd.DataFrame:
    return frame[frame[schema.OBJECT_ID] == object_id]


def test_wavelengths_are_converted_from_angstrom_to_micron(write_files: Write) -> None:
    vesta = spectrum(frame_of(write_files), "4")

    # 4400 Å / 10,000 = 0.44 µm, exactly the double nearest 0.44
    assert vesta[schema.WAVELENGTH].tolist() == [0.44, 0.5, 0.55, 0.6, 0.98]
    assert vesta[schema.REFLECTANCE].tolist() == REFLECTANCE  # as published
    assert vesta[schema.ERROR].isna().all()


def test_third_column_is_the_error(write_files: Write) -> None:
    ceres = spectrum(frame_of(write_files), "1")

    np.testing.assert_allclose(ceres[schema.ERROR], [0.01, 0.02, 0.03, 0.04, 0.05])


def test_a_file_already_in_micron_is_kept_with_a_note(write_files: Write) -> None:
    parsed = SMASS1.parse(write_files(FILES))["spectra"]
    frame = spectrum(parsed.frame, "4062")

    assert frame[schema.WAVELENGTH].tolist() == [0.435, 0.55, 0.925]
    assert frame[schema.ERROR].isna().all()  # zero error bars are no error bars
    assert "1 file already in µm, not Å (kept): smass1/a004062.[1]" in parsed.notes
    assert (
        "set 3 errors to NaN in 1 file (fill values or not positive: no error bar): "
        "smass1/a004062.[1]"
    ) in parsed.notes


@pytest.mark.parametrize(
    ("file", "object_id", "number", "designation"),
    [
        ("a000004.[1]", "4", 4, None),
        ("a004062.[1]", "4062", 4062, None),
        ("au1991XB.[1]", "1991 XB", None, "1991 XB"),
    ],
)
def test_identity_comes_from_the_file_name(
    write_files: Write, file: str, object_id: str, number: int | None, designation: str | None
) -> None:
    rows = frame_of(write_files)
    row = rows[rows[schema.FILE] == file].iloc[0]

    assert row[schema.SURVEY] == "smass1"
    assert row[schema.OBJECT_ID] == object_id
    assert (None if pd.isna(row[schema.NUMBER]) else row[schema.NUMBER]) == number
    assert (None if pd.isna(row[schema.DESIGNATION]) else row[schema.DESIGNATION]) == designation
    assert pd.isna(row[schema.NAME])


def test_junk_samples_are_dropped_and_counted(write_files: Write) -> None:
    parsed = SMASS1.parse(write_files(FILES))["spectra"]
    kept = spectrum(parsed.frame, "10")

    assert kept[schema.WAVELENGTH].tolist() == [0.44, 0.55, 0.7]
    assert parsed.notes[:5] == [
        "5 spectra of 5 asteroids, 0.435-0.98 µm",
        "dropped 1 non-finite samples in 1 file: smass1/a000010.[1]",
        "dropped 1 samples with fill values (-1, -999999) in 1 file: smass1/a000010.[1]",
        "dropped 1 non-positive reflectance samples in 1 file: smass1/a000010.[1]",
        "dropped 1 exact duplicate samples in 1 file: smass1/a000010.[1]",
    ]


@pytest.mark.parametrize("ending", LINE_ENDINGS)
def test_every_line_ending_parses_alike(write_files: Write, ending: str) -> None:
    files = {"smass1/a000004.[1]": angstrom_file(LINE_ENDINGS[ending])}

    frame = frame_of(write_files, files)

    assert frame[schema.WAVELENGTH].tolist() == [0.44, 0.5, 0.55, 0.6, 0.98]


def test_columns_and_dtypes(write_files: Write) -> None:
    frame = frame_of(write_files)

    assert list(frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        schema.WAVELENGTH,
        schema.REFLECTANCE,
        schema.ERROR,
    ]
    assert {column: str(dtype) for column, dtype in frame.dtypes.items()} == {
        schema.SURVEY: "string",
        schema.OBJECT_ID: "string",
        schema.NUMBER: "Int64",
        schema.NAME: "string",
        schema.DESIGNATION: "string",
        schema.FILE: "string",
        schema.WAVELENGTH: "float64",
        schema.REFLECTANCE: "float64",
        schema.ERROR: "float64",
    }
    # numbered first, by number, then the provisional designations
    assert frame[schema.OBJECT_ID].unique().tolist() == ["1", "4", "10", "4062", "1991 XB"]
    steps = frame.groupby(schema.FILE)[schema.WAVELENGTH].diff().dropna()
    assert (steps > 0).all()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"4400 0.91\n5000 0.96\n5500 abc\n",
            r"smass1/a000005\.\[1\], line 3: expected 2 or 3 numbers separated by whitespace, "
            r"got '5500 abc'",
        ),
        (b"4400\n", r"smass1/a000005\.\[1\], line 1: expected 2 or 3 numbers, got '4400'"),
        (
            b"4400 0.91\n5000 0.96 0.01\n",
            r"smass1/a000005\.\[1\], line 2: expected 2 \(as line 1\) numbers, "
            r"got '5000 0.96 0.01'",
        ),
        (b"\n\n", r"smass1/a000005\.\[1\]: expected lines of 2 or 3 numbers, got no data"),
        (
            b"4400 0.91\n5500 1.0\n5000 0.96\n",
            r"smass1/a000005\.\[1\], line 3: expected increasing wavelengths, got 5000 after 5500",
        ),
        (
            b"440 0.91\n550 1.0\n980 1.2\n",
            r"smass1/a000005\.\[1\], line 1: expected wavelengths in Å \(2500-60000\) or µm "
            r"\(0.1-6\), got 440-980",
        ),
        (b"4400 0.91\n\xb55000 0.96\n", r"smass1/a000005\.\[1\]: expected ascii text"),
    ],
)
def test_a_malformed_file_fails_the_parse_naming_file_and_line(
    write_files: Write, content: bytes, message: str
) -> None:
    files = {**FILES, "smass1/a000005.[1]": content}

    with pytest.raises(ParseError, match=message):
        SMASS1.parse(write_files(files))


def test_a_bad_file_name_is_a_parse_error(write_files: Write) -> None:
    with pytest.raises(ParseError, match=r"smass1/au19XB\.\[1\]: expected a SMASSII file name"):
        SMASS1.parse(write_files({**FILES, "smass1/au19XB.[1]": angstrom_file()}))


def test_a_file_without_usable_samples_is_skipped_with_a_note(write_files: Write) -> None:
    files = {**FILES, "smass1/a000007.[1]": b"4400 -1\n5500 -999999\n6000 0.98\n"}

    parsed = SMASS1.parse(write_files(files))["spectra"]

    assert "7" not in set(parsed.frame[schema.OBJECT_ID])
    assert "skipped 1 file with fewer than 2 usable samples: smass1/a000007.[1]" in parsed.notes


def test_no_spectrum_is_a_data_error(write_files: Write) -> None:
    with pytest.raises(DataError, match=r"No SMASSI spectrum .* asteroid-spectra fetch smass1"):
        SMASS1.parse(write_files({"smass1/README": b"text\n"}))


def test_junk_rules_change_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "spectrum.txt"
    path.write_bytes(b"0.9 1.0 0.01\n1.0 1.1 -1\n1.1 1.2 0\n1.2 1.3 0.02\n")
    rules = JunkRules()

    read = read_spectrum(path, "x/spectrum.txt", (3,), rules)

    assert read is not None
    values, lines = read
    np.testing.assert_array_equal(values[:, :2], [[0.9, 1.0], [1.0, 1.1], [1.1, 1.2], [1.2, 1.3]])
    np.testing.assert_array_equal(values[:, 2], [0.01, np.nan, np.nan, 0.02])
    assert lines.tolist() == [1, 2, 3, 4]
    assert rules.notes() == [
        "set 2 errors to NaN in 1 file (fill values or not positive: no error bar): x/spectrum.txt"
    ]


def test_load_table_caches_the_spectra_with_provenance(
    register_survey: Callable[..., Settings],
) -> None:
    files = {name: data for name, data in FILES.items() if "[" not in name or "a0000" in name}
    settings = register_survey(SMASS1, files)

    first = load_table("smass1", settings=settings)
    again = load_table("smass1", settings=settings)

    pd.testing.assert_frame_equal(first, again)
    assert again[schema.NUMBER].dtype == "Int64"
    provenance = again.attrs["provenance"]
    assert provenance["source"] == "smass1"
    assert provenance["citation"].startswith("Xu, S., Binzel, R. P.")
    assert provenance["notes"][0] == "3 spectra of 3 asteroids, 0.44-0.98 µm"
