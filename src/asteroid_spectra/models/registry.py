"""Models by name, per target: what ``asteroid-spectra evaluate/train --model NAME`` builds.

Every entry builds a fresh, unfitted scikit-learn estimator for a target, a wavelength
grid and a seed. ``best`` is the project's recommended model for each target (chosen by
repeated cross-validation, see ``benchmarks/model_comparison.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.targets import check_target

__all__ = [
    "MODELS",
    "SURVEY_BEST",
    "TUNABLE",
    "ModelSpec",
    "best_model",
    "build_model",
    "check_model",
    "survey_best_model",
    "tuned_model",
    "tuning_scoring",
]

Builder = Callable[[str, npt.NDArray[Any], int], Any]

# Unscaled RBF SVM: width and penalty chosen by 5x5 repeated CV on other seeds than the
# evaluation's (benchmarks/model_comparison.py).
SVM_C = 100.0
SVM_GAMMA = 10.0
# Principal components kept by the robust SVM: as accurate on clean spectra, far more on
# noisy ones (benchmarks/robustness.py).
ROBUST_COMPONENTS = 6
# The slope SVM (DeMeo et al. 2009's features): principal components of the slope-removed
# spectrum, RBF width and penalty chosen by 2x5 grouped CV on seed 1 (benchmarks/taxonomies.py
# scores on seed 0); the slope line passes through unity where VIS_NIR normalises
# (0.55 µm, or 1.2 µm on spans without it).
SLOPE_COMPONENTS = 5
SLOPE_C = 100.0
SLOPE_GAMMA = 1.0
# Slope changes the augmented SVM trains on (µm⁻¹) and copies per spectrum.
AUGMENT_SLOPE = 0.05
AUGMENT_COPIES = 2
INSTRUMENT_PERTURBATIONS = MappingProxyType(
    {"copies": 3, "max_slope": 0.1, "max_red": 0.4, "min_snr": 50.0}
)
"""Perturbed copies of svm-instruments: slopes ±10 %/µm, red ends ±6 % at 0.90 µm, S/N ≥ 50."""
# Tholen classes on the eight ECAS filters: RBF SVM on standardised reflectance with
# balanced class weights, C and gamma chosen by 5x5 repeated CV on seed 1 (the benchmark
# reports seed 0: benchmarks/taxonomies.py); probabilities calibrated on 3 inner folds,
# since the smallest classes (T, G) have 5 and 6 spectra.
THOLEN_C = 10.0
THOLEN_GAMMA = 0.3
THOLEN_CALIBRATION_FOLDS = 3


def _gamma(wavelength: Any) -> float:
    """RBF width for a grid: SVM_GAMMA on the 49-point SMASSII grid, per-sample constant.

    The squared distance between two spectra grows with the number of samples, so a
    model on a sub-range (fewer samples) keeps the same kernel width per sample.
    """
    return SVM_GAMMA * 49 / max(len(np.atleast_1d(wavelength)), 1)


def tuning_scoring(target: str) -> str:
    """Return the score a tuning study maximises for `target` (its headline metric)."""
    return {
        "x-vs-rest": "f1_x",
        "main-group": "f1_weighted",
        "bus": "accuracy",
        "demeo": "accuracy",
        "tholen": "accuracy",
    }[target]


def _svm(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical

    return classical.make_svm(scaling="standard", C=10.0, gamma="scale")


def _svm_unscaled(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical

    return classical.make_svm(scaling=None, C=SVM_C, gamma=SVM_GAMMA)


def _svm_bus(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models.grouped import GroupedClassifier

    return GroupedClassifier(_svm_unscaled(target, wavelength, seed), target=target)


def _projected_svm(wavelength: Any, seed: int, calibrate: bool) -> Any:
    """Build the unscaled RBF SVM on the first ROBUST_COMPONENTS principal components."""
    from asteroid_spectra.models import classical

    return classical.make_svm(
        scaling=None,
        C=SVM_C,
        gamma=_gamma(wavelength),
        components=ROBUST_COMPONENTS,
        calibrate=calibrate,
        random_state=seed,
    )


def _svm_robust(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models.grouped import GroupedClassifier

    return GroupedClassifier(_projected_svm(wavelength, seed, calibrate=True), target=target)


def _augmented_svm(target: str, wavelength: Any, seed: int, **perturbations: Any) -> Any:
    from asteroid_spectra.models import classical
    from asteroid_spectra.models.augment import AugmentedClassifier
    from asteroid_spectra.models.grouped import GroupedClassifier

    augmented = AugmentedClassifier(
        _projected_svm(wavelength, seed, calibrate=False),
        wavelength=np.asarray(wavelength, dtype=np.float64),
        random_state=seed,
        **perturbations,
    )
    return GroupedClassifier(classical.calibrated(augmented), target=target)


def _svm_augmented(target: str, wavelength: Any, seed: int) -> Any:
    return _augmented_svm(
        target, wavelength, seed, copies=AUGMENT_COPIES, max_slope=AUGMENT_SLOPE, min_snr=np.inf
    )


def _svm_instruments(target: str, wavelength: Any, seed: int) -> Any:
    """svm-robust trained with copies as another instrument would record them."""
    return _augmented_svm(target, wavelength, seed, **INSTRUMENT_PERTURBATIONS)


def _svm_slope(target: str, wavelength: Any, seed: int) -> Any:
    """Build the SVM on the slope and the first principal components of the shape.

    Features as in DeMeo et al. (2009, Icarus 202, 160): the slope of the spectrum and the
    principal components of the spectrum divided by its slope line, here learnt from the
    training spectra; Bus-DeMeo (or Bus) classes learnt and summed into the target.
    """
    from sklearn.decomposition import PCA
    from sklearn.pipeline import FeatureUnion, Pipeline

    from asteroid_spectra.models import classical
    from asteroid_spectra.models.fast_svm import FastSVC
    from asteroid_spectra.models.grouped import GroupedClassifier
    from asteroid_spectra.spectra.coverage import VIS_NIR
    from asteroid_spectra.spectra.transformers import SlopeFeature, SlopeRemover

    grid = np.asarray(wavelength, dtype=np.float64)
    inside = [w for w in VIS_NIR.normalise_at if grid[0] - 1e-9 <= w <= grid[-1] + 1e-9]
    at = inside[0] if inside else VIS_NIR.normalise_at[0]
    shape = Pipeline(
        [
            ("remove", SlopeRemover(grid, at=at)),
            ("project", PCA(n_components=SLOPE_COMPONENTS, random_state=seed)),
        ]
    )
    features = FeatureUnion([("slope", SlopeFeature(grid, at=at)), ("shape", shape)])
    svc = FastSVC(C=SLOPE_C, gamma=SLOPE_GAMMA)
    model = classical.calibrated(Pipeline([("features", features), ("svc", svc)]))
    return GroupedClassifier(model, target=target)


def _svm_grid(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical

    return classical.reference_grid_search(random_state=seed)


def _svm_tuned(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models.tuning import OptunaSearchClassifier

    return OptunaSearchClassifier(
        "svm", n_trials=40, cv=3, scoring=tuning_scoring(target), random_state=seed
    )


def _mlp(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models.torch_estimator import TorchClassifier

    return TorchClassifier("dense", random_state=seed, module__hidden=(25, 10))


def _mlp_tuned(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models.tuning import OptunaSearchClassifier

    return OptunaSearchClassifier("dense", n_trials=20, random_state=seed)


def _mlp_wide(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models.torch_estimator import TorchClassifier

    return TorchClassifier(
        "dense",
        module__hidden=(256, 256),
        module__activation="gelu",
        module__dropout=0.2,
        lr=2e-3,
        weight_decay=1e-4,
        label_smoothing=0.05,
        scheduler="onecycle",
        max_epochs=200,
        validation_fraction=0.0,
        input_scaling="centre",
        random_state=seed,
    )


def _ensemble(target: str, wavelength: Any, seed: int) -> Any:
    from sklearn.ensemble import VotingClassifier

    from asteroid_spectra.models.grouped import GroupedClassifier

    members = [
        ("svm", _svm_unscaled(target, wavelength, seed)),
        ("mlp", _mlp_wide(target, wavelength, seed)),
    ]
    return GroupedClassifier(VotingClassifier(members, voting="soft"), target=target)


def _cnn(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models.torch_estimator import TorchClassifier

    return TorchClassifier("conv", random_state=seed, input_scaling="centre")


def _logistic(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical

    return classical.make_logistic()


def _logistic_bus(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical
    from asteroid_spectra.models.grouped import GroupedClassifier

    return GroupedClassifier(classical.calibrated(classical.make_logistic(C=10.0)), target=target)


def _svm_tholen(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical

    svm = classical.make_svm(
        scaling="standard",
        C=THOLEN_C,
        gamma=THOLEN_GAMMA,
        class_weight="balanced",
        calibrate=False,
    )
    return classical.calibrated(svm, cv=THOLEN_CALIBRATION_FOLDS)


def _extra_trees(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical

    return classical.make_extra_trees(random_state=seed)


def _gradient_boosting(target: str, wavelength: Any, seed: int) -> Any:
    from asteroid_spectra.models import classical

    return classical.make_gradient_boosting(random_state=seed)


@dataclass(frozen=True)
class ModelSpec:
    """A named model.

    Attributes
    ----------
    name : str
        CLI name.
    description : str
        One line for ``--help`` and reports.
    build : callable
        ``build(target, wavelength, seed) -> estimator``.
    """

    name: str
    description: str
    build: Builder


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec("svm", "SVM (RBF) on standardised reflectance, the reference's model", _svm),
        ModelSpec("svm-grid", "the reference's SVM grid search (no probabilities)", _svm_grid),
        ModelSpec("svm-tuned", "SVM tuned by Optuna (40 TPE trials, inner 3-fold CV)", _svm_tuned),
        ModelSpec(
            "svm-unscaled", "SVM (RBF) on the normalised reflectance as it is", _svm_unscaled
        ),
        ModelSpec("svm-bus", "unscaled SVM learning Bus classes, summed into the target", _svm_bus),
        ModelSpec(
            "svm-robust",
            "svm-bus on the first 6 principal components: robust to noise",
            _svm_robust,
        ),
        ModelSpec(
            "svm-augmented",
            "svm-robust trained with slope-changed copies (±5 %/µm)",
            _svm_augmented,
        ),
        ModelSpec(
            "svm-instruments",
            "svm-robust trained with instrument-like copies (slope, red end, noise)",
            _svm_instruments,
        ),
        ModelSpec(
            "svm-slope",
            "SVM on the slope and 5 principal components of the slope-removed spectrum",
            _svm_slope,
        ),
        ModelSpec("mlp", "dense net 49-25-10-k with input standardisation", _mlp),
        ModelSpec("mlp-tuned", "dense net tuned by Optuna (20 trials, epoch pruning)", _mlp_tuned),
        ModelSpec("mlp-wide", "dense net 49-256-256-k, GELU, one-cycle schedule", _mlp_wide),
        ModelSpec(
            "ensemble",
            "unscaled SVM + wide dense net (soft vote) learning Bus classes",
            _ensemble,
        ),
        ModelSpec("cnn", "1-D CNN: conv-pool-conv-pool-dense", _cnn),
        ModelSpec("logistic", "multinomial logistic regression", _logistic),
        ModelSpec(
            "logistic-bus",
            "calibrated logistic regression (C=10) learning Bus classes",
            _logistic_bus,
        ),
        ModelSpec(
            "svm-tholen",
            "SVM (RBF) on standardised ECAS reflectance, balanced weights (Tholen classes)",
            _svm_tholen,
        ),
        ModelSpec("extra-trees", "extremely randomised trees (500)", _extra_trees),
        ModelSpec("gradient-boosting", "histogram gradient boosting", _gradient_boosting),
    )
}
"""Every named model except ``best``."""

BEST = {
    "x-vs-rest": "svm-robust",
    "main-group": "svm-robust",
    "bus": "svm-bus",
    "demeo": "svm-slope",
    "tholen": "svm-tholen",
}
"""The recommended model of each target (on SMASSII-like spectra of its taxonomy)."""


SURVEY_BEST = dict.fromkeys(("x-vs-rest", "main-group", "bus"), "logistic-bus")
"""The recommended model of each target for Gaia DR3 spectra (``benchmarks/cross_survey.py``)."""


def best_model(target: str) -> str:
    """Name of the recommended model for `target`."""
    check_target(target)
    return BEST[target]


def survey_best_model(target: str) -> str:
    """Name of the recommended model for `target` on Gaia DR3 spectra.

    Raises
    ------
    AsteroidSpectraError
        If the target is unknown or has no Gaia DR3 model (Bus-DeMeo and Tholen classes
        need wavelengths Gaia does not cover).
    """
    check_target(target)
    if target not in SURVEY_BEST:
        raise AsteroidSpectraError(
            f"There is no Gaia DR3 model for the target {target!r}; expected one of "
            f"{', '.join(SURVEY_BEST)}."
        )
    return SURVEY_BEST[target]


def build_model(name: str, target: str, wavelength: npt.ArrayLike, random_state: int = 0) -> Any:
    """Build the unfitted model `name` (or ``"best"``) for `target`.

    Raises
    ------
    AsteroidSpectraError
        If the model or the target is unknown.
    """
    check_target(target)
    resolved = best_model(target) if name == "best" else check_model(name)
    return MODELS[resolved].build(target, np.asarray(wavelength, dtype=np.float64), random_state)


def check_model(name: str) -> str:
    """Return `name` if it is a model of :data:`MODELS`.

    Raises
    ------
    AsteroidSpectraError
        If it is not (``best`` is resolved per target: :func:`best_model`).
    """
    if name not in MODELS:
        raise AsteroidSpectraError(
            f"Unknown model {name!r}; expected one of best, {', '.join(MODELS)}."
        )
    return name


TUNABLE = {
    "svm": "svm",
    "svm-tuned": "svm",
    "svm-unscaled": "svm",
    "svm-bus": "svm",
    "svm-robust": "svm",
    "mlp": "dense",
    "mlp-tuned": "dense",
    "cnn": "conv",
}
"""Models that ``--tune`` can tune, and their search space."""


def tuned_model(
    name: str, target: str, n_trials: int, *, storage: str | None = None, seed: int = 0
) -> Any:
    """Return an Optuna search over the space of model `name` (or ``"best"``).

    ``svm-bus`` and ``svm-robust`` tune the Bus-level SVM (scored by accuracy on Bus
    classes) inside its :class:`~asteroid_spectra.models.grouped.GroupedClassifier` — the
    search space has no principal-component projection, so a tuned ``svm-robust`` is a
    tuned ``svm-bus``; the others tune on the target's headline metric
    (:func:`tuning_scoring`).

    Raises
    ------
    AsteroidSpectraError
        If the model has no search space.
    """
    check_target(target)
    resolved = best_model(target) if name == "best" else name
    if resolved not in TUNABLE:
        raise AsteroidSpectraError(
            f"Tuning works with {', '.join(TUNABLE)}; {resolved!r} has no search space."
        )
    from asteroid_spectra.models.grouped import GroupedClassifier
    from asteroid_spectra.models.tuning import OptunaSearchClassifier

    if resolved in ("svm-bus", "svm-robust"):
        search = OptunaSearchClassifier(
            "svm", n_trials=n_trials, scoring="accuracy", storage=storage, random_state=seed
        )
        return GroupedClassifier(search, target=target)
    return OptunaSearchClassifier(
        TUNABLE[resolved],
        n_trials=n_trials,
        scoring=tuning_scoring(target),
        storage=storage,
        random_state=seed,
    )
