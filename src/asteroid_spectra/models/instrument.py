"""Learn a user's instrument correction from their spectra of asteroids of known class.

Each of the user's labelled spectra (:func:`~asteroid_spectra.spectra.labelled.read_labelled`,
the labels CSV of :mod:`~asteroid_spectra.spectra.label_table`) is paired with a SMASSII
reference (Bus & Binzel 2002):

- the SMASSII spectrum of the **same asteroid**, when the CSV's ``object_id`` names one
  SMASSII observed (identity by number, else provisional designation, as
  :func:`~asteroid_spectra.data.crossmatch.match_objects`; names are not matched);
- otherwise the **mean SMASSII spectrum of its Bus class**.

Both are taken at the user's grid points (points of the SMASSII grid) and normalised at
0.55 µm; :func:`~asteroid_spectra.spectra.correction.fit_correction` gives the median
ratio. A same-asteroid pair measures the instrument alone; a class-mean pair adds the
spread of the class (a few per cent for S types beyond 0.8 µm), which the median over many
pairs averages down, so same-asteroid references are worth observing.

Only Bus classes (visible spectra, 0.44-0.92 µm) are supported: SMASSII is the reference.
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.crossmatch import match_objects
from asteroid_spectra.data.designations import parse_label
from asteroid_spectra.exceptions import DataError, ParameterError, ParseError
from asteroid_spectra.spectra.correction import InstrumentCorrection, fit_correction
from asteroid_spectra.spectra.coverage import VISIBLE
from asteroid_spectra.spectra.label_table import FILE_COLUMN, TAXONOMY_COLUMNS, shortlist
from asteroid_spectra.spectra.labelled import LabelledSpectra, read_labelled

if TYPE_CHECKING:
    from asteroid_spectra.models.targets import TargetData

__all__ = ["calibrate_instrument", "read_calibration_spectra", "references_for"]

FloatArray = npt.NDArray[np.float64]

CITATION = "Bus, S. J. & Binzel, R. P. (2002). Icarus 158, 106-145 (SMASSII spectra)."
"""The reference spectra's paper."""


def read_calibration_spectra(directory: str | Path, labels_csv: str | Path) -> LabelledSpectra:
    """Read a folder of spectra with Bus classes for :func:`calibrate_instrument`.

    The labels CSV is that of ``train --data --labels``; its class column must hold Bus
    classes (``class`` or ``bus_class``).

    Raises
    ------
    ParameterError
        If the CSV gives the classes of another taxonomy (``demeo_class``, ``tholen_class``).
    DataError, ParseError, CoverageError
        As :func:`~asteroid_spectra.spectra.labelled.read_labelled`.
    """
    path = Path(labels_csv)
    columns: set[str] = set()
    # A file that cannot be read is left to read_labelled, which says what is wrong with it.
    with contextlib.suppress(OSError, ValueError, pd.errors.ParserError, UnicodeDecodeError):
        columns = {str(c).strip().lower() for c in pd.read_csv(path, nrows=0, dtype=str).columns}
    others = [c for t, c in TAXONOMY_COLUMNS.items() if t != "bus" and c in columns]
    if others and not columns & {"class", TAXONOMY_COLUMNS["bus"]}:
        raise ParameterError(
            f"calibrate learns an instrument correction from Bus classes only (visible spectra, "
            f"compared with SMASSII); {path.name} has {', '.join(map(repr, others))}. Give "
            f"each spectrum's Bus class in a 'class' or {TAXONOMY_COLUMNS['bus']!r} column."
        )
    return read_labelled(directory, path, taxonomy="bus", rule=VISIBLE)


def _identities(labelled: LabelledSpectra) -> pd.DataFrame:
    """Return the number and designation of each spectrum's asteroid, where the CSV gave one.

    An ``object_id`` that is the file name (none given) or not an asteroid label (a name
    alone, a free text) is no identity.
    """
    numbers: list[int | None] = []
    designations: list[str | None] = []
    objects = labelled.objects
    for given, file in zip(objects[schema.OBJECT_ID], objects[FILE_COLUMN], strict=True):
        number, designation = None, None
        if str(given) != str(file):
            try:
                identity = parse_label(str(given))
            except ParseError:
                pass
            else:
                number, designation = identity.number, identity.provisional
        numbers.append(number)
        designations.append(designation)
    return pd.DataFrame(
        {
            schema.NUMBER: pd.array(numbers, dtype="Int64"),
            schema.DESIGNATION: pd.array(designations, dtype="string"),
        }
    )


def _columns(reference: TargetData, wavelength: FloatArray) -> npt.NDArray[np.intp]:
    """Columns of the reference grid at the points of `wavelength`; error if one is missing."""
    grid = np.round(np.asarray(reference.wavelength, dtype=np.float64), 6)
    points = np.round(wavelength, 6)
    missing = points[~np.isin(points, grid)]
    if missing.size:
        raise ParameterError(
            "The spectra to calibrate must lie on points of the SMASSII grid (0.44-0.92 µm, "
            f"0.01 µm); got {', '.join(f'{w:g}' for w in missing[:5])} µm off it. Read them "
            "with read_calibration_spectra."
        )
    return np.searchsorted(grid, points)


