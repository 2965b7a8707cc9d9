"""Bring a user's spectrum onto a model's grid: coverage, resampling, normalisation.

Visible spectra start anywhere from 0.44 to 0.50 µm and stop anywhere from 0.80 to
0.95 µm, near-infrared ones cover 0.8-2.5 µm, with gaps (telluric bands, dichroic
crossovers), dense (0.5 nm) or coarse (44 nm, photometric colours) sampling. :func:`prepare`
resamples a spectrum onto the points of a model grid it covers — band-averaging when the
spectrum is at least twice as dense as the grid, a cubic spline otherwise — fills gaps of
at most the rule's ``max_gap`` by linear interpolation
(:func:`~asteroid_spectra.spectra.gaps.fill_gaps`), keeps the covered stretch around the
normalisation wavelength, trims its ends to multiples of the rule's ``span_step``, and
normalises it to unity there (:func:`~asteroid_spectra.spectra.preprocess.normalise`). The
classifier then uses a model trained on exactly that stretch
(:mod:`asteroid_spectra.models.family`).

What a taxonomy's models need is a :class:`CoverageRule`: :data:`VISIBLE` (the Bus
taxonomy on the SMASSII grid; at least :data:`MIN_COVERAGE`, 0.55-0.80 µm: the
normalisation point, the slope and the red side of the 1 µm band's onset; a spectrum
starting after :data:`FULL_START`, 0.50 µm, is classified with a note that its classes
are less certain), :data:`VIS_NIR`
(the Bus-DeMeo taxonomy on its 0.45-2.45 µm grid: both pyroxene bands, normalised at
0.55 µm or, for a near-infrared-only spectrum, at 1.2 µm) and :data:`ECAS` (the Tholen
taxonomy's eight filters, 0.337-1.041 µm). A spectrum that does not cover what a rule
needs is refused with a :class:`~asteroid_spectra.exceptions.CoverageError` naming the
missing range.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import CoverageError
from asteroid_spectra.schema import (
    DEMEO_WAVELENGTH,
    ECAS_WAVELENGTH,
    NORMALISATION_WAVELENGTH,
    SMASS2_WAVELENGTH,
)
from asteroid_spectra.spectra.gaps import fill_gaps
from asteroid_spectra.spectra.preprocess import normalise, resample
from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = [
    "ECAS",
    "FULL_START",
    "MAX_GAP",
    "MIN_COVERAGE",
    "SNAP",
    "SPAN_STEP",
    "VISIBLE",
    "VIS_NIR",
    "CoverageRule",
    "Prepared",
    "prepare",
    "prepare_many",
]

MIN_COVERAGE: tuple[float, float] = (0.55, 0.80)
"""Shortest wavelength range (µm) a visible spectrum must cover to be classified."""

FULL_START = 0.50
"""A visible spectrum starting after this (µm) lacks part of the blue slope that separates
C, X and S classes: it is classified by a model trained on its span, with a note."""

MAX_GAP = 0.03
"""Widest gap (µm) inside a visible spectrum that is filled by interpolation; wider gaps cut."""

SNAP = 0.0025
"""A grid point this close (µm) beyond a spectrum's end still counts as covered."""

SPAN_STEP = 0.02
"""Spans start and stop on multiples of this (µm), so at most 28 sub-range models exist
(starts 0.44-0.50, stops 0.80-0.92); a spectrum gives up at most 0.01 µm at each end."""


@dataclass(frozen=True)
class CoverageRule:
    """What a taxonomy's models need of a spectrum.

    Attributes
    ----------
    name : str
        What the rule is for, in messages (``"classification"``).
    grid : ndarray
        The full model grid (µm).
    min_coverage : (float, float)
        Shortest range (µm) a spectrum must cover.
    normalise_at : tuple of float
        Normalisation wavelengths (µm), in order of preference: the first one inside the
        covered stretch is used.
    max_gap : float
        Widest gap (µm) filled by interpolation; wider gaps cut the spectrum.
    span_step : float
        Spans start and stop on multiples of this (µm).
    snap : float
        A grid point this close (µm) beyond a spectrum's end still counts as covered.
    hint : str
        What spectra usually cover, for the error message.
    full_start : float, optional
        A spectrum starting after this (µm) is prepared with a note that its classes are
        less certain.
    """

    name: str
    grid: npt.NDArray[np.float64]
    min_coverage: tuple[float, float]
    normalise_at: tuple[float, ...] = (NORMALISATION_WAVELENGTH,)
    max_gap: float = MAX_GAP
    span_step: float = SPAN_STEP
    snap: float = SNAP
    hint: str = "visible spectra usually span 0.45-0.92 µm"
    full_start: float | None = None

    def on(self, grid: npt.ArrayLike) -> CoverageRule:
        """Return the same rule on another grid (e.g. a user's model's)."""
        return dataclasses.replace(self, grid=np.asarray(grid, dtype=np.float64))


