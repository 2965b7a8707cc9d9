"""`asteroid-spectra classify` on a folder of realistic files made from SMASSII spectra.

Each file re-creates what an observer sends: the SMASSII spectrum interpolated to dense
(0.5 nm) or coarse (44 nm) sampling, a random coverage inside 0.44-0.50 → 0.80-0.92 µm,
1 % noise, in µm or nm, with or without a header, some with junk rows. The default
models are trained on all SMASSII spectra, so this checks the file handling and the
coverage-specific models end to end, not generalisation (see benchmarks/robustness.py).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.interpolate import make_interp_spline

from asteroid_spectra import schema
from asteroid_spectra.spectra.sets import load_spectra

pytestmark = pytest.mark.integration

EXE = Path(sys.executable).with_name("asteroid-spectra")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args], capture_output=True, text=True, env=dict(os.environ), timeout=300
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, object]]]:
    """40 user-like files (10 per main group) and one unreadable file; the truth per file."""
    smass2 = load_spectra("smass2").labelled()
    groups = smass2.objects[schema.MAIN_GROUP].astype(str).to_numpy()
    rng = np.random.default_rng(11)
    directory = tmp_path_factory.mktemp("user-spectra")
    truth: dict[str, dict[str, object]] = {}
    for group in schema.MAIN_GROUPS:
        for index in rng.choice(np.flatnonzero(groups == group), 10, replace=False):
            start, stop = rng.uniform(0.44, 0.50), rng.uniform(0.80, 0.92)
            step = 0.0005 if rng.random() < 0.8 else 0.044
            wavelength = np.linspace(start, stop, int((stop - start) / step) + 1)
            spline = make_interp_spline(smass2.wavelength, smass2.reflectance[index], k=3)
            reflectance = 1.7 * spline(wavelength) * (1 + rng.normal(0, 0.01, wavelength.size))
            nm = rng.random() < 0.5
            rows = np.c_[wavelength * (1000 if nm else 1), reflectance]
            name = f"{smass2.objects.iloc[index][schema.OBJECT_ID]}.txt"
            lines = [" ".join(f"{v:.6g}" for v in row) for row in rows]
            junk = step < 0.01 and rng.random() < 0.3
            if junk:
                lines[3:3] = ["0 1.0", f"{rows[10, 0]:.6g} nan"]
            header = ["# wavelength_nm reflectance" if nm else "# lambda_um reflectance"]
            (directory / name).write_text("\n".join(header + lines) + "\n")
            truth[name] = {
                "group": group,
                "start": start,
                "stop": stop,
                "junk": junk,
            }
    (directory / "broken.txt").write_text("wavelength reflectance\n0.5 1.0\n0.6 abc\n")
    return directory, truth


def test_a_folder_becomes_a_csv_of_classes(
    folder: tuple[Path, dict[str, dict[str, object]]], tmp_path: Path
) -> None:
    directory, truth = folder
    output = tmp_path / "classes.csv"
    result = run("classify", str(directory), "--format", "csv", "-o", str(output))
    assert result.returncode == 1, result.stderr  # broken.txt failed
    assert "1 of 41 spectra failed" in result.stderr
    rows = {Path(r["source"]).name: r for r in csv.DictReader(output.open())}
    assert len(rows) == 41
    assert "line 3" in rows["broken.txt"]["error"]
    correct = 0
    for name, expected in truth.items():
        row = rows[name]
        assert row["error"] == ""
        correct += row["main_group"] == expected["group"]
        # The range used: the covered grid points, ends on multiples of 0.02 µm.
        assert float(row["wavelength_min"]) == pytest.approx(
            np.ceil(float(expected["start"]) * 50 - 0.125) / 50
        )
        assert float(row["wavelength_max"]) == pytest.approx(
            np.floor(float(expected["stop"]) * 50 + 0.125) / 50
        )
        assert ("dropped 1 row" in row["notes"]) == expected["junk"]
        probabilities = [float(row[f"p_{g}"]) for g in schema.MAIN_GROUPS]
        assert sum(probabilities) == pytest.approx(1.0)
    assert correct >= 36, f"{correct} of 40 main groups right"


def test_json_has_every_probability(folder: tuple[Path, dict[str, dict[str, object]]]) -> None:
    directory, truth = folder
    name = next(iter(truth))
    result = run("classify", str(directory / name), "--format", "json")
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["main_group"] == truth[name]["group"]
    assert set(record["probabilities"]) == set(schema.MAIN_GROUPS)
    assert record["bus_class"] in record["bus_probabilities"]
    assert sum(record["bus_probabilities"].values()) == pytest.approx(1.0)
    assert record["model"] == "svm-robust"


def test_the_table_and_the_coverage_error(tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    wavelength = np.linspace(0.55, 0.75, 50)
    np.savetxt(short, np.c_[wavelength, 1 + 0.3 * (wavelength - 0.55)])
    result = run("classify", str(short), "--target", "main-group")
    assert result.returncode == 1
    assert "needs at least 0.55-0.80 µm" in " ".join(result.stdout.split())


def test_a_trained_model_directory_can_be_used(
    folder: tuple[Path, dict[str, dict[str, object]]], tmp_path: Path
) -> None:
    directory, truth = folder
    model = tmp_path / "my-model"
    trained = run("train", "--target", "main-group", "--model", "svm-robust", "-o", str(model))
    assert trained.returncode == 0, trained.stderr
    smass2 = load_spectra("smass2").labelled()
    full = {}
    for object_id, group in (("7", "S"), ("10", "C"), ("4", "Other")):
        row = int(np.flatnonzero(smass2.objects[schema.OBJECT_ID] == object_id)[0])
        path = tmp_path / f"{object_id}.txt"
        np.savetxt(path, np.c_[smass2.wavelength, 1.3 * smass2.reflectance[row]])
        full[path] = group
    partial = directory / next(iter(truth))  # covers less than 0.44-0.92 µm
    result = run(
        "classify", *map(str, full), str(partial), "--model", str(model), "--format", "json"
    )
    assert result.returncode == 1
    records = {r["source"]: r for r in json.loads(result.stdout)}
    for path, group in full.items():
        record = records[str(path)]
        assert (record["error"], record["model"], record["main_group"]) == (
            None,
            "svm-robust",
            group,
        )
        assert (record["wavelength_min"], record["wavelength_max"]) == (0.44, 0.92)
    # A saved model has one grid: a spectrum that does not cover it is refused, saying so.
    assert "needs 0.44-0.92 µm; the spectrum covers only" in records[str(partial)]["error"]
