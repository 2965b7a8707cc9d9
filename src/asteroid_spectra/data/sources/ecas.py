r"""ECAS: the Eight-Color Asteroid Survey (Zellner, Tholen & Tedesco 1985).

Parses two kinds of files of the PDS collection ``gbo.ast.ecas.phot`` as archived by
classy (see the data README):

- ``colors.csv``: the mean colours of 589 asteroids, i.e. the PDS table ``ecasmean.tab``
  with a current name and number and quality flags, into the ``colors`` table. Each of the
  colour indices s-v, u-v, b-v, v-w, v-x, v-p, v-z (mag) comes with its standard
  deviation; an unmeasured colour has an empty mean and a standard deviation of -0.099
  (both become NaN), ``NOTE`` -9 means no note. ``flag_<colour>`` is 1 when the standard
  deviation exceeds the limit of Tholen (1984) in :data:`SIGMA_LIMITS`; ``flag`` is 1 when
  any colour is flagged.
- ``data/<number>.csv`` (``refl, refl_err, wave, flag``; µm): the colours of one asteroid
  turned into reflectance normalised to 1 at 0.55 µm (v), unmeasured filters left out,
  into the long ``spectra`` table.

The colours are relative to the Sun (Zellner et al. 1985 reduced them to solar colours,
a solar-coloured object has every colour 0), so :func:`colour_reflectance` gives

.. math:: R_x = 10^{-0.4\,(x - v)} \; (x = s, u, b), \qquad
          R_x = 10^{+0.4\,(v - x)} \; (x = w, x, p, z), \qquad R_v = 1,

which the data files follow to the last bit for all 589 asteroids. Their ``refl_err``
is not the propagated error but :math:`0.4 \ln 10\, |c|\, \sigma_c` (the colour in place
of the reflectance: 0 for a colour of 0). The ``error`` column is therefore recomputed
from the standard deviations of ``colors.csv``, :math:`\sigma_R = 0.4 \ln 10\, R\,
\sigma_c` (:func:`colour_reflectance_error`); the file's value is kept as ``file_error``.
A data file whose bands or reflectances disagree with ``colors.csv`` is named in the
notes. The other files of the collection (``ecas.tab``, ``ecaspc.tab``, … and the PDS
inventory) are registered but not parsed.

References
----------
Zellner, B., Tholen, D. J. & Tedesco, E. F. (1985). The eight-color asteroid survey:
Results for 589 minor planets. Icarus 61, 355-416.
Tholen, D. J. (1984). Asteroid taxonomy from cluster analysis of photometry. PhD thesis,
University of Arizona.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.designations import Designation, parse_label
from asteroid_spectra.data.registry import ECAS_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.text_tables import (
    fail_at,
    numeric_column,
    read_csv_fields,
    read_text,
)
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = [
    "COLORS",
    "COLOURS",
    "ECAS",
    "SIGMA_LIMITS",
    "EcasSource",
    "colour_reflectance",
    "colour_reflectance_error",
    "parse_colors",
    "parse_spectrum",
]

COLORS = "ecas/colors.csv"
_DATA = re.compile(r"^ecas/data/(\d+)\.csv$")

COLOURS = ("s_v", "u_v", "b_v", "v_w", "v_x", "v_p", "v_z")
"""The seven ECAS colour indices, in filter order (s, u, b against v; v against w … z)."""

SIGMA_LIMITS = dict(zip(COLOURS, (0.095, 0.074, 0.039, 0.034, 0.039, 0.044, 0.051), strict=True))
"""Standard deviation (mag) above which a colour is flagged (Tholen 1984)."""

MISSING_SIGMA = -0.099
"""Standard deviation written for an unmeasured colour."""

NO_NOTE = -9
"""``NOTE`` value meaning no note."""

FLAGS = ("flag", *(f"flag_{c.upper()}" for c in COLOURS))
COLOR_HEADER = (
    "AST_NUMBER",
    "AST_NAME",
    *(f"{c.upper()}_{part}" for c in COLOURS for part in ("MEAN", "STD_DEV")),
    *("NIGHTS", "NOTE", "name", "number"),
    *FLAGS,
)
"""Columns of ``colors.csv``, in order."""

SPECTRUM_HEADER = ("refl", "refl_err", "wave", "flag")
"""Columns of ``data/<number>.csv``, in order."""

_SIGN = np.array([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0])
_V = 3  # index of the v filter (0.55 µm) in schema.ECAS_WAVELENGTH
_TOLERANCE = 5e-4  # |ΔR| up to which a data file agrees with its colours


def colour_reflectance(colours: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Turn ECAS colours (relative to the Sun) into reflectance normalised at 0.55 µm.

    Parameters
    ----------
    colours : array_like, shape (..., 7)
        s-v, u-v, b-v, v-w, v-x, v-p, v-z (mag); NaN where not measured.

    Returns
    -------
    ndarray, shape (..., 8)
        Reflectance in the filters s, u, b, v, w, x, p, z (:data:`schema.ECAS_WAVELENGTH`):
        :math:`10^{-0.4 c}` for s, u, b; 1 for v; :math:`10^{+0.4 c}` for w, x, p, z.

    References
    ----------
    Zellner, Tholen & Tedesco (1985), Icarus 61, 355-416 (colours reduced to solar).

    Examples
    --------
    >>> colour_reflectance([0.43, 0.263, 0.047, 0.0, -0.005, -0.022, -0.031]).round(4)
    array([0.673 , 0.7849, 0.9576, 1.    , 1.    , 0.9954, 0.9799, 0.9719])
    """
    reflectance = np.power(10.0, 0.4 * _SIGN * np.asarray(colours, dtype=np.float64))
    return np.insert(reflectance, _V, 1.0, axis=-1)


