"""Learn from several surveys, classify Gaia DR3: cross-survey data, training sets, evaluation.

A model that is excellent inside SMASSII can be poor on another instrument: applied to the
Gaia DR3 spectra of the same asteroids, a SMASSII-trained SVM gets ~0.57 main-group
accuracy, because Gaia spectra are systematically redder beyond ~0.75 µm (median
Gaia/SMASSII ratio 1.02 at 0.77 µm, 1.085 at 0.90 µm). This module puts the surveys on one
footing and measures what survives the change of instrument:

* **identity**: the 1,323 labelled SMASSII asteroids that Gaia DR3 also observed (with a
  repairable spectrum; 1 more has too few good bands)
  (:func:`~asteroid_spectra.data.crossmatch.match_objects`) carry their Bus class to their
  Gaia spectrum;
* **bands**: SMASSII spectra are band-averaged onto the Gaia band centres (±22 nm, the
  half spacing); Gaia spectra keep the bands 0.418-0.946 µm with flagged values repaired
  (:mod:`asteroid_spectra.spectra.bands`);
* **systematics**: a per-band multiplicative correction, the median Gaia/SMASSII ratio of
  the overlap asteroids *of the training folds*, maps SMASSII spectra onto Gaia's scale;
* **noise**: training spectra are copied and degraded to the errors of random Gaia DR3
  catalogue spectra (:func:`~asteroid_spectra.spectra.perturb.degrade`), because the
  overlap asteroids are bright (median band error 0.009) and a typical catalogue one is not
  (0.046);
* **schemes** (:data:`SCHEMES`): ``smass2`` trains on SMASSII spectra only (corrected),
  ``gaia`` on Gaia spectra labelled through SMASSII, ``multi`` on both.

Evaluation (:func:`cross_survey_evaluate`) is a repeated stratified K-fold over
*asteroids*: every spectrum of a test asteroid, from any survey, is out of training. It
scores the Gaia spectra of the test asteroids as published, per bin of their median band
error, and again after degrading them to the catalogue's error distribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError, DataError
from asteroid_spectra.models.evaluation import Evaluation, ExtraTest, FoldData, evaluate
from asteroid_spectra.models.targets import MIN_CLASS_SIZE, TargetData, check_target, coarse_labels
from asteroid_spectra.spectra.bands import (
    GAIA_DR3_USED,
    SMASS2_OVERLAP,
    median_error,
    repair_bands,
)
from asteroid_spectra.spectra.perturb import degrade

__all__ = [
    "ERROR_BINS",
    "ERROR_BIN_LABELS",
    "SCHEMES",
    "CrossSurveyData",
    "bands_of",
    "cross_survey_evaluate",
    "error_bin",
    "load_cross_survey",
    "survey_correction",
    "training_set",
]

FloatArray = npt.NDArray[np.float64]

SCHEMES = ("gaia", "smass2", "multi")
"""Training schemes: Gaia spectra, SMASSII spectra (corrected), or both."""

ERROR_BINS = ((0.0, 0.01), (0.01, 0.03), (0.03, 0.06), (0.06, np.inf))
"""Bins of a spectrum's median band error (0.462-0.902 µm) used to report accuracy."""

ERROR_BIN_LABELS = tuple(
    f"<{hi:g}" if lo == 0 else (f">{lo:g}" if np.isinf(hi) else f"{lo:g}-{hi:g}")
    for lo, hi in ERROR_BINS
)
"""Labels of :data:`ERROR_BINS`: ``"<0.01"``, ``"0.01-0.03"``, ``"0.03-0.06"``, ``">0.06"``."""

NOISE_COPIES = 5
"""Degraded copies of each training spectrum (measured: 5 copies restore most of the loss)."""

OOD_REFERENCE = 2_000
"""Training spectra the catalogue model's OOD score compares with (a seeded subset)."""

TEST_DRAWS = 2
"""Degraded versions of each test spectrum scored in the catalogue-noise test."""


