"""Models by name: cross-validate them, train them, for SMASSII or another survey's spectra.

The one path from a model name to numbers or to a trained model, which the CLI
(``evaluate``, ``train``), the default models and the study report all call:

* :func:`evaluate_named`: resolve ``best``, build the model for each fold, run the
  repeated stratified cross-validation on SMASSII (:func:`~.evaluation.evaluate`);
* :func:`cross_survey_evaluate_named`: the same on another survey's spectra of the
  SMASSII asteroids, grouped by asteroid (:func:`~.crosssurvey.cross_survey_evaluate`);
* :func:`train_model`: optionally one of those, then fit on every labelled spectrum (or on
  the survey's training set with degraded copies), fit the OOD scorer and write the card.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.evaluation import Evaluation, evaluate
from asteroid_spectra.models.fit_params import fit_kwargs
from asteroid_spectra.models.registry import (
    best_model,
    build_model,
    check_model,
    survey_best_model,
)
from asteroid_spectra.models.splits import Splits
from asteroid_spectra.models.survey_sets import (
    NOISE_COPIES,
    OOD_REFERENCE,
    CrossSurveyData,
    bands_of,
    load_cross_survey,
    training_set,
)
from asteroid_spectra.models.targets import TargetData, check_target, smass2_target, taxonomy_of
from asteroid_spectra.models.uncertainty import DEFAULT_THRESHOLD, DistanceOOD

__all__ = [
    "cross_survey_evaluate_named",
    "evaluate_named",
    "resolve_model",
    "taxonomy_data",
    "train_model",
]

Progress = Callable[[int, int], None]


def resolve_model(name: str, target: str, survey: str | None = None) -> str:
    """Return the registry name `name` stands for (``best``: the recommended one).

    Raises
    ------
    AsteroidSpectraError
        If the target or the model is unknown (checked before any data is read).
    """
    check_target(target)
    if name == "best":
        return survey_best_model(target) if survey is not None else best_model(target)
    check_model(name)
    return name


def _builder(
    name: str,
    target: str,
    wavelength: Any,
    seed: int,
    estimator: Any = None,
    params: Mapping[str, Any] | None = None,
) -> Callable[[], Any]:
    """Return a function building a fresh, unfitted model for one fold or the final fit.

    `estimator` (e.g. a tuned search) is cloned instead of building `name`; `params` are
    set on the model where it has them (e.g. ``max_epochs`` of a network).
    """

    def build() -> Any:
        if estimator is not None:
            from sklearn.base import clone

            model = clone(estimator)
        else:
            model = build_model(name, target, wavelength, seed)
        if params:
            own = model.get_params()
            model.set_params(**{k: v for k, v in params.items() if k in own})
        return model

    return build


def evaluate_named(
    target: str,
    model: str = "best",
    *,
    data: TargetData | None = None,
    folds: int = 5,
    repeats: int = 5,
    seed: int = 0,
    n_jobs: int = 1,
    on_fold: Progress | None = None,
    estimator: Any = None,
    params: Mapping[str, Any] | None = None,
    splits: Splits | None = None,
) -> Evaluation:
    """Cross-validate the model called `model` on SMASSII (or on `data`).

    Parameters
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    model : str
        Name of :mod:`~asteroid_spectra.models.registry` or ``"best"``.
    data : TargetData, optional
        Default :func:`taxonomy_data` of `target` (SMASSII for the Bus targets).
    folds, repeats, seed : int
        The repeated stratified K-fold (``seed`` also seeds the models).
    n_jobs : int
        Folds fitted in parallel.
    on_fold : callable, optional
        Progress callback ``on_fold(done, total)``.
    estimator : estimator, optional
        An unfitted estimator to clone for each fold instead of building `model`.
    params : Mapping, optional
        Parameters set on each fold's model where it has them.
    splits : list of (train, test) index arrays, optional
        Use these ``folds * repeats`` splits of `data` instead of the repeated stratified
        K-fold (e.g. grouped by asteroid, :func:`~.splits.grouped_splits`).

    Returns
    -------
    Evaluation
    """
    resolved = resolve_model(model, target)
    data = taxonomy_data(target) if data is None else data
    return evaluate(
        _builder(resolved, target, data.wavelength, seed, estimator, params),
        data,
        model_name=resolved,
        folds=folds,
        repeats=repeats,
        seed=seed,
        n_jobs=n_jobs,
        on_fold=on_fold,
        splits=splits,
    )


def cross_survey_evaluate_named(
    target: str,
    model: str = "best",
    *,
    data: CrossSurveyData | None = None,
    survey: str = "gaia-dr3",
    scheme: str = "gaia",
    copies: int = NOISE_COPIES,
    folds: int = 5,
    repeats: int = 3,
    seed: int = 0,
    n_jobs: int = 1,
    on_fold: Progress | None = None,
) -> Evaluation:
    """Cross-validate the model called `model` on `survey`'s spectra of the SMASSII asteroids.

    Parameters are those of :func:`evaluate_named`, and: `data` (default
    :func:`~.survey_sets.load_cross_survey` of `target`), `survey` (``"gaia-dr3"``),
    `scheme` (what to train on: ``gaia``, ``smass2`` or ``multi``) and `copies` (degraded
    copies per training spectrum). ``best`` is the recommended model for the survey.

    Returns
    -------
    Evaluation
        With per-bin and catalogue-noise scores (:func:`~.crosssurvey.cross_survey_evaluate`).
    """
    from asteroid_spectra.models.crosssurvey import cross_survey_evaluate

    resolved = resolve_model(model, target, survey)
    bands = bands_of(scheme)
    data = load_cross_survey(target, survey) if data is None else data
    return cross_survey_evaluate(
        _builder(resolved, target, bands, seed),
        data,
        scheme=scheme,
        model_name=resolved,
        folds=folds,
        repeats=repeats,
        seed=seed,
        copies=copies,
        n_jobs=n_jobs,
        on_fold=on_fold,
    )


def taxonomy_data(target: str, span: tuple[float, float] | None = None) -> TargetData:
    """Return the labelled spectra a taxonomy's default models of `target` learn from.

    Bus targets: SMASSII (:func:`~.targets.smass2_target`); ``demeo``: the Bus-DeMeo
    spectra (:func:`~.demeo.demeo_target`); ``tholen``: the ECAS colours of the Tholen
    asteroids (:func:`~.tholen.tholen_target`); restricted to `span` (µm) if given.
    """
    taxonomy = taxonomy_of(target)
    if taxonomy == "demeo":
        from asteroid_spectra.models.demeo import demeo_target

        return demeo_target(target, span=span)
    if taxonomy == "tholen":
        from asteroid_spectra.models.tholen import tholen_target

        data = tholen_target(target)
    else:
        data = smass2_target(target)
    return data if span is None else data.crop(*span)


def _check_labels(data: TargetData | CrossSurveyData, target: str) -> None:
    if data.target != target:
        kind = "training data" if isinstance(data, TargetData) else "cross-survey data"
        raise AsteroidSpectraError(
            f"The {kind} are labelled for {data.target!r}, not {target!r}; build them for "
            f"{target!r} (target_data or load_cross_survey)."
        )


def train_model(
    target: str,
    name: str = "best",
    *,
    seed: int = 0,
    data: TargetData | CrossSurveyData | None = None,
    span: tuple[float, float] | None = None,
    survey: str | None = None,
    scheme: str = "gaia",
    copies: int = NOISE_COPIES,
    folds: int = 5,
    repeats: int = 0,
    n_jobs: int = 1,
    estimator: Any = None,
    on_fold: Progress | None = None,
    splits: Splits | None = None,
) -> tuple[TaxonomyModel, Evaluation | None]:
    """Fit model `name` for `target` on every labelled spectrum and describe it in a card.

    Parameters
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    name : str
        Model name of :mod:`~asteroid_spectra.models.registry` or ``"best"``.
    seed : int
        Seed of the model (and of the evaluation splits and the degraded copies).
    data : TargetData or CrossSurveyData, optional
        Training data: SMASSII spectra (default :func:`~.targets.smass2_target`, from the
        cache, mirror or network, with band-averaged 1-sigma errors), or, with `survey`,
        the overlap asteroids (default :func:`~.survey_sets.load_cross_survey`).
    span : (float, float), optional
        Train on the grid points in this range (µm) only (SMASSII data).
    survey : str, optional
        ``"gaia-dr3"``: train a model for that survey's spectra on the overlap asteroids
        (its grid is the scheme's Gaia bands).
    scheme, copies : str, int
        With `survey`: the training scheme and degraded copies per training spectrum.
    folds, repeats : int
        If `repeats` > 0, first run the repeated cross-validation whose numbers go in the
        card (:func:`evaluate_named` or :func:`cross_survey_evaluate_named`).
    n_jobs : int
        Parallel folds of that evaluation.
    estimator : estimator, optional
        Use this unfitted estimator instead of building `name` (e.g. a tuned search).
    on_fold : callable, optional
        Progress callback of the evaluation.
    splits : list of (train, test) index arrays, optional
        Splits of that evaluation (without `survey`; see :func:`evaluate_named`).

    Returns
    -------
    (TaxonomyModel, Evaluation or None)
    """
    from asteroid_spectra.models.cards import model_card

    resolved = resolve_model(name, target, survey)
    overlap: CrossSurveyData | None = None
    if survey is None:
        if data is None:
            data = taxonomy_data(target, span)
        elif span is not None and isinstance(data, TargetData):
            data = data.crop(*span)
        if not isinstance(data, TargetData):
            raise AsteroidSpectraError(
                "Without a survey, train_model takes TargetData (e.g. SMASSII spectra); pass "
                "survey='gaia-dr3' to train on cross-survey data."
            )
        _check_labels(data, target)
        evaluation = None
        if repeats > 0:
            evaluation = evaluate_named(
                target,
                resolved,
                data=data,
                folds=folds,
                repeats=repeats,
                seed=seed,
                n_jobs=n_jobs,
                on_fold=on_fold,
                estimator=estimator,
                splits=splits,
            )
        trained_on, ood = data, DistanceOOD()
    else:
        given = load_cross_survey(target, survey) if data is None else data
        if not isinstance(given, CrossSurveyData):
            raise AsteroidSpectraError(
                f"With survey={survey!r}, train_model takes CrossSurveyData "
                "(load_cross_survey); got SMASSII TargetData."
            )
        overlap = given
        _check_labels(overlap, target)
        evaluation = None
        if repeats > 0:
            evaluation = cross_survey_evaluate_named(
                target,
                resolved,
                data=overlap,
                survey=survey,
                scheme=scheme,
                copies=copies,
                folds=folds,
                repeats=repeats,
                seed=seed,
                on_fold=on_fold,
            )
        trained_on = _survey_training_data(overlap, scheme, copies, seed)
        # Fitted on the degraded copies too: a faint spectrum is not out of distribution
        # for being noisy alone.
        ood = DistanceOOD(max_samples=OOD_REFERENCE, random_state=seed)
    fitted = _builder(resolved, target, trained_on.wavelength, seed, estimator)()
    fitted.fit(trained_on.X, trained_on.y, **fit_kwargs(fitted, trained_on.fine, trained_on.error))
    model = TaxonomyModel(
        fitted, target, resolved, trained_on.wavelength, ood.fit(trained_on.X), DEFAULT_THRESHOLD
    )
    model.card = model_card(model, trained_on, evaluation, seed)
    if survey is not None and overlap is not None:
        model.card |= _survey_card(model.card, overlap, survey, scheme, copies, len(trained_on.y))
    return model, evaluation


def _survey_training_data(data: CrossSurveyData, scheme: str, copies: int, seed: int) -> TargetData:
    """Return the scheme's training set of every overlap asteroid, as TargetData."""
    import pandas as pd

    bands = bands_of(scheme)
    X, y, fine = training_set(
        data, np.arange(len(data.y)), scheme, copies=copies, random_state=[seed, 2**31]
    )
    return TargetData(
        target=data.target,
        X=X,
        y=y,
        fine=fine,
        wavelength=bands,
        objects=data.objects,
        excluded=pd.DataFrame(),
        excluded_X=np.empty((0, bands.size)),
    )


def _survey_card(
    card: dict[str, Any],
    data: CrossSurveyData,
    survey: str,
    scheme: str,
    copies: int,
    n_spectra: int,
) -> dict[str, Any]:
    """Return the card sections of a model for another survey's spectra."""
    from asteroid_spectra.data.registry import collection

    bands = bands_of(scheme)
    return {
        "input": {
            "survey": survey,
            "bands_um": [round(float(b), 3) for b in bands],
            "flagged_bands": "repaired by linear interpolation (asteroid_spectra.spectra.bands)",
        },
        "training_data": {
            "surveys": [survey] if scheme == "gaia" else ["smass2", survey],
            "scheme": scheme,
            "labels": "Bus classes of SMASSII (Bus & Binzel 2002), transferred by asteroid "
            "identity",
            "n_asteroids": len(data.y),
            "n_spectra": n_spectra,
            "noise_copies": copies,
            "files": [
                {"name": f.name, "sha256": f.sha256}
                for name in ("smass2", survey)
                for f in collection(name)
            ],
            "spectra_sha256": card["training_data"]["spectra_sha256"],
        },
        "citation": "Bus, S. J. & Binzel, R. P. (2002). Icarus 158, 146-177 (taxonomy, labels). "
        "Gaia Collaboration, Galluccio, L. et al. (2023). A&A 674, A35 (spectra).",
    }
