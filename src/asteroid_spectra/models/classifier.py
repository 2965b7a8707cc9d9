"""A trained taxonomy model: estimator, wavelength grid, abstention, OOD score, card.

:class:`TaxonomyModel` is what gets saved, loaded and used to classify: it holds a fitted
estimator for one target together with the grid its inputs must be sampled on, the
abstention threshold, the out-of-distribution scorer and the model card (what it was
trained on, how well it does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.models.uncertainty import DEFAULT_THRESHOLD, DistanceOOD, abstain

__all__ = ["TaxonomyModel"]


@dataclass(eq=False)
class TaxonomyModel:
    """A fitted classifier ready to classify spectra sampled on :attr:`wavelength`.

    Attributes
    ----------
    estimator : classifier
        Fitted scikit-learn estimator with ``predict_proba``.
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    name : str
        Model name (see :mod:`asteroid_spectra.models.registry`).
    wavelength : ndarray
        Grid (µm) the inputs must be on, normalised to unity at 0.55 µm.
    ood : DistanceOOD
        Out-of-distribution scorer fitted on the training spectra.
    threshold : float
        Abstention threshold on the top-class probability.
    card : dict
        Model card (JSON-ready).
    """

    estimator: Any
    target: str
    name: str
    wavelength: npt.NDArray[np.float64]
    ood: DistanceOOD
    threshold: float = DEFAULT_THRESHOLD
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def classes(self) -> list[str]:
        """Labels of :meth:`predict_proba`'s columns."""
        return [str(c) for c in self.estimator.classes_]

    @property
    def fine_classes(self) -> list[str] | None:
        """Bus-level labels when the estimator learnt them (GroupedClassifier), else None."""
        fine = getattr(self.estimator, "fine_classes_", None)
        return None if fine is None else [str(c) for c in fine]

    def _check(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        values = np.asarray(X, dtype=np.float64)
        if values.ndim == 1:
            values = values[np.newaxis, :]
        if values.ndim != 2 or values.shape[1] != self.wavelength.size:
            raise SpectrumError(
                f"The model needs spectra on its {self.wavelength.size}-point grid "
                f"({self.wavelength[0]:.3g}-{self.wavelength[-1]:.3g} µm); got shape "
                f"{values.shape}. Resample the spectra to model.wavelength first."
            )
        if not np.all(np.isfinite(values)):
            raise SpectrumError("Spectra contain NaN or infinite values; drop or fill them first.")
        return values

    def predict_proba(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Calibrated probabilities, shape (n, len(classes))."""
        return np.asarray(self.estimator.predict_proba(self._check(X)), dtype=np.float64)

    def probabilities(
        self, X: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
        """Probabilities of :attr:`classes` and, if learnt, of :attr:`fine_classes`.

        For a model that learnt Bus classes the coarse probabilities are sums of the fine
        ones, computed from one pass of the estimator.
        """
        return self._probabilities(self._check(X))

    def _probabilities(
        self, values: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
        membership = getattr(self.estimator, "membership_", None)
        if self.fine_classes is None or membership is None:
            return np.asarray(self.estimator.predict_proba(values), dtype=np.float64), None
        fine = np.asarray(self.estimator.predict_fine_proba(values), dtype=np.float64)
        return np.asarray(fine @ membership, dtype=np.float64), fine

    def classify(self, X: npt.ArrayLike) -> pd.DataFrame:
        """Classify spectra on :attr:`wavelength`.

        Returns
        -------
        DataFrame
            One row per spectrum: ``label``, ``probability`` (of the label),
            ``uncertain`` (abstention), ``ood_score``, ``p_<class>`` for every class, and
            for models that learnt Bus classes also ``bus_class`` and its
            ``bus_probability``.
        """
        values = self._check(X)
        proba, fine_proba = self._probabilities(values)
        classes = np.asarray(self.classes, dtype=object)
        best = proba.argmax(axis=1)
        table = pd.DataFrame(
            {
                "label": classes[best],
                "probability": proba[np.arange(len(best)), best],
                "uncertain": abstain(proba, self.threshold),
                "ood_score": self.ood.score_samples(values),
            }
        )
        for i, label in enumerate(classes):
            table[f"p_{label}"] = proba[:, i]
        fine = self.fine_classes
        if fine is not None and fine_proba is not None:
            fine_best = fine_proba.argmax(axis=1)
            table["bus_class"] = np.asarray(fine, dtype=object)[fine_best]
            table["bus_probability"] = fine_proba[np.arange(len(fine_best)), fine_best]
        return table
