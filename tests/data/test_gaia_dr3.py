"""Gaia DR3 parsing: gzipped ECSV parts into one long table of 16-band spectra.

The synthetic parts (conftest.py) copy the published structure described in
/work/shared/data/README.md: ``# %ECSV 1.0`` and yaml-ish ``#`` lines, the 10-column CSV
header, 16 rows per asteroid at 374-1034 nm (44 nm steps), missing values written as
``null`` or left empty, flags 0/1/2, quoted lower-case denominations.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.registry import COLLECTIONS
from asteroid_spectra.data.sources.gaia_dr3 import COLUMNS, GAIA_DR3, parse_part
from asteroid_spectra.exceptions import DataError, ParseError

NUMBERS = [9, 29, 85, *range(1000, 1017), 12345, 52246]
"""The 22 synthetic asteroids, sorted by number."""


def write(tmp_path: Path, data: bytes, name: str = "SsoReflectanceSpectrum_00.csv.gz") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def comment_lines(data: bytes) -> int:
    return sum(line.startswith(b"#") for line in gzip.decompress(data).splitlines())


# --- parse_part ---------------------------------------------------------------------------


def test_part_is_read_with_published_types(gaia_paths: dict[str, Path]) -> None:
    table = parse_part(gaia_paths[COLLECTIONS["gaia-dr3"][0]])

    assert table.num_rows == 32  # amphitrite and metis, 16 bands each
    assert table.column_names == [
        "source_id",
        "number_mp",
        "denomination",
        "num_of_spectra",
        "reflectance_spectrum",
        "reflectance_spectrum_err",
        "wavelength",
        "reflectance_spectrum_flag",
    ]
    assert table.schema.field("source_id").type == pa.int64()
    assert table.schema.field("reflectance_spectrum_flag").type == pa.int8()
    assert table.column("number_mp").to_pylist() == [29] * 16 + [9] * 16  # file order
    assert table.column("denomination").to_pylist()[0] == "amphitrite"  # quotes removed
    wavelength = table.column("wavelength").to_numpy()
    np.testing.assert_allclose(wavelength[:16], np.arange(374.0, 1035.0, 44.0))


@pytest.mark.parametrize(("row", "written"), [(0, "null"), (16, "")])
def test_missing_values_become_null(row: int, written: str, gaia_paths: dict[str, Path]) -> None:
    table = parse_part(gaia_paths[COLLECTIONS["gaia-dr3"][0]])

    assert table.column("reflectance_spectrum")[row].as_py() is None
    assert table.column("reflectance_spectrum_err")[row].as_py() is None
    assert table.column("reflectance_spectrum")[row + 1].as_py() is not None
    assert table.column("reflectance_spectrum_flag")[row].as_py() == 2


def test_part_with_header_only_is_empty(tmp_path: Path, gaia_builder: Any) -> None:
    table = parse_part(write(tmp_path, gaia_builder.part([])))

    assert table.num_rows == 0
    assert table.schema.field("wavelength").type == pa.float64()


def test_part_that_is_not_ecsv(tmp_path: Path, gaia_builder: Any) -> None:
    text = gzip.decompress(gaia_builder.part(gaia_builder.parts[2]))
    csv_only = b"\n".join(line for line in text.splitlines() if not line.startswith(b"#"))
    path = write(tmp_path, gzip.compress(csv_only))

    with pytest.raises(
        ParseError,
        match=rf"^{re.escape(str(path))}, line 1: expected an ECSV file starting with '# %ECSV'$",
    ):
        parse_part(path)


@pytest.mark.parametrize(
    "header",
    [
        ",".join(COLUMNS).replace("reflectance_spectrum_err", "reflectance_error"),
        ",".join(COLUMNS[:-1]),
        ",".join((*COLUMNS, "extra")),
        ",".join(reversed(COLUMNS)),
    ],
    ids=["renamed", "missing", "extra", "reordered"],
)
def test_part_with_other_columns(header: str, tmp_path: Path, gaia_builder: Any) -> None:
    data = gaia_builder.part(gaia_builder.parts[2], header=header)
    path = write(tmp_path, data)
    line = comment_lines(data) + 1

    with pytest.raises(
        ParseError,
        match=rf"^{re.escape(str(path))}, line {line}: expected the columns "
        rf"{', '.join(COLUMNS)}; got {re.escape(header.replace(',', ', '))}$",
    ) as caught:
        parse_part(path)

    assert caught.value.line == line == 17


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (",1,0.001,374.0,", ",one,0.001,374.0,"),
        (",550.0,", ",550 nm,"),
        (',"io",16,', ',"io",16,17,'),
    ],
    ids=["text-reflectance", "text-wavelength", "extra-field"],
)
def test_part_with_bad_values(old: str, new: str, tmp_path: Path, gaia_builder: Any) -> None:
    text = gaia_builder.text(gaia_builder.parts[1]).decode()
    assert old in text
    path = write(tmp_path, gzip.compress(text.replace(old, new, 1).encode()))

    with pytest.raises(ParseError, match=rf"^{re.escape(str(path))}: expected published Gaia DR3"):
        parse_part(path)


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.9])
def test_truncated_part(fraction: float, tmp_path: Path, gaia_builder: Any) -> None:
    data = gaia_builder.part(gaia_builder.parts[0])
    path = write(tmp_path, data[: int(len(data) * fraction)])

    with pytest.raises(
        DataError,
        match=rf"^The Gaia DR3 part {re.escape(str(path))} is truncated or corrupt \(.+\)\. "
        r"Delete it and fetch it again: asteroid-spectra fetch gaia-dr3\.$",
    ):
        parse_part(path)


def test_part_that_is_not_gzip(tmp_path: Path, gaia_builder: Any) -> None:
    path = write(tmp_path, gaia_builder.text(gaia_builder.parts[0]))

    with pytest.raises(DataError, match="is truncated or corrupt"):
        parse_part(path)


def test_part_with_comments_only(tmp_path: Path) -> None:
    path = write(tmp_path, gzip.compress(b"# %ECSV 1.0\n# ---\n# delimiter: ','"))

    with pytest.raises(ParseError, match=r"line 3: expected the columns source_id, solution_id"):
        parse_part(path)


# --- GaiaDR3Source.parse ------------------------------------------------------------------


@pytest.fixture
def spectra(gaia_paths: dict[str, Path]) -> pd.DataFrame:
    """The long table parsed from the 20 synthetic parts."""
    frame: pd.DataFrame = GAIA_DR3.parse(gaia_paths)["spectra"].frame
    return frame


def test_one_table_with_every_asteroid_sorted_by_number(spectra: pd.DataFrame) -> None:
    assert list(GAIA_DR3.tables) == ["spectra"]
    assert len(spectra) == 22 * 16
    assert spectra[schema.NUMBER].drop_duplicates().tolist() == NUMBERS
    assert spectra[schema.OBJECT_ID].drop_duplicates().tolist() == [str(n) for n in NUMBERS]
    assert spectra[schema.SURVEY].eq("gaia-dr3").all()
    assert spectra.index.equals(pd.RangeIndex(len(spectra)))


def test_wavelengths_are_converted_to_micrometres(spectra: pd.DataFrame) -> None:
    for _, group in spectra.groupby(schema.OBJECT_ID):
        np.testing.assert_array_equal(group[schema.WAVELENGTH], schema.GAIA_DR3_WAVELENGTH)
    assert spectra[schema.WAVELENGTH].min() == 0.374
    assert spectra[schema.WAVELENGTH].max() == 1.034


def test_reflectance_values_follow_their_asteroid(spectra: pd.DataFrame, gaia_builder: Any) -> None:
    slopes = {a.number: a.slope for part in gaia_builder.parts.values() for a in part}
    red = spectra[spectra[schema.WAVELENGTH] == 1.034].set_index(schema.NUMBER)
    at_550 = spectra[spectra[schema.WAVELENGTH] == 0.55]

    for number, slope in slopes.items():
        assert red.loc[number, schema.REFLECTANCE] == pytest.approx(1 + 0.484 * slope, rel=1e-6)
    np.testing.assert_allclose(at_550[schema.REFLECTANCE], 1.0)


def test_denominations_split_into_name_and_designation(spectra: pd.DataFrame) -> None:
    table = spectra.drop_duplicates(schema.NUMBER).set_index(schema.NUMBER)

    assert table.loc[52246, schema.DESIGNATION] == "2000 EW37"
    assert pd.isna(table.loc[52246, schema.NAME])
    assert table.loc[12345, schema.DESIGNATION] == "4290 P-L"
    assert pd.isna(table.loc[12345, schema.NAME])
    assert table.loc[9, schema.NAME] == "metis"
    assert table.loc[85, schema.NAME] == "io"  # two letters, but not a designation
    assert pd.isna(table.loc[85, schema.DESIGNATION])
    assert table[schema.NAME].notna().sum() == 20
    assert table[schema.DESIGNATION].notna().sum() == 2


def test_missing_values_and_flags_are_kept(spectra: pd.DataFrame) -> None:
    missing = spectra[spectra[schema.REFLECTANCE].isna()]
    flagged = spectra[spectra[schema.FLAG] != 0]

    assert missing[schema.NUMBER].tolist() == [9, 29]
    assert missing[schema.WAVELENGTH].tolist() == [0.374, 0.374]
    assert missing[schema.ERROR].isna().all()
    columns = [schema.NUMBER, schema.WAVELENGTH, schema.FLAG]
    assert list(flagged[columns].itertuples(index=False, name=None)) == [
        (9, 0.374, 2),
        (29, 0.374, 2),
        (29, 0.638, 1),
        (52246, 1.034, 1),
    ]


def test_columns_and_dtypes(spectra: pd.DataFrame) -> None:
    assert list(spectra.columns) == [
        schema.SURVEY,
        schema.OBJECT_ID,
        schema.NUMBER,
        schema.NAME,
        schema.DESIGNATION,
        "source_id",
        "num_of_spectra",
        schema.WAVELENGTH,
        schema.REFLECTANCE,
        schema.ERROR,
        schema.FLAG,
    ]
    assert spectra[schema.NUMBER].dtype == "Int64"
    assert spectra[schema.FLAG].dtype == np.int8
    for column in (schema.OBJECT_ID, schema.NAME, schema.DESIGNATION):
        assert spectra[column].dtype == "string", column
    table = spectra.drop_duplicates(schema.NUMBER).set_index(schema.NUMBER)
    assert table.loc[29, "source_id"] == -4284900029
    assert table.loc[29, "num_of_spectra"] == 10 + 29 % 7


def test_notes_count_asteroids_missing_and_flagged_values(gaia_paths: dict[str, Path]) -> None:
    notes = GAIA_DR3.parse(gaia_paths)["spectra"].notes

    assert notes == [
        "22 asteroids x 16 bands",
        "2 band values missing (NaN), 4 flagged 1 or 2 (doubtful)",
    ]


def test_asteroid_with_15_bands(gaia_paths: dict[str, Path], gaia_builder: Any) -> None:
    name = COLLECTIONS["gaia-dr3"][7]
    short = [gaia_builder.asteroid(433, "eros", bands=15), *gaia_builder.parts[7]]
    gaia_paths[name].write_bytes(gaia_builder.part(short))

    with pytest.raises(
        ParseError,
        match=r"^expected 16 bands per asteroid; 1 asteroids differ \(e\.g\. number "
        r"433: 15\)$",
    ):
        GAIA_DR3.parse(gaia_paths)


def test_error_in_one_part_names_that_part(gaia_paths: dict[str, Path]) -> None:
    name = COLLECTIONS["gaia-dr3"][13]
    data = gaia_paths[name].read_bytes()
    gaia_paths[name].write_bytes(data[: len(data) // 2])

    with pytest.raises(DataError, match=r"SsoReflectanceSpectrum_13\.csv\.gz is truncated"):
        GAIA_DR3.parse(gaia_paths)


def test_missing_part_is_named(gaia_paths: dict[str, Path]) -> None:
    name = COLLECTIONS["gaia-dr3"][19]
    del gaia_paths[name]

    with pytest.raises(
        DataError,
        match=r"^Gaia DR3 needs all 20 parts; 1 are missing \(first: "
        r"gaia_dr3/SsoReflectanceSpectrum_19\.csv\.gz\)\. Fetch them",
    ):
        GAIA_DR3.parse(gaia_paths)
