"""Convert a :class:`~asteroid_spectra.spectra.spectrum.Spectrum` to and from astropy objects.

Two exchange formats:

- :class:`astropy.table.QTable`, with columns ``wavelength`` (µm), ``reflectance``
  (dimensionless), ``error`` and ``flag`` when present, and the spectrum's metadata in
  ``table.meta``. :func:`to_qtable` and :func:`from_qtable` round-trip exactly.
- :class:`specutils.Spectrum` (specutils ≥ 2.0, the optional ``astro`` extra:
  ``pip install "asteroid-spectra[astro]"``). A specutils mask is boolean, so only
  "good" (flag 0) or "bad" (any other flag) survives :func:`to_specutils`; keep the
  flag values with a QTable instead.

The astropy and specutils imports happen inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import AsteroidSpectraError, SpectrumError, UnitError
from asteroid_spectra.spectra.spectrum import Spectrum

if TYPE_CHECKING:
    import specutils
    from astropy.table import QTable

__all__ = ["from_qtable", "from_specutils", "to_qtable", "to_specutils"]


# --- astropy QTable ----------------------------------------------------------------------
def to_qtable(spectrum: Spectrum) -> QTable:
    """Return a spectrum as an astropy QTable.

    Parameters
    ----------
    spectrum : Spectrum
        The spectrum to convert (not modified).

    Returns
    -------
    QTable
        Columns ``wavelength`` (Quantity, µm), ``reflectance`` (dimensionless Quantity),
        ``error`` (dimensionless Quantity, 1-sigma) if the spectrum has errors and
        ``flag`` (int8, 0 meaning good) if it has flags; ``table.meta`` is a copy of
        ``spectrum.meta``.

    Examples
    --------
    >>> s = Spectrum([0.45, 0.55, 0.65], [0.9, 1.0, 1.1], meta={"object_id": "4"})
    >>> table = to_qtable(s)
    >>> table.colnames
    ['wavelength', 'reflectance']
    >>> table["wavelength"].unit
    Unit("um")
    >>> table.meta["object_id"]
    '4'
    """
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


def from_qtable(table: Any) -> Spectrum:
    """Build a spectrum from an astropy QTable (or Table), the inverse of :func:`to_qtable`.

    Wavelength, reflectance and error columns are read by
    :func:`~asteroid_spectra.spectra.io.spectrum_from_table` (found by name, the
    wavelength converted to µm with its astropy unit, which may be a length, frequency,
    wavenumber or energy). A column named ``flag`` becomes the per-sample flags.

    Parameters
    ----------
    table : astropy.table.QTable or astropy.table.Table
        One row per sample.

    Returns
    -------
    Spectrum
        Sorted by wavelength; ``meta`` is a copy of ``table.meta``.

    Raises
    ------
    ParseError
        If no wavelength and reflectance columns can be identified.
    UnitError, SpectrumError
        If the values do not make a valid spectrum.

    Examples
    --------
    >>> s = Spectrum([0.45, 0.55, 0.65], [0.9, 1.0, 1.1], flag=[0, 1, 0])
    >>> back = from_qtable(to_qtable(s))
    >>> back.wavelength.tolist(), back.flag.tolist()
    ([0.45, 0.55, 0.65], [0, 1, 0])
    """
    from asteroid_spectra.spectra.io import spectrum_from_table

    meta = dict(getattr(table, "meta", None) or {})
    spectrum = spectrum_from_table(table, meta=meta)
    flag = None
    if "flag" in table.colnames:
        column = table["flag"]
        flag = np.asarray(getattr(column, "value", column))
        if _rows_reversed(table):
            flag = flag[::-1]
    # The table carries its units, so no ``input_unit`` is added: the round trip is exact.
    return spectrum.replace(flag=flag, meta=meta)


def _rows_reversed(table: Any) -> bool:
    """Whether :func:`spectrum_from_table` reversed the table's rows (λ decreasing in µm)."""
    import astropy.units as u

    from asteroid_spectra.spectra.io import _roles

    names = list(table.colnames)
    roles = _roles(names) or {"wavelength": 0}
    column = table[names[roles["wavelength"]]]
    ends = np.asarray(getattr(column, "value", column), dtype=np.float64)[[0, -1]]
    unit = getattr(column, "unit", None)
    if unit is not None:  # a frequency or wavenumber axis runs the other way
        ends = (ends * u.Unit(unit)).to_value(u.um, equivalencies=u.spectral())
    return bool(ends[0] > ends[-1])


