"""Find the wavelength, reflectance and error columns of a table, by name or by position.

Used by the readers (:mod:`~asteroid_spectra.spectra.io`) and by
:meth:`Spectrum.from_qtable <asteroid_spectra.spectra.spectrum.Spectrum.from_qtable>`:
both need the same column roles and the same wavelength-unit handling. Nothing here
builds a spectrum; the values returned go to
:meth:`Spectrum.from_arrays <asteroid_spectra.spectra.spectrum.Spectrum.from_arrays>`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import ParseError, UnitError
from asteroid_spectra.spectra.units import unit_from_name

__all__ = ["ROLES", "column_roles", "table_columns"]

ROLES = ("wavelength", "reflectance", "error")
"""The column roles, in the order assumed when the names do not tell."""

_ROLE_PATTERNS = (
    # Order matters: "reflectance_err" is an error column, not a reflectance one.
    (
        "error",
        re.compile(r"(^|[_\s(-])(err(or)?|sigma|sig|unc(ertainty)?|std|e|dr)(?![a-z])", re.I),
    ),
    ("wavelength", re.compile(r"^(wave(length)?|lambda|lam|wl|wav|w)(?![a-z])", re.I)),
    (
        "reflectance",
        re.compile(r"^(refl(ectance)?|r|flux|spec(trum)?|norm\w*|value)(?![a-z])", re.I),
    ),
)


def column_roles(names: Sequence[str]) -> dict[str, int] | None:
    """Map column roles to column indices from the column names.

    Parameters
    ----------
    names : sequence of str
        Column names, in order (quotes and surrounding spaces are ignored).

    Returns
    -------
    dict or None
        ``{"wavelength": i, "reflectance": j}`` and ``"error": k`` when an error column is
        named; the first column of each role wins. None unless both a wavelength and a
        reflectance column are recognised.

    Examples
    --------
    >>> column_roles(["lambda (nm)", "reflectance", "reflectance_err"])
    {'wavelength': 0, 'reflectance': 1, 'error': 2}
    >>> column_roles(["a", "b"]) is None
    True
    """
    roles: dict[str, int] = {}
    for index, name in enumerate(names):
        clean = name.strip().strip("\"'")
        for role, pattern in _ROLE_PATTERNS:
            if pattern.search(clean):
                roles.setdefault(role, index)
                break
    if "wavelength" in roles and "reflectance" in roles:
        return roles
    return None


def table_columns(
    table: Any, *, unit: str | None = None, where: str = "<table>"
) -> tuple[dict[str, npt.NDArray[np.float64]], str | None]:
    """Return the wavelength, reflectance and error columns of a table as float arrays.

    Columns are found by name (:func:`column_roles`) or, without recognised names, by
    position (wavelength, reflectance, then error). A wavelength column with an astropy
    unit (a length, frequency, wavenumber or energy) is converted to µm with
    :func:`astropy.units.spectral`, unless `unit` is given.

    Parameters
    ----------
    table : astropy.table.Table or astropy.table.QTable
        One row per sample; any object with ``colnames`` and columns by name.
    unit : str, optional
        Wavelength unit of the values (``"um"``, ``"nm"``, ``"angstrom"``); overrides the
        column's unit.
    where : str
        Name used in error messages.

    Returns
    -------
    values : dict of str to ndarray of float64, shape (m,)
        ``"wavelength"``, ``"reflectance"`` and, when the table has one, ``"error"``, in
        the table's row order; masked values are NaN.
    unit : str or None
        Unit of ``values["wavelength"]``: `unit`, ``"um"`` after a conversion, the unit in
        the wavelength column's name (``wavelength_nm``), or None (to be guessed).

    Raises
    ------
    ParseError
        Fewer than two columns, columns whose roles cannot be told, or non-numeric values.
    UnitError
        A wavelength unit that cannot be converted to µm.

    Examples
    --------
    >>> import astropy.units as u
    >>> from astropy.table import QTable
    >>> table = QTable({"wavelength": [450, 550, 650] * u.nm, "flux": [0.9, 1.0, 1.1]})
    >>> values, unit = table_columns(table)
    >>> values["wavelength"].round(6).tolist(), unit
    ([0.45, 0.55, 0.65], 'um')
    """
    names = list(getattr(table, "colnames", []))
    if len(names) < 2:
        raise ParseError(
            f"expected at least 2 columns (wavelength, reflectance); got {len(names)}", path=where
        )
    roles = column_roles(names)
    if roles is None:
        if len(names) > 3:
            raise ParseError(
                f"cannot tell which of the columns {names} are wavelength and reflectance; "
                "name them 'wavelength' and 'reflectance' (and 'error')",
                path=where,
            )
        roles = dict(zip(ROLES, range(len(names)), strict=False))
    columns = {role: table[names[index]] for role, index in roles.items()}
    wavelength_unit = unit
    column_unit = getattr(columns["wavelength"], "unit", None)
    try:
        values = {role: _as_floats(column) for role, column in columns.items()}
    except (TypeError, ValueError, ArithmeticError) as error:
        raise ParseError(f"expected numeric columns ({error})", path=where) from None
    if wavelength_unit is None and column_unit is not None:
        import astropy.units as u

        try:
            values["wavelength"] = (values["wavelength"] * u.Unit(column_unit)).to_value(
                u.um, equivalencies=u.spectral()
            )
        except Exception as error:  # astropy raises UnitConversionError, ValueError, …
            raise UnitError(
                f"{where}: cannot convert the wavelength unit {column_unit!s} to µm ({error}); "
                "give the unit explicitly (unit='um', 'nm' or 'angstrom')"
            ) from None
        wavelength_unit = "um"
    wavelength_unit = wavelength_unit or unit_from_name(names[roles["wavelength"]])
    return values, wavelength_unit


def _as_floats(column: Any) -> npt.NDArray[np.float64]:
    """Return a column's values as floats, NaN where the column is masked (missing)."""
    data = getattr(column, "value", column)
    if hasattr(data, "mask") and hasattr(data, "filled"):  # numpy or astropy masked array
        data = data.astype(np.float64).filled(np.nan)
    return np.asarray(data, dtype=np.float64)
