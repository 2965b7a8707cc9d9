"""Repeated stratified cross-validation with the metrics a taxonomy study reports.

For every fold of a :class:`~sklearn.model_selection.RepeatedStratifiedKFold` (default
5 folds × 5 repeats, seeded) a fresh model is fitted on the training part and scored on
the held-out part: accuracy, balanced accuracy, weighted and macro F1, per-class
precision/recall/F1, the confusion matrix (summed over folds) and, when the model has
``predict_proba``, the multi-class Brier score and the expected calibration error
(:mod:`~asteroid_spectra.models.metrics`). Results are reported as mean ± standard
deviation over folds; the same seed gives the same numbers. Other protocols pass their
own splits and build each fold's data (e.g. the cross-survey evaluation of
:mod:`~asteroid_spectra.models.crosssurvey`: folds over asteroids, training on another
survey, extra test sets per error bin). Extra ``fit`` arguments (fine labels, measured
errors) reach the models that take them (:mod:`~asteroid_spectra.models.fit_params`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import RepeatedStratifiedKFold

from asteroid_spectra import schema
from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.fit_params import fit_kwargs
from asteroid_spectra.models.metrics import brier_score, expected_calibration_error
from asteroid_spectra.models.targets import X_CLASS, TargetData

__all__ = ["Evaluation", "ExtraTest", "FoldData", "evaluate"]


@dataclass
class Evaluation:
    """Results of a repeated cross-validation.

    Attributes
    ----------
    target, model : str
        What was evaluated.
    classes : tuple of str
        Labels in display order.
    folds, repeats, seed : int
        The splitting scheme.
    scores : DataFrame
        One row per fold: the headline metrics, calibration, fit and predict times.
    per_class : DataFrame
        Per class: precision, recall, F1 (mean and std over folds) and support.
    confusion : DataFrame
        Confusion matrix summed over all folds (rows true, columns predicted).
    excluded : DataFrame
        For ``bus``: the spectra of classes too rare to evaluate, classified by a model
        fitted on all the evaluated spectra.
    protocol : dict
        Description of a non-default protocol (e.g. cross-survey), or empty.
    predictions : DataFrame
        Every held-out prediction: ``fold``, ``row`` (of the evaluated data), ``truth``,
        ``predicted``, ``stratum`` and, for models with ``predict_proba``, one
        ``p[<class>]`` column per class (for calibration on out-of-fold predictions).
    """

    target: str
    model: str
    classes: tuple[str, ...]
    n_samples: int
    folds: int
    repeats: int
    seed: int
    scores: pd.DataFrame
    per_class: pd.DataFrame
    confusion: pd.DataFrame
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)
    protocol: dict[str, Any] = field(default_factory=dict)
    predictions: pd.DataFrame = field(default_factory=pd.DataFrame)

    def metric(self, name: str) -> dict[str, float]:
        """Mean and standard deviation over folds of a score column (folds without it skipped)."""
        column = self.scores[name].astype(float).dropna()
        return {"mean": float(column.mean()), "std": float(column.std(ddof=1))}

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary with every metric as ``{"mean": …, "std": …}``."""
        metrics = [
            c
            for c in self.scores.columns
            if c != "fold" and self.scores[c].notna().sum() >= min(2, len(self.scores))
        ]
        out: dict[str, Any] = {
            "target": self.target,
            "model": self.model,
            "n_samples": self.n_samples,
            "folds": self.folds,
            "repeats": self.repeats,
            "seed": self.seed,
            "classes": list(self.classes),
        }
        out |= {name: self.metric(name) for name in metrics}
        out["per_class"] = {
            str(label): {k: (float(v) if k != "support" else int(v)) for k, v in row.items()}
            for label, row in self.per_class.iterrows()
        }
        out["confusion_matrix"] = {
            "labels": list(self.confusion.index),
            "counts": self.confusion.to_numpy().tolist(),
        }
        if not self.excluded.empty:
            out["excluded"] = self.excluded.to_dict(orient="records")
        if self.protocol:
            out["protocol"] = self.protocol
        return out


@dataclass(frozen=True)
class ExtraTest:
    """A second test set of a fold (e.g. the test spectra degraded to a fainter survey).

    Scores are recorded as ``<name>_accuracy``, ``<name>_f1_macro``, ``<name>_ece`` and,
    per stratum, ``<name>_accuracy[<stratum>]``.
    """

    name: str
    X: npt.NDArray[np.float64]
    y: npt.NDArray[np.object_]
    strata: npt.NDArray[np.object_] | None = None


@dataclass(frozen=True)
class FoldData:
    """Training and test data of one cross-validation fold.

    ``strata`` (optional) labels each test spectrum with a group (e.g. its error bin);
    accuracy is then also recorded per stratum as ``accuracy[<stratum>]``.
    """

    X_train: npt.NDArray[np.float64]
    y_train: npt.NDArray[np.object_]
    fine_train: npt.NDArray[np.object_]
    error_train: npt.NDArray[np.float64] | None
    X_test: npt.NDArray[np.float64]
    y_test: npt.NDArray[np.object_]
    strata: npt.NDArray[np.object_] | None = None
    extra_tests: tuple[ExtraTest, ...] = ()


