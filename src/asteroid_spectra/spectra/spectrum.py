"""The :class:`Spectrum` value object.

A spectrum is immutable: its arrays are read-only copies, and every method returns a new
:class:`Spectrum`. Construction validates everything once
(:func:`~asteroid_spectra.spectra.validation.check_samples`), so code that receives a
:class:`Spectrum` can trust it: wavelengths in µm, finite, strictly increasing and
inside 0.1-6 µm; finite, non-negative reflectance; at least
:data:`~asteroid_spectra.spectra.validation.MIN_POINTS` samples.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import AsteroidSpectraError, CoverageError
from asteroid_spectra.schema import NORMALISATION_WAVELENGTH
from asteroid_spectra.spectra import preprocess, shape
from asteroid_spectra.spectra.units import guess_unit, to_micron
from asteroid_spectra.spectra.validation import check_samples

if TYPE_CHECKING:
    import pandas as pd
    import specutils
    from astropy.table import QTable

__all__ = ["Spectrum"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Spectrum:
    """A reflectance spectrum: wavelength (µm), reflectance, optional error and flag.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Wavelengths in µm, finite, strictly increasing, within 0.1-6 µm. Use
        :meth:`from_arrays` for other units or unsorted input.
    reflectance : array_like, shape (m,)
        Reflectance, finite and non-negative (usually normalised to 1 at 0.55 µm).
    error : array_like, shape (m,), optional
        1-sigma errors, finite and non-negative.
    flag : array_like of int, shape (m,), optional
        Per-sample quality flags, 0 meaning good (as Gaia DR3).
    meta : Mapping, optional
        Free metadata (object identity, source file, survey…).

    Raises
    ------
    SpectrumError
        Shapes differ, too few points, NaNs, unsorted wavelengths, negative values.
    UnitError
        Wavelengths outside 0.1-6 µm (e.g. nm given as µm).

    Examples
    --------
    >>> s = Spectrum.from_arrays([440, 550, 660, 770], [0.9, 1.0, 1.1, 1.2], unit="nm")
    >>> s.wavelength.tolist()
    [0.44, 0.55, 0.66, 0.77]
    >>> round(s.slope(), 3)
    0.909
    """

    wavelength: FloatArray
    reflectance: FloatArray
    error: FloatArray | None = None
    flag: npt.NDArray[np.int8] | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        samples = check_samples(self.wavelength, self.reflectance, self.error, self.flag)
        for name, array in samples._asdict().items():
            object.__setattr__(self, name, array)
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    # --- construction ------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        wavelength: npt.ArrayLike,
        reflectance: npt.ArrayLike,
        error: npt.ArrayLike | None = None,
        *,
        unit: str | None = None,
        flag: npt.ArrayLike | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Spectrum:
        """Build a spectrum from arrays in any wavelength unit.

        Parameters
        ----------
        wavelength, reflectance, error, flag : array_like
            As for :class:`Spectrum`; wavelengths in `unit`. Strictly decreasing input
            (as some instruments write) is reversed.
        unit : str, optional
            ``"um"``, ``"nm"`` or ``"angstrom"``; None guesses it from the values
            (:func:`~asteroid_spectra.spectra.units.guess_unit`).
        meta : Mapping, optional
            Metadata; the wavelength unit read is recorded as ``meta["input_unit"]``.

        Raises
        ------
        UnitError
            Unknown or ambiguous unit, or one that puts wavelengths outside 0.1-6 µm.
        """
        unit = guess_unit(wavelength) if unit is None else unit
        micron = to_micron(wavelength, unit)
        arrays: list[Any] = [micron, np.asarray(reflectance, dtype=np.float64)]
        arrays += [None if a is None else np.asarray(a) for a in (error, flag)]
        if micron.ndim == 1 and micron.size > 1 and np.all(np.diff(micron) < 0):
            arrays = [None if a is None else a[::-1] for a in arrays]
        info = dict(meta or {})
        info.setdefault("input_unit", unit)
        return cls(arrays[0], arrays[1], arrays[2], arrays[3], info)

    def replace(self, **changes: Any) -> Spectrum:
        """Return a copy with some fields replaced (validated again)."""
        return dataclasses.replace(self, **changes)

    # --- inspection --------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.wavelength.size)

    def __repr__(self) -> str:
        name = self.meta.get("object_id") or self.meta.get("source") or ""
        label = f" {name}" if name else ""
        return (
            f"<Spectrum{label}: {len(self)} samples, {self.wavelength[0]:.4g}-"
            f"{self.wavelength[-1]:.4g} µm{', with errors' if self.error is not None else ''}>"
        )

    @property
    def range(self) -> tuple[float, float]:
        """First and last wavelength, µm."""
        return float(self.wavelength[0]), float(self.wavelength[-1])

    def covers(self, lo: float, hi: float, tolerance: float = 1e-9) -> bool:
        """Whether the spectrum spans `lo`-`hi` µm."""
        first, last = self.range
        return first <= lo + tolerance and last >= hi - tolerance

    def require_coverage(self, lo: float, hi: float, *, needed_by: str = "this operation") -> None:
        """Raise :class:`CoverageError` unless the spectrum spans `lo`-`hi` µm.

        The message names the missing part(s) of the range.
        """
        if self.covers(lo, hi):
            return
        first, last = self.range
        missing = []
        if first > lo:
            missing.append(f"{lo:.4g}-{first:.4g} µm")
        if last < hi:
            missing.append(f"{last:.4g}-{hi:.4g} µm")
        raise CoverageError(
            f"The spectrum covers {first:.4g}-{last:.4g} µm but {needed_by} needs "
            f"{lo:.4g}-{hi:.4g} µm; missing {' and '.join(missing)}."
        )

    # --- transformations (new objects) ---------------------------------------------
    def crop(self, lo: float, hi: float) -> Spectrum:
        """Keep the samples within `lo`-`hi` µm."""
        keep = (self.wavelength >= lo) & (self.wavelength <= hi)
        return self._subset(keep)

    def _subset(self, keep: npt.NDArray[np.bool_]) -> Spectrum:
        return self.replace(
            wavelength=self.wavelength[keep],
            reflectance=self.reflectance[keep],
            error=None if self.error is None else self.error[keep],
            flag=None if self.flag is None else self.flag[keep],
        )

    def resample(self, grid: npt.ArrayLike, method: preprocess.Method = "auto") -> Spectrum:
        """Resample to `grid` (µm); see :func:`~asteroid_spectra.spectra.preprocess.resample`."""
        result = preprocess.resample(
            self.wavelength, self.reflectance, grid, method=method, error=self.error
        )
        return self.replace(
            wavelength=np.asarray(grid, dtype=np.float64),
            reflectance=result.reflectance,
            error=result.error,
            flag=None,
        )

    def normalise(self, at: float = NORMALISATION_WAVELENGTH, window: float = 0.0) -> Spectrum:
        """Divide by the reflectance at `at` µm; see :func:`~.preprocess.normalise`."""
        result = preprocess.normalise(
            self.wavelength, self.reflectance, at=at, window=window, error=self.error
        )
        return self.replace(reflectance=result.reflectance, error=result.error)

    def slope(self, at: float = NORMALISATION_WAVELENGTH) -> float:
        """Spectral slope in µm⁻¹ of the normalised spectrum; see :func:`~.shape.slope`."""
        normalised = self.normalise(at)
        return float(
            shape.slope(
                normalised.wavelength, normalised.reflectance, at=at, error=normalised.error
            )
        )

    def remove_slope(self, at: float = NORMALISATION_WAVELENGTH) -> Spectrum:
        """Normalise at `at`, then divide by the slope line.

        See :func:`~asteroid_spectra.spectra.shape.remove_slope`.
        """
        normalised = self.normalise(at)
        result = shape.remove_slope(
            normalised.wavelength, normalised.reflectance, at=at, error=normalised.error
        )
        return self.replace(reflectance=result.reflectance, error=result.error)

    def smooth(self, lam: float | None = None) -> Spectrum:
        """Smooth with a cubic smoothing spline; see :func:`~.shape.smooth`."""
        values = shape.smooth(self.wavelength, self.reflectance, lam=lam, error=self.error)
        return self.replace(reflectance=values)

    def to_frame(self) -> pd.DataFrame:
        """Return the samples as a DataFrame (``wavelength`` in µm, ``reflectance``, …)."""
        import pandas as pd

        columns: dict[str, Any] = {"wavelength": self.wavelength, "reflectance": self.reflectance}
        if self.error is not None:
            columns["error"] = self.error
        if self.flag is not None:
            columns["flag"] = self.flag
        frame = pd.DataFrame(columns)
        frame.attrs["meta"] = dict(self.meta)
        return frame

    # --- astropy and specutils (helpers in :mod:`~asteroid_spectra.spectra.convert`) -----
    def to_qtable(self) -> QTable:
        """Return the spectrum as an astropy QTable.

        Returns
        -------
        QTable
            Columns ``wavelength`` (Quantity, µm), ``reflectance`` (dimensionless
            Quantity), ``error`` (dimensionless Quantity, 1-sigma) if the spectrum has
            errors and ``flag`` (int8, 0 meaning good) if it has flags; ``table.meta`` is
            a copy of ``meta``. :meth:`from_qtable` reads it back exactly.

        Examples
        --------
        >>> s = Spectrum([0.45, 0.55, 0.65], [0.9, 1.0, 1.1], meta={"object_id": "4"})
        >>> table = s.to_qtable()
        >>> table.colnames
        ['wavelength', 'reflectance']
        >>> table["wavelength"].unit
        Unit("um")
        >>> table.meta["object_id"]
        '4'
        """
        from asteroid_spectra.spectra.convert import build_qtable

        return build_qtable(self)

    @classmethod
    def from_qtable(cls, table: Any) -> Spectrum:
        """Build a spectrum from an astropy QTable (or Table), the inverse of :meth:`to_qtable`.

        Wavelength, reflectance and error columns are found by name
        (:func:`~asteroid_spectra.spectra.columns.table_columns`), the wavelength
        converted to µm with its astropy unit, which may be a length, frequency,
        wavenumber or energy. A column named ``flag`` becomes the per-sample flags.

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
        >>> back = Spectrum.from_qtable(s.to_qtable())
        >>> back.wavelength.tolist(), back.flag.tolist()
        ([0.45, 0.55, 0.65], [0, 1, 0])
        """
        from asteroid_spectra.spectra.convert import qtable_fields

        fields = qtable_fields(table)
        try:
            spectrum = cls.from_arrays(
                fields["wavelength"],
                fields["reflectance"],
                fields["error"],
                unit=fields["unit"],
                meta=fields["meta"],
            )
        except AsteroidSpectraError as error:
            raise type(error)(f"<table>: {error}") from None
        # The table carries its units, so no ``input_unit`` is added: the round trip is exact.
        return spectrum.replace(flag=fields["flag"], meta=fields["meta"])

    def to_specutils(self) -> specutils.Spectrum:
        """Return the spectrum as a :class:`specutils.Spectrum` (specutils ≥ 2.0).

        Returns
        -------
        specutils.Spectrum
            ``spectral_axis`` in µm, ``flux`` a dimensionless Quantity, ``uncertainty`` a
            :class:`~astropy.nddata.StdDevUncertainty` if the spectrum has errors,
            ``mask`` ``flag != 0`` if it has flags (True marks a bad sample, as in
            astropy), and a copy of ``meta``. The flag values themselves are not kept:
            use :meth:`to_qtable` to keep them.

        Raises
        ------
        MissingDependencyError
            If specutils is not installed (``pip install "asteroid-spectra[astro]"``).

        Examples
        --------
        >>> s = Spectrum([0.45, 0.55, 0.65], [0.9, 1.0, 1.1], [0.01, 0.01, 0.02], [0, 2, 0])
        >>> obj = s.to_specutils()
        >>> obj.spectral_axis.unit, obj.flux.unit
        (Unit("um"), Unit(dimensionless))
        >>> type(obj.uncertainty).__name__, obj.mask.tolist()
        ('StdDevUncertainty', [False, True, False])
        """
        from asteroid_spectra.spectra.convert import build_specutils

        return build_specutils(self)

    @classmethod
    def from_specutils(cls, obj: specutils.Spectrum) -> Spectrum:
        """Build a spectrum from one :class:`specutils.Spectrum` (specutils ≥ 2.0).

        Parameters
        ----------
        obj : specutils.Spectrum
            One spectrum (1-D flux). The spectral axis may be in any length unit (µm, nm,
            Å), frequency, wavenumber or energy; it is converted to µm with
            :func:`astropy.units.spectral` and the samples are sorted by increasing
            wavelength (a frequency axis runs the other way). The flux unit is dropped and
            its values taken as they are: the reflectance must already be relative (e.g.
            normalised at 0.55 µm), not a flux density. The uncertainty, if any, must be
            1-sigma or convertible to it (:class:`~astropy.nddata.VarianceUncertainty`,
            :class:`~astropy.nddata.InverseVariance`); it is expressed in the flux unit.

        Returns
        -------
        Spectrum
            Masked samples (``mask`` True or non-zero) are dropped; if `obj` has a mask,
            the kept samples get flag 0, otherwise the spectrum has no flags. ``meta`` is
            a copy of ``obj.meta``.

        Raises
        ------
        MissingDependencyError
            If specutils is not installed (``pip install "asteroid-spectra[astro]"``).
        SpectrumError
            If `obj` is not a specutils spectrum, holds several spectra, or has an
            uncertainty that cannot be expressed as a standard deviation; or the values
            do not make a valid spectrum.
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
        >>> s = Spectrum.from_specutils(obj)
        >>> s.wavelength.tolist(), s.reflectance.tolist()
        ([0.45, 0.55, 0.65], [0.9, 1.0, 1.1])
        """
        from asteroid_spectra.spectra.convert import specutils_fields

        return cls(**specutils_fields(obj))
