"""Parquet tables with provenance in their schema metadata, written atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from asteroid_spectra.data.tables import PROVENANCE_KEY, provenance, read_parquet, write_parquet
from asteroid_spectra.exceptions import DataError

PROVENANCE = {
    "source": "smass2",
    "files": [{"name": "smass2/Bus.Taxonomy.txt", "sha256": "0ce9" + "0" * 60}],
    "citation": "Bus, S. J. & Binzel, R. P. (2002)",
    "wavelength_unit": "µm",
    "notes": ["line 365 (523 Ada): malformed row", "2 padding rows dropped"],
    "parser_version": 1,
}


@pytest.fixture
def frame() -> pd.DataFrame:
    """A small table with every dtype the survey tables use, NaN and NA included."""
    return pd.DataFrame(
        {
            "object_id": pd.array(["1", "1995 BM2", "4156"], dtype="string"),
            "number": pd.array([1, None, 4156], dtype="Int64"),
            "name": pd.array(["Ceres", None, None], dtype="string"),
            "labelled": np.array([True, False, True]),
            "wavelength": np.array([0.44, 0.45, 0.46]),
            "reflectance": np.array([0.93, np.nan, 1.02]),
            "flag": np.array([0, 1, 2], dtype=np.int8),
            "source_id": np.array([-4284967206, 2, 3], dtype=np.int64),
        }
    )


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_round_trip_keeps_values_dtypes_and_provenance(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_parquet(frame, tmp_path / "t.parquet", PROVENANCE)
    back = read_parquet(path)

    pd.testing.assert_frame_equal(back, frame)
    assert back["flag"].dtype == np.int8
    assert back["number"].dtype == "Int64"
    assert back["object_id"].dtype == "string"
    assert back.attrs["provenance"] == PROVENANCE
    assert provenance(back) == PROVENANCE


def test_provenance_is_stored_as_json_in_the_schema_metadata(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = write_parquet(frame, tmp_path / "t.parquet", PROVENANCE)

    metadata = pq.read_schema(path).metadata

    assert PROVENANCE_KEY == b"asteroid_spectra.provenance"
    assert json.loads(metadata[PROVENANCE_KEY]) == PROVENANCE


def test_provenance_defaults_to_the_frame_attrs(frame: pd.DataFrame, tmp_path: Path) -> None:
    frame.attrs["provenance"] = {"source": "gaia-dr3", "notes": []}

    back = read_parquet(write_parquet(frame, tmp_path / "t.parquet"))

    assert back.attrs["provenance"] == {"source": "gaia-dr3", "notes": []}


def test_frame_without_provenance_reads_back_empty(frame: pd.DataFrame, tmp_path: Path) -> None:
    frame.to_parquet(tmp_path / "plain.parquet")

    back = read_parquet(tmp_path / "plain.parquet")

    assert provenance(back) == {}
    assert provenance(frame) == {}


def test_provenance_returns_a_copy(frame: pd.DataFrame) -> None:
    frame.attrs["provenance"] = {"source": "smass2"}

    copy = provenance(frame)
    copy["source"] = "changed"

    assert frame.attrs["provenance"] == {"source": "smass2"}


def test_index_is_not_stored(frame: pd.DataFrame, tmp_path: Path) -> None:
    shuffled = frame.set_axis([10, 20, 30])

    back = read_parquet(write_parquet(shuffled, tmp_path / "t.parquet", {}))

    assert list(back.index) == [0, 1, 2]
    assert "__index_level_0__" not in back.columns


def test_read_selected_columns(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_parquet(frame, tmp_path / "t.parquet", PROVENANCE)

    back = read_parquet(path, columns=["object_id", "reflectance"])

    assert list(back.columns) == ["object_id", "reflectance"]
    assert back.attrs["provenance"] == PROVENANCE


def test_parent_directories_are_created(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_parquet(frame, str(tmp_path / "a" / "b" / "t.parquet"), {})

    assert path == tmp_path / "a" / "b" / "t.parquet"
    assert listing(tmp_path / "a" / "b") == ["t.parquet"]


def test_overwrite_replaces_the_table(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_parquet(frame, tmp_path / "t.parquet", {"version": 1})

    write_parquet(frame.iloc[:1], path, {"version": 2})

    back = read_parquet(path)
    assert len(back) == 1
    assert back.attrs["provenance"] == {"version": 2}
    assert listing(tmp_path) == ["t.parquet"]


@pytest.mark.parametrize("existing", [False, True])
def test_failed_write_leaves_no_partial_file(
    existing: bool, frame: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.parquet"
    if existing:
        write_parquet(frame, path, {"version": 1})
    written: list[str] = []

    def crash(table: Any, where: str, **kwargs: Any) -> None:
        Path(where).write_bytes(b"PAR1 half a table")
        written.append(where)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", crash)

    with pytest.raises(OSError, match="No space left on device"):
        write_parquet(frame.iloc[:1], path, {"version": 2})

    # The partial bytes went to a temporary name next to the target, then were removed.
    assert len(written) == 1
    assert Path(written[0]).parent == tmp_path
    assert Path(written[0]).name != path.name
    assert listing(tmp_path) == (["t.parquet"] if existing else [])
    if existing:
        monkeypatch.undo()
        back = read_parquet(path)
        pd.testing.assert_frame_equal(back, frame)
        assert back.attrs["provenance"] == {"version": 1}


@pytest.mark.parametrize(
    "content",
    [b"", b"not parquet at all", b"PAR1" + b"\0" * 64 + b"PAR1"],
    ids=["empty", "text", "bad-footer"],
)
def test_corrupt_file_raises_data_error(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_bytes(content)

    with pytest.raises(
        DataError,
        match=rf"(?s)^Cannot read the Parquet table {re.escape(str(path))}: .*\. "
        r"Delete it and build it again\.$",
    ):
        read_parquet(path)


def test_truncated_file_raises_data_error(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_parquet(frame, tmp_path / "t.parquet", PROVENANCE)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(DataError, match="Delete it and build it again"):
        read_parquet(path)


def test_missing_file_raises_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"Cannot read the Parquet table .*missing\.parquet"):
        read_parquet(tmp_path / "missing.parquet")