def bands_of(scheme: str) -> FloatArray:
    """Return the Gaia band centres (µm) a scheme's models use.

    ``gaia`` uses 0.418-0.946 µm (13 bands); schemes that train on SMASSII spectra use the
    11 bands SMASSII covers, 0.462-0.902 µm.
    """
    if scheme not in SCHEMES:
        raise AsteroidSpectraError(
            f"Unknown cross-survey training scheme {scheme!r}; expected one of "
            f"{', '.join(SCHEMES)}."
        )
    if scheme == "gaia":
        return GAIA_DR3_USED.copy()
    low, high = SMASS2_OVERLAP
    used = GAIA_DR3_USED
    return used[(used >= low) & (used <= high)].copy()


def error_bin(errors: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Label each median band error with its bin of :data:`ERROR_BINS` (``"0.01-0.03"``).

    Examples
    --------
    >>> error_bin([0.005, 0.02, 0.2]).tolist()
    ['<0.01', '0.01-0.03', '>0.06']
    """
    values = np.asarray(errors, dtype=np.float64)
    labels = np.empty(values.shape, dtype=object)
    for (lo, hi), label in zip(ERROR_BINS, ERROR_BIN_LABELS, strict=True):
        labels[(values >= lo) & (values < hi)] = label
    labels[~np.isfinite(values)] = "unknown"
    return labels


@dataclass(frozen=True, eq=False)
class CrossSurveyData:
    """Labelled asteroids seen by SMASSII and Gaia DR3, aligned row by row.

    Attributes
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    objects : DataFrame
        One row per overlap asteroid: SMASSII identity, Bus class, Gaia number.
    y, fine : ndarray of str, shape (n,)
        Labels of the target and Bus classes.
    gaia_reflectance, gaia_error : ndarray, shape (n, 16)
        Gaia DR3 spectra as published (all 16 bands; NaN where missing).
    gaia_flag : ndarray of int, shape (n, 16)
        Gaia DR3 flags.
    smass_reflectance : ndarray, shape (n, 16)
        The same asteroids' SMASSII spectra band-averaged onto the Gaia bands (NaN outside
        0.462-0.902 µm).
    extra_reflectance : ndarray, shape (k, 16)
        Labelled SMASSII asteroids Gaia did not observe, on the Gaia bands (training only).
    extra_y, extra_fine : ndarray of str, shape (k,)
        Their labels.
    pool_error, pool_flag : ndarray, shape (p, 16)
        Errors and flags of the Gaia DR3 catalogue spectra, to draw noise from.
    n_unrepairable : int
        Overlap asteroids left out because their Gaia spectrum has too few good bands.
    """

    target: str
    objects: pd.DataFrame
    y: npt.NDArray[np.object_]
    fine: npt.NDArray[np.object_]
    gaia_reflectance: FloatArray
    gaia_error: FloatArray
    gaia_flag: npt.NDArray[np.int8]
    smass_reflectance: FloatArray
    extra_reflectance: FloatArray
    extra_y: npt.NDArray[np.object_]
    extra_fine: npt.NDArray[np.object_]
    pool_error: FloatArray
    pool_flag: npt.NDArray[np.int8]
    n_unrepairable: int = 0

    @property
    def median_error(self) -> FloatArray:
        """Median Gaia band error (0.462-0.902 µm) of each overlap asteroid."""
        return median_error(self.gaia_error)

    def gaia_target(self, scheme: str = "gaia") -> TargetData:
        """Return the Gaia spectra of the overlap as :class:`TargetData` on a scheme's bands."""
        bands = bands_of(scheme)
        repaired = repair_bands(
            self.gaia_reflectance, self.gaia_flag, self.gaia_error, bands=bands, min_good=2
        )
        return TargetData(
            target=self.target,
            X=repaired.reflectance,
            y=self.y,
            fine=self.fine,
            wavelength=bands,
            objects=self.objects,
            excluded=pd.DataFrame(),
            excluded_X=np.empty((0, bands.size)),
            error=repaired.error,
        )


