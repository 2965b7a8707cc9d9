"""What a report is made of: sections holding numbers, tables and embedded figures."""

from __future__ import annotations

import base64
import io
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Figure", "Section", "Table", "png"]


@dataclass
class Figure:
    """A static figure embedded in the report as a base64 PNG."""

    title: str
    caption: str
    png_base64: str


@dataclass
class Table:
    """A small table: column names and rows of cells (already formatted)."""

    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    """One stage of the study as it appears in the report.

    Attributes
    ----------
    key, title : str
        Identifier (HTML anchor, ``results.json`` key) and heading.
    summary : str
        Two sentences: what the section shows and what it finds.
    status : {"ok", "failed"}
        Whether the stage ran.
    numbers : dict
        Every number of the stage (JSON-ready), for ``results.json``.
    tables, figures : list
        What the HTML shows.
    error : str, optional
        The failure, for a failed stage.
    seconds : float
        Run time of the stage (0 when reused from the cache).
    cached : bool
        Whether the result was reused from a previous run.
    """

    key: str
    title: str
    summary: str = ""
    status: str = "ok"
    numbers: dict[str, Any] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (figures included)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["tables"] = [Table(**t) for t in values.get("tables", [])]
        values["figures"] = [Figure(**f) for f in values.get("figures", [])]
        return cls(**values)


def png(figure: Any, title: str, caption: str, dpi: int = 110) -> Figure:
    """Render a matplotlib figure to an embeddable :class:`Figure`."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return Figure(title, caption, base64.b64encode(buffer.getvalue()).decode("ascii"))
