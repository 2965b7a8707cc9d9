"""Fresh-process time of the user path: classify one file, classify the catalogue, --help.

Every command runs in a new process with every model already trained and cached (a
private cache directory is warmed first, so the numbers are start-up + load + work, not
training). Prints the median and min-max over ``--repeats`` runs of

- ``asteroid-spectra --help``;
- ``asteroid-spectra classify one.txt`` (a SMASSII spectrum of Vesta written as a
  3-column text file);
- ``asteroid-spectra catalog gaia-dr3 -o out.parquet`` (all 60,518 spectra);
- ``python -c "import asteroid_spectra as asp; asp.classify('one.txt')"``;

then the import-time table of the classify command (``python -X importtime``): the
cumulative import time of each top-level package, largest first.

Usage: ``python benchmarks/user_path.py [--repeats 5] [--cache DIR] [--src DIR] [--json]``
with ``ASTEROID_SPECTRA_MIRROR`` (or the network) available. ``--src`` runs another
checkout's package (its ``src/``) in the same environment, for before/after ratios
measured in one sitting.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

VESTA = "a000004.[2]"


def _spectrum(directory: Path) -> Path:
    """Write Vesta's raw SMASSII spectrum (µm, reflectance, error) to one.txt."""
    import tarfile

    from asteroid_spectra.data.fetch import fetch
    from asteroid_spectra.data.registry import collection

    archive = fetch(next(f for f in collection("smass2") if f.name.endswith(".tar.gz")))
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(f"/{VESTA}"))
        handle = tar.extractfile(member)
        assert handle is not None
        text = handle.read().decode()
    path = directory / "one.txt"
    path.write_text(text)
    return path


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def _timed(args: list[str], env: dict[str, str], repeats: int) -> dict[str, float]:
    seconds = [_run(args, env) for _ in range(repeats)]
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "repeats": repeats,
    }


def import_table(args: list[str], env: dict[str, str], top: int = 15) -> list[tuple[str, float]]:
    """Import time (s) of one run of `args`, summed per top-level package (self times)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], env=env, capture_output=True, text=True
    )
    totals: dict[str, float] = {}
    pattern = re.compile(r"import time:\s+(\d+) \|\s+\d+ \| *(\S+)")
    for line in done.stderr.splitlines():
        match = pattern.match(line)
        if match is not None:
            package = match.group(2).split(".")[0]
            totals[package] = totals.get(package, 0.0) + int(match.group(1)) / 1e6
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    rest = sum(seconds for _, seconds in ranked[top:])
    return [*ranked[:top], ("(others)", rest), ("(total)", sum(totals.values()))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=None, help="cache directory to use")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--src",
        type=Path,
        default=None,
        help="run the package found in this source directory (e.g. an older checkout's src/)",
    )
    options = parser.parse_args()

    cache = options.cache or Path(tempfile.mkdtemp(prefix="asteroid-spectra-user-path-"))
    # As after a normal install: the package's bytecode is compiled once and reused.
    env = {**os.environ, "ASTEROID_SPECTRA_CACHE": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if options.src is not None:  # ahead of the installed package on sys.path
        env["PYTHONPATH"] = str(options.src.resolve())
    os.environ["ASTEROID_SPECTRA_CACHE"] = str(cache)
    exe = str(Path(sys.executable).with_name("asteroid-spectra"))
    work = Path(tempfile.mkdtemp(prefix="asteroid-spectra-user-path-out-"))
    one = _spectrum(work)
    output = str(work / "classes.parquet")
    commands = {
        "help": [exe, "--help"],
        "classify_one_file": [exe, "classify", str(one)],
        "catalog_gaia_dr3": [exe, "catalog", "gaia-dr3", "-o", output],
        "python_classify": [
            sys.executable,
            "-c",
            f"import asteroid_spectra as asp; asp.classify({str(one)!r})",
        ],
    }
    for args in commands.values():  # warm the cache: train and save every model once
        _run(args, env)
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "python_startup": _timed([sys.executable, "-c", "pass"], env, options.repeats),
    }
    for name, args in commands.items():
        results[name] = _timed(args, env, options.repeats)
    classify_script = [
        "-c",
        f"from asteroid_spectra.cli.app import main; import sys; "
        f"sys.argv = ['asteroid-spectra', 'classify', {str(one)!r}]; main()",
    ]
    results["import_time_classify"] = import_table(classify_script, env)
    if options.json:
        print(json.dumps(results, indent=2))
        return
    print(results.pop("machine"))
    table = results.pop("import_time_classify")
    for key, value in results.items():
        print(
            f"{key:<20} median {value['median_s']:6.3f} s   "
            f"(min {value['min_s']:.3f}, max {value['max_s']:.3f}, n={value['repeats']})"
        )
    print("\nimport time of `classify one.txt` per top-level package (self times):")
    for package, seconds in table:
        print(f"  {package:<20} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
