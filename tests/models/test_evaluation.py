"""Repeated stratified CV: scores per fold, summaries, other protocols."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.svm import SVC

from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.evaluation import evaluate
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.splits import grouped_splits
from asteroid_spectra.models.targets import TargetData, coarse_labels, target_data
from asteroid_spectra.spectra.sets import SpectralSet

TIMINGS = ("fit_time", "predict_time_per_spectrum")


def numbers(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary without the wall-clock timings (the only numbers that vary by run)."""
    return {k: v for k, v in summary.items() if k not in TIMINGS}


def svm_bus(target: str = "main-group") -> GroupedClassifier:
    return GroupedClassifier(make_svm(scaling=None, C=30.0, gamma=10.0), target=target)


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


def test_every_held_out_prediction_is_kept_once_per_repeat(
    evaluation: Any, main_group: TargetData
) -> None:
    predictions = evaluation.predictions
    assert len(predictions) == 185 * 2
    for repeat in (0, 1):
        rows = predictions.loc[predictions.fold // 3 == repeat, "row"]
        assert sorted(rows) == list(range(185))
    assert (predictions.truth.to_numpy() == main_group.y[predictions.row]).all()
    columns = [f"p[{label}]" for label in ("C", "Other", "S", "X")]
    np.testing.assert_allclose(predictions[columns].sum(axis=1), 1.0)
    best = np.asarray(["C", "Other", "S", "X"])[predictions[columns].to_numpy().argmax(axis=1)]
    assert (best == predictions.predicted).mean() > 0.95  # predict and predict_proba agree


def test_grouped_splits_keep_each_group_on_one_side() -> None:
    groups = np.repeat(np.arange(30), 2).astype(str)
    y = np.repeat(np.array(["a", "b", "c"] * 10), 2)
    splits = grouped_splits(groups, y, folds=3, repeats=2, seed=1)
    assert len(splits) == 6
    for train, test in splits:
        assert not set(groups[train]) & set(groups[test])
        counts = Counter(y[test].tolist())
        assert set(counts) == {"a", "b", "c"}  # stratified, as far as whole groups allow
        assert all(4 <= n <= 8 for n in counts.values())
    again = grouped_splits(groups, y, folds=3, repeats=2, seed=1)
    assert all((a[1] == b[1]).all() for a, b in zip(splits, again, strict=True))
    assert not (splits[0][1] == splits[3][1]).all()  # each repeat shuffles anew


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


# --- splits, fold_data, strata, extra tests, protocol -------------------------------------
# Eight spectra whose single feature is the predicted class (> 0.5: S): rows 2 and 5 are
# mispredicted. Each row has a stratum; the three hand-made splits test rows
# A = {0, 2, 3, 5}, B = {1, 4, 6, 7}, C = {0, 1, 2, 3}.
ECHO_Y = np.array(["C", "C", "C", "S", "S", "S", "C", "S"], dtype=object)
ECHO_X = np.array([[0.0], [0.0], [1.0], [1.0], [1.0], [0.0], [0.0], [1.0]])
ECHO_STRATA = np.array(["lo", "lo", "hi", "hi", "rare", "mid", "mid", "lo"], dtype=object)
ECHO_TESTS = ([0, 2, 3, 5], [1, 4, 6, 7], [0, 1, 2, 3])


def echo_splits() -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.setdiff1d(np.arange(8), test), np.array(test)) for test in ECHO_TESTS]


def echo_data() -> TargetData:
    import pandas as pd

    return TargetData(
        target="main-group",
        X=ECHO_X,
        y=ECHO_Y,
        fine=ECHO_Y.copy(),
        wavelength=np.array([0.55]),
        objects=pd.DataFrame({"object_id": [str(i) for i in range(8)]}),
        excluded=pd.DataFrame(),
        excluded_X=np.empty((0, 1)),
    )


class EchoNoProba:
    """Predicts S where the feature exceeds 0.5, else C; ignores its training data."""

    def fit(self, X: Any, y: Any) -> EchoNoProba:
        self.classes_ = np.array(["C", "S"], dtype=object)
        self.fitted_on_ = len(y)
        return self

    def predict(self, X: Any) -> Any:
        return np.where(np.asarray(X)[:, 0] > 0.5, "S", "C").astype(object)


