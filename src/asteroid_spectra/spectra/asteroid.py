"""Every spectrum of one asteroid, across the surveys, with the labels of each taxonomy.

:func:`spectra_of` finds an asteroid by number (``4``, ``"4"``), name (``"Vesta"``, any
case) or provisional designation (``"1995 BM2"``) in the observation table
(:func:`~asteroid_spectra.data.observations.observations`) and returns its spectra — each
a :class:`~asteroid_spectra.spectra.spectrum.Spectrum` as published (µm; ``meta`` names
the survey and file) — with its Bus, Bus-DeMeo, Tholen and PRIMASS classes. The package
itself is callable for this: ``asteroid_spectra.spectra("Vesta")``.

Examples
--------
>>> import asteroid_spectra as asp
>>> vesta = asp.spectra("Vesta")  # doctest: +SKIP
>>> vesta.labels["demeo_class"], [s.meta["survey"] for s in vesta.spectra]  # doctest: +SKIP
('V', ['smass2', 'gaia-dr3', 'smass1', 'smassir', 'irtf-spex', 'ecas', 'demeo2009'])
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data.designations import normalise_provisional
from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.spectra.spectrum import Spectrum
from asteroid_spectra.spectra.validation import MIN_POINTS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AsteroidSpectra", "find_asteroid", "spectra_of"]


@dataclass(frozen=True, eq=False)
class AsteroidSpectra:
    """The spectra of one asteroid and its classes.

    Attributes
    ----------
    object_id : str
        Its number, else its provisional designation.
    name : str or None
        Its name, if named.
    labels : dict
        ``bus_class``, ``demeo_class``, ``tholen_class``, ``primass_class`` (None where
        the taxonomy has not classified it).
    spectra : tuple of Spectrum
        One per published spectrum, in the order of the observation table; ``meta`` holds
        ``survey`` and ``file``.
    observations : DataFrame
        Its rows of the observation table.
    notes : tuple of str
        Samples dropped (non-positive reflectance) and spectra skipped (fewer than
        :data:`~asteroid_spectra.spectra.validation.MIN_POINTS` usable samples).
    """

    object_id: str
    name: str | None
    labels: dict[str, str | None]
    spectra: tuple[Spectrum, ...]
    observations: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.spectra)

    @property
    def title(self) -> str:
        """``"(4) Vesta"``, or the designation of an unnamed asteroid."""
        if self.name and self.object_id.isdigit():
            return f"({self.object_id}) {self.name}"
        return self.object_id if not self.name else f"{self.name} ({self.object_id})"


def find_asteroid(asteroid: str | int, table: pd.DataFrame) -> str:
    """Return the ``object_id`` of `asteroid` (number, name or designation) in `table`.

    Raises
    ------
    ParameterError
        If no spectrum of such an asteroid is in the table (close names are suggested).
    """
    text = str(asteroid).strip()
    titled = re.fullmatch(r"\((\d+)\)\s*\S.*", text)  # "(4) Vesta", as AsteroidSpectra.title
    text = titled.group(1) if titled else text.strip("()")
    ids = table[schema.OBJECT_ID].astype(str)
    if text in set(ids):
        return text
    provisional = normalise_provisional(text)
    if provisional is not None:
        if provisional in set(ids):
            return provisional
        numbered = table.loc[table[schema.DESIGNATION] == provisional, schema.OBJECT_ID]
        if not numbered.empty:
            return str(numbered.iloc[0])
    names = table[[schema.OBJECT_ID, schema.NAME]].dropna().drop_duplicates()
    lower = names[schema.NAME].astype(str).str.lower()
    hits = names.loc[lower == text.lower(), schema.OBJECT_ID].astype(str).unique()
    if len(hits) == 1:
        return str(hits[0])
    if len(hits) > 1:
        raise ParameterError(
            f"The name {asteroid!r} is that of several asteroids ({', '.join(hits)}); give "
            "its number instead."
        )
    close = difflib.get_close_matches(text.lower(), list(lower.unique()), n=3, cutoff=0.8)
    hint = f" Did you mean {' or '.join(repr(c.title()) for c in close)}?" if close else ""
    raise ParameterError(
        f"No spectrum of the asteroid {asteroid!r} in any survey (searched numbers, names "
        f"and provisional designations).{hint}"
    )


def _spectrum(rows: pd.DataFrame, survey: str, file: str, notes: list[str]) -> Spectrum | None:
    """Return one published spectrum, its unusable samples dropped (None if too few remain).

    What was dropped or skipped is appended to `notes`.
    """
    wavelength = rows[schema.WAVELENGTH].to_numpy(dtype=np.float64)
    reflectance = rows[schema.REFLECTANCE].to_numpy(dtype=np.float64)
    error = None
    if schema.ERROR in rows:
        error = rows[schema.ERROR].to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isnan(error).all():
            error = None
    finite = np.isfinite(reflectance)
    usable = finite & (reflectance > 0)
    where = f"{survey} {file}"
    if (finite & ~usable).any():
        notes.append(
            f"{where}: dropped {int((finite & ~usable).sum())} sample(s) with a zero or "
            "negative reflectance"
        )
    if usable.sum() < MIN_POINTS:
        notes.append(f"{where}: skipped, only {int(usable.sum())} usable sample(s)")
        return None
    if error is not None:
        error = error[usable]
        if not np.isfinite(error).all():  # errors for only some samples: none kept
            error = None
    return Spectrum(
        wavelength[usable],
        reflectance[usable],
        error,
        meta={"survey": survey, "file": file},
    )


def _first(column: pd.Series) -> str | None:
    """Return the column's first value that is not missing, as text (None if none)."""
    present = column.dropna()
    return None if present.empty else str(present.iloc[0])


def spectra_of(asteroid: str | int, settings: Settings | None = None) -> AsteroidSpectra:
    """Return every spectrum of `asteroid` in the surveys, with its classes.

    Parameters
    ----------
    asteroid : str or int
        Number (``4``), name (``"Vesta"``, any case) or provisional designation.
    settings : Settings, optional
        Cache, mirror and timeout (default: from the environment).

    Returns
    -------
    AsteroidSpectra

    Raises
    ------
    ParameterError
        If no survey has a spectrum of it.
    """
    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.data.observations import LABELS, SPECTRAL_TABLES, observations

    table = observations(settings)
    object_id = find_asteroid(asteroid, table)
    rows = table[table[schema.OBJECT_ID] == object_id].reset_index(drop=True)
    spectra = []
    notes: list[str] = []
    for survey in dict.fromkeys(rows[schema.SURVEY]):
        samples = load_table(survey, SPECTRAL_TABLES[survey], settings=settings)
        samples = samples[samples[schema.OBJECT_ID] == object_id]
        for file in rows.loc[rows[schema.SURVEY] == survey, schema.FILE]:
            if schema.FILE in samples.columns:
                of_file = samples[samples[schema.FILE] == file]
            else:
                of_file = samples
            spectrum = _spectrum(of_file, str(survey), str(file), notes)
            if spectrum is not None:
                spectra.append(spectrum)
    labels: dict[str, Any] = {column: _first(rows[column]) for column in LABELS}
    return AsteroidSpectra(
        object_id=object_id,
        name=_first(rows[schema.NAME]),
        labels=labels,
        spectra=tuple(spectra),
        observations=rows,
        notes=tuple(notes),
    )
