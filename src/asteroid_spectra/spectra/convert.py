"""Helpers behind the astropy and specutils conversions of a spectrum.

Convert with the :class:`~asteroid_spectra.spectra.spectrum.Spectrum` methods, not with
these helpers: ``spectrum.to_qtable()``, ``Spectrum.from_qtable(table)``,
``spectrum.to_specutils()`` and ``Spectrum.from_specutils(obj)``. The helpers build the
astropy or specutils object from a spectrum, or read the arrays and metadata out of one;
the methods build the spectrum, so this module never imports
:mod:`~asteroid_spectra.spectra.spectrum`.

Two exchange formats:

- :class:`astropy.table.QTable`, with columns ``wavelength`` (µm), ``reflectance``
  (dimensionless), ``error`` and ``flag`` when present, and the spectrum's metadata in
  ``table.meta``. The round trip is exact.
- :class:`specutils.Spectrum` (specutils ≥ 2.0, the optional ``astro`` extra:
  ``pip install "asteroid-spectra[astro]"``). A specutils mask is boolean, so only
  "good" (flag 0) or "bad" (any other flag) survives the conversion to specutils; keep
  the flag values with a QTable instead.

The astropy and specutils imports happen inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import SpectrumError, UnitError
from asteroid_spectra.extras import require
from asteroid_spectra.spectra.columns import table_columns

if TYPE_CHECKING:
    import specutils
    from astropy.table import QTable

    from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = [
    "QTableFields",
    "SpectrumFields",
    "build_qtable",
    "build_specutils",
    "qtable_fields",
    "specutils_fields",
]

FloatArray = npt.NDArray[np.float64]


class SpectrumFields(TypedDict):
    """The fields of a spectrum, as the :class:`Spectrum` constructor takes them."""

    wavelength: FloatArray
    reflectance: FloatArray
    error: FloatArray | None
    flag: npt.NDArray[np.int8] | None
    meta: dict[str, Any]


class QTableFields(TypedDict):
    """What :meth:`Spectrum.from_qtable` needs: the columns, their unit, flag and meta.

    ``wavelength``, ``reflectance`` and ``error`` are in the table's row order and in
    ``unit`` (for :meth:`Spectrum.from_arrays`); ``flag`` is already in the spectrum's
    order (reversed with the rows when the wavelength decreases down the table).
    """

    wavelength: FloatArray
    reflectance: FloatArray
    error: FloatArray | None
    unit: str | None
    flag: npt.NDArray[Any] | None
    meta: dict[str, Any]


# --- astropy QTable ----------------------------------------------------------------------
def build_qtable(spectrum: Spectrum) -> QTable:
    """Return a spectrum as an astropy QTable; see :meth:`Spectrum.to_qtable`."""
    import astropy.units as u
    from astropy.table import QTable

    columns: dict[str, Any] = {
        "wavelength": u.Quantity(spectrum.wavelength, u.um, copy=True),
        "reflectance": u.Quantity(spectrum.reflectance, u.dimensionless_unscaled, copy=True),
    }
    if spectrum.error is not None:
        columns["error"] = u.Quantity(spectrum.error, u.dimensionless_unscaled, copy=True)
    if spectrum.flag is not None:
        columns["flag"] = np.array(spectrum.flag, dtype=np.int8, copy=True)
    return QTable(columns, meta=dict(spectrum.meta), copy=True)


def qtable_fields(table: Any) -> QTableFields:
    """Read the columns, flag and metadata of a table; see :meth:`Spectrum.from_qtable`.

    Raises
    ------
    ParseError
        If no wavelength and reflectance columns can be identified.
    UnitError
        If the wavelength unit cannot be converted to µm.
    """
    meta = dict(getattr(table, "meta", None) or {})
    values, unit = table_columns(table)
    flag = None
    if "flag" in table.colnames:
        column = table["flag"]
        flag = np.asarray(getattr(column, "value", column))
        # Spectrum.from_arrays reverses decreasing rows (in µm or in a length unit: the
        # order is the same); anything else is refused when the spectrum is built.
        wavelength = values["wavelength"]
        if wavelength.ndim == 1 and wavelength.size > 1 and wavelength[0] > wavelength[-1]:
            flag = flag[::-1]
    return {
        "wavelength": values["wavelength"],
        "reflectance": values["reflectance"],
        "error": values.get("error"),
        "unit": unit,
        "flag": flag,
        "meta": meta,
    }


# --- specutils -----------------------------------------------------------------------------
def _specutils(purpose: str) -> Any:
    """Return the specutils module, or raise MissingDependencyError naming the extra."""
    require("astro", purpose)
    import specutils

    return specutils


def build_specutils(spectrum: Spectrum) -> specutils.Spectrum:
    """Return a spectrum as a specutils.Spectrum; see :meth:`Spectrum.to_specutils`.

    Raises
    ------
    MissingDependencyError
        If specutils is not installed (``pip install "asteroid-spectra[astro]"``).
    """
    specutils = _specutils("Spectrum.to_specutils")
    import astropy.units as u
    from astropy.nddata import StdDevUncertainty

    uncertainty = None
    if spectrum.error is not None:
        uncertainty = StdDevUncertainty(
            np.array(spectrum.error, copy=True), unit=u.dimensionless_unscaled
        )
    mask = None if spectrum.flag is None else np.asarray(spectrum.flag) != 0
    return specutils.Spectrum(
        flux=u.Quantity(spectrum.reflectance, u.dimensionless_unscaled, copy=True),
        spectral_axis=u.Quantity(spectrum.wavelength, u.um, copy=True),
        uncertainty=uncertainty,
        mask=mask,
        meta=dict(spectrum.meta),
    )


def specutils_fields(obj: specutils.Spectrum) -> SpectrumFields:
    """Read the samples of a specutils.Spectrum; see :meth:`Spectrum.from_specutils`.

    Returns
    -------
    SpectrumFields
        Wavelength in µm, sorted; masked samples dropped.

    Raises
    ------
    MissingDependencyError
        If specutils is not installed (``pip install "asteroid-spectra[astro]"``).
    SpectrumError
        If `obj` is not a specutils spectrum, holds several spectra, or has an
        uncertainty that cannot be expressed as a standard deviation.
    UnitError
        If the spectral axis is not convertible to a wavelength (pixels, velocity).
    """
    specutils = _specutils("Spectrum.from_specutils")
    import astropy.units as u

    if not isinstance(obj, specutils.Spectrum):
        raise SpectrumError(
            f"Expected a specutils.Spectrum; got {type(obj).__name__}. Build one with "
            "specutils.Spectrum(flux=..., spectral_axis=...)."
        )
    flux = u.Quantity(obj.flux)
    if flux.ndim != 1:
        raise SpectrumError(
            f"Expected one spectrum (1-D flux); got a flux of shape {flux.shape}, i.e. "
            "several spectra. Pass one spectrum at a time, e.g. "
            "Spectrum.from_specutils(obj[i]) for each i."
        )
    axis = u.Quantity(obj.spectral_axis)
    try:
        wavelength = axis.to_value(u.um, equivalencies=u.spectral())
    except u.UnitConversionError:
        raise UnitError(
            f"Expected a spectral axis in a length, frequency, wavenumber or energy unit; "
            f"got {axis.unit!s}, which has no fixed wavelength (pixels, or a velocity "
            "without a rest wavelength). Give the spectral axis in µm, nm or Å."
        ) from None
    error = _sigma(obj.uncertainty, flux.unit)
    keep = np.ones(flux.shape, dtype=np.bool_)
    if obj.mask is not None:
        keep = np.broadcast_to(np.asarray(obj.mask), flux.shape) == 0
    order = np.argsort(wavelength[keep], kind="stable")

    def pick(values: npt.ArrayLike | None) -> Any:
        return None if values is None else np.asarray(values)[keep][order]

    flag = None if obj.mask is None else np.zeros(int(keep.sum()), dtype=np.int8)
    return {
        "wavelength": pick(wavelength),
        "reflectance": pick(flux.value),
        "error": pick(error),
        "flag": flag,
        "meta": dict(obj.meta or {}),
    }


def _sigma(uncertainty: Any, flux_unit: Any) -> npt.NDArray[np.float64] | None:
    """Return an astropy uncertainty as 1-sigma values in `flux_unit`, or None."""
    if uncertainty is None:
        return None
    from astropy.nddata import StdDevUncertainty

    if not isinstance(uncertainty, StdDevUncertainty):
        try:
            uncertainty = uncertainty.represent_as(StdDevUncertainty)
        except (TypeError, ValueError, AttributeError) as error:
            raise SpectrumError(
                f"Expected an uncertainty convertible to a standard deviation "
                f"(StdDevUncertainty, VarianceUncertainty, InverseVariance); got "
                f"{type(uncertainty).__name__} ({error}). Convert it to 1-sigma errors "
                "yourself and pass uncertainty=StdDevUncertainty(sigma), or uncertainty=None "
                "to drop it."
            ) from None
    values = np.asarray(uncertainty.array, dtype=np.float64)
    unit = uncertainty.unit
    if unit is None or flux_unit is None or unit == flux_unit:
        return values
    import astropy.units as u

    # astropy has already checked that the two units are compatible.
    return np.asarray((values * u.Unit(unit)).to_value(flux_unit), dtype=np.float64)