def references_for(
    labelled: LabelledSpectra, reference: TargetData
) -> tuple[FloatArray, list[str]]:
    """Return each spectrum's SMASSII reference on its grid, and what the reference is.

    Parameters
    ----------
    labelled : LabelledSpectra
        The user's spectra, with Bus classes.
    reference : TargetData
        SMASSII spectra with their Bus classes (``fine``) and identities (``objects``).

    Returns
    -------
    references : ndarray, shape (n, m)
        On ``labelled.wavelength``, unity at 0.55 µm; NaN rows where there is none (a class
        SMASSII has no spectrum of, and no same-asteroid spectrum).
    kinds : list of str
        Per spectrum: ``"same asteroid"``, ``"class mean"`` or ``"none"``.
    """
    columns = _columns(reference, labelled.wavelength)
    values = np.asarray(reference.X, dtype=np.float64)[:, columns]
    at = int(np.argmin(np.abs(labelled.wavelength - labelled.normalised_at)))
    values = values / values[:, at : at + 1]
    rows = match_objects(_identities(labelled), reference.objects)
    fine = np.asarray(reference.fine, dtype=object)
    means = {c: values[fine == c].mean(axis=0) for c in set(labelled.labels.tolist()) & set(fine)}
    out = np.full((len(labelled.labels), labelled.wavelength.size), np.nan)
    kinds: list[str] = []
    for i, (row, label) in enumerate(zip(rows, labelled.labels, strict=True)):
        if row >= 0:
            out[i], kind = values[row], "same asteroid"
        elif np.any(fine == label):
            out[i], kind = means[label], "class mean"
        else:
            kind = "none"
        kinds.append(kind)
    return out, kinds


def calibrate_instrument(
    labelled: LabelledSpectra, *, reference: TargetData | None = None
) -> InstrumentCorrection:
    """Learn the user's instrument correction relative to SMASSII (module docstring).

    Parameters
    ----------
    labelled : LabelledSpectra
        The user's spectra with their Bus classes
        (:func:`read_calibration_spectra`), on points of the SMASSII grid.
    reference : TargetData, optional
        The SMASSII spectra with Bus classes; default every labelled SMASSII spectrum
        (:func:`~asteroid_spectra.models.targets.smass2_target`, needs the data).

    Returns
    -------
    InstrumentCorrection
        On the spectra's common grid; ``provenance`` lists the labels CSV and the files
        with their sha256, the reference and how many pairs were same-asteroid or
        class-mean, and notes (spectra without a reference).

    Raises
    ------
    ParameterError
        If the spectra carry classes of another taxonomy than Bus.
    DataError
        If fewer than 3 spectra have a reference
        (:data:`~asteroid_spectra.spectra.correction.MIN_PAIRS`).
    """
    if labelled.taxonomy != "bus":
        raise ParameterError(
            f"An instrument correction is learnt from Bus classes only (visible spectra, "
            f"compared with SMASSII); the spectra carry {labelled.taxonomy} classes. Label "
            "them with Bus classes (read_calibration_spectra)."
        )
    survey: dict[str, Any] = {"survey": "given", "citation": None}
    if reference is None:
        from asteroid_spectra.data.registry import collection
        from asteroid_spectra.models.targets import smass2_target

        reference = smass2_target("main-group", with_errors=False)  # every Bus class
        files_used = [{"name": f.name, "sha256": f.sha256} for f in collection("smass2")]
        survey = {"survey": "smass2", "citation": CITATION, "files": files_used}
    references, kinds = references_for(labelled, reference)
    files = labelled.objects[FILE_COLUMN].astype(str).to_numpy()
    kept = np.array([kind != "none" for kind in kinds])
    notes = list(labelled.notes)
    if not kept.all():
        classes = sorted(set(labelled.labels[~kept].tolist()))
        notes.append(
            f"{int((~kept).sum())} spectra have no SMASSII reference (no spectrum of their "
            f"asteroid, and SMASSII has no class {', '.join(classes)}) and were not used: "
            f"{shortlist(files[~kept].tolist())}"
        )
    try:
        fitted = fit_correction(labelled.reflectance[kept], references[kept], labelled.wavelength)
    except DataError as error:
        raise DataError(f"{error} ({notes[-1]})" if not kept.all() else str(error)) from None
    same = sum(kind == "same asteroid" for kind in kinds)
    data = labelled.provenance()
    provenance: dict[str, Any] = {
        **fitted.provenance,
        "labels": data["labels"],
        "taxonomy": data["taxonomy"],
        "span_um": data["span_um"],
        "files": [
            entry | {"reference": kind} for entry, kind in zip(data["files"], kinds, strict=True)
        ],
        "reference": {
            **survey,
            "n_spectra": len(reference.y),
            "n_same_asteroid": same,
            "n_class_mean": int(kept.sum()) - same,
        },
        "notes": notes,
    }
    return dataclasses.replace(fitted, provenance=provenance)
