"""Plain-text tables of the sources: reading them, the junk rules, the long table.

Shared by the sources of surveys published as one small text table per spectrum
(:mod:`.smass1`, :mod:`.smassir`, :mod:`.primass_l`, :mod:`.irtf_spex`):
:func:`read_spectrum` reads whitespace-separated numeric columns (CR, LF or CRLF line
endings; errors name the file and line), :class:`JunkRules` drops and counts the samples
no spectrum should hold (non-finite values, the fill values ``-1`` and ``-999999``,
all-zero padding rows, non-positive wavelengths or reflectances — telluric residuals at
band edges — and exact duplicates), and :func:`long_table` builds the tidy table of
:mod:`~asteroid_spectra.schema`'s columns. :func:`read_csv_fields` and
:func:`numeric_column` read the CSV tables (:mod:`.ecas`, :mod:`.tholen1984`,
:mod:`.demeo2009`) with the line of any bad field in the error.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.designations import Designation
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = [
    "ANGSTROM_RANGE",
    "FILL_VALUES",
    "MICRON_RANGE",
    "JunkRules",
    "check_micron",
    "count_files",
    "fail_at",
    "identity",
    "listing",
    "long_table",
    "numeric_column",
    "read_csv_fields",
    "read_spectrum",
    "read_text",
    "summary",
    "typed",
]

FloatArray = npt.NDArray[np.float64]
LineArray = npt.NDArray[np.intp]

FILL_VALUES: Final = (-1.0, -999999.0)
"""Values the PDS4 tables and some spectra use for "missing"."""

MICRON_RANGE: Final = (0.1, 6.0)
"""Wavelengths (µm) an asteroid reflectance spectrum can have (as spectra.units)."""

ANGSTROM_RANGE: Final = (2500.0, 60000.0)
"""Wavelengths read as Å (as spectra.units.guess_unit)."""


def read_text(path: Path, where: str, encoding: str = "ascii") -> str:
    """Return the text of a registered file; any line ending (LF, CRLF, CR) is fine.

    Raises
    ------
    DataError
        If the file cannot be read.
    ParseError
        If it is not text in `encoding`.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(
            f"Cannot read {where} at {path} ({error}); fetch its collection again."
        ) from error
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ParseError(f"expected {encoding} text ({error})", path=where) from None


def _columns(text: str, where: str, widths: Collection[int]) -> tuple[FloatArray, LineArray]:
    """Numbers of each non-blank line (all lines as wide as the first) and line numbers."""
    expected = " or ".join(str(width) for width in sorted(widths))
    rows: list[list[float]] = []
    numbers: list[int] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        try:
            row = [float(value) for value in fields]
        except ValueError:
            raise ParseError(
                f"expected {expected} numbers separated by whitespace, got {line!r}",
                path=where,
                line=lineno,
            ) from None
        if (not rows and len(row) not in widths) or (rows and len(row) != len(rows[0])):
            width = expected if not rows else f"{len(rows[0])} (as line {numbers[0]})"
            raise ParseError(f"expected {width} numbers, got {line!r}", path=where, line=lineno)
        rows.append(row)
        numbers.append(lineno)
    if not rows:
        raise ParseError(f"expected lines of {expected} numbers, got no data", path=where)
    values = np.array(rows, dtype=np.float64)
    if values.shape[1] < 3:
        values = np.column_stack([values, np.full(len(values), np.nan)])
    return values[:, :3], np.array(numbers, dtype=np.intp)


_REASONS: Final = (
    "non-finite samples",
    "samples with fill values (-1, -999999)",
    "all-zero padding rows",
    "non-positive wavelength samples",
    "non-positive reflectance samples",
    "exact duplicate samples",
)


