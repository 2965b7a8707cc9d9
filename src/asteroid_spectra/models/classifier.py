"""A trained taxonomy model: estimator, wavelength grid, abstention, OOD score, card.

:class:`TaxonomyModel` is what gets saved, loaded and used to classify: a fitted
estimator for one target together with the grid its inputs must be sampled on, the
abstention threshold, the out-of-distribution reference and the model card (what it was
trained on, how well it does). :meth:`TaxonomyModel.classify` returns
:class:`~asteroid_spectra.models.predictions.Predictions`, the one shape every consumer
(CLI, HTTP API, catalogue, report) adapts.

Predictions run through the model's numpy-only inference form
(:mod:`~asteroid_spectra.models.inference`) when the estimator compiles to one — every
recommended model does — so classifying with a loaded model imports neither
scikit-learn nor skops; the estimator itself is loaded only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.models.inference import InferenceModel, compile_model
from asteroid_spectra.models.neighbours import distance_score
from asteroid_spectra.models.predictions import DEFAULT_THRESHOLD, Predictions
from asteroid_spectra.models.targets import TARGETS, taxonomy_of

__all__ = ["TaxonomyModel"]

FloatArray = npt.NDArray[np.float64]


class TaxonomyModel:
    """A fitted classifier ready to classify spectra sampled on :attr:`wavelength`.

    Parameters
    ----------
    estimator : classifier
        Fitted scikit-learn estimator with ``predict_proba``.
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    name : str
        Model name (see :mod:`asteroid_spectra.models.registry`).
    wavelength : array_like, shape (m,)
        Grid (µm) the inputs must be on, normalised to unity at 0.55 µm.
    ood : DistanceOOD
        Out-of-distribution scorer fitted on the training spectra.
    threshold : float
        Abstention threshold on the top-class probability.
    card : dict, optional
        Model card (JSON-ready).

    Attributes
    ----------
    taxonomy : str
        Taxonomy of the classes the model learnt (``bus``, ``demeo`` or ``tholen``).

    Notes
    -----
    The OOD scorer is read when scores are computed, so it may be fitted after the model
    is built.
    """

    def __init__(
        self,
        estimator: Any,
        target: str,
        name: str,
        wavelength: npt.ArrayLike,
        ood: Any,
        threshold: float = DEFAULT_THRESHOLD,
        card: dict[str, Any] | None = None,
    ) -> None:
        self.target = target
        self.name = name
        self.wavelength = np.asarray(wavelength, dtype=np.float64)
        self.threshold = threshold
        self.card: dict[str, Any] = {} if card is None else card
        self._estimator = estimator
        self._ood = ood
        self._load_estimator: Callable[[], Any] | None = None
        self._load_ood: Callable[[], Any] | None = None
        self._inference: InferenceModel | bool | None = False  # False: not compiled yet
        self._ood_parts: tuple[FloatArray, int, float] | None = None
        self.taxonomy = (
            taxonomy_of(target, getattr(estimator, "taxonomy", None))
            if target in TARGETS
            else "bus"
        )

    @classmethod
    def restore(
        cls,
        *,
        target: str,
        name: str,
        wavelength: npt.ArrayLike,
        threshold: float,
        card: dict[str, Any],
        inference: InferenceModel | None,
        ood_parts: tuple[npt.ArrayLike, int, float],
        load_estimator: Callable[[], Any],
        load_ood: Callable[[], Any],
        taxonomy: str = "bus",
    ) -> TaxonomyModel:
        """Rebuild a saved model; the estimator and the OOD estimator load on first access.

        Used by :func:`~asteroid_spectra.models.persistence.load_model`; `ood_parts` is
        :attr:`ood_parts` of the saved model.
        """
        model = cls(None, target, name, wavelength, None, threshold, card)
        model._load_estimator, model._load_ood = load_estimator, load_ood
        model._inference = inference
        model.taxonomy = taxonomy
        reference, k, scale = ood_parts
        model._ood_parts = (np.asarray(reference, dtype=np.float64), int(k), float(scale))
        return model

    @property
    def inference(self) -> InferenceModel | None:
        """The estimator's numpy-only form, compiled on first use (None if unsupported)."""
        if self._inference is False:
            self._inference = compile_model(self.estimator)
        return self._inference  # type: ignore[return-value]

    @property
    def ood_parts(self) -> tuple[FloatArray, int, float]:
        """What the OOD score needs: reference spectra, neighbour rank k, scale."""
        if self._ood_parts is not None:
            return self._ood_parts
        ood = self.ood
        return (
            np.asarray(ood.reference_spectra_, dtype=np.float64),
            int(ood.k_),
            float(ood.reference_),
        )

    @property
    def estimator(self) -> Any:
        """The fitted scikit-learn estimator (a saved one is loaded on first access)."""
        if self._estimator is None and self._load_estimator is not None:
            self._estimator = self._load_estimator()
        return self._estimator

    @property
    def ood(self) -> Any:
        """The fitted :class:`~asteroid_spectra.models.uncertainty.DistanceOOD`."""
        if self._ood is None and self._load_ood is not None:
            self._ood = self._load_ood()
        return self._ood

    @property
    def classes(self) -> list[str]:
        """Labels of :meth:`predict_proba`'s columns."""
        if self.inference is not None:
            return self.inference.classes
        return [str(c) for c in self.estimator.classes_]

    @property
    def fine_classes(self) -> list[str] | None:
        """Bus-level labels when the estimator learnt them (GroupedClassifier), else None."""
        if self.inference is not None:
            return self.inference.fine_classes
        fine = getattr(self.estimator, "fine_classes_", None)
        return None if fine is None else [str(c) for c in fine]

    def _check(self, X: npt.ArrayLike) -> FloatArray:
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

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Calibrated probabilities, shape (n, len(classes))."""
        return self._probabilities(self._check(X))[0]

    def probabilities(self, X: npt.ArrayLike) -> tuple[FloatArray, FloatArray | None]:
        """Probabilities of :attr:`classes` and, if learnt, of :attr:`fine_classes`.

        For a model that learnt Bus classes the coarse probabilities are sums of the fine
        ones, computed from one pass of the estimator.
        """
        return self._probabilities(self._check(X))

    def _probabilities(self, values: FloatArray) -> tuple[FloatArray, FloatArray | None]:
        if self.inference is not None:
            return self.inference.probabilities(values)
        estimator = self.estimator
        membership = getattr(estimator, "membership_", None)
        if self.fine_classes is None or membership is None:
            return np.asarray(estimator.predict_proba(values), dtype=np.float64), None
        fine = np.asarray(estimator.predict_fine_proba(values), dtype=np.float64)
        return np.asarray(fine @ membership, dtype=np.float64), fine

    def ood_score(self, X: npt.ArrayLike) -> FloatArray:
        """Out-of-distribution score of each spectrum (≤ 1 typical of the training set)."""
        return distance_score(self._check(X), *self.ood_parts)

    def classify(self, X: npt.ArrayLike) -> Predictions:
        """Classify spectra on :attr:`wavelength`.

        Returns
        -------
        Predictions
            Per spectrum: the probabilities, the most probable class, abstention, OOD
            score and, for models that learnt Bus classes, the Bus class;
            :meth:`~Predictions.frame` gives them as a table, :meth:`~Predictions.records`
            as classification results.
        """
        values = self._check(X)
        proba, fine_proba = self._probabilities(values)
        fine = self.fine_classes
        return Predictions(
            target=self.target,
            classes=tuple(self.classes),
            probabilities=proba,
            ood_score=distance_score(values, *self.ood_parts),
            threshold=self.threshold,
            fine_classes=None if fine is None else tuple(fine),
            fine_probabilities=fine_proba,
            fine_taxonomy=self.taxonomy,
        )
