"""The small protocol every survey source follows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

__all__ = ["ParsedTable", "Source"]


@dataclass
class ParsedTable:
    """A tidy table parsed from a survey's files, with what the parser noticed.

    Attributes
    ----------
    frame : DataFrame
        The table.
    notes : list of str
        Human-readable notes (rows dropped, malformed lines, …) kept in its provenance.
    """

    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


class Source(Protocol):
    """A survey: which registered files it needs and how to parse them into tables.

    Attributes
    ----------
    name : str
        Collection name in the registry (``"smass2"``, ``"gaia-dr3"``).
    title : str
        Human-readable title.
    citation : str
        What to cite when the data are used.
    version : int
        Version of the parser; bump it when the tables change so caches are rebuilt.
    tables : tuple of str
        Names of the tables :meth:`parse` returns; the first is the default.
    """

    @property
    def name(self) -> str: ...  # noqa: D102

    @property
    def title(self) -> str: ...  # noqa: D102

    @property
    def citation(self) -> str: ...  # noqa: D102

    @property
    def version(self) -> int: ...  # noqa: D102

    @property
    def tables(self) -> tuple[str, ...]: ...  # noqa: D102

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse the verified files (registered name → path) into tables."""
        ...