def load_cross_survey(target: str = "main-group", survey: str = "gaia-dr3") -> CrossSurveyData:
    """Load the labelled SMASSII asteroids that `survey` also observed.

    Parameters
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"`` (Bus classes with fewer than 5
        overlap asteroids are left out).
    survey : str
        The survey to classify; only ``"gaia-dr3"`` so far.

    Returns
    -------
    CrossSurveyData
    """
    from asteroid_spectra.data.crossmatch import match_objects
    from asteroid_spectra.spectra.preprocess import resample
    from asteroid_spectra.spectra.sets import load_spectra

    check_target(target)
    if survey != "gaia-dr3":
        raise AsteroidSpectraError(
            f"Cross-survey learning supports the survey 'gaia-dr3'; got {survey!r}."
        )
    smass = load_spectra("smass2").labelled()
    gaia = load_spectra("gaia-dr3")
    rows = match_objects(smass.objects, gaia.objects)
    grid = schema.GAIA_DR3_WAVELENGTH
    inside = (grid >= smass.wavelength[0]) & (grid <= smass.wavelength[-1])
    on_bands = np.full((len(smass), grid.size), np.nan)
    on_bands[:, inside] = resample(
        smass.wavelength, smass.reflectance, grid[inside], method="bands"
    ).reflectance
    bus = smass.objects[schema.BUS_CLASS].astype(str).to_numpy(dtype=object)
    keep = np.ones(len(smass), dtype=bool)
    if target == "bus":
        counts = pd.Series(bus[rows >= 0]).value_counts()
        keep = np.isin(bus, counts[counts >= MIN_CLASS_SIZE].index.to_numpy())
    if gaia.error is None or gaia.flag is None:
        raise DataError(
            "The Gaia DR3 table lacks its error or flag column; rebuild it with --refresh."
        )
    # Overlap asteroids whose Gaia spectrum has too few good bands to repair are left out.
    repairable = repair_bands(gaia.reflectance, gaia.flag).usable
    both = (rows >= 0) & keep & repairable[np.maximum(rows, 0)]
    extra = (rows < 0) & keep
    matched = rows[both]
    objects = smass.objects[both].reset_index(drop=True)
    objects["gaia_number"] = gaia.objects[schema.NUMBER].to_numpy()[matched]
    usable = np.all(np.isfinite(gaia.error[:, 1:14]), axis=1)
    return CrossSurveyData(
        target=target,
        objects=objects,
        y=coarse_labels(target, bus[both]),
        fine=bus[both],
        gaia_reflectance=np.asarray(gaia.reflectance[matched], dtype=np.float64),
        gaia_error=np.asarray(gaia.error[matched], dtype=np.float64),
        gaia_flag=np.asarray(gaia.flag[matched], dtype=np.int8),
        smass_reflectance=on_bands[both],
        extra_reflectance=on_bands[extra],
        extra_y=coarse_labels(target, bus[extra]),
        extra_fine=bus[extra],
        pool_error=np.asarray(gaia.error[usable], dtype=np.float64),
        pool_flag=np.asarray(gaia.flag[usable], dtype=np.int8),
        n_unrepairable=int(np.sum((rows >= 0) & keep & ~repairable[np.maximum(rows, 0)])),
    )


