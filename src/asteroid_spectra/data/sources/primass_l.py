"""PRIMASS-L: the PRIMitive Asteroids Spectroscopic Survey library, visible spectra.

Parses the PDS4 collection (Pinilla-Alonso, de León et al.) into two tables:

- ``spectra``: the 438 files ``data/spectra/<region>/<family>/NNNNNN_vis*.tab`` (Cybele
  and Hilda have no family folder: ``data/spectra/cybele/000225_vis.tab``), two columns
  (wavelength in µm, 0.34-0.92; reflectance normalised to 1 at 0.55 µm), CRLF line
  endings. Values are kept as published.
- ``classes``: one row per spectrum file with its Bus-scheme class (``primass_class``)
  and spectral parameters from ``data/primassl_visible_spectral_parameters.csv``, and its
  name and observation from ``data/primassl_visible_spectral_data_collection.csv``.

Spectra: each file is one spectrum. ``_vis_b`` and ``_vis_r`` files (Lixiaohua family,
de Prá et al. 2020a) are a blue (about 0.40-0.70 µm) and a red (about 0.49-0.91 µm)
setting, observed at different times (up to a year apart, data collection csv), sampled
differently and each normalised at 0.55 µm; they overlap over 0.49-0.70 µm, so they
are kept as separate spectra with ``setting`` ``"blue"`` / ``"red"`` (the parameters
table also lists them separately). ``_1_vis`` / ``_2_vis`` are repeat observations on
different nights; ``setting`` is empty for them and for the plain ``_vis`` files.

The parameters table has no header in the mirror (its PDS4 label is not mirrored). Its
columns, read from the values: number, class, spectral slope and error (as published;
the PRIMASS papers give %/1000 Å), depth (%) and error and centre (µm, 0.66-0.74) and
error of the 0.7-µm band, and a wavelength near 0.5 µm (0.50-0.57 µm, measured on
spectra that reach the blue) with its error, read here as the UV turn-off point, then the
file. Fills: a value and its error both ``-999999`` (not measured) or both ``-1`` (looked
for, not found: the band or turn-off is absent) become NaN; ``band_detected`` and
``turnoff_detected`` keep the difference (NA, False). A slope of -1 with a real error is
a slope, not a fill. It lists 417 files (the README's 417 spectra): 21 spectra files have
no row (unlabelled, with a note), and ``000752_vis.tab`` has two rows with different
parameters and the same class, so its class is kept and its parameters are left NaN.

Bad files: every file is checksummed, so a file or table row that cannot be parsed fails
the whole parse with a :class:`~asteroid_spectra.exceptions.ParseError` naming file and
line; so do numbers that disagree between a file name and a table.

References
----------
de León, J. et al. (2016), Icarus 266, 57; Morate, D. et al. (2016), A&A 586, A129;
(2018), A&A 610, A25; (2019), A&A 630, A141; De Prá, M. N. et al. (2018), Icarus 311, 35;
(2020a), Icarus 338, 113473; (2020b), A&A 643, A102. PDS4 bundle
urn:nasa:pds:gbo.ast.primass-l.spectra (V1.0).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.designations import (
    Designation,
    normalise_provisional,
    parse_numbered_stem,
)
from asteroid_spectra.data.registry import PRIMASS_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.text_tables import (
    JunkRules,
    check_micron,
    identity,
    listing,
    long_table,
    read_spectrum,
    read_text,
    summary,
    typed,
)
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = ["PARAMETERS", "PRIMASS_L", "PrimassLSource", "parse_observations", "parse_parameters"]

PARAMETERS_FILE = "primass_l/data/primassl_visible_spectral_parameters.csv"
OBSERVATIONS_FILE = "primass_l/data/primassl_visible_spectral_data_collection.csv"
_SPECTRUM = re.compile(r"^primass_l/(data/spectra/(?:[^/]+/){1,2}([^/]+)\.tab)$")
_SETTING = re.compile(r"^(?:\d+_)?vis(?:_([br]))?$")
_SETTINGS: Final = {"b": "blue", "r": "red"}

PARAMETERS: Final = (
    "slope",
    "slope_error",
    "band_depth",
    "band_depth_error",
    "band_center",
    "band_center_error",
    "turnoff",
    "turnoff_error",
)
"""Spectral parameters of the parameters table, in its column order (after number, class)."""

_NOT_MEASURED, _ABSENT = -999999.0, -1.0


def parse_parameters(
    text: str, where: str = PARAMETERS_FILE
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Parse the parameters table: file → number, class, parameters, detection flags.

    Rows are ``number,class,<8 parameters>,spectra/<...>.tab``. A file listed twice with
    identical rows is kept once; with different parameters, its parameters become NaN
    (and its class too if the classes differ), with a note.

    Returns
    -------
    rows : dict
        ``data/spectra/...`` path → row (``number``, ``primass_class``, the
        :data:`PARAMETERS` with NaN for fills, ``band_detected``, ``turnoff_detected``).
    notes : list of str

    Raises
    ------
    ParseError
        If a line has not 11 fields or its numbers are not numbers.
    """
    rows: dict[str, dict[str, Any]] = {}
    raw: dict[str, list[str]] = {}
    notes: list[str] = []
    for lineno, fields in enumerate(csv.reader(text.splitlines()), 1):
        if not fields:
            continue
        if len(fields) != 11:
            raise ParseError(
                f"expected 11 comma-separated fields (number, class, 8 parameters, file), "
                f"got {len(fields)}: {','.join(fields)!r}",
                path=where,
                line=lineno,
            )
        try:
            number, values = int(fields[0]), [float(value) for value in fields[2:10]]
        except ValueError:
            raise ParseError(
                f"expected an integer number and 8 numeric parameters, got {','.join(fields)!r}",
                path=where,
                line=lineno,
            ) from None
        file = "data/" + fields[10].strip()
        try:
            named = parse_numbered_stem(Path(file).stem)[0].number
        except ParseError as error:
            raise ParseError(str(error), path=where, line=lineno) from None
        if named != number:
            raise ParseError(
                f"expected the number of {file} ({named}), got {number}", path=where, line=lineno
            )
        row = {"number": number, schema.PRIMASS_CLASS: fields[1].strip() or None}
        row |= _parameters(values)
        if file in rows:
            notes.append(_duplicate(rows[file], row, raw[file] == fields, file, lineno))
            continue
        rows[file], raw[file] = row, fields
    if not rows:
        raise ParseError("expected rows 'number,class,...,file', got no data", path=where)
    return rows, notes


