"""Optional extras: which packages are missing, and the error that names them."""

from __future__ import annotations

import importlib.machinery
import sys
import types
from collections.abc import Callable

import pytest

from asteroid_spectra.exceptions import (
    AsteroidSpectraError,
    MissingDependencyError,
    ParameterError,
)
from asteroid_spectra.extras import EXTRAS, missing, require


def _present(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make `names` look installed: a module with a spec in sys.modules."""
    for name in names:
        module = types.ModuleType(name)
        module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
        monkeypatch.setitem(sys.modules, name, module)


def test_extras_match_pyproject() -> None:
    # Import names of the [project.optional-dependencies] of pyproject.toml.
    assert dict(EXTRAS) == {
        "study": ("pingouin", "plotly"),
        "serve": ("fastapi", "uvicorn", "multipart", "orjson", "plotly"),
        "astro": ("specutils",),
    }


@pytest.mark.parametrize("check", [missing, lambda extra: require(extra, "a test")])
@pytest.mark.parametrize("extra", ["plots", "Study", ""])
def test_unknown_extra_is_a_parameter_error(check: Callable[[str], object], extra: str) -> None:
    with pytest.raises(
        ParameterError,
        match=rf"^The 'extra' parameter of missing must be one of study, serve, astro\. "
        rf"Got {extra!r} instead\.$",
    ):
        check(extra)


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_installed_extra_passes(extra: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _present(monkeypatch, *EXTRAS[extra])
    assert missing(extra) == []
    require(extra, "a test")  # does not raise


@pytest.mark.parametrize(
    ("extra", "hidden", "absent"),
    [
        ("study", ["pingouin"], ["pingouin"]),
        ("study", ["plotly", "pingouin"], ["pingouin", "plotly"]),  # in EXTRAS order
        ("serve", ["multipart"], ["multipart"]),
        ("astro", ["specutils"], ["specutils"]),
    ],
)
def test_missing_packages_are_named(
    extra: str,
    hidden: list[str],
    absent: list[str],
    monkeypatch: pytest.MonkeyPatch,
    hide_packages: Callable[..., None],
) -> None:
    _present(monkeypatch, *EXTRAS[extra])
    hide_packages(*hidden)
    assert missing(extra) == absent


def test_require_names_the_package_and_the_install_command(
    monkeypatch: pytest.MonkeyPatch, hide_packages: Callable[..., None]
) -> None:
    _present(monkeypatch, *EXTRAS["study"])
    hide_packages("pingouin")
    with pytest.raises(
        MissingDependencyError,
        match=r"^asteroid-spectra cluster needs the 'study' extra, and pingouin is not "
        r"installed\. Install it with: pip install 'asteroid-spectra\[study\]'$",
    ) as caught:
        require("study", "asteroid-spectra cluster")
    # Caught by `except ImportError` as well as by the package's own base class.
    assert isinstance(caught.value, ImportError)
    assert isinstance(caught.value, AsteroidSpectraError)


def test_require_names_every_missing_package(
    monkeypatch: pytest.MonkeyPatch, hide_packages: Callable[..., None]
) -> None:
    _present(monkeypatch, *EXTRAS["serve"])
    hide_packages("uvicorn", "orjson")
    with pytest.raises(
        MissingDependencyError,
        match=r"needs the 'serve' extra, and uvicorn, orjson are not installed\. Install it "
        r"with: pip install 'asteroid-spectra\[serve\]'$",
    ):
        require("serve", "asteroid-spectra serve")


def test_a_module_without_spec_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    # find_spec raises ValueError for a sys.modules entry whose __spec__ is None.
    _present(monkeypatch, *EXTRAS["study"])
    broken = types.ModuleType("plotly")
    broken.__spec__ = None
    monkeypatch.setitem(sys.modules, "plotly", broken)
    assert missing("study") == ["plotly"]


def test_missing_does_not_import(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "specutils" or m.startswith("specutils.")]:
        monkeypatch.delitem(sys.modules, name)
    missing("astro")
    assert "specutils" not in sys.modules
