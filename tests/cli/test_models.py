"""The models commands: a bad request refused before any training; your own data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from asteroid_spectra.cli import models as commands
from asteroid_spectra.cli.app import app
from asteroid_spectra.exceptions import DataError

from ..spectra.test_labelled import synthetic_spectrum, write_labelled_folder

runner = CliRunner()


def test_train_refuses_an_existing_output_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asteroid_spectra.models.training as training

    def no_training(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("train ran although the output exists")

    reported: list[Exception] = []
    report = commands.fail

    def recording_fail(error: Exception) -> typer.Exit:
        reported.append(error)
        return report(error)

    monkeypatch.setattr(training, "train_model", no_training)
    monkeypatch.setattr(commands, "fail", recording_fail)
    output = tmp_path / "model"
    output.mkdir()
    result = runner.invoke(app, ["train", "-o", str(output)])
    assert result.exit_code == 1
    assert f"{output} exists; choose another directory or --overwrite." in result.stderr
    assert "Traceback" not in result.stderr
    (error,) = reported
    assert isinstance(error, DataError)  # a project error, like save_model's for this case
    assert list(output.iterdir()) == []


# --- your own labelled spectra: --data DIR --labels FILE ------------------------------------
@pytest.fixture
def labelled_folder(tmp_path: Path) -> Path:
    """A folder of 24 synthetic spectra (8 each of C, S, X) with its labels.csv."""
    write_labelled_folder(tmp_path / "data")
    return tmp_path / "data"


def _own_data(folder: Path) -> list[str]:
    return ["--data", str(folder), "--labels", str(folder / "labels.csv")]


def test_evaluate_cross_validates_your_own_spectra(labelled_folder: Path) -> None:
    arguments = ["evaluate", *_own_data(labelled_folder), "--folds", "4", "--repeats", "2"]
    result = runner.invoke(app, [*arguments, "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["model"] == "svm-robust"  # best for main-group
    assert summary["n_samples"] == 24
    assert (summary["folds"], summary["repeats"]) == (4, 2)
    assert summary["accuracy"]["mean"] >= 0.9
    assert summary["classes"] == ["C", "S", "X"]
    digest = hashlib.sha256((labelled_folder / "labels.csv").read_bytes()).hexdigest()
    assert summary["data"]["labels"] == {"name": "labels.csv", "sha256": digest}
    assert summary["data"]["n_objects"] == 12
    assert "note: used 0.48-0.9 µm, the span all spectra cover" in result.stderr


def test_train_on_your_own_spectra_then_classify_with_the_model(
    labelled_folder: Path, tmp_path: Path
) -> None:
    output = tmp_path / "model"
    arguments = ["train", *_own_data(labelled_folder), "--folds", "4", "-o", str(output)]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.stderr
    card = json.loads((output / "card.json").read_text())
    data = card["training_data"]
    assert data["source"] == "user"
    assert (
        data["labels"]["sha256"]
        == hashlib.sha256((labelled_folder / "labels.csv").read_bytes()).hexdigest()
    )
    assert len(data["files"]) == 24
    assert (
        data["files"][0]["sha256"]
        == hashlib.sha256((labelled_folder / "C00.txt").read_bytes()).hexdigest()
    )
    assert card["wavelength_um"][0] == 0.48
    assert card["cross_validation"]["accuracy"]["mean"] >= 0.9
    rng = np.random.default_rng(7)
    held_out = []
    for name in ("S", "X", "C"):
        wavelength, values = synthetic_spectrum(name, rng)
        path = tmp_path / f"new-{name}.txt"
        np.savetxt(path, np.c_[wavelength * 1000, values])  # nm, guessed
        held_out.append(str(path))
    classified = runner.invoke(
        app, ["classify", "--model", str(output), *held_out, "--format", "json"]
    )
    assert classified.exit_code == 0, classified.stderr
    rows = json.loads(classified.stdout)
    assert [row["main_group"] for row in rows] == ["S", "X", "C"]


@pytest.mark.parametrize("command", ["evaluate", "train"])
@pytest.mark.parametrize(("given", "missing"), [("--data", "--labels"), ("--labels", "--data")])
def test_data_and_labels_go_together(
    labelled_folder: Path, tmp_path: Path, command: str, given: str, missing: str
) -> None:
    value = labelled_folder if given == "--data" else labelled_folder / "labels.csv"
    extra = ["-o", str(tmp_path / "model")] if command == "train" else []
    result = runner.invoke(app, [command, given, str(value), *extra])
    assert result.exit_code == 1
    assert f"Got {given} without {missing}; add {missing}." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "model").exists()


def test_own_data_and_cross_survey_cannot_be_combined(labelled_folder: Path) -> None:
    arguments = ["evaluate", *_own_data(labelled_folder), "--cross-survey", "gaia-dr3"]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1
    assert "--data/--labels and --cross-survey cannot be combined" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("lone", "Cross-validation needs at least 2 spectra of each class; got Other (1)"),
        ("folds", "8-fold cross-validation needs at least 8 asteroids; got 6"),
        ("missing", "1 file(s) listed in labels.csv are not in"),
        ("class", "unknown bus class(es) 'Z' (C00.txt)"),
        ("folder", "does not exist (or is not a folder)"),
    ],
)
def test_evaluate_on_own_data_reports_what_is_wrong(
    tmp_path: Path, change: str, message: str
) -> None:
    folder = tmp_path / "data"
    labels = write_labelled_folder(folder, per_class=4 if change == "folds" else 8)
    arguments = ["evaluate", *_own_data(folder)]
    if change == "lone":
        (folder / "lone.txt").write_text((folder / "S00.txt").read_text())
        labels.write_text(labels.read_text() + "lone.txt,V\n")
    elif change == "folds":
        arguments += ["--folds", "8"]
    elif change == "missing":
        (folder / "X03.txt").unlink()
    elif change == "class":
        labels.write_text(labels.read_text().replace("C00.txt,C,", "C00.txt,Z,"))
    elif change == "folder":
        arguments[2] = str(tmp_path / "nowhere")
        (tmp_path / "labels.csv").write_text(labels.read_text())
        arguments[4] = str(tmp_path / "labels.csv")
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1
    assert message in result.stderr.replace("\n", " ")
    assert "Traceback" not in result.stderr
