"""Asteroids seen by two surveys: SMASSII's labelled spectra beside their Gaia DR3 spectra.

Labels travel to another survey by asteroid identity
(:func:`~asteroid_spectra.data.crossmatch.match_objects`: number, else provisional
designation). :func:`load_overlap` assembles, row by row, the labelled SMASSII asteroids
that Gaia DR3 also observed with a repairable spectrum (1,323 of the 1,339; 1 more has
too few good bands): their Gaia spectra as published (reflectance, error, flag on the 16
bands), their SMASSII spectra band-averaged onto the Gaia band centres (±22 nm, the half
spacing; NaN outside 0.462-0.902 µm), the labelled SMASSII asteroids Gaia did not observe
(for training only), and the errors and flags of every Gaia DR3 catalogue spectrum (the
noise pool of degraded copies, :func:`~asteroid_spectra.spectra.perturb.degrade`).

References
----------
Bus, S. J. & Binzel, R. P. (2002). Icarus 158, 146-177 (labels). Gaia Collaboration,
Galluccio, L. et al. (2023). A&A 674, A35 (spectra).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError, DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OVERLAP_SURVEYS", "SurveyOverlap", "load_overlap"]

FloatArray = npt.NDArray[np.float64]

OVERLAP_SURVEYS = ("gaia-dr3",)
"""Surveys whose spectra can be matched to the labelled SMASSII asteroids."""


@dataclass(frozen=True, eq=False)
class SurveyOverlap:
    """Labelled SMASSII asteroids and their spectra in another survey, aligned row by row.

    Attributes
    ----------
    survey : str
        The other survey (``"gaia-dr3"``).
    objects : DataFrame
        One row per overlap asteroid: SMASSII identity, Bus class, ``gaia_number``.
    fine : ndarray of str, shape (n,)
        Their Bus classes.
    gaia_reflectance, gaia_error : ndarray, shape (n, 16)
        Their Gaia DR3 spectra as published (NaN where missing).
    gaia_flag : ndarray of int, shape (n, 16)
        Gaia DR3 flags.
    smass_reflectance : ndarray, shape (n, 16)
        Their SMASSII spectra band-averaged onto the Gaia bands (NaN outside SMASSII).
    extra_reflectance : ndarray, shape (k, 16)
        Labelled SMASSII asteroids Gaia did not observe, on the Gaia bands.
    extra_fine : ndarray of str, shape (k,)
        Their Bus classes.
    pool_error, pool_flag : ndarray, shape (p, 16)
        Errors and flags of the Gaia DR3 catalogue spectra, to draw noise from.
    unrepairable_fine : ndarray of str
        Bus classes of the overlap asteroids left out because their Gaia spectrum has too
        few good bands.
    """

    survey: str
    objects: pd.DataFrame
    fine: npt.NDArray[np.object_]
    gaia_reflectance: FloatArray
    gaia_error: FloatArray
    gaia_flag: npt.NDArray[np.int8]
    smass_reflectance: FloatArray
    extra_reflectance: FloatArray
    extra_fine: npt.NDArray[np.object_]
    pool_error: FloatArray
    pool_flag: npt.NDArray[np.int8]
    unrepairable_fine: npt.NDArray[np.object_]


def check_survey(survey: str) -> None:
    """Raise unless `survey` is one of :data:`OVERLAP_SURVEYS` (before any file is read)."""
    if survey not in OVERLAP_SURVEYS:
        raise AsteroidSpectraError(
            f"Cross-survey learning supports the survey 'gaia-dr3'; got {survey!r}."
        )


def load_overlap(survey: str = "gaia-dr3") -> SurveyOverlap:
    """Load the labelled SMASSII asteroids that `survey` also observed.

    Parameters
    ----------
    survey : str
        The survey to match; only ``"gaia-dr3"`` so far.

    Returns
    -------
    SurveyOverlap

    Raises
    ------
    AsteroidSpectraError
        If `survey` is not supported.
    DataError
        If the Gaia DR3 table lacks its errors or flags.
    """
    from asteroid_spectra.data.crossmatch import match_objects
    from asteroid_spectra.spectra.bands import repair_bands
    from asteroid_spectra.spectra.preprocess import resample
    from asteroid_spectra.spectra.sets import load_spectra

    check_survey(survey)
    smass = load_spectra("smass2").labelled()
    gaia = load_spectra("gaia-dr3")
    if gaia.error is None or gaia.flag is None:
        raise DataError(
            "The Gaia DR3 table lacks its error or flag column; rebuild it with --refresh."
        )
    rows = match_objects(smass.objects, gaia.objects)
    grid = schema.GAIA_DR3_WAVELENGTH
    inside = (grid >= smass.wavelength[0]) & (grid <= smass.wavelength[-1])
    on_bands = np.full((len(smass), grid.size), np.nan)
    on_bands[:, inside] = resample(
        smass.wavelength, smass.reflectance, grid[inside], method="bands"
    ).reflectance
    bus = smass.objects[schema.BUS_CLASS].astype(str).to_numpy(dtype=object)
    # Overlap asteroids whose Gaia spectrum has too few good bands to repair are left out.
    repairable = repair_bands(gaia.reflectance, gaia.flag).usable[np.maximum(rows, 0)]
    both = (rows >= 0) & repairable
    matched = rows[both]
    objects = smass.objects[both].reset_index(drop=True)
    objects["gaia_number"] = gaia.objects[schema.NUMBER].to_numpy()[matched]
    usable = np.all(np.isfinite(gaia.error[:, 1:14]), axis=1)
    return SurveyOverlap(
        survey=survey,
        objects=objects,
        fine=bus[both],
        gaia_reflectance=np.asarray(gaia.reflectance[matched], dtype=np.float64),
        gaia_error=np.asarray(gaia.error[matched], dtype=np.float64),
        gaia_flag=np.asarray(gaia.flag[matched], dtype=np.int8),
        smass_reflectance=on_bands[both],
        extra_reflectance=on_bands[rows < 0],
        extra_fine=bus[rows < 0],
        pool_error=np.asarray(gaia.error[usable], dtype=np.float64),
        pool_flag=np.asarray(gaia.flag[usable], dtype=np.int8),
        unrepairable_fine=bus[(rows >= 0) & ~repairable],
    )
