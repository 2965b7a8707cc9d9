"""Classify users' spectra: files, directories, arrays or Spectrum objects.

The user path, step by step, each in the module its name says:

1. read and clean (:mod:`asteroid_spectra.spectra.inputs`, :mod:`~asteroid_spectra.spectra.io`);
2. for each taxonomy (:mod:`asteroid_spectra.models.schemes`: Bus, Bus-DeMeo, Tholen),
   prepare on the part of its grid the spectrum covers, gaps bridged, normalised
   (:mod:`asteroid_spectra.spectra.coverage`);
3. choose the model trained on that span (:mod:`asteroid_spectra.models.family`);
4. classify every spectrum sharing a span in one vectorised call
   (:meth:`~asteroid_spectra.models.classifier.TaxonomyModel.classify`, whose
   :class:`~asteroid_spectra.models.predictions.Predictions` are the rows);
5. merge the taxonomies' rows, with the source, the notes and the ranges used
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
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from asteroid_spectra.config import Settings
from asteroid_spectra.exceptions import AsteroidSpectraError, CoverageError, SpectrumWarning
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.family import ModelFamily
from asteroid_spectra.models.results import Classification
from asteroid_spectra.models.schemes import SCHEMES
from asteroid_spectra.spectra.coverage import CoverageRule, prepare_many
from asteroid_spectra.spectra.inputs import SpectrumLike, files_of, spectrum_from_input
from asteroid_spectra.spectra.io import read_spectrum
from asteroid_spectra.spectra.spectrum import Spectrum

if TYPE_CHECKING:
    from asteroid_spectra.spectra.correction import InstrumentCorrection

__all__ = ["Classifier", "classify"]


class _Rows(NamedTuple):
    """Spectra (indices `members`) prepared together on `covered`."""

    members: list[int]
    values: npt.NDArray[np.float64]
    covered: npt.NDArray[np.float64]
    notes: tuple[str, ...]


class _Classed(NamedTuple):
    """What one taxonomy gave one spectrum: its fields, and the span and model used."""

    record: dict[str, Any]
    span: tuple[float, float]
    n_points: int
    model: str
    notes: tuple[str, ...]


class _Failed(NamedTuple):
    """Why one taxonomy could not classify one spectrum (`brief`: for a note)."""

    error: str
    brief: str


def _failed(error: AsteroidSpectraError, rule: CoverageRule) -> _Failed:
    """Record `error`; a coverage failure is briefly the range the taxonomy needs."""
    if isinstance(error, CoverageError):
        lo, hi = rule.min_coverage
        return _Failed(str(error), f"needs at least {lo:.2f}-{hi:.2f} µm")
    return _Failed(str(error), str(error))


_Outcome = _Classed | _Failed


Outcomes = list[dict[str, _Outcome]]
"""Per spectrum, the outcome of each taxonomy (by scheme name)."""


class Classifier:
    """Classify spectra in every taxonomy their coverage allows.

    Parameters
    ----------
    model : TaxonomyModel, optional
        A trained model (``asteroid-spectra train``) used for every spectrum, in its own
        taxonomy only; default: the recommended models of each taxonomy scheme
        (:data:`~asteroid_spectra.models.schemes.SCHEMES`: Bus, Bus-DeMeo, Tholen), one
        per covered wavelength span, trained on first use.
    settings : Settings, optional
        Cache location of the default models.

    Attributes
    ----------
    families : tuple of ModelFamily
        One per taxonomy, in the order the main group is taken from.
    """

    def __init__(
        self, model: TaxonomyModel | None = None, settings: Settings | None = None
    ) -> None:
        self.families: tuple[ModelFamily, ...]
        if model is not None:
            self.families = (ModelFamily(model=model, settings=settings),)
        else:
            self.families = tuple(ModelFamily(s, settings=settings) for s in SCHEMES.values())

    def classify_spectra(
        self,
        spectra: Sequence[Spectrum],
        sources: Sequence[str] | None = None,
        correction: InstrumentCorrection | None = None,
    ) -> list[Classification]:
        """Classify spectra; the result list is in input order.

        Parameters
        ----------
        spectra : sequence of Spectrum
            Spectra in µm, any coverage and sampling.
        sources : sequence of str, optional
            Names for the results (default ``meta["source"]`` or the index).
        correction : InstrumentCorrection, optional
            Divided out of every spectrum first (:meth:`InstrumentCorrection.apply
            <asteroid_spectra.spectra.correction.InstrumentCorrection.apply>`; noted).
        """
        if correction is not None:
            spectra = [correction.apply(s) for s in spectra]
        names = [
            str(sources[i]) if sources is not None else str(s.meta.get("source", f"#{i}"))
            for i, s in enumerate(spectra)
        ]
        outcomes: Outcomes = [{} for _ in spectra]
        # Spectra sharing a wavelength grid are prepared together, in one vectorised pass.
        grids: dict[bytes, list[int]] = defaultdict(list)
        for i, spectrum in enumerate(spectra):
            grids[spectrum.wavelength.tobytes()].append(i)
        for family in self.families:
            parts: list[_Rows] = []
            for members in grids.values():
                wavelength = spectra[members[0]].wavelength
                rows = np.vstack([spectra[i].reflectance for i in members])
                self._prepare(family, wavelength, rows, members, parts, outcomes)
            self._classify_parts(family, parts, outcomes)
        ranges = [(float(s.wavelength[0]), float(s.wavelength[-1])) for s in spectra]
        repairs = [tuple(s.meta.get("repairs", ())) for s in spectra]
        return [
            _merge(names[i], outcomes[i], ranges[i], repairs[i], self.families)
            for i in range(len(spectra))
        ]

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
            except AsteroidSpectraError as error:
                for i in fast:
                    results[i] = Classification(names[i], error=str(error))
            else:
                members = list(range(len(fast)))
                outcomes: Outcomes = [{} for _ in members]
                for family in self.families:
                    parts: list[_Rows] = []
                    self._prepare(family, first.wavelength, rows[fast], members, parts, outcomes)
                    self._classify_parts(family, parts, outcomes)
                span = (float(first.wavelength[0]), float(first.wavelength[-1]))
                for k, i in enumerate(fast.tolist()):
                    results[i] = _merge(names[i], outcomes[k], span, (), self.families)
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

    @staticmethod
    def _prepare(
        family: ModelFamily,
        wavelength: npt.NDArray[np.float64],
        rows: npt.NDArray[np.float64],
        members: list[int],
        parts: list[_Rows],
        outcomes: Outcomes,
    ) -> None:
        """Prepare spectra for a family; record a coverage failure as their outcome."""
        try:
            values, covered, notes = prepare_many(wavelength, rows, rule=family.rule)
        except AsteroidSpectraError as error:
            for i in members:
                outcomes[i][family.scheme.name] = _failed(error, family.rule)
            return
        parts.append(_Rows(members, values, covered, notes))

    @staticmethod
    def _classify_parts(family: ModelFamily, parts: list[_Rows], outcomes: Outcomes) -> None:
        """Classify prepared rows, one vectorised call per span; record the outcomes."""
        name = family.scheme.name
        spans: dict[tuple[float, float], list[_Rows]] = defaultdict(list)
        for part in parts:
            spans[(float(part.covered[0]), float(part.covered[-1]))].append(part)
        for span, members in spans.items():
            try:
                model = family.get(span)
            except AsteroidSpectraError as error:
                for part in members:
                    for i in part.members:
                        outcomes[i][name] = _failed(error, family.rule)
                continue
            keep = np.isin(np.round(members[0].covered, 6), np.round(model.wavelength, 6))
            used = (float(model.wavelength[0]), float(model.wavelength[-1]))
            values = np.vstack([part.values[:, keep] for part in members])
            records = iter(model.classify(values).records())
            for part in members:
                for i in part.members:
                    outcomes[i][name] = _Classed(
                        next(records), used, int(keep.sum()), model.name, part.notes
                    )

    def classify_paths(
        self,
        paths: Iterable[str | Path],
        unit: str | None = None,
        on_file: Callable[[int, int], None] | None = None,
        correction: InstrumentCorrection | None = None,
    ) -> list[Classification]:
        """Read and classify files (directories expanded); unreadable files get an error.

        `on_file(done, total)` is called after each file is read; `correction` as for
        :meth:`classify_spectra`.
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
        classified = iter(self.classify_spectra(spectra, names, correction))
        total = len(spectra) + len(failed)
        return [failed[i] if i in failed else next(classified) for i in range(total)]