@dataclass
class JunkRules:
    """Drop junk samples of one survey's spectra and count them for the notes.

    A sample (wavelength, reflectance, error) is dropped, counted under the first rule
    that applies: a non-finite wavelength or reflectance; a wavelength or reflectance
    equal to a fill value (:data:`FILL_VALUES`); an all-zero row (padding); a
    non-positive wavelength; a non-positive reflectance; a repeat of an earlier identical
    sample. An error that is a fill value, not finite or not positive is not an error bar:
    it becomes NaN and the sample is kept. Nothing else is changed.

    Attributes
    ----------
    explanations : Mapping
        Reason (e.g. ``"non-positive reflectance samples"``) → why the survey has them,
        appended to the note in parentheses.
    dropped : dict
        Reason → {file → samples dropped}.
    errors : dict
        File → errors set to NaN.
    skipped : list of str
        Files left with fewer than 2 samples.
    """

    explanations: Mapping[str, str] = field(default_factory=dict)
    dropped: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def clean(
        self, values: FloatArray, lines: LineArray, where: str
    ) -> tuple[FloatArray, LineArray]:
        """Return `values` (n, 3) and their line numbers without the junk samples."""
        wavelength, reflectance, error = values[:, 0], values[:, 1], values[:, 2]
        rules = [
            ~(np.isfinite(wavelength) & np.isfinite(reflectance)),
            np.isin(wavelength, FILL_VALUES) | np.isin(reflectance, FILL_VALUES),
            (wavelength == 0) & (reflectance == 0) & (np.nan_to_num(error) == 0),
            wavelength <= 0,
            reflectance <= 0,
        ]
        keep = np.ones(len(values), dtype=bool)
        for reason, rule in zip(_REASONS, rules, strict=False):
            self._count(reason, where, int((rule & keep).sum()))
            keep &= ~rule
        rows = np.flatnonzero(keep)
        _, first = np.unique(np.nan_to_num(values[rows], nan=np.inf), axis=0, return_index=True)
        unique = rows[np.sort(first)]
        self._count(_REASONS[-1], where, len(rows) - len(unique))
        values, lines = values[unique].copy(), lines[unique]
        bad_error = ~np.isnan(values[:, 2]) & ~(np.isfinite(values[:, 2]) & (values[:, 2] > 0))
        if bad_error.any():
            self.errors[where] = int(bad_error.sum())
            values[bad_error, 2] = np.nan
        return values, lines

    def _count(self, reason: str, where: str, count: int) -> None:
        if count:
            self.dropped.setdefault(reason, {})[where] = count

    def notes(self) -> list[str]:
        """One note per rule that dropped samples, in the order of the rules."""
        notes = []
        for reason in _REASONS:
            files = self.dropped.get(reason)
            if files:
                why = self.explanations.get(reason)
                notes.append(
                    f"dropped {sum(files.values())} {reason} in {count_files(len(files))}"
                    + (f" ({why})" if why else "")
                    + f": {listing(files)}"
                )
        if self.errors:
            notes.append(
                f"set {sum(self.errors.values())} errors to NaN in {count_files(len(self.errors))} "
                f"(fill values or not positive: no error bar): {listing(self.errors)}"
            )
        if self.skipped:
            notes.append(
                f"skipped {count_files(len(self.skipped))} with fewer than 2 usable samples: "
                f"{listing(self.skipped)}"
            )
        return notes


def count_files(count: int) -> str:
    """``"1 file"``, ``"12 files"``."""
    return f"{count} file{'s' if count != 1 else ''}"


def listing(names: Collection[str], limit: int = 10) -> str:
    """Return the first `limit` names, comma-separated, then how many more."""
    names = list(names)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def read_spectrum(
    path: Path, where: str, widths: Collection[int], rules: JunkRules
) -> tuple[FloatArray, LineArray] | None:
    """Read one text spectrum: whitespace-separated columns, one sample a line.

    Parameters
    ----------
    path : Path
        The file.
    where : str
        Its registered name, used in notes and errors.
    widths : collection of int
        Accepted numbers of columns (wavelength, reflectance[, error]).
    rules : JunkRules
        Drops the junk samples and counts them.

    Returns
    -------
    (values, lines) or None
        Array (n, 3) of wavelength (unit as published), reflectance and error (NaN when
        absent), and the 1-based line of each sample; None (noted in `rules`) if fewer
        than 2 samples are left.

    Raises
    ------
    ParseError
        If a line is not numbers, or the wavelengths do not increase.
    """
    values, lines = _columns(read_text(path, where), where, widths)
    values, lines = rules.clean(values, lines, where)
    if len(values) < 2:
        rules.skipped.append(where)
        return None
    steps = np.flatnonzero(np.diff(values[:, 0]) <= 0)
    if steps.size:
        at = steps[0] + 1
        raise ParseError(
            f"expected increasing wavelengths, got {values[at, 0]:g} after {values[at - 1, 0]:g}",
            path=where,
            line=int(lines[at]),
        )
    return values, lines


