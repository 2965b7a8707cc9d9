"""Probabilities calibrated on another instrument's predictions: temperature scaling.

A model's inner calibration (:func:`~asteroid_spectra.models.classical.calibrated`) is
learnt on spectra of the instruments it trains on; on an instrument it has never seen it
is over-confident (a SMASSII model on another survey: mean top probability 0.93 at 0.66
accuracy). :class:`Temperature` rescales probabilities as ``softmax(log p / T)`` with the
one temperature ``T`` that minimises the log loss of *out-of-survey* predictions (those of
a leave-one-survey-out evaluation, :mod:`asteroid_spectra.models.loso`); one parameter
keeps the ranking of the classes (accuracy does not change) and transfers from surveys to
a survey it was not fitted on. :func:`reliability` tabulates the reliability diagram.

References
----------
Guo, C., Pleiss, G., Sun, Y. & Weinberger, K. Q. (2017). On calibration of modern neural
networks. ICML (temperature scaling; the expected calibration error of the top class).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import ParameterError

__all__ = ["Temperature", "reliability"]

FloatArray = npt.NDArray[np.float64]

_FLOOR = 1e-6
"""Probabilities are clipped to at least this before taking logarithms."""


def _scaled(proba: FloatArray, temperature: float) -> FloatArray:
    logits = np.log(np.clip(proba, _FLOOR, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return np.asarray(weights / weights.sum(axis=1, keepdims=True))


def _onehot(y: npt.ArrayLike, classes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    labels = np.asarray(y, dtype=object)
    columns = np.asarray(classes, dtype=object)
    hits = labels[:, np.newaxis] == columns[np.newaxis, :]
    if not hits.any(axis=1).all():
        unknown = sorted(set(labels[~hits.any(axis=1)].tolist()))
        raise ParameterError(
            f"Labels {unknown} are not among the probability columns {columns.tolist()}; "
            "calibrate on predictions of the same classes."
        )
    return np.asarray(hits)


class Temperature:
    """Temperature scaling of class probabilities, fitted on held-out predictions.

    Parameters
    ----------
    bounds : (float, float)
        Search range of the temperature (1: unchanged; above 1: less confident).

    Attributes
    ----------
    temperature_ : float
        The fitted temperature.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = np.where(rng.random(2000) < 0.7, "a", "b")  # right 70 % of the time...
    >>> proba = np.tile([0.95, 0.05], (2000, 1))         # ...but 95 % sure
    >>> scaler = Temperature().fit(proba, y, ["a", "b"])
    >>> round(float(scaler.transform(proba)[0, 0]), 2)
    0.7
    """

    def __init__(self, bounds: tuple[float, float] = (0.05, 20.0)) -> None:
        self.bounds = bounds

    def fit(self, proba: npt.ArrayLike, y: npt.ArrayLike, classes: npt.ArrayLike) -> Temperature:
        """Find the temperature minimising the log loss of `proba` against `y`.

        Parameters
        ----------
        proba : array_like, shape (n, k)
            Held-out probabilities, columns in the order of `classes`.
        y : array_like, shape (n,)
            True labels.
        classes : array_like, shape (k,)
            The class of each column.
        """
        from scipy.optimize import minimize_scalar

        values = np.asarray(proba, dtype=np.float64)
        if values.ndim != 2 or values.shape[0] < 2:
            raise ParameterError(
                f"Temperature needs a (n, k) probability matrix with n >= 2. Got shape "
                f"{values.shape} instead."
            )
        hits = _onehot(y, classes)

        def loss(log_temperature: float) -> float:
            scaled = _scaled(values, float(np.exp(log_temperature)))
            return float(-np.mean(np.log(np.clip(scaled[hits], _FLOOR, 1.0))))

        low, high = np.log(self.bounds[0]), np.log(self.bounds[1])
        result = minimize_scalar(loss, bounds=(low, high), method="bounded")
        self.temperature_ = float(np.exp(result.x))
        return self

    def transform(self, proba: npt.ArrayLike) -> FloatArray:
        """Return the probabilities at the fitted temperature (rows sum to 1)."""
        if not hasattr(self, "temperature_"):
            raise ParameterError("This Temperature is not fitted yet; call fit first.")
        return _scaled(np.asarray(proba, dtype=np.float64), self.temperature_)


def reliability(
    proba: npt.ArrayLike, y: npt.ArrayLike, classes: npt.ArrayLike, n_bins: int = 10
) -> FloatArray:
    """Reliability diagram of the top-class probability: one row per non-empty bin.

    Returns
    -------
    ndarray, shape (b, 3)
        Mean confidence, accuracy and count of each bin of equal width.

    Examples
    --------
    >>> reliability([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], ["a", "b", "b"], ["a", "b"], 5)
    array([[0.7 , 1.  , 1.  ],
           [0.85, 0.5 , 2.  ]])
    """
    values = np.asarray(proba, dtype=np.float64)
    confidence = values.max(axis=1)
    correct = _onehot(y, classes)[np.arange(len(values)), values.argmax(axis=1)]
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    rows = [
        (confidence[bins == b].mean(), correct[bins == b].mean(), float((bins == b).sum()))
        for b in np.unique(bins)
    ]
    return np.asarray(rows, dtype=np.float64).reshape(-1, 3)
