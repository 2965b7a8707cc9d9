"""`asteroid-spectra calibrate`, and `classify --correction`: options, errors, output.

The SMASSII reference is replaced by the synthetic one of ``tests/models/test_instrument.py``
(the end-to-end run on the real files is ``tests/integration/test_calibrate.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from asteroid_spectra.cli.app import app
from asteroid_spectra.models.targets import TargetData

from ..models.test_instrument import reference, write_user_folder  # noqa: F401 - a fixture

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, reference: TargetData, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    """Six biased spectra of reference asteroids, their labels.csv; SMASSII replaced."""
    import asteroid_spectra.models.targets as targets

    monkeypatch.setattr(targets, "smass2_target", lambda *args, **kwargs: reference)
    rows = [0, 5, 10, 17, 22, 39]
    write_user_folder(tmp_path / "data", reference, rows, ["1", "6", "11", "18", "23", "1995 BM2"])
    return tmp_path / "data"


def _options(folder: Path, output: Path) -> list[str]:
    return ["--data", str(folder), "--labels", str(folder / "labels.csv"), "-o", str(output)]


def test_calibrate_writes_the_correction_and_prints_the_table(folder: Path, tmp_path: Path) -> None:
    output = tmp_path / "correction.json"
    figure = tmp_path / "correction.png"
    result = runner.invoke(app, ["calibrate", *_options(folder, output), "--figure", str(figure)])
    assert result.exit_code == 0, result.output
    assert "6 spectra (6 against the same asteroid, 0 against their class mean)" in result.stdout
    assert re.search(r"0\.90 │ +1\.0(79|80)\d │ \+(7\.9|8\.0) %", result.stdout)
    assert f"wrote the instrument correction to {output}" in result.stderr
    written = json.loads(output.read_text())
    assert written["n_spectra"] == 6
    assert written["provenance"]["reference"]["n_same_asteroid"] == 6
    assert abs(np.interp(0.90, written["wavelength_um"], written["factor"]) - 1.08) < 0.003
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_existing_output_needs_overwrite(folder: Path, tmp_path: Path) -> None:
    output = tmp_path / "correction.json"
    output.write_text("keep me")
    result = runner.invoke(app, ["calibrate", *_options(folder, output)])
    assert result.exit_code == 1
    assert f"{output} exists; choose another file or --overwrite." in result.stderr
    assert output.read_text() == "keep me"
    result = runner.invoke(app, ["calibrate", *_options(folder, output), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text())["n_spectra"] == 6


@pytest.mark.parametrize(
    ("drop", "missing"),
    [("--data", "--data; add it"), ("--labels", "--labels; add it"), ("-o", "--output; add it")],
)
def test_calibrate_needs_data_labels_and_output(
    folder: Path, tmp_path: Path, drop: str, missing: str
) -> None:
    options = _options(folder, tmp_path / "c.json")
    at = options.index(drop)
    result = runner.invoke(app, ["calibrate", *options[:at], *options[at + 2 :]])
    assert result.exit_code == 1
    assert "calibrate needs --data (the folder of your spectrum files)" in result.stderr
    assert f"Got no {missing}." in result.stderr
    assert "Traceback" not in result.stderr


def test_calibrate_refuses_a_non_bus_labels_column(folder: Path, tmp_path: Path) -> None:
    labels = folder / "labels.csv"
    labels.write_text(labels.read_text().replace("file,class,", "file,tholen_class,"))
    result = runner.invoke(app, ["calibrate", *_options(folder, tmp_path / "c.json")])
    assert result.exit_code == 1
    assert "calibrate learns an instrument correction from Bus classes only" in result.stderr
    assert "has 'tholen_class'" in result.stderr
    assert not (tmp_path / "c.json").exists()


def test_calibrate_checks_the_figure_suffix_first(folder: Path, tmp_path: Path) -> None:
    options = [*_options(folder, tmp_path / "c.json"), "--figure", str(tmp_path / "c.xyz")]
    result = runner.invoke(app, ["calibrate", *options])
    assert result.exit_code == 1
    assert "its suffix must be one of" in result.stderr
    assert not (tmp_path / "c.json").exists()


def test_classify_reports_a_bad_correction_file(tmp_path: Path) -> None:
    spectrum = tmp_path / "s.txt"
    np.savetxt(spectrum, np.c_[np.linspace(0.45, 0.9, 50), np.ones(50)])
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    result = runner.invoke(app, ["classify", str(spectrum), "--correction", str(bad)])
    assert result.exit_code == 1
    assert f"error: {bad}: expected the keys format, normalisation_um" in result.stderr
    result = runner.invoke(app, ["classify", str(spectrum), "--correction", str(tmp_path / "no")])
    assert result.exit_code == 1
    assert "does not exist (or is not a file)" in result.stderr