class Echo(EchoNoProba):
    """EchoNoProba with certain probabilities (confidence 1 for every prediction)."""

    def predict_proba(self, X: Any) -> Any:
        p = (np.asarray(X)[:, 0] > 0.5).astype(float)
        return np.column_stack([1 - p, p])


def echo_fold_data(calls: list[tuple[int, list[int], list[int]]], flip: bool = True) -> Any:
    """A fold builder that records its calls and adds an extra test with flipped features."""
    from asteroid_spectra.models.evaluation import ExtraTest, FoldData

    def build(fold: int, train: np.ndarray, test: np.ndarray) -> FoldData:
        calls.append((fold, train.tolist(), test.tolist()))
        extra = ExtraTest(
            "flipped",
            1.0 - ECHO_X[test],  # every prediction turns wrong where it was right
            ECHO_Y[test],
            np.array(["all"] * len(test), dtype=object),
        )
        return FoldData(
            X_train=ECHO_X[train],
            y_train=ECHO_Y[train],
            fine_train=ECHO_Y[train],
            error_train=None,
            X_test=ECHO_X[test],
            y_test=ECHO_Y[test],
            strata=ECHO_STRATA[test],
            extra_tests=(extra,) if flip else (),
        )

    return build


@pytest.fixture(scope="module")
def stratified() -> Any:
    calls: list[tuple[int, list[int], list[int]]] = []
    result = evaluate(
        Echo,
        echo_data(),
        model_name="echo",
        folds=3,
        repeats=1,
        splits=echo_splits(),
        fold_data=echo_fold_data(calls),
        protocol={"survey": "test", "bins": [1, 2]},
    )
    return result, calls


def test_fold_data_gets_each_given_split_in_order(stratified: Any) -> None:
    _, calls = stratified
    assert [c[0] for c in calls] == [0, 1, 2]
    assert [c[2] for c in calls] == [list(t) for t in ECHO_TESTS]
    for _, train, test in calls:
        assert sorted(train + test) == list(range(8))


def test_given_splits_decide_the_scores_and_counts(stratified: Any) -> None:
    result, _ = stratified
    # Overall accuracy per fold: A 2/4, B 4/4, C 3/4.
    assert result.scores["accuracy"].tolist() == [0.5, 1.0, 0.75]
    # C is tested 2 + 2 + 3 times, S 2 + 2 + 1 times.
    assert result.per_class["support"].to_dict() == {"C": 7, "S": 5}
    assert int(result.confusion.to_numpy().sum()) == 12
    assert result.confusion.loc["C", "S"] == 2  # row 2 in folds A and C
    assert result.confusion.loc["S", "C"] == 1  # row 5 in fold A


def test_strata_give_per_stratum_accuracy_columns(stratified: Any) -> None:
    result, _ = stratified
    scores = result.scores
    assert scores["accuracy[lo]"].tolist() == [1.0, 1.0, 1.0]
    np.testing.assert_array_equal(scores["accuracy[hi]"], [0.5, np.nan, 0.5])
    np.testing.assert_array_equal(scores["accuracy[mid]"], [0.0, 1.0, np.nan])
    np.testing.assert_array_equal(scores["accuracy[rare]"], [np.nan, 1.0, np.nan])


def test_extra_tests_are_scored_with_their_own_prefix(stratified: Any) -> None:
    result, _ = stratified
    scores = result.scores
    # Flipped features: every right prediction turns wrong and vice versa.
    assert scores["flipped_accuracy"].tolist() == [0.5, 0.0, 0.25]
    assert scores["flipped_accuracy[all]"].tolist() == [0.5, 0.0, 0.25]
    # Confidence is always 1, so the ECE is 1 - accuracy.
    assert scores["flipped_ece"].tolist() == [0.5, 1.0, 0.75]
    assert scores["ece"].tolist() == [0.5, 0.0, 0.25]
    # Fold B: nothing right, F1 0 for both classes; fold A: one right of each class
    # (precision 1/2, recall 1/2 for both).
    assert scores["flipped_f1_macro"].tolist()[:2] == [0.5, 0.0]


