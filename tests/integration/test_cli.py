"""The installed console script on the real data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import pytest

pytestmark = pytest.mark.integration

# The console script installed beside this interpreter (the venv need not be on PATH).
EXE = Path(sys.executable).with_name("asteroid-spectra")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE.is_file(), f"the console script is not installed at {EXE}"
    return subprocess.run(
        [str(EXE), *args], capture_output=True, text=True, env=env or dict(os.environ), timeout=300
    )


def test_version_and_help() -> None:
    from asteroid_spectra import __version__

    assert run("--version").stdout.strip() == f"asteroid-spectra {__version__}"
    help_text = run("--help").stdout
    for command in ("fetch", "dataset", "plot", "run"):
        assert command in help_text


def test_dataset_json_reports_the_reference_counts() -> None:
    result = run("dataset", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["n_labelled"] == 1339
    assert summary["main_group_counts"] == {"C": 396, "S": 549, "X": 237, "Other": 157}
    assert len(summary["bus_class_counts"]) == 25
    assert sum(summary["bus_class_counts"].values()) == 1339


def test_dataset_gaia_json() -> None:
    result = run("dataset", "gaia-dr3", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["n_spectra"] == 60518
    assert summary["n_wavelengths"] == 16
    assert summary["n_missing_values"] == 27244
    assert summary["flagged_fraction_by_band"]["0.374"] == pytest.approx(0.7399, abs=1e-4)


@pytest.mark.parametrize(
    ("args", "panels"),
    [
        (["--by", "main-group"], 4),
        (["--by", "bus-class"], 25),
        (["--by", "bus-class", "--group", "X"], 4),
    ],
)
def test_plot_spectra_writes_an_image(tmp_path: Path, args: list[str], panels: int) -> None:
    output = tmp_path / "figure.png"
    result = run("plot", "spectra", *args, "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert f"({panels} panels)" in result.stderr
    image = matplotlib.image.imread(output)
    assert image.shape[0] > 300
    assert image.shape[1] > 300


def test_plot_rejects_unknown_group(tmp_path: Path) -> None:
    result = run("plot", "spectra", "--group", "Q", "-o", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "The 'group' parameter must be one of C, S, X, Other. Got 'Q'" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_fetch_with_a_corrupted_mirror_exits_1_and_caches_nothing(
    mirror: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "mirror"
    shutil.copytree(mirror / "smass2", copy / "smass2")
    archive = copy / "smass2" / "smass2data.tar.gz"
    archive.chmod(0o644)
    archive.write_bytes(archive.read_bytes()[:-100])
    cache = tmp_path / "cache"
    env = dict(os.environ, ASTEROID_SPECTRA_MIRROR=str(copy), ASTEROID_SPECTRA_CACHE=str(cache))
    result = run("fetch", "smass2", env=env)
    assert result.returncode == 1
    assert "sha256 of smass2/smass2data.tar.gz from the mirror does not match" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (cache / "downloads" / "smass2" / "smass2data.tar.gz").exists()
    assert [p for p in cache.rglob("*") if p.is_file()] == []


def test_no_mirror_and_no_network_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ASTEROID_SPECTRA_MIRROR"}
    env |= {
        "ASTEROID_SPECTRA_CACHE": str(tmp_path),
        "ASTEROID_SPECTRA_TIMEOUT": "5",
        # An unreachable proxy makes the test independent of this machine's network.
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
    }
    result = run("fetch", "smass2", env=env)
    assert result.returncode == 1
    assert "Set ASTEROID_SPECTRA_MIRROR" in result.stderr
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
