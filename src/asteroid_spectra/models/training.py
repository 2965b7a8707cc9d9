"""Train taxonomy models (on SMASSII, or for Gaia DR3 spectra) and describe them in a card."""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from asteroid_spectra._version import __version__
from asteroid_spectra.data.registry import collection
from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.crosssurvey import (
    NOISE_COPIES,
    OOD_REFERENCE,
    CrossSurveyData,
    bands_of,
    cross_survey_evaluate,
    load_cross_survey,
    training_set,
)
from asteroid_spectra.models.evaluation import Evaluation, evaluate, fit_kwargs
from asteroid_spectra.models.registry import MODELS, best_model, build_model
from asteroid_spectra.models.targets import TargetData, check_target, smass2_target
from asteroid_spectra.models.uncertainty import DEFAULT_THRESHOLD, DistanceOOD

__all__ = ["model_card", "train_model", "train_survey_model"]

HEADLINE_KEYS = ("accuracy", "balanced_accuracy", "f1_weighted", "f1_macro", "f1", "brier", "ece")


def _versions() -> dict[str, str]:
    import sklearn

    versions = {
        "asteroid-spectra": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
    }
    try:
        import torch

        versions["torch"] = torch.__version__
    except ImportError:  # pragma: no cover - torch is a dependency
        pass
    return versions


def _data_digest(data: TargetData) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(data.X).tobytes())
    digest.update("\x1f".join(map(str, data.fine)).encode())
    return digest.hexdigest()


def model_card(
    model: TaxonomyModel, data: TargetData, evaluation: Evaluation | None, seed: int
) -> dict[str, Any]:
    """Build the JSON-ready model card of a freshly trained model."""
    spec = MODELS.get(model.name)
    card: dict[str, Any] = {
        "format": "asteroid-spectra model 1",
        "model": model.name,
        "description": spec.description if spec else model.name,
        "target": model.target,
        "classes": model.classes,
        "fine_classes": model.fine_classes,
        "wavelength_um": [float(w) for w in model.wavelength],
        "normalisation_um": 0.55,
        "abstention_threshold": model.threshold,
        "ood": {
            "n_neighbors": model.ood.n_neighbors,
            "quantile": model.ood.quantile,
            "reference_size": int(model.ood.neighbors_.n_samples_fit_),
        },
        "seed": seed,
        "params": {k: repr(v) for k, v in model.estimator.get_params(deep=False).items()},
        "training_data": {
            "survey": "smass2",
            "n_spectra": len(data.y),
            "files": [{"name": f.name, "sha256": f.sha256} for f in collection("smass2")],
            "spectra_sha256": _data_digest(data),
        },
        "versions": _versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "citation": "Bus, S. J. & Binzel, R. P. (2002). Icarus 158, 146-177 (taxonomy, data).",
    }
    search = model.estimator
    if not hasattr(search, "best_params_"):  # a search inside a GroupedClassifier
        search = getattr(model.estimator, "estimator_", None)
    if hasattr(search, "best_params_"):
        card["tuning"] = {
            "space": search.space,
            "best_params": search.best_params_,
            "best_inner_cv_score": search.best_score_,
            "n_trials": search.n_trials_,
            "study_name": search.study_name_,
            "scoring": search.scoring,
        }
    if evaluation is not None:
        summary = evaluation.summary()
        card["cross_validation"] = {
            "folds": evaluation.folds,
            "repeats": evaluation.repeats,
            "seed": evaluation.seed,
            **{
                k: v
                for k, v in summary.items()
                if k in HEADLINE_KEYS or k.startswith(("accuracy[", "catalogue_noise_"))
            },
        }
        if "protocol" in summary:
            card["cross_validation"]["protocol"] = summary["protocol"]
    return card


def train_model(
    target: str,
    name: str = "best",
    *,
    seed: int = 0,
    data: TargetData | None = None,
    folds: int = 5,
    repeats: int = 0,
    n_jobs: int = 1,
    estimator: Any = None,
    on_fold: Callable[[int, int], None] | None = None,
) -> tuple[TaxonomyModel, Evaluation | None]:
    """Fit model `name` for `target` on all labelled SMASSII spectra.

    Parameters
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    name : str
        Model name of :mod:`~asteroid_spectra.models.registry` or ``"best"``.
    seed : int
        Seed of the model (and of the evaluation splits).
    data : TargetData, optional
        Training spectra and labels (default: :func:`~.targets.smass2_target`, SMASSII
        from the cache, mirror or network, with its band-averaged 1-sigma errors).
    folds, repeats : int
        If `repeats` > 0, also run a repeated stratified CV whose numbers go in the card.
    n_jobs : int
        Parallel folds of that evaluation.
    estimator : estimator, optional
        Use this unfitted estimator instead of building `name` (e.g. a tuned search).
    on_fold : callable, optional
        Progress callback of the evaluation.

    Returns
    -------
    (TaxonomyModel, Evaluation or None)
    """
    check_target(target)
    data = smass2_target(target) if data is None else data
    if data.target != target:
        raise AsteroidSpectraError(
            f"The training data are labelled for {data.target!r}, not {target!r}; build them "
            f"with target_data(spectra, {target!r})."
        )
    resolved = best_model(target) if name == "best" else name

    def build() -> Any:
        from sklearn.base import clone

        if estimator is not None:
            return clone(estimator)
        return build_model(resolved, target, data.wavelength, seed)

    evaluation = None
    if repeats > 0:
        evaluation = evaluate(
            build,
            data,
            model_name=resolved,
            folds=folds,
            repeats=repeats,
            seed=seed,
            n_jobs=n_jobs,
            on_fold=on_fold,
        )
    fitted = build()
    fitted.fit(data.X, data.y, **fit_kwargs(fitted, data.fine, data.error))
    model = TaxonomyModel(
        estimator=fitted,
        target=target,
        name=resolved,
        wavelength=np.asarray(data.wavelength, dtype=np.float64),
        ood=DistanceOOD().fit(data.X),
        threshold=DEFAULT_THRESHOLD,
    )
    model.card = model_card(model, data, evaluation, seed)
    return model, evaluation


