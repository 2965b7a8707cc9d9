"""The --data/--labels options of ``evaluate`` and ``train``: a user's own labelled spectra."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from asteroid_spectra.cli.common import console
from asteroid_spectra.exceptions import ParameterError

if TYPE_CHECKING:
    from asteroid_spectra.spectra.labelled import LabelledSpectra

__all__ = ["read_options", "user_training_data"]


def read_options(
    directory: Path | None, labels: Path | None, target: str
) -> LabelledSpectra | None:
    """Read --data/--labels (given together) for `target`, printing the notes.

    Returns None if neither option is given.

    Raises
    ------
    ParameterError
        If only one of them is given.
    """
    if directory is None and labels is None:
        return None
    if directory is None or labels is None:
        given, missing = ("--data", "--labels") if labels is None else ("--labels", "--data")
        raise ParameterError(
            f"--data and --labels go together: the folder of spectrum files and the CSV of "
            f"their classes. Got {given} without {missing}; add {missing}."
        )
    from asteroid_spectra.models.user_data import read_user_data

    with console.status(f"Reading the spectra listed in {labels.name}…"):
        spectra = read_user_data(directory, labels, target)
    for note in spectra.notes:
        console.print(f"note: {note}", highlight=False)
    return spectra


def user_training_data(
    directory: Path | None,
    labels: Path | None,
    target: str,
    folds: int,
    repeats: int,
    seed: int,
) -> tuple[LabelledSpectra | None, Any, Any]:
    """Return the user's spectra, their TargetData and CV splits by asteroid (or Nones).

    The splits (``folds * repeats``, grouped by asteroid:
    :func:`~asteroid_spectra.models.splits.grouped_splits`) are None when `repeats`
    is 0; otherwise the data are first checked for cross-validation.
    """
    spectra = read_options(directory, labels, target)
    if spectra is None:
        return None, None, None
    from asteroid_spectra import schema
    from asteroid_spectra.models.splits import grouped_splits
    from asteroid_spectra.models.user_data import (
        check_cross_validation,
        small_class_notes,
        user_target,
    )

    data = user_target(spectra, target)
    splits = None
    if repeats > 0:
        check_cross_validation(data, folds)
        splits = grouped_splits(
            data.objects[schema.OBJECT_ID], data.y, folds=folds, repeats=repeats, seed=seed
        )
    for note in small_class_notes(data, folds if repeats > 0 else None):
        console.print(f"note: {note}", highlight=False)
    return spectra, data, splits