def survey_correction(gaia: FloatArray, smass: FloatArray) -> FloatArray:
    """Per-band multiplicative correction from SMASSII to Gaia: median Gaia/SMASSII ratio.

    Parameters
    ----------
    gaia, smass : ndarray, shape (n, m)
        Spectra of the same asteroids on the same bands (NaN ignored).

    Returns
    -------
    ndarray, shape (m,)
        Multiply SMASSII spectra by it (1 where no band pair is finite).

    Examples
    --------
    >>> survey_correction(np.array([[1.0, 1.1], [1.0, 1.3]]), np.ones((2, 2))).round(3).tolist()
    [1.0, 1.2]
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ratio = np.nanmedian(gaia / smass, axis=0)
    return np.where(np.isfinite(ratio), ratio, 1.0)


def _degraded(
    data: CrossSurveyData,
    reflectance: FloatArray,
    error: FloatArray,
    flag: npt.NDArray[np.int8],
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int8]]:
    """Degrade spectra to the errors (and flags) of random catalogue spectra."""
    draw = rng.integers(0, len(data.pool_error), len(reflectance))
    noisy, sigma = degrade(reflectance, error, data.pool_error[draw], rng)
    noisy[:, np.isclose(schema.GAIA_DR3_WAVELENGTH, schema.NORMALISATION_WAVELENGTH)] = 1.0
    flags = np.where(data.pool_flag[draw] != 0, data.pool_flag[draw], flag).astype(np.int8)
    return noisy, sigma, flags


def training_set(
    data: CrossSurveyData,
    train: npt.NDArray[np.intp],
    scheme: str = "gaia",
    *,
    copies: int = NOISE_COPIES,
    random_state: int | list[int] | np.random.Generator | None = 0,
) -> tuple[FloatArray, npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Build the training spectra of a scheme from the overlap asteroids `train`.

    Parameters
    ----------
    data : CrossSurveyData
        Overlap data.
    train : ndarray of int
        Rows of `data` (asteroids) to train on.
    scheme : {"gaia", "smass2", "multi"}
        ``gaia``: their Gaia spectra; ``smass2``: their SMASSII spectra and those of the
        SMASSII-only asteroids, corrected by :func:`survey_correction` fitted on `train`;
        ``multi``: both.
    copies : int
        Copies of each spectrum degraded to random catalogue errors (0: none).
    random_state : int, list of int, Generator or None
        Seed (or seed sequence entropy) of the degradation.

    Returns
    -------
    (X, y, fine)
        Spectra on :func:`bands_of` `scheme`, their labels and Bus classes.
    """
    bands = bands_of(scheme)
    rng = np.random.default_rng(random_state)
    parts: list[tuple[FloatArray, FloatArray, npt.NDArray[np.int8], Any, Any]] = []
    if scheme in ("gaia", "multi"):
        parts.append(
            (
                data.gaia_reflectance[train],
                data.gaia_error[train],
                data.gaia_flag[train],
                data.y[train],
                data.fine[train],
            )
        )
    if scheme in ("smass2", "multi"):
        correction = survey_correction(data.gaia_reflectance[train], data.smass_reflectance[train])
        smass = np.vstack([data.smass_reflectance[train], data.extra_reflectance]) * correction
        parts.append(
            (
                smass,
                np.zeros_like(smass),
                np.zeros(smass.shape, dtype=np.int8),
                np.concatenate([data.y[train], data.extra_y]),
                np.concatenate([data.fine[train], data.extra_fine]),
            )
        )
    X: list[FloatArray] = []
    y: list[Any] = []
    fine: list[Any] = []
    for reflectance, error, flag, labels, bus in parts:
        variants = [(reflectance, flag)]
        for _ in range(copies):
            noisy, _, noisy_flag = _degraded(data, reflectance, error, flag, rng)
            variants.append((noisy, noisy_flag))
        for values, flags in variants:
            repaired = repair_bands(values, flags, bands=bands)
            X.append(repaired.reflectance[repaired.usable])
            y.append(labels[repaired.usable])
            fine.append(bus[repaired.usable])
    return np.vstack(X), np.concatenate(y), np.concatenate(fine)


def _splits(
    data: CrossSurveyData, folds: int, repeats: int, seed: int
) -> list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """Split the asteroids by stratified K-fold, repeated with seeds seed, seed + 1, etc."""
    from sklearn.model_selection import StratifiedGroupKFold

    groups = data.objects[schema.OBJECT_ID].astype(str).to_numpy()
    splits = []
    for repeat in range(repeats):
        splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed + repeat)
        splits.extend(splitter.split(np.zeros(len(data.y)), data.y, groups))
    return splits


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
            noisy, sigma, flags = _degraded(
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
        splits=_splits(data, folds, repeats, seed),
        fold_data=fold_data,
        protocol=protocol,
    )
