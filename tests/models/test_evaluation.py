"""Repeated stratified CV and its metrics: Brier score, ECE, summaries, fit routing."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.evaluation import (
    brier_score,
    evaluate,
    expected_calibration_error,
    fit_kwargs,
)
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.targets import TargetData, coarse_labels, target_data
from asteroid_spectra.models.torch_estimator import TorchClassifier
from asteroid_spectra.spectra.sets import SpectralSet

TIMINGS = ("fit_time", "predict_time_per_spectrum")


def numbers(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary without the wall-clock timings (the only numbers that vary by run)."""
    return {k: v for k, v in summary.items() if k not in TIMINGS}


def svm_bus(target: str = "main-group") -> GroupedClassifier:
    return GroupedClassifier(make_svm(scaling=None, C=30.0, gamma=10.0), target=target)


# --- metrics on hand-computed examples --------------------------------------------
@pytest.mark.parametrize(
    ("y_true", "proba", "classes", "expected"),
    [
        # Perfect forecasts score 0.
        (["a", "b"], [[1.0, 0.0], [0.0, 1.0]], ["a", "b"], 0.0),
        # Certain and wrong: (1 - 0)² + (0 - 1)² = 2.
        (["a"], [[0.0, 1.0]], ["a", "b"], 2.0),
        # Uniform over K = 4 classes: (3/4)² + 3 (1/4)² = 1 - 1/K = 0.75 (Brier 1950).
        (["c", "a"], [[0.25] * 4] * 2, ["a", "b", "c", "d"], 0.75),
        # (0.3² + 0.2² + 0.1² + 0.2² + 0.2² + 0.4²) / 2 = (0.14 + 0.24) / 2.
        (["a", "c"], [[0.7, 0.2, 0.1], [0.2, 0.2, 0.6]], ["a", "b", "c"], 0.19),
    ],
)
def test_brier_score(
    y_true: list[str], proba: list[list[float]], classes: list[str], expected: float
) -> None:
    assert brier_score(y_true, proba, classes) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("y_true", "proba", "n_bins", "expected"),
    [
        # Confidence 0.95 twice, one right (bin 9: |0.5 - 0.95| = 0.45); confidence 0.65
        # (right) and 0.62 (wrong) in bin 6: |0.5 - 0.635| = 0.135. (0.45 + 0.135) / 2.
        (
            ["a", "b", "a", "a"],
            [[0.95, 0.05], [0.95, 0.05], [0.65, 0.35], [0.38, 0.62]],
            10,
            0.2925,
        ),
        # Calibrated: 80 % confidence, 4 of 5 right.
        (["a", "a", "a", "a", "b"], [[0.8, 0.2]] * 5, 15, 0.0),
        # Certain and right: confidence 1 falls in the last bin.
        (["a", "b"], [[1.0, 0.0], [0.0, 1.0]], 15, 0.0),
        # One bin: |mean accuracy - mean confidence| = |0.5 - 0.75|.
        (["a", "b"], [[0.9, 0.1], [0.6, 0.4]], 1, 0.25),
    ],
)
def test_expected_calibration_error(
    y_true: list[str], proba: list[list[float]], n_bins: int, expected: float
) -> None:
    ece = expected_calibration_error(y_true, proba, ["a", "b"], n_bins=n_bins)
    assert ece == pytest.approx(expected, abs=1e-12)


# --- fit_kwargs ----------------------------------------------------------------------
FINE = np.array(["S", "C"], dtype=object)
ERROR = np.full((2, 49), 0.01)


@pytest.mark.parametrize(
    ("model", "fine", "error", "keys"),
    [
        (svm_bus(), FINE, ERROR, {"fine_labels"}),
        (svm_bus(), None, ERROR, set()),
        (TorchClassifier(), FINE, ERROR, {"sample_error"}),
        (TorchClassifier(), FINE, None, set()),
        (make_svm(), FINE, ERROR, set()),
        (LogisticRegression(), FINE, ERROR, set()),
    ],
    ids=["grouped", "grouped-no-fine", "torch", "torch-no-error", "svm", "logistic"],
)
def test_fit_kwargs_routes_only_what_fit_accepts(
    model: Any, fine: Any, error: Any, keys: set[str]
) -> None:
    kwargs = fit_kwargs(model, fine, error)
    assert set(kwargs) == keys
    if "fine_labels" in keys:
        assert kwargs["fine_labels"] is fine
    if "sample_error" in keys:
        assert kwargs["sample_error"] is error


