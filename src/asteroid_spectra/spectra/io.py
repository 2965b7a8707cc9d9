"""Read users' spectrum files into :class:`~asteroid_spectra.spectra.spectrum.Spectrum`.

Supported:

- text tables with 2 (wavelength, reflectance) or 3 (… , 1-sigma error) columns,
  separated by whitespace, commas or semicolons, with or without a header line and
  with ``#``, ``%`` or ``!`` comment lines; a header may name the columns (any order,
  extra columns ignored) and carry the unit (``wavelength (nm)``, ``lambda_um``);
- ECSV, FITS tables and VOTables through :mod:`astropy.table`, using the column units.

The wavelength unit is, in order of precedence, the `unit` argument, the unit in the
file, or a guess from the values (:func:`~asteroid_spectra.spectra.units.guess_unit`).
Every failure is a :class:`~asteroid_spectra.exceptions.ParseError` (with the file and
line), :class:`~asteroid_spectra.exceptions.UnitError` or
:class:`~asteroid_spectra.exceptions.SpectrumError`; nothing else escapes.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from asteroid_spectra.exceptions import AsteroidSpectraError, ParseError, SpectrumWarning
from asteroid_spectra.spectra.clean import clean_arrays
from asteroid_spectra.spectra.columns import ROLES, column_roles, table_columns
from asteroid_spectra.spectra.spectrum import Spectrum
from asteroid_spectra.spectra.units import unit_from_name

__all__ = ["MAX_FILE_BYTES", "parse_text", "read_spectrum", "spectrum_from_table"]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest file :func:`read_spectrum` accepts (64 MiB)."""

TABLE_SUFFIXES = {
    ".ecsv": "ascii.ecsv",
    ".fits": "fits",
    ".fit": "fits",
    ".fts": "fits",
    ".vot": "votable",
    ".xml": "votable",
}
_COMMENT = ("#", "%", "!")
# A field, or a name with a short bracketed unit ("wavelength (nm)"); the bound keeps a
# long line of unclosed brackets linear to scan.
_WHITESPACE_FIELD = re.compile(r"[^\s(\[]+\s*[(\[][^()\[\]]{0,32}[)\]]|\S+")


