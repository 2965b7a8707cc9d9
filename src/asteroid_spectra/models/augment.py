"""Training-time augmentation with instrument-like perturbations.

A model trained on one spectrograph meets other slopes and other noise levels in use.
:class:`AugmentedClassifier` fits its estimator on the training spectra plus perturbed
copies of them — each copy tilted by a random slope change, its red end bent by a random
amount and given random Gaussian noise (:mod:`asteroid_spectra.spectra.perturb`) — so
that the decision boundaries do not hinge on differences smaller than those systematics.
The gain and its in-survey price are measured in ``benchmarks/robustness.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.spectra.perturb import add_noise, bend_red, tilt

__all__ = ["AugmentedClassifier"]


def _augment_param(value: Any, n_samples: int, copies: int) -> Any:
    """Repeat a per-sample fit parameter for the copies; leave others unchanged."""
    if hasattr(value, "__len__") and not isinstance(value, str | bytes | dict):
        array = np.asarray(value)
        if array.ndim >= 1 and array.shape[0] == n_samples:
            return np.concatenate([array] * (copies + 1))
    return value


class AugmentedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fit `estimator` on the training spectra and `copies` perturbed copies of each.

    Parameters
    ----------
    estimator : classifier
        Cloned and fitted on the augmented set.
    wavelength : array_like of shape (n_features,), optional
        Wavelengths (µm) of the columns; needed when `max_slope` > 0.
    copies : int
        Perturbed copies per training spectrum (0: no augmentation).
    max_slope : float
        Slope changes are drawn uniformly in ``[-max_slope, max_slope]`` (µm⁻¹).
    max_red : float
        Red-end changes (:func:`~asteroid_spectra.spectra.perturb.bend_red`) are drawn
        uniformly in ``[-max_red, max_red]`` (µm⁻¹ beyond 0.75 µm; 0: none).
    min_snr : float
        Noise levels are drawn so that ``1 / snr`` is uniform in ``[0, 1 / min_snr]``
        (infinite: no noise).
    random_state : int, RandomState or None
        Seed of the perturbations.

    Attributes
    ----------
    estimator_ : classifier
        The fitted estimator.
    classes_ : ndarray
        Class labels.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.svm import SVC
    >>> grid = np.linspace(0.44, 0.92, 49)
    >>> X = np.vstack([1 + 0.2 * (grid - 0.55), 1 + 0.8 * (grid - 0.55)] * 10)
    >>> y = np.array(["C", "S"] * 10)
    >>> model = AugmentedClassifier(SVC(), wavelength=grid, copies=2, random_state=0)
    >>> model.fit(X, y).predict(X[:2]).tolist()
    ['C', 'S']
    """

    def __init__(
        self,
        estimator: Any,
        wavelength: npt.ArrayLike | None = None,
        copies: int = 4,
        max_slope: float = 0.1,
        max_red: float = 0.0,
        min_snr: float = 50.0,
        random_state: Any = None,
    ) -> None:
        self.estimator = estimator
        self.wavelength = wavelength
        self.copies = copies
        self.max_slope = max_slope
        self.max_red = max_red
        self.min_snr = min_snr
        self.random_state = random_state

    def _check_params(self, n_features: int) -> npt.NDArray[np.float64] | None:
        if not isinstance(self.copies, int | np.integer) or self.copies < 0:
            raise ParameterError(
                f"The 'copies' parameter of AugmentedClassifier must be an int >= 0. "
                f"Got {self.copies!r} instead."
            )
        if not self.max_slope >= 0:
            raise ParameterError(
                f"The 'max_slope' parameter of AugmentedClassifier must be >= 0. "
                f"Got {self.max_slope!r} instead."
            )
        if not self.max_red >= 0:
            raise ParameterError(
                f"The 'max_red' parameter of AugmentedClassifier must be >= 0. "
                f"Got {self.max_red!r} instead."
            )
        if not self.min_snr > 0:
            raise ParameterError(
                f"The 'min_snr' parameter of AugmentedClassifier must be > 0. "
                f"Got {self.min_snr!r} instead."
            )
        if self.wavelength is None:
            if (self.max_slope > 0 or self.max_red > 0) and self.copies > 0:
                raise ParameterError(
                    "AugmentedClassifier needs the 'wavelength' of the columns to change "
                    "slopes; pass wavelength=... or max_slope=0 and max_red=0."
                )
            return None
        grid = np.asarray(self.wavelength, dtype=np.float64)
        if grid.shape != (n_features,):
            raise ParameterError(
                f"The 'wavelength' parameter of AugmentedClassifier must have one value per "
                f"feature ({n_features}). Got shape {grid.shape} instead."
            )
        return grid

    def augment(self, X: npt.ArrayLike, random_state: Any = None) -> npt.NDArray[np.float64]:
        """Return `X` followed by its `copies` perturbed copies (copy-major order)."""
        values = np.asarray(X, dtype=np.float64)
        grid = self._check_params(values.shape[1])
        rng = check_random_state(self.random_state if random_state is None else random_state)
        parts = [values]
        n = values.shape[0]
        for _ in range(self.copies):
            copy = values
            if grid is not None and self.max_slope > 0:
                copy = tilt(copy, grid, rng.uniform(-self.max_slope, self.max_slope, n))
            if grid is not None and self.max_red > 0:
                copy = bend_red(copy, grid, rng.uniform(-self.max_red, self.max_red, n))
            if np.isfinite(self.min_snr):
                inverse = rng.uniform(0.0, 1.0 / self.min_snr, n)
                with np.errstate(divide="ignore"):
                    copy = add_noise(copy, 1.0 / inverse, random_state=int(rng.randint(2**31)))
            parts.append(copy)
        return np.vstack(parts)

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike, **fit_params: Any) -> AugmentedClassifier:
        """Fit the estimator on `X`, `y` and their perturbed copies."""
        inputs, labels = validate_data(self, X, y, dtype=np.float64)
        n = inputs.shape[0]
        augmented = self.augment(inputs)
        params = {k: _augment_param(v, n, self.copies) for k, v in fit_params.items()}
        self.estimator_ = clone(self.estimator).fit(
            augmented, np.concatenate([np.asarray(labels)] * (self.copies + 1)), **params
        )
        self.classes_ = self.estimator_.classes_
        return self

    def _inputs(self, X: npt.ArrayLike) -> Any:
        check_is_fitted(self, "estimator_")
        return validate_data(self, X, reset=False, dtype=np.float64)

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Predicted class of each spectrum."""
        inputs = self._inputs(X)
        return np.asarray(self.estimator_.predict(inputs))

    def predict_proba(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Class probabilities, columns in :attr:`classes_` order."""
        inputs = self._inputs(X)
        return np.asarray(self.estimator_.predict_proba(inputs))

    @available_if(lambda self: hasattr(self.estimator, "decision_function"))  # type: ignore[untyped-decorator]
    def decision_function(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return the estimator's decision function."""
        inputs = self._inputs(X)
        return np.asarray(self.estimator_.decision_function(inputs))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
