"""Classical classifiers: SVM pipelines, calibration, the reference grid search, others."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC

from asteroid_spectra.models.classical import (
    calibrated,
    make_extra_trees,
    make_gradient_boosting,
    make_logistic,
    make_svm,
    reference_grid_search,
)


@pytest.mark.parametrize(
    ("scaling", "steps"), [("standard", ["scale", "svc"]), (None, ["svc"])], ids=str
)
def test_make_svm_builds_a_calibrated_pipeline(scaling: str | None, steps: list[str]) -> None:
    model = make_svm(scaling=scaling, kernel="linear", C=3.0, gamma=0.5, class_weight="balanced")
    assert isinstance(model, CalibratedClassifierCV)
    # Temperature scaling of one final model on inner 5-fold decision values.
    assert (model.method, model.cv, model.ensemble) == ("temperature", 5, False)
    pipeline = model.estimator
    assert isinstance(pipeline, Pipeline)
    assert [name for name, _ in pipeline.steps] == steps
    svc = pipeline.named_steps["svc"]
    assert isinstance(svc, SVC)
    assert (svc.kernel, svc.C, svc.gamma, svc.class_weight) == ("linear", 3.0, 0.5, "balanced")


def test_make_svm_without_calibration_is_the_pipeline() -> None:
    model = make_svm(calibrate=False)
    assert isinstance(model, Pipeline)
    assert model.named_steps["svc"].get_params()["C"] == 10.0
    assert model.named_steps["svc"].get_params()["gamma"] == "scale"


def test_make_svm_rejects_unknown_scaling() -> None:
    with pytest.raises(
        ValueError, match=r"The 'scaling' parameter must be 'standard' or None\. Got 'minmax'\."
    ):
        make_svm(scaling="minmax")


@pytest.mark.parametrize("scaling", ["standard", None])
def test_calibrated_svm_classifies_and_gives_probabilities(
    scaling: str | None, train: Any, held_out: Any
) -> None:
    model = make_svm(scaling=scaling).fit(train.X, train.y)
    proba = model.predict_proba(held_out.X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert (model.predict(held_out.X) == model.classes_[proba.argmax(axis=1)]).all()
    assert model.score(held_out.X, held_out.y) >= 0.95
    # One final SVM (ensemble=False), not one per inner fold.
    assert len(model.calibrated_classifiers_) == 1


def test_temperature_scaling_keeps_the_svm_decisions(train: Any, held_out: Any) -> None:
    plain = make_svm(calibrate=False).fit(train.X, train.y)
    scaled = make_svm().fit(train.X, train.y)
    decision = plain.decision_function(held_out.X)
    proba = scaled.predict_proba(held_out.X)
    # Softmax of decision / T preserves the order of the classes in every row.
    assert (decision.argmax(axis=1) == proba.argmax(axis=1)).all()


def test_calibrated_wraps_any_estimator() -> None:
    wrapped = calibrated(SVC(C=2.0), cv=3)
    assert isinstance(wrapped, CalibratedClassifierCV)
    assert wrapped.estimator.C == 2.0
    assert (wrapped.method, wrapped.cv, wrapped.ensemble) == ("temperature", 3, False)


def test_reference_grid_search_is_the_tutorials_grid(train: Any) -> None:
    search = reference_grid_search(cv=3, random_state=4)
    assert isinstance(search, GridSearchCV)
    assert search.scoring == "f1_weighted"
    assert isinstance(search.cv, StratifiedKFold)
    assert (search.cv.n_splits, search.cv.shuffle, search.cv.random_state) == (3, True, 4)
    # 4 linear candidates and 4 × 4 RBF candidates.
    search.fit(train.X, train.y)
    assert len(search.cv_results_["params"]) == 20
    assert search.best_params_["svc__kernel"] in {"linear", "rbf"}
    assert search.best_score_ >= 0.95
    assert not hasattr(search, "predict_proba")  # like the reference: no probabilities


@pytest.mark.parametrize(
    ("factory", "kind"),
    [
        (lambda: make_extra_trees(n_estimators=50, random_state=3), ExtraTreesClassifier),
        (lambda: make_gradient_boosting(random_state=3), HistGradientBoostingClassifier),
        (lambda: make_logistic(C=10.0), Pipeline),
    ],
    ids=["extra-trees", "gradient-boosting", "logistic"],
)
def test_other_classifiers(factory: Any, kind: type, train: Any, held_out: Any) -> None:
    model = factory()
    assert isinstance(model, kind)
    model.fit(train.X, train.y)
    proba = model.predict_proba(held_out.X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert model.score(held_out.X, held_out.y) >= 0.85
    # Seeded: a second fit of a clone gives the same probabilities.
    again = clone(model).fit(train.X, train.y)
    np.testing.assert_array_equal(again.predict_proba(held_out.X), proba)


def test_factory_parameters() -> None:
    assert make_extra_trees().get_params()["n_estimators"] == 500
    assert make_extra_trees(random_state=5).get_params()["random_state"] == 5
    assert make_gradient_boosting(random_state=6).get_params()["early_stopping"] is True
    logistic = make_logistic(C=0.5)
    assert [name for name, _ in logistic.steps] == ["scale", "logistic"]
    assert logistic.named_steps["logistic"].C == 0.5
