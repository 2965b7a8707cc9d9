"""The Bus-DeMeo taxonomy: its labelled spectra, its reference method, grouped evaluation.

The 372 spectra of DeMeo et al. (2009) (``load_table("demeo2009", ...)``) are the training
set of the Bus-DeMeo models and the test bed of the paper's own method:

* :func:`demeo_target`: the labelled spectra as :class:`~.targets.TargetData` for the
  ``demeo`` classes or their main groups, optionally cropped to a wavelength span;
* :func:`classify_demeo_reference` / :class:`DeMeoReferenceClassifier`: the method of the
  paper (:mod:`~asteroid_spectra.models.demeo_reference`) with the eigenvectors recovered
  from the published scores (:func:`published_reference`);
* :func:`grouped_splits` and :func:`evaluate_demeo`: repeated stratified K-fold with
  identical spectra kept in the same fold, for registry models and the reference alike.

Two pairs of spectra in the file are identical value for value although their classes
differ (3788 Steyaert S = 3753 Cruithne Q, 82 Alkmene S = 78 Diana Ch). The spectrum
reproduces the published scores of 3753 and 78 (residual < 0.001) and not those of 3788
and 82 (largest score residual 0.74 and 0.24): the rows of 3788 and 82 hold copies of
another asteroid's spectrum. By default such copies are left out (``excluded``, reason
``copy``), leaving 370 spectra; with ``copies="keep"`` they stay, and every group of
identical spectra (column ``spectrum_group``) is kept in one fold by
:func:`grouped_splits` so no spectrum is tested on its own copy.

References
----------
DeMeo, F. E., Binzel, R. P., Slivan, S. M. & Bus, S. J. (2009). An extension of the Bus
asteroid taxonomy into the near-infrared. Icarus 202, 160-180.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError, ParameterError
from asteroid_spectra.models.demeo_reference import (
    DeMeoReference,
    apply_rules,
    reference_from_tables,
    remove_slope,
    spectral_slope,
)
from asteroid_spectra.models.evaluation import Evaluation, evaluate
from asteroid_spectra.models.splits import Splits
from asteroid_spectra.models.splits import grouped_splits as evaluation_splits
from asteroid_spectra.models.targets import (
    MIN_CLASS_SIZE,
    TAXONOMIES,
    TargetData,
    check_target,
    coarse_labels,
)
from asteroid_spectra.spectra.coverage import VIS_NIR

__all__ = [
    "GROUP",
    "REFERENCE",
    "SCORE_COLUMNS",
    "DeMeoReferenceClassifier",
    "classify_demeo_reference",
    "demeo_target",
    "evaluate_demeo",
    "grouped_splits",
    "published_reference",
    "published_tables",
]

GROUP = "spectrum_group"
"""Column of ``objects``: spectra with the same value are identical value for value."""
REFERENCE = "reference"
"""Name :func:`evaluate_demeo` gives the reference method."""
COPY_RESIDUAL = 0.05
"""Score residual above which an identical spectrum is not the one DeMeo scored."""
SCORE_COLUMNS = tuple(f"pc{i}" for i in range(1, 6))
"""Columns of the published scores PC1'-PC5' in the classes table."""


def published_tables() -> tuple[
    pd.DataFrame, npt.NDArray[np.float64], dict[str, npt.NDArray[np.float64]]
]:
    """Return the DeMeo et al. (2009) tables: classes, their spectra, the class templates.

    Returns
    -------
    classes : DataFrame
        ``load_table("demeo2009", "classes")``, one row per spectrum.
    spectra : ndarray, shape (372, 41)
        Reflectance of those rows, in the same order.
    templates : dict of str to ndarray, shape (41,)
        Mean spectrum of each class.
    """
    from asteroid_spectra.data.datasets import load_table

    classes = load_table("demeo2009", "classes")
    spectra = load_table("demeo2009", "spectra")
    wide = spectra.pivot_table(
        index=schema.FILE, columns=schema.WAVELENGTH, values=schema.REFLECTANCE, aggfunc="first"
    )
    table = load_table("demeo2009", "templates")
    means = table.pivot_table(
        index=schema.DEMEO_CLASS, columns=schema.WAVELENGTH, values="mean", aggfunc="first"
    )
    templates = {str(name): row.to_numpy() for name, row in means.iterrows()}
    return classes, wide.loc[classes[schema.FILE]].to_numpy(dtype=np.float64), templates


@cache
def published_reference() -> DeMeoReference:
    """Return the reference method recovered from the DeMeo et al. (2009) tables (read once).

    The basis is fitted on the 362 spectra with published slopes and scores
    (:func:`~.demeo_reference.recover_basis`); the templates are the published class means.

    Raises
    ------
    DataError
        If the tables cannot be fetched.
    """
    classes, spectra, templates = published_tables()
    scored = classes["slope"].notna().to_numpy()
    reference, _ = reference_from_tables(
        spectra[scored],
        classes.loc[scored, "slope"].to_numpy(),
        classes.loc[scored, list(SCORE_COLUMNS)].to_numpy(),
        templates,
    )
    return reference


def classify_demeo_reference(
    spectra: npt.ArrayLike, reference: DeMeoReference | None = None
) -> tuple[npt.NDArray[np.object_], pd.DataFrame]:
    """Classify vis-NIR spectra by the method of DeMeo et al. (2009).

    Slope removal, the scores PC1'-PC5' and the flow chart of Appendix B
    (:mod:`~asteroid_spectra.models.demeo_reference`).

    Parameters
    ----------
    spectra : array_like, shape (n, 41)
        Reflectance on :data:`~asteroid_spectra.schema.DEMEO_WAVELENGTH`.
    reference : DeMeoReference, optional
        Default :func:`published_reference` (needs the DeMeo et al. 2009 tables).

    Returns
    -------
    classes : ndarray of str, shape (n,)
        Bus-DeMeo class (``""`` where no rule holds).
    scores : DataFrame
        ``slope`` (µm⁻¹), ``pc1`` ... ``pc5``, the flow-chart ``step`` and the
        ``candidates`` it gave (``"Ch/Xk/C"``; one class when determinate).

    Raises
    ------
    ParameterError
        If the spectra are not on the grid or the basis has fewer than five eigenvectors.
    """
    method = published_reference() if reference is None else reference
    if method.basis.eigenvectors.shape[0] < 5:
        raise ParameterError(
            "The flow chart of DeMeo et al. (2009) needs the scores PC1'-PC5'; the given "
            f"reference has {method.basis.eigenvectors.shape[0]} eigenvectors. Recover five."
        )
    removed = remove_slope(spectra)
    slope = spectral_slope(spectra)
    pcs = method.basis.scores(removed)[:, :5]
    classes, steps, candidates = [], [], []
    for row in range(len(removed)):
        values = {"slope": float(slope[row]), "r045": float(removed[row, 0])}
        values |= {name: float(pcs[row, i]) for i, name in enumerate(SCORE_COLUMNS)}
        step, found = apply_rules(values)
        classes.append(method.choose(found, removed[row]))
        steps.append(step)
        candidates.append("/".join(found))
    table = pd.DataFrame(pcs, columns=list(SCORE_COLUMNS))
    table.insert(0, "slope", slope)
    table["step"], table["candidates"] = steps, candidates
    return np.asarray(classes, dtype=object), table


class DeMeoReferenceClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """The method of DeMeo et al. (2009) as a scikit-learn classifier, for evaluation.

    A fixed method: :meth:`fit` learns nothing, it records the labels (``classes_``).

    Parameters
    ----------
    target : str
        ``"demeo"`` (the class) or a coarse target (``"main-group"``: its main group).
    reference : DeMeoReference, optional
        Default :func:`published_reference`.
    """

    def __init__(self, target: str = "demeo", reference: DeMeoReference | None = None):
        self.target = target
        self.reference = reference

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> DeMeoReferenceClassifier:
        """Record the labels of `y`; check `X` is on the 41-point grid."""
        check_target(self.target)
        if self.target in TAXONOMIES and self.target != "demeo":
            raise ParameterError(
                "The 'target' parameter of DeMeoReferenceClassifier must be 'demeo' or a "
                f"coarse target. Got {self.target!r} instead."
            )
        inputs, labels = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(labels)
        if np.shape(inputs)[1] != len(schema.DEMEO_WAVELENGTH):
            raise ParameterError(
                "The DeMeo et al. (2009) method needs spectra on the 41-point grid "
                f"0.45-2.45 µm. Got {np.shape(inputs)[1]} columns instead."
            )
        self.classes_ = np.unique(labels)
        return self

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[np.object_]:
        """Class of the flow chart, or its label of the target (``""``: indeterminate)."""
        check_is_fitted(self, "classes_")
        inputs = validate_data(self, X, reset=False, dtype=np.float64)
        classes, _ = classify_demeo_reference(inputs, self.reference)
        if self.target == "demeo":
            return classes
        known = classes != ""
        out = np.full(len(classes), "", dtype=object)
        out[known] = coarse_labels(self.target, classes[known], "demeo")
        return out


def _identical_groups(spectra: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    _, inverse = np.unique(spectra, axis=0, return_inverse=True)
    return np.asarray(inverse, dtype=np.intp).ravel()


def _copies(
    classes: pd.DataFrame, spectra: npt.NDArray[np.float64], groups: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Rows repeating a spectrum whose published scores belong to another row of the group."""
    counts = np.bincount(groups)
    shared = counts[groups] > 1
    residual = np.full(len(classes), np.inf)
    scored = shared & classes["slope"].notna().to_numpy()
    if scored.any():
        basis = published_reference().basis
        removed = remove_slope(spectra[scored], classes.loc[scored, "slope"].to_numpy())
        published = classes.loc[scored, list(SCORE_COLUMNS)].to_numpy()
        residual[scored] = np.abs(basis.scores(removed) - published).max(axis=1)
    matched = residual <= COPY_RESIDUAL
    group_matched = np.bincount(groups, weights=matched, minlength=len(counts)) > 0
    return np.asarray(shared & ~matched & group_matched[groups])


