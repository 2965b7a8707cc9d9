"""Settings from the environment: cache directory, mirror and download timeout."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from platformdirs import user_cache_path

from asteroid_spectra.config import DEFAULT_TIMEOUT, Settings, get_settings
from asteroid_spectra.exceptions import DataError


def test_defaults_without_environment() -> None:
    settings = get_settings({})

    assert settings.cache_dir == user_cache_path("asteroid-spectra")
    assert settings.mirror is None
    assert settings.timeout == DEFAULT_TIMEOUT == 60.0
    assert settings.seed == 0


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASTEROID_SPECTRA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ASTEROID_SPECTRA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("ASTEROID_SPECTRA_TIMEOUT", "7.5")

    assert get_settings() == Settings(
        cache_dir=tmp_path / "cache", mirror=tmp_path / "mirror", timeout=7.5
    )


def test_session_cache_is_isolated(session_cache: Path) -> None:
    # The shared autouse fixture points every test at a temporary cache.
    assert get_settings().cache_dir == session_cache


def test_relative_paths_become_absolute(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)

    settings = get_settings(
        {"ASTEROID_SPECTRA_CACHE": "here/cache", "ASTEROID_SPECTRA_MIRROR": "../mirror"}
    )

    assert settings.cache_dir == tmp_path / "here" / "cache"
    assert settings.cache_dir.is_absolute()
    assert settings.mirror is not None
    assert settings.mirror.is_absolute()
    assert settings.mirror.resolve() == tmp_path.parent / "mirror"


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))

    settings = get_settings({"ASTEROID_SPECTRA_CACHE": "~/c", "ASTEROID_SPECTRA_MIRROR": "~/m"})

    assert settings.cache_dir == tmp_path / "c"
    assert settings.mirror == tmp_path / "m"


def test_nothing_is_created(tmp_path: Path) -> None:
    get_settings({"ASTEROID_SPECTRA_CACHE": str(tmp_path / "new" / "cache")})

    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.5", 2.5),
        ("10", 10.0),
        (" 3 ", 3.0),
        ("1e-3", 0.001),
        ("86400", 86400.0),
        ("", DEFAULT_TIMEOUT),
    ],
)
def test_valid_timeout(text: str, expected: float) -> None:
    assert get_settings({"ASTEROID_SPECTRA_TIMEOUT": text}).timeout == expected


@pytest.mark.parametrize(
    "text", ["abc", "0", "-3", "nan", "inf", "-inf", "1e400", "5s", "1e10", "86401"]
)
def test_invalid_timeout(text: str) -> None:
    with pytest.raises(
        DataError,
        match=(
            r"ASTEROID_SPECTRA_TIMEOUT must be a number of seconds above 0 and at most 86400\. "
            rf"Got '{text}' instead; unset it to use 60 s\."
        ),
    ):
        get_settings({"ASTEROID_SPECTRA_TIMEOUT": text})


def test_settings_are_frozen(empty_settings: Settings) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        empty_settings.timeout = 1.0  # type: ignore[misc]
