"""Classify users' spectra: files, directories, arrays or Spectrum objects.

The user path, step by step, each in the module its name says:

1. read and clean (:mod:`asteroid_spectra.spectra.inputs`, :mod:`~asteroid_spectra.spectra.io`);
2. prepare on the part of the SMASSII grid the spectrum covers, gaps bridged, unity at
   0.55 µm (:mod:`asteroid_spectra.spectra.coverage`);
3. choose the model trained on that span (:mod:`asteroid_spectra.models.family`);
4. classify every spectrum sharing a span in one vectorised call
   (:meth:`~asteroid_spectra.models.classifier.TaxonomyModel.classify`, whose
   :class:`~asteroid_spectra.models.predictions.Predictions` are the rows);
5. wrap each row with its source, notes and range
   (:class:`~asteroid_spectra.models.results.Classification`).

A spectrum that cannot be classified gets a Classification carrying its error; the
others are unaffected.

Examples
--------
>>> import numpy as np, asteroid_spectra as asp
>>> wavelength = np.linspace(0.45, 0.90, 200)
>>> result = asp.classify((wavelength, 1 + 0.8 * (wavelength - 0.55)))  # doctest: +SKIP
>>> result.main_group  # doctest: +SKIP
'S'
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from asteroid_spectra.config import Settings
from asteroid_spectra.exceptions import AsteroidSpectraError, SpectrumWarning
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.family import ModelFamily
from asteroid_spectra.models.results import Classification
from asteroid_spectra.spectra.coverage import prepare_many
from asteroid_spectra.spectra.inputs import SpectrumLike, files_of, spectrum_from_input
from asteroid_spectra.spectra.io import read_spectrum
from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = ["Classifier", "classify"]


class _Rows(NamedTuple):
    """Spectra (indices `members`) prepared together on `covered`."""

    members: list[int]
    values: npt.NDArray[np.float64]
    covered: npt.NDArray[np.float64]
    notes: tuple[str, ...]


class Classifier:
    """Classify spectra with the recommended models or a model of one's own.

    Parameters
    ----------
    model : TaxonomyModel, optional
        A trained main-group or bus model (``asteroid-spectra train``); default: the
        recommended models, one per covered wavelength span, trained on first use.
    settings : Settings, optional
        Cache location of the default models.
    """

    def __init__(
        self, model: TaxonomyModel | None = None, settings: Settings | None = None
    ) -> None:
        self.family = ModelFamily("main-group", model=model, settings=settings)

    def classify_spectra(
        self, spectra: Sequence[Spectrum], sources: Sequence[str] | None = None
    ) -> list[Classification]:
        """Classify spectra; the result list is in input order.

        Parameters
        ----------
        spectra : sequence of Spectrum
            Spectra in µm, any coverage and sampling.
        sources : sequence of str, optional
            Names for the results (default ``meta["source"]`` or the index).
        """
        names = [
            str(sources[i]) if sources is not None else str(s.meta.get("source", f"#{i}"))
            for i, s in enumerate(spectra)
        ]
        results: list[Classification | None] = [None] * len(spectra)
        # Spectra sharing a wavelength grid are prepared together, in one vectorised pass.
        grids: dict[bytes, list[int]] = defaultdict(list)
        for i, spectrum in enumerate(spectra):
            grids[spectrum.wavelength.tobytes()].append(i)
        parts: list[_Rows] = []
        for members in grids.values():
            try:
                values, covered, notes = prepare_many(
                    spectra[members[0]].wavelength,
                    np.vstack([spectra[i].reflectance for i in members]),
                    self.family.grid,
                )
            except AsteroidSpectraError as error:
                for i in members:
                    results[i] = Classification(names[i], error=str(error))
                continue
            parts.append(_Rows(members, values, covered, notes))
        repairs = [tuple(s.meta.get("repairs", ())) for s in spectra]
        self._classify_parts(parts, names, repairs, results)
        return [r for r in results if r is not None]

    def classify_arrays(
        self,
        wavelength: npt.ArrayLike,
        reflectance: npt.ArrayLike,
        sources: Sequence[str] | None = None,
        unit: str | None = None,
    ) -> list[Classification]:
        """Classify spectra sampled on one wavelength grid, given as arrays.

        The fast path for a batch from one instrument: the grid is checked once and the
        spectra are prepared and classified in single vectorised calls. Rows with junk
        values (NaN, zero or negative reflectance) go through the per-spectrum cleaning
        of :meth:`classify_spectra` instead; the results are the same either way.

        Parameters
        ----------
        wavelength : array_like, shape (m,)
            Common wavelengths in `unit`.
        reflectance : array_like, shape (n, m)
            One spectrum per row.
        sources : sequence of str, optional
            Names for the results (default ``#<row>``).
        unit : str, optional
            Wavelength unit; guessed from the values if None.

        Returns
        -------
        list of Classification
            One per row, in order.
        """
        rows = np.atleast_2d(np.asarray(reflectance, dtype=np.float64))
        grid = np.asarray(wavelength, dtype=np.float64)
        if grid.ndim == 1 and grid.size > 1 and grid[0] > grid[-1]:  # written red to blue
            grid, rows = grid[::-1], rows[:, ::-1]
        names = [str(sources[i]) if sources is not None else f"#{i}" for i in range(len(rows))]
        results: list[Classification | None] = [None] * len(rows)
        fast = np.array([], dtype=int)
        if rows.ndim == 2 and grid.ndim == 1 and rows.shape[1] == grid.size:
            fast = np.flatnonzero(np.all(np.isfinite(rows) & (rows > 0), axis=1))
        slow = sorted(set(range(len(rows))) - set(fast.tolist()))
        if fast.size:
            try:
                # One spectrum validates the grid (unit, range, order) for all of them.
                first = Spectrum.from_arrays(grid, rows[fast[0]], unit=unit)
                values, covered, notes = prepare_many(
                    first.wavelength, rows[fast], self.family.grid
                )
            except AsteroidSpectraError as error:
                for i in fast:
                    results[i] = Classification(names[i], error=str(error))
            else:
                part = _Rows(fast.tolist(), values, covered, notes)
                self._classify_parts([part], names, [()] * len(rows), results)
        if slow:
            spectra: list[Spectrum] = []
            kept: list[int] = []
            for i in slow:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", SpectrumWarning)
                        spectra.append(spectrum_from_input((grid, rows[i]), unit))
                    kept.append(i)
                except AsteroidSpectraError as error:
                    results[i] = Classification(names[i], error=str(error))
            classified = self.classify_spectra(spectra, [names[i] for i in kept])
            for i, result in zip(kept, classified, strict=True):
                results[i] = result
        return [r for r in results if r is not None]

    def _classify_parts(
        self,
        parts: list[_Rows],
        names: Sequence[str],
        repairs: Sequence[tuple[str, ...]],
        results: list[Classification | None],
    ) -> None:
        """Classify prepared rows, one vectorised call per span; fill `results` in place."""
        spans: dict[tuple[float, float], list[_Rows]] = defaultdict(list)
        for part in parts:
            spans[(float(part.covered[0]), float(part.covered[-1]))].append(part)
        for span, members in spans.items():
            try:
                model = self.family.get(span)
            except AsteroidSpectraError as error:
                for part in members:
                    for i in part.members:
                        results[i] = Classification(names[i], error=str(error))
                continue
            keep = np.isin(np.round(members[0].covered, 6), np.round(model.wavelength, 6))
            span_of = (float(model.wavelength[0]), float(model.wavelength[-1]))
            values = np.vstack([part.values[:, keep] for part in members])
            classified = iter(model.classify(values).records())
            n_points = int(keep.sum())
            for part in members:
                for i in part.members:
                    results[i] = Classification(
                        names[i],
                        **next(classified),
                        wavelength_min=span_of[0],
                        wavelength_max=span_of[1],
                        model=model.name,
                        notes=repairs[i] + part.notes,
                        n_points=n_points,
                    )

    def classify_paths(
        self,
        paths: Iterable[str | Path],
        unit: str | None = None,
        on_file: Callable[[int, int], None] | None = None,
    ) -> list[Classification]:
        """Read and classify files (directories expanded); unreadable files get an error.

        `on_file(done, total)` is called after each file is read.
        """
        spectra: list[Spectrum] = []
        names: list[str] = []
        failed: dict[int, Classification] = {}
        files = files_of(paths)
        for index, path in enumerate(files):
            if on_file is not None:
                on_file(index, len(files))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SpectrumWarning)
                    spectra.append(read_spectrum(path, unit=unit, clean=True))
                names.append(str(path))
            except AsteroidSpectraError as error:
                failed[index] = Classification(str(path), error=str(error))
        classified = iter(self.classify_spectra(spectra, names))
        total = len(spectra) + len(failed)
        return [failed[i] if i in failed else next(classified) for i in range(total)]


def classify(
    spectrum: SpectrumLike | Sequence[SpectrumLike],
    *,
    model: TaxonomyModel | None = None,
    unit: str | None = None,
) -> Classification | list[Classification]:
    """Classify one spectrum, or a list of them, into main group and Bus class.

    Parameters
    ----------
    spectrum : Spectrum, path, (wavelength, reflectance[, error]) or a list of those
        Wavelengths in µm, nm or Å (guessed unless `unit` is given); any coverage that
        includes 0.50-0.80 µm.
    model : TaxonomyModel, optional
        A trained model (:func:`~asteroid_spectra.models.persistence.load_model`);
        default: the recommended models.
    unit : str, optional
        Wavelength unit of paths and arrays.

    Returns
    -------
    Classification or list of Classification
        One per spectrum; a spectrum that fails has ``error`` set instead of a class.
    """
    classifier = Classifier(model)  # the default models are cached, so this is cheap
    single = isinstance(spectrum, Spectrum | str | Path | tuple) or (
        isinstance(spectrum, np.ndarray) and spectrum.ndim == 2 and spectrum.shape[0] in (2, 3)
    )
    items = [spectrum] if single else list(spectrum)  # type: ignore[arg-type]
    prepared: list[Spectrum] = []
    results: dict[int, Classification] = {}
    for index, item in enumerate(items):
        try:
            prepared.append(spectrum_from_input(item, unit))
        except AsteroidSpectraError as error:
            results[index] = Classification(str(item)[:80], error=str(error))
    classified = iter(classifier.classify_spectra(prepared))
    ordered = [results[i] if i in results else next(classified) for i in range(len(items))]
    return ordered[0] if single else ordered