VISIBLE = CoverageRule("classification", SMASS2_WAVELENGTH, MIN_COVERAGE, full_start=FULL_START)
"""The Bus taxonomy's models: the SMASSII grid, at least 0.55-0.80 µm (a note after 0.50)."""

VIS_NIR = CoverageRule(
    "Bus-DeMeo classification",
    DEMEO_WAVELENGTH,
    (0.85, 2.40),
    normalise_at=(NORMALISATION_WAVELENGTH, 1.2),
    max_gap=0.16,
    span_step=0.05,
    snap=0.01,
    hint="near-infrared spectra usually span 0.8-2.5 µm",
)
"""The Bus-DeMeo taxonomy's models: its 0.45-2.45 µm grid, at least 0.85-2.40 µm (both
pyroxene bands); gaps up to 0.16 µm (telluric bands at 1.4 and 1.9 µm) are bridged."""

ECAS = CoverageRule(
    "Tholen classification",
    ECAS_WAVELENGTH,
    (0.337, 1.041),
    max_gap=0.2,
    span_step=0.001,
    snap=0.005,
    hint="ECAS colours and visible-to-1-µm spectra span 0.34-1.04 µm",
)
"""The Tholen taxonomy's models: the eight ECAS filters, 0.337-1.041 µm."""

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


def _coverage_error(lo: float, hi: float, why: str, rule: CoverageRule) -> CoverageError:
    need = rule.min_coverage
    return CoverageError(
        f"The spectrum {why} {lo:.3f}-{hi:.3f} µm; {rule.name} needs at least "
        f"{need[0]:.2f}-{need[1]:.2f} µm (missing {_missing(lo, hi, need)}). Provide a "
        f"spectrum covering that range ({rule.hint})."
    )


def prepare(
    spectrum: Spectrum, grid: npt.ArrayLike | None = None, *, rule: CoverageRule = VISIBLE
) -> Prepared:
    """Resample `spectrum` onto the points of a model grid it covers, normalised.

    Parameters
    ----------
    spectrum : Spectrum
        Any coverage and sampling; wavelengths in µm.
    grid : array_like, shape (m,), optional
        Full model grid (µm); default the rule's.
    rule : CoverageRule
        What the models need (default :data:`VISIBLE`).

    Returns
    -------
    Prepared

    Raises
    ------
    CoverageError
        If the usable stretch does not include the rule's ``min_coverage``.

    Examples
    --------
    >>> wavelength = np.linspace(0.47, 0.86, 300)
    >>> prepared = prepare(Spectrum(wavelength, 1 + 0.3 * (wavelength - 0.55)))
    >>> prepared.span  # ends on multiples of 0.02 µm
    (0.48, 0.86)
    >>> round(float(prepared.reflectance[prepared.wavelength == 0.55][0]), 6)
    1.0
    """
    values, covered, notes = prepare_many(
        spectrum.wavelength, spectrum.reflectance, grid, rule=rule
    )
    return Prepared(values[0], covered, notes)


