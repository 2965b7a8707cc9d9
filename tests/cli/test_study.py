"""The run command in-process: a missing pingouin fails before any stage runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import asteroid_spectra.report
from asteroid_spectra.cli import app as cli
from asteroid_spectra.exceptions import DataError

runner = CliRunner()


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record the calls of run_study, which runs the stages; each call stops at once."""
    calls: list[Path] = []

    def run_study(output: Path, **kwargs: Any) -> Any:
        calls.append(output)
        raise DataError("stopped before the first stage")

    monkeypatch.setattr(asteroid_spectra.report, "run_study", run_study)
    return calls


def test_missing_pingouin_fails_before_any_stage(
    tmp_path: Path, stages: list[Path], hide_packages: Callable[..., None]
) -> None:
    hide_packages("pingouin")
    result = runner.invoke(cli.app, ["run", "--quick", "-o", str(tmp_path / "report")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert (
        "asteroid-spectra run (its latent-space stage uses pingouin) needs the 'study' extra, "
        "and pingouin is not installed" in result.stderr
    )
    assert "pip install 'asteroid-spectra[study]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert stages == []
    assert not (tmp_path / "report").exists()


def test_missing_plotly_does_not_stop_the_study(
    tmp_path: Path, stages: list[Path], hide_packages: Callable[..., None]
) -> None:
    # The report's figures are PNGs: plotly, the study extra's other package, is not used.
    hide_packages("plotly")
    result = runner.invoke(cli.app, ["run", "--quick", "-o", str(tmp_path / "report")])
    assert stages == [tmp_path / "report"]
    assert result.exit_code == 1
    assert "stopped before the first stage" in result.stderr
    assert "plotly" not in result.stderr
