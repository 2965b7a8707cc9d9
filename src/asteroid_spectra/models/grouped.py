"""Learn fine classes, predict coarse ones: Bus-class models for main-group targets.

The Bus classes are compact regions of spectral space while a main group such as
"Other" (A, D, K, L, Ld, O, Q, R, T, V) is a union of very different spectra. Training on
the Bus classes and summing their calibrated probabilities into groups classifies the
groups better than training on group labels directly (measured in
``benchmarks/model_comparison.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.targets import coarse_labels, taxonomy_of

__all__ = ["GroupedClassifier"]


class GroupedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fit `estimator` on Bus classes and predict the labels of a coarser target.

    Parameters
    ----------
    estimator : classifier
        Any classifier with ``predict_proba``; it is cloned and fitted on fine labels.
    target : {"main-group", "x-vs-rest", "bus"}
        Coarse target whose labels :meth:`predict` returns.
    min_fine_size : int
        Fine classes with fewer training spectra are merged into one pseudo-class per
        coarse label (``"<label>*"``, e.g. ``"Other*"`` for O and R in SMASSII); spectra of
        a pseudo-class that is still smaller are left out of training (counted in
        ``n_dropped_``), so every learnt class has enough members for the estimator's
        inner calibration folds.
    taxonomy : {"bus", "demeo", "tholen"}, optional
        Taxonomy of the fine labels (default: the target's own, else ``bus``), which
        decides their main groups.

    Attributes
    ----------
    classes_ : ndarray
        Coarse labels.
    fine_classes_ : ndarray
        Fine labels the estimator learnt (with pseudo-classes).
    n_dropped_ : int
        Training spectra left out because even their pseudo-class was too small.
    estimator_ : classifier
        The fitted fine-level estimator.

    Notes
    -----
    :meth:`fit` takes the coarse labels ``y`` as any classifier does, and the fine labels
    as ``fine_labels``; without them it learns ``y`` directly.
    """

    def __init__(
        self,
        estimator: Any,
        target: str = "main-group",
        min_fine_size: int = 5,
        taxonomy: str | None = None,
    ):
        self.estimator = estimator
        self.target = target
        self.min_fine_size = min_fine_size
        self.taxonomy = taxonomy

    def fit(
        self,
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        fine_labels: npt.ArrayLike | None = None,
        **fit_params: Any,
    ) -> GroupedClassifier:
        """Fit on `fine_labels` (Bus classes), checking they agree with the coarse `y`."""
        taxonomy = taxonomy_of(self.target, self.taxonomy)
        inputs, labels = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(labels)
        inputs = np.asarray(inputs)
        coarse = np.asarray(labels, dtype=object)
        fine = coarse if fine_labels is None else np.asarray(fine_labels, dtype=object)
        if fine.shape != coarse.shape:
            raise ParameterError(f"fine_labels must have shape {coarse.shape}; got {fine.shape}.")
        if fine_labels is not None:
            mapped = coarse_labels(self.target, fine, taxonomy)
            wrong = mapped.astype(str) != coarse.astype(str)
            if wrong.any():
                raise ParameterError(
                    f"fine_labels do not map to y for target {self.target!r}: e.g. fine "
                    f"{fine[wrong][0]!r} maps to {mapped[wrong][0]!r} but y is "
                    f"{coarse[wrong][0]!r}."
                )
        classes, counts = np.unique(fine.astype(str), return_counts=True)
        rare = set(classes[counts < self.min_fine_size])
        learnt = np.array(
            [
                f"{c}*" if f in rare else f
                for f, c in zip(fine.astype(str), coarse.astype(str), strict=True)
            ],
            dtype=object,
        )
        names, sizes = np.unique(learnt.astype(str), return_counts=True)
        kept = np.isin(learnt.astype(str), names[sizes >= self.min_fine_size])
        if not kept.any():
            raise ParameterError(
                f"No fine class has {self.min_fine_size} or more training spectra; lower "
                "min_fine_size or give more data."
            )
        self.n_dropped_ = int((~kept).sum())
        self.classes_ = np.unique(labels)
        routed = {k: _rows(v, kept) for k, v in fit_params.items()}
        self.estimator_ = clone(self.estimator).fit(inputs[kept], learnt[kept], **routed)
        self.fine_classes_ = np.asarray(self.estimator_.classes_, dtype=object)
        coarse_of = dict(zip(learnt.astype(str), coarse.astype(str), strict=True))
        coarse_of_fine = [coarse_of[f] for f in self.fine_classes_.astype(str)]
        self.membership_ = (
            np.asarray(coarse_of_fine)[:, np.newaxis] == self.classes_.astype(str)[np.newaxis, :]
        ).astype(np.float64)
        return self

    def predict_fine_proba(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Probabilities of the fine classes (:attr:`fine_classes_`)."""
        check_is_fitted(self, "estimator_")
        inputs = validate_data(self, X, reset=False, dtype=np.float64)
        return np.asarray(self.estimator_.predict_proba(inputs), dtype=np.float64)

    def predict_proba(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Probabilities of the coarse classes: sums of their fine classes' probabilities."""
        proba: npt.NDArray[np.float64] = self.predict_fine_proba(X) @ self.membership_
        return proba

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Most probable coarse class."""
        proba = self.predict_proba(X)
        return np.asarray(self.classes_[np.argmax(proba, axis=1)])


def _rows(value: Any, rows: npt.NDArray[np.bool_]) -> Any:
    """Select the training rows of a per-sample fit parameter."""
    return value[rows] if isinstance(value, np.ndarray) and value.shape[:1] == rows.shape else value