def prepare_many(
    wavelength: npt.ArrayLike,
    reflectance: npt.ArrayLike,
    grid: npt.ArrayLike | None = None,
    *,
    rule: CoverageRule = VISIBLE,
) -> tuple[FloatArray, FloatArray, tuple[str, ...]]:
    """:func:`prepare` for spectra sharing one wavelength grid, in one vectorised pass.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Common wavelengths (µm), strictly increasing.
    reflectance : array_like, shape (m,) or (n, m)
        Finite, positive values.
    grid : array_like, shape (k,), optional
        Full model grid (µm); default the rule's.
    rule : CoverageRule
        What the models need (default :data:`VISIBLE`).

    Returns
    -------
    values : ndarray, shape (n, j)
        The spectra on `covered`, unity at the normalisation wavelength.
    covered : ndarray, shape (j,)
        The grid points used.
    notes : tuple of str
        What was done beyond resampling (the same for every spectrum).

    Raises
    ------
    CoverageError
        If the usable stretch does not include the rule's ``min_coverage``.
    """
    source = np.asarray(wavelength, dtype=np.float64)
    rows = np.atleast_2d(np.asarray(reflectance, dtype=np.float64))
    points = np.asarray(rule.grid if grid is None else grid, dtype=np.float64)
    need = rule.min_coverage
    first, last = float(source[0]), float(source[-1])
    inside = (points >= first - rule.snap) & (points <= last + rule.snap)
    covered = points[inside]
    if covered.size < 2 or not (covered[0] <= need[0] + 1e-9 and covered[-1] >= need[1] - 1e-9):
        raise _coverage_error(first, last, "covers", rule)
    values = resample(source, rows, np.clip(covered, first, last), empty="nan").reflectance
    notes: list[str] = []
    at = _normalisation(covered, rule)
    # Empty bands depend on the wavelengths only: the same columns for every spectrum.
    finite = np.all(np.isfinite(values), axis=0)
    if not finite.all():
        values, covered, notes = _bridge(values, covered, finite, at, rule.max_gap)
    values, covered = _align(values, covered, rule.span_step, need)
    if not (covered[0] <= need[0] + 1e-9 and covered[-1] >= need[1] - 1e-9):
        raise _coverage_error(
            float(covered[0]), float(covered[-1]), "has usable data only in", rule
        )
    normalised = normalise(covered, values, at=at).reflectance
    if rule.full_start is not None and covered[0] > rule.full_start + 1e-9:
        notes.append(
            f"used from {covered[0]:.2f} µm: the spectrum starts after "
            f"{rule.full_start:.2f} µm, so part of the blue slope that separates C, X and S "
            "classes is missing and the classes are less certain"
        )
    if at != rule.normalise_at[0]:
        notes.append(
            f"normalised at {at:g} µm: the spectrum does not cover {rule.normalise_at[0]:g} µm"
        )
    return normalised, covered, tuple(notes)


def _normalisation(covered: FloatArray, rule: CoverageRule) -> float:
    """Return the first of the rule's normalisation wavelengths inside the stretch."""
    for at in rule.normalise_at:
        if covered[0] - 1e-9 <= at <= covered[-1] + 1e-9:
            return at
    return rule.normalise_at[0]  # the coverage check then names what is missing


def _align(
    values: FloatArray, covered: FloatArray, span_step: float, need: tuple[float, float]
) -> tuple[FloatArray, FloatArray]:
    """Trim both ends to the nearest grid points on multiples of `span_step`.

    An end is not trimmed past the range the rule needs (`need`): a spectrum starting at
    0.55 µm keeps 0.55 µm.
    """
    steps = covered / span_step
    aligned = np.flatnonzero(np.isclose(steps, np.round(steps), atol=1e-6))
    if aligned.size < 2:
        return values, covered
    first, last = int(aligned[0]), int(aligned[-1])
    if covered[first] > need[0] + 1e-9:
        first = 0
    if covered[last] < need[1] - 1e-9:
        last = covered.size - 1
    keep = slice(first, last + 1)
    return values[:, keep], covered[keep]


def _bridge(
    values: FloatArray,
    covered: FloatArray,
    finite: npt.NDArray[np.bool_],
    at: float,
    max_gap: float,
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Fill narrow gaps by interpolation; cut at wide ones, keeping the part with `at`.

    `values` has shape (n, k); `finite` marks the columns with data in every row; gaps up
    to `max_gap` (µm) are filled.
    """
    notes: list[str] = []
    keep = finite.copy()
    for left, right in itertools.pairwise(np.flatnonzero(finite)):
        if right - left <= 1:
            continue
        if covered[right] - covered[left] <= max_gap + 1e-9:
            keep[left + 1 : right] = True
            notes.append(
                f"filled a gap at {covered[left]:.3f}-{covered[right]:.3f} µm by interpolation"
            )
    # The contiguous run of kept points around the normalisation wavelength.
    centre = int(np.argmin(np.abs(covered - at)))
    if not keep[centre]:
        raise CoverageError(
            f"The spectrum has a gap wider than {max_gap:g} µm around the normalisation "
            f"wavelength {at:g} µm, so it cannot be normalised there. "
            f"Provide a spectrum with data at {at:g} µm."
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
            f"than {max_gap:g} µm beyond it"
        )
    # Inside the run every missing point lies between two points with data: interpolation.
    run = slice(lo, hi + 1)
    return fill_gaps(covered[run], values[:, run], finite[run]), covered[run], notes
