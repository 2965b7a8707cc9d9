"""Bring a user's spectrum onto a model's grid: coverage, resampling, normalisation.

Visible spectra start anywhere from 0.44 to 0.50 µm and stop anywhere from 0.80 to
0.95 µm, with gaps (telluric bands, dichroic crossovers), dense (0.5 nm) or coarse
(44 nm, photometric colours) sampling. :func:`prepare` resamples a spectrum onto the
points of the SMASSII grid it covers — band-averaging when the spectrum is at least twice
as dense as the grid, a cubic spline otherwise — fills gaps of at most
:data:`MAX_GAP` by linear interpolation, keeps the covered stretch around the
normalisation wavelength, trims its ends to multiples of :data:`SPAN_STEP`, and normalises
it to unity at 0.55 µm (:func:`~asteroid_spectra.spectra.preprocess.normalise`). The
classifier then uses a model trained on exactly that stretch
(:mod:`asteroid_spectra.models.family`).

A spectrum must cover at least :data:`MIN_COVERAGE` (0.50-0.80 µm: the normalisation
point, the slope and the red side of the 1 µm band's onset) or it is refused with a
:class:`~asteroid_spectra.exceptions.CoverageError`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import CoverageError
from asteroid_spectra.schema import NORMALISATION_WAVELENGTH, SMASS2_WAVELENGTH
from asteroid_spectra.spectra.gaps import fill_gaps
from asteroid_spectra.spectra.preprocess import normalise, resample
from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = ["MAX_GAP", "MIN_COVERAGE", "SNAP", "SPAN_STEP", "Prepared", "prepare", "prepare_many"]

MIN_COVERAGE: tuple[float, float] = (0.50, 0.80)
"""Shortest wavelength range (µm) a spectrum must cover to be classified."""

MAX_GAP = 0.03
"""Widest gap (µm) inside a spectrum that is filled by interpolation; wider gaps cut."""

SNAP = 0.0025
"""A grid point this close (µm) beyond a spectrum's end still counts as covered."""

SPAN_STEP = 0.02
"""Spans start and stop on multiples of this (µm), so at most 28 sub-range models exist
(starts 0.44-0.50, stops 0.80-0.92); a spectrum gives up at most 0.01 µm at each end."""

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Prepared:
    """A spectrum on the covered part of a model grid.

    Attributes
    ----------
    reflectance : ndarray, shape (k,)
        Values on :attr:`wavelength`, unity at 0.55 µm.
    wavelength : ndarray, shape (k,)
        The grid points used (µm), a contiguous stretch of the full grid.
    notes : tuple of str
        What was done beyond resampling (gaps filled, coverage cut).
    """

    reflectance: FloatArray
    wavelength: FloatArray
    notes: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[float, float]:
        """First and last wavelength used (µm)."""
        return float(self.wavelength[0]), float(self.wavelength[-1])


def _missing(lo: float, hi: float, need: tuple[float, float]) -> str:
    parts = []
    if lo > need[0] + 1e-9:
        parts.append(f"{need[0]:.3f}-{lo:.3f} µm")
    if hi < need[1] - 1e-9:
        parts.append(f"{hi:.3f}-{need[1]:.3f} µm")
    return " and ".join(parts)


def _coverage_error(lo: float, hi: float, why: str) -> CoverageError:
    need = MIN_COVERAGE
    return CoverageError(
        f"The spectrum {why} {lo:.3f}-{hi:.3f} µm; classification needs at least "
        f"{need[0]:.2f}-{need[1]:.2f} µm (missing {_missing(lo, hi, need)}). Provide a "
        "spectrum covering that range (visible spectra usually span 0.45-0.92 µm)."
    )


def prepare(spectrum: Spectrum, grid: npt.ArrayLike = SMASS2_WAVELENGTH) -> Prepared:
    """Resample `spectrum` onto the points of `grid` it covers, normalised at 0.55 µm.

    Parameters
    ----------
    spectrum : Spectrum
        Any coverage and sampling; wavelengths in µm.
    grid : array_like, shape (m,)
        Full model grid (µm), containing 0.55 µm.

    Returns
    -------
    Prepared

    Raises
    ------
    CoverageError
        If the usable stretch does not include :data:`MIN_COVERAGE`.

    Examples
    --------
    >>> wavelength = np.linspace(0.47, 0.86, 300)
    >>> prepared = prepare(Spectrum(wavelength, 1 + 0.3 * (wavelength - 0.55)))
    >>> prepared.span  # ends on multiples of 0.02 µm
    (0.48, 0.86)
    >>> round(float(prepared.reflectance[prepared.wavelength == 0.55][0]), 6)
    1.0
    """
    values, covered, notes = prepare_many(spectrum.wavelength, spectrum.reflectance, grid)
    return Prepared(values[0], covered, notes)


