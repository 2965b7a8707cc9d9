"""The Tholen (1984) taxonomy: classes and ECAS principal-component scores of 404 asteroids.

Parses ``scores.csv`` (``AST_NUMBER, AST_NAME, PC1 … PC7, NOTE, name, number, class_``)
into the ``classes`` table. PC1-PC7 are the scores of the asteroid's seven ECAS colours
(:mod:`~asteroid_spectra.data.sources.ecas`) on Tholen's principal components; ``class_``
is the class he published, kept as published in ``tholen_class``.

Tholen's notation (Tholen 1984; Tholen 1989; Tholen & Barucci 1989):

- one letter (A, B, C, D, E, F, G, M, P, Q, R, S, T, V) is an unambiguous class; X stands
  for "E, M or P", the classes only the albedo separates (Tholen 1989; the thesis wrote
  EMP, which Tholen 1989 replaced because it read as an order of likelihood);
- two or three letters (``CF``, ``XC``, ``TSD``) mean the colours lie between clusters:
  the object could belong to any of them, the letters in order of decreasing likelihood,
  so the first is the preferred class;
- a trailing ``U`` flags an unusual spectrum, far from the centre of its cluster (``SU``,
  ``XFU``); it is a flag, not a class.

The parsed columns ``tholen_primary`` (the first letter), ``tholen_ambiguous`` (more than
one class letter) and ``tholen_unusual`` (U flag) follow this notation. The noise flags of
the 1989 list (``:``, ``::``, ``I``) do not occur in this file and are refused.

References
----------
Tholen, D. J. (1984). Asteroid taxonomy from cluster analysis of photometry. PhD thesis,
University of Arizona.
Tholen, D. J. (1989). Asteroid taxonomic classifications. In Asteroids II (R. P. Binzel,
T. Gehrels & M. S. Matthews, eds.), 1139-1150. University of Arizona Press.
Tholen, D. J. & Barucci, M. A. (1989). Asteroid taxonomy. In Asteroids II, 298-315.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.designations import parse_label
from asteroid_spectra.data.registry import THOLEN_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.text_tables import (
    fail_at,
    numeric_column,
    read_csv_fields,
    read_text,
)
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = [
    "HEADER",
    "SCORES",
    "THOLEN1984",
    "THOLEN_CLASSES",
    "Tholen1984Source",
    "TholenClass",
    "parse_scores",
    "parse_tholen_class",
]

SCORES = "tholen1984/scores.csv"

HEADER = (
    "AST_NUMBER",
    "AST_NAME",
    *(f"PC{i}" for i in range(1, 8)),
    *("NOTE", "name", "number", "class_"),
)
"""Columns of ``scores.csv``, in order."""

THOLEN_CLASSES = schema.THOLEN_CLASSES
"""The Tholen (1984) classes, X standing for E, M or P without an albedo."""

THOLEN_PRIMARY = "tholen_primary"
THOLEN_AMBIGUOUS = "tholen_ambiguous"
THOLEN_UNUSUAL = "tholen_unusual"

_NOTATION = re.compile(rf"^([{''.join(THOLEN_CLASSES)}]{{1,4}})(U?)$")


@dataclass(frozen=True)
class TholenClass:
    """A Tholen class string split into its parts.

    Attributes
    ----------
    published : str
        The class as published (``"XFU"``).
    classes : tuple of str
        The class letters, most likely first (``("X", "F")``).
    unusual : bool
        Whether the U flag (unusual spectrum) is set.
    """

    published: str
    classes: tuple[str, ...]
    unusual: bool

    @property
    def primary(self) -> str:
        """The preferred class: the first letter."""
        return self.classes[0]

    @property
    def ambiguous(self) -> bool:
        """Whether more than one class is given."""
        return len(self.classes) > 1


def parse_tholen_class(text: str) -> TholenClass:
    """Split a Tholen (1984) class such as ``"S"``, ``"CX"`` or ``"XFU"`` into its parts.

    Raises
    ------
    ParseError
        If `text` is not one to four distinct class letters of :data:`THOLEN_CLASSES`,
        optionally followed by ``U``.

    Examples
    --------
    >>> parse_tholen_class("XFU")
    TholenClass(published='XFU', classes=('X', 'F'), unusual=True)
    >>> parse_tholen_class("CX").ambiguous
    True
    >>> parse_tholen_class("SU").primary, parse_tholen_class("SU").ambiguous
    ('S', False)
    """
    match = _NOTATION.match(text.strip())
    if match is None or len(set(match.group(1))) != len(match.group(1)):
        raise ParseError(
            f"expected a Tholen class: 1-4 distinct letters of {''.join(THOLEN_CLASSES)} "
            f"with an optional U flag (e.g. 'S', 'CX', 'XFU'), got {text!r}"
        )
    return TholenClass(text.strip(), tuple(match.group(1)), match.group(2) == "U")


def parse_scores(text: str, where: str = SCORES) -> ParsedTable:
    """Parse ``scores.csv`` (columns :data:`HEADER`) into one row per asteroid.

    Returns
    -------
    ParsedTable
        Columns: identity columns, ``pc1`` … ``pc7`` (float), ``note`` (Int64; the 0 of
        "no note" is missing), ``tholen_class`` (as published), ``tholen_primary``,
        ``tholen_ambiguous`` and ``tholen_unusual``.

    Raises
    ------
    ParseError
        If the header, a score, a number, an identity or a class is malformed, a score is
        missing, or an asteroid is listed twice.
    """
    fields = read_csv_fields(text, HEADER, where)
    if fields.empty:
        raise ParseError("expected one row per asteroid after the header, got none", path=where)
    number = numeric_column(fields, "number", where, integer=True)
    fail_at(fields, number.isna(), "number", "an asteroid number", where)
    ast_number = numeric_column(fields, "AST_NUMBER", where, integer=True)
    fail_at(fields, ast_number != number, "AST_NUMBER", "the value of 'number'", where)
    rows: list[dict[str, Any]] = []
    for line, value, name, published in zip(
        fields.index, number, fields["name"], fields["class_"], strict=True
    ):
        try:
            designation = parse_label(f"{int(value)} {name}".strip())
            tholen = parse_tholen_class(published)
        except ParseError as error:
            raise ParseError(str(error), path=where, line=line) from None
        rows.append(
            {
                schema.SURVEY: "tholen1984",
                schema.OBJECT_ID: designation.object_id,
                schema.NUMBER: designation.number,
                schema.NAME: designation.name,
                schema.DESIGNATION: designation.provisional,
                schema.THOLEN_CLASS: tholen.published,
                THOLEN_PRIMARY: tholen.primary,
                THOLEN_AMBIGUOUS: tholen.ambiguous,
                THOLEN_UNUSUAL: tholen.unusual,
            }
        )
    frame = pd.DataFrame(rows, index=fields.index)
    fail_at(fields, frame[schema.OBJECT_ID].duplicated(), "number", "each asteroid once", where)
    for i in range(1, 8):
        score = numeric_column(fields, f"PC{i}", where)
        fail_at(fields, score.isna(), f"PC{i}", "a score", where)
        frame.insert(5 + i - 1, f"pc{i}", score)
    note = numeric_column(fields, "NOTE", where, integer=True)
    frame.insert(12, "note", note.where(note != 0).astype("Int64"))
    frame = frame.reset_index(drop=True)
    for column in (*schema.IDENTITY_COLUMNS, schema.THOLEN_CLASS, THOLEN_PRIMARY):
        frame[column] = frame[column].astype("Int64" if column == schema.NUMBER else "string")
    counts = frame[schema.THOLEN_CLASS].value_counts()
    notes = [
        f"{len(frame)} asteroids in {len(counts)} published classes "
        f"({int(frame[THOLEN_AMBIGUOUS].sum())} ambiguous, "
        f"{int(frame[THOLEN_UNUSUAL].sum())} U-flagged)",
        "classes: " + ", ".join(f"{name} {count}" for name, count in counts.items()),
    ]
    return ParsedTable(frame, notes)


@dataclass(frozen=True)
class Tholen1984Source:
    """The Tholen (1984) taxonomy as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "tholen1984"
    title: str = "Tholen (1984) asteroid taxonomy from ECAS photometry"
    citation: str = THOLEN_CITATION
    version: int = 1
    tables: tuple[str, ...] = ("classes",)

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse ``scores.csv`` into the ``classes`` table (:func:`parse_scores`)."""
        if SCORES not in paths:
            raise DataError(
                f"Tholen (1984) needs {SCORES}; it was not given. Fetch it: "
                "asteroid-spectra fetch tholen1984."
            )
        return {"classes": parse_scores(read_text(paths[SCORES], SCORES, "UTF-8"), where=SCORES)}


THOLEN1984 = Tholen1984Source()
"""The Tholen (1984) source."""