FoldBuilder = Callable[[int, npt.NDArray[np.intp], npt.NDArray[np.intp]], FoldData]
"""``(fold, train, test) -> FoldData``: how a fold's index split becomes its data."""


def _plain_fold(data: TargetData) -> FoldBuilder:
    def build(fold: int, train: npt.NDArray[np.intp], test: npt.NDArray[np.intp]) -> FoldData:
        return FoldData(
            X_train=data.X[train],
            y_train=data.y[train],
            fine_train=data.fine[train],
            error_train=None if data.error is None else data.error[train],
            X_test=data.X[test],
            y_test=data.y[test],
        )

    return build


def _fold(
    build: Callable[[], Any],
    fold_data: FoldBuilder,
    index: int,
    train: npt.NDArray[np.intp],
    test: npt.NDArray[np.intp],
    classes: tuple[str, ...],
    target: str,
) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small matrices; parallelism comes from the folds
        result = _scored_fold(build, fold_data(index, train, test), classes, target)
    predictions = result["predictions"]
    predictions.insert(0, "row", test if len(test) == len(predictions) else -1)
    predictions.insert(0, "fold", index)
    return result


def _by_stratum(
    prefix: str, truth: Any, predicted: Any, strata: npt.NDArray[np.object_] | None
) -> dict[str, float]:
    if strata is None:
        return {}
    return {
        f"{prefix}accuracy[{label}]": float(
            np.mean(predicted[strata == label] == truth[strata == label])
        )
        for label in dict.fromkeys(strata.tolist())
    }


def _scored_fold(
    build: Callable[[], Any], fold: FoldData, classes: tuple[str, ...], target: str
) -> dict[str, Any]:
    model = build()
    kwargs = fit_kwargs(model, fold.fine_train, fold.error_train)
    start = time.perf_counter()
    try:
        model.fit(fold.X_train, fold.y_train, **kwargs)
    except ValueError as error:  # scikit-learn's complaint about the fold's class counts
        smallest = pd.Series(fold.y_train).value_counts().min()
        raise ParameterError(
            f"The {target!r} model cannot be fitted on a cross-validation training fold "
            f"(smallest class: {smallest} spectra): {error} Use fewer folds, or a model "
            "with fewer inner calibration folds."
        ) from error
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    predicted = np.asarray(model.predict(fold.X_test), dtype=object)
    predict_time = time.perf_counter() - start
    truth = fold.y_test
    row: dict[str, Any] = {
        "accuracy": accuracy_score(truth, predicted),
        "balanced_accuracy": balanced_accuracy_score(truth, predicted),
        "f1_weighted": f1_score(truth, predicted, average="weighted", zero_division=0),
        "f1_macro": f1_score(truth, predicted, average="macro", zero_division=0),
        "fit_time": fit_time,
        "predict_time_per_spectrum": predict_time / len(truth),
    }
    if target == "x-vs-rest":
        p, r, f, _ = precision_recall_fscore_support(
            truth, predicted, labels=[X_CLASS], zero_division=0
        )
        row |= {"precision": float(p[0]), "recall": float(r[0]), "f1": float(f[0])}
    has_proba = hasattr(model, "predict_proba")
    model_classes = np.asarray(model.classes_, dtype=object)
    predictions = pd.DataFrame(
        {
            "truth": truth,
            "predicted": predicted,
            "stratum": None if fold.strata is None else fold.strata,
        }
    )
    if has_proba:
        proba = np.asarray(model.predict_proba(fold.X_test))
        row["brier"] = brier_score(truth, proba, model_classes)
        row["ece"] = expected_calibration_error(truth, proba, model_classes)
        for column, label in enumerate(model_classes):
            predictions[f"p[{label}]"] = proba[:, column]
    else:
        row["brier"] = row["ece"] = np.nan
    row |= _by_stratum("", truth, predicted, fold.strata)
    for extra in fold.extra_tests:
        guessed = np.asarray(model.predict(extra.X), dtype=object)
        row[f"{extra.name}_accuracy"] = accuracy_score(extra.y, guessed)
        row[f"{extra.name}_f1_macro"] = f1_score(extra.y, guessed, average="macro", zero_division=0)
        if has_proba:
            row[f"{extra.name}_ece"] = expected_calibration_error(
                extra.y, np.asarray(model.predict_proba(extra.X)), model_classes
            )
        row |= _by_stratum(f"{extra.name}_", extra.y, guessed, extra.strata)
    per_class = precision_recall_fscore_support(
        truth, predicted, labels=list(classes), zero_division=0
    )
    matrix = confusion_matrix(truth, predicted, labels=list(classes))
    return {"row": row, "per_class": per_class, "confusion": matrix, "predictions": predictions}