# --- evaluate ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def main_group(spectral_set: SpectralSet) -> TargetData:
    return target_data(spectral_set, "main-group")


@pytest.fixture(scope="module")
def evaluation(main_group: TargetData) -> Any:
    return evaluate(svm_bus, main_group, model_name="svm-bus", folds=3, repeats=2, seed=0)


def test_scores_one_row_per_fold(evaluation: Any) -> None:
    assert evaluation.scores["fold"].tolist() == list(range(6))
    for name in ("accuracy", "balanced_accuracy", "f1_weighted", "f1_macro", "brier", "ece"):
        assert evaluation.scores[name].notna().all()
    assert evaluation.scores["accuracy"].min() >= 0.9
    assert (evaluation.scores["fit_time"] > 0).all()
    # Easy data: accuracy near 1, probabilities near certainty, so a small Brier score.
    assert evaluation.metric("brier")["mean"] < 0.15


def test_confusion_matrix_counts_every_test_prediction(
    evaluation: Any, main_group: TargetData
) -> None:
    # 185 spectra, each in exactly one test fold per repeat.
    assert evaluation.classes == ("C", "S", "X", "Other")
    assert evaluation.confusion.index.tolist() == list(evaluation.classes)
    assert evaluation.confusion.columns.tolist() == list(evaluation.classes)
    assert int(evaluation.confusion.to_numpy().sum()) == 185 * 2
    counts = {label: int((main_group.y == label).sum()) for label in evaluation.classes}
    assert counts == {"C": 50, "S": 60, "X": 40, "Other": 35}
    assert evaluation.confusion.sum(axis=1).to_dict() == {k: 2 * v for k, v in counts.items()}
    assert evaluation.per_class["support"].to_dict() == counts
    # Accuracy of the pooled predictions equals the trace share.
    trace = np.trace(evaluation.confusion.to_numpy()) / 370
    assert trace == pytest.approx(evaluation.scores["accuracy"].mean(), abs=0.01)


def test_summary_is_json_ready(evaluation: Any) -> None:
    summary = evaluation.summary()
    again = json.loads(json.dumps(summary))
    assert again == summary
    assert (summary["target"], summary["model"], summary["n_samples"]) == (
        "main-group",
        "svm-bus",
        185,
    )
    assert (summary["folds"], summary["repeats"], summary["seed"]) == (3, 2, 0)
    assert summary["classes"] == ["C", "S", "X", "Other"]
    scores = evaluation.scores["accuracy"]
    assert summary["accuracy"] == {"mean": scores.mean(), "std": scores.std(ddof=1)}
    assert set(summary["per_class"]["S"]) == {
        "precision_mean",
        "precision_std",
        "recall_mean",
        "recall_std",
        "f1_mean",
        "f1_std",
        "support",
    }
    assert summary["per_class"]["S"]["support"] == 60
    assert summary["confusion_matrix"]["labels"] == ["C", "S", "X", "Other"]
    assert np.sum(summary["confusion_matrix"]["counts"]) == 370
    assert "precision" not in summary  # binary X-class metrics only for x-vs-rest
    assert "excluded" not in summary


def test_same_seed_same_numbers(evaluation: Any, main_group: TargetData) -> None:
    again = evaluate(svm_bus, main_group, model_name="svm-bus", folds=3, repeats=2, seed=0)
    assert numbers(again.summary()) == numbers(evaluation.summary())


def test_seeds_choose_the_splits(main_group: TargetData) -> None:
    # A model that remembers its training spectra shows which rows each fold trained on
    # (the first reflectance value identifies a noisy spectrum).
    runs: list[list[frozenset[float]]] = []

    class Remember(DummyClassifier):
        def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
            runs[-1].append(frozenset(X[:, 0].tolist()))
            return super().fit(X, y)

    for seed in (0, 0, 1):
        runs.append([])
        evaluate(Remember, main_group, folds=3, repeats=2, seed=seed)
    # Every spectrum is in the training part of 2 of the 3 folds of each repeat.
    for run in runs:
        assert len(run) == 6
        for repeat in (run[:3], run[3:]):
            counts = Counter(value for rows in repeat for value in rows)
            assert len(counts) == 185
            assert set(counts.values()) == {2}
    assert runs[0] == runs[1]  # the same seed, the same splits
    assert runs[0] != runs[2]
    assert runs[0][:3] != runs[0][3:]  # repeats reshuffle


