"""The convolutional autoencoder and its scikit-learn transformer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from asteroid_spectra import schema
from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding, ConvAutoencoder

FactorSpectra = Callable[[int, int, npt.ArrayLike], npt.NDArray[np.float64]]

# Tiny enough for the ~50 conformance checks to take a couple of seconds.
TINY: dict[str, Any] = {"latent_dim": 2, "channels": (2, 4), "max_epochs": 5, "random_state": 0}
# Small but able to learn the three-factor spectra (about a second per fit).
SMALL: dict[str, Any] = {"latent_dim": 3, "channels": (8, 16), "max_epochs": 100}

# Every check of parametrize_with_checks passes; none is inapplicable to a transformer
# trained by mini-batch gradient descent once random_state is fixed.
EXPECTED_FAILED_CHECKS: dict[str, str] = {}

SMASS2_GRID = np.array(schema.SMASS2_WAVELENGTH)
GAIA_GRID = np.array(schema.GAIA_DR3_WAVELENGTH)


@parametrize_with_checks(
    [AutoencoderEmbedding(**TINY)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
    xfail_strict=True,
)
def test_sklearn_conformance(estimator: AutoencoderEmbedding, check: Any) -> None:
    check(estimator)


# The feature-name and set_output checks are not part of parametrize_with_checks'
# selection in scikit-learn 1.9; they found that get_feature_names_out ignored
# input_features of the wrong length or names.
@pytest.mark.filterwarnings("ignore:X (does not have valid|has) feature names:UserWarning")
@pytest.mark.parametrize(
    "check",
    [
        "check_transformer_get_feature_names_out",
        "check_transformer_get_feature_names_out_pandas",
        "check_get_feature_names_out_error",
        "check_set_output_transform",
        "check_set_output_transform_pandas",
        "check_global_output_transform_pandas",
    ],
)
def test_feature_names_and_set_output_conformance(check: str) -> None:
    getattr(estimator_checks, check)("AutoencoderEmbedding", AutoencoderEmbedding(**TINY))


@pytest.fixture(scope="module")
def factor_train(make_factor_spectra: FactorSpectra, grid: np.ndarray) -> np.ndarray:
    return make_factor_spectra(240, 0, grid)


@pytest.fixture(scope="module")
def factor_test(make_factor_spectra: FactorSpectra, grid: np.ndarray) -> np.ndarray:
    return make_factor_spectra(100, 1, grid)


@pytest.fixture(scope="module")
def fitted(factor_train: np.ndarray) -> AutoencoderEmbedding:
    return AutoencoderEmbedding(**SMALL, random_state=0).fit(factor_train)


# --- the estimator contract ----------------------------------------------------------
def test_init_stores_parameters_and_clone_keeps_them() -> None:
    channels = (4, 8)
    estimator = AutoencoderEmbedding(3, channels=channels, noise=0.01, random_state=7)
    params = estimator.get_params()
    assert params["latent_dim"] == 3
    assert params["channels"] is channels
    assert params["noise"] == 0.01
    assert params["random_state"] == 7
    assert params["max_epochs"] == 400  # the documented default
    copy = clone(estimator)
    assert copy is not estimator
    assert copy.get_params() == params
    assert not [name for name in vars(copy) if name.endswith("_")]


def test_clone_of_a_fitted_model_is_unfitted(
    fitted: AutoencoderEmbedding, factor_test: np.ndarray
) -> None:
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "module_")
    with pytest.raises(NotFittedError, match="AutoencoderEmbedding"):
        copy.transform(factor_test)


def test_fitted_attributes(fitted: AutoencoderEmbedding, factor_train: np.ndarray) -> None:
    assert isinstance(fitted.module_, ConvAutoencoder)
    assert fitted.n_features_in_ == 49
    assert fitted.offset_ == pytest.approx(float(np.mean(factor_train)), rel=1e-6)
    assert fitted.scale_ == pytest.approx(float(np.std(factor_train)), rel=1e-5)
    assert 1 <= fitted.best_epoch_ <= len(fitted.history_) <= SMALL["max_epochs"]
    assert [row["epoch"] for row in fitted.history_] == list(range(1, len(fitted.history_) + 1))
    assert not fitted.module_.training  # left in eval mode
    # Training converges: the last training loss is a fraction of the first.
    assert fitted.history_[-1]["train_loss"] < 0.1 * fitted.history_[0]["train_loss"]


def test_feature_names_and_pandas_output(
    fitted: AutoencoderEmbedding, factor_test: np.ndarray
) -> None:
    names = fitted.get_feature_names_out()
    assert names.tolist() == ["latent0", "latent1", "latent2"]
    assert names.dtype == object
    frame = (
        clone(fitted).set_output(transform="pandas").fit(factor_test[:40]).transform(factor_test)
    )
    assert isinstance(frame, pd.DataFrame)
    assert frame.columns.tolist() == ["latent0", "latent1", "latent2"]
    assert frame.shape == (100, 3)


def test_feature_names_reject_input_features_of_the_wrong_length(
    fitted: AutoencoderEmbedding,
) -> None:
    with pytest.raises(ValueError, match="input_features should have length equal to"):
        fitted.get_feature_names_out([f"r{i}" for i in range(48)])
    names = fitted.get_feature_names_out([f"r{i}" for i in range(49)])
    assert names.tolist() == ["latent0", "latent1", "latent2"]


# --- reproducibility and the caller's random state ----------------------------------
def test_same_seed_gives_identical_latents(
    factor_train: np.ndarray, factor_test: np.ndarray
) -> None:
    first = AutoencoderEmbedding(**TINY).fit(factor_train)
    second = AutoencoderEmbedding(**TINY).fit(factor_train)
    np.testing.assert_array_equal(first.transform(factor_test), second.transform(factor_test))
    assert first.history_ == second.history_


def test_different_seeds_give_different_latents(
    factor_train: np.ndarray, factor_test: np.ndarray
) -> None:
    latents = [
        AutoencoderEmbedding(**{**TINY, "random_state": seed})
        .fit(factor_train)
        .transform(factor_test)
        for seed in (0, 1)
    ]
    # Different initialisations: the latents differ by far more than rounding.
    assert np.max(np.abs(latents[0] - latents[1])) > 0.1


def test_fit_leaves_the_global_random_states_and_threads_alone(
    factor_train: np.ndarray,
) -> None:
    torch.manual_seed(123)
    np.random.seed(321)  # noqa: NPY002 - the legacy global state is what is checked
    torch_state = torch.random.get_rng_state()
    numpy_state = np.random.get_state()  # noqa: NPY002
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        AutoencoderEmbedding(**TINY).fit(factor_train)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(threads)
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    restored = np.random.get_state()  # noqa: NPY002
    assert restored[0] == numpy_state[0]
    np.testing.assert_array_equal(restored[1], numpy_state[1])
    assert restored[2:] == numpy_state[2:]
    # And the caller's next numbers are the ones they would have been.
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    AutoencoderEmbedding(**TINY).fit(factor_train)
    assert torch.equal(torch.rand(3), expected)


# --- what it learns ------------------------------------------------------------------
@pytest.mark.parametrize("wavelength", [SMASS2_GRID, GAIA_GRID], ids=["smass2-49", "gaia-16"])
def test_reconstructs_far_better_than_the_mean_spectrum(
    make_factor_spectra: FactorSpectra, wavelength: np.ndarray
) -> None:
    train = make_factor_spectra(240, 0, wavelength)
    held_out = make_factor_spectra(100, 1, wavelength)
    model = AutoencoderEmbedding(**SMALL, random_state=0).fit(train)
    error = model.reconstruction_error(held_out)
    baseline = np.sqrt(np.mean((held_out - train.mean(axis=0)) ** 2, axis=1))
    assert error.shape == (100,)
    # Three factors in a three-dimensional latent space: the median held-out RMSE is a
    # small fraction of the RMSE of predicting the mean training spectrum (about 1/8).
    assert np.median(error) < 0.25 * np.median(baseline)
    assert np.median(error) < 0.03


def test_reconstruction_error_is_the_rmse_of_the_round_trip(
    fitted: AutoencoderEmbedding, factor_test: np.ndarray
) -> None:
    rebuilt = fitted.inverse_transform(fitted.transform(factor_test))
    expected = np.sqrt(np.mean((rebuilt - factor_test) ** 2, axis=1))
    np.testing.assert_allclose(fitted.reconstruction_error(factor_test), expected, rtol=1e-12)
    # The round trip is the network's forward pass mapped back to reflectance units.
    scaled = ((factor_test - fitted.offset_) / fitted.scale_).astype(np.float32)
    with torch.no_grad():
        forward = fitted.module_(torch.from_numpy(scaled)).numpy().astype(np.float64)
    np.testing.assert_allclose(rebuilt, forward * fitted.scale_ + fitted.offset_, atol=1e-5)


def test_reconstruction_error_is_in_the_units_of_the_input(factor_train: np.ndarray) -> None:
    # Inputs are standardised by one global offset and scale, so a model of 10 x the
    # spectra trains on the same numbers; its errors, in the input's units, are 10 x as
    # large (float32 rounding of the standardised inputs aside).
    model = AutoencoderEmbedding(**TINY).fit(factor_train)
    tenfold = AutoencoderEmbedding(**TINY).fit(10 * factor_train)
    assert tenfold.scale_ == pytest.approx(10 * model.scale_, rel=1e-6)
    np.testing.assert_allclose(
        tenfold.reconstruction_error(10 * factor_train),
        10 * model.reconstruction_error(factor_train),
        rtol=1e-3,
    )
    # Percent-level errors for reflectances near unity: not the standardised units.
    assert 0.003 < float(np.median(model.reconstruction_error(factor_train))) < 0.2


def test_out_of_distribution_spectra_reconstruct_badly(
    fitted: AutoencoderEmbedding,
    factor_train: np.ndarray,
    factor_test: np.ndarray,
    grid: np.ndarray,
) -> None:
    # A deep (50 %) narrow (0.02 µm) band at 0.60 µm: nothing like it in training.
    band = 1 - 0.5 * np.exp(-(((grid - 0.60) / 0.02) ** 2))
    odd = factor_test[:10] * band
    training_error = fitted.reconstruction_error(factor_train)
    odd_error = fitted.reconstruction_error(odd)
    assert np.min(odd_error) > 2 * np.max(training_error)
    assert np.median(odd_error) > 5 * np.median(training_error)


# --- grids ---------------------------------------------------------------------------
@pytest.mark.parametrize(("n_inputs", "padded"), [(49, 52), (16, 16), (13, 16), (6, 8), (1, 4)])
def test_any_grid_length_works(n_inputs: int, padded: int, rng: np.random.Generator) -> None:
    X = 1 + rng.normal(0, 0.1, (30, n_inputs))
    model = AutoencoderEmbedding(**TINY).fit(X)
    assert model.module_.padded == padded
    latent = model.transform(X)
    assert latent.shape == (30, 2)
    assert latent.dtype == np.float64
    assert model.inverse_transform(latent).shape == (30, n_inputs)
    assert model.reconstruction_error(X).shape == (30,)


@pytest.mark.parametrize(
    ("n_inputs", "latent_dim", "channels", "kernel_size"),
    [(49, 5, (16, 32), 5), (16, 2, (4, 8), 3), (50, 1, (2, 2), 7)],
)
def test_module_encodes_and_decodes_to_the_grid(
    n_inputs: int, latent_dim: int, channels: tuple[int, int], kernel_size: int
) -> None:
    module = ConvAutoencoder(n_inputs, latent_dim, channels, kernel_size).eval()
    x = torch.ones(3, n_inputs)
    z = module.encode(x)
    assert z.shape == (3, latent_dim)
    assert module.decode(z).shape == (3, n_inputs)
    assert module(x).shape == (3, n_inputs)


# --- errors --------------------------------------------------------------------------
@pytest.mark.parametrize("latent_dim", [0, -2])
def test_latent_dim_below_one_is_rejected(latent_dim: int, factor_train: np.ndarray) -> None:
    with pytest.raises(
        ValueError,
        match=rf"The 'latent_dim' parameter of AutoencoderEmbedding must be at least 1\. "
        rf"Got {latent_dim} instead\.",
    ):
        AutoencoderEmbedding(latent_dim).fit(factor_train)


@pytest.mark.parametrize(
    "latent", [np.zeros((4, 2)), np.zeros((4, 4)), np.zeros(3)], ids=["2", "4", "1-D"]
)
def test_inverse_transform_checks_the_latent_shape(
    fitted: AutoencoderEmbedding, latent: np.ndarray
) -> None:
    with pytest.raises(
        ValueError,
        match=rf"latent vectors of shape \(n, 3\); got \({', '.join(map(str, latent.shape))},?\)",
    ):
        fitted.inverse_transform(latent)


def test_transform_checks_the_number_of_samples(
    fitted: AutoencoderEmbedding, rng: np.random.Generator
) -> None:
    with pytest.raises(
        ValueError, match="X has 16 features, but AutoencoderEmbedding is expecting 49"
    ):
        fitted.transform(rng.normal(size=(3, 16)))


# --- training options ----------------------------------------------------------------
def test_without_validation_every_epoch_is_kept(factor_train: np.ndarray) -> None:
    model = AutoencoderEmbedding(**{**TINY, "validation_fraction": 0.0}).fit(factor_train)
    assert model.best_epoch_ == len(model.history_) == TINY["max_epochs"]
    assert all(np.isnan(row["valid_loss"]) for row in model.history_)


def test_early_stopping_keeps_the_best_epoch(factor_train: np.ndarray) -> None:
    # lr 0.3 makes the validation loss stall quickly; patience 3 stops three epochs later.
    model = AutoencoderEmbedding(**{**TINY, "max_epochs": 200, "patience": 3, "lr": 0.3}).fit(
        factor_train
    )
    losses = [row["valid_loss"] for row in model.history_]
    assert len(losses) < 200
    assert len(losses) == model.best_epoch_ + 3
    assert losses[model.best_epoch_ - 1] == min(losses)


def test_denoising_noise_changes_training(
    factor_train: np.ndarray, factor_test: np.ndarray
) -> None:
    plain = AutoencoderEmbedding(**TINY).fit(factor_train)
    noisy = AutoencoderEmbedding(**{**TINY, "noise": 0.05}).fit(factor_train)
    assert plain.history_[0]["train_loss"] != noisy.history_[0]["train_loss"]
    assert not np.allclose(plain.transform(factor_test), noisy.transform(factor_test))
