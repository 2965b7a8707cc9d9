"""The model registry: names, what each builds, the recommended model per target."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.fit_params import fit_kwargs
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.registry import (
    BEST,
    MODELS,
    SVM_C,
    SVM_GAMMA,
    best_model,
    build_model,
    tuned_model,
    tuning_scoring,
)
from asteroid_spectra.models.targets import TARGETS, coarse_labels
from asteroid_spectra.models.torch_estimator import TorchClassifier
from asteroid_spectra.models.tuning import OptunaSearchClassifier

GRID = np.round(np.arange(49) * 0.01 + 0.44, 2)

KINDS = {
    "svm": CalibratedClassifierCV,
    "svm-grid": GridSearchCV,
    "svm-tuned": OptunaSearchClassifier,
    "svm-unscaled": CalibratedClassifierCV,
    "svm-bus": GroupedClassifier,
    "svm-robust": GroupedClassifier,
    "svm-augmented": GroupedClassifier,
    "svm-instruments": GroupedClassifier,
    "svm-slope": GroupedClassifier,
    "mlp": TorchClassifier,
    "mlp-tuned": OptunaSearchClassifier,
    "mlp-wide": TorchClassifier,
    "ensemble": GroupedClassifier,
    "cnn": TorchClassifier,
    "logistic": Pipeline,
    "logistic-bus": GroupedClassifier,
    "svm-tholen": CalibratedClassifierCV,
    "extra-trees": ExtraTreesClassifier,
    "gradient-boosting": HistGradientBoostingClassifier,
}


def test_model_names() -> None:
    assert list(MODELS) == list(KINDS)
    for name, spec in MODELS.items():
        assert spec.name == name
        assert spec.description


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", list(KINDS))
def test_every_model_builds_for_every_target(name: str, target: str) -> None:
    model = build_model(name, target, GRID, random_state=3)
    assert isinstance(model, KINDS[name])
    assert not hasattr(model, "classes_")  # unfitted
    assert clone(model).get_params().keys() == model.get_params().keys()


@pytest.mark.parametrize("target", TARGETS)
def test_best_model_of_each_target(target: str) -> None:
    assert best_model(target) == BEST[target]
    assert BEST[target] in MODELS
    assert type(build_model("best", target, GRID)) is type(build_model(BEST[target], target, GRID))


@pytest.mark.parametrize(
    ("name", "check"),
    [
        (
            "svm-instruments",
            lambda m: (
                m.estimator.estimator.get_params()["max_red"] == 0.4
                and m.estimator.estimator.get_params()["max_slope"] == 0.1
            ),
        ),
        ("svm", lambda m: m.estimator.named_steps["svc"].get_params()["C"] == 10.0),
        ("svm", lambda m: "scale" in m.estimator.named_steps),
        ("svm-unscaled", lambda m: "scale" not in m.estimator.named_steps),
        (
            "svm-unscaled",
            lambda m: (
                (m.estimator.named_steps["svc"].C, m.estimator.named_steps["svc"].gamma)
                == (SVM_C, SVM_GAMMA)
            ),
        ),
        ("svm-bus", lambda m: m.target == "bus" and m.min_fine_size == 5),
        ("svm-grid", lambda m: m.cv.random_state == 3),
        ("svm-tuned", lambda m: (m.space, m.n_trials, m.cv, m.random_state) == ("svm", 40, 3, 3)),
        ("mlp", lambda m: m.get_params()["module__hidden"] == (25, 10) and m.random_state == 3),
        ("mlp-tuned", lambda m: (m.space, m.n_trials, m.random_state) == ("dense", 20, 3)),
        ("cnn", lambda m: (m.module, m.input_scaling, m.random_state) == ("conv", "centre", 3)),
        ("extra-trees", lambda m: m.random_state == 3),
        ("gradient-boosting", lambda m: m.random_state == 3),
    ],
)
def test_what_each_model_is(name: str, check: Any) -> None:
    assert check(build_model(name, "bus", GRID, random_state=3))


@pytest.mark.parametrize(
    ("target", "scoring"),
    [("x-vs-rest", "f1_x"), ("main-group", "f1_weighted"), ("bus", "accuracy")],
)
def test_tuning_scores_the_headline_metric(target: str, scoring: str) -> None:
    assert tuning_scoring(target) == scoring
    assert build_model("svm-tuned", target, GRID).scoring == scoring


@pytest.mark.parametrize("target", TARGETS)
def test_svm_bus_predicts_the_target(target: str, train: Any, held_out: Any) -> None:
    model = build_model("svm-bus", target, train.wavelength)
    y = coarse_labels(target, train.fine)
    model.fit(train.X, y, **fit_kwargs(model, train.fine))
    assert model.score(held_out.X, coarse_labels(target, held_out.fine)) >= 0.95


@pytest.mark.parametrize(
    "name",
    ["svm", "svm-grid", "svm-unscaled", "svm-bus", "logistic", "extra-trees", "gradient-boosting"],
)
def test_classical_models_learn_the_main_groups(name: str, train: Any, held_out: Any) -> None:
    model = build_model(name, "main-group", train.wavelength, random_state=0)
    model.fit(train.X, train.y, **fit_kwargs(model, train.fine))
    assert model.score(held_out.X, held_out.y) >= 0.85


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mlp", "cnn", "svm-tuned"])
def test_heavier_models_learn_the_main_groups(
    name: str, train: Any, held_out: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASTEROID_SPECTRA_CACHE", str(tmp_path))
    model = build_model(name, "main-group", train.wavelength, random_state=0)
    model.fit(train.X, train.y, **fit_kwargs(model, train.fine))
    assert model.score(held_out.X, held_out.y) >= 0.85


@pytest.mark.parametrize(
    ("name", "target", "message"),
    [
        (
            "svm-rbf",
            "bus",
            r"Unknown model 'svm-rbf'; expected one of best, svm, svm-grid, svm-tuned, "
            r"svm-unscaled, svm-bus, svm-robust, svm-augmented, svm-instruments, svm-slope, mlp, "
            r"mlp-tuned, "
            r"mlp-wide, ensemble, cnn, logistic, logistic-bus, svm-tholen, extra-trees, "
            r"gradient-boosting\.",
        ),
        (
            "svm",
            "smass",
            r"Unknown target 'smass'; expected one of x-vs-rest, main-group, bus, demeo, tholen",
        ),
        ("best", "smass", r"Unknown target 'smass'"),
    ],
)
def test_unknown_names_raise(name: str, target: str, message: str) -> None:
    with pytest.raises(AsteroidSpectraError, match=message):
        build_model(name, target, GRID)


def test_unknown_target_has_no_best_model() -> None:
    with pytest.raises(AsteroidSpectraError, match=r"Unknown target 'Tholen'"):
        best_model("Tholen")


@pytest.mark.parametrize(
    ("name", "target", "space", "scoring", "grouped"),
    [
        ("best", "main-group", "svm", "accuracy", True),
        ("svm-bus", "bus", "svm", "accuracy", True),
        ("svm", "x-vs-rest", "svm", "f1_x", False),
        ("mlp", "main-group", "dense", "f1_weighted", False),
        ("cnn", "bus", "conv", "accuracy", False),
    ],
)
def test_tuned_model_searches_the_right_space(
    name: str, target: str, space: str, scoring: str, grouped: bool
) -> None:
    model = tuned_model(name, target, 7, storage="memory", seed=2)
    search = model.estimator if grouped else model
    assert isinstance(model, GroupedClassifier) is grouped
    assert isinstance(search, OptunaSearchClassifier)
    assert (search.space, search.scoring, search.n_trials, search.random_state) == (
        space,
        scoring,
        7,
        2,
    )


def test_tuned_model_without_a_space() -> None:
    with pytest.raises(AsteroidSpectraError, match=r"'logistic' has no search space"):
        tuned_model("logistic", "bus", 5)
