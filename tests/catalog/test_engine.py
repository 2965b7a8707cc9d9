"""classify_catalogue: the local and Dask engines stream partitions into one file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from asteroid_spectra import schema
from asteroid_spectra.catalog.classify import classify_frame
from asteroid_spectra.catalog.engine import classify_catalogue
from asteroid_spectra.data.tables import PROVENANCE_KEY
from asteroid_spectra.exceptions import AsteroidSpectraError


@pytest.fixture
def source(tmp_path: Path, wide_catalogue: pd.DataFrame) -> Path:
    """The wide catalogue as Parquet in 4 row groups (partitions) of 50."""
    path = tmp_path / "wide.parquet"
    pq.write_table(
        pa.Table.from_pandas(wide_catalogue, preserve_index=False), path, row_group_size=50
    )
    return path


def test_local_engine_streams_partitions_into_one_parquet_file(
    source: Path, tmp_path: Path, wide_catalogue: pd.DataFrame, catalogue_model
) -> None:
    progress: list[tuple[int, int]] = []
    run = classify_catalogue(
        source,
        tmp_path / "out.parquet",
        catalogue_model,
        on_partition=lambda done, total: progress.append((done, total)),
    )
    assert (run.n_rows, run.partitions, run.engine) == (200, 4, "local")
    assert progress == [(50, 200), (100, 200), (150, 200), (200, 200)]
    written = pd.read_parquet(run.output)
    expected = classify_frame(wide_catalogue, catalogue_model)
    pd.testing.assert_frame_equal(written, expected)
    assert run.class_counts == written[schema.MAIN_GROUP].value_counts().sort_index().to_dict()
    assert run.n_classified == 200
    meta = json.loads(pq.read_schema(run.output).metadata[PROVENANCE_KEY])
    assert meta["model"] == {"model": "logistic-bus", "target": "main-group"}
    assert any("Galluccio" in c for c in meta["citations"])
    assert any("Bus, S. J." in c for c in meta["citations"])


def test_dask_engine_gives_the_same_file(source: Path, tmp_path: Path, catalogue_model) -> None:
    local = classify_catalogue(source, tmp_path / "local.parquet", catalogue_model)
    dask = classify_catalogue(source, tmp_path / "dask.parquet", catalogue_model, engine="dask")
    assert dask.partitions == 4
    pd.testing.assert_frame_equal(pd.read_parquet(dask.output), pd.read_parquet(local.output))


def test_ecsv_output_carries_the_metadata_and_masks_missing_values(
    source: Path, tmp_path: Path, catalogue_model
) -> None:
    from astropy.table import Table

    run = classify_catalogue(source, tmp_path / "out.ecsv", catalogue_model)
    table = Table.read(run.output, format="ascii.ecsv")
    assert len(table) == 200
    assert table.meta["model"]["model"] == "logistic-bus"
    assert "citations" in table.meta
    assert table["main_group"].dtype.kind == "U"
    assert np.all(table["designation"].mask)  # all missing in the input


def test_a_failing_run_leaves_no_file(source: Path, tmp_path: Path, catalogue_model) -> None:
    import copy

    output = tmp_path / "out.parquet"
    broken = copy.copy(catalogue_model)
    broken.target = "bus"
    with pytest.raises(AsteroidSpectraError, match="main-group model"):
        classify_catalogue(source, output, broken)
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(
    ("kwargs", "output", "match"),
    [
        ({"engine": "spark"}, "out.parquet", "Unknown catalogue engine 'spark'"),
        ({"scheduler": "tcp://127.0.0.1:1"}, "out.parquet", "--scheduler needs --engine dask"),
        ({}, "out.csv", "suffix must be one of .parquet, .ecsv"),
    ],
)
def test_errors(
    source: Path, tmp_path: Path, catalogue_model, kwargs: dict, output: str, match: str
) -> None:
    with pytest.raises(AsteroidSpectraError, match=match):
        classify_catalogue(source, tmp_path / output, catalogue_model, **kwargs)


def test_existing_output_needs_overwrite(source: Path, tmp_path: Path, catalogue_model) -> None:
    output = tmp_path / "out.parquet"
    output.write_text("keep me")
    with pytest.raises(AsteroidSpectraError, match="exists"):
        classify_catalogue(source, output, catalogue_model, overwrite=False)
    assert output.read_text() == "keep me"


def test_unreadable_input(tmp_path: Path, catalogue_model) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(AsteroidSpectraError, match="Cannot read the catalogue input"):
        classify_catalogue(bad, tmp_path / "out.parquet", catalogue_model)


def test_unreachable_scheduler(source: Path, tmp_path: Path, catalogue_model) -> None:
    with pytest.raises(AsteroidSpectraError, match="Cannot reach the Dask scheduler"):
        classify_catalogue(
            source,
            tmp_path / "out.parquet",
            catalogue_model,
            engine="dask",
            scheduler="tcp://127.0.0.1:9",
        )
    assert not (tmp_path / "out.parquet").exists()
