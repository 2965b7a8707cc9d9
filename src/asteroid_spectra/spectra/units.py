"""Wavelength units: parse them, guess them from the values, convert to µm.

Inside the package every wavelength is in µm. Files and users give µm, nm or Å; when no
unit is given, :func:`guess_unit` infers it from the values' range, and any unit that
puts the wavelengths outside :data:`VALID_RANGE` is rejected with a
:class:`~asteroid_spectra.exceptions.UnitError` (the classic mistake: nm read as µm).
"""

from __future__ import annotations

import re
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import UnitError

__all__ = [
    "UNITS",
    "VALID_RANGE",
    "check_range",
    "guess_unit",
    "parse_unit",
    "to_micron",
    "unit_from_name",
]

VALID_RANGE = (0.1, 6.0)
"""Wavelengths (µm) a reflectance spectrum of an asteroid can have: UV to the 3-µm band."""

UNITS = MappingProxyType(
    {
        "um": 1.0,
        "µm": 1.0,
        "μm": 1.0,
        "micron": 1.0,
        "microns": 1.0,
        "micrometer": 1.0,
        "micrometre": 1.0,
        "nm": 1e3,
        "nanometer": 1e3,
        "nanometre": 1e3,
        "angstrom": 1e4,
        "angstroms": 1e4,
        "aa": 1e4,
        "å": 1e4,
        "a": 1e4,
    }
)
"""Accepted unit names (case-insensitive) → how many of them make one µm."""


def parse_unit(unit: str) -> float:
    """Return how many `unit` make one µm (divide by it to convert to µm).

    Raises
    ------
    UnitError
        If the unit is not a wavelength unit this package knows.

    Examples
    --------
    >>> parse_unit("nm")
    1000.0
    >>> parse_unit("Angstrom")
    10000.0
    """
    key = unit.strip().lower()
    if key not in UNITS:
        raise UnitError(
            f"Unknown wavelength unit {unit!r}; expected one of um (micron), nm, angstrom."
        )
    return UNITS[key]


_UNIT_IN_NAME = re.compile(
    r"(?:^|[\s_(\[{/-])(µm|μm|um|microns?|micrometers?|micrometres?|nm|nanomet(?:er|re)s?"
    r"|angstroms?|aa|å)(?:$|[\s_)\]}])",
    re.IGNORECASE,
)


def unit_from_name(name: str) -> str | None:
    """Return the unit written in a column name (``"wavelength (nm)"`` → ``"nm"``), if any."""
    match = _UNIT_IN_NAME.search(name)
    return match.group(1).lower() if match else None


def guess_unit(wavelength: npt.ArrayLike) -> str:
    """Guess the unit of wavelengths from their range.

    µm if all lie in 0.1-6; nm if all lie in 100-2600 (UV to K band); Å if all lie in
    2500-60000 and some exceed 2600. Anything else is ambiguous.

    Raises
    ------
    UnitError
        If the range fits no unit; the message asks for an explicit unit.

    Examples
    --------
    >>> guess_unit([0.44, 0.92])
    'um'
    >>> guess_unit([435.0, 925.0])
    'nm'
    >>> guess_unit([4350.0, 9250.0])
    'angstrom'
    """
    values = np.asarray(wavelength, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        raise UnitError("Cannot guess the wavelength unit: no finite wavelength.")
    lo, hi = float(finite.min()), float(finite.max())
    if VALID_RANGE[0] <= lo and hi <= VALID_RANGE[1]:
        return "um"
    if lo >= 100.0 and hi <= 2600.0:
        return "nm"
    if lo >= 2500.0 and hi <= 60000.0:
        return "angstrom"
    raise UnitError(
        f"Cannot guess the wavelength unit of values {lo:.6g}-{hi:.6g}: they fit none of µm "
        "(0.1-6), nm (100-2600) or Å (2500-60000). Give the unit explicitly "
        "(unit='um', 'nm' or 'angstrom') and check the wavelength column."
    )


def check_range(wavelength_um: npt.ArrayLike, unit: str = "um") -> None:
    """Raise :class:`UnitError` unless wavelengths (already in µm) lie in :data:`VALID_RANGE`."""
    values = np.asarray(wavelength_um, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return
    lo, hi = float(finite.min()), float(finite.max())
    if lo < VALID_RANGE[0] or hi > VALID_RANGE[1]:
        hint = ""
        if UNITS.get(unit.strip().lower()) == 1.0 and lo >= 100 and hi <= 60000:
            hint = " They look like nm or Å: give unit='nm' or unit='angstrom'."
        elif hi < VALID_RANGE[0]:
            hint = " They look like metres or mm: convert them to µm first."
        raise UnitError(
            f"Wavelengths {lo:.6g}-{hi:.6g} µm (read as {unit}) are outside the "
            f"{VALID_RANGE[0]:g}-{VALID_RANGE[1]:g} µm of asteroid reflectance spectra.{hint}"
        )


def to_micron(wavelength: npt.ArrayLike, unit: str | None = None) -> npt.NDArray[np.float64]:
    """Convert wavelengths to µm; guess the unit when `unit` is None.

    Raises
    ------
    UnitError
        Unknown unit, ambiguous values, or a result outside :data:`VALID_RANGE`.

    Examples
    --------
    >>> to_micron([440.0, 920.0]).tolist()
    [0.44, 0.92]
    """
    values = np.asarray(wavelength, dtype=np.float64)
    name = guess_unit(values) if unit is None else unit
    converted = values / parse_unit(name)
    check_range(converted, name)
    return converted
