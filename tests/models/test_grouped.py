"""GroupedClassifier: learn Bus classes, predict coarse labels by summing probabilities."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.targets import coarse_labels


# The checks' datasets have classes of a few samples; min_fine_size=1 disables merging.
@parametrize_with_checks(
    [GroupedClassifier(LogisticRegression(), target="bus", min_fine_size=1)], xfail_strict=True
)
def test_sklearn_conformance(estimator: GroupedClassifier, check: Any) -> None:
    check(estimator)


class RecordingLogistic(LogisticRegression):
    """Logistic regression that records the per-sample ``sample_error`` it was fitted with."""

    def fit(self, X: Any, y: Any, sample_error: Any = None) -> RecordingLogistic:
        self.sample_error_ = sample_error
        return super().fit(X, y)


def svm() -> Any:
    return make_svm(scaling=None, C=30.0, gamma=10.0)


# S: 30, Sq: 20, Sa: 3, Sk: 3 → Sa and Sk become the pseudo-class "S*" (6 spectra);
# V: 3 is alone in Other* (3 < 5) and is dropped; the other classes are learnt as they are.
RARE = {"S": 30, "Sq": 20, "Sa": 3, "Sk": 3, "C": 30, "Ch": 20, "X": 25, "Xk": 15, "D": 15, "V": 3}


@pytest.fixture(scope="module")
def rare(make_labelled: Any) -> Any:
    return make_labelled(RARE, 7)


@pytest.fixture(scope="module")
def grouped(rare: Any) -> GroupedClassifier:
    return GroupedClassifier(svm()).fit(rare.X, rare.y, fine_labels=rare.fine)


def test_learns_fine_classes_with_pseudo_classes(grouped: GroupedClassifier) -> None:
    assert grouped.classes_.tolist() == ["C", "Other", "S", "X"]
    assert grouped.fine_classes_.tolist() == ["C", "Ch", "D", "S", "S*", "Sq", "X", "Xk"]
    assert grouped.n_dropped_ == 3
    # Membership: each fine class belongs to exactly one coarse class.
    expected = {"C": "C", "Ch": "C", "D": "Other", "S": "S", "S*": "S", "Sq": "S"}
    expected |= {"X": "X", "Xk": "X"}
    for fine, row in zip(grouped.fine_classes_, grouped.membership_, strict=True):
        assert row.sum() == 1
        assert grouped.classes_[row.argmax()] == expected[fine]


def test_coarse_probabilities_sum_the_fine_ones(grouped: GroupedClassifier, rare: Any) -> None:
    fine = grouped.predict_fine_proba(rare.X)
    coarse = grouped.predict_proba(rare.X)
    assert fine.shape == (len(rare.y), 8)
    assert coarse.shape == (len(rare.y), 4)
    np.testing.assert_allclose(coarse.sum(axis=1), 1.0, rtol=1e-12)
    groups = {"C": [0, 1], "Other": [2], "S": [3, 4, 5], "X": [6, 7]}
    for column, label in enumerate(grouped.classes_):
        np.testing.assert_allclose(coarse[:, column], fine[:, groups[label]].sum(axis=1))
    assert (grouped.predict(rare.X) == grouped.classes_[coarse.argmax(axis=1)]).all()


def test_classifies_held_out_groups(grouped: GroupedClassifier, make_labelled: Any) -> None:
    held_out = make_labelled({k: v for k, v in RARE.items() if k != "V"}, 8)
    assert grouped.score(held_out.X, held_out.y) >= 0.95


def test_without_fine_labels_learns_y_directly(train: Any, held_out: Any) -> None:
    model = GroupedClassifier(svm(), target="main-group").fit(train.X, train.y)
    assert model.fine_classes_.tolist() == model.classes_.tolist() == ["C", "Other", "S", "X"]
    np.testing.assert_array_equal(model.membership_, np.eye(4))
    assert model.score(held_out.X, held_out.y) >= 0.95


def test_x_vs_rest_with_and_without_fine_labels(train: Any) -> None:
    y = coarse_labels("x-vs-rest", train.fine)
    with_fine = GroupedClassifier(svm(), target="x-vs-rest").fit(train.X, y, fine_labels=train.fine)
    assert with_fine.classes_.tolist() == ["X", "rest"]
    assert len(with_fine.fine_classes_) == 9
    direct = GroupedClassifier(svm(), target="x-vs-rest").fit(train.X, y)
    assert direct.fine_classes_.tolist() == ["X", "rest"]
    assert (with_fine.predict(train.X) == y).mean() >= 0.95


def test_rare_classes_without_fine_labels_are_pseudo_classes(make_labelled: Any) -> None:
    data = make_labelled({"S": 30, "C": 30, "X": 25, "D": 3}, 9)
    model = GroupedClassifier(svm(), target="main-group").fit(data.X, data.y)
    assert model.classes_.tolist() == ["C", "Other", "S", "X"]
    assert model.fine_classes_.tolist() == ["C", "S", "X"]
    assert model.n_dropped_ == 3
    # A group whose spectra were all dropped is never predicted.
    assert (model.predict_proba(data.X)[:, 1] == 0).all()


def test_keeps_the_type_of_the_labels(train: Any) -> None:
    codes = np.searchsorted(["C", "Other", "S", "X"], train.y)
    model = GroupedClassifier(svm(), target="bus").fit(train.X, codes)
    assert model.classes_.tolist() == [0, 1, 2, 3]
    assert model.predict(train.X[:5]).dtype.kind == "i"


def test_fit_parameters_follow_the_kept_rows(rare: Any) -> None:
    error = np.arange(len(rare.y), dtype=float)[:, np.newaxis] * np.ones(49)
    model = GroupedClassifier(RecordingLogistic(C=0.01))
    model.fit(rare.X, rare.y, fine_labels=rare.fine, sample_error=error)
    kept = rare.fine != "V"
    np.testing.assert_array_equal(model.estimator_.sample_error_, error[kept])


def test_the_estimator_is_cloned(rare: Any) -> None:
    template = svm()
    model = GroupedClassifier(template).fit(rare.X, rare.y, fine_labels=rare.fine)
    assert model.estimator_ is not template
    assert not hasattr(template, "classes_")
    assert clone(model).get_params()["estimator"] is not template


def test_cross_val_score_with_fine_labels(train: Any) -> None:
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(
        GroupedClassifier(svm()), train.X, train.y, cv=folds, params={"fine_labels": train.fine}
    )
    assert scores.shape == (3,)
    assert scores.min() >= 0.95


def test_inside_a_pipeline(train: Any, held_out: Any) -> None:
    pipeline = make_pipeline(StandardScaler(), GroupedClassifier(make_svm(scaling=None)))
    pipeline.fit(train.X, train.y, groupedclassifier__fine_labels=train.fine)
    assert pipeline.classes_.tolist() == ["C", "Other", "S", "X"]
    assert pipeline.score(held_out.X, held_out.y) >= 0.9


# --- errors --------------------------------------------------------------------------
def test_fine_labels_must_map_to_y(train: Any) -> None:
    fine = train.fine.copy()
    first_s = np.flatnonzero(train.y == "S")[0]
    fine[first_s] = "Ch"
    with pytest.raises(
        ValueError,
        match=r"fine_labels do not map to y for target 'main-group': e\.g\. fine 'Ch' maps to "
        r"'C' but y is 'S'\.",
    ):
        GroupedClassifier(svm()).fit(train.X, train.y, fine_labels=fine)


def test_fine_labels_must_have_the_shape_of_y(train: Any) -> None:
    with pytest.raises(ValueError, match=r"fine_labels must have shape \(180,\); got \(179,\)\."):
        GroupedClassifier(svm()).fit(train.X, train.y, fine_labels=train.fine[:-1])


def test_too_small_classes_raise(train: Any) -> None:
    with pytest.raises(ValueError, match="No fine class has 100 or more training spectra"):
        GroupedClassifier(svm(), min_fine_size=100).fit(train.X, train.y, fine_labels=train.fine)


def test_unknown_target_raises(train: Any) -> None:
    with pytest.raises(AsteroidSpectraError, match=r"Unknown target 'smass'"):
        GroupedClassifier(svm(), target="smass").fit(train.X, train.y)


def test_continuous_targets_raise(train: Any) -> None:
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        GroupedClassifier(svm(), target="bus").fit(train.X, train.X[:, 0])