def demeo_target(
    target: str = "demeo",
    *,
    span: tuple[float, float] | None = None,
    min_class_size: int = MIN_CLASS_SIZE,
    copies: str = "drop",
) -> TargetData:
    """Return the labelled Bus-DeMeo spectra for `target`.

    Parameters
    ----------
    target : str
        ``"demeo"`` (the 29 published classes, ``w`` included) or a coarse target
        (``"main-group"``, ``"x-vs-rest"``) of the Bus-DeMeo classes.
    span : (float, float), optional
        Keep the grid points in this range (µm); normalised at 0.55 µm if it is inside,
        else at 1.2 µm (near-infrared-only spans; :data:`~.coverage.VIS_NIR`).
    min_class_size : int
        For ``demeo``: classes with fewer spectra are left out (``excluded``, reason
        ``rare class``; 12 classes with 27 spectra at the default 5). Coarse targets keep
        every spectrum (a rare class's spectra still belong to a populated group).
    copies : {"drop", "keep"}
        What to do with rows repeating another asteroid's spectrum (module docstring).

    Returns
    -------
    TargetData
        ``X`` on the 41-point grid (or the span), ``y`` the target's labels, ``fine`` the
        Bus-DeMeo classes, ``objects`` the classes table (identity, ``bus_class``,
        ``slope``, ``pc1``... as published) with :data:`GROUP`; ``excluded`` with ``reason``.

    Raises
    ------
    AsteroidSpectraError
        If the target is ``bus`` or ``tholen``, `copies` is unknown, or the span holds
        neither 0.55 nor 1.2 µm (or fewer than two grid points).
    """
    check_target(target)
    if target in TAXONOMIES and target != "demeo":
        raise AsteroidSpectraError(
            f"The Bus-DeMeo spectra carry no {target} classes; expected the target demeo or "
            "a coarse one (main-group, x-vs-rest)."
        )
    if copies not in ("drop", "keep"):
        raise AsteroidSpectraError(
            f"The 'copies' parameter of demeo_target must be 'drop' or 'keep'. Got "
            f"{copies!r} instead."
        )
    classes, spectra, _ = published_tables()
    objects = classes.copy()
    groups = _identical_groups(spectra)
    objects[GROUP] = groups
    reason = np.full(len(objects), "", dtype=object)
    if copies == "drop":
        reason[_copies(classes, spectra, groups)] = "copy"
    fine = objects[schema.DEMEO_CLASS].astype(str).to_numpy(dtype=object)
    if target == "demeo":
        kept = fine[reason == ""]
        names, counts = np.unique(kept.astype(str), return_counts=True)
        rare = np.isin(fine.astype(str), names[counts < min_class_size]) & (reason == "")
        reason[rare] = "rare class"
    keep = reason == ""
    excluded = objects[~keep].assign(reason=reason[~keep]).reset_index(drop=True)
    data = TargetData(
        target=target,
        X=spectra[keep],
        y=coarse_labels(target, fine[keep], "demeo"),
        fine=fine[keep],
        wavelength=np.array(schema.DEMEO_WAVELENGTH),
        objects=objects[keep].reset_index(drop=True),
        excluded=excluded,
        excluded_X=spectra[~keep],
    )
    if span is None:
        return data
    lo, hi = span
    visible, nir = VIS_NIR.normalise_at
    inside = lo - 1e-9 <= visible <= hi + 1e-9
    return data.crop(lo, hi, normalise_at=None if inside else nir)