def check_micron(values: FloatArray, lines: LineArray, where: str) -> None:
    """Raise :class:`ParseError` at the first wavelength outside 0.1-6 µm."""
    outside = np.flatnonzero((values[:, 0] < MICRON_RANGE[0]) | (values[:, 0] > MICRON_RANGE[1]))
    if outside.size:
        raise ParseError(
            f"expected wavelengths in µm ({MICRON_RANGE[0]:g}-{MICRON_RANGE[1]:g}), got "
            f"{values[outside[0], 0]:g}",
            path=where,
            line=int(lines[outside[0]]),
        )


def identity(survey: str, designation: Designation) -> dict[str, Any]:
    """Return the identity columns (:data:`~asteroid_spectra.schema.IDENTITY_COLUMNS`) of a row."""
    return {
        schema.SURVEY: survey,
        schema.OBJECT_ID: designation.object_id,
        schema.NUMBER: designation.number,
        schema.NAME: designation.name,
        schema.DESIGNATION: designation.provisional,
    }


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable Int64 numbers, string text columns; floats and booleans as they are."""
    frame = frame.copy()
    for column in frame.columns:
        if column == schema.NUMBER:
            frame[column] = frame[column].astype("Int64")
        elif frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype("string")
    return frame


def long_table(spectra: Sequence[tuple[Mapping[str, Any], FloatArray]]) -> pd.DataFrame:
    """One row per sample: each spectrum's columns repeated, then the sample columns.

    Spectra are ordered numbered first (by number), then by designation, then by file.
    """
    order = sorted(
        spectra,
        key=lambda item: (
            item[0][schema.NUMBER] is None,
            item[0][schema.NUMBER] or 0,
            item[0][schema.DESIGNATION] or "",
            item[0][schema.FILE],
        ),
    )
    meta = pd.DataFrame([row for row, _ in order])
    lengths = np.array([len(values) for _, values in order], dtype=np.intp)
    stacked = np.concatenate([values for _, values in order])
    frame = meta.loc[meta.index.repeat(lengths)].reset_index(drop=True)
    frame[schema.WAVELENGTH] = stacked[:, 0]
    frame[schema.REFLECTANCE] = stacked[:, 1]
    frame[schema.ERROR] = stacked[:, 2]
    return typed(frame)


def summary(frame: pd.DataFrame) -> str:
    """``"316 spectra of 316 asteroids, 0.4169-1.0172 µm"``."""
    return (
        f"{frame[schema.FILE].nunique()} spectra of {frame[schema.OBJECT_ID].nunique()} "
        f"asteroids, {frame[schema.WAVELENGTH].min():g}-{frame[schema.WAVELENGTH].max():g} µm"
    )


def read_csv_fields(text: str, header: tuple[str, ...], where: str) -> pd.DataFrame:
    """Read a CSV text whose first line must be `header` into strings indexed by line.

    Raises
    ------
    ParseError
        If the header differs or a line has another number of fields.
    """
    lines = text.splitlines()
    found = next(csv.reader(lines[:1]), [])
    if tuple(found) != header:
        raise ParseError(
            f"expected the header {','.join(header)}; got {','.join(found) or 'nothing'}",
            path=where,
            line=1,
        )
    rows, numbers = [], []
    for line, fields in enumerate(csv.reader(lines[1:]), 2):
        if not fields:
            continue
        if len(fields) != len(header):
            raise ParseError(
                f"expected {len(header)} comma-separated fields, got {len(fields)}",
                path=where,
                line=line,
            )
        rows.append([field.strip() for field in fields])
        numbers.append(line)
    return pd.DataFrame(rows, columns=list(header), index=numbers, dtype=object)


def numeric_column(
    fields: pd.DataFrame, column: str, where: str, *, integer: bool = False
) -> pd.Series:
    """Column `column` of :func:`read_csv_fields` as floats (empty → NaN).

    Raises
    ------
    ParseError
        Naming the line of the first field that is not a number (an integer if `integer`).
    """
    text = fields[column].astype(str)
    values = pd.to_numeric(text.where(text != ""), errors="coerce").astype(np.float64)
    bad = values.isna() & (text != "")
    if integer:
        bad |= values.notna() & (values % 1 != 0)
    fail_at(fields, bad, column, "an integer" if integer else "a number", where)
    return values


def fail_at(fields: pd.DataFrame, bad: pd.Series, column: str, expected: str, where: str) -> None:
    """Raise a ParseError naming the first line where `bad` holds, if any."""
    if bad.any():
        line = int(fields.index.to_numpy()[bad.to_numpy(bool)][0])
        raise ParseError(
            f"expected {expected} in column {column!r}, got {fields.loc[line, column]!r}",
            path=where,
            line=line,
        )
