"""SMASSII parsing: the tarball in memory, the Bus taxonomy list, and their join.

The synthetic files (conftest.py) imitate the published ones described in
/work/shared/data/README.md: 49-point spline fits on 0.44-0.92 µm, raw 3-column spectra
ending with all-zero padding rows, ``au<designation>`` stems, a ``DIRECTORY`` member, and
a taxonomy with a 21-line header and the published file's malformed rows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.designations import parse_smass_stem
from asteroid_spectra.data.sources.smass2 import (
    ARCHIVE,
    SMASS2,
    TAXONOMY,
    parse_archive,
    parse_taxonomy,
)
from asteroid_spectra.exceptions import DataError, ParseError

SPECTRA_ORDER = ["1", "2", "4", "5", "16", "99", "523", "3908", "4156", "1995 BM2"]
"""object_id of the spline fits, numbered ones first (by stem), then ``au`` ones."""

BUS = {"1": "C", "2": "B", "4": "V", "5": "Sq", "16": "Xk", "4156": "Cgh", "1995 BM2": "Sq"}
GROUP = {"1": "C", "2": "C", "4": "Other", "5": "S", "16": "X", "4156": "C", "1995 BM2": "S"}


def write_archive(tmp_path: Path, builder: Any, members: dict[str, bytes | None]) -> Path:
    path = tmp_path / "smass2data.tar.gz"
    path.write_bytes(builder.archive(members))
    return path


def objects(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop_duplicates(schema.OBJECT_ID).set_index(schema.OBJECT_ID)


# --- parse_archive -----------------------------------------------------------------------


def test_archive_members_are_read(smass2_paths: dict[str, Path], smass2_builder: Any) -> None:
    spfit, raw, _ = parse_archive(smass2_paths[ARCHIVE])

    assert sorted(spfit) == sorted(smass2_builder.slopes)
    assert sorted(raw) == ["a000001", "a000002", "a000007", "au1995BM2"]
    for stem, slope in smass2_builder.slopes.items():
        assert spfit[stem].shape == (49, 2)
        np.testing.assert_allclose(spfit[stem][:, 0], schema.SMASS2_WAVELENGTH)
        # reflectance 1 + s (λ - 0.55): 1 at 0.55 µm, 1 + 0.37 s at 0.92 µm
        assert spfit[stem][11, 1] == pytest.approx(1.0, abs=1e-4)
        assert spfit[stem][-1, 1] == pytest.approx(1 + 0.37 * slope, abs=1e-4)


def test_padding_rows_are_dropped_with_a_note(smass2_paths: dict[str, Path]) -> None:
    _, raw, notes = parse_archive(smass2_paths[ARCHIVE])

    assert raw["a000001"].shape == (50, 3)  # 52 rows in the member, 2 of them zeros
    assert raw["a000002"].shape == (50, 3)
    assert not (raw["a000001"] == 0).all(axis=1).any()
    assert raw["a000001"][-1, 0] == pytest.approx(0.925)
    assert raw["a000001"][0, 2] == pytest.approx(0.01)
    assert notes == ["smass2data.tar.gz:smass2/a000001.[2]: dropped 2 all-zero padding rows"]


def test_directory_entries_and_other_members_are_ignored(
    tmp_path: Path, smass2_builder: Any
) -> None:
    members: dict[str, bytes | None] = {
        "smass2/": None,
        "smass2/DIRECTORY": b"1\n",
        "smass2/README": b"not a spectrum\n",
        "smass2/a000001.spfit.[2]": smass2_builder.spfit(0.1),
    }

    spfit, raw, notes = parse_archive(write_archive(tmp_path, smass2_builder, members))

    assert list(spfit) == ["a000001"]
    assert raw == {}
    assert notes == []


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.75])
def test_truncated_archive(fraction: float, smass2_paths: dict[str, Path]) -> None:
    path = smass2_paths[ARCHIVE]
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])

    with pytest.raises(
        DataError,
        match=rf"^The SMASSII archive {re.escape(str(path))} is truncated or corrupt \(.*\)\. "
        r"Delete it and fetch it again: asteroid-spectra fetch smass2\.$",
    ):
        parse_archive(path)


def test_archive_that_is_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "smass2data.tar.gz"
    path.write_text("<html>Not Found</html>\n")

    with pytest.raises(DataError, match="is truncated or corrupt"):
        parse_archive(path)


def test_archive_without_spline_fits(tmp_path: Path, smass2_builder: Any) -> None:
    members: dict[str, bytes | None] = {
        "smass2/": None,
        "smass2/DIRECTORY": b"1\n",
        "smass2/a000001.[2]": smass2_builder.raw(0.1),
    }
    path = write_archive(tmp_path, smass2_builder, members)

    with pytest.raises(
        DataError,
        match=r"holds no spline-fit spectra \(\*\.spfit\.\[2\]\); it is not the published",
    ):
        parse_archive(path)


@pytest.mark.parametrize(
    ("member", "line", "columns"),
    [("smass2/a000002.spfit.[2]", 3, 2), ("smass2/a000001.[2]", 7, 3)],
)
def test_non_numeric_line(
    member: str,
    line: int,
    columns: int,
    tmp_path: Path,
    smass2_builder: Any,
    smass2_members: dict[str, bytes | None],
) -> None:
    content = smass2_members[member]
    assert content is not None
    lines = content.decode().splitlines(keepends=True)
    lines[line - 1] = "0.4600\tn/a" + ("\t0.01" if columns == 3 else "") + "\n"
    members = {**smass2_members, member: "".join(lines).encode()}
    path = write_archive(tmp_path, smass2_builder, members)

    with pytest.raises(ParseError, match=re.escape(f"{member}, line {line}: ")) as caught:
        parse_archive(path)

    assert f"expected {columns} numbers separated by whitespace, got '0.4600\\tn/a" in str(
        caught.value
    )
    assert caught.value.path == f"smass2data.tar.gz:{member}"
    assert caught.value.line == line


def test_missing_column_in_a_raw_row(
    tmp_path: Path, smass2_builder: Any, smass2_members: dict[str, bytes | None]
) -> None:
    content = smass2_members["smass2/a000002.[2]"]
    assert content is not None
    lines = content.decode().splitlines(keepends=True)
    lines[4] = "0.4750\t0.9600\n"
    members = {**smass2_members, "smass2/a000002.[2]": "".join(lines).encode()}

    with pytest.raises(
        ParseError,
        match=r"a000002\.\[2\], line 5: expected 3 numbers separated by whitespace, "
        r"got '0\.4750\\t0\.9600'",
    ):
        parse_archive(write_archive(tmp_path, smass2_builder, members))


@pytest.mark.parametrize(
    ("grid", "found"),
    [
        (np.round(np.arange(48) * 0.01 + 0.44, 2), "got 48 rows from 0.44 to 0.91 µm"),
        (np.round(np.arange(49) * 0.01 + 0.45, 2), "got 49 rows from 0.45 to 0.93 µm"),
        (np.round(np.arange(49) * 0.02 + 0.44, 2), "got 49 rows from 0.44 to 1.4 µm"),
        (np.array([]), "got 0 rows"),
    ],
    ids=["48-rows", "shifted", "0.02-steps", "empty"],
)
def test_spline_fit_on_the_wrong_grid(
    grid: np.ndarray,
    found: str,
    tmp_path: Path,
    smass2_builder: Any,
    smass2_members: dict[str, bytes | None],
) -> None:
    members = {**smass2_members, "smass2/a000004.spfit.[2]": smass2_builder.spfit(0.4, grid)}

    with pytest.raises(
        ParseError,
        match=r"smass2data\.tar\.gz:smass2/a000004\.spfit\.\[2\]: expected 49 rows on the "
        r"0\.44-0\.92 µm grid \(0\.01 µm steps\), " + re.escape(found),
    ):
        parse_archive(write_archive(tmp_path, smass2_builder, members))


@pytest.mark.parametrize(
    ("member", "content", "message"),
    [
        (
            "smass2/a000004.spfit.[2]",
            "".join(
                f"{w:.2f}\t{0.0 if i == 5 else 1.0}\n"
                for i, w in enumerate(np.arange(49) * 0.01 + 0.44)
            ),
            "expected finite, positive reflectance",
        ),
        (
            "smass2/a000004.spfit.[2]",
            "".join(
                f"{w:.2f}\t{'nan' if i == 5 else 1.0}\n"
                for i, w in enumerate(np.arange(49) * 0.01 + 0.44)
            ),
            "expected finite, positive reflectance",
        ),
        (
            "smass2/a000002.[2]",
            "0.44\t1.0\t0.01\n0.46\t1.0\t0.01\n0.45\t1.0\t0.01\n",
            "expected strictly increasing wavelengths",
        ),
        ("smass2/a000002.[2]", "0.44\t1.0\t0.01\n", "expected strictly increasing wavelengths"),
        (
            "smass2/a000002.[2]",
            "0.44\t1.0\t0.01\n0.45\t1.0\t0.0\n",
            "expected finite values and positive 1-sigma errors",
        ),
    ],
    ids=["zero-reflectance", "nan-reflectance", "unsorted-raw", "one-row-raw", "zero-error"],
)
def test_invalid_values(
    member: str,
    content: str,
    message: str,
    tmp_path: Path,
    smass2_builder: Any,
    smass2_members: dict[str, bytes | None],
) -> None:
    members = {**smass2_members, member: content.encode()}

    with pytest.raises(ParseError, match=re.escape(f"{member}: {message}")):
        parse_archive(write_archive(tmp_path, smass2_builder, members))


def test_non_ascii_member(
    tmp_path: Path, smass2_builder: Any, smass2_members: dict[str, bytes | None]
) -> None:
    members = {**smass2_members, "smass2/a000002.[2]": "0.44\t1.0\t0.01 µ\n".encode()}
    path = write_archive(tmp_path, smass2_builder, members)

    with pytest.raises(ParseError, match=r"smass2data\.tar\.gz: expected ASCII text, got bytes"):
        parse_archive(path)


# --- parse_taxonomy ----------------------------------------------------------------------


def test_taxonomy_rows(taxonomy_text: str) -> None:
    parsed = parse_taxonomy(taxonomy_text)
    table = parsed.frame.set_index(schema.OBJECT_ID)

    assert list(table.index) == [
        "1", "2", "4", "5", "16", "523", "3908", "4156", "1995 BM2", "1998 MQ",
    ]  # fmt: skip
    assert list(table["line"]) == list(range(22, 32))  # data starts after 21 header lines
    assert table[schema.LABELLED].sum() == 7
    assert table.loc[list(BUS), schema.BUS_CLASS].tolist() == list(BUS.values())
    assert table.loc[list(GROUP), schema.MAIN_GROUP].tolist() == list(GROUP.values())
    assert table[schema.SURVEY].eq("smass2").all()


def test_taxonomy_identities(taxonomy_text: str) -> None:
    table = parse_taxonomy(taxonomy_text).frame.set_index(schema.OBJECT_ID)

    assert table.loc["1", schema.NAME] == "Ceres"
    assert table.loc["16", schema.NAME] == "Psyche"
    assert table.loc["4156", schema.NUMBER] == 4156
    assert table.loc["4156", schema.DESIGNATION] == "1988 BE"
    assert pd.isna(table.loc["4156", schema.NAME])
    assert pd.isna(table.loc["1995 BM2", schema.NUMBER])
    assert table.loc["1995 BM2", schema.DESIGNATION] == "1995 BM2"
    assert table.loc["1998 MQ", schema.DESIGNATION] == "1998 MQ"  # indented in the file


@pytest.mark.parametrize(
    ("object_id", "tholen", "tholen_smass1"),
    [
        ("1", "G", None),
        ("5", "SU", "C"),  # "SU (C)"
        ("4156", None, "C"),  # "(C)": SMASSI-based only
        ("1995 BM2", None, None),  # empty Tholen field
    ],
)
def test_tholen_class_is_split(
    object_id: str, tholen: str | None, tholen_smass1: str | None, taxonomy_text: str
) -> None:
    row = parse_taxonomy(taxonomy_text).frame.set_index(schema.OBJECT_ID).loc[object_id]

    assert (None if pd.isna(row[schema.THOLEN_CLASS]) else row[schema.THOLEN_CLASS]) == tholen
    assert (
        None if pd.isna(row[schema.THOLEN_CLASS_SMASS1]) else row[schema.THOLEN_CLASS_SMASS1]
    ) == tholen_smass1


def test_malformed_rows_are_kept_unlabelled_with_a_note(taxonomy_text: str) -> None:
    parsed = parse_taxonomy(taxonomy_text)
    table = parsed.frame.set_index(schema.OBJECT_ID)

    for object_id in ("523", "1998 MQ", "3908"):
        assert not table.loc[object_id, schema.LABELLED]
        assert pd.isna(table.loc[object_id, schema.BUS_CLASS])
        assert pd.isna(table.loc[object_id, schema.MAIN_GROUP])
    assert table.loc["523", schema.NAME] == "Ada"
    assert table.loc["523", schema.LABEL_NOTE] == (
        "malformed row: 5 tab-separated fields instead of 3; "
        "values ['X'] cannot be attributed to a column"
    )
    assert table.loc["3908", schema.LABEL_NOTE] == "no Bus class"
    assert table.loc["3908", schema.THOLEN_CLASS] == "V"
    assert pd.isna(table.loc["1", schema.LABEL_NOTE])
    assert parsed.notes == [
        "line 27 (523 Ada): malformed row: 5 tab-separated fields instead of 3; "
        "values ['X'] cannot be attributed to a column",
        "line 28 (3908 Nyx): no Bus class",
        "line 31 (1998 MQ): malformed row: 4 tab-separated fields instead of 3; "
        "values ['S'] cannot be attributed to a column",
    ]


def test_taxonomy_dtypes(taxonomy_text: str) -> None:
    frame = parse_taxonomy(taxonomy_text).frame

    assert frame[schema.NUMBER].dtype == "Int64"
    assert frame[schema.LABELLED].dtype == bool
    for column in (schema.OBJECT_ID, schema.NAME, schema.BUS_CLASS, schema.LABEL_NOTE):
        assert frame[column].dtype == "string", column


@pytest.mark.parametrize(
    ("rows", "note"),
    [
        (["1 Ceres\tG\tC", "2 Pallas\tB\tZz"], "line 2 (2 Pallas): unknown Bus class 'Zz'"),
        (["1 Ceres\tG\tC", "1 Ceres\tG\tB"], "line 2: 1 listed twice; first row kept"),
        (["1 Ceres\tG\tC", "2 Pallas\tB\t"], "line 2 (2 Pallas): no Bus class"),
        (
            ["Listed below are 3 asteroids", "1 Ceres\tG\tC"],
            "header announces 3 asteroids, 1 rows parsed",
        ),
    ],
)
def test_taxonomy_notes(rows: list[str], note: str) -> None:
    parsed = parse_taxonomy("\n".join(rows) + "\n")

    assert note in parsed.notes
    assert parsed.frame.loc[parsed.frame[schema.OBJECT_ID] == "1", schema.BUS_CLASS].item() == "C"


def test_header_count_that_matches_adds_no_note(taxonomy_text: str) -> None:
    notes = parse_taxonomy(taxonomy_text).notes

    assert not any("header announces" in note for note in notes)


def test_taxonomy_row_with_an_invalid_label() -> None:
    text = "header\n1 Ceres\tG\tC\nCeres the second\tG\tC\n"

    with pytest.raises(
        ParseError,
        match=r"^Bus\.Taxonomy\.txt, line 3: expected an asteroid label such as '1 Ceres'",
    ) as caught:
        parse_taxonomy(text, where="Bus.Taxonomy.txt")

    assert caught.value.line == 3


def test_taxonomy_without_rows() -> None:
    with pytest.raises(ParseError, match=r"smass2/Bus\.Taxonomy\.txt: expected tab-separated rows"):
        parse_taxonomy("just a header\nand nothing else\n")


# --- Smass2Source.parse ------------------------------------------------------------------


def test_parse_returns_the_three_tables(smass2_paths: dict[str, Path]) -> None:
    tables = SMASS2.parse(smass2_paths)

    assert list(tables) == list(SMASS2.tables) == ["spectra", "raw", "taxonomy"]
    assert SMASS2.name == "smass2"
    assert "Bus, S. J. & Binzel" in SMASS2.citation


def test_spectra_table_joins_spectra_and_labels(smass2_paths: dict[str, Path]) -> None:
    spectra = SMASS2.parse(smass2_paths)["spectra"].frame
    table = objects(spectra)

    assert len(spectra) == 10 * 49
    assert list(table.index) == SPECTRA_ORDER
    assert spectra.groupby(schema.OBJECT_ID).size().eq(49).all()
    assert table[schema.LABELLED].sum() == 7
    assert table.loc[list(BUS), schema.BUS_CLASS].tolist() == list(BUS.values())
    counts = table.loc[table[schema.LABELLED], schema.MAIN_GROUP].value_counts()
    assert counts.to_dict() == {"C": 3, "S": 2, "X": 1, "Other": 1}
    assert table.loc["1995 BM2", "file"] == "au1995BM2.spfit.[2]"
    assert table.loc["4156", "file"] == "a004156.spfit.[2]"


def test_spectra_values_follow_their_file(
    smass2_paths: dict[str, Path], smass2_builder: Any
) -> None:
    spectra = SMASS2.parse(smass2_paths)["spectra"].frame

    red = spectra[np.isclose(spectra[schema.WAVELENGTH], 0.92)].set_index(schema.OBJECT_ID)
    for stem, slope in smass2_builder.slopes.items():
        object_id = parse_smass_stem(stem).object_id
        assert red.loc[object_id, schema.REFLECTANCE] == pytest.approx(1 + 0.37 * slope, abs=1e-4)


def test_names_and_classes_come_from_the_taxonomy(smass2_paths: dict[str, Path]) -> None:
    table = objects(SMASS2.parse(smass2_paths)["spectra"].frame)

    assert table.loc[["1", "2", "4", "5", "16", "523", "3908"], schema.NAME].tolist() == [
        "Ceres", "Pallas", "Vesta", "Astraea", "Psyche", "Ada", "Nyx",
    ]  # fmt: skip
    assert table.loc["4156", schema.DESIGNATION] == "1988 BE"
    assert pd.isna(table.loc["4156", schema.NAME])
    assert table.loc["1995 BM2", schema.DESIGNATION] == "1995 BM2"
    assert pd.isna(table.loc["1995 BM2", schema.NUMBER])
    assert table.loc["5", schema.THOLEN_CLASS] == "SU"
    assert table.loc["5", schema.THOLEN_CLASS_SMASS1] == "C"
    assert table.loc["4156", schema.THOLEN_CLASS_SMASS1] == "C"
    assert pd.isna(table.loc["99", schema.NAME])


def test_unlabelled_spectra_are_kept_with_notes(smass2_paths: dict[str, Path]) -> None:
    parsed = SMASS2.parse(smass2_paths)["spectra"]
    table = objects(parsed.frame)

    assert table.loc["99", schema.LABEL_NOTE] == "not listed in Bus.Taxonomy.txt"
    assert table.loc["3908", schema.LABEL_NOTE] == "no Bus class"
    assert table.loc["523", schema.LABEL_NOTE].startswith("malformed row: 5 tab-separated")
    assert parsed.notes[0] == "10 spline-fit spectra, 7 with a Bus class"
    assert [note.split(":")[0] for note in parsed.notes[1:]] == ["99", "523", "3908"]


def test_raw_table(smass2_paths: dict[str, Path]) -> None:
    parsed = SMASS2.parse(smass2_paths)["raw"]
    raw = parsed.frame

    assert list(objects(raw).index) == ["1", "2", "1995 BM2"]
    assert raw.groupby(schema.OBJECT_ID, sort=False).size().tolist() == [50, 50, 50]
    assert (raw[schema.ERROR] > 0).all()
    assert raw[schema.WAVELENGTH].between(0.435, 0.925).all()
    assert objects(raw).loc["1", "file"] == "a000001.[2]"
    assert objects(raw).loc["1", schema.BUS_CLASS] == "C"
    assert parsed.notes == [
        "smass2data.tar.gz:smass2/a000001.[2]: dropped 2 all-zero padding rows",
        "a000007.[2]: raw spectrum without a spline fit, dropped",
    ]


def test_archive_without_raw_spectra_gives_an_empty_raw_table(
    tmp_path: Path, smass2_builder: Any, taxonomy_text: str
) -> None:
    archive = write_archive(
        tmp_path, smass2_builder, {"smass2/a000001.spfit.[2]": smass2_builder.spfit(0.1)}
    )
    taxonomy = tmp_path / "Bus.Taxonomy.txt"
    taxonomy.write_text(taxonomy_text)

    tables = SMASS2.parse({ARCHIVE: archive, TAXONOMY: taxonomy})

    assert len(tables["spectra"].frame) == 49
    raw = tables["raw"].frame
    assert len(raw) == 0
    assert {schema.WAVELENGTH, schema.REFLECTANCE, schema.ERROR} <= set(raw.columns)


def test_taxonomy_that_is_not_ascii(smass2_paths: dict[str, Path], taxonomy_text: str) -> None:
    smass2_paths[TAXONOMY].write_bytes(taxonomy_text.replace("Vesta", "Vésta").encode("utf-8"))

    with pytest.raises(ParseError, match=r"Bus\.Taxonomy\.txt: expected ASCII text"):
        SMASS2.parse(smass2_paths)
