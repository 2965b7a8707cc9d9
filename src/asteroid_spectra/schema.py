"""Canonical column names, units, wavelength grids and class labels.

Everything the rest of the package agrees on is declared here once: wavelengths are in
micrometres (µm) everywhere inside the package, reflectance is dimensionless and
normalised to 1 at :data:`NORMALISATION_WAVELENGTH`, and the Bus (SMASSII) classes map to
the four main groups C, S, X and Other of the reference study.

References
----------
Bus, S. J. & Binzel, R. P. (2002). Phase II of the Small Main-Belt Asteroid Spectroscopic
Survey: a feature-based taxonomy. Icarus 158, 146-177.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import ParameterError

__all__ = [
    "BUS_CLASSES",
    "BUS_TO_MAIN_GROUP",
    "DEMEO_CLASSES",
    "DEMEO_TO_MAIN_GROUP",
    "DEMEO_WAVELENGTH",
    "ECAS_WAVELENGTH",
    "ERROR",
    "FLAG",
    "GAIA_DR3_WAVELENGTH",
    "MAIN_GROUPS",
    "NORMALISATION_WAVELENGTH",
    "SMASS2_WAVELENGTH",
    "THOLEN_CLASSES",
    "THOLEN_TO_MAIN_GROUP",
    "WAVELENGTH",
    "WAVELENGTH_UNIT",
    "main_group",
    "taxonomy_main_group",
]

# --- units -----------------------------------------------------------------------------
WAVELENGTH_UNIT: Final = "um"
"""Unit of every wavelength inside the package (micrometre)."""

NORMALISATION_WAVELENGTH: Final = 0.55
"""Wavelength (µm) at which reflectance spectra are normalised to unity."""

# --- column names of the tidy tables ----------------------------------------------------
SURVEY: Final = "survey"
OBJECT_ID: Final = "object_id"
NUMBER: Final = "number"
NAME: Final = "name"
DESIGNATION: Final = "designation"
WAVELENGTH: Final = "wavelength"
REFLECTANCE: Final = "reflectance"
ERROR: Final = "error"
FLAG: Final = "flag"
BUS_CLASS: Final = "bus_class"
MAIN_GROUP: Final = "main_group"
THOLEN_CLASS: Final = "tholen_class"
THOLEN_CLASS_SMASS1: Final = "tholen_class_smass1"
DEMEO_CLASS: Final = "demeo_class"
PRIMASS_CLASS: Final = "primass_class"
FILE: Final = "file"
"""Which spectrum of a survey a row belongs to (its file or record, as published)."""
LABELLED: Final = "labelled"
LABEL_NOTE: Final = "label_note"

IDENTITY_COLUMNS: Final = (SURVEY, OBJECT_ID, NUMBER, NAME, DESIGNATION)
"""Columns that identify an asteroid in every table."""

SPECTRAL_COLUMNS: Final = (WAVELENGTH, REFLECTANCE, ERROR, FLAG)
"""Per-sample columns of a long (tidy) spectra table."""

# --- wavelength grids ------------------------------------------------------------------
SMASS2_WAVELENGTH: Final[npt.NDArray[np.float64]] = np.round(np.arange(49) * 0.01 + 0.44, 2)
"""The 49-point grid of the SMASSII spline fits: 0.44-0.92 µm in 0.01 µm steps."""
SMASS2_WAVELENGTH.flags.writeable = False

GAIA_DR3_WAVELENGTH: Final[npt.NDArray[np.float64]] = np.round(np.arange(16) * 0.044 + 0.374, 3)
"""The 16 Gaia DR3 reflectance bands: 0.374-1.034 µm in 0.044 µm steps."""
GAIA_DR3_WAVELENGTH.flags.writeable = False

DEMEO_WAVELENGTH: Final[npt.NDArray[np.float64]] = np.round(np.arange(41) * 0.05 + 0.45, 2)
"""The 41-point grid of the Bus-DeMeo taxonomy: 0.45-2.45 µm in 0.05 µm steps (DeMeo et
al. 2009, Icarus 202, 160-180)."""
DEMEO_WAVELENGTH.flags.writeable = False

ECAS_WAVELENGTH: Final[npt.NDArray[np.float64]] = np.array(
    [0.337, 0.359, 0.437, 0.55, 0.701, 0.853, 0.948, 1.041]
)
"""Effective wavelengths (µm) of the eight ECAS filters s, u, b, v, w, x, p, z (Zellner,
Tholen & Tedesco 1985, Icarus 61, 355-416)."""
ECAS_WAVELENGTH.flags.writeable = False

# --- taxonomy --------------------------------------------------------------------------
MAIN_GROUPS: Final = ("C", "S", "X", "Other")
"""The four main groups of the reference study, in display order."""

BUS_TO_MAIN_GROUP: Final = MappingProxyType(
    {
        **dict.fromkeys(("B", "C", "Cb", "Cg", "Cgh", "Ch"), "C"),
        **dict.fromkeys(("S", "Sa", "Sk", "Sl", "Sq", "Sr"), "S"),
        **dict.fromkeys(("X", "Xc", "Xe", "Xk"), "X"),
        **dict.fromkeys(("A", "D", "K", "L", "Ld", "O", "Q", "R", "T", "V"), "Other"),
    }
)
"""Bus class → main group (C, S, X, Other)."""

BUS_CLASSES: Final = tuple(BUS_TO_MAIN_GROUP)
"""The 26 classes of the Bus (1999) / Bus & Binzel (2002) taxonomy, grouped by main group."""


def main_group(bus_class: str) -> str:
    """Return the main group (C, S, X or Other) of a Bus class.

    Parameters
    ----------
    bus_class : str
        A Bus & Binzel (2002) class such as ``"Sq"`` or ``"Xk"``.

    Returns
    -------
    str
        One of :data:`MAIN_GROUPS`.

    Raises
    ------
    ParameterError
        If `bus_class` is not one of :data:`BUS_CLASSES`.

    Examples
    --------
    >>> main_group("Cgh")
    'C'
    >>> main_group("Ld")
    'Other'
    """
    try:
        return BUS_TO_MAIN_GROUP[bus_class]
    except KeyError:
        raise ParameterError(
            f"Unknown Bus class {bus_class!r}; expected one of {', '.join(BUS_CLASSES)}."
        ) from None


DEMEO_TO_MAIN_GROUP: Final = MappingProxyType(
    {
        **dict.fromkeys(("B", "C", "Cb", "Cg", "Cgh", "Ch"), "C"),
        **dict.fromkeys(("S", "Sa", "Sq", "Sr", "Sv"), "S"),
        **dict.fromkeys(("X", "Xc", "Xe", "Xk", "Xn"), "X"),
        **dict.fromkeys(("A", "D", "K", "L", "O", "Q", "R", "T", "V"), "Other"),
    }
)
"""Bus-DeMeo class → main group; a trailing ``w`` (space weathering: slope above 0.25
µm⁻¹, e.g. ``"Sqw"``) keeps the class's group (DeMeo et al. 2009, Icarus 202, 160-180)."""

