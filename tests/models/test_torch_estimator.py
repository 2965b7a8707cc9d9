"""TorchClassifier: the scikit-learn contract, training, calibration, augmentation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.features import spectral_features
from asteroid_spectra.models.nets import ConvNet, DenseNet
from asteroid_spectra.models.torch_estimator import TorchClassifier

# Small and fast: 16 hidden units, lr 1e-2, 20 epochs on the 180 synthetic spectra.
FAST: dict[str, Any] = {"max_epochs": 20, "lr": 1e-2, "random_state": 0, "module__hidden": (16,)}

EXPECTED_FAILED_CHECKS = {
    "check_no_attributes_set_in_init": (
        "module__* hyperparameters arrive through **module_params (skorch-style routing), so "
        "__init__ stores attributes its signature does not name"
    ),
    "check_class_weight_classifiers": (
        "class_weight is documented as None or 'balanced'; per-class dicts are not supported"
    ),
    "check_methods_subset_invariance": (
        "float32 matrix products depend on the batch size at the 1e-7 level; see "
        "test_predictions_do_not_depend_on_the_batch for the float32 tolerance"
    ),
}


@parametrize_with_checks(
    [TorchClassifier(max_epochs=30, random_state=0, module__hidden=(16,))],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
    xfail_strict=True,
)
def test_sklearn_conformance(estimator: TorchClassifier, check: Any) -> None:
    check(estimator)


@pytest.fixture(scope="module")
def fitted(train: Any) -> TorchClassifier:
    return TorchClassifier(**FAST).fit(train.X, train.y)


# --- what it learns ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "architecture", "minimum"),
    [
        (FAST, DenseNet, 0.9),
        (
            {**FAST, "module": "conv", "module__hidden": 8, "module__channels": (4, 8)},
            ConvNet,
            0.95,
        ),
    ],
    ids=["dense", "conv"],
)
def test_learns_the_main_groups(
    params: dict[str, Any], architecture: type, minimum: float, train: Any, held_out: Any
) -> None:
    model = TorchClassifier(**params).fit(train.X, train.y)
    assert isinstance(model.module_, architecture)
    assert not model.module_.training  # left in eval mode
    assert model.classes_.tolist() == ["C", "Other", "S", "X"]
    # Chance is 1/4 (the largest class, S, is 1/3); the held-out spectra are new draws.
    assert model.score(held_out.X, held_out.y) >= minimum


def test_probabilities_and_predictions_agree(fitted: TorchClassifier, held_out: Any) -> None:
    proba = fitted.predict_proba(held_out.X)
    assert proba.shape == (len(held_out.y), 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert (fitted.predict(held_out.X) == fitted.classes_[proba.argmax(axis=1)]).all()
    # Probabilities are the softmax of the temperature-scaled logits.
    logits = fitted.decision_function(held_out.X)
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, expected, rtol=1e-10)


def test_binary_decision_function_is_the_logit_difference(train: Any) -> None:
    rows = np.isin(train.y, ["C", "S"])
    model = TorchClassifier(**FAST).fit(train.X[rows], train.y[rows])
    decision = model.decision_function(train.X[rows])
    assert decision.shape == (rows.sum(),)
    proba = model.predict_proba(train.X[rows])
    # p(S) = sigmoid(logit_S - logit_C).
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-decision)), rtol=1e-10)
    assert (model.predict(train.X[rows]) == np.where(decision > 0, "S", "C")).all()


def test_predictions_do_not_depend_on_the_batch(fitted: TorchClassifier, held_out: Any) -> None:
    whole = fitted.predict_proba(held_out.X)
    parts = np.vstack([fitted.predict_proba(held_out.X[i : i + 7]) for i in range(0, 180, 7)])
    np.testing.assert_allclose(parts, whole, rtol=1e-5, atol=1e-6)
    assert (fitted.predict(held_out.X[:7]) == fitted.predict(held_out.X)[:7]).all()


def test_predict_before_fit_raises_not_fitted(train: Any) -> None:
    for method in ("predict", "predict_proba", "decision_function"):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(TorchClassifier(), method)(train.X)


def test_predict_checks_the_number_of_features(fitted: TorchClassifier, train: Any) -> None:
    with pytest.raises(ValueError, match="X has 48 features, but TorchClassifier is expecting 49"):
        fitted.predict(train.X[:, :-1])


# --- parameters: module__* routing -------------------------------------------------
def test_module_parameters_are_parameters() -> None:
    model = TorchClassifier("conv", module__hidden=32, module__kernel_size=3)
    params = model.get_params()
    assert params["module"] == "conv"
    assert params["module__hidden"] == 32
    assert params["module__kernel_size"] == 3
    copy = clone(model)
    assert copy.get_params() == params
    assert copy.set_params(module__hidden=8, lr=0.1) is copy
    assert (copy.get_params()["module__hidden"], copy.lr) == (8, 0.1)
    assert model.get_params()["module__hidden"] == 32  # the clone is independent


def test_set_params_changes_the_network(train: Any) -> None:
    model = TorchClassifier(**{**FAST, "max_epochs": 1}).set_params(module__hidden=(5, 3))
    model.fit(train.X, train.y)
    widths = [m.out_features for m in model.module_.layers if isinstance(m, torch.nn.Linear)]
    assert widths == [5, 3, 4]


def test_module_parameters_route_through_a_pipeline(train: Any, held_out: Any) -> None:
    pipeline = Pipeline(
        [
            ("features", spectral_features(train.wavelength, ["reflectance", "slope"])),
            ("net", TorchClassifier(**FAST)),
        ]
    )
    pipeline.set_params(net__module__hidden=(12,), net__max_epochs=30)
    assert pipeline.named_steps["net"].get_params()["module__hidden"] == (12,)
    pipeline.fit(train.X, train.y)
    assert pipeline.named_steps["net"].n_features_in_ == 50  # 49 reflectances + the slope
    assert pipeline.named_steps["net"].module_.layers[0].out_features == 12
    assert pipeline.score(held_out.X, held_out.y) >= 0.85


def test_cross_val_score(train: Any) -> None:
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(TorchClassifier(**FAST), train.X, train.y, cv=folds)
    assert scores.shape == (3,)
    assert scores.min() >= 0.8


# --- reproducibility -----------------------------------------------------------------
def test_same_seed_same_model_other_seed_other_model(fitted: TorchClassifier, train: Any) -> None:
    again = TorchClassifier(**FAST).fit(train.X, train.y)
    np.testing.assert_array_equal(again.predict_proba(train.X), fitted.predict_proba(train.X))
    assert again.history_ == fitted.history_
    other = TorchClassifier(**{**FAST, "random_state": 1}).fit(train.X, train.y)
    assert not np.allclose(other.predict_proba(train.X), fitted.predict_proba(train.X))


def test_fit_leaves_the_global_random_states_untouched(train: Any) -> None:
    # The legacy global numpy generator is the one random_state=None would draw from.
    torch.manual_seed(123)
    np.random.seed(123)  # noqa: NPY002
    expected_torch, expected_numpy = torch.rand(5), np.random.rand(5)  # noqa: NPY002
    torch.manual_seed(123)
    np.random.seed(123)  # noqa: NPY002
    TorchClassifier(**{**FAST, "module__dropout": 0.3, "noise": 0.01}).fit(train.X, train.y)
    torch.testing.assert_close(torch.rand(5), expected_torch, rtol=0, atol=0)
    np.testing.assert_array_equal(np.random.rand(5), expected_numpy)  # noqa: NPY002


def test_global_torch_state_is_restored_when_training_is_interrupted(train: Any) -> None:
    def stop(epoch: int, loss: float) -> None:
        raise KeyboardInterrupt

    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    with pytest.raises(KeyboardInterrupt):
        TorchClassifier(**FAST).fit(train.X, train.y, on_epoch=stop)
    torch.testing.assert_close(torch.rand(3), expected, rtol=0, atol=0)


# --- early stopping, validation split and calibration ----------------------------
def test_keeps_the_best_validation_epoch(fitted: TorchClassifier) -> None:
    losses = [h["valid_loss"] for h in fitted.history_]
    assert [h["epoch"] for h in fitted.history_] == list(range(1, len(losses) + 1))
    assert all(math.isfinite(loss) for loss in losses)
    assert fitted.best_epoch_ == 1 + int(np.argmin(losses))


def test_stops_after_patience_epochs_without_improvement(train: Any) -> None:
    model = TorchClassifier(**{**FAST, "max_epochs": 300, "patience": 3, "lr": 0.05})
    model.fit(train.X, train.y)
    assert len(model.history_) < 300
    assert len(model.history_) == model.best_epoch_ + 3
    losses = [h["valid_loss"] for h in model.history_]
    assert min(losses[model.best_epoch_ :]) >= losses[model.best_epoch_ - 1] - 1e-6


def test_without_validation_trains_every_epoch_uncalibrated(train: Any) -> None:
    model = TorchClassifier(**{**FAST, "validation_fraction": 0.0}).fit(train.X, train.y)
    assert len(model.history_) == model.best_epoch_ == 20
    assert all(math.isnan(h["valid_loss"]) for h in model.history_)
    assert model.temperature_ == 1.0


def test_too_few_samples_for_a_split_train_on_everything(train: Any) -> None:
    # 15 % of 12 spectra is 1 < 4 classes: no validation split is possible.
    rows = np.concatenate([np.flatnonzero(train.y == label)[:3] for label in "CSX"])
    rows = np.concatenate([rows, np.flatnonzero(train.y == "Other")[:3]])
    model = TorchClassifier(**{**FAST, "max_epochs": 3}).fit(train.X[rows], train.y[rows])
    assert len(model.history_) == model.best_epoch_ == 3
    assert model.temperature_ == 1.0


def test_calibration_only_rescales_the_logits(
    fitted: TorchClassifier, train: Any, held_out: Any
) -> None:
    uncalibrated = TorchClassifier(**FAST, calibrate=False).fit(train.X, train.y)
    assert uncalibrated.temperature_ == 1.0
    assert math.exp(-3) <= fitted.temperature_ <= math.exp(3)
    assert fitted.temperature_ != pytest.approx(1.0, abs=0.01)
    # Same seed, same training: the calibrated logits are the raw ones over T, so the
    # decisions are the same and only the confidence changes.
    np.testing.assert_allclose(
        fitted.decision_function(held_out.X) * fitted.temperature_,
        uncalibrated.decision_function(held_out.X),
        rtol=1e-6,
    )
    assert (fitted.predict(held_out.X) == uncalibrated.predict(held_out.X)).all()
    # Fitted to the validation likelihood, the temperature also helps on new spectra.
    assert log_loss(held_out.y, fitted.predict_proba(held_out.X)) < log_loss(
        held_out.y, uncalibrated.predict_proba(held_out.X)
    )


def test_no_input_scaling(train: Any) -> None:
    model = TorchClassifier(**{**FAST, "max_epochs": 1, "input_scaling": None})
    model.fit(train.X, train.y)
    np.testing.assert_array_equal(model.mean_, 0.0)
    np.testing.assert_array_equal(model.scale_, 1.0)


def test_centre_scaling_keeps_relative_variations(train: Any) -> None:
    # (x - 1) divided by one spread for all wavelengths: the RMS of (x - 1) in training.
    model = TorchClassifier(
        **{**FAST, "max_epochs": 1, "input_scaling": "centre", "validation_fraction": 0.0}
    )
    model.fit(train.X, train.y)
    spread = np.sqrt(np.mean((train.X.astype(np.float32) - 1.0) ** 2))
    np.testing.assert_array_equal(model.mean_, 1.0)
    np.testing.assert_allclose(model.scale_, spread, rtol=1e-5)
    assert np.ptp(model.scale_) == 0


def test_standard_scaling_uses_the_training_statistics(train: Any) -> None:
    X = train.X.copy()
    X[:, 5] = 2.0  # a constant column keeps scale 1 rather than dividing by 0
    model = TorchClassifier(**{**FAST, "max_epochs": 1, "validation_fraction": 0.0}).fit(X, train.y)
    np.testing.assert_allclose(model.mean_, X.mean(axis=0), rtol=1e-6)
    expected = X.std(axis=0)
    expected[5] = 1.0
    np.testing.assert_allclose(model.scale_, expected, rtol=1e-5)
    assert np.isfinite(model.predict_proba(X)).all()


def test_balanced_class_weight_favours_the_rare_class(make_labelled: Any) -> None:
    # 150 X against 12 Xk, two similar classes (Xk has a weak 0.9-µm band).
    data = make_labelled({"X": 150, "Xk": 12}, 5)
    balanced_test = make_labelled({"X": 100, "Xk": 100}, 6)
    found = {}
    for weight in (None, "balanced"):
        model = TorchClassifier(**{**FAST, "class_weight": weight}).fit(data.X, data.fine)
        found[weight] = int((model.predict(balanced_test.X) == "Xk").sum())
    assert found["balanced"] > found[None]


# --- augmentation --------------------------------------------------------------------
def final_loss(model: TorchClassifier) -> float:
    return model.history_[-1]["train_loss"]


@pytest.fixture(scope="module")
def clean(train: Any) -> TorchClassifier:
    """No augmentation and no validation split: training losses are comparable."""
    return TorchClassifier(**{**FAST, "validation_fraction": 0.0}).fit(train.X, train.y)


def test_error_noise_draws_noise_of_the_sample_errors(clean: TorchClassifier, train: Any) -> None:
    params = {**FAST, "validation_fraction": 0.0}
    error = np.full(train.X.shape, 0.3)
    noisy = TorchClassifier(**params, error_noise=1.0).fit(train.X, train.y, sample_error=error)
    # 30 % noise on every sample hides the classes: the training loss stays high.
    assert final_loss(noisy) > 3 * final_loss(clean)
    # A constant error σ is Gaussian noise of σ: the same draws as noise=0.3.
    same = TorchClassifier(**params, noise=0.3).fit(train.X, train.y)
    np.testing.assert_allclose(
        [h["train_loss"] for h in noisy.history_],
        [h["train_loss"] for h in same.history_],
        rtol=1e-5,
    )


def test_sample_error_is_ignored_without_error_noise(clean: TorchClassifier, train: Any) -> None:
    model = TorchClassifier(**{**FAST, "validation_fraction": 0.0})
    model.fit(train.X, train.y, sample_error=np.full(train.X.shape, 0.3))
    assert model.history_ == clean.history_


def test_missing_sample_errors_add_no_noise(clean: TorchClassifier, train: Any) -> None:
    model = TorchClassifier(**{**FAST, "validation_fraction": 0.0, "error_noise": 1.0})
    model.fit(train.X, train.y, sample_error=np.full(train.X.shape, np.nan))
    assert np.isfinite(model.predict_proba(train.X)).all()
    assert final_loss(model) == pytest.approx(final_loss(clean), rel=0.2)


def test_slope_noise_tilts_the_training_spectra(clean: TorchClassifier, train: Any) -> None:
    params = {**FAST, "validation_fraction": 0.0}
    model = TorchClassifier(**params, slope_noise=3.0, wavelength=train.wavelength)
    model.fit(train.X, train.y)
    # Slopes of ±3 µm⁻¹ swamp the 0-2.4 µm⁻¹ slopes that tell the groups apart.
    assert final_loss(model) > 3 * final_loss(clean)
    # The augmentation multiplies each spectrum by 1 + s (λ - 0.55): unity stays at 0.55 µm.
    rng = np.random.default_rng(0)
    tilted = model._augment(train.X[:50].astype(np.float32), None, rng)
    ratio = tilted / train.X[:50]
    at_055 = np.flatnonzero(train.wavelength == 0.55)[0]
    np.testing.assert_allclose(ratio[:, at_055], 1.0, rtol=1e-6)
    slopes = (ratio[:, -1] - ratio[:, 0]) / (train.wavelength[-1] - train.wavelength[0])
    np.testing.assert_allclose(ratio, 1 + slopes[:, None] * (train.wavelength - 0.55), atol=1e-5)
    assert 2.0 < slopes.std() < 4.0


# --- on_epoch --------------------------------------------------------------------
def test_on_epoch_is_called_after_every_epoch(train: Any) -> None:
    calls: list[tuple[int, float]] = []
    model = TorchClassifier(**FAST).fit(
        train.X, train.y, on_epoch=lambda epoch, loss: calls.append((epoch, loss))
    )
    assert calls == [(h["epoch"], h["valid_loss"]) for h in model.history_]
    without = TorchClassifier(**{**FAST, "validation_fraction": 0.0, "max_epochs": 4})
    calls.clear()
    without.fit(train.X, train.y, on_epoch=lambda epoch, loss: calls.append((epoch, loss)))
    # Without validation the callback gets the training loss.
    assert calls == [(h["epoch"], h["train_loss"]) for h in without.history_]


# --- invalid parameters ----------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"input_scaling": "minmax"},
            r"The 'input_scaling' parameter of TorchClassifier must be 'standard', 'centre' or "
            r"None\. Got 'minmax' instead\.",
        ),
        (
            {"class_weight": "auto"},
            r"The 'class_weight' parameter of TorchClassifier must be None or 'balanced'\. "
            r"Got 'auto' instead\.",
        ),
        (
            {"validation_fraction": 1.0},
            r"The 'validation_fraction' parameter of TorchClassifier must be in \[0, 1\)\. "
            r"Got 1\.0 instead\.",
        ),
        ({"validation_fraction": -0.1}, r"'validation_fraction' .* Got -0\.1 instead\."),
        (
            {"scheduler": "cosine"},
            r"The 'scheduler' parameter of TorchClassifier must be None or 'onecycle'\. "
            r"Got 'cosine' instead\.",
        ),
        (
            {"slope_noise": 0.1},
            r"The 'slope_noise' parameter of TorchClassifier needs 'wavelength' .* "
            r"Got wavelength=None instead\.",
        ),
        (
            {"slope_noise": 0.1, "wavelength": np.linspace(0.44, 0.92, 48)},
            r"The 'wavelength' parameter of TorchClassifier must have one value per feature "
            r"\(49\)\. Got 48 values instead\.",
        ),
        ({"module": "resnet"}, r"The 'module' parameter must be one of dense, conv\. Got 'resnet'"),
        ({"module__depth": 3}, r"Invalid module__ parameters for 'dense': .*'depth'"),
    ],
)
def test_invalid_parameters_raise_in_fit(params: dict[str, Any], message: str, train: Any) -> None:
    model = TorchClassifier(**{**FAST, **params})  # __init__ only stores them
    with pytest.raises(ParameterError, match=message):
        model.fit(train.X, train.y)


def test_unprefixed_architecture_parameters_are_stored_then_refused_by_fit(train: Any) -> None:
    model = TorchClassifier(hidden=(16,))  # type: ignore[arg-type]
    assert model.hidden == (16,)  # __init__ only stores, even a wrong keyword
    copy = clone(model)  # the clone keeps the mistake (it is a parameter) ...
    assert copy.get_params()["hidden"] == (16,)
    for estimator in (model, copy):  # ... so fitting either refuses it
        with pytest.raises(
            ParameterError,
            match=r"^TorchClassifier got an unexpected parameter 'hidden'; architecture "
            r"parameters must be prefixed with 'module__' \(e\.g\. module__hidden=\.\.\.\), "
            r"and its own parameters are batch_size, calibrate, .*, weight_decay\.$",
        ):
            estimator.fit(train.X, train.y)
    assert not hasattr(model, "classes_")  # refused before any training


def test_several_unexpected_parameters_are_named_together(train: Any) -> None:
    model = TorchClassifier(**FAST, depth=2, hidden=(16,))
    with pytest.raises(
        ParameterError, match=r"got unexpected parameters 'depth', 'hidden'; .* module__depth="
    ):
        model.fit(train.X, train.y)


def test_sample_error_must_have_the_shape_of_x(train: Any) -> None:
    with pytest.raises(
        ValueError, match=r"sample_error must have the shape of X \(180, 49\); got \(180, 48\)\."
    ):
        TorchClassifier(**FAST).fit(train.X, train.y, sample_error=train.X[:, :-1])