def colour_reflectance_error(
    colours: npt.ArrayLike, sigma: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    r"""First-order 1-sigma error of :func:`colour_reflectance`.

    :math:`\sigma_R = |\partial R / \partial c|\, \sigma_c = 0.4 \ln 10\, R\, \sigma_c`,
    and 0 in the v filter, where the spectrum is normalised.

    Parameters
    ----------
    colours, sigma : array_like, shape (..., 7)
        Colours and their standard deviations (mag).

    Returns
    -------
    ndarray, shape (..., 8)

    Examples
    --------
    >>> colour_reflectance_error([0.43] + [0.0] * 6, [0.01] * 7)[:5].round(5)
    array([0.0062 , 0.00921, 0.00921, 0.     , 0.00921])
    """
    reflectance = np.delete(colour_reflectance(colours), _V, axis=-1)
    error = 0.4 * math.log(10.0) * reflectance * np.asarray(sigma, dtype=np.float64)
    return np.insert(error, _V, 0.0, axis=-1)


def _identity(designation: Designation) -> dict[str, Any]:
    return {
        schema.SURVEY: "ecas",
        schema.OBJECT_ID: designation.object_id,
        schema.NUMBER: designation.number,
        schema.NAME: designation.name,
        schema.DESIGNATION: designation.provisional,
    }


def parse_colors(text: str, where: str = COLORS) -> ParsedTable:
    """Parse ``colors.csv`` (columns :data:`COLOR_HEADER`) into one row per asteroid.

    Returns
    -------
    ParsedTable
        Columns: identity columns, ``ast_name`` (the name published in 1985; missing for
        ``---``), ``<colour>_mean`` and ``<colour>_std_dev`` (mag, NaN if unmeasured) for
        each of :data:`COLOURS`, ``nights``, ``note`` (missing for -9), ``flag`` and
        ``flag_<colour>`` (int8, 0 or 1).

    Raises
    ------
    ParseError
        If the header, a number, a flag or an identity is malformed, a standard deviation
        is negative (other than -0.099), or an asteroid is listed twice.
    """
    fields = read_csv_fields(text, COLOR_HEADER, where)
    if fields.empty:
        raise ParseError("expected one row per asteroid after the header, got none", path=where)
    number = numeric_column(fields, "number", where, integer=True)
    fail_at(fields, number.isna(), "number", "an asteroid number", where)
    ast_number = numeric_column(fields, "AST_NUMBER", where, integer=True)
    fail_at(fields, ast_number != number, "AST_NUMBER", "the value of 'number'", where)
    rows = []
    for line, value, name in zip(fields.index, number, fields["name"], strict=True):
        try:
            rows.append(_identity(parse_label(f"{int(value)} {name}".strip())))
        except ParseError as error:
            raise ParseError(str(error), path=where, line=line) from None
    frame = pd.DataFrame(rows, index=fields.index)
    twice = frame[schema.OBJECT_ID].duplicated()
    fail_at(fields, twice, "number", "each asteroid once", where)
    frame["ast_name"] = fields["AST_NAME"].where(~fields["AST_NAME"].str.fullmatch(r"-*"))
    for colour in COLOURS:
        key = colour.upper()
        mean = numeric_column(fields, f"{key}_MEAN", where)
        sigma = numeric_column(fields, f"{key}_STD_DEV", where)
        missing = mean.isna() | (sigma == MISSING_SIGMA)
        expected = f"a standard deviation >= 0 (or {MISSING_SIGMA}: missing)"
        fail_at(fields, ~missing & ~(sigma >= 0), f"{key}_STD_DEV", expected, where)
        frame[f"{colour}_mean"], frame[f"{colour}_std_dev"] = mean, sigma.where(~missing)
    frame["nights"] = numeric_column(fields, "NIGHTS", where, integer=True)
    note = numeric_column(fields, "NOTE", where, integer=True)
    frame["note"] = note.where(note != NO_NOTE)
    for column in FLAGS:
        flag = numeric_column(fields, column, where)
        fail_at(fields, ~flag.isin((0.0, 1.0)), column, "a flag 0 or 1", where)
        frame[column.lower()] = flag
    frame = _typed(frame.reset_index(drop=True))
    notes = [f"{len(frame)} asteroids"]
    for colour in COLOURS:
        label = colour.replace("_", "-")
        if unmeasured := int(frame[f"{colour}_mean"].isna().sum()):
            notes.append(f"{label}: not measured for {unmeasured} asteroids")
        beyond = frame[f"{colour}_std_dev"] > SIGMA_LIMITS[colour]
        if odd := int(((frame[f"flag_{colour}"] == 1) != beyond).sum()):
            notes.append(f"{label}: {odd} flags disagree with sigma > {SIGMA_LIMITS[colour]}")
    return ParsedTable(frame, notes)


def parse_spectrum(text: str, where: str) -> npt.NDArray[np.float64]:
    """Parse one ``data/<number>.csv`` file (columns :data:`SPECTRUM_HEADER`).

    Returns
    -------
    ndarray, shape (n, 4)
        Wavelength (µm, ECAS filters, increasing), reflectance, the file's ``refl_err``
        and flag (0 or 1), one row per measured filter.

    Raises
    ------
    ParseError
        Naming the line, if the header or a value is malformed, a wavelength is not an
        ECAS filter or not above the previous one, a reflectance is not positive, an error
        is negative or a flag not 0 or 1; if the 0.55 µm normalisation point is missing.
    """
    fields = read_csv_fields(text, SPECTRUM_HEADER, where)
    try:  # fast path; the slow one names the offending line
        array = fields.to_numpy(np.float64)[:, [2, 0, 1, 3]].reshape(-1, 4)
    except ValueError:
        columns = ("wave", "refl", "refl_err", "flag")
        array = np.column_stack([numeric_column(fields, c, where) for c in columns])
    wavelength, reflectance, error, flag = (pd.Series(a, fields.index) for a in array.T)
    filters = ", ".join(f"{w:g}" for w in schema.ECAS_WAVELENGTH)
    known = np.isclose(array[:, :1], schema.ECAS_WAVELENGTH, atol=5e-4).any(axis=1)
    fail_at(fields, pd.Series(~known, fields.index), "wave", f"one of {filters} µm", where)
    unsorted = wavelength.diff() <= 0
    fail_at(fields, unsorted, "wave", "a wavelength above the previous one", where)
    fail_at(fields, ~(reflectance > 0), "refl", "a positive finite reflectance", where)
    fail_at(fields, ~(reflectance < np.inf), "refl", "a positive finite reflectance", where)
    fail_at(fields, ~((error >= 0) & (error < np.inf)), "refl_err", "an error >= 0", where)
    fail_at(fields, ~flag.isin((0.0, 1.0)), "flag", "a flag 0 or 1", where)
    if not np.isclose(wavelength, 0.55).any():
        raise ParseError("expected the 0.55 µm normalisation point, got none", path=where)
    return array


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if column in (schema.NUMBER, "nights", "note"):
            frame[column] = frame[column].astype("Int64")
        elif column == schema.FLAG or column.startswith("flag_"):
            frame[column] = frame[column].astype("int8")
        elif frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype("string")
    return frame


def _compare(
    array: npt.NDArray[np.float64], colours: pd.Series | None, where: str
) -> tuple[npt.NDArray[np.float64], list[str]]:
    """Propagated errors of a file's samples, and how the file disagrees with its colours."""
    if colours is None:
        return np.full(len(array), np.nan), [f"{where}: asteroid not in colors.csv"]
    means = colours[[f"{c}_mean" for c in COLOURS]].to_numpy(np.float64)
    sigma = colours[[f"{c}_std_dev" for c in COLOURS]].to_numpy(np.float64)
    band = np.abs(array[:, :1] - schema.ECAS_WAVELENGTH).argmin(axis=1)
    expected = colour_reflectance(means)
    notes = []
    if not np.array_equal(band, np.flatnonzero(np.isfinite(expected))):
        notes.append(
            f"{where}: holds the filters at {', '.join(f'{w:g}' for w in array[:, 0])} µm; "
            f"colors.csv has colours for {int(np.isfinite(means).sum())} of them"
        )
    difference = np.nan_to_num(np.abs(array[:, 1] - expected[band]))  # NaN: noted above
    if (difference > _TOLERANCE).any():
        worst = int(difference.argmax())
        notes.append(
            f"{where}: reflectance {array[worst, 1]:.4f} at {array[worst, 0]:g} µm; the "
            f"colours of colors.csv give {expected[band][worst]:.4f}"
        )
    return colour_reflectance_error(means, sigma)[band], notes


@dataclass(frozen=True)
class EcasSource:
    """ECAS colours and reflectances as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "ecas"
    title: str = "Eight-Color Asteroid Survey (Zellner, Tholen & Tedesco 1985)"
    citation: str = ECAS_CITATION
    version: int = 1
    tables: tuple[str, ...] = ("spectra", "colors")

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse ``colors.csv`` and every ``data/<number>.csv`` into two tables.

        Returns the long ``spectra`` table, sorted by number and wavelength (identity
        columns, ``file``, ``wavelength`` (µm), ``reflectance``, ``error`` (propagated
        from the colours), ``file_error``, ``flag``) and the ``colors`` table
        (:func:`parse_colors`).
        """
        data = sorted((int(m.group(1)), name) for name in paths if (m := _DATA.match(name)))
        if COLORS not in paths or not data:
            raise DataError(
                f"ECAS needs {COLORS} and the data/<number>.csv files; "
                f"{'no data file was' if COLORS in paths else COLORS + ' was not'} given. "
                "Fetch them: asteroid-spectra fetch ecas."
            )
        colors = parse_colors(read_text(paths[COLORS], COLORS, "UTF-8"), where=COLORS)
        by_number = {int(row[schema.NUMBER]): row for _, row in colors.frame.iterrows()}
        identities, arrays, errors, notes = [], [], [], []
        for number, name in data:
            array = parse_spectrum(read_text(paths[name], name, "UTF-8"), where=name)
            row = by_number.get(number)
            error, disagreements = _compare(array, row, name)
            identities.append(
                _identity(Designation(number=number))
                if row is None
                else {column: row[column] for column in schema.IDENTITY_COLUMNS}
            )
            identities[-1][schema.FILE] = name.removeprefix("ecas/")
            arrays.append(array)
            errors.append(error)
            notes += disagreements
        objects = pd.DataFrame(identities)
        spectra = objects.loc[objects.index.repeat([len(a) for a in arrays])]
        samples = np.concatenate(arrays)
        spectra[schema.WAVELENGTH] = np.round(samples[:, 0], 3)
        spectra[schema.REFLECTANCE] = samples[:, 1]
        spectra[schema.ERROR] = np.concatenate(errors)
        spectra["file_error"], spectra[schema.FLAG] = samples[:, 2], samples[:, 3]
        spectra = _typed(spectra.reset_index(drop=True))
        sizes = spectra.groupby(schema.FILE, sort=False).size().value_counts().sort_index()
        without = sorted(set(by_number) - {number for number, _ in data})
        summary = [
            f"{len(data)} data files, {len(spectra)} samples; samples per file: "
            + ", ".join(f"{size}: {files} files" for size, files in sizes.items()),
            f"{len(notes)} disagreements between data files and colors.csv",
            *(f"asteroid {number} of colors.csv has no data file" for number in without),
        ]
        return {"spectra": ParsedTable(spectra, summary + notes), "colors": colors}


ECAS = EcasSource()
"""The ECAS source."""
