"""The cluster command in-process: a missing ``study`` extra fails before any work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

import asteroid_spectra.cluster
import asteroid_spectra.spectra.sets
from asteroid_spectra.cli import app as cli
from asteroid_spectra.exceptions import DataError

runner = CliRunner()


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every call of the data loading and the study the command would start."""
    calls: list[str] = []

    def load_spectra(name: str, **kwargs: Any) -> Any:
        calls.append(f"load_spectra({name})")
        raise DataError("stopped before loading the data")

    def run_cluster_study(*args: Any, **kwargs: Any) -> Any:
        calls.append("run_cluster_study")
        raise DataError("stopped before training")

    monkeypatch.setattr(asteroid_spectra.spectra.sets, "load_spectra", load_spectra)
    monkeypatch.setattr(asteroid_spectra.cluster, "run_cluster_study", run_cluster_study)
    return calls


@pytest.mark.parametrize("package", ["pingouin", "plotly"])
def test_missing_study_extra_fails_before_loading_or_training(
    package: str, work: list[str], hide_packages: Callable[..., None]
) -> None:
    hide_packages(package)
    result = runner.invoke(cli.app, ["cluster", "--seeds", "1", "--json"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # fail(...), not a crash
    assert (
        f"asteroid-spectra cluster needs the 'study' extra, and {package} is not installed"
        in result.stderr
    )
    assert "pip install 'asteroid-spectra[study]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert work == []


def test_installed_study_extra_lets_the_command_start(work: list[str]) -> None:
    # The test environment installs the study extra (make test: .[dev,study,serve]).
    result = runner.invoke(cli.app, ["cluster", "--seeds", "1"])
    assert work == ["load_spectra(smass2)"]
    assert result.exit_code == 1
    assert "stopped before loading the data" in result.stderr
