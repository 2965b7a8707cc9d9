"""Shared pieces of the CLI: consoles, error reporting, choices."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from asteroid_spectra.exceptions import ParameterError

__all__ = [
    "ClassColumn",
    "Collection",
    "Survey",
    "Target",
    "check_figure_path",
    "console",
    "fail",
    "out",
    "save_figure",
]

console = Console(stderr=True, soft_wrap=True)
"""Messages, progress and errors (stderr)."""

out = Console(soft_wrap=True)
"""Results (stdout)."""


class Collection(StrEnum):
    """Data collections the CLI can fetch (:data:`~asteroid_spectra.data.registry.SURVEYS`)."""

    smass2 = "smass2"
    gaia_dr3 = "gaia-dr3"
    smass1 = "smass1"
    smassir = "smassir"
    primass_l = "primass-l"
    irtf_spex = "irtf-spex"
    ecas = "ecas"
    tholen1984 = "tholen1984"
    demeo2009 = "demeo2009"
    all = "all"


class Survey(StrEnum):
    """Surveys with spectra, which have a dataset summary."""

    smass2 = "smass2"
    gaia_dr3 = "gaia-dr3"
    smass1 = "smass1"
    smassir = "smassir"
    primass_l = "primass-l"
    irtf_spex = "irtf-spex"
    ecas = "ecas"
    demeo2009 = "demeo2009"


class ClassColumn(StrEnum):
    """Class columns to group spectra by."""

    main_group = "main-group"
    bus_class = "bus-class"


class Target(StrEnum):
    """Classification targets."""

    x_vs_rest = "x-vs-rest"
    main_group = "main-group"
    bus = "bus"
    demeo = "demeo"
    tholen = "tholen"


def fail(error: Exception) -> typer.Exit:
    """Print `error` (verbatim, no traceback) and return the exit to raise (status 1)."""
    from rich.markup import escape

    console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
    return typer.Exit(code=1)


def check_figure_path(path: Path) -> str:
    """Return the image format of `path` from its suffix (``png``, ``pdf``, ``svg``…).

    Called before any work, so a misspelt suffix fails at once.

    Raises
    ------
    ParameterError
        If matplotlib cannot write that format.
    """
    from matplotlib.backend_bases import FigureCanvasBase

    formats = FigureCanvasBase.get_supported_filetypes()
    kind = path.suffix.lower().removeprefix(".")
    if kind not in formats:
        raise ParameterError(
            f"Cannot write a figure to {str(path)!r}: its suffix must be one of "
            f"{', '.join('.' + f for f in sorted(formats))} (e.g. {path.stem}.png)."
        )
    return kind


def save_figure(figure: Any, path: Path) -> None:
    """Write a matplotlib figure to `path` (150 dpi), atomically: never half-written."""
    from asteroid_spectra.data.files import atomic_path

    kind = check_figure_path(path)
    with atomic_path(path) as temporary:
        figure.savefig(temporary, dpi=150, format=kind)
