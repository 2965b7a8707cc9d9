"""Run a catalogue: stream partitions through :func:`classify_frame`, locally or on Dask.

Two engines run the same per-partition function and write the same single Parquet file:

``local``
    Reads the input Parquet file one row group at a time (``pyarrow``), classifies it
    in-process and appends it to the output. Memory holds one partition.
``dask``
    Builds a :mod:`dask.dataframe` over the input's row groups and maps
    :func:`classify_frame` over the partitions with the model as a shared argument, on a
    :mod:`dask.distributed` cluster: a local one (threads in this process) by default, or
    the scheduler at ``scheduler`` (its workers need this package installed). The
    partitions are computed a few at a time and appended in order, so memory holds only
    the partitions in flight.

Output goes to a temporary file renamed into place at the end, so an interrupted run
leaves nothing half-written; the Parquet schema metadata carries the model card and the
citations, and ``.ecsv`` output (written with Astropy) carries them in its header. ECSV
is text, assembled in memory and written at the end: right for the 60,518 Gaia DR3 rows
(10 MB), not for millions of spectra, which should go to Parquet.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from asteroid_spectra.catalog.classify import classify_frame, output_template
from asteroid_spectra.exceptions import AsteroidSpectraError

__all__ = ["ENGINES", "CatalogueRun", "check_request", "classify_catalogue", "metadata"]

ENGINES = ("local", "dask")
"""Catalogue engines."""

FORMATS = (".parquet", ".ecsv")
"""Output formats, by file suffix."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CatalogueRun:
    """What a catalogue run did.

    Attributes
    ----------
    output : Path
        The written file.
    n_rows, n_classified : int
        Input rows and rows with a classification.
    seconds : float
        Wall time of read, classify and write.
    class_counts : dict
        Predicted main group → number of asteroids.
    engine : str
        Engine used.
    partitions : int
        Partitions processed.
    """

    output: Path
    n_rows: int
    n_classified: int
    seconds: float
    class_counts: dict[str, int]
    engine: str
    partitions: int

    @property
    def rate(self) -> float:
        """Spectra per second."""
        return self.n_rows / self.seconds if self.seconds > 0 else float("inf")


def metadata(model: Any, source: str) -> dict[str, Any]:
    """JSON-ready metadata of a classified catalogue: model card, input, citations."""
    from asteroid_spectra._version import __version__
    from asteroid_spectra.data.registry import GAIA_DR3_CITATION

    card = getattr(model, "card", {}) or {}
    return {
        "description": "Taxonomic classification of asteroid reflectance spectra",
        "source": source,
        "model": card,
        "software": f"asteroid-spectra {__version__}",
        "citations": [
            GAIA_DR3_CITATION,
            "Bus, S. J. & Binzel, R. P. (2002). Phase II of the Small Main-Belt Asteroid "
            "Spectroscopic Survey: a feature-based taxonomy. Icarus 158, 146-177.",
        ],
        "columns": {
            "main_group": "most probable main group (C, S, X, Other)",
            "probability": "its calibrated probability",
            "p_C, p_S, p_X, p_Other": "calibrated main-group probabilities",
            "bus_class": "most probable Bus class (Bus & Binzel 2002)",
            "uncertain": "top main-group probability below the abstention threshold 0.5",
            "ood_score": "distance to the training spectra; > 1 is farther than 99 % of them",
            "median_error": "median 1-sigma band error over 0.462-0.902 µm",
            "n_flagged": "bands (of 16) flagged or missing in the input",
            "n_repaired": "used bands filled by interpolation",
            "error": "why the row has no classification",
        },
    }


def _row_groups(path: Path) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    for index in range(handle.num_row_groups):
        yield handle.read_row_group(index).to_pandas()


def _local(path: Path, model: Any) -> Iterator[pd.DataFrame]:
    for frame in _row_groups(path):
        yield classify_frame(frame, model)


def _dask(path: Path, model: Any, scheduler: str | None, in_flight: int) -> Iterator[pd.DataFrame]:
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    frame = dd.read_parquet(str(path), split_row_groups=True)
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        )
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise AsteroidSpectraError(
                f"Cannot reach the Dask scheduler at {scheduler!r} ({error}). Start one "
                "(`dask scheduler` and `dask worker ADDRESS`) or drop --scheduler to run "
                "on a local cluster."
            ) from error
    try:
        shared = client.scatter(model, broadcast=True)
        classified = frame.map_partitions(classify_frame, shared, meta=output_template())
        parts = classified.to_delayed()
        for start in range(0, len(parts), in_flight):
            yield from dask.compute(*parts[start : start + in_flight], scheduler=client.get)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _counts(frame: pd.DataFrame, into: dict[str, int]) -> None:
    for label, count in frame["main_group"].value_counts().items():
        into[str(label)] = into.get(str(label), 0) + int(count)


