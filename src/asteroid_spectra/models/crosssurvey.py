"""Cross-survey evaluation: repeated stratified K-fold over asteroids, scored on Gaia DR3.

:func:`cross_survey_evaluate` measures what survives the change of instrument. It splits
the overlap asteroids (:func:`~asteroid_spectra.models.survey_sets.load_cross_survey`)
by a stratified K-fold grouped by asteroid, so every spectrum of a test asteroid, from
any survey, is out of training; trains a fresh model on the scheme's training set of the
training asteroids (:func:`~asteroid_spectra.models.survey_sets.training_set`: Gaia or
corrected SMASSII spectra, with degraded copies); and scores the test asteroids' Gaia
spectra as published, per bin of their median band error
(:func:`~asteroid_spectra.spectra.bands.error_bin`), and again after degrading them to the
catalogue's error distribution.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.models.evaluation import Evaluation, ExtraTest, FoldData, evaluate
from asteroid_spectra.models.splits import grouped_splits
from asteroid_spectra.models.survey_sets import (
    NOISE_COPIES,
    CrossSurveyData,
    bands_of,
    degraded_copies,
    training_set,
)
from asteroid_spectra.spectra.bands import ERROR_BIN_LABELS, error_bin, median_error, repair_bands

__all__ = ["TEST_DRAWS", "cross_survey_evaluate"]

TEST_DRAWS = 2
"""Degraded versions of each test spectrum scored in the catalogue-noise test."""


def cross_survey_evaluate(
    build: Any,
    data: CrossSurveyData,
    *,
    scheme: str = "gaia",
    model_name: str = "model",
    folds: int = 5,
    repeats: int = 3,
    seed: int = 0,
    copies: int = NOISE_COPIES,
    n_jobs: int = 1,
    on_fold: Any = None,
) -> Evaluation:
    """Cross-validate a model trained by `scheme` on the Gaia spectra of the overlap.

    The asteroids are split by a stratified K-fold (``StratifiedGroupKFold`` grouped by
    asteroid, repeated with seeds ``seed``, ``seed + 1``, …); a fresh model is trained on
    :func:`training_set` of the training asteroids and scored on the test asteroids' Gaia
    spectra:

    * as published, overall and per bin of their median band error (``accuracy[<0.01]``…);
    * degraded to random catalogue errors (``TEST_DRAWS`` draws each), overall
      (``catalogue_noise_accuracy``…) and per bin of the degraded error, so that the bins
      are populated like the catalogue's.

    Parameters
    ----------
    build : callable
        Returns a fresh unfitted estimator for the scheme's bands.
    data : CrossSurveyData
        From :func:`load_cross_survey`.
    scheme : {"gaia", "smass2", "multi"}
        What to train on.
    model_name : str
        Name recorded in the results.
    folds, repeats, seed : int
        The splitting scheme.
    copies : int
        Degraded copies per training spectrum.
    n_jobs : int
        Folds fitted in parallel.
    on_fold : callable, optional
        Progress callback ``on_fold(done, total)``.

    Returns
    -------
    Evaluation
        Its summary has the keys of :func:`~asteroid_spectra.models.evaluation.evaluate`
        plus the per-bin and catalogue-noise scores and a ``protocol`` description.
    """
    bands = bands_of(scheme)
    gaia = data.gaia_target(scheme)
    bins = error_bin(data.median_error)

    def fold_data(fold: int, train: npt.NDArray[np.intp], test: npt.NDArray[np.intp]) -> FoldData:
        X, y, fine = training_set(data, train, scheme, copies=copies, random_state=[seed, fold])
        rng = np.random.default_rng([seed, fold, 1])
        noisy_X, noisy_y, noisy_bins = [], [], []
        for _ in range(TEST_DRAWS):
            noisy, sigma, flags = degraded_copies(
                data, data.gaia_reflectance[test], data.gaia_error[test], data.gaia_flag[test], rng
            )
            repaired = repair_bands(noisy, flags, bands=bands)
            usable = repaired.usable
            noisy_X.append(repaired.reflectance[usable])
            noisy_y.append(data.y[test][usable])
            noisy_bins.append(error_bin(median_error(sigma))[usable])
        return FoldData(
            X_train=X,
            y_train=y,
            fine_train=fine,
            error_train=None,
            X_test=gaia.X[test],
            y_test=gaia.y[test],
            strata=bins[test],
            extra_tests=(
                ExtraTest(
                    "catalogue_noise",
                    np.vstack(noisy_X),
                    np.concatenate(noisy_y),
                    np.concatenate(noisy_bins),
                ),
            ),
        )

    protocol = {
        "survey": "gaia-dr3",
        "scheme": scheme,
        "cv": f"stratified {folds}-fold over asteroids (grouped), {repeats} repeats, "
        f"seeds {seed}..{seed + repeats - 1}",
        "tested_on": "Gaia DR3 spectra of the test asteroids",
        "bands_um": [round(float(b), 3) for b in bands],
        "n_asteroids": len(data.y),
        "noise_copies": copies,
        "error_bins": list(ERROR_BIN_LABELS),
        "n_unrepairable": data.n_unrepairable,
        "n_per_bin": {str(k): int(v) for k, v in pd.Series(bins).value_counts().items()},
    }
    return evaluate(
        build,
        gaia,
        model_name=model_name,
        folds=folds,
        repeats=repeats,
        seed=seed,
        n_jobs=n_jobs,
        on_fold=on_fold,
        classify_excluded=False,
        splits=grouped_splits(
            data.objects[schema.OBJECT_ID], data.y, folds=folds, repeats=repeats, seed=seed
        ),
        fold_data=fold_data,
        protocol=protocol,
    )
