"""Sets of spectra sampled on one wavelength grid, the form models consume.

A :class:`SpectralSet` holds ``n`` spectra on a shared grid of ``m`` wavelengths as
matrices (``reflectance``, ``error``, ``flag``: shape ``(n, m)``; missing samples NaN)
with one row of metadata per spectrum in ``objects`` (identity, labels…). It converts
losslessly to and from the long tidy tables of :mod:`asteroid_spectra.data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = ["SpectralSet", "band_errors", "load_spectra"]

FloatArray = npt.NDArray[np.float64]


def _readonly(array: Any, dtype: Any) -> Any:
    if array is None:
        return None
    result = np.array(array, dtype=dtype, copy=True)
    result.setflags(write=False)
    return result


@dataclass(frozen=True, eq=False)
class SpectralSet:
    """Spectra on a shared wavelength grid, with per-spectrum metadata.

    Parameters
    ----------
    objects : DataFrame
        One row per spectrum (identity columns, labels…); its index is reset.
    wavelength : array_like, shape (m,)
        Shared grid, µm, strictly increasing.
    reflectance : array_like, shape (n, m)
        Reflectance; NaN where a sample is missing.
    error : array_like, shape (n, m), optional
        1-sigma errors.
    flag : array_like, shape (n, m), optional
        Quality flags, 0 = good.
    provenance : Mapping, optional
        Where the data come from (see :mod:`asteroid_spectra.data.tables`).

    Examples
    --------
    >>> smass = load_spectra("smass2")  # doctest: +SKIP
    >>> labelled = smass.labelled()  # doctest: +SKIP
    >>> len(labelled), labelled.reflectance.shape  # doctest: +SKIP
    (1339, (1339, 49))
    """

    objects: pd.DataFrame
    wavelength: FloatArray
    reflectance: FloatArray
    error: FloatArray | None = None
    flag: npt.NDArray[np.int8] | None = None
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        wavelength = _readonly(self.wavelength, np.float64)
        reflectance = _readonly(self.reflectance, np.float64)
        if wavelength.ndim != 1 or not np.all(np.diff(wavelength) > 0):
            raise SpectrumError("wavelength must be a strictly increasing 1-D grid (µm).")
        shape = (len(self.objects), wavelength.size)
        for name, array in (
            ("reflectance", reflectance),
            ("error", self.error),
            ("flag", self.flag),
        ):
            if array is not None and np.shape(array) != shape:
                raise SpectrumError(
                    f"{name} must have shape {shape} (spectra × wavelengths); "
                    f"got {np.shape(array)}."
                )
        object.__setattr__(self, "objects", self.objects.reset_index(drop=True))
        object.__setattr__(self, "wavelength", wavelength)
        object.__setattr__(self, "reflectance", reflectance)
        object.__setattr__(self, "error", _readonly(self.error, np.float64))
        object.__setattr__(self, "flag", _readonly(self.flag, np.int8))
        object.__setattr__(self, "provenance", MappingProxyType(dict(self.provenance)))

    def __len__(self) -> int:
        return len(self.objects)

    def __repr__(self) -> str:
        source = self.provenance.get("source", "spectra")
        return (
            f"<SpectralSet {source}: {len(self)} spectra × {self.wavelength.size} wavelengths, "
            f"{self.wavelength[0]:.4g}-{self.wavelength[-1]:.4g} µm>"
        )

    # --- selection ---------------------------------------------------------------------
    def select(self, rows: npt.ArrayLike) -> SpectralSet:
        """Return the spectra at `rows` (boolean mask or integer positions)."""
        index = np.asarray(rows)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return SpectralSet(
            self.objects.iloc[index],
            self.wavelength,
            self.reflectance[index],
            None if self.error is None else self.error[index],
            None if self.flag is None else self.flag[index],
            self.provenance,
        )

    def labelled(self) -> SpectralSet:
        """Return the spectra with a Bus class (``objects["labelled"]`` true)."""
        if schema.LABELLED not in self.objects:
            raise SpectrumError("This set has no 'labelled' column: it carries no taxonomy.")
        return self.select(self.objects[schema.LABELLED].to_numpy(dtype=bool))

    def labels(self, column: str = schema.MAIN_GROUP) -> npt.NDArray[np.object_]:
        """Return a label column (``main_group``, ``bus_class``…) as an array."""
        if column not in self.objects:
            raise SpectrumError(
                f"No column {column!r} in this set; available: {', '.join(self.objects.columns)}."
            )
        return self.objects[column].to_numpy(dtype=object)

    def spectrum(self, i: int) -> Spectrum:
        """Return spectrum `i` as a :class:`Spectrum` (missing samples dropped)."""
        keep = np.isfinite(self.reflectance[i])
        if self.error is not None:
            keep &= np.isfinite(self.error[i])
        row = self.objects.iloc[i]
        meta = {str(key): (None if pd.isna(value) else value) for key, value in row.items()}
        return Spectrum(
            self.wavelength[keep],
            self.reflectance[i, keep],
            None if self.error is None else self.error[i, keep],
            None if self.flag is None else self.flag[i, keep],
            meta,
        )

    # --- tidy tables -------------------------------------------------------------------
    @classmethod
    def from_table(cls, table: pd.DataFrame) -> SpectralSet:
        """Build a set from a long table (one row per sample, see :mod:`~asteroid_spectra.data`).

        Columns ``wavelength``, ``reflectance`` and optional ``error`` and ``flag`` are
        per sample; every other column is per spectrum (grouped by ``object_id``).

        Raises
        ------
        SpectrumError
            If required columns are missing or a spectrum has a wavelength twice.
        """
        for column in (schema.OBJECT_ID, schema.WAVELENGTH, schema.REFLECTANCE):
            if column not in table:
                raise SpectrumError(
                    f"The table has no {column!r} column; it is not a spectra table."
                )
        rows, ids = pd.factorize(table[schema.OBJECT_ID], sort=False)
        grid, columns = np.unique(
            table[schema.WAVELENGTH].to_numpy(np.float64), return_inverse=True
        )
        shape = (len(ids), grid.size)
        cells = rows * grid.size + columns
        if np.bincount(cells, minlength=shape[0] * shape[1]).max(initial=0) > 1:
            raise SpectrumError(
                "Some spectrum has the same wavelength twice; deduplicate the table."
            )

        def matrix(column: str, dtype: Any, fill: Any) -> Any:
            if column not in table:
                return None
            out = np.full(shape, fill, dtype=dtype)
            out[rows, columns] = table[column].to_numpy(dtype=dtype, na_value=fill)
            return out

        first = np.unique(rows, return_index=True)[1]
        per_object = [c for c in table.columns if c not in schema.SPECTRAL_COLUMNS]
        return cls(
            table[per_object].iloc[first],
            grid,
            matrix(schema.REFLECTANCE, np.float64, np.nan),
            matrix(schema.ERROR, np.float64, np.nan),
            matrix(schema.FLAG, np.int8, -1),
            table.attrs.get("provenance", {}),
        )

    def to_table(self) -> pd.DataFrame:
        """Return the long tidy table (inverse of :meth:`from_table`, missing samples kept)."""
        n, m = self.reflectance.shape
        table = self.objects.loc[self.objects.index.repeat(m)].reset_index(drop=True)
        table[schema.WAVELENGTH] = np.tile(self.wavelength, n)
        table[schema.REFLECTANCE] = self.reflectance.ravel()
        if self.error is not None:
            table[schema.ERROR] = self.error.ravel()
        if self.flag is not None:
            table[schema.FLAG] = self.flag.ravel()
        table.attrs["provenance"] = dict(self.provenance)
        return table


def load_spectra(
    name: str, *, settings: Settings | None = None, refresh: bool = False
) -> SpectralSet:
    """Load a survey's spectra as a :class:`SpectralSet`.

    Parameters
    ----------
    name : str
        ``"smass2"`` (1341 spline-fit spectra, 49 wavelengths, with Bus labels) or
        ``"gaia-dr3"`` (60,518 spectra, 16 bands, with errors and flags).
    settings : Settings, optional
        Cache, mirror and timeout (default: from the environment).
    refresh : bool
        Parse the source files again.

    Returns
    -------
    SpectralSet
    """
    from asteroid_spectra.data.datasets import load_table

    return SpectralSet.from_table(load_table(name, settings=settings, refresh=refresh))


def band_errors(spectra: SpectralSet, raw: pd.DataFrame) -> FloatArray:
    """1-sigma errors on the grid of `spectra`, from raw spectra with errors.

    For each spectrum, the raw samples (wavelength, reflectance, error) of the same
    ``object_id`` are band-averaged onto the set's grid
    (:func:`~asteroid_spectra.spectra.preprocess.resample`, ``method="bands"``): the
    error of each band mean is ``sqrt(sum(sigma**2)) / n``. Bands without raw samples (gaps)
    and spectra without a raw counterpart get NaN. For SMASSII this estimates the
    uncertainty of the spline-fit points from the survey's own 1-sigma errors, for
    noise-aware training.

    Parameters
    ----------
    spectra : SpectralSet
        Spectra on a grid (e.g. the SMASSII spline fits).
    raw : DataFrame
        Long table with ``object_id``, ``wavelength``, ``reflectance`` and ``error``
        (e.g. ``load_table("smass2", "raw")``).

    Returns
    -------
    ndarray, shape (len(spectra), n_wavelengths)
    """
    from asteroid_spectra.spectra.preprocess import resample

    errors = np.full(spectra.reflectance.shape, np.nan)
    groups = raw.groupby(schema.OBJECT_ID, sort=False)
    rows = {str(key): index for key, index in groups.indices.items()}
    wavelength = raw[schema.WAVELENGTH].to_numpy(np.float64)
    reflectance = raw[schema.REFLECTANCE].to_numpy(np.float64)
    sigma = raw[schema.ERROR].to_numpy(np.float64)
    grid = spectra.wavelength
    for i, object_id in enumerate(spectra.objects[schema.OBJECT_ID].astype(str)):
        index = rows.get(object_id)
        if index is None:
            continue
        source = wavelength[index]
        inside = (grid >= source[0]) & (grid <= source[-1])
        if inside.sum() < 2:
            continue
        result = resample(
            source,
            reflectance[index],
            grid[inside],
            method="bands",
            error=sigma[index],
            empty="nan",
        )
        assert result.error is not None
        errors[i, inside] = result.error
    return errors