# --- specutils -----------------------------------------------------------------------------
def _specutils() -> Any:
    try:
        import specutils
    except ImportError as error:
        raise AsteroidSpectraError(
            "Converting to and from specutils needs specutils>=2.0, which is not installed; "
            'install the astro extra: pip install "asteroid-spectra[astro]".'
        ) from error
    return specutils


def to_specutils(spectrum: Spectrum) -> specutils.Spectrum:
    """Return a spectrum as a :class:`specutils.Spectrum` (specutils ≥ 2.0).

    Parameters
    ----------
    spectrum : Spectrum
        The spectrum to convert (not modified).

    Returns
    -------
    specutils.Spectrum
        ``spectral_axis`` in µm, ``flux`` a dimensionless Quantity, ``uncertainty`` a
        :class:`~astropy.nddata.StdDevUncertainty` if the spectrum has errors, ``mask``
        ``flag != 0`` if it has flags (True marks a bad sample, as in astropy), and a
        copy of ``meta``. The flag values themselves are not kept: use :func:`to_qtable`
        to keep them.

    Raises
    ------
    AsteroidSpectraError
        If specutils is not installed (``pip install "asteroid-spectra[astro]"``).

    Examples
    --------
    >>> s = Spectrum([0.45, 0.55, 0.65], [0.9, 1.0, 1.1], [0.01, 0.01, 0.02], [0, 2, 0])
    >>> obj = to_specutils(s)
    >>> obj.spectral_axis.unit, obj.flux.unit
    (Unit("um"), Unit(dimensionless))
    >>> type(obj.uncertainty).__name__, obj.mask.tolist()
    ('StdDevUncertainty', [False, True, False])
    """
    specutils = _specutils()
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


def from_specutils(obj: specutils.Spectrum) -> Spectrum:
    """Build a spectrum from one :class:`specutils.Spectrum` (specutils ≥ 2.0).

    Parameters
    ----------
    obj : specutils.Spectrum
        One spectrum (1-D flux). The spectral axis may be in any length unit (µm, nm, Å),
        frequency, wavenumber or energy; it is converted to µm with
        :func:`astropy.units.spectral` and the samples are sorted by increasing
        wavelength (a frequency axis runs the other way). The flux unit is dropped and
        its values taken as they are: the reflectance must already be relative (e.g.
        normalised at 0.55 µm), not a flux density. The uncertainty, if any, must be
        1-sigma or convertible to it (:class:`~astropy.nddata.VarianceUncertainty`,
        :class:`~astropy.nddata.InverseVariance`); it is expressed in the flux unit.

    Returns
    -------
    Spectrum
        Masked samples (``mask`` True or non-zero) are dropped; if `obj` has a mask, the
        kept samples get flag 0, otherwise the spectrum has no flags. ``meta`` is a copy
        of ``obj.meta``.

    Raises
    ------
    AsteroidSpectraError
        If specutils is not installed (``pip install "asteroid-spectra[astro]"``).
    SpectrumError
        If `obj` is not a specutils spectrum, holds several spectra, or has an
        uncertainty that cannot be expressed as a standard deviation; or the values do
        not make a valid spectrum.
    UnitError
        If the spectral axis is not convertible to a wavelength (pixels, velocity).

    Examples
    --------
    >>> import astropy.units as u
    >>> import specutils
    >>> obj = specutils.Spectrum(
    ...     flux=[1.1, 1.0, 0.9] * u.dimensionless_unscaled,
    ...     spectral_axis=[650.0, 550.0, 450.0] * u.nm,
    ... )
    >>> s = from_specutils(obj)
    >>> s.wavelength.tolist(), s.reflectance.tolist()
    ([0.45, 0.55, 0.65], [0.9, 1.0, 1.1])
    """
    specutils = _specutils()
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
            "several spectra. Pass one spectrum at a time, e.g. from_specutils(obj[i]) "
            "for each i."
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
    return Spectrum(
        pick(wavelength),
        pick(flux.value),
        pick(error),
        flag,
        dict(obj.meta or {}),
    )


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
