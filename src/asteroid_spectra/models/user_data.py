"""A researcher's own labelled spectra as training data: ``train``/``evaluate --data --labels``.

:func:`~asteroid_spectra.spectra.labelled.read_labelled` reads the folder and the labels
CSV onto the grid of the target's taxonomy (:mod:`~asteroid_spectra.models.schemes`: Bus
classes on the SMASSII grid, Bus-DeMeo classes on the 0.45-2.45 µm grid, Tholen classes on
the ECAS filters); this module turns them into :class:`~.targets.TargetData`, checks that
cross-validation is possible, splits them by asteroid and describes them in the model card.

The coarse targets (``main-group``, ``x-vs-rest``) take Bus classes, as for SMASSII; the
``demeo`` and ``tholen`` targets take their own taxonomy's classes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.exceptions import DataError, ParameterError
from asteroid_spectra.models.schemes import scheme_of
from asteroid_spectra.models.targets import (
    MIN_CLASS_SIZE,
    TargetData,
    coarse_labels,
    taxonomy_of,
)
from asteroid_spectra.spectra.labelled import LabelledSpectra, read_labelled

__all__ = [
    "MIN_CV_CLASS_SIZE",
    "check_cross_validation",
    "read_user_data",
    "small_class_notes",
    "user_card",
    "user_target",
]

MIN_CV_CLASS_SIZE = 2
"""Fewest spectra of a class for cross-validation (one to train on, one to test)."""


def read_user_data(
    directory: str | Path,
    labels_csv: str | Path,
    target: str = "main-group",
    *,
    span: tuple[float, float] | None = None,
) -> LabelledSpectra:
    """Read a folder of labelled spectra for `target`, on its taxonomy's grid.

    Parameters
    ----------
    directory, labels_csv : str or Path
        The spectrum files and the labels CSV
        (:mod:`~asteroid_spectra.spectra.labelled`).
    target : str
        A target of :mod:`~.targets`; its taxonomy decides which classes the CSV holds and
        the coverage rule.
    span : (float, float), optional
        Use this range (µm) instead of the span common to all spectra.

    Returns
    -------
    LabelledSpectra
    """
    scheme = scheme_of(taxonomy_of(target))
    return read_labelled(directory, labels_csv, taxonomy=scheme.name, rule=scheme.rule, span=span)


def user_target(spectra: LabelledSpectra, target: str = "main-group") -> TargetData:
    """Label a user's spectra for `target`.

    Parameters
    ----------
    spectra : LabelledSpectra
        From :func:`read_user_data` (or :func:`~asteroid_spectra.spectra.labelled.read_labelled`).
    target : str
        A target whose taxonomy is that of the spectra's classes.

    Returns
    -------
    TargetData
        ``fine`` the classes as given, ``y`` the target's labels, ``objects`` the per-file
        table (``file``, ``object_id``, ``sha256``…); nothing excluded.

    Raises
    ------
    ParameterError
        If the classes belong to another taxonomy, or the target has fewer than two
        classes among them.
    """
    taxonomy = taxonomy_of(target)
    if spectra.taxonomy != taxonomy:
        raise ParameterError(
            f"The {target!r} target learns {taxonomy} classes; the spectra carry "
            f"{spectra.taxonomy} classes. Read them for a {spectra.taxonomy} target "
            f"(e.g. --target {spectra.taxonomy})."
        )
    y = coarse_labels(target, spectra.labels, taxonomy)
    classes = sorted(set(y.tolist()))
    if len(classes) < 2:
        raise ParameterError(
            f"A classifier needs at least two classes; the {len(y)} spectra all have the "
            f"{target} label {classes[0]!r}. Add spectra of other classes to the labels CSV."
        )
    return TargetData(
        target=target,
        X=spectra.reflectance,
        y=y,
        fine=spectra.labels.copy(),
        wavelength=spectra.wavelength,
        objects=spectra.objects,
        excluded=pd.DataFrame(),
        excluded_X=np.empty((0, spectra.wavelength.size)),
    )


def check_cross_validation(data: TargetData, folds: int) -> None:
    """Raise unless `data` can be cross-validated with `folds` folds grouped by asteroid.

    Raises
    ------
    DataError
        If a class has fewer than :data:`MIN_CV_CLASS_SIZE` spectra (it could not be both
        learnt and tested), or there are fewer asteroids than folds.
    """
    counts = pd.Series(data.y).value_counts()
    rare = counts[counts < MIN_CV_CLASS_SIZE]
    if not rare.empty:
        shown = ", ".join(f"{label} ({n})" for label, n in rare.items())
        raise DataError(
            f"Cross-validation needs at least {MIN_CV_CLASS_SIZE} spectra of each class; "
            f"got {shown}. Add spectra of those classes, or remove their rows from the "
            "labels CSV."
        )
    groups = data.objects[schema.OBJECT_ID].nunique()
    if groups < folds:
        raise DataError(
            f"{folds}-fold cross-validation needs at least {folds} asteroids; got {groups} "
            f"({len(data.y)} spectra). Use --folds {max(2, groups)} or fewer, or add spectra."
        )


def small_class_notes(data: TargetData, folds: int | None = None) -> tuple[str, ...]:
    """Return notes on the classes too small for the recommended models to learn.

    Those models learn a class only from 5 training spectra on
    (:class:`~.grouped.GroupedClassifier`'s ``min_fine_size``, the inner calibration
    folds); with `folds`, a training fold holds about ``(folds - 1) / folds`` of each class.
    """
    share = 1.0 if folds is None else (folds - 1) / folds
    counts = pd.Series(data.y).value_counts()
    where = "" if folds is None else f" (about {share:.0%} of them in each training fold)"
    return tuple(
        f"class {label!r} has {n} spectra{where}: the recommended models learn a class "
        f"only from {MIN_CLASS_SIZE} training spectra on, so it may never be predicted; add "
        "spectra of it"
        for label, n in counts.items()
        if int(n * share) < MIN_CLASS_SIZE
    )


def user_card(card: dict[str, Any], spectra: LabelledSpectra) -> dict[str, Any]:
    """Return `card` with its training data described as the user's spectra.

    The ``training_data`` section lists the labels CSV and every spectrum file with their
    sha256, the span and the normalisation (:meth:`LabelledSpectra.provenance`), and keeps
    the digest of the prepared spectra; the SMASSII citation is dropped.
    """
    digest = card.get("training_data", {}).get("spectra_sha256")
    section = spectra.provenance() | {"spectra_sha256": digest}
    updated = {k: v for k, v in card.items() if k != "citation"}
    return updated | {"training_data": section, "normalisation_um": spectra.normalised_at}