def test_summary_skips_nan_folds_and_needs_two_of_them(stratified: Any) -> None:
    result, _ = stratified
    summary = result.summary()
    assert summary["accuracy"] == pytest.approx({"mean": 0.75, "std": 0.25})
    assert summary["accuracy[hi]"] == {"mean": 0.5, "std": 0.0}
    assert summary["accuracy[mid]"] == pytest.approx({"mean": 0.5, "std": np.sqrt(0.5)})
    assert "accuracy[rare]" not in summary  # in one fold only
    assert summary["flipped_accuracy"] == pytest.approx({"mean": 0.25, "std": 0.25})
    assert summary["flipped_accuracy[all]"] == summary["flipped_accuracy"]
    assert json.loads(json.dumps(summary)) == summary


def test_protocol_is_kept_in_the_summary(stratified: Any) -> None:
    result, _ = stratified
    assert result.protocol == {"survey": "test", "bins": [1, 2]}
    assert result.summary()["protocol"] == {"survey": "test", "bins": [1, 2]}


def test_no_protocol_key_without_a_protocol(evaluation: Any) -> None:
    assert evaluation.protocol == {}
    assert "protocol" not in evaluation.summary()
    assert not any("[" in key for key in evaluation.summary())  # no strata, no columns


def test_protocol_is_copied() -> None:
    protocol = {"survey": "test"}
    result = evaluate(
        Echo, echo_data(), folds=3, repeats=1, splits=echo_splits(), protocol=protocol
    )
    protocol["survey"] = "changed"
    assert result.summary()["protocol"] == {"survey": "test"}


def test_default_fold_data_uses_the_rows_of_the_given_splits() -> None:
    fitted: list[int] = []

    class Counting(Echo):
        def fit(self, X: Any, y: Any) -> Counting:
            fitted.append(len(y))
            return super().fit(X, y)

    result = evaluate(Counting, echo_data(), folds=3, repeats=1, splits=echo_splits())
    assert fitted == [4, 4, 4]
    assert result.scores["accuracy"].tolist() == [0.5, 1.0, 0.75]
    assert not any("[" in column for column in result.scores.columns)


def test_fold_data_decides_the_training_data() -> None:
    from asteroid_spectra.models.evaluation import FoldData

    models: list[Any] = []

    def build() -> Echo:
        models.append(Echo())
        return models[-1]

    def doubled(fold: int, train: np.ndarray, test: np.ndarray) -> FoldData:
        # E.g. training copies: every training spectrum twice.
        index = np.concatenate([train, train])
        return FoldData(
            ECHO_X[index], ECHO_Y[index], ECHO_Y[index], None, ECHO_X[test], ECHO_Y[test]
        )

    evaluate(build, echo_data(), folds=3, repeats=1, splits=echo_splits(), fold_data=doubled)
    assert [m.fitted_on_ for m in models] == [8, 8, 8]


def test_extra_tests_without_probabilities_have_no_ece() -> None:
    calls: list[Any] = []
    result = evaluate(
        EchoNoProba,
        echo_data(),
        folds=3,
        repeats=1,
        splits=echo_splits(),
        fold_data=echo_fold_data(calls),
    )
    assert "flipped_ece" not in result.scores.columns
    assert result.scores["flipped_accuracy"].tolist() == [0.5, 0.0, 0.25]
    summary = result.summary()
    assert "ece" not in summary
    assert "flipped_accuracy" in summary


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # per-class std of one fold
def test_a_single_split_reports_its_columns() -> None:
    calls: list[Any] = []
    result = evaluate(
        Echo,
        echo_data(),
        folds=1,
        repeats=1,
        splits=echo_splits()[:1],
        fold_data=echo_fold_data(calls),
    )
    summary = result.summary()
    assert summary["accuracy"]["mean"] == 0.5
    assert np.isnan(summary["accuracy"]["std"])
    assert summary["accuracy[mid]"]["mean"] == 0.0  # one fold: one value suffices
    assert "accuracy[rare]" not in summary  # not in fold A at all


def test_given_splits_equal_to_the_default_ones_give_the_same_numbers(
    evaluation: Any, main_group: TargetData
) -> None:
    from sklearn.model_selection import RepeatedStratifiedKFold

    splitter = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)
    splits = list(splitter.split(main_group.X, main_group.y))
    again = evaluate(
        svm_bus, main_group, model_name="svm-bus", folds=3, repeats=2, seed=0, splits=splits
    )
    assert numbers(again.summary()) == numbers(evaluation.summary())
