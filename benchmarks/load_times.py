"""Load times of the survey tables and start-up time of the CLI.

Prints the median (and min-max) over repeated runs of:

- SMASSII parse: the tarball and taxonomy (already verified in the cache) → tables;
- Gaia DR3 parse: the 20 gzipped ECSV parts → one long table;
- cached loads: ``load_spectra`` from the Parquet cache, for both surveys;
- ``asteroid-spectra --help`` in a fresh process, next to ``python -c pass``.

Usage: ``python benchmarks/load_times.py [--repeats N] [--json]`` with
``ASTEROID_SPECTRA_MIRROR`` (or the network) available.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(function: Callable[[], Any], repeats: int) -> dict[str, float]:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "repeats": repeats,
    }


def command(args: list[str]) -> Callable[[], Any]:
    return lambda: subprocess.run(args, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="asteroid-spectra-bench-"))
    os.environ["ASTEROID_SPECTRA_CACHE"] = str(cache)

    from asteroid_spectra.data.datasets import source
    from asteroid_spectra.data.fetch import fetch_collection
    from asteroid_spectra.spectra.sets import load_spectra

    results: dict[str, Any] = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
    }
    for name in ("smass2", "gaia-dr3"):
        paths = fetch_collection(name)
        survey = source(name)
        results[f"parse_{name}"] = timed(lambda s=survey, p=paths: s.parse(p), options.repeats)
        load_spectra(name)  # fill the Parquet cache
        results[f"cached_load_{name}"] = timed(lambda n=name: load_spectra(n), options.repeats)
    exe = str(Path(sys.executable).with_name("asteroid-spectra"))
    results["python_startup"] = timed(command([sys.executable, "-c", "pass"]), 10)
    results["cli_help"] = timed(command([exe, "--help"]), 10)
    shutil.rmtree(cache, ignore_errors=True)

    if options.json:
        print(json.dumps(results, indent=2))
        return
    print(results.pop("machine"))
    for key, value in results.items():
        print(
            f"{key:<24} median {value['median_s']:7.3f} s   "
            f"(min {value['min_s']:.3f}, max {value['max_s']:.3f}, n={value['repeats']})"
        )


if __name__ == "__main__":
    main()
