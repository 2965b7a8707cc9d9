"""The serve command in-process: options reach uvicorn and the app factory."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from asteroid_spectra.cli import app as cli

runner = CliRunner()


def test_serve_runs_uvicorn_with_the_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    # Recorded so that monkeypatch restores them after the command has set them.
    monkeypatch.setenv("ASTEROID_SPECTRA_MAX_BATCH", "")
    monkeypatch.setenv("ASTEROID_SPECTRA_MAX_BODY_BYTES", "")
    args = ["serve", "--port", "8123", "--workers", "2", "--max-batch", "7"]
    result = runner.invoke(cli.app, [*args, "--max-body-bytes", "5000"])
    assert result.exit_code == 0, result.output
    ((app, kwargs),) = calls
    assert app == "asteroid_spectra.api.app:create_app_from_env"
    assert kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("127.0.0.1", 8123, 2)
    assert kwargs["access_log"] is False
    # The factory, run in each worker process, reads the limits from the environment.
    assert os.environ["ASTEROID_SPECTRA_MAX_BATCH"] == "7"
    assert os.environ["ASTEROID_SPECTRA_MAX_BODY_BYTES"] == "5000"


@pytest.mark.parametrize("args", [["--workers", "0"], ["--port", "70000"], ["--max-batch", "0"]])
def test_serve_refuses_bad_options(args: list[str]) -> None:
    result = runner.invoke(cli.app, ["serve", *args])
    assert result.exit_code == 2


@pytest.mark.parametrize("package", ["fastapi", "uvicorn", "multipart", "orjson", "plotly"])
def test_missing_serve_extra_fails_before_anything_starts(
    package: str, monkeypatch: pytest.MonkeyPatch, hide_packages: Callable[..., None]
) -> None:
    import uvicorn

    calls: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(app))
    monkeypatch.setenv("ASTEROID_SPECTRA_MAX_BATCH", "unchanged")
    hide_packages(package)
    result = runner.invoke(cli.app, ["serve", "--port", "8123", "--max-batch", "7"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # fail(...), not a crash
    assert (
        f"asteroid-spectra serve needs the 'serve' extra, and {package} is not installed"
        in result.stderr
    )
    assert "pip install 'asteroid-spectra[serve]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert "serving on" not in result.stderr
    assert calls == []
    assert os.environ["ASTEROID_SPECTRA_MAX_BATCH"] == "unchanged"  # limits not applied