def _parameters(values: list[float]) -> dict[str, Any]:
    """Parameters with fill pairs as NaN, and whether the band and turn-off were found."""
    row: dict[str, Any] = {}
    detected: list[bool | None] = []
    for name, value, error in zip(PARAMETERS[::2], values[::2], values[1::2], strict=True):
        fill = value == error and value in (_NOT_MEASURED, _ABSENT)
        row[name], row[f"{name}_error"] = (np.nan, np.nan) if fill else (value, error)
        detected.append(None if value == _NOT_MEASURED and fill else not fill)
    row["band_detected"], row["turnoff_detected"] = detected[1], detected[3]
    return row


def _duplicate(
    first: dict[str, Any], again: dict[str, Any], same: bool, file: str, line: int
) -> str:
    if same:
        return f"{file}: listed twice with identical rows (line {line}); kept once"
    agree = first[schema.PRIMASS_CLASS] == again[schema.PRIMASS_CLASS]
    for name in (*PARAMETERS, "band_detected", "turnoff_detected"):
        first[name] = None if name.endswith("detected") else np.nan
    if not agree:
        first[schema.PRIMASS_CLASS] = None
    kept = f"class {first[schema.PRIMASS_CLASS]} kept" if agree else "class left empty"
    return (
        f"{file}: listed twice with different parameters (line {line}); they cannot be "
        f"attributed, left NaN; {kept}"
    )


def parse_observations(text: str, where: str = OBSERVATIONS_FILE) -> dict[str, dict[str, Any]]:
    """Parse the data collection table: file name → designation, observation, reference.

    Of its 25 fields, the file name (1st), number (2nd), name or provisional designation
    (3rd), observation start time (14th, UTC, ISO 8601) and reference (25th) are used.

    Raises
    ------
    ParseError
        If a line has not 25 fields or an unreadable number or name.
    """
    rows: dict[str, dict[str, Any]] = {}
    for lineno, fields in enumerate(csv.reader(text.splitlines()), 1):
        if not fields:
            continue
        if len(fields) != 25:
            raise ParseError(
                f"expected 25 comma-separated fields, got {len(fields)}", path=where, line=lineno
            )
        number, label = fields[1].strip(), fields[2].strip()
        if not number.isdigit() or int(number) == 0:
            raise ParseError(
                f"expected an asteroid number in the 2nd field, got {number!r}",
                path=where,
                line=lineno,
            )
        provisional = normalise_provisional(label)
        name = None if provisional or label in ("", "-") else label
        designation = Designation(number=int(number), name=name, provisional=provisional)
        rows[fields[0].strip()] = {
            "designation": designation,
            "observation_time": fields[13].strip() or None,
            "reference": fields[24].strip() or None,
        }
    return rows