DEMEO_CLASSES: Final = tuple(DEMEO_TO_MAIN_GROUP)
"""The 25 classes of the Bus-DeMeo taxonomy (24 of DeMeo et al. 2009 and Xn)."""

THOLEN_TO_MAIN_GROUP: Final = MappingProxyType(
    {
        **dict.fromkeys(("B", "C", "F", "G"), "C"),
        "S": "S",
        **dict.fromkeys(("E", "M", "P", "X"), "X"),
        **dict.fromkeys(("A", "D", "Q", "R", "T", "V"), "Other"),
    }
)
"""Tholen (1984) class → main group, by its first letter (the most likely membership of an
ambiguous class such as ``"CX"``; a trailing ``U`` marks an unusual spectrum)."""

THOLEN_CLASSES: Final = tuple(THOLEN_TO_MAIN_GROUP)
"""The 15 single-letter classes of Tholen (1984) (E, M and P differ only by albedo; X is
their colour-only class)."""


def taxonomy_main_group(taxonomy: str, label: str) -> str:
    """Return the main group (C, S, X or Other) of a Bus, Bus-DeMeo or Tholen class.

    Parameters
    ----------
    taxonomy : {"bus", "demeo", "tholen"}
        Which taxonomy `label` belongs to.
    label : str
        The class as published: ``"Sqw"`` (Bus-DeMeo, weathered), ``"CXU"`` (Tholen,
        ambiguous and unusual).

    Raises
    ------
    ParameterError
        If the taxonomy or the class is unknown.

    Examples
    --------
    >>> taxonomy_main_group("demeo", "Sqw"), taxonomy_main_group("tholen", "XFU")
    ('S', 'X')
    """
    if taxonomy == "bus":
        return main_group(label)
    if taxonomy == "demeo":
        base = label[:-1] if label.endswith("w") and label[:-1] in DEMEO_TO_MAIN_GROUP else label
        mapping, key = DEMEO_TO_MAIN_GROUP, base
    elif taxonomy == "tholen":
        mapping, key = THOLEN_TO_MAIN_GROUP, label[:1]
    else:
        raise ParameterError(
            "The 'taxonomy' parameter of taxonomy_main_group must be 'bus', 'demeo' or "
            f"'tholen'. Got {taxonomy!r} instead."
        )
    try:
        return mapping[key]
    except KeyError:
        raise ParameterError(
            f"Unknown {taxonomy} class {label!r}; expected one of {', '.join(mapping)} "
            f"({'with an optional trailing w' if taxonomy == 'demeo' else 'as the first letter'})."
        ) from None
