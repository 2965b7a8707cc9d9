"""SMASSII: Small Main-Belt Asteroid Spectroscopic Survey, phase II (Bus & Binzel 2002).

Parses, without extracting anything to disk,

- the spline fits ``aNNNNNN.spfit.[2]`` (49 points, 0.44-0.92 µm, normalised to 1 at
  0.55 µm) into the ``spectra`` table,
- the raw spectra ``aNNNNNN.[2]`` (wavelength, reflectance, 1-sigma error; about 0.435-
  0.925 µm) into the ``raw`` table, dropping the all-zero padding rows some files end
  with,
- ``Bus.Taxonomy.txt`` (1447 rows: label, Tholen class, Bus class) into the
  ``taxonomy`` table.

The Bus class is the third tab-separated field of a taxonomy row. Three rows have more
fields (523 Ada and 614 Pia five, 1998 MQ four); which column their trailing value
belongs to cannot be told, so they are kept unlabelled with a note (1998 MQ has no
spectrum in the archive). With that rule the join gives 1339 labelled
spectra in 25 Bus classes (C 396, S 549, X 237, Other 157).

References
----------
Bus, S. J. & Binzel, R. P. (2002). Icarus 158, 106-145 (observations) and 146-177
(feature-based taxonomy).
"""

from __future__ import annotations

import re
import tarfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.designations import Designation, parse_label, parse_smass_stem
from asteroid_spectra.data.registry import SMASS2_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = ["SMASS2", "Smass2Source", "parse_archive", "parse_taxonomy"]

ARCHIVE = "smass2/smass2data.tar.gz"
TAXONOMY = "smass2/Bus.Taxonomy.txt"
_MEMBER = re.compile(r"^(?:.*/)?(a\d{6}|au\w+?)(\.spfit)?\.\[2\]$")
_LISTED = re.compile(r"Listed below are (\d+) asteroids")


def _identity(designation: Designation) -> dict[str, Any]:
    return {
        schema.SURVEY: "smass2",
        schema.OBJECT_ID: designation.object_id,
        schema.NUMBER: designation.number,
        schema.NAME: designation.name,
        schema.DESIGNATION: designation.provisional,
    }


def _numbers(text: str, columns: int, where: str) -> npt.NDArray[np.float64]:
    """Parse a whitespace-separated numeric table with `columns` columns."""
    try:
        values = np.array(text.split(), dtype=np.float64)
    except ValueError:
        values = None
    if values is None or values.size % columns:
        for lineno, line in enumerate(text.splitlines(), 1):
            fields = line.split()
            if not fields:
                continue
            try:
                [float(field) for field in fields]
            except ValueError:
                fields = []
            if len(fields) != columns:
                raise ParseError(
                    f"expected {columns} numbers separated by whitespace, got {line!r}",
                    path=where,
                    line=lineno,
                )
        raise ParseError(f"expected {columns} numeric columns", path=where)
    return values.reshape(-1, columns)


def parse_archive(
    path: Path,
) -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, npt.NDArray[np.float64]], list[str]]:
    """Read spline fits and raw spectra from the SMASSII tarball, in memory.

    Parameters
    ----------
    path : Path
        The ``smass2data.tar.gz`` archive.

    Returns
    -------
    spfit : dict
        File stem → array (49, 2) of wavelength (µm) and reflectance.
    raw : dict
        File stem → array (n, 3) of wavelength (µm), reflectance and 1-sigma error, with
        all-zero padding rows removed.
    notes : list of str
        What was dropped.

    Raises
    ------
    DataError
        If the archive is truncated or corrupt, or holds no spectra.
    ParseError
        If a member does not have the documented format.
    """
    spfit: dict[str, npt.NDArray[np.float64]] = {}
    raw: dict[str, npt.NDArray[np.float64]] = {}
    notes: list[str] = []
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                match = _MEMBER.match(member.name)
                if not member.isfile() or not match:
                    continue
                stream = archive.extractfile(member)
                if stream is None:  # pragma: no cover - regular files always have data
                    continue
                text = stream.read().decode("ascii", errors="strict")
                where = f"{path.name}:{member.name}"
                stem, is_fit = match.group(1), match.group(2) is not None
                if is_fit:
                    spfit[stem] = _check_fit(_numbers(text, 2, where), where)
                else:
                    raw[stem] = _check_raw(_numbers(text, 3, where), where, notes)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise DataError(
            f"The SMASSII archive {path} is truncated or corrupt ({error}). Delete it and "
            "fetch it again: asteroid-spectra fetch smass2."
        ) from error
    except UnicodeDecodeError as error:
        raise ParseError(
            f"expected ASCII text, got bytes that are not ({error})", path=path
        ) from None
    if not spfit:
        raise DataError(
            f"The SMASSII archive {path} holds no spline-fit spectra (*.spfit.[2]); "
            "it is not the published smass2data.tar.gz. Delete it and fetch it again."
        )
    return spfit, raw, notes


