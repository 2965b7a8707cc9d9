"""What users hand over, as spectra: files, directories, arrays or Spectrum objects.

Arrays may be a tuple or a 2- or 3-row array (wavelength, reflectance[, error]) with the
wavelength unit given or guessed (:mod:`~asteroid_spectra.spectra.units`); paths are read
by :func:`~asteroid_spectra.spectra.io.read_spectrum`. Junk rows (zero or negative
wavelengths, NaNs, non-positive reflectance) are dropped with a
:class:`~asteroid_spectra.exceptions.SpectrumWarning` and recorded in ``meta["repairs"]``
(:func:`~asteroid_spectra.spectra.clean.clean_arrays`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import ParameterError, SpectrumWarning
from asteroid_spectra.spectra.clean import clean_arrays
from asteroid_spectra.spectra.io import read_spectrum
from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = ["SpectrumLike", "files_of", "spectrum_from_input"]

SpectrumLike = Spectrum | str | Path | npt.ArrayLike | tuple[Any, ...]
"""What :func:`spectrum_from_input` accepts."""


def spectrum_from_input(item: Any, unit: str | None = None) -> Spectrum:
    """Turn a Spectrum, a path, or (wavelength, reflectance[, error]) into a Spectrum.

    Arrays may be a tuple or a 2- or 3-row array; wavelengths in `unit` (guessed if None).
    Junk rows are dropped with a :class:`~asteroid_spectra.exceptions.SpectrumWarning`
    and recorded in ``meta["repairs"]``.
    """
    if isinstance(item, Spectrum):
        return item
    if isinstance(item, str | Path):
        return read_spectrum(item, unit=unit, clean=True)
    columns = list(item) if isinstance(item, tuple | list) else list(np.asarray(item))
    if len(columns) not in (2, 3):
        raise ParameterError(
            "Expected a Spectrum, a file path, or (wavelength, reflectance[, error]) arrays; "
            f"got {len(columns)} arrays."
        )
    repaired = clean_arrays(*columns)
    for note in repaired.notes:
        warnings.warn(note, SpectrumWarning, stacklevel=3)
    meta = {"repairs": list(repaired.notes)} if repaired.notes else {}
    return Spectrum.from_arrays(
        repaired.wavelength, repaired.reflectance, repaired.error, unit=unit, meta=meta
    )


def files_of(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories into the files they hold (sorted; hidden files skipped)."""
    files: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            files.extend(
                sorted(p for p in entry.iterdir() if p.is_file() and not p.name.startswith("."))
            )
        else:
            files.append(entry)
    return files
