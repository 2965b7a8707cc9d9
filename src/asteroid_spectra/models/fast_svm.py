"""An RBF support-vector classifier whose predictions are computed with BLAS.

:class:`FastSVC` is :class:`sklearn.svm.SVC` (same fit, same parameters, same learnt
support vectors and coefficients) with a vectorised ``decision_function``: the RBF kernel
between the inputs and the support vectors is one matrix product, the one-vs-one decision
values are gathered per class, and the one-vs-rest aggregation is done with array
operations (:func:`~asteroid_spectra.models.inference.svc_decision`, the function a
saved model's numpy-only inference form runs too). scikit-learn evaluates the kernel
sample by sample in libsvm and aggregates the 276 class pairs of a 24-class problem in a
Python loop, which limits batch prediction to about 20,000 spectra/s and costs 3-4 ms for
a single spectrum; the values here are the same to rounding error (tested) and several
times faster.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.svm import SVC
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra.models.inference import svc_decision, svc_tables

__all__ = ["FastSVC"]


class FastSVC(SVC):  # type: ignore[misc]
    """:class:`~sklearn.svm.SVC` with a BLAS decision function for the RBF kernel.

    Parameters are those of :class:`~sklearn.svm.SVC`; only ``kernel="rbf"`` with the
    default ``decision_function_shape="ovr"`` takes the fast path, anything else falls
    back to scikit-learn. ``predict`` returns the class of the largest one-vs-rest
    decision value (libsvm's vote with ties broken by confidence, as ``break_ties=True``).
    """

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> FastSVC:
        """Fit as :class:`~sklearn.svm.SVC`, then index the model for fast prediction."""
        super().fit(X, y, sample_weight=sample_weight)
        self._fast_tables = self._build_tables()
        return self

    def __getstate__(self) -> dict[str, Any]:
        """Drop the index tables (derived data) from saved states."""
        state: dict[str, Any] = super().__getstate__()
        state.pop("_fast_tables", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a saved state and rebuild the index tables."""
        super().__setstate__(state)
        if hasattr(self, "support_vectors_"):
            self._fast_tables = self._build_tables()

    def _fast(self) -> bool:
        return bool(
            self.kernel == "rbf"
            and self.decision_function_shape == "ovr"
            and not getattr(self, "_sparse", False)
        )

    def _build_tables(self) -> tuple[Any, ...]:
        return svc_tables(np.asarray(self._n_support), self._dual_coef_)

    def decision_function(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Decision values, identical to :meth:`sklearn.svm.SVC.decision_function`."""
        if not self._fast():
            return np.asarray(super().decision_function(X))
        check_is_fitted(self, "support_vectors_")
        inputs = np.asarray(validate_data(self, X, reset=False, dtype=np.float64))
        tables = getattr(self, "_fast_tables", None)
        if tables is None:  # a state restored without __setstate__
            tables = self._fast_tables = self._build_tables()
        return svc_decision(
            inputs,
            self.support_vectors_,
            self._dual_coef_,
            self._intercept_,
            np.asarray(self._n_support),
            float(self._gamma),
            tables,
        )

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Class of the largest decision value."""
        if not self._fast():
            return np.asarray(super().predict(X))
        decision = self.decision_function(X)
        if len(self.classes_) == 2:
            return np.asarray(self.classes_[(decision > 0).astype(int)])
        return np.asarray(self.classes_[np.argmax(decision, axis=1)])
