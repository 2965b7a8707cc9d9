"""Leave-one-survey-out results summarised, with each survey calibrated on the others.

:func:`cross_calibrate` fits, for each held-out survey, a
:class:`~asteroid_spectra.models.calibration.Temperature` on the out-of-survey predictions
of the *other* surveys (:func:`~asteroid_spectra.models.loso.loso_evaluate`) and applies it
to this one's, so its expected calibration error is measured on predictions the
calibration never saw. :func:`loso_summary` tabulates accuracy, F1, the ECE before and
after, and scores the two flags as a user meets them: ``uncertain`` (calibrated top
probability below 0.5) and ``ood`` (the distance score above 1), by the accuracy of the
flagged and the unflagged spectra.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.calibration import Temperature
from asteroid_spectra.models.evaluation import Evaluation
from asteroid_spectra.models.metrics import expected_calibration_error
from asteroid_spectra.models.predictions import DEFAULT_THRESHOLD

__all__ = ["Calibrated", "cross_calibrate", "loso_summary"]

FloatArray = npt.NDArray[np.float64]


def _probabilities(predictions: pd.DataFrame) -> tuple[FloatArray, list[str]]:
    columns = [c for c in predictions.columns if c.startswith("p[")]
    return predictions[columns].to_numpy(np.float64), [c[2:-1] for c in columns]


class Calibrated(NamedTuple):
    """A held-out survey's predictions before and after cross-survey calibration."""

    temperature: float
    truth: npt.NDArray[np.object_]
    raw: FloatArray
    calibrated: FloatArray
    classes: list[str]


def cross_calibrate(evaluations: dict[str, Evaluation]) -> dict[str, Calibrated]:
    """Calibrate each held-out survey with a temperature fitted on the others' predictions.

    Parameters
    ----------
    evaluations : dict
        Survey → :func:`loso_evaluate` result (with ``predictions``); at least two.

    Returns
    -------
    dict
        Survey → :class:`Calibrated`.
    """
    if len(evaluations) < 2:
        raise ParameterError(
            "Cross-survey calibration fits each survey's temperature on the others' "
            f"predictions; give at least two surveys. Got {len(evaluations)}."
        )
    out = {}
    for survey, evaluation in evaluations.items():
        others = pd.concat(
            [e.predictions for name, e in evaluations.items() if name != survey], ignore_index=True
        )
        proba, classes = _probabilities(others)
        scaler = Temperature().fit(proba, others["truth"].to_numpy(dtype=object), classes)
        raw, own_classes = _probabilities(evaluation.predictions)
        out[survey] = Calibrated(
            scaler.temperature_,
            evaluation.predictions["truth"].to_numpy(dtype=object),
            raw,
            scaler.transform(raw),
            own_classes,
        )
    return out


def _mean_std(values: npt.ArrayLike) -> dict[str, float]:
    array = np.asarray(values, dtype=np.float64)
    array = array[np.isfinite(array)]
    std = float(array.std(ddof=1)) if array.size > 1 else 0.0
    return {"mean": float(array.mean()) if array.size else float("nan"), "std": std}


def _flag(
    right: npt.NDArray[np.bool_], flagged: npt.NDArray[np.bool_], name: str
) -> dict[str, float]:
    def share(mask: npt.NDArray[np.bool_]) -> float:
        return float(right[mask].mean()) if mask.any() else float("nan")

    return {
        name: float(flagged.mean()),
        f"accuracy_{name}": share(flagged),
        f"accuracy_not_{name}": share(~flagged),
    }


def _ece(result: Calibrated, proba: FloatArray, repeats: npt.NDArray[Any]) -> dict[str, float]:
    """Mean and std over repeats of the ECE of all of a survey's held-out predictions."""
    return _mean_std(
        [
            expected_calibration_error(
                result.truth[repeats == r], proba[repeats == r], result.classes
            )
            for r in np.unique(repeats)
        ]
    )


def loso_summary(evaluations: dict[str, Evaluation]) -> dict[str, dict[str, Any]]:
    """Summarise leave-one-survey-out evaluations, calibrated across surveys.

    Parameters
    ----------
    evaluations : dict
        Survey → :func:`loso_evaluate` result; at least two (:func:`cross_calibrate`).

    Returns
    -------
    dict
        Survey → JSON-ready scores: ``spectra``, ``asteroids``; ``accuracy``,
        ``f1_weighted`` and ``balanced_accuracy``, each ``{"mean", "std"}`` over folds;
        ``ece`` (raw) and ``ece_calibrated`` over repeats: each repeat predicts every
        spectrum of the survey once, and a fifth of a small survey is too few for 15
        probability bins (the ECE of 25 spectra is biased upwards by its own sampling
        noise); ``temperature``, ``mean_confidence`` (calibrated);
        the share of spectra flagged ``uncertain`` (calibrated top probability below 0.5)
        and ``ood`` with the accuracy of flagged and unflagged ones.
    """
    calibrated = cross_calibrate(evaluations)
    out: dict[str, dict[str, Any]] = {}
    for survey, evaluation in evaluations.items():
        result = calibrated[survey]
        predictions = evaluation.predictions
        repeats = predictions["fold"].to_numpy() // evaluation.folds

        right = predictions["predicted"].to_numpy(dtype=object) == result.truth
        scores = evaluation.scores
        out[survey] = {
            "spectra": evaluation.n_samples,
            "asteroids": evaluation.protocol.get("n_asteroids"),
            **{
                name: _mean_std(scores[name])
                for name in ("accuracy", "f1_weighted", "balanced_accuracy")
            },
            "ece": _ece(result, result.raw, repeats),
            "ece_calibrated": _ece(result, result.calibrated, repeats),
            "temperature": result.temperature,
            "mean_confidence": float(result.calibrated.max(axis=1).mean()),
            **_flag(right, result.calibrated.max(axis=1) < DEFAULT_THRESHOLD, "uncertain"),
            **_flag(right, predictions["stratum"].to_numpy(dtype=object) == "ood", "ood"),
            "protocol": evaluation.protocol,
        }
    return out