def prepare_many(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    grid: npt.ArrayLike = SMASS2_WAVELENGTH,
) -> tuple[FloatArray, FloatArray, tuple[str, ...]]:
    """:func:`prepare` for spectra sharing one wavelength grid, in one vectorised pass.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Common wavelengths (µm), strictly increasing.
    reflectance : array_like, shape (m,) or (n, m)
        Finite, positive values.
    grid : array_like, shape (k,)
        Full model grid (µm), containing 0.55 µm.

    Returns
    -------
    values : ndarray, shape (n, j)
        The spectra on `covered`, unity at 0.55 µm.
    covered : ndarray, shape (j,)
        The grid points used.
    notes : tuple of str
        What was done beyond resampling (the same for every spectrum).

    Raises
    ------
    CoverageError
        If the usable stretch does not include :data:`MIN_COVERAGE`.
    """
    source = np.asarray(wavelength, dtype=np.float64)
    rows = np.atleast_2d(np.asarray(reflectance, dtype=np.float64))
    points = np.asarray(grid, dtype=np.float64)
    first, last = float(source[0]), float(source[-1])
    inside = (points >= first - SNAP) & (points <= last + SNAP)
    covered = points[inside]
    if covered.size < 2 or not (covered[0] <= MIN_COVERAGE[0] and covered[-1] >= MIN_COVERAGE[1]):
        raise _coverage_error(first, last, "covers")
    values = resample(source, rows, np.clip(covered, first, last), empty="nan").reflectance
    notes: list[str] = []
    # Empty bands depend on the wavelengths only: the same columns for every spectrum.
    finite = np.all(np.isfinite(values), axis=0)
    if not finite.all():
        values, covered, notes = _bridge(values, covered, finite)
    values, covered = _align(values, covered)
    if not (covered[0] <= MIN_COVERAGE[0] and covered[-1] >= MIN_COVERAGE[1]):
        raise _coverage_error(float(covered[0]), float(covered[-1]), "has usable data only in")
    normalised = normalise(covered, values, at=NORMALISATION_WAVELENGTH).reflectance
    return normalised, covered, tuple(notes)


def _align(values: FloatArray, covered: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Trim both ends to the nearest grid points on multiples of :data:`SPAN_STEP`."""
    steps = covered / SPAN_STEP
    aligned = np.flatnonzero(np.isclose(steps, np.round(steps), atol=1e-6))
    if aligned.size < 2:
        return values, covered
    keep = slice(aligned[0], aligned[-1] + 1)
    return values[:, keep], covered[keep]


def _bridge(
    values: FloatArray, covered: FloatArray, finite: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Fill narrow gaps by interpolation; cut at wide ones, keeping the part with 0.55 µm.

    `values` has shape (n, k); `finite` marks the columns with data in every row.
    """
    notes: list[str] = []
    keep = finite.copy()
    for left, right in itertools.pairwise(np.flatnonzero(finite)):
        if right - left <= 1:
            continue
        if covered[right] - covered[left] <= MAX_GAP + 1e-9:
            keep[left + 1 : right] = True
            notes.append(
                f"filled a gap at {covered[left]:.3f}-{covered[right]:.3f} µm by interpolation"
            )
    # The contiguous run of kept points around the normalisation wavelength.
    centre = int(np.argmin(np.abs(covered - NORMALISATION_WAVELENGTH)))
    if not keep[centre]:
        raise CoverageError(
            f"The spectrum has a gap wider than {MAX_GAP} µm around the normalisation "
            f"wavelength {NORMALISATION_WAVELENGTH} µm, so it cannot be normalised there. "
            "Provide a spectrum with data at 0.55 µm."
        )
    lo = centre
    while lo > 0 and keep[lo - 1]:
        lo -= 1
    hi = centre
    while hi < covered.size - 1 and keep[hi + 1]:
        hi += 1
    if lo > 0 or hi < covered.size - 1:
        notes.append(
            f"used only {covered[lo]:.2f}-{covered[hi]:.2f} µm: the spectrum has a gap wider "
            f"than {MAX_GAP} µm beyond it"
        )
    # Inside the run every missing point lies between two points with data: interpolation.
    run = slice(lo, hi + 1)
    return fill_gaps(covered[run], values[:, run], finite[run]), covered[run], notes