def read_spectrum(
    path: str | Path, *, unit: str | None = None, format: str | None = None, clean: bool = False
) -> Spectrum:
    r"""Read a spectrum file.

    Parameters
    ----------
    path : str or Path
        Text table, ECSV, FITS table or VOTable.
    unit : str, optional
        Wavelength unit (``"um"``, ``"nm"``, ``"angstrom"``); overrides the file's.
    format : str, optional
        ``"text"`` or an :mod:`astropy.table` format such as ``"ascii.ecsv"``; default
        from the suffix (text unless ``.ecsv``, ``.fits``, ``.vot``…).
    clean : bool
        Drop junk rows (zero, negative or NaN values) and merge repeated wavelengths
        (:func:`~asteroid_spectra.spectra.clean.clean_arrays`), warning with a
        :class:`~asteroid_spectra.exceptions.SpectrumWarning` and recording the repairs
        in ``meta["repairs"]``, instead of refusing the file.

    Returns
    -------
    Spectrum
        With ``meta["source"]`` set to the file name.

    Raises
    ------
    ParseError
        Unreadable, binary, too large or malformed file.
    UnitError, SpectrumError
        Values that do not make a valid spectrum.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
    >>> _ = path.write_text("wavelength_nm,reflectance\n450,0.9\n550,1.0\n650,1.1\n")
    >>> read_spectrum(path).wavelength.tolist()
    [0.45, 0.55, 0.65]
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ParseError(f"cannot read the file ({error.strerror or error})", path=path) from None
    if size > MAX_FILE_BYTES:
        raise ParseError(
            f"the file has {size} bytes, more than the {MAX_FILE_BYTES} a spectrum may have; "
            "split it into one file per spectrum",
            path=path,
        )
    chosen = format or TABLE_SUFFIXES.get(path.suffix.lower(), "text")
    meta = {"source": path.name}
    if chosen == "text":
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ParseError(f"cannot read the file ({error})", path=path) from None
        return parse_text(data, unit=unit, where=str(path), meta=meta, clean=clean)
    return _read_table(path, chosen, unit, meta, clean)


def _read_table(
    path: Path, format: str, unit: str | None, meta: dict[str, Any], clean: bool
) -> Spectrum:

    from astropy.table import Table

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = Table.read(path, format=format)
    except Exception as error:  # astropy raises many types on malformed input
        raise ParseError(
            f"cannot read it as {format} ({type(error).__name__}: {error})", path=path
        ) from None
    return spectrum_from_table(table, unit=unit, where=str(path), meta=meta, clean=clean)


def spectrum_from_table(
    table: Any,
    *,
    unit: str | None = None,
    where: str = "<table>",
    meta: dict[str, Any] | None = None,
    clean: bool = False,
) -> Spectrum:
    """Build a spectrum from an :class:`astropy.table.Table` (or QTable).

    Columns are found by name (``wavelength``/``wave``/``lambda``, ``reflectance``/
    ``flux``, ``error``/``sigma``) or, without recognised names, by position. A
    wavelength column with an astropy unit is converted with it (see
    :func:`~asteroid_spectra.spectra.columns.table_columns`). `clean` is as for
    :func:`read_spectrum`.

    Raises
    ------
    ParseError
        If no wavelength and reflectance columns can be identified.
    """
    values, wavelength_unit = table_columns(table, unit=unit, where=where)
    return _build(values, wavelength_unit, where, meta, clean)


def _build(
    values: dict[str, Any],
    unit: str | None,
    where: str,
    meta: dict[str, Any] | None,
    clean: bool = False,
) -> Spectrum:
    if clean:
        repaired = clean_arrays(values["wavelength"], values["reflectance"], values.get("error"))
        values = {"wavelength": repaired.wavelength, "reflectance": repaired.reflectance}
        if repaired.error is not None:
            values["error"] = repaired.error
        if repaired.notes:
            meta = {**(meta or {}), "repairs": list(repaired.notes)}
            for note in repaired.notes:
                warnings.warn(f"{where}: {note}", SpectrumWarning, stacklevel=4)
    try:
        return Spectrum.from_arrays(
            values["wavelength"],
            values["reflectance"],
            values.get("error"),
            unit=unit,
            meta=meta,
        )
    except AsteroidSpectraError as error:
        raise type(error)(f"{where}: {error}") from None


def _split(line: str) -> list[str]:
    if "," in line:
        return [field.strip() for field in line.split(",")]
    if ";" in line:
        return [field.strip() for field in line.split(";")]
    # Whitespace: a bracketed unit stays with its column name ("wavelength (nm)").
    return _WHITESPACE_FIELD.findall(line)


def _floats(fields: list[str]) -> list[float] | None:
    try:
        return [float(field) for field in fields]
    except ValueError:
        return None


def parse_text(
    data: bytes | str,
    *,
    unit: str | None = None,
    where: str = "<text>",
    meta: dict[str, Any] | None = None,
    clean: bool = False,
) -> Spectrum:
    """Parse a text table (2 or 3 numeric columns, optional header) into a spectrum.

    Parameters
    ----------
    data : bytes or str
        File content. Bytes are decoded as UTF-8, falling back to Latin-1.
    unit : str, optional
        Wavelength unit; default from the header, else guessed from the values.
    where : str
        Name used in error messages.
    meta : dict, optional
        Metadata for the spectrum.
    clean : bool
        As for :func:`read_spectrum`.

    Raises
    ------
    ParseError
        Binary data, no numeric rows, a non-numeric or ragged row (with its line).
    """
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise ParseError("expected a text file; got binary data (NUL bytes)", path=where)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        text = data
    header: list[str] | None = None
    rows: list[list[float]] = []
    width = 0
    for lineno, raw_line in enumerate(text.splitlines(), 1):
        line = raw_line.strip()
        if not line or line.startswith(_COMMENT):
            continue
        fields = _split(line)
        numbers = _floats(fields)
        if numbers is None:
            if rows:
                raise ParseError(
                    f"expected {width} numbers like the rows above, got {_show(line)}",
                    path=where,
                    line=lineno,
                )
            header = fields
            continue
        if not rows:
            width = len(numbers)
            if width < 2:
                raise ParseError(
                    f"expected at least 2 columns (wavelength, reflectance), got {_show(line)}",
                    path=where,
                    line=lineno,
                )
        elif len(numbers) != width:
            raise ParseError(
                f"expected {width} columns like the rows above, got {len(numbers)}: {_show(line)}",
                path=where,
                line=lineno,
            )
        rows.append(numbers)
    if not rows:
        raise ParseError(
            "expected rows of 2 or 3 numbers (wavelength, reflectance[, error]); found none",
            path=where,
        )
    table = np.array(rows, dtype=np.float64)
    roles = None
    if header is not None:
        roles = column_roles(header)
        if roles is not None and len(header) != width:
            raise ParseError(
                f"the header names {len(header)} columns ({', '.join(header)}) but the rows "
                f"have {width}; make the header match the data or remove it",
                path=where,
            )
    if roles is None:
        if width > 3:
            raise ParseError(
                f"found {width} columns and no header naming them; expected 2 (wavelength, "
                "reflectance) or 3 (wavelength, reflectance, error) columns, or a header line "
                "naming the 'wavelength' and 'reflectance' columns",
                path=where,
            )
        roles = dict(zip(ROLES, range(width), strict=False))
    values = {role: table[:, index] for role, index in roles.items()}
    if unit is None and header is not None and len(header) == width:
        unit = unit_from_name(header[roles["wavelength"]])
    return _build(values, unit, where, meta, clean)


def _show(line: str, limit: int = 60) -> str:
    return repr(line if len(line) <= limit else line[:limit] + "…")