def _write_parquet(
    parts: Iterator[pd.DataFrame], path: Path, meta: dict[str, Any]
) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from asteroid_spectra.data.tables import PROVENANCE_KEY

    schema = pa.Schema.from_pandas(output_template(), preserve_index=False)
    schema = schema.with_metadata(
        {**(schema.metadata or {}), PROVENANCE_KEY: json.dumps(meta, default=str).encode()}
    )
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for part in parts:
            writer.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False))
            yield part


def _write_ecsv(
    parts: Iterator[pd.DataFrame], path: Path, meta: dict[str, Any]
) -> Iterator[pd.DataFrame]:
    from astropy.table import MaskedColumn, Table

    frames = []
    for part in parts:
        frames.append(part)
        yield part
    frame = pd.concat(frames, ignore_index=True) if frames else output_template()
    table = Table()
    for name in frame.columns:
        column = frame[name]
        missing = column.isna().to_numpy()
        if isinstance(column.dtype, pd.StringDtype):
            values = column.fillna("").to_numpy(dtype=str)
        elif pd.api.types.is_bool_dtype(column.dtype):
            values = column.fillna(False).to_numpy(dtype=bool)
        elif pd.api.types.is_integer_dtype(column.dtype):
            dtype: Any = getattr(column.dtype, "numpy_dtype", column.dtype)
            values = column.fillna(0).to_numpy(dtype=dtype)
        else:
            values = column.to_numpy()
        table[name] = MaskedColumn(values, mask=missing) if missing.any() else values
    table.meta.update(meta)
    table.write(path, format="ascii.ecsv", overwrite=True)


def check_request(
    output: Path, engine: str, scheduler: str | None, *, overwrite: bool = True
) -> None:
    """Check a catalogue request before any work is done.

    Raises
    ------
    AsteroidSpectraError
        On an unknown engine or output format, a scheduler without the Dask engine, or an
        existing output without `overwrite`.
    """
    if engine not in ENGINES:
        raise AsteroidSpectraError(
            f"Unknown catalogue engine {engine!r}; expected one of {', '.join(ENGINES)}."
        )
    if scheduler is not None and engine != "dask":
        raise AsteroidSpectraError("--scheduler needs --engine dask.")
    if output.suffix.lower() not in FORMATS:
        raise AsteroidSpectraError(
            f"Cannot write a catalogue to {output.name!r}: the suffix must be one of "
            f"{', '.join(FORMATS)}."
        )
    if output.exists() and not overwrite:
        raise AsteroidSpectraError(f"{output} exists; choose another file or overwrite it.")


def classify_catalogue(
    source: str | Path,
    output: str | Path,
    model: Any,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    in_flight: int = 2,
    on_partition: Progress | None = None,
    overwrite: bool = True,
) -> CatalogueRun:
    """Classify every spectrum of a wide Parquet catalogue and write the result.

    Parameters
    ----------
    source : str or Path
        Wide Parquet input (:func:`~asteroid_spectra.catalog.input.gaia_input_path`), one
        partition per row group.
    output : str or Path
        ``.parquet`` or ``.ecsv`` file to write (atomically).
    model : TaxonomyModel
        Main-group model on Gaia bands.
    engine : {"local", "dask"}
        See the module docstring.
    scheduler : str, optional
        Address of a running ``dask.distributed`` scheduler (``dask`` engine only).
    in_flight : int
        Partitions the Dask engine computes at once.
    on_partition : callable, optional
        Called as ``on_partition(rows_done, rows_total)`` after each partition.
    overwrite : bool
        Replace an existing output file.

    Returns
    -------
    CatalogueRun

    Raises
    ------
    AsteroidSpectraError
        On an unknown engine or format, a scheduler without the Dask engine, an existing
        output without `overwrite`, or an unreadable input.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from asteroid_spectra.data.files import atomic_path

    source, output = Path(source), Path(output)
    check_request(output, engine, scheduler, overwrite=overwrite)
    try:
        total = pq.ParquetFile(source).metadata.num_rows
    except (OSError, pa.ArrowException) as error:
        raise AsteroidSpectraError(
            f"Cannot read the catalogue input {source}: {' '.join(str(error).split())}."
        ) from error
    start = time.perf_counter()
    parts = (
        _local(source, model) if engine == "local" else _dask(source, model, scheduler, in_flight)
    )
    meta = metadata(model, str(source.name))
    done = classified = partitions = 0
    counts: dict[str, int] = {}
    with atomic_path(output) as temporary:
        writer = _write_parquet if output.suffix.lower() == ".parquet" else _write_ecsv
        for part in writer(parts, temporary, meta):
            done += len(part)
            classified += int(part["main_group"].notna().sum())
            partitions += 1
            _counts(part, counts)
            if on_partition is not None:
                on_partition(done, total)
    return CatalogueRun(
        output=output,
        n_rows=done,
        n_classified=classified,
        seconds=time.perf_counter() - start,
        class_counts=dict(sorted(counts.items())),
        engine=engine,
        partitions=partitions,
    )
