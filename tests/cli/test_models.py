"""The models commands refuse a bad request before any training."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from asteroid_spectra.cli import models as commands
from asteroid_spectra.cli.app import app
from asteroid_spectra.exceptions import DataError

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
