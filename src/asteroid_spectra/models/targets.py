"""Classification targets and the labelled data each one is trained and scored on.

Five targets, as in the reference study and beyond it:

``x-vs-rest``
    Binary: the X complex (X, Xc, Xe, Xk) against everything else.
``main-group``
    C, S, X or Other (:data:`~asteroid_spectra.schema.BUS_TO_MAIN_GROUP`).
``bus``
    The Bus & Binzel (2002) classes with at least ``min_class_size`` members (5 by
    default: 23 of the 25 SMASSII classes); spectra of rarer classes are kept aside and
    reported separately.
``demeo``, ``tholen``
    The classes of the Bus-DeMeo (DeMeo et al. 2009) and Tholen (1984) taxonomies.

A target's labels come from the fine classes of one *taxonomy* (``bus``, ``demeo`` or
``tholen``): main groups and X-vs-rest of any of them
(:func:`~asteroid_spectra.schema.taxonomy_main_group`), or the classes themselves.

Every target also carries the Bus class of each spectrum (``fine``), so models may learn
the finer labels and aggregate their probabilities (see
:class:`~asteroid_spectra.models.grouped.GroupedClassifier`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError, ParameterError
from asteroid_spectra.schema import NORMALISATION_WAVELENGTH

if TYPE_CHECKING:
    import pandas as pd

    from asteroid_spectra.spectra.sets import SpectralSet

__all__ = [
    "TARGETS",
    "TAXONOMIES",
    "TargetData",
    "coarse_labels",
    "display_order",
    "smass2_target",
    "target_data",
    "taxonomy_of",
]

TARGETS = ("x-vs-rest", "main-group", "bus", "demeo", "tholen")
"""Names of the classification targets."""

TAXONOMIES = ("bus", "demeo", "tholen")
"""Taxonomies whose classes are fine labels (and targets of their own)."""

X_CLASS = "X"
REST_CLASS = "rest"
MIN_CLASS_SIZE = 5


def taxonomy_of(target: str, taxonomy: str | None = None) -> str:
    """Return the taxonomy whose classes are the fine labels of `target`.

    A taxonomy's own target is its taxonomy; the coarse targets default to ``bus``.

    Examples
    --------
    >>> taxonomy_of("demeo"), taxonomy_of("main-group"), taxonomy_of("main-group", "tholen")
    ('demeo', 'bus', 'tholen')
    """
    check_target(target)
    if target in TAXONOMIES:
        return target
    if taxonomy is None:
        return "bus"
    if taxonomy not in TAXONOMIES:
        raise AsteroidSpectraError(
            f"Unknown taxonomy {taxonomy!r}; expected one of {', '.join(TAXONOMIES)}."
        )
    return taxonomy


def coarse_labels(
    target: str, fine_classes: npt.ArrayLike, taxonomy: str | None = None
) -> npt.NDArray[np.object_]:
    """Map fine classes (of `taxonomy`, default Bus) to the labels of `target`.

    Examples
    --------
    >>> coarse_labels("x-vs-rest", ["Xk", "Sq"]).tolist()
    ['X', 'rest']
    >>> coarse_labels("main-group", ["Xk", "Sq"]).tolist()
    ['X', 'S']
    >>> coarse_labels("main-group", ["Sqw", "Xn"], "demeo").tolist()
    ['S', 'X']
    """
    source = taxonomy_of(target, taxonomy)
    labels = [str(label) for label in np.asarray(fine_classes)]
    if target in TAXONOMIES:
        return np.asarray(labels, dtype=object)
    groups = [schema.taxonomy_main_group(source, label) for label in labels]
    if target == "x-vs-rest":
        groups = [X_CLASS if group == "X" else REST_CLASS for group in groups]
    return np.asarray(groups, dtype=object)


def check_target(target: str) -> None:
    """Raise :class:`AsteroidSpectraError` unless `target` is one of :data:`TARGETS`."""
    if target not in TARGETS:
        raise AsteroidSpectraError(
            f"Unknown target {target!r}; expected one of {', '.join(TARGETS)}."
        )


@dataclass(frozen=True)
class TargetData:
    """Labelled spectra for one target.

    Attributes
    ----------
    target : str
        One of :data:`TARGETS`.
    X : ndarray, shape (n, m)
        Reflectance on ``wavelength``.
    y : ndarray of str, shape (n,)
        Labels of the target.
    fine : ndarray of str, shape (n,)
        Bus class of each spectrum.
    wavelength : ndarray, shape (m,)
        Grid, µm.
    objects : DataFrame
        Per-spectrum metadata (identity, labels).
    excluded : DataFrame
        Spectra left out because their class is too rare (``bus`` only).
    excluded_X : ndarray, shape (k, m)
        Reflectance of the excluded spectra.
    error : ndarray, shape (n, m), optional
        1-sigma errors of the reflectance, when known.
    """

    target: str
    X: npt.NDArray[np.float64]
    y: npt.NDArray[np.object_]
    fine: npt.NDArray[np.object_]
    wavelength: npt.NDArray[np.float64]
    objects: pd.DataFrame
    excluded: pd.DataFrame
    excluded_X: npt.NDArray[np.float64]
    error: npt.NDArray[np.float64] | None = None

    def crop(self, lo: float, hi: float, *, normalise_at: float | None = None) -> TargetData:
        """Return the same spectra restricted to the grid points in ``[lo, hi]`` µm.

        The spectra stay normalised at 0.55 µm, which the range must then contain; with
        `normalise_at` (a grid point inside the range, e.g. 1.2 µm for near-infrared
        spans) they are normalised to unity there instead (errors scaled alike).

        Raises
        ------
        AsteroidSpectraError
            If the range holds fewer than two grid points or not the normalisation
            wavelength.
        """
        keep = (self.wavelength >= lo - 1e-9) & (self.wavelength <= hi + 1e-9)
        at = NORMALISATION_WAVELENGTH if normalise_at is None else normalise_at
        if not (lo - 1e-9 <= at <= hi + 1e-9) or keep.sum() < 2:
            raise AsteroidSpectraError(
                f"Cannot crop the training spectra to {lo}-{hi} µm: the range must contain "
                f"at least two grid points and the normalisation wavelength {at} µm."
            )
        wavelength = self.wavelength[keep]
        X, excluded = self.X[:, keep], self.excluded_X[:, keep]
        error = None if self.error is None else self.error[:, keep]
        if normalise_at is not None:
            column = int(np.argmin(np.abs(wavelength - at)))
            scale = X[:, column : column + 1]
            X = X / scale
            error = None if error is None else error / scale
            if len(excluded):
                excluded = excluded / excluded[:, column : column + 1]
        return dataclasses.replace(
            self, X=X, wavelength=wavelength, excluded_X=excluded, error=error
        )

    @property
    def classes(self) -> tuple[str, ...]:
        """Labels of the target in display order."""
        return display_order(self.target, self.y.tolist())


def display_order(target: str, labels: Iterable[str]) -> tuple[str, ...]:
    """Return the distinct `labels` of `target` in display order.

    Taxonomy order; a Bus-DeMeo class's weathered ``w`` variant after it; unknown labels
    last, sorted.

    Examples
    --------
    >>> display_order("demeo", ["Sw", "C", "S", "Sqw", "Sq"])
    ('C', 'S', 'Sw', 'Sq', 'Sqw')
    """
    order: tuple[str, ...] = {
        "x-vs-rest": (X_CLASS, REST_CLASS),
        "main-group": schema.MAIN_GROUPS,
        "bus": schema.BUS_CLASSES,
        "demeo": tuple(c for base in schema.DEMEO_CLASSES for c in (base, f"{base}w")),
        "tholen": schema.THOLEN_CLASSES,
    }[target]
    present = set(labels)
    known = [c for c in order if c in present]
    return (*known, *sorted(present - set(known)))


def target_data(
    spectra: SpectralSet,
    target: str,
    *,
    min_class_size: int = MIN_CLASS_SIZE,
    error: npt.ArrayLike | None = None,
) -> TargetData:
    """Select and label the spectra for `target`.

    Parameters
    ----------
    spectra : SpectralSet
        Spectra with ``bus_class`` and ``labelled`` columns (e.g. SMASSII).
    target : str
        One of :data:`TARGETS`.
    min_class_size : int
        For ``bus``: classes with fewer spectra are left out (reported in ``excluded``).
    error : array_like, shape (len(spectra), m), optional
        1-sigma errors aligned with `spectra`.

    Returns
    -------
    TargetData
    """
    check_target(target)
    if taxonomy_of(target) != "bus":
        raise ParameterError(
            f"These spectra carry Bus classes; the {target!r} target needs "
            f"{taxonomy_of(target)} classes. Use "
            f"asteroid_spectra.models.training.taxonomy_data({target!r}), which loads its "
            "training spectra."
        )
    labelled_mask = spectra.objects[schema.LABELLED].to_numpy(dtype=bool)
    bus_column = spectra.objects[schema.BUS_CLASS]
    bus = bus_column.astype(object).where(labelled_mask, None).to_numpy(dtype=object)
    keep = labelled_mask.copy()
    if target == "bus":
        counts = bus_column[labelled_mask].value_counts()
        common = counts[counts >= min_class_size].index
        keep &= bus_column.isin(common).fillna(False).to_numpy(dtype=bool)
    errors = None if error is None else np.asarray(error, dtype=np.float64)[keep]
    fine = bus[keep]
    return TargetData(
        target=target,
        X=np.asarray(spectra.reflectance[keep], dtype=np.float64),
        y=coarse_labels(target, fine),
        fine=fine,
        wavelength=np.asarray(spectra.wavelength),
        objects=spectra.objects[keep].reset_index(drop=True),
        excluded=spectra.objects[labelled_mask & ~keep].reset_index(drop=True),
        excluded_X=np.asarray(spectra.reflectance[labelled_mask & ~keep], dtype=np.float64),
        error=errors,
    )


def smass2_target(target: str, *, with_errors: bool = True) -> TargetData:
    """Return the labelled SMASSII spectra for `target`, with band-averaged raw errors.

    The errors (see :func:`~asteroid_spectra.spectra.sets.band_errors`) let noise-aware
    models (``error_noise``) train with each spectrum's own measured uncertainty.
    """
    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.spectra.sets import band_errors, load_spectra

    spectra = load_spectra("smass2")
    errors = band_errors(spectra, load_table("smass2", "raw")) if with_errors else None
    return target_data(spectra, target, error=errors)
