"""Leave-one-survey-out evaluation: how a model meets an instrument it has never seen.

For a held-out survey, its labelled asteroids are split by a stratified K-fold grouped by
asteroid (repeated with seeds ``seed``, ``seed + 1``, …); each fold trains a fresh model
on the *other* surveys' spectra of the training asteroids only — no test asteroid is seen
through any survey — and scores the held-out survey's spectra of the test asteroids
(:func:`loso_evaluate`). The held-out survey is an unknown instrument: nothing of it is
used in training.

Instrument corrections (``correct``)
    ``"training"``: each training survey is mapped onto SMASSII's scale by its per-point
    median ratio to SMASSII over the asteroids both observed (training asteroids only,
    :func:`~asteroid_spectra.models.survey_sets.survey_correction`), the held-out survey
    is not (an unknown instrument); ``"all"``: the held-out survey too, every correction
    learnt from the training asteroids' spectra including the held-out survey's own (the
    known-instrument case, what a user's ``calibrate`` does; when SMASSII itself is held
    out, its training asteroids are the reference); ``"none"``: no correction.
Flags
    Each test spectrum's OOD score (:class:`~asteroid_spectra.models.uncertainty.DistanceOOD`
    fitted on the fold's training spectra) puts it in the stratum ``ood`` (score > 1) or
    ``typical``; the evaluation records the accuracy of each.

:func:`leave_surveys_out` holds out each survey in turn;
:func:`~asteroid_spectra.models.loso_summary.loso_summary` calibrates each on the others'
predictions and tabulates the results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.evaluation import Evaluation, FoldData, evaluate
from asteroid_spectra.models.splits import grouped_splits
from asteroid_spectra.models.survey_sets import survey_correction
from asteroid_spectra.models.targets import TargetData
from asteroid_spectra.spectra.survey_spectra import SurveySpectra, survey_spectra

__all__ = [
    "CORRECTIONS",
    "REFERENCE",
    "apply_corrections",
    "corrections",
    "leave_surveys_out",
    "loso_evaluate",
]

REFERENCE = "smass2"
"""The survey other surveys are corrected onto."""

CORRECTIONS = ("none", "training", "all")
"""Which surveys get an instrument correction (see the module notes)."""

MIN_OVERLAP = 10
"""Asteroids two surveys must share for a correction to be learnt (else none)."""

FloatArray = npt.NDArray[np.float64]


def corrections(
    data: SurveySpectra, rows: npt.ArrayLike, surveys: Sequence[str]
) -> dict[str, FloatArray]:
    """Per-point correction factors onto SMASSII's scale, learnt from `rows` only.

    For each survey, the median over asteroids it shares with SMASSII (both spectra among
    `rows`) of the ratio of its mean spectrum to SMASSII's; divide its spectra by it.
    Surveys sharing fewer than :data:`MIN_OVERLAP` asteroids get ones.

    Returns
    -------
    dict
        Survey → factors, shape (m,), on ``data.wavelength``.
    """
    index = np.asarray(rows, dtype=np.intp)
    frame = data.rows.iloc[index]
    means = (
        pd.DataFrame(data.X[index])
        .groupby([frame[schema.SURVEY].to_numpy(), frame[schema.OBJECT_ID].to_numpy()])
        .mean()
    )
    out: dict[str, FloatArray] = {}
    reference = means.loc[REFERENCE] if REFERENCE in means.index.get_level_values(0) else None
    for survey in surveys:
        factors = np.ones(data.wavelength.size)
        if (
            survey != REFERENCE
            and reference is not None
            and survey in means.index.get_level_values(0)
        ):
            own = means.loc[survey]
            shared = own.index.intersection(reference.index)
            if len(shared) >= MIN_OVERLAP:
                # survey_correction(a, b) is the median a/b: the factor taking b onto a.
                factors = survey_correction(
                    own.loc[shared].to_numpy(), reference.loc[shared].to_numpy()
                )
        out[survey] = factors
    return out


def apply_corrections(
    data: SurveySpectra, rows: npt.ArrayLike, factors: dict[str, FloatArray]
) -> FloatArray:
    """Return the spectra of `rows`, each divided by its survey's factors (:func:`corrections`)."""
    index = np.asarray(rows, dtype=np.intp)
    X = data.X[index].copy()
    surveys = data.rows[schema.SURVEY].to_numpy()[index]
    for survey, factor in factors.items():
        X[surveys == survey] /= factor
    return X