def test_x_vs_rest_reports_the_x_class_metrics(spectral_set: SpectralSet) -> None:
    data = target_data(spectral_set, "x-vs-rest")
    result = evaluate(lambda: svm_bus("x-vs-rest"), data, folds=3, repeats=1, seed=0)
    summary = result.summary()
    for key in ("precision", "recall", "f1"):
        assert set(summary[key]) == {"mean", "std"}
        assert 0.8 <= summary[key]["mean"] <= 1.0
    assert summary["classes"] == ["X", "rest"]
    assert result.per_class["support"].to_dict() == {"X": 40, "rest": 145}


def test_models_without_probabilities_skip_calibration_metrics(main_group: TargetData) -> None:
    result = evaluate(lambda: SVC(), main_group, folds=3, repeats=1, seed=0)
    assert result.scores["brier"].isna().all()
    assert result.scores["ece"].isna().all()
    summary = result.summary()
    assert "brier" not in summary
    assert "ece" not in summary
    assert "accuracy" in summary


def test_on_fold_reports_progress(main_group: TargetData) -> None:
    calls: list[tuple[int, int]] = []
    evaluate(svm_bus, main_group, folds=2, repeats=2, seed=0, on_fold=lambda *a: calls.append(a))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_fine_labels_and_errors_reach_the_models_that_accept_them(
    spectral_set: SpectralSet,
) -> None:
    error = np.tile(np.arange(len(spectral_set), dtype=float)[:, np.newaxis], (1, 49))
    data = target_data(spectral_set, "main-group", error=error)
    models: list[Any] = []

    class Recording(GroupedClassifier):
        def fit(
            self, X: Any, y: Any, fine_labels: Any = None, sample_error: Any = None
        ) -> Recording:
            self.received_ = (np.asarray(y), fine_labels, sample_error, X)
            return super().fit(X, y, fine_labels=fine_labels)

    def build() -> Recording:
        models.append(Recording(make_svm(scaling=None, C=30.0, gamma=10.0)))
        return models[-1]

    evaluate(build, data, folds=3, repeats=1, seed=0)
    assert len(models) == 3
    for model in models:
        y, fine, sample_error, X = model.received_
        assert len(fine) == len(y) == len(X) == len(sample_error)
        assert coarse_labels("main-group", fine).tolist() == y.tolist()
        rows = [np.flatnonzero((x == data.X).all(axis=1))[0] for x in X]
        np.testing.assert_array_equal(sample_error, error[data.objects.index[rows]])
        assert fine.tolist() == data.fine[rows].tolist()


def test_bus_target_classifies_the_rare_classes(spectral_set: SpectralSet) -> None:
    data = target_data(spectral_set, "bus")
    result = evaluate(lambda: svm_bus("bus"), data, folds=3, repeats=1, seed=0)
    table = result.excluded
    assert table.columns.tolist() == ["object_id", "bus_class", "predicted", "probability"]
    assert sorted(table["bus_class"]) == ["O", "O", "R", "R", "R"]
    assert set(table["predicted"]) <= set(data.classes)
    assert ((table["probability"] > 0) & (table["probability"] <= 1)).all()
    assert len(result.summary()["excluded"]) == 5
    json.dumps(result.summary())
    skipped = evaluate(
        lambda: svm_bus("bus"), data, folds=3, repeats=1, seed=0, classify_excluded=False
    )
    assert skipped.excluded.empty


@pytest.mark.slow  # starting the worker processes takes several seconds
def test_parallel_folds_give_the_same_numbers(main_group: TargetData, evaluation: Any) -> None:
    parallel = evaluate(
        svm_bus, main_group, model_name="svm-bus", folds=3, repeats=2, seed=0, n_jobs=2
    )
    assert numbers(parallel.summary()) == numbers(evaluation.summary())
