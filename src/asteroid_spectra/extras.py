"""Optional extras: check that one is installed before any work that needs it starts.

``pip install 'asteroid-spectra[study]'`` (and ``serve``, ``astro``) adds the packages of
:data:`EXTRAS`. A command or function that needs one calls :func:`require` first, so a
missing package is reported at once — not after minutes of training — with the install
command. The check looks the packages up without importing them.

Examples
--------
>>> require("study", "the latent-space study")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
from types import MappingProxyType

from asteroid_spectra.exceptions import MissingDependencyError, ParameterError

__all__ = ["EXTRAS", "missing", "require"]

EXTRAS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "study": ("pingouin", "plotly"),
        "serve": ("fastapi", "uvicorn", "multipart", "orjson", "plotly"),
        "astro": ("specutils",),
    }
)
"""Import names of the packages each extra of ``pyproject.toml`` installs."""


def missing(extra: str) -> list[str]:
    """Return the packages of `extra` that cannot be imported (empty when installed).

    Raises
    ------
    ParameterError
        If `extra` is not one of :data:`EXTRAS`.
    """
    if extra not in EXTRAS:
        raise ParameterError(
            f"The 'extra' parameter of missing must be one of {', '.join(EXTRAS)}. "
            f"Got {extra!r} instead."
        )
    absent = []
    for name in EXTRAS[extra]:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a package whose import is blocked
            found = False
        if not found:
            absent.append(name)
    return absent


def require(extra: str, purpose: str) -> None:
    """Raise :class:`MissingDependencyError` unless every package of `extra` is installed.

    Parameters
    ----------
    extra : str
        One of :data:`EXTRAS`.
    purpose : str
        What needs it, for the message (e.g. ``"asteroid-spectra cluster"``).

    Raises
    ------
    MissingDependencyError
        Naming the missing packages and the command that installs them.
    """
    absent = missing(extra)
    if absent:
        raise MissingDependencyError(
            f"{purpose} needs the '{extra}' extra, and {', '.join(absent)} "
            f"{'is' if len(absent) == 1 else 'are'} not installed. Install it with: "
            f"pip install 'asteroid-spectra[{extra}]'"
        )
