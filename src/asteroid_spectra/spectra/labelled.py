"""A researcher's own labelled spectra: a folder of spectrum files and a labels CSV.

The CSV (:mod:`~asteroid_spectra.spectra.label_table`) names each spectrum's file, its
class and, optionally, its asteroid. Each spectrum is read and cleaned
(:func:`~asteroid_spectra.spectra.inputs.spectrum_from_input`: any format
:func:`~asteroid_spectra.spectra.io.read_spectrum` reads, µm/nm/Å guessed, junk rows
dropped with a note) and brought onto the model grid of a coverage rule by
:func:`~asteroid_spectra.spectra.coverage.prepare` (resampled on the grid points it
covers, gaps bridged, ends on multiples of the rule's ``span_step``). A model needs one
grid for all spectra, so they are cut to the span they all cover (the intersection of their
prepared spans, which includes the rule's ``min_coverage`` since each spectrum must) or to
a span the caller gives, and normalised to unity at the rule's first normalisation
wavelength inside it (0.55 µm; 1.2 µm for a near-infrared-only Bus-DeMeo span).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.files import sha256
from asteroid_spectra.exceptions import (
    AsteroidSpectraError,
    CoverageError,
    DataError,
    ParameterError,
)
from asteroid_spectra.spectra.coverage import VISIBLE, CoverageRule, Prepared, prepare
from asteroid_spectra.spectra.inputs import files_of, spectrum_from_input
from asteroid_spectra.spectra.label_table import (
    FILE_COLUMN,
    SHOWN,
    TAXONOMY_COLUMNS,
    read_labels,
    shortlist,
)
from asteroid_spectra.spectra.preprocess import normalise

__all__ = ["LabelledSpectra", "read_labelled"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LabelledSpectra:
    """A user's labelled spectra on one grid.

    Attributes
    ----------
    reflectance : ndarray, shape (n, m)
        The spectra on :attr:`wavelength`, unity at :attr:`normalised_at`.
    wavelength : ndarray, shape (m,)
        The common grid (µm): the points of the rule's grid in the common span.
    labels : ndarray of str, shape (n,)
        The class of each spectrum in :attr:`taxonomy`.
    taxonomy : str
        ``"bus"``, ``"demeo"`` or ``"tholen"``.
    objects : DataFrame
        One row per spectrum, in the CSV's order: ``file`` (as listed), ``object_id``
        (the asteroid, default the file), the taxonomy's class column (``bus_class``…),
        ``path`` (resolved), ``sha256`` (of the file), ``span`` (what the spectrum covers
        on the grid, µm), ``notes`` (repairs and preparation) and the CSV's other columns.
    labels_path : Path
        The labels CSV.
    labels_sha256 : str
        Its sha256.
    normalised_at : float
        Normalisation wavelength (µm).
    notes : tuple of str
        What was done to the set as a whole (files not listed, the span and what limits it).
    """

    reflectance: FloatArray
    wavelength: FloatArray
    labels: npt.NDArray[np.object_]
    taxonomy: str
    objects: pd.DataFrame
    labels_path: Path
    labels_sha256: str
    normalised_at: float
    notes: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[float, float]:
        """First and last wavelength of the grid (µm)."""
        return float(self.wavelength[0]), float(self.wavelength[-1])

    def provenance(self) -> dict[str, Any]:
        """JSON-ready description of the data: the labels CSV and every file with its sha256."""
        return {
            "source": "user",
            "labels": {"name": self.labels_path.name, "sha256": self.labels_sha256},
            "taxonomy": self.taxonomy,
            "n_spectra": len(self.labels),
            "n_objects": int(self.objects[schema.OBJECT_ID].nunique()),
            "span_um": [round(v, 4) for v in self.span],
            "normalisation_um": self.normalised_at,
            "files": [
                {"name": str(name), "sha256": str(digest)}
                for name, digest in zip(
                    self.objects[FILE_COLUMN], self.objects["sha256"], strict=True
                )
            ],
        }


def _resolve(directory: Path, listed: pd.Series, labels_path: Path) -> list[Path]:
    paths = [directory / name for name in listed]  # an absolute name stays itself
    missing = [str(name) for name, p in zip(listed, paths, strict=True) if not p.is_file()]
    if missing:
        raise DataError(
            f"{len(missing)} file(s) listed in {labels_path.name} are not in {directory}: "
            f"{shortlist(missing)}. Expected each 'file' to name a spectrum file in the data "
            "folder (or a path); fix the names or add the files."
        )
    return paths


def _prepare_all(
    paths: list[Path], names: list[str], rule: CoverageRule, grid: FloatArray
) -> list[Prepared]:
    """Read and prepare every spectrum; one error lists every file that fails."""
    prepared: list[Prepared] = []
    failures: list[tuple[str, AsteroidSpectraError]] = []
    for name, path in zip(names, paths, strict=True):
        try:
            spectrum = spectrum_from_input(path)
            result = prepare(spectrum, grid, rule=rule)
        except AsteroidSpectraError as error:
            failures.append((name, error))
            continue
        repairs = tuple(str(note) for note in spectrum.meta.get("repairs", ()))
        prepared.append(Prepared(result.reflectance, result.wavelength, repairs + result.notes))
    if failures:
        kinds = {type(error) for _, error in failures}
        kind = kinds.pop() if len(kinds) == 1 else DataError
        details = "; ".join(f"{name}: {error}" for name, error in failures[:SHOWN])
        more = f"; and {len(failures) - SHOWN} more" if len(failures) > SHOWN else ""
        raise kind(
            f"{len(failures)} of {len(paths)} spectra cannot be used — {details}{more}. Fix or "
            "remove those files (and their rows of the labels CSV)."
        )
    return prepared


def _common_span(
    prepared: list[Prepared], names: list[str], span: tuple[float, float] | None
) -> tuple[tuple[float, float], list[str]]:
    """Return the span every spectrum covers, and a note on what limits it."""
    starts = np.array([p.span[0] for p in prepared])
    stops = np.array([p.span[1] for p in prepared])
    if span is not None:
        short = (starts > span[0] + 1e-9) | (stops < span[1] - 1e-9)
        if short.any():
            raise CoverageError(
                f"{short.sum()} of {short.size} spectra do not cover the requested "
                f"{span[0]:g}-{span[1]:g} µm: "
                f"{shortlist(np.asarray(names)[short].tolist())}. Ask for a narrower span, or "
                "leave it out to use the span common to all spectra."
            )
        return span, []
    lo, hi = float(starts.max()), float(stops.min())
    parts = []
    if starts.min() < lo:
        parts.append(f"the latest start: {shortlist(np.asarray(names)[starts == lo].tolist())}")
    if stops.max() > hi:
        parts.append(f"the earliest end: {shortlist(np.asarray(names)[stops == hi].tolist())}")
    limits = f" ({'; '.join(parts)})" if parts else ""
    note = f"used {lo:g}-{hi:g} µm, the span all spectra cover{limits}"
    return (lo, hi), [note]


def _grid_of(rule: CoverageRule, span: tuple[float, float] | None) -> FloatArray:
    grid = np.asarray(rule.grid, dtype=np.float64)
    if span is None:
        return grid
    lo, hi = span
    need = rule.min_coverage
    if not (lo <= need[0] + 1e-9 and hi >= need[1] - 1e-9):
        raise ParameterError(
            f"The 'span' parameter of read_labelled must include the {need[0]:g}-{need[1]:g} µm "
            f"that {rule.name} needs. Got {lo:g}-{hi:g} µm instead."
        )
    return grid[(grid >= lo - 1e-9) & (grid <= hi + 1e-9)]


def read_labelled(
    directory: str | Path,
    labels_csv: str | Path,
    *,
    taxonomy: str = "bus",
    rule: CoverageRule = VISIBLE,
    span: tuple[float, float] | None = None,
) -> LabelledSpectra:
    r"""Read a folder of labelled spectra onto one grid (module docstring).

    Parameters
    ----------
    directory : str or Path
        The folder the CSV's ``file`` names are relative to.
    labels_csv : str or Path
        The labels CSV (:func:`read_labels`).
    taxonomy : {"bus", "demeo", "tholen"}
        The taxonomy of the classes.
    rule : CoverageRule
        The model grid and what a spectrum must cover
        (:data:`~asteroid_spectra.spectra.coverage.VISIBLE` for Bus classes,
        ``VIS_NIR`` for Bus-DeMeo ones, ``ECAS`` for Tholen ones).
    span : (float, float), optional
        Use the grid points in this range (µm), which every spectrum must cover; default
        the span all spectra cover.

    Returns
    -------
    LabelledSpectra

    Raises
    ------
    DataError
        If the folder or the CSV is missing, or a listed file is not there.
    ParseError
        If the CSV is malformed (:func:`read_labels`) or a spectrum file cannot be read.
    CoverageError
        If a spectrum does not cover the rule's ``min_coverage`` (or `span`).
    ParameterError
        If `span` does not include the rule's ``min_coverage``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> wavelength = np.linspace(0.45, 0.92, 60)
    >>> for name, slope in (("a.txt", 0.0), ("b.txt", 1.0)):
    ...     np.savetxt(folder / name, np.c_[wavelength, 1 + slope * (wavelength - 0.55)])
    >>> _ = (folder / "labels.csv").write_text("file,class\na.txt,C\nb.txt,S\n")
    >>> labelled = read_labelled(folder, folder / "labels.csv")
    >>> labelled.span, labelled.labels.tolist()
    ((0.46, 0.92), ['C', 'S'])
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise DataError(
            f"The data folder {folder} does not exist (or is not a folder); expected the "
            "folder holding the spectrum files the labels CSV lists. Check the --data path."
        )
    labels_path = Path(labels_csv)
    table = read_labels(labels_path, taxonomy=taxonomy)
    names = table[FILE_COLUMN].astype(str).tolist()
    paths = _resolve(folder, table[FILE_COLUMN], labels_path)
    notes = _unlisted(folder, paths, labels_path)
    prepared = _prepare_all(paths, names, rule, _grid_of(rule, span))
    (lo, hi), span_notes = _common_span(prepared, names, span)
    grid = np.asarray(rule.grid, dtype=np.float64)
    wavelength = grid[(grid >= lo - 1e-9) & (grid <= hi + 1e-9)]
    at = next((w for w in rule.normalise_at if lo - 1e-9 <= w <= hi + 1e-9), rule.normalise_at[0])
    rows = np.vstack([_on(p, wavelength) for p in prepared])
    reflectance = normalise(wavelength, rows, at=at).reflectance
    objects = table.assign(
        path=[str(p) for p in paths],
        sha256=[sha256(p) for p in paths],
        span=[f"{p.span[0]:g}-{p.span[1]:g}" for p in prepared],
        notes=["; ".join(p.notes) for p in prepared],
    )
    return LabelledSpectra(
        reflectance=np.asarray(reflectance, dtype=np.float64),
        wavelength=wavelength,
        labels=table[TAXONOMY_COLUMNS[taxonomy]].to_numpy(dtype=object),
        taxonomy=taxonomy,
        objects=objects.reset_index(drop=True),
        labels_path=labels_path,
        labels_sha256=sha256(labels_path),
        normalised_at=float(at),
        notes=(*notes, *span_notes),
    )


def _on(prepared: Prepared, wavelength: FloatArray) -> FloatArray:
    """Return the prepared values at the points of `wavelength` (all on its grid)."""
    index = np.searchsorted(prepared.wavelength, wavelength - 1e-9)
    return np.asarray(prepared.reflectance[index], dtype=np.float64)


def _unlisted(folder: Path, paths: list[Path], labels_path: Path) -> list[str]:
    """Return a note naming the files of `folder` the CSV does not list (not used)."""
    used = {p.resolve() for p in paths} | {labels_path.resolve()}
    extra = [p.name for p in files_of([folder]) if p.resolve() not in used]
    if not extra:
        return []
    return [
        f"{len(extra)} file(s) in {folder} are not listed in {labels_path.name} and were not "
        f"used: {shortlist(extra)}"
    ]