def _check_fit(values: npt.NDArray[np.float64], where: str) -> npt.NDArray[np.float64]:
    grid = schema.SMASS2_WAVELENGTH
    if values.shape != (grid.size, 2) or not np.allclose(values[:, 0], grid, atol=1e-6):
        span = f" from {values[0, 0]:g} to {values[-1, 0]:g} µm" if len(values) else ""
        raise ParseError(
            f"expected {grid.size} rows on the 0.44-0.92 µm grid (0.01 µm steps), got "
            f"{values.shape[0]} rows{span}",
            path=where,
        )
    if not np.isfinite(values).all() or (values[:, 1] <= 0).any():
        raise ParseError("expected finite, positive reflectance", path=where)
    return np.column_stack([grid, values[:, 1]])


def _check_raw(
    values: npt.NDArray[np.float64], where: str, notes: list[str]
) -> npt.NDArray[np.float64]:
    padding = (values == 0).all(axis=1)
    if padding.any():
        notes.append(f"{where}: dropped {int(padding.sum())} all-zero padding rows")
        values = values[~padding]
    wavelength, error = values[:, 0], values[:, 2]
    if values.shape[0] < 2 or not np.all(np.diff(wavelength) > 0):
        raise ParseError("expected strictly increasing wavelengths", path=where)
    if not np.isfinite(values).all() or (error <= 0).any():
        raise ParseError("expected finite values and positive 1-sigma errors", path=where)
    return values


def parse_taxonomy(text: str, where: str = TAXONOMY) -> ParsedTable:
    """Parse ``Bus.Taxonomy.txt`` into one row per listed asteroid.

    A data row is a line with tab-separated fields: label, Tholen class, Bus class. The
    Tholen field may be empty or give a class in parentheses (from SMASSI, Xu et al.
    1995) after or instead of the Tholen (1989) class. A Bus class ``-`` means none.
    Rows with more than three fields are kept, unlabelled, with a note.

    Parameters
    ----------
    text : str
        Content of the file.
    where : str
        File name used in error messages.

    Returns
    -------
    ParsedTable
        Columns: identity columns, ``tholen_class``, ``tholen_class_smass1``,
        ``bus_class``, ``main_group``, ``labelled``, ``label_note``, ``line``.
    """
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if "\t" not in line:
            continue
        fields = line.split("\t")
        try:
            designation = parse_label(fields[0])
        except ParseError as error:
            raise ParseError(str(error), path=where, line=lineno) from None
        object_id = designation.object_id
        if object_id in seen:
            notes.append(f"line {lineno}: {object_id} listed twice; first row kept")
            continue
        seen.add(object_id)
        tholen = bus = note = None
        if len(fields) != 3:
            trailing = [field.strip() for field in fields[1:] if field.strip()]
            note = (
                f"malformed row: {len(fields)} tab-separated fields instead of 3; "
                f"values {trailing} cannot be attributed to a column"
            )
        else:
            tholen = fields[1].strip() or None
            bus = fields[2].strip() or None
            if bus in (None, "-"):
                note, bus = "no Bus class", None
            elif bus not in schema.BUS_TO_MAIN_GROUP:
                note, bus = f"unknown Bus class {bus!r}", None
        if note is not None:
            notes.append(f"line {lineno} ({fields[0].strip()}): {note}")
        tholen_own, tholen_smass1 = _split_tholen(tholen)
        rows.append(
            {
                **_identity(designation),
                schema.THOLEN_CLASS: tholen_own,
                schema.THOLEN_CLASS_SMASS1: tholen_smass1,
                schema.BUS_CLASS: bus,
                schema.MAIN_GROUP: None if bus is None else schema.main_group(bus),
                schema.LABELLED: bus is not None,
                schema.LABEL_NOTE: note,
                "line": lineno,
            }
        )
    if not rows:
        raise ParseError("expected tab-separated rows 'label<TAB>Tholen<TAB>Bus'", path=where)
    listed = _LISTED.search(text)
    if listed and int(listed.group(1)) != len(rows):
        notes.append(f"header announces {listed.group(1)} asteroids, {len(rows)} rows parsed")
    frame = pd.DataFrame(rows)
    return ParsedTable(_typed(frame), notes)


