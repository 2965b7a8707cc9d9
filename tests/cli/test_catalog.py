"""The catalog command refuses a bad request before loading anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from asteroid_spectra.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask."),
        (["-o", "classes.csv"], "the suffix must be one of .parquet, .ecsv"),
    ],
)
def test_bad_requests_fail_fast(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASTEROID_SPECTRA_MIRROR", str(tmp_path / "no-mirror"))
    result = runner.invoke(app, ["catalog", "gaia-dr3", *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_output_is_kept_without_overwrite(tmp_path: Path) -> None:
    output = tmp_path / "classes.parquet"
    output.write_text("keep")
    result = runner.invoke(app, ["catalog", "gaia-dr3", "-o", str(output), "--no-overwrite"])
    assert result.exit_code == 1
    assert "exists" in result.stderr
    assert output.read_text() == "keep"
