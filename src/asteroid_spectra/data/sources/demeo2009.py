"""The Bus-DeMeo taxonomy (DeMeo et al. 2009): spectra, classes, scores and templates.

Parses the three files classy archives for the taxonomy:

- ``demeo2009_splined_spectra.csv``: one splined vis-NIR spectrum a row on the 41-point
  grid :data:`~asteroid_spectra.schema.DEMEO_WAVELENGTH` (columns ``0.45`` … ``2.45``, µm),
  normalised to 1 at 0.55 µm, then ``name``, ``number`` (empty if unnumbered) and the
  class ``class_``. The file holds 372 spectra (the paper: 371 asteroids), two pairs of
  them identical value for value (3753 Cruithne and 3788 Steyaert, 78 Diana and 82
  Alkmene) although their classes and scores differ: a copy error upstream, kept as
  published and named in the notes.
- ``scores.csv``: ``designation`` (at the time of the paper), the Bus class ``class_bus``,
  ``class_demeo``, ``slope`` and PC1'-PC5' scores, ``name``, ``number``, ``class_``, for 362
  asteroids. ``class_`` equals the spectra file's class for all of them and is the
  published class (it has, as the paper, 3628 Boznemcova as the only O and eight Q-types,
  all near-Earth asteroids); ``class_demeo`` differs for 33 asteroids (e.g. 5143 Heracles
  O, 15 Eunomia Sq) and is kept as ``scores_class_demeo``. ``class_bus`` is empty where
  there is no Bus class and spells Sl as ``SI`` (8 asteroids that Bus & Binzel 2002 list
  as Sl): read as Sl, with a note.
- ``templates.csv``: mean spectrum and 1-sigma spread per class on the same grid (columns
  ``wave``, ``<class>_Mean``, ``<class>_Sigma``), σ -0.999 (single-member classes Cg, O, R)
  being missing. It has 25 classes: the 24 of DeMeo et al. (2009) and Xn, not a class of
  the paper (X-types with a narrow 0.9 µm band, used in later work such as Binzel et al.
  2019), whose sigma is 0.05 at every wavelength: a placeholder, kept as published.

A class is one of :data:`DEMEO_CLASSES` (or Xn), optionally followed by ``w``, the
notation of DeMeo et al. (2009) for a spectrum redder than its class (space weathering).

References
----------
DeMeo, F. E., Binzel, R. P., Slivan, S. M. & Bus, S. J. (2009). An extension of the Bus
asteroid taxonomy into the near-infrared. Icarus 202, 160-180.
Binzel, R. P. et al. (2019). Compositional distributions and evolutionary processes for
the near-Earth object population: Results from the MIT-Hawaii Near-Earth Object
Spectroscopic Survey (MITHNEOS). Icarus 324, 41-76.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.designations import Designation, normalise_provisional, parse_label
from asteroid_spectra.data.registry import DEMEO_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.text_tables import (
    fail_at,
    numeric_column,
    read_csv_fields,
    read_text,
)
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = [
    "DEMEO2009",
    "DEMEO_CLASSES",
    "SCORES",
    "SPECTRA",
    "TEMPLATES",
    "DeMeo2009Source",
    "parse_scores",
    "parse_spectra",
    "parse_templates",
]

SPECTRA = "demeo2009/demeo2009_splined_spectra.csv"
SCORES = "demeo2009/scores.csv"
TEMPLATES = "demeo2009/templates.csv"

DEMEO_CLASSES = tuple(c for c in schema.DEMEO_CLASSES if c != "Xn")
"""The 24 classes of DeMeo et al. (2009) (:data:`~asteroid_spectra.schema.DEMEO_CLASSES`
without Xn)."""

XN = "Xn"
"""The template class that is not one of the 24 of DeMeo et al. (2009)."""

_CLASS = re.compile(rf"^({'|'.join(sorted((*DEMEO_CLASSES, XN), key=len, reverse=True))})(w?)$")
_GRID = tuple(f"{w:.2f}" for w in schema.DEMEO_WAVELENGTH)
SPECTRA_HEADER = (*_GRID, "name", "number", "class_")
SCORE_COLUMNS = ("slope", *(f"PC{i}" for i in range(1, 6)))
SCORES_HEADER = (
    "designation",
    "class_bus",
    "class_demeo",
    *SCORE_COLUMNS,
    "name",
    "number",
    "class_",
)
MISSING_SIGMA = -0.999
SCORES_CLASS = "scores_class_demeo"
_FILE = SPECTRA.removeprefix("demeo2009/")


def _split(text: str) -> str:
    match = _CLASS.match(text)
    if match is None:
        raise ParseError(
            f"expected a Bus-DeMeo class ({', '.join(DEMEO_CLASSES)} or {XN}, optionally "
            f"followed by 'w'), got {text!r}"
        )
    return match.group(1)


def _designations(
    fields: pd.DataFrame, where: str, numbers: pd.Series | None = None
) -> list[Designation]:
    """Identity of each row from its ``number`` (may be empty) and ``name`` fields."""
    if numbers is None:
        numbers = numeric_column(fields, "number", where, integer=True)
    found = []
    for line, number, name in zip(fields.index, numbers, fields["name"], strict=True):
        label = name if np.isnan(number) else f"{int(number)} {name}".strip()
        try:
            found.append(parse_label(label))
        except ParseError as error:
            raise ParseError(str(error), path=where, line=line) from None
    return found


def _classes(fields: pd.DataFrame, column: str, where: str) -> pd.Series:
    """Column `column` checked to hold Bus-DeMeo classes."""
    for line, text in zip(fields.index, fields[column], strict=True):
        try:
            _split(text)
        except ParseError as error:
            raise ParseError(str(error), path=where, line=line) from None
    return fields[column].astype("string")


def _identity(designation: Designation) -> dict[str, Any]:
    return {
        schema.SURVEY: "demeo2009",
        schema.OBJECT_ID: designation.object_id,
        schema.NUMBER: designation.number,
        schema.NAME: designation.name,
        schema.DESIGNATION: designation.provisional,
    }


def _frame(designations: list[Designation], fields: pd.DataFrame, where: str) -> pd.DataFrame:
    frame = pd.DataFrame([_identity(d) for d in designations], index=fields.index)
    twice = frame[schema.OBJECT_ID].duplicated()
    fail_at(fields, twice, "number", "each asteroid once", where)
    for column in schema.IDENTITY_COLUMNS:
        frame[column] = frame[column].astype("Int64" if column == schema.NUMBER else "string")
    return frame


def parse_spectra(text: str, where: str = SPECTRA) -> tuple[pd.DataFrame, npt.NDArray[np.float64]]:
    """Parse ``demeo2009_splined_spectra.csv``.

    Returns
    -------
    objects : DataFrame
        One row per spectrum: identity columns, ``file`` (``<file name>:<line>``) and
        ``demeo_class``.
    reflectance : ndarray, shape (n, 41)
        Reflectance on :data:`~asteroid_spectra.schema.DEMEO_WAVELENGTH`, 1 at 0.55 µm.

    Raises
    ------
    ParseError
        If the header, a value, an identity or a class is malformed, a reflectance is not
        positive, a spectrum is not normalised at 0.55 µm, or an asteroid is listed twice.
    """
    fields = read_csv_fields(text, SPECTRA_HEADER, where)
    if fields.empty:
        raise ParseError("expected one spectrum per line after the header, got none", path=where)
    columns = [numeric_column(fields, column, where) for column in _GRID]
    for column, values in zip(_GRID, columns, strict=True):
        fail_at(fields, ~(values > 0), column, "a positive reflectance", where)
    at_055 = columns[_GRID.index("0.55")]
    fail_at(fields, (at_055 - 1).abs() > 1e-3, "0.55", "1 (normalised at 0.55 µm)", where)
    objects = _frame(_designations(fields, where), fields, where)
    objects[schema.FILE] = pd.array([f"{_FILE}:{line}" for line in fields.index], "string")
    objects[schema.DEMEO_CLASS] = _classes(fields, "class_", where)
    return objects.reset_index(drop=True), np.column_stack(columns)


def parse_scores(text: str, where: str = SCORES) -> ParsedTable:
    """Parse ``scores.csv`` into one row per asteroid.

    Returns
    -------
    ParsedTable
        Columns: identity columns, ``bus_class`` (missing where empty; ``SI`` read as
        ``Sl``), ``scores_class_demeo`` (the file's ``class_demeo``), ``demeo_class`` (its
        ``class_``), ``slope`` and ``pc1`` … ``pc5``.

    Raises
    ------
    ParseError
        If the header, a score, an identity or a Bus-DeMeo class is malformed, the
        ``designation`` contradicts the number and name, or an asteroid is listed twice.
    """
    fields = read_csv_fields(text, SCORES_HEADER, where)
    numbers = numeric_column(fields, "number", where, integer=True)
    designations = _designations(fields, where, numbers)
    for line, text_id, found in zip(fields.index, fields["designation"], designations, strict=True):
        provisional = normalise_provisional(text_id)
        if text_id != str(found.number) and (
            provisional is None or provisional != found.provisional
        ):
            raise ParseError(
                f"expected the designation {text_id!r} to be the number or the provisional "
                f"designation of {found.object_id!r}",
                path=where,
                line=line,
            )
    frame = _frame(designations, fields, where)
    bus = fields["class_bus"].replace({"": None, "SI": "Sl"})
    known = bus.isna() | bus.isin(schema.BUS_CLASSES)
    frame[schema.BUS_CLASS] = bus.where(known).astype("string")
    frame[SCORES_CLASS] = _classes(fields, "class_demeo", where)
    frame[schema.DEMEO_CLASS] = _classes(fields, "class_", where)
    for column in SCORE_COLUMNS:
        values = numeric_column(fields, column, where)
        fail_at(fields, values.isna(), column, "a score", where)
        frame[column.lower()] = values
    notes = [f"{len(frame)} asteroids with slope and PC1'-PC5' scores"]
    if renamed := int((fields["class_bus"] == "SI").sum()):
        notes.append(f"class_bus 'SI' read as the Bus class 'Sl' for {renamed} asteroids")
    notes += [
        f"line {line}: unknown Bus class {fields.loc[line, 'class_bus']!r}, dropped"
        for line in fields.index[~known]
    ]
    differ = frame[SCORES_CLASS] != frame[schema.DEMEO_CLASS]
    notes.append(f"class_demeo differs from class_ for {int(differ.sum())} asteroids")
    return ParsedTable(frame.reset_index(drop=True), notes)


def parse_templates(text: str, where: str = TEMPLATES) -> ParsedTable:
    """Parse ``templates.csv`` into a long table (class, wavelength, mean, sigma).

    Returns
    -------
    ParsedTable
        Columns ``demeo_class``, ``wavelength`` (µm), ``mean`` (reflectance, 1 at 0.55
        µm) and ``sigma`` (NaN where the file has -0.999), sorted by class as in the file.

    Raises
    ------
    ParseError
        If the header is not ``wave`` and ``<class>_Mean, <class>_Sigma`` pairs, the
        wavelengths are not the 41-point grid, or a value is malformed.
    """
    header = text.split("\n", 1)[0].strip().split(",")
    names = [column.removesuffix("_Mean") for column in header[1::2]]
    expected = ("wave", *(f"{name}_{part}" for name in names for part in ("Mean", "Sigma")))
    if header[0] != "wave" or len(header) % 2 == 0 or tuple(header) != expected:
        raise ParseError("expected the columns wave, <class>_Mean, <class>_Sigma, …", path=where)
    for name in names:
        try:
            _split(name)
        except ParseError as error:
            raise ParseError(f"template {error}", path=where, line=1) from None
    fields = read_csv_fields(text, expected, where)
    wave = numeric_column(fields, "wave", where)
    if len(wave) != len(_GRID) or not np.allclose(wave, schema.DEMEO_WAVELENGTH):
        raise ParseError(
            f"expected the 41 wavelengths 0.45-2.45 µm in 0.05 µm steps, got {len(wave)} rows",
            path=where,
        )
    frames, undefined = [], []
    for name in names:
        mean = numeric_column(fields, f"{name}_Mean", where)
        sigma = numeric_column(fields, f"{name}_Sigma", where)
        fail_at(fields, ~(mean > 0), f"{name}_Mean", "a positive reflectance", where)
        missing = (sigma - MISSING_SIGMA).abs() < 1e-9
        expected_sigma = f"a sigma >= 0 (or {MISSING_SIGMA}: undefined)"
        fail_at(fields, ~missing & ~(sigma >= 0), f"{name}_Sigma", expected_sigma, where)
        if missing.all():
            undefined.append(name)
        frames.append(
            pd.DataFrame(
                {
                    schema.DEMEO_CLASS: pd.array([name] * len(wave), "string"),
                    schema.WAVELENGTH: schema.DEMEO_WAVELENGTH,
                    "mean": mean.to_numpy(),
                    "sigma": sigma.where(~missing).to_numpy(),
                }
            )
        )
    notes = [
        f"{len(names)} classes: {', '.join(names)}",
        f"sigma undefined (-0.999) for {', '.join(undefined) or 'no class'}",
    ]
    return ParsedTable(pd.concat(frames, ignore_index=True), notes)


@dataclass(frozen=True)
class DeMeo2009Source:
    """The Bus-DeMeo taxonomy as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "demeo2009"
    title: str = "Bus-DeMeo taxonomy: vis-NIR spectra and classes (DeMeo et al. 2009)"
    citation: str = DEMEO_CITATION
    version: int = 1
    tables: tuple[str, ...] = ("spectra", "classes", "templates")

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse the three files into the ``spectra``, ``classes`` and ``templates`` tables.

        ``spectra`` is long (identity columns, ``file``, ``wavelength`` (µm),
        ``reflectance``); ``classes`` has one row per spectrum (identity columns, ``file``,
        ``demeo_class``, ``main_group``, then from ``scores.csv`` joined on ``object_id``:
        ``bus_class``, ``scores_class_demeo``, ``slope``, ``pc1`` … ``pc5``, NaN for the
        spectra without scores); ``templates`` is :func:`parse_templates`.
        """
        absent = [name for name in (SPECTRA, SCORES, TEMPLATES) if name not in paths]
        if absent:
            raise DataError(
                f"DeMeo et al. (2009) needs {', '.join(absent)}; not given. Fetch them: "
                "asteroid-spectra fetch demeo2009."
            )
        objects, reflectance = parse_spectra(
            read_text(paths[SPECTRA], SPECTRA, "UTF-8"), where=SPECTRA
        )
        scores = parse_scores(read_text(paths[SCORES], SCORES, "UTF-8"), where=SCORES)
        templates = parse_templates(
            read_text(paths[TEMPLATES], TEMPLATES, "UTF-8"), where=TEMPLATES
        )
        spectra = objects.drop(columns=schema.DEMEO_CLASS)
        spectra = spectra.loc[spectra.index.repeat(len(_GRID))].reset_index(drop=True)
        spectra[schema.WAVELENGTH] = np.tile(schema.DEMEO_WAVELENGTH, len(objects))
        spectra[schema.REFLECTANCE] = reflectance.ravel()
        classes, notes = _join(objects, scores.frame)
        notes += _identical(objects, reflectance)
        counts = objects[schema.DEMEO_CLASS].value_counts()
        summary = [
            f"{len(objects)} spectra in {len(counts)} classes: "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
        ]
        return {
            "spectra": ParsedTable(spectra, summary + notes),
            "classes": ParsedTable(classes, summary + notes + scores.notes),
            "templates": templates,
        }


def _join(objects: pd.DataFrame, scores: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Attach the scores to the spectra by ``object_id``; say what did not match."""
    columns = [schema.BUS_CLASS, SCORES_CLASS, *(c.lower() for c in SCORE_COLUMNS)]
    right = scores[[schema.OBJECT_ID, schema.DEMEO_CLASS, *columns]]
    merged = objects.merge(right, on=schema.OBJECT_ID, how="left", suffixes=("", "_scores"))
    scored = merged[SCORES_CLASS].notna()
    other = merged.pop(f"{schema.DEMEO_CLASS}_scores")
    disagree = scored & (other != merged[schema.DEMEO_CLASS])
    merged.insert(
        7,
        schema.MAIN_GROUP,
        merged[schema.DEMEO_CLASS].map(lambda c: schema.taxonomy_main_group("demeo", c)),
    )
    merged[schema.MAIN_GROUP] = merged[schema.MAIN_GROUP].astype("string")
    unscored = merged.loc[~scored, schema.OBJECT_ID].tolist()
    orphans = sorted(set(scores[schema.OBJECT_ID]) - set(objects[schema.OBJECT_ID]))
    notes = [
        f"{int(scored.sum())} of {len(merged)} spectra have scores in scores.csv; "
        f"{len(unscored)} do not (not listed there): {', '.join(unscored) or 'none'}",
        f"{int(disagree.sum())} spectra whose class differs from class_ of scores.csv",
        *(f"{oid}: in scores.csv but has no spectrum" for oid in orphans),
    ]
    return merged, notes


def _identical(objects: pd.DataFrame, reflectance: npt.NDArray[np.float64]) -> list[str]:
    """Name the spectra that repeat another one value for value."""
    _, first, inverse = np.unique(reflectance, axis=0, return_index=True, return_inverse=True)
    notes = []
    for row, group in enumerate(inverse.ravel()):
        if first[group] != row:
            a, b = objects.iloc[first[group]], objects.iloc[row]
            notes.append(
                f"{b[schema.FILE]} ({b[schema.OBJECT_ID]}, {b[schema.DEMEO_CLASS]}) repeats "
                f"{a[schema.FILE]} ({a[schema.OBJECT_ID]}, {a[schema.DEMEO_CLASS]}) value for "
                "value"
            )
    return notes


DEMEO2009 = DeMeo2009Source()
"""The DeMeo et al. (2009) source."""