def _split_tholen(text: str | None) -> tuple[str | None, str | None]:
    """Split ``"SU (C)"`` into the Tholen class and the SMASSI-based one in parentheses."""
    if text is None:
        return None, None
    inside = re.findall(r"\(([^)]*)\)", text)
    outside = re.sub(r"\([^)]*\)", "", text).strip()
    return outside or None, (inside[0].strip() or None) if inside else None


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Give identity and label columns stable dtypes (nullable ints, strings, bools)."""
    frame = frame.copy()
    frame[schema.NUMBER] = frame[schema.NUMBER].astype("Int64")
    for column in frame.columns:
        if column in (schema.LABELLED,):
            frame[column] = frame[column].astype(bool)
        elif frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype("string")
    return frame


@dataclass(frozen=True)
class Smass2Source:
    """The SMASSII survey as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "smass2"
    title: str = "SMASSII visible spectra (Bus & Binzel 2002)"
    citation: str = SMASS2_CITATION
    version: int = 2  # 2: the file column is called "file", as in every source
    tables: tuple[str, ...] = ("spectra", "raw", "taxonomy")

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse the archive and the taxonomy into tables.

        Returns the ``spectra`` (spline fits), ``raw`` (with 1-sigma errors) and
        ``taxonomy`` tables; spectra tables are long, one row per sample.
        """
        spfit, raw, raw_notes = parse_archive(paths[ARCHIVE])
        try:
            text = paths[TAXONOMY].read_text(encoding="ascii")
        except UnicodeDecodeError as error:
            raise ParseError(f"expected ASCII text ({error})", path=paths[TAXONOMY]) from None
        taxonomy = parse_taxonomy(text, where=paths[TAXONOMY].name)
        stems = sorted(spfit, key=lambda stem: (stem.startswith("au"), stem))
        objects = _label(
            pd.DataFrame([_identity(parse_smass_stem(stem)) for stem in stems]), taxonomy.frame
        )
        objects[schema.FILE] = pd.array([f"{stem}.spfit.[2]" for stem in stems], "string")
        spectra = _long(objects, [spfit[stem] for stem in stems], 2)
        with_raw = [stem in raw for stem in stems]
        raw_objects = objects[with_raw].assign(
            **{schema.FILE: pd.array([f"{stem}.[2]" for stem in stems if stem in raw], "string")}
        )
        raw_table = _long(raw_objects, [raw[stem] for stem in stems if stem in raw], 3)
        raw_notes += [
            f"{stem}.[2]: raw spectrum without a spline fit, dropped"
            for stem in sorted(set(raw) - set(spfit))
        ]
        unlabelled = objects[~objects[schema.LABELLED]]
        spectra_notes = [
            f"{len(objects)} spline-fit spectra, {len(objects) - len(unlabelled)} with a Bus class",
            *(
                f"{oid}: {note}"
                for oid, note in zip(
                    unlabelled[schema.OBJECT_ID], unlabelled[schema.LABEL_NOTE], strict=True
                )
            ),
        ]
        return {
            "spectra": ParsedTable(spectra, spectra_notes),
            "raw": ParsedTable(raw_table, raw_notes),
            "taxonomy": taxonomy,
        }


_LABEL_COLUMNS = (
    schema.THOLEN_CLASS,
    schema.THOLEN_CLASS_SMASS1,
    schema.BUS_CLASS,
    schema.MAIN_GROUP,
    schema.LABELLED,
    schema.LABEL_NOTE,
)


def _label(objects: pd.DataFrame, taxonomy: pd.DataFrame) -> pd.DataFrame:
    """Join spectra to the taxonomy on ``object_id``; take names from the taxonomy."""
    labels = taxonomy[[schema.OBJECT_ID, schema.NAME, schema.DESIGNATION, *_LABEL_COLUMNS]]
    merged = objects.merge(labels, on=schema.OBJECT_ID, how="left", suffixes=("", "_bus"))
    for column in (schema.NAME, schema.DESIGNATION):
        merged[column] = merged[column].fillna(merged.pop(f"{column}_bus"))
    listed = merged[schema.LABELLED].notna()
    merged[schema.LABELLED] = merged[schema.LABELLED].fillna(False).astype(bool)
    merged.loc[~listed, schema.LABEL_NOTE] = "not listed in Bus.Taxonomy.txt"
    return _typed(merged)


def _long(
    objects: pd.DataFrame, arrays: list[npt.NDArray[np.float64]], columns: int
) -> pd.DataFrame:
    """Repeat each object's row once per sample and attach the `columns` sample columns."""
    lengths = np.array([array.shape[0] for array in arrays], dtype=np.intp)
    stacked = np.concatenate(arrays) if arrays else np.empty((0, columns))
    frame = objects.loc[objects.index.repeat(lengths)].reset_index(drop=True)
    frame[schema.WAVELENGTH] = stacked[:, 0]
    frame[schema.REFLECTANCE] = stacked[:, 1]
    if stacked.shape[1] > 2:
        frame[schema.ERROR] = stacked[:, 2]
    return frame


SMASS2 = Smass2Source()
"""The SMASSII source."""
