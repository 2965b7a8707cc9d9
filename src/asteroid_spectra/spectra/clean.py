"""Repair the junk real spectrum files contain, saying what was done.

Files from observatories and colleagues hold rows no spectrum can have: zero or negative
wavelengths (placeholders), NaN, fill values (-1…) or non-positive reflectance (bad pixels, masked
telluric bands), repeated wavelengths (merged orders), unsorted rows. :func:`clean_arrays`
drops or merges them and returns one human-readable note per repair, so a caller can warn
(:class:`~asteroid_spectra.exceptions.SpectrumWarning`) and report; the strict
:class:`~asteroid_spectra.spectra.spectrum.Spectrum` constructor still refuses them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import SpectrumError

__all__ = ["FILL_VALUES", "Cleaned", "clean_arrays"]

FILL_VALUES = (-1.0, -9.99, -99.0, -99.99, -999.0, -9999.0)
"""Reflectances that archives write for "not measured" (ECAS and PDS tables use -1)."""

FloatArray = npt.NDArray[np.float64]


class Cleaned(NamedTuple):
    """Output of :func:`clean_arrays`: sorted arrays and the repairs made."""

    wavelength: FloatArray
    reflectance: FloatArray
    error: FloatArray | None
    notes: tuple[str, ...]


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"


def clean_arrays(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    error: npt.ArrayLike | None = None,
) -> Cleaned:
    """Drop junk rows, sort by wavelength and merge repeated wavelengths.

    Dropped: rows whose wavelength is not finite or not positive, whose reflectance is not
    finite or not positive, or whose error is not finite or negative. Rows sharing a
    wavelength are merged into their mean reflectance (error: ``sqrt(sum(σ²)) / n``).
    Works in any wavelength unit.

    Parameters
    ----------
    wavelength, reflectance : array_like, shape (n,)
        Samples.
    error : array_like, shape (n,), optional
        1-sigma errors.

    Returns
    -------
    Cleaned
        Arrays sorted by increasing wavelength, and one note per kind of repair.

    Raises
    ------
    SpectrumError
        If `reflectance` or `error` does not have one value per wavelength.

    Examples
    --------
    >>> out = clean_arrays([0.5, 0.0, 0.6, 0.6, 0.7], [1.0, 1.0, 1.1, 1.3, float("nan")])
    >>> out.wavelength.tolist(), out.reflectance.round(2).tolist()
    ([0.5, 0.6], [1.0, 1.2])
    >>> out.notes[0]
    'dropped 1 row with a zero, negative or non-finite wavelength'
    """
    wave = np.asarray(wavelength, dtype=np.float64).ravel()
    refl = np.asarray(reflectance, dtype=np.float64).ravel()
    sigma = None if error is None else np.asarray(error, dtype=np.float64).ravel()
    for name, array in (("reflectance", refl), ("error", sigma)):
        if array is not None and array.size != wave.size:
            raise SpectrumError(
                f"{name} must have one value per wavelength ({wave.size}); got {array.size}."
            )
    if (
        wave.size > 1
        and wave[0] > 0
        and np.all(np.diff(wave) > 0)
        and np.all(refl > 0)
        and np.isfinite(wave[-1])
        and np.all(np.isfinite(refl))
        and (sigma is None or (np.all(sigma >= 0) and np.all(np.isfinite(sigma))))
    ):
        return Cleaned(wave, refl, sigma, ())  # nothing to repair: the common case, fast
    notes: list[str] = []
    keep = np.ones(wave.shape, dtype=bool)
    checks: list[tuple[npt.NDArray[np.bool_], str]] = [
        (~(np.isfinite(wave) & (wave > 0)), "a zero, negative or non-finite wavelength"),
        (~np.isfinite(refl), "a NaN or infinite reflectance"),
        (np.isin(refl, FILL_VALUES), "a fill value for a missing reflectance (-1, -99…)"),
        (np.isfinite(refl) & (refl <= 0), "a zero or negative reflectance"),
    ]
    if sigma is not None:
        checks.append((~(np.isfinite(sigma) & (sigma >= 0)), "a negative or non-finite error"))
    for bad, what in checks:
        count = int(np.sum(bad & keep))
        if count:
            notes.append(f"dropped {_rows(count)} with {what}")
        keep &= ~bad
    wave, refl = wave[keep], refl[keep]
    sigma = None if sigma is None else sigma[keep]
    order = np.argsort(wave, kind="stable")
    if np.any(np.diff(order) < 0) and not np.all(np.diff(wave) < 0):
        notes.append("sorted the rows by wavelength")
    wave, refl = wave[order], refl[order]
    sigma = None if sigma is None else sigma[order]
    unique, counts = np.unique(wave, return_counts=True)
    if unique.size < wave.size:
        merged = int(np.sum(counts > 1))
        notes.append(
            f"merged {_rows(wave.size - unique.size + merged)} sharing {merged} "
            f"wavelength{'s' if merged != 1 else ''} into their mean"
        )
        index = np.repeat(np.arange(unique.size), counts)
        refl = np.bincount(index, weights=refl) / counts
        if sigma is not None:
            sigma = np.sqrt(np.bincount(index, weights=sigma**2)) / counts
        wave = unique
    return Cleaned(wave, refl, sigma, tuple(notes))