def train_survey_model(
    target: str = "main-group",
    name: str = "best",
    *,
    data: CrossSurveyData | None = None,
    scheme: str = "gaia",
    seed: int = 0,
    copies: int = NOISE_COPIES,
    folds: int = 5,
    repeats: int = 0,
    on_fold: Any = None,
) -> tuple[TaxonomyModel, Evaluation | None]:
    """Train a model that classifies Gaia DR3 spectra, on all overlap asteroids.

    Parameters
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    name : str
        Model name of :mod:`~asteroid_spectra.models.registry` or ``"best"``
        (:data:`~asteroid_spectra.models.registry.SURVEY_BEST`).
    data : CrossSurveyData, optional
        Default: :func:`load_cross_survey` of `target`.
    scheme : {"gaia", "smass2", "multi"}
        Training scheme (:func:`training_set`).
    seed : int
        Seed of the model, the degraded copies and the evaluation.
    copies : int
        Degraded copies per training spectrum.
    folds, repeats : int
        If `repeats` > 0, also run :func:`cross_survey_evaluate`; its numbers go in the
        model card.
    on_fold : callable, optional
        Progress callback of that evaluation.

    Returns
    -------
    (TaxonomyModel, Evaluation or None)
        The model's grid is the scheme's Gaia bands; its OOD scorer is fitted on the
        training spectra including the degraded copies, so a faint spectrum is not
        out-of-distribution for being noisy alone.
    """
    from asteroid_spectra.models.registry import survey_best_model

    data = load_cross_survey(target) if data is None else data
    if data.target != target:
        raise AsteroidSpectraError(
            f"The cross-survey data are labelled for {data.target!r}, not {target!r}; load "
            f"them with load_cross_survey({target!r})."
        )
    resolved = survey_best_model(target) if name == "best" else name
    bands = bands_of(scheme)
    evaluation = None
    if repeats > 0:
        evaluation = cross_survey_evaluate(
            lambda: build_model(resolved, target, bands, seed),
            data,
            scheme=scheme,
            model_name=resolved,
            folds=folds,
            repeats=repeats,
            seed=seed,
            copies=copies,
            on_fold=on_fold,
        )
    X, y, fine = training_set(
        data, np.arange(len(data.y)), scheme, copies=copies, random_state=[seed, 2**31]
    )
    estimator = build_model(resolved, target, bands, seed)
    estimator.fit(X, y, **fit_kwargs(estimator, fine))
    model = TaxonomyModel(
        estimator=estimator,
        target=target,
        name=resolved,
        wavelength=bands,
        ood=DistanceOOD(max_samples=OOD_REFERENCE, random_state=seed).fit(X),
        threshold=DEFAULT_THRESHOLD,
    )
    trained_on = TargetData(
        target=target,
        X=X,
        y=y,
        fine=fine,
        wavelength=bands,
        objects=data.objects,
        excluded=pd.DataFrame(),
        excluded_X=np.empty((0, bands.size)),
    )
    card = model_card(model, trained_on, evaluation, seed)
    card["input"] = {
        "survey": "gaia-dr3",
        "bands_um": [round(float(b), 3) for b in bands],
        "flagged_bands": "repaired by linear interpolation (asteroid_spectra.spectra.bands)",
    }
    card["training_data"] = {
        "surveys": ["gaia-dr3"] if scheme == "gaia" else ["smass2", "gaia-dr3"],
        "scheme": scheme,
        "labels": "Bus classes of SMASSII (Bus & Binzel 2002), transferred by asteroid identity",
        "n_asteroids": len(data.y),
        "n_spectra": len(y),
        "noise_copies": copies,
        "files": [
            {"name": f.name, "sha256": f.sha256}
            for survey in ("smass2", "gaia-dr3")
            for f in collection(survey)
        ],
        "spectra_sha256": card["training_data"]["spectra_sha256"],
    }
    card["citation"] = (
        "Bus, S. J. & Binzel, R. P. (2002). Icarus 158, 146-177 (taxonomy, labels). "
        "Gaia Collaboration, Galluccio, L. et al. (2023). A&A 674, A35 (spectra)."
    )
    model.card = card
    return model, evaluation
