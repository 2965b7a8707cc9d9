"""The CLI in-process: options, error reporting, exit codes (no survey data needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from asteroid_spectra import __version__
from asteroid_spectra.cli import app as cli
from asteroid_spectra.cli import data
from asteroid_spectra.exceptions import ParseError

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(cli.app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"asteroid-spectra {__version__}"


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(cli.app, [])
    assert "fetch" in result.output
    assert "dataset" in result.output


@pytest.mark.parametrize(
    "args", [["fetch", "sdss"], ["dataset", "tholen1984"], ["plot", "spectra"]]
)
def test_bad_arguments_exit_2(args: list[str]) -> None:
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 2


def test_missing_mirror_file_is_reported_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASTEROID_SPECTRA_MIRROR", str(tmp_path / "mirror"))
    (tmp_path / "mirror").mkdir()
    monkeypatch.setenv("ASTEROID_SPECTRA_CACHE", str(tmp_path / "cache"))
    result = runner.invoke(cli.app, ["dataset", "--json"])
    assert result.exit_code == 1
    assert "has no file smass2/smass2data.tar.gz" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_error_messages_are_printed_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    # "[2]" in SMASSII file names must not be swallowed as rich markup.
    def broken(survey: str) -> dict[str, object]:
        raise ParseError("expected 2 numbers", path="smass2data.tar.gz:smass2/a000001.[2]", line=7)

    monkeypatch.setattr(data, "load_summary", broken)
    result = runner.invoke(cli.app, ["dataset"])
    assert result.exit_code == 1
    assert "smass2data.tar.gz:smass2/a000001.[2], line 7: expected 2 numbers" in result.stderr