def loso_evaluate(
    build: Callable[[], Any],
    data: SurveySpectra,
    survey: str,
    *,
    correct: str = "training",
    own: bool = False,
    model_name: str = "model",
    folds: int = 5,
    repeats: int = 2,
    seed: int = 0,
    n_jobs: int = 1,
    on_fold: Callable[[int, int], None] | None = None,
) -> Evaluation:
    """Evaluate a main-group model on `survey` after training on the other surveys only.

    Parameters
    ----------
    build : callable
        Returns a fresh unfitted estimator for ``data.wavelength`` (main-group target;
        it gets the Bus-like classes as ``fine_labels`` where it takes them).
    data : SurveySpectra
        Labelled spectra of every survey
        (:func:`~asteroid_spectra.spectra.survey_spectra.survey_spectra`).
    survey : str
        The held-out survey.
    correct : {"none", "training", "all"}
        Instrument corrections (module notes).
    own : bool
        Also train on the held-out survey's spectra of the training asteroids: the grouped
        cross-validation of a multi-survey model on a survey it knows (not a
        leave-one-survey-out any more; ``correct`` then applies to it as to the others).
    model_name : str
        Name recorded in the results.
    folds, repeats, seed : int
        Stratified K-fold over the held-out survey's asteroids, grouped by asteroid.
    n_jobs : int
        Folds fitted in parallel.
    on_fold : callable, optional
        Progress callback ``on_fold(done, total)``.

    Returns
    -------
    Evaluation
        Per-fold scores with ``accuracy[ood]``/``accuracy[typical]``, and the held-out
        predictions (``predictions``) for calibration.

    Raises
    ------
    ParameterError
        If `survey` has no labelled spectra in `data`, or `correct` is unknown.
    """
    from asteroid_spectra.models.uncertainty import DistanceOOD

    if correct not in CORRECTIONS:
        raise ParameterError(
            f"The 'correct' parameter of loso_evaluate must be one of {', '.join(CORRECTIONS)}. "
            f"Got {correct!r} instead."
        )
    surveys = data.rows[schema.SURVEY].to_numpy()
    held = np.flatnonzero(surveys == survey)
    if held.size < folds:
        raise ParameterError(
            f"The survey {survey!r} has {held.size} labelled spectra on the grid; leaving it "
            f"out needs at least {folds}. Expected one of {', '.join(data.surveys)}."
        )
    objects = data.rows[schema.OBJECT_ID].to_numpy()
    y = data.rows["main_group"].to_numpy(dtype=object)
    fine = data.rows["fine"].to_numpy(dtype=object)
    others = sorted(set(surveys.tolist()) - {survey})

    def fold_data(fold: int, train: npt.NDArray[np.intp], test: npt.NDArray[np.intp]) -> FoldData:
        unseen = np.isin(objects, objects[held[test]])
        training = np.flatnonzero(((surveys != survey) | own) & ~unseen)
        factors: dict[str, FloatArray] = {}
        if correct == "training" or (correct == "all" and own):
            factors = corrections(data, training, [*others, survey] if own else others)
        elif correct == "all":  # the held-out survey's training asteroids calibrate it
            known = np.concatenate([training, held[train]])
            factors = corrections(data, known, [*others, survey])
        X_train = apply_corrections(data, training, factors)
        X_test = apply_corrections(data, held[test], factors if correct == "all" or own else {})
        ood = DistanceOOD(max_samples=2_000, random_state=seed).fit(X_train)
        flagged = ood.score_samples(X_test) > 1.0
        return FoldData(
            X_train=X_train,
            y_train=y[training],
            fine_train=fine[training],
            error_train=None,
            X_test=X_test,
            y_test=y[held[test]],
            strata=np.where(flagged, "ood", "typical").astype(object),
        )

    heldout = TargetData(
        target="main-group",
        X=data.X[held],
        y=y[held],
        fine=fine[held],
        wavelength=data.wavelength,
        objects=data.rows.iloc[held].reset_index(drop=True),
        excluded=pd.DataFrame(),
        excluded_X=np.empty((0, data.wavelength.size)),
    )
    protocol = {
        "survey": survey,
        "scheme": f"{'every survey' if own else 'the other surveys'} "
        f"({', '.join([*others, survey] if own else others)}), corrections: {correct}",
        "cv": f"stratified {folds}-fold over {survey} asteroids (grouped), {repeats} repeats, "
        f"seeds {seed}..{seed + repeats - 1}; trained on "
        f"{'every' if own else 'the other'} surveys' spectra of the training asteroids only",
        "span_um": [round(float(data.wavelength[0]), 3), round(float(data.wavelength[-1]), 3)],
        "n_asteroids": len(set(objects[held].tolist())),
        "label_sources": {
            str(k): int(v) for k, v in data.rows.iloc[held]["label_source"].value_counts().items()
        },
    }
    return evaluate(
        build,
        heldout,
        model_name=model_name,
        folds=folds,
        repeats=repeats,
        seed=seed,
        n_jobs=n_jobs,
        on_fold=on_fold,
        classify_excluded=False,
        splits=grouped_splits(objects[held], y[held], folds=folds, repeats=repeats, seed=seed),
        fold_data=fold_data,
        protocol=protocol,
    )