@dataclass(frozen=True)
class PrimassLSource:
    """PRIMASS-L visible spectra as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "primass-l"
    title: str = "PRIMASS-L visible spectra (Pinilla-Alonso, de León et al.)"
    citation: str = PRIMASS_CITATION
    version: int = 1
    tables: tuple[str, ...] = ("spectra", "classes")

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse the spectra and the two tables into ``spectra`` and ``classes``.

        ``spectra`` columns: identity columns, ``file`` (path in the collection),
        ``region``, ``family``, ``setting``, ``wavelength`` (µm), ``reflectance``, ``error``
        (NaN: none published). ``classes``: identity columns, ``file``, ``region``,
        ``family``, ``setting``, ``observation_time``, ``reference``, ``primass_class``,
        ``main_group``, ``labelled``, ``label_note``, the :data:`PARAMETERS`,
        ``band_detected``, ``turnoff_detected``.
        """
        for required in (PARAMETERS_FILE, OBSERVATIONS_FILE):
            if required not in paths:
                raise DataError(
                    f"PRIMASS-L needs {required}; fetch it: asteroid-spectra fetch primass-l."
                )
        parameters, notes = parse_parameters(read_text(paths[PARAMETERS_FILE], PARAMETERS_FILE))
        observations = parse_observations(
            read_text(paths[OBSERVATIONS_FILE], OBSERVATIONS_FILE, "utf-8")
        )
        rules = JunkRules()
        spectra, classes = [], []
        for name in sorted(paths):
            match = _SPECTRUM.match(name)
            if not match:
                continue
            file, stem = match.groups()
            row = self._describe(name, file, stem, observations.get(f"{stem}.tab"))
            classes.append(_classify(row, parameters.get(file), observations.get(f"{stem}.tab")))
            read = read_spectrum(paths[name], name, (2, 3), rules)
            if read is not None:
                check_micron(*read, name)
                spectra.append((row, read[0]))
        if not spectra:
            raise DataError(
                "No PRIMASS-L spectrum (primass_l/data/spectra/.../*.tab) among the files "
                "given; fetch them again: asteroid-spectra fetch primass-l."
            )
        frame = long_table(spectra)
        table = _classes_frame(classes)
        files = set(table[schema.FILE])
        unknown = sorted(set(parameters) - files)
        unpublished = sorted(set(observations) - {Path(file).name for file in files})
        unlabelled = table.loc[~table[schema.LABELLED], schema.FILE]
        notes = [f"{len(table)} spectra, {int(table[schema.LABELLED].sum())} with a class", *notes]
        if len(unlabelled):
            notes.append(
                f"{len(unlabelled)} spectra without a row in the parameters table (unlabelled): "
                f"{listing(sorted(unlabelled))}"
            )
        if unknown:
            notes.append(f"parameters of files not published: {listing(unknown)}")
        if unpublished:
            notes.append(f"{OBSERVATIONS_FILE} lists files not published: {listing(unpublished)}")
        return {
            "spectra": ParsedTable(frame, [summary(frame), _settings(table), *rules.notes()]),
            "classes": ParsedTable(table, notes),
        }

    def _describe(
        self, name: str, file: str, stem: str, observation: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Identity, file, region, family and setting of one spectrum file."""
        try:
            designation, rest = parse_numbered_stem(stem)
            setting = _SETTING.match(rest)
            if setting is None:
                raise ParseError(
                    f"expected 'NNNNNN_vis', '_vis_b', '_vis_r' or 'NNNNNN_1_vis', got {stem!r}"
                )
        except ParseError as error:
            raise ParseError(str(error), path=name) from None
        if observation is not None:
            listed: Designation = observation["designation"]
            if listed.number != designation.number:
                raise ParseError(
                    f"expected number {designation.number} (from the file name) in "
                    f"{OBSERVATIONS_FILE}, got {listed.number}",
                    path=name,
                )
            designation = listed
        parts = file.split("/")[2:-1]
        return {
            **identity(self.name, designation),
            schema.FILE: file,
            "region": parts[0],
            "family": parts[1] if len(parts) > 1 else None,
            "setting": _SETTINGS.get(setting.group(1) or ""),
        }


def _settings(table: pd.DataFrame) -> str:
    counts = table["setting"].value_counts()
    return (
        f"{int(counts.get('blue', 0))} blue (_vis_b) and {int(counts.get('red', 0))} red "
        "(_vis_r) settings kept as separate spectra"
    )


def _classify(
    row: dict[str, Any], parameters: dict[str, Any] | None, observation: dict[str, Any] | None
) -> dict[str, Any]:
    """Return the row of ``classes`` of one spectrum."""
    out = dict(row)
    out["observation_time"] = None if observation is None else observation["observation_time"]
    out["reference"] = None if observation is None else observation["reference"]
    label = None if parameters is None else parameters[schema.PRIMASS_CLASS]
    note = None
    if parameters is None:
        note = "no row in primassl_visible_spectral_parameters.csv"
    elif label is None:
        note = "no class (ambiguous rows in the parameters table)"
    elif label not in schema.BUS_TO_MAIN_GROUP:
        note = f"class {label!r} is not a Bus class: no main group"
    out[schema.PRIMASS_CLASS] = label
    out[schema.MAIN_GROUP] = schema.BUS_TO_MAIN_GROUP.get(label) if label else None
    out[schema.LABELLED] = label is not None
    out[schema.LABEL_NOTE] = note
    for name in PARAMETERS:
        out[name] = np.nan if parameters is None else parameters[name]
    for name in ("band_detected", "turnoff_detected"):
        out[name] = None if parameters is None else parameters[name]
    return out


def _classes_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame = frame.sort_values([schema.NUMBER, schema.FILE], kind="stable", ignore_index=True)
    frame[schema.LABELLED] = frame[schema.LABELLED].astype(bool)
    for name in PARAMETERS:
        frame[name] = frame[name].astype(np.float64)
    for name in ("band_detected", "turnoff_detected"):
        frame[name] = frame[name].astype("boolean")
    return typed(frame)


PRIMASS_L = PrimassLSource()
"""The PRIMASS-L source."""