def grouped_splits(data: TargetData, *, folds: int = 5, repeats: int = 5, seed: int = 0) -> Splits:
    """Repeated stratified K-fold splits that keep each :data:`GROUP` in one fold.

    :func:`~asteroid_spectra.models.splits.grouped_splits` over the groups of identical
    spectra; without a group column every spectrum is its own group.
    """
    groups = data.objects[GROUP].to_numpy() if GROUP in data.objects else np.arange(len(data.y))
    return evaluation_splits(groups, data.y, folds=folds, repeats=repeats, seed=seed)


def _demeo_model(name: str, target: str, wavelength: Any, seed: int) -> Any:
    """Registry model `name` with its fine classes read as Bus-DeMeo ones."""
    from asteroid_spectra.models.grouped import GroupedClassifier
    from asteroid_spectra.models.registry import build_model

    if name == REFERENCE:
        return DeMeoReferenceClassifier(target=target, reference=published_reference())
    model = build_model(name, target, wavelength, seed)
    if isinstance(model, GroupedClassifier):
        model.set_params(taxonomy="demeo")
    return model


def evaluate_demeo(
    name: str,
    target: str = "demeo",
    *,
    data: TargetData | None = None,
    folds: int = 5,
    repeats: int = 5,
    seed: int = 0,
    n_jobs: int = 1,
) -> Evaluation:
    """Cross-validate registry model `name` (or :data:`REFERENCE`) on the Bus-DeMeo spectra.

    Parameters
    ----------
    name : str
        A model of :mod:`~asteroid_spectra.models.registry`, ``"best"``, or ``"reference"``
        (:class:`DeMeoReferenceClassifier`: nothing to fit, so its folds only split the
        scores). Grouped models learn the Bus-DeMeo classes (``taxonomy="demeo"``).
    target : str
        ``"demeo"`` or a coarse target.
    data : TargetData, optional
        Default :func:`demeo_target` of `target`.
    folds, repeats, seed, n_jobs : int
        The :func:`grouped_splits` and the parallel folds (`seed` also seeds the models).

    Returns
    -------
    Evaluation
    """
    data = demeo_target(target) if data is None else data
    wavelength = data.wavelength

    def build() -> Any:
        return _demeo_model(name, target, wavelength, seed)

    return evaluate(
        build,
        data,
        model_name=name,
        folds=folds,
        repeats=repeats,
        seed=seed,
        n_jobs=n_jobs,
        splits=grouped_splits(data, folds=folds, repeats=repeats, seed=seed),
        protocol={"splits": "StratifiedGroupKFold (identical spectra in one fold)"},
    )