def leave_surveys_out(
    model: str = "best",
    data: SurveySpectra | None = None,
    surveys: Sequence[str] | None = None,
    *,
    correct: str = "training",
    own: bool = False,
    folds: int = 5,
    repeats: int = 2,
    seed: int = 0,
    n_jobs: int = 1,
    on_fold: Callable[[int, int], None] | None = None,
) -> dict[str, Evaluation]:
    """Run :func:`loso_evaluate` of the registry model `model` for each of `surveys`.

    Parameters
    ----------
    model : str
        A main-group model of :mod:`~asteroid_spectra.models.registry`.
    data : SurveySpectra, optional
        Default :func:`~asteroid_spectra.spectra.survey_spectra.survey_spectra` (the
        visible surveys on 0.52-0.88 µm).
    surveys : sequence of str, optional
        The surveys to hold out in turn (default all of `data`'s).
    correct, own, folds, repeats, seed, n_jobs
        As :func:`loso_evaluate`.
    on_fold : callable, optional
        Progress ``on_fold(done, total)`` over all surveys' folds.

    Returns
    -------
    dict
        Survey → Evaluation.
    """
    from asteroid_spectra.models.registry import best_model, build_model, check_model

    model = best_model("main-group") if model == "best" else check_model(model)
    data = survey_spectra() if data is None else data
    chosen = list(data.surveys if surveys is None else surveys)
    unknown = [s for s in chosen if s not in data.surveys]
    if unknown:
        raise ParameterError(
            f"No labelled spectra of {', '.join(unknown)} on the grid; expected some of "
            f"{', '.join(data.surveys)}."
        )
    total = len(chosen) * folds * repeats
    results = {}
    for position, survey in enumerate(chosen):

        def progress(done: int, _: int, offset: int = position * folds * repeats) -> None:
            if on_fold is not None:
                on_fold(offset + done, total)

        results[survey] = loso_evaluate(
            lambda: build_model(model, "main-group", data.wavelength, seed),
            data,
            survey,
            correct=correct,
            own=own,
            model_name=model,
            folds=folds,
            repeats=repeats,
            seed=seed,
            n_jobs=n_jobs,
            on_fold=progress,
        )
    return results
