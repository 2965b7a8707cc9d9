"""Shared pieces of the CLI: consoles, error reporting, choices."""

from __future__ import annotations

from enum import StrEnum

import typer
from rich.console import Console

__all__ = ["ClassColumn", "Collection", "Survey", "Target", "console", "fail", "out"]

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


def fail(error: Exception) -> typer.Exit:
    """Print `error` (verbatim, no traceback) and return the exit to raise (status 1)."""
    from rich.markup import escape

    console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
    return typer.Exit(code=1)
