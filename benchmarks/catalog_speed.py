"""Catalogue throughput: all 60,518 Gaia DR3 spectra, then 10 million, end to end.

``gaia``: times ``classify_catalogue`` on the cached wide Gaia DR3 table (read the row
groups, repair bands, classify, write Parquet), median of ``--runs`` runs per engine, the
default Gaia DR3 model already loaded; and once in a fresh process the whole
``asteroid-spectra catalog gaia-dr3`` command (start-up, model load, run).

``large``: writes a synthetic catalogue of ``--rows`` spectra (the Gaia DR3 table
replicated, each copy with Gaussian noise of its own published errors, row groups of
65,536), then classifies it with each engine in a child process and reports wall time,
throughput and the child's peak resident memory (``ru_maxrss``).

Usage: ``python benchmarks/catalog_speed.py [gaia|large|all] [--rows 10000000]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 65_536


def _gaia(runs: int) -> None:
    from asteroid_spectra.catalog import classify_catalogue, gaia_input_path
    from asteroid_spectra.models.defaults import survey_model

    model = survey_model()
    source = gaia_input_path()
    with tempfile.TemporaryDirectory() as directory:
        for engine in ("local", "dask"):
            times = []
            for _ in range(runs):
                run = classify_catalogue(
                    source, Path(directory) / f"{engine}.parquet", model, engine=engine
                )
                times.append(run.seconds)
            print(
                f"gaia-dr3 {engine:5s}: {run.n_rows:,} spectra, "
                f"median {statistics.median(times):.2f} s "
                f"(runs {', '.join(f'{t:.2f}' for t in times)}), "
                f"{run.n_rows / statistics.median(times):,.0f} spectra/s",
                flush=True,
            )
        start = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "asteroid-spectra"),
                "catalog",
                "gaia-dr3",
                "-o",
                str(Path(directory) / "cli.parquet"),
                "--json",
            ],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        print(f"asteroid-spectra catalog gaia-dr3 (fresh process): {seconds:.2f} s")


def _synthetic(path: Path, rows: int, seed: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from asteroid_spectra import schema
    from asteroid_spectra.catalog import band_columns, gaia_input_path

    base = pq.read_table(gaia_input_path()).to_pandas()
    reflectance, error, _ = band_columns()
    values = base[reflectance].to_numpy(np.float32)
    sigma = np.nan_to_num(base[error].to_numpy(np.float32), nan=0.0)
    pivot = int(np.argmin(abs(schema.GAIA_DR3_WAVELENGTH - 0.55)))
    rng = np.random.default_rng(seed)
    writer = None
    start = time.perf_counter()
    for first in range(0, rows, CHUNK):
        take = np.arange(first, min(first + CHUNK, rows)) % len(base)
        chunk = base.iloc[take].reset_index(drop=True)
        noisy = (
            values[take]
            + rng.standard_normal((len(take), values.shape[1]), np.float32) * sigma[take]
        )
        noisy[:, pivot] = 1.0
        chunk[reflectance] = noisy
        table = pa.Table.from_pandas(chunk, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema, compression="zstd")
        writer.write_table(table, row_group_size=CHUNK)
    assert writer is not None
    writer.close()
    print(
        f"wrote {rows:,} synthetic spectra to {path} ({path.stat().st_size / 2**30:.2f} GiB) "
        f"in {time.perf_counter() - start:.0f} s",
        flush=True,
    )


def _classify_child(source: str, output: str, engine: str) -> None:
    from asteroid_spectra.catalog import classify_catalogue
    from asteroid_spectra.models.defaults import survey_model

    model = survey_model()
    run = classify_catalogue(source, output, model, engine=engine)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": run.n_rows,
                "seconds": run.seconds,
                "peak_mib": peak,
                "classified": run.n_classified,
                "partitions": run.partitions,
            }
        )
    )


def _large(rows: int, seed: int, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / f"synthetic-{rows}.parquet"
    if not source.exists():
        _synthetic(source, rows, seed)
    for engine in ("local", "dask"):
        output = directory / f"classes-{engine}.parquet"
        done = subprocess.run(
            [sys.executable, __file__, "child", str(source), str(output), engine],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{rows:,} spectra, {engine:5s}: {result['seconds']:.0f} s, "
            f"{result['rows'] / result['seconds'] * 60:,.0f} spectra/min, "
            f"peak memory {result['peak_mib']:,.0f} MiB, {result['partitions']} partitions, "
            f"{result['classified']:,} classified",
            flush=True,
        )
        output.unlink()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _classify_child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["gaia", "large", "all"], nargs="?", default="all")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--directory", type=Path, default=Path(tempfile.gettempdir()) / "catalog-bench"
    )
    options = parser.parse_args()
    if options.what in ("gaia", "all"):
        _gaia(options.runs)
    if options.what in ("large", "all"):
        _large(options.rows, options.seed, options.directory)


if __name__ == "__main__":
    main()
