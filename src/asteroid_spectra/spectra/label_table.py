"""The labels CSV of a researcher's own spectra: its columns, read and checked.

One row per spectrum:

``file`` (required)
    The spectrum's file: a name relative to the data folder, or a path (absolute, or
    relative to the folder).
``class`` (required; or the taxonomy's own column)
    The spectrum's class in the taxonomy it is read for: a Bus class (``bus``, column
    ``class`` or ``bus_class``), a Bus-DeMeo class (``demeo``: ``class`` or
    ``demeo_class``, a trailing ``w`` allowed) or a Tholen class (``tholen``: ``class``
    or ``tholen_class``); the classes of :mod:`asteroid_spectra.schema`.
``object_id`` or ``object`` (optional)
    The asteroid observed. Spectra of one asteroid are kept in one cross-validation fold;
    without the column (or for an empty cell) each spectrum is its own asteroid.

Other columns are kept. Column names are matched case-insensitively, cells stripped.
The spectra themselves are read by :mod:`~asteroid_spectra.spectra.labelled`.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.exceptions import DataError, ParameterError, ParseError

__all__ = [
    "CLASS_COLUMN",
    "FILE_COLUMN",
    "OBJECT_COLUMNS",
    "SHOWN",
    "TAXONOMY_COLUMNS",
    "known_classes",
    "read_labels",
    "shortlist",
]

FILE_COLUMN = schema.FILE
"""Column of the labels CSV naming each spectrum's file."""

CLASS_COLUMN = "class"
"""Column of the labels CSV with each spectrum's class (or :data:`TAXONOMY_COLUMNS`)."""

TAXONOMY_COLUMNS = MappingProxyType(
    {"bus": schema.BUS_CLASS, "demeo": schema.DEMEO_CLASS, "tholen": schema.THOLEN_CLASS}
)
"""Taxonomy → the column name that may stand for :data:`CLASS_COLUMN`."""

OBJECT_COLUMNS = (schema.OBJECT_ID, "object")
"""Columns that may name the asteroid (one of them, optional)."""

SHOWN = 5
"""Names :func:`shortlist` shows before "and N more"."""


def shortlist(names: list[str]) -> str:
    """Return the first :data:`SHOWN` of `names`, comma-separated, and how many more.

    Examples
    --------
    >>> shortlist(["a", "b"]), shortlist(list("abcdefg"))
    ('a, b', 'a, b, c, d, e and 2 more')
    """
    shown = ", ".join(names[:SHOWN])
    return shown if len(names) <= SHOWN else f"{shown} and {len(names) - SHOWN} more"


def known_classes(taxonomy: str) -> tuple[str, ...]:
    """Return the class labels of `taxonomy` a labels CSV may use.

    Examples
    --------
    >>> known_classes("tholen")[:4]
    ('B', 'C', 'F', 'G')
    >>> "Sqw" in known_classes("demeo")
    True
    """
    if taxonomy == "bus":
        return tuple(schema.BUS_CLASSES)
    if taxonomy == "demeo":
        return tuple(c for base in schema.DEMEO_CLASSES for c in (base, f"{base}w"))
    if taxonomy == "tholen":
        return tuple(schema.THOLEN_CLASSES)
    raise ParameterError(
        f"The 'taxonomy' parameter must be one of {', '.join(TAXONOMY_COLUMNS)}. "
        f"Got {taxonomy!r} instead."
    )


def _one_of(frame: pd.DataFrame, names: tuple[str, ...], what: str, path: Path) -> str | None:
    """Return the one of the columns `names` that `frame` has (None if none)."""
    present = [c for c in names if c in frame.columns]
    if len(present) > 1:
        raise ParseError(
            f"expected one {what} column, got {' and '.join(map(repr, present))}; keep one",
            path=path,
        )
    return present[0] if present else None


