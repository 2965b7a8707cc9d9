"""Training sets for another survey's spectra: overlap labels, schemes, degraded copies.

A model that is excellent inside SMASSII can be poor on another instrument: applied to the
Gaia DR3 spectra of the same asteroids, a SMASSII-trained SVM gets ~0.57 main-group
accuracy, because Gaia spectra are systematically redder beyond ~0.75 µm (median
Gaia/SMASSII ratio 1.02 at 0.77 µm, 1.085 at 0.90 µm). This module builds what such a
model trains on, from the overlap asteroids of :mod:`asteroid_spectra.spectra.overlap`:

* **labels** (:func:`load_cross_survey`): the target's labels of the overlap asteroids,
  from their SMASSII Bus class (Bus classes with fewer than 5 overlap asteroids are left
  out for the ``bus`` target);
* **bands** (:func:`bands_of`): Gaia spectra keep the bands 0.418-0.946 µm with flagged
  values repaired (:mod:`asteroid_spectra.spectra.bands`); SMASSII spectra the 11 bands
  they cover;
* **systematics** (:func:`survey_correction`): a per-band multiplicative correction, the
  median Gaia/SMASSII ratio of the training asteroids, maps SMASSII spectra onto Gaia's
  scale;
* **noise** (:func:`degraded_copies`): training spectra are copied and degraded to the
  errors of random Gaia DR3 catalogue spectra, because the overlap asteroids are bright
  (median band error 0.009) and a typical catalogue one is not (0.046);
* **schemes** (:data:`SCHEMES`, :func:`training_set`): ``smass2`` trains on SMASSII
  spectra only (corrected), ``gaia`` on Gaia spectra labelled through SMASSII, ``multi``
  on both.

The grouped cross-validation over asteroids is :mod:`asteroid_spectra.models.crosssurvey`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.targets import MIN_CLASS_SIZE, TargetData, check_target, coarse_labels
from asteroid_spectra.spectra.bands import GAIA_DR3_USED, SMASS2_OVERLAP, median_error, repair_bands
from asteroid_spectra.spectra.perturb import degrade

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "NOISE_COPIES",
    "OOD_REFERENCE",
    "SCHEMES",
    "CrossSurveyData",
    "bands_of",
    "degraded_copies",
    "load_cross_survey",
    "survey_correction",
    "training_set",
]

FloatArray = npt.NDArray[np.float64]

SCHEMES = ("gaia", "smass2", "multi")
"""Training schemes: Gaia spectra, SMASSII spectra (corrected), or both."""

NOISE_COPIES = 5
"""Degraded copies of each training spectrum (measured: 5 copies restore most of the loss)."""

OOD_REFERENCE = 2_000
"""Training spectra the catalogue model's OOD score compares with (a seeded subset)."""


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


@dataclass(frozen=True, eq=False)
class CrossSurveyData:
    """Labelled asteroids seen by SMASSII and Gaia DR3, aligned row by row, for one target.

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
            excluded=_empty_frame(),
            excluded_X=np.empty((0, bands.size)),
            error=repaired.error,
        )


def load_cross_survey(target: str = "main-group", survey: str = "gaia-dr3") -> CrossSurveyData:
    """Load the labelled SMASSII asteroids that `survey` also observed, labelled for `target`.

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
    from asteroid_spectra.spectra.overlap import check_survey, load_overlap

    check_target(target)
    check_survey(survey)
    overlap = load_overlap(survey)
    keep = np.ones(len(overlap.fine), dtype=bool)
    keep_extra = np.ones(len(overlap.extra_fine), dtype=bool)
    keep_unrepairable = np.ones(len(overlap.unrepairable_fine), dtype=bool)
    if target == "bus":
        classes, counts = np.unique(
            np.concatenate([overlap.fine, overlap.unrepairable_fine]).astype(str),
            return_counts=True,
        )
        common = classes[counts >= MIN_CLASS_SIZE]
        keep = np.isin(overlap.fine.astype(str), common)
        keep_extra = np.isin(overlap.extra_fine.astype(str), common)
        keep_unrepairable = np.isin(overlap.unrepairable_fine.astype(str), common)
    fine, extra_fine = overlap.fine[keep], overlap.extra_fine[keep_extra]
    return CrossSurveyData(
        target=target,
        objects=overlap.objects[keep].reset_index(drop=True),
        y=coarse_labels(target, fine),
        fine=fine,
        gaia_reflectance=overlap.gaia_reflectance[keep],
        gaia_error=overlap.gaia_error[keep],
        gaia_flag=overlap.gaia_flag[keep],
        smass_reflectance=overlap.smass_reflectance[keep],
        extra_reflectance=overlap.extra_reflectance[keep_extra],
        extra_y=coarse_labels(target, extra_fine),
        extra_fine=extra_fine,
        pool_error=overlap.pool_error,
        pool_flag=overlap.pool_flag,
        n_unrepairable=int(keep_unrepairable.sum()),
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


def degraded_copies(
    data: CrossSurveyData,
    reflectance: FloatArray,
    error: FloatArray,
    flag: npt.NDArray[np.int8],
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int8]]:
    """Degrade spectra to the errors (and flags) of random catalogue spectra.

    Each spectrum gets the errors and flags of a random spectrum of the noise pool
    (:func:`~asteroid_spectra.spectra.perturb.degrade`); the value at 0.55 µm stays 1.

    Returns
    -------
    (reflectance, error, flag)
        The degraded spectra, their new errors and the combined flags.
    """
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
            noisy, _, noisy_flag = degraded_copies(data, reflectance, error, flag, rng)
            variants.append((noisy, noisy_flag))
        for values, flags in variants:
            repaired = repair_bands(values, flags, bands=bands)
            X.append(repaired.reflectance[repaired.usable])
            y.append(labels[repaired.usable])
            fine.append(bus[repaired.usable])
    return np.vstack(X), np.concatenate(y), np.concatenate(fine)


def _empty_frame() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame()