def classify(
    spectrum: SpectrumLike | Sequence[SpectrumLike],
    *,
    model: TaxonomyModel | None = None,
    unit: str | None = None,
    correction: InstrumentCorrection | None = None,
) -> Classification | list[Classification]:
    """Classify one spectrum, or a list of them, in every taxonomy its coverage allows.

    Main group and Bus class from the visible (at least 0.55-0.80 µm), Bus-DeMeo class
    from the near infrared (at least 0.85-2.40 µm), Tholen class from 0.337-1.041 µm.

    Parameters
    ----------
    spectrum : Spectrum, path, (wavelength, reflectance[, error]) or a list of those
        Wavelengths in µm, nm or Å (guessed unless `unit` is given).
    model : TaxonomyModel, optional
        A trained model (:func:`~asteroid_spectra.models.persistence.load_model`);
        default: the recommended models.
    unit : str, optional
        Wavelength unit of paths and arrays.
    correction : InstrumentCorrection, optional
        An instrument correction (``asteroid-spectra calibrate``,
        :meth:`~asteroid_spectra.spectra.correction.InstrumentCorrection.from_json`)
        divided out of every spectrum first.

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
    classified = iter(classifier.classify_spectra(prepared, correction=correction))
    ordered = [results[i] if i in results else next(classified) for i in range(len(items))]
    return ordered[0] if single else ordered


_SHARED = ("main_group", "main_group_probability", "probabilities", "uncertain", "ood_score")
"""Fields of the taxonomy that gives the main group."""


def _unused(lo: float, hi: float, used: tuple[float, float]) -> str:
    """Describe the parts of `lo`-`hi` (µm) outside `used` wider than 0.01 µm."""
    parts = []
    if used[0] - lo > 0.01 + 1e-6:
        parts.append(f"{lo:.2f}-{used[0]:.2f} µm")
    if hi - used[1] > 0.01 + 1e-6:
        parts.append(f"{used[1]:.2f}-{hi:.2f} µm")
    return " and ".join(parts)


def _merge(
    source: str,
    outcomes: dict[str, _Outcome],
    extent: tuple[float, float],
    repairs: tuple[str, ...],
    families: Sequence[ModelFamily],
) -> Classification:
    """One Classification from the outcomes of the taxonomies, primary first."""
    done = [(f.scheme, outcomes[f.scheme.name]) for f in families if f.scheme.name in outcomes]
    classified = [(scheme, o) for scheme, o in done if isinstance(o, _Classed)]
    if not classified:
        failed = [(s, o) for s, o in done if isinstance(o, _Failed)]
        if len(failed) == 1:
            return Classification(source, error=failed[0][1].error)
        return Classification(source, error=" ".join(f"{s.title}: {o.error}" for s, o in failed))
    primary, first = classified[0]
    fields: dict[str, Any] = {key: first.record[key] for key in _SHARED}
    notes = list(repairs) + list(first.notes)
    # A taxonomy that failed is worth a note only if the spectrum has data no class used.
    reach = (min(o.span[0] for _, o in classified), max(o.span[1] for _, o in classified))
    wasted = bool(_unused(*extent, reach))
    for scheme, outcome in done:
        if isinstance(outcome, _Failed):
            if wasted:
                notes.append(f"no {scheme.title} class: {outcome.brief}")
            continue
        prefix = f"{scheme.name}_"
        fields |= {k: v for k, v in outcome.record.items() if k.startswith(prefix)}
        if scheme is not primary:
            notes.extend(n for n in outcome.notes if n not in notes)
        unused = _unused(*extent, outcome.span)
        used = f"{outcome.span[0]:.2f}-{outcome.span[1]:.2f} µm"
        if unused or len(classified) > 1:
            notes.append(
                f"{scheme.title} class from {used}" + (f"; not used: {unused}" if unused else "")
            )
    return Classification(
        source,
        **fields,
        wavelength_min=first.span[0],
        wavelength_max=first.span[1],
        n_points=first.n_points,
        model=first.model,
        notes=tuple(notes),
    )