def _class_column(frame: pd.DataFrame, taxonomy: str, path: Path) -> str:
    own = TAXONOMY_COLUMNS[taxonomy]
    column = _one_of(frame, (CLASS_COLUMN, own), "class", path)
    if column is not None:
        return column
    others = [t for t, c in TAXONOMY_COLUMNS.items() if c in frame.columns]
    advice = (
        f"; it has {TAXONOMY_COLUMNS[others[0]]!r}: read it for the {others[0]} taxonomy "
        f"(--target {others[0]})"
        if others
        else f"; add a {CLASS_COLUMN!r} column with each spectrum's {taxonomy} class"
    )
    raise ParseError(
        f"expected a {CLASS_COLUMN!r} (or {own!r}) column of {taxonomy} classes; got the "
        f"columns {', '.join(map(repr, frame.columns))}{advice}",
        path=path,
    )


def read_labels(labels_csv: str | Path, *, taxonomy: str = "bus") -> pd.DataFrame:
    """Read and check a labels CSV (module docstring).

    Parameters
    ----------
    labels_csv : str or Path
        The CSV file (header row; column names are matched case-insensitively).
    taxonomy : {"bus", "demeo", "tholen"}
        The taxonomy of the classes.

    Returns
    -------
    DataFrame
        ``file``, ``object_id`` (the file where not given), the taxonomy's class column
        (e.g. ``bus_class``) and the other columns, one row per spectrum, as strings.

    Raises
    ------
    DataError
        If the file does not exist or cannot be read.
    ParseError
        If it is not a CSV with a header, lacks the ``file`` or class column, lists a
        file twice, has an empty cell in them, or a class unknown to the taxonomy.
    """
    known = known_classes(taxonomy)
    path = Path(labels_csv)
    if not path.is_file():
        raise DataError(
            f"The labels file {path} does not exist (or is not a file); expected a CSV with "
            f"the columns {FILE_COLUMN!r} and {CLASS_COLUMN!r}. Check the --labels path."
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ParseError(
            f"expected a CSV table with a header row; could not parse it ({error})", path=path
        ) from None
    except OSError as error:
        raise DataError(f"Cannot read the labels file {path}: {error}.") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = frame.apply(lambda column: column.str.strip())
    if FILE_COLUMN not in frame.columns:
        raise ParseError(
            f"expected a {FILE_COLUMN!r} column naming each spectrum's file; got the columns "
            f"{', '.join(map(repr, frame.columns))}",
            path=path,
        )
    class_column = _class_column(frame, taxonomy, path)
    if frame.empty:
        raise ParseError("expected one row per spectrum; the table has none", path=path)
    for column in (FILE_COLUMN, class_column):
        empty = np.flatnonzero(frame[column].to_numpy() == "")
        if empty.size:
            rows = shortlist([str(i + 1) for i in empty])
            raise ParseError(f"empty {column!r} in data row(s) {rows}; fill them in", path=path)
    repeated = frame[FILE_COLUMN][frame[FILE_COLUMN].duplicated()].unique().tolist()
    if repeated:
        raise ParseError(
            f"each file must be listed once; listed more than once: {shortlist(repeated)}",
            path=path,
        )
    unknown = frame[~frame[class_column].isin(known)]
    if not unknown.empty:
        shown = [
            f"{c!r} ({f})" for f, c in zip(unknown[FILE_COLUMN], unknown[class_column], strict=True)
        ]
        raise ParseError(
            f"unknown {taxonomy} class(es) {shortlist(shown)}; expected one of {', '.join(known)}",
            path=path,
        )
    asteroid = _one_of(frame, OBJECT_COLUMNS, "asteroid", path)
    identity = pd.Series("", index=frame.index) if asteroid is None else frame.pop(asteroid)
    frame.insert(1, schema.OBJECT_ID, identity.where(identity != "", frame[FILE_COLUMN]))
    renamed: pd.DataFrame = frame.rename(columns={class_column: TAXONOMY_COLUMNS[taxonomy]})
    return renamed
