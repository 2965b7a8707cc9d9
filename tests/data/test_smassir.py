"""SMASSIR parsing: three µm columns, telluric junk, the file list, line endings, bad files.

The synthetic files imitate the published ones (/work/shared/data/README.md):
``aNNNNNN.[3]`` / ``au<designation>.[3]``, wavelength (µm, 0.9-1.65), reflectance and
error in fixed-width columns, one file with CR line endings, and ``SMASSIR.files.txt``,
which (as published) lists a file that is not there and leaves one out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.sources.smassir import SMASSIR, listing_notes
from asteroid_spectra.exceptions import DataError, ParseError

from .conftest import LINE_ENDINGS, column_text

Write = Callable[[Mapping[str, bytes]], dict[str, Path]]

WAVELENGTH = [0.913, 0.928, 1.2, 1.641]
REFLECTANCE = [1.023, 1.015, 1.1, 1.25]
ERROR = [0.003, 0.003, 0.002, 0.004]


def spectrum(ending: str = "\n") -> bytes:
    rows = [
        [f"{w:10.3f}", f"{r:9.3f}", f"{e:9.3f}"]
        for w, r, e in zip(WAVELENGTH, REFLECTANCE, ERROR, strict=True)
    ]
    return column_text(rows, ending)


FILES = {
    "smassir/SMASSIR.files.txt": b"a000001.[3]\na001279.[3]\nau1997CZ5.[3]\n",
    "smassir/a000001.[3]": spectrum(),
    "smassir/a004311.[3]": spectrum("\r"),
    "smassir/au1997CZ5.[3]": spectrum("\r\n"),
    # telluric residuals at the band edges: zero and negative reflectances
    "smassir/a000002.[3]": column_text(
        [
            [0.866, -0.02, 0.05],
            [0.9, 0.0, 0.04],
            [1.0, 1.0, 0.01],
            [1.6, 1.2, 0.01],
            [1.66, -0.1, 0.2],
        ]
    ),
}


def parse(write: Write, files: Mapping[str, bytes] = FILES) -> tuple[pd.DataFrame, list[str]]:
    parsed = SMASSIR.parse(write(files))["spectra"]
    return parsed.frame, parsed.notes


def test_three_columns_in_micron_are_kept_as_published(write_files: Write) -> None:
    frame, _ = parse(write_files)
    ceres = frame[frame[schema.OBJECT_ID] == "1"]

    assert ceres[schema.WAVELENGTH].tolist() == WAVELENGTH
    assert ceres[schema.REFLECTANCE].tolist() == REFLECTANCE
    assert ceres[schema.ERROR].tolist() == ERROR


def test_non_positive_reflectances_are_dropped_as_telluric_residuals(write_files: Write) -> None:
    frame, notes = parse(write_files)

    assert frame.loc[frame[schema.OBJECT_ID] == "2", schema.WAVELENGTH].tolist() == [1.0, 1.6]
    assert notes[1] == (
        "dropped 3 non-positive reflectance samples in 1 file (telluric residuals at band "
        "edges): smassir/a000002.[3]"
    )


def test_file_list_is_compared_with_the_files(write_files: Write) -> None:
    _, notes = parse(write_files)

    assert notes[2:] == [
        "smassir/SMASSIR.files.txt lists 3 files; 4 spectra are published",
        "listed but not published: a001279.[3]",
        "published but not listed: a000002.[3], a004311.[3]",
    ]


def test_listing_notes_only_report_differences() -> None:
    assert listing_notes("a000001.[3]\r\n\r\n", {"a000001.[3]"}) == [
        "smassir/SMASSIR.files.txt lists 1 files; 1 spectra are published"
    ]


def test_identities_and_columns(write_files: Write) -> None:
    frame, notes = parse(write_files)
    first = frame.drop_duplicates(schema.FILE).set_index(schema.FILE)

    assert first[schema.OBJECT_ID].tolist() == ["1", "2", "4311", "1997 CZ5"]
    assert first.loc["au1997CZ5.[3]", schema.DESIGNATION] == "1997 CZ5"
    assert pd.isna(first.loc["au1997CZ5.[3]", schema.NUMBER])
    assert first.loc["a004311.[3]", schema.NUMBER] == 4311
    assert (first[schema.SURVEY] == "smassir").all()
    assert list(frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        schema.WAVELENGTH,
        schema.REFLECTANCE,
        schema.ERROR,
    ]
    assert frame[schema.NUMBER].dtype == "Int64"
    assert frame[schema.FILE].dtype == "string"
    assert frame[schema.ERROR].dtype == np.float64
    assert notes[0] == "4 spectra of 4 asteroids, 0.913-1.641 µm"


@pytest.mark.parametrize("ending", LINE_ENDINGS)
def test_every_line_ending_parses_alike(write_files: Write, ending: str) -> None:
    frame, _ = parse(write_files, {"smassir/a000001.[3]": spectrum(LINE_ENDINGS[ending])})

    assert frame[schema.WAVELENGTH].tolist() == WAVELENGTH
    assert frame[schema.ERROR].tolist() == ERROR


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"0.913 1.023 0.003\n0.928 1.015\n",
            r"smassir/a000009\.\[3\], line 2: expected 3 \(as line 1\) numbers, got '0.928 1.015'",
        ),
        (b"0.913 1.023\n0.928 1.015\n", r"line 1: expected 3 numbers, got '0.913 1.023'"),
        (
            b"0.913 1.023 0.003\n0.928 1,015 0.003\n",
            r"line 2: expected 3 numbers separated by whitespace, got '0.928 1,015 0.003'",
        ),
        (
            b"9130 1.023 0.003\n9280 1.015 0.003\n",
            r"smassir/a000009\.\[3\], line 1: expected wavelengths in µm \(0.1-6\), got 9130",
        ),
    ],
)
def test_a_malformed_file_fails_the_parse(write_files: Write, content: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(write_files, {**FILES, "smassir/a000009.[3]": content})


def test_no_spectrum_is_a_data_error(write_files: Write) -> None:
    with pytest.raises(DataError, match=r"No SMASSIR spectrum"):
        parse(write_files, {"smassir/SMASSIR.files.txt": b"a000001.[3]\n"})