def evaluate(
    build: Callable[[], Any],
    data: TargetData,
    *,
    model_name: str = "model",
    folds: int = 5,
    repeats: int = 5,
    seed: int = 0,
    n_jobs: int = 1,
    on_fold: Callable[[int, int], None] | None = None,
    classify_excluded: bool = True,
    splits: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]] | None = None,
    fold_data: FoldBuilder | None = None,
    protocol: dict[str, Any] | None = None,
) -> Evaluation:
    """Evaluate a model by repeated stratified K-fold cross-validation.

    Parameters
    ----------
    build : callable
        Returns a fresh, unfitted estimator (called once per fold).
    data : TargetData
        Spectra and labels of the target (see :func:`~.targets.target_data`).
    model_name : str
        Name recorded in the results.
    folds, repeats, seed : int
        :class:`~sklearn.model_selection.RepeatedStratifiedKFold` settings.
    n_jobs : int
        Folds fitted in parallel (joblib processes).
    on_fold : callable, optional
        Called as ``on_fold(done, total)`` after each fold (for progress bars).
    classify_excluded : bool
        For ``bus``: fit once on all spectra and classify the rare-class spectra.
    splits : list of (train, test) index arrays, optional
        Use these splits of ``data``'s rows instead of the repeated stratified K-fold
        (e.g. grouped by asteroid); there must be ``folds * repeats`` of them.
    fold_data : callable, optional
        ``(fold, train, test) -> FoldData``: build each fold's training and test data
        from the split (e.g. train on another survey's spectra of the training asteroids).
        Default: the rows of ``data``.
    protocol : dict, optional
        JSON-ready description of a non-default protocol, kept in the summary.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> from sklearn.svm import SVC  # doctest: +SKIP
    >>> result = evaluate(lambda: SVC(), data, folds=5, repeats=5, seed=0)  # doctest: +SKIP
    >>> result.metric("accuracy")  # doctest: +SKIP
    {'mean': 0.96..., 'std': 0.01...}
    """
    from joblib import Parallel, delayed

    if splits is None:
        splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
        splits = list(splitter.split(data.X, data.y))
    builder = _plain_fold(data) if fold_data is None else fold_data
    classes = data.classes
    results: list[dict[str, Any] | None] = [None] * len(splits)
    jobs = (
        delayed(_fold)(build, builder, index, train, test, classes, data.target)
        for index, (train, test) in enumerate(splits)
    )
    runner = Parallel(n_jobs=n_jobs, return_as="generator")
    for done, (index, result) in enumerate(zip(range(len(splits)), runner(jobs), strict=True), 1):
        results[index] = result
        if on_fold is not None:
            on_fold(done, len(splits))
    finished = [r for r in results if r is not None]
    scores = pd.DataFrame([r["row"] for r in finished])
    scores.insert(0, "fold", np.arange(len(finished)))
    stacked = {
        name: np.array([r["per_class"][i] for r in finished])
        for i, name in enumerate(("precision", "recall", "f1", "support"))
    }
    per_class = pd.DataFrame(
        {
            "precision_mean": stacked["precision"].mean(axis=0),
            "precision_std": stacked["precision"].std(axis=0, ddof=1),
            "recall_mean": stacked["recall"].mean(axis=0),
            "recall_std": stacked["recall"].std(axis=0, ddof=1),
            "f1_mean": stacked["f1"].mean(axis=0),
            "f1_std": stacked["f1"].std(axis=0, ddof=1),
            "support": stacked["support"].sum(axis=0) // repeats,
        },
        index=pd.Index(classes, name="class"),
    )
    confusion = pd.DataFrame(
        sum(r["confusion"] for r in finished),
        index=pd.Index(classes, name="true"),
        columns=pd.Index(classes, name="predicted"),
    )
    excluded = pd.DataFrame()
    if classify_excluded and data.target == "bus" and not data.excluded.empty:
        excluded = _classify_excluded(build, data)
    return Evaluation(
        target=data.target,
        model=model_name,
        classes=classes,
        n_samples=len(data.y),
        folds=folds,
        repeats=repeats,
        seed=seed,
        scores=scores,
        per_class=per_class,
        confusion=confusion,
        excluded=excluded,
        protocol=dict(protocol or {}),
        predictions=pd.concat([r["predictions"] for r in finished], ignore_index=True),
    )


def _classify_excluded(build: Callable[[], Any], data: TargetData) -> pd.DataFrame:
    """Fit on every evaluated spectrum, then classify the rare-class spectra."""
    model = build()
    kwargs = fit_kwargs(model, data.fine, data.error)
    model.fit(data.X, data.y, **kwargs)
    predicted = np.asarray(model.predict(data.excluded_X), dtype=object)
    table = pd.DataFrame(
        {
            "object_id": data.excluded[schema.OBJECT_ID].astype(str).to_numpy(),
            "bus_class": data.excluded[schema.BUS_CLASS].astype(str).to_numpy(),
            "predicted": predicted.astype(str),
        }
    )
    if hasattr(model, "predict_proba"):
        table["probability"] = np.asarray(model.predict_proba(data.excluded_X)).max(axis=1)
    return table
