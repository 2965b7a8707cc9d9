"""train_model and the model card, on a synthetic SMASSII-like set."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from asteroid_spectra import __version__
from asteroid_spectra.data.registry import collection
from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.cards import model_card
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.targets import target_data
from asteroid_spectra.models.training import train_model
from asteroid_spectra.spectra.sets import SpectralSet


@pytest.fixture(scope="module")
def trained(spectral_set: SpectralSet) -> tuple[TaxonomyModel, Any]:
    return train_model(
        "main-group", "best", seed=0, data=target_data(spectral_set, "main-group"), repeats=0
    )


def test_best_model_is_trained_on_every_labelled_spectrum(
    trained: tuple[TaxonomyModel, Any], spectral_set: SpectralSet
) -> None:
    model, evaluation = trained
    assert evaluation is None
    assert model.name == "svm-robust"
    assert model.target == "main-group"
    assert isinstance(model.estimator, GroupedClassifier)
    assert model.estimator.target == "main-group"
    # 185 labelled spectra; O (2) and R (3) become the pseudo-class "Other*".
    assert model.estimator.n_features_in_ == 49
    assert model.classes == ["C", "Other", "S", "X"]
    assert model.fine_classes == ["C", "Ch", "D", "Other*", "S", "Sa", "Sq", "V", "X", "Xk"]
    assert model.threshold == 0.5
    np.testing.assert_array_equal(model.wavelength, spectral_set.wavelength)
    # The OOD scorer knows the training spectra: about 99 % of them score at most 1.
    data = target_data(spectral_set, "main-group")
    assert (model.ood.score_samples(data.X) <= 1).mean() >= 0.98
    table = model.classify(data.X).frame()
    assert (table["label"] == data.y).mean() >= 0.97


def test_model_card(trained: tuple[TaxonomyModel, Any]) -> None:
    model, _ = trained
    card = model.card
    assert json.loads(json.dumps(card)) == card
    assert card["format"] == "asteroid-spectra model 1"
    assert (card["model"], card["target"], card["seed"]) == ("svm-robust", "main-group", 0)
    assert card["description"].startswith("svm-bus on the first 6 principal components")
    assert card["classes"] == model.classes
    assert card["fine_classes"] == model.fine_classes
    assert card["wavelength_um"] == pytest.approx(list(model.wavelength))
    assert card["normalisation_um"] == 0.55
    assert card["abstention_threshold"] == 0.5
    assert card["ood"] == {"n_neighbors": 5, "quantile": 0.99, "reference_size": 185}
    assert card["params"]["target"] == "'main-group'"
    assert card["params"]["min_fine_size"] == "5"
    training = card["training_data"]
    assert training["n_spectra"] == 185
    assert training["files"] == [{"name": f.name, "sha256": f.sha256} for f in collection("smass2")]
    assert len(training["spectra_sha256"]) == 64
    assert card["versions"]["asteroid-spectra"] == __version__
    assert {"python", "numpy", "scikit-learn", "torch"} <= set(card["versions"])
    assert datetime.fromisoformat(card["created"]).tzinfo is not None
    assert "cross_validation" not in card


def test_the_data_checksum_depends_on_the_spectra_and_labels(
    trained: tuple[TaxonomyModel, Any], spectral_set: SpectralSet
) -> None:
    model, _ = trained
    data = target_data(spectral_set, "main-group")
    card = model_card(model, data, None, 0)
    assert card["training_data"]["spectra_sha256"] == model.card["training_data"]["spectra_sha256"]
    fewer = target_data(spectral_set.select(np.arange(len(spectral_set) - 5)), "main-group")
    other = model_card(model, fewer, None, 0)
    assert other["training_data"]["spectra_sha256"] != card["training_data"]["spectra_sha256"]


def test_training_with_cross_validation_records_it(spectral_set: SpectralSet) -> None:
    progress: list[tuple[int, int]] = []
    model, evaluation = train_model(
        "x-vs-rest",
        "svm",
        seed=3,
        data=target_data(spectral_set, "x-vs-rest"),
        folds=3,
        repeats=1,
        on_fold=lambda *a: progress.append(a),
    )
    assert evaluation is not None
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert (evaluation.model, evaluation.seed, evaluation.n_samples) == ("svm", 3, 185)
    cv = model.card["cross_validation"]
    assert (cv["folds"], cv["repeats"], cv["seed"]) == (3, 1, 3)
    summary = evaluation.summary()
    for key in ("accuracy", "balanced_accuracy", "f1_weighted", "f1_macro", "f1", "brier", "ece"):
        assert cv[key] == summary[key]
    assert cv["accuracy"]["mean"] >= 0.9
    assert model.classes == ["X", "rest"]
    assert model.fine_classes is None


def test_an_explicit_estimator_is_cloned_and_used(spectral_set: SpectralSet) -> None:
    template = KNeighborsClassifier(n_neighbors=3)
    model, _ = train_model(
        "bus", "logistic", data=target_data(spectral_set, "bus"), estimator=template
    )
    assert isinstance(model.estimator, KNeighborsClassifier)
    assert model.estimator is not template
    assert not hasattr(template, "classes_")
    assert model.card["params"]["n_neighbors"] == "3"
    # Bus: the rare O and R spectra are left out.
    assert model.classes == ["C", "Ch", "D", "S", "Sa", "Sq", "V", "X", "Xk"]
    assert model.card["training_data"]["n_spectra"] == 180


def test_same_seed_same_model(
    trained: tuple[TaxonomyModel, Any], spectral_set: SpectralSet
) -> None:
    model, _ = trained
    again, _ = train_model(
        "main-group", "svm-robust", seed=0, data=target_data(spectral_set, "main-group")
    )
    X = spectral_set.reflectance
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize(
    ("target", "name", "message"),
    [
        ("main-group", "svm-rbf", r"Unknown model 'svm-rbf'; expected one of best, svm, "),
        ("smass", "svm", r"Unknown target 'smass'"),
        ("bus", "svm", r"The training data are labelled for 'main-group', not 'bus'"),
    ],
)
def test_unknown_model_or_target(
    target: str, name: str, message: str, spectral_set: SpectralSet
) -> None:
    data = target_data(spectral_set, "main-group")
    with pytest.raises(AsteroidSpectraError, match=message):
        train_model(target, name, data=data)


def test_a_tuned_bus_svm_records_its_search_in_the_card(spectral_set: SpectralSet) -> None:
    from asteroid_spectra.models.registry import tuned_model

    search = tuned_model("svm-bus", "main-group", 4, storage="memory", seed=0)
    model, _ = train_model(
        "main-group", "svm-bus", data=target_data(spectral_set, "main-group"), estimator=search
    )
    tuning = model.card["tuning"]
    assert tuning["space"] == "svm"
    assert tuning["scoring"] == "accuracy"
    assert tuning["n_trials"] == 4
    assert set(tuning["best_params"]) >= {"scaling", "C", "gamma", "class_weight"}
    assert 0.5 < tuning["best_inner_cv_score"] <= 1.0
