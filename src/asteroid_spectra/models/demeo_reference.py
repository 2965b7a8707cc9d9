r"""The Bus-DeMeo classification method of DeMeo et al. (2009): its parts, reproduced.

:func:`~asteroid_spectra.models.demeo.classify_demeo_reference` runs them on spectra.

DeMeo et al. (2009, Sect. 3 and Appendix B) classify a vis-NIR spectrum on the 41-point
grid :data:`~asteroid_spectra.schema.DEMEO_WAVELENGTH` (0.45-2.45 µm, normalised to
unity at 0.55 µm) in three steps:

1. **Slope removal.** A straight line is fitted to the normalised spectrum over
   0.45-2.45 µm; its slope :math:`\gamma` (µm⁻¹) is the spectrum's *slope* and the
   spectrum is divided by the line translated to pass through unity at 0.55 µm,

   .. math:: r'(\lambda) = r(\lambda) / \left(1 + \gamma (\lambda - 0.55)\right).

   With the published slopes this division reproduces the published scores to their
   rounding (below); slopes refitted by least squares on the 41 grid points differ from
   the published ones by 0.004 µm⁻¹ (median; DeMeo fitted the original, denser spectra).
2. **Principal components.** The 40 points of :math:`r'` other than 0.55 µm (where it is
   1) are projected on the first five eigenvectors of DeMeo's principal-component
   analysis, :math:`s = E (r' - \bar r')`, the scores PC1'-PC5'. The paper does not list
   :math:`E` or :math:`\bar r'`: :func:`recover_basis` recovers them by least squares from
   the published scores of the 362 asteroids of ``scores.csv``.
3. **Decision rules.** The flow chart of Appendix B: boxes and lines in the planes of the
   scores and the slope (:data:`LINES`, :data:`RULES`), checked in order; the first that
   holds gives the class. A ``w`` is appended to S-complex, V and Q classes whose slope
   is at least 0.25 µm⁻¹ (Sect. 4: space weathering).

Where the flow chart asks for visual inspection (the 0.49-µm feature of Xe, the 0.7-µm
feature of Ch and Cgh, the 0.9-µm one of Xk, or A against D) a rule gives several
candidates; the one whose class template (:func:`reference_from_tables`, slope removed
likewise) correlates best with the spectrum is chosen, a deterministic stand-in for the
eye. The boundaries are those of Appendix B as implemented in the ``classy`` package
(Mahlke et al. 2022), read to understand the flow chart, with one correction: the V class
lies above the :math:`\delta` line (all 17 published V-types do), not above :math:`\gamma`,
which would leave the R region (349 Dembowska, between :math:`\gamma` and :math:`\delta`)
unreachable.

References
----------
DeMeo, F. E., Binzel, R. P., Slivan, S. M. & Bus, S. J. (2009). An extension of the Bus
asteroid taxonomy into the near-infrared. Icarus 202, 160-180 (Sect. 3: preparation and
PCA; Appendix B: classification flow chart).
Mahlke, M., Carry, B. & Mattei, P.-A. (2022). Asteroid taxonomy from cluster analysis of
spectrometry and albedo. A&A 665, A26 (the ``classy`` package).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.schema import DEMEO_WAVELENGTH, NORMALISATION_WAVELENGTH

__all__ = [
    "LINES",
    "RULES",
    "DeMeoReference",
    "PrincipalBasis",
    "Rule",
    "apply_rules",
    "recover_basis",
    "reference_from_tables",
    "remove_slope",
    "spectral_slope",
]

FloatArray = npt.NDArray[np.float64]
WEATHERING_SLOPE = 0.25
"""Slope (µm⁻¹) from which an S-complex, V or Q spectrum is weathered (``w``)."""
RIDGE = 1e-3
"""Ridge penalty of the eigenvector fit: the smallest cross-validated score residual."""
TOLERANCE = 1e-3
"""Score residual below which a published spectrum counts as the one DeMeo projected."""
_KEEP = np.abs(DEMEO_WAVELENGTH - NORMALISATION_WAVELENGTH) > 1e-9


def _grid(reflectance: npt.ArrayLike, name: str = "reflectance") -> FloatArray:
    values = np.atleast_2d(np.asarray(reflectance, dtype=np.float64))
    if values.ndim != 2 or values.shape[1] != len(DEMEO_WAVELENGTH):
        raise ParameterError(
            f"The {name!r} parameter must hold spectra on the 41-point Bus-DeMeo grid "
            f"(0.45-2.45 µm), shape (n, 41). Got shape {np.shape(reflectance)} instead."
        )
    if not np.isfinite(values).all() or (values <= 0).any():
        raise ParameterError(
            f"The {name!r} parameter must hold finite, positive reflectances. Got NaN, "
            "infinite or non-positive values instead; resample or clean the spectra first."
        )
    return values


def spectral_slope(reflectance: npt.ArrayLike) -> FloatArray:
    r"""Slope (µm⁻¹) of the least-squares line through each normalised spectrum.

    Parameters
    ----------
    reflectance : array_like, shape (n, 41)
        Spectra on :data:`~asteroid_spectra.schema.DEMEO_WAVELENGTH`; normalised to unity
        at 0.55 µm here first.

    Returns
    -------
    ndarray, shape (n,)
        :math:`\gamma = \sum (\lambda - \bar\lambda) r / \sum (\lambda - \bar\lambda)^2`.

    Examples
    --------
    >>> from asteroid_spectra.schema import DEMEO_WAVELENGTH as grid
    >>> spectral_slope(1 + 0.2 * (grid - 0.55)).round(6).tolist()
    [0.2]
    """
    values = _grid(reflectance)
    values = values / values[:, ~_KEEP]
    centred = DEMEO_WAVELENGTH - DEMEO_WAVELENGTH.mean()
    slope: FloatArray = values @ centred / (centred @ centred)
    return slope


def remove_slope(reflectance: npt.ArrayLike, slope: npt.ArrayLike | None = None) -> FloatArray:
    r"""Divide each spectrum by its line through unity at 0.55 µm.

    Parameters
    ----------
    reflectance : array_like, shape (n, 41)
        Spectra on the Bus-DeMeo grid (normalised to unity at 0.55 µm here first).
    slope : array_like, shape (n,), optional
        Slopes (µm⁻¹); default :func:`spectral_slope`.

    Returns
    -------
    ndarray, shape (n, 41)
        :math:`r / (1 + \gamma (\lambda - 0.55))`.
    """
    values = _grid(reflectance)
    values = values / values[:, ~_KEEP]
    gamma = spectral_slope(values) if slope is None else np.asarray(slope, dtype=np.float64)
    line = 1 + np.outer(np.atleast_1d(gamma), DEMEO_WAVELENGTH - NORMALISATION_WAVELENGTH)
    if line.shape[0] != len(values) or (line <= 0).any():
        raise ParameterError(
            "The 'slope' parameter of remove_slope must give one slope per spectrum whose "
            f"line stays positive over 0.45-2.45 µm. Got {np.size(gamma)} slopes (lines "
            f"from {line.min():.3g}) for {len(values)} spectra instead."
        )
    removed: FloatArray = values / line
    return removed


@dataclass(frozen=True)
class PrincipalBasis:
    r"""The eigenvectors and data mean scores are computed with: :math:`s = E(r' - \bar r')`.

    Attributes
    ----------
    eigenvectors : ndarray, shape (5, 40)
        :math:`E` on the grid without 0.55 µm.
    mean : ndarray, shape (40,)
        :math:`\bar r'`.
    """

    eigenvectors: FloatArray
    mean: FloatArray

    def scores(self, removed: npt.ArrayLike) -> FloatArray:
        """PC1'-PC5' of slope-removed spectra, shape (n, 41) -> (n, 5)."""
        values = _grid(removed, "removed")[:, _KEEP]
        out: FloatArray = (values - self.mean) @ self.eigenvectors.T
        return out


def recover_basis(
    removed: npt.ArrayLike,
    scores: npt.ArrayLike,
    *,
    ridge: float = RIDGE,
    tolerance: float = TOLERANCE,
    max_iter: int = 50,
) -> tuple[PrincipalBasis, npt.NDArray[np.bool_]]:
    r"""Recover :math:`E` and :math:`\bar r'` from spectra and their published scores.

    Solves the ridge least-squares problem
    :math:`\min_E \|(R' - \bar R') E^T - (S - \bar S)\|^2 + \rho \|E\|^2` on the spectra
    that reproduce their scores, trimmed iteratively (keep the rows whose largest score
    residual is below the 75th percentile or `tolerance`, refit, until stable): some
    published spectra are not the ones DeMeo projected. Then :math:`\bar r'` is the mean
    of those spectra moved along :math:`E` so that the mean score is reproduced.

    Parameters
    ----------
    removed : array_like, shape (n, 41)
        Slope-removed spectra (:func:`remove_slope` with the published slopes).
    scores : array_like, shape (n, k)
        Their published PC1'...PCk' scores.
    ridge : float
        :math:`\rho`; tames the directions of low variance, where rounded scores would
        otherwise give noisy eigenvectors.
    tolerance : float
        Score residual every kept spectrum may have at least.
    max_iter : int
        Trimming rounds at most.

    Returns
    -------
    basis : PrincipalBasis
    inliers : ndarray of bool, shape (n,)
        The spectra the basis was fitted on.

    Raises
    ------
    ParameterError
        If shapes disagree or there are fewer spectra than unknowns.
    """
    values = _grid(removed, "removed")[:, _KEEP]
    target = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    if target.shape[0] != len(values) or len(values) <= values.shape[1]:
        raise ParameterError(
            "The 'scores' parameter of recover_basis must have one row per spectrum, and "
            f"there must be more than {values.shape[1]} spectra. Got {target.shape[0]} "
            f"score rows for {len(values)} spectra instead."
        )
    rows = np.ones(len(values), dtype=bool)
    for _ in range(max_iter):
        mean_x, mean_s = values[rows].mean(axis=0), target[rows].mean(axis=0)
        centred = values[rows] - mean_x
        gram = centred.T @ centred + ridge * np.eye(values.shape[1])
        eigenvectors = np.linalg.solve(gram, centred.T @ (target[rows] - mean_s)).T
        residual = np.abs((values - mean_x) @ eigenvectors.T + mean_s - target).max(axis=1)
        kept = residual <= max(float(np.quantile(residual[rows], 0.75)), tolerance)
        if (kept == rows).all():
            break
        rows = kept
    shift = np.linalg.lstsq(eigenvectors, mean_s, rcond=None)[0]
    return PrincipalBasis(eigenvectors, mean_x - shift), rows


LINES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "alpha": (-3.0, -0.28),
        "beta": (-3.0, 0.35),
        "gamma": (-3.0, 1.0),
        "delta": (-3.0, 1.5),
        "theta": (-3.0, 0.7),
        "epsilon": (1 / 3, 0.55),
        "zeta": (1 / 3, -0.10),
        "eta": (1 / 3, -0.40),
    }
)
"""Boundary lines of the PC2'-PC1' plane (Appendix B): name -> (a, b), PC1' = a PC2' + b."""

Bounds = tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class Rule:
    """One outcome of the flow chart: where it holds and which classes it gives.

    Attributes
    ----------
    step : str
        Where it is in the flow chart (``"VISIR 2: V"``).
    classes : tuple of str
        The class, or the candidates when the flow chart asks for inspection.
    bounds : tuple of (variable, lo, hi)
        ``lo <= value < hi`` for ``slope``, ``pc1`` ... ``pc5`` or ``r045`` (the slope-removed
        reflectance at 0.45 µm).
    above, below : tuple of str
        :data:`LINES` the point lies on or above (PC1' >= a PC2' + b) / strictly below.
    weathered : bool
        Append ``w`` when the slope is at least 0.25 µm⁻¹.
    """

    step: str
    classes: tuple[str, ...]
    bounds: Bounds = ()
    above: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    weathered: bool = False

    def holds(self, values: Mapping[str, float]) -> bool:
        """Whether the point (``slope``, ``pc1`` ... ``pc5``, ``r045``) satisfies the rule."""
        pc1, pc2 = values["pc1"], values["pc2"]
        return (
            all(lo <= values[name] < hi for name, lo, hi in self.bounds)
            and all(pc1 >= LINES[n][0] * pc2 + LINES[n][1] for n in self.above)
            and all(pc1 < LINES[n][0] * pc2 + LINES[n][1] for n in self.below)
        )


_INF = np.inf
RULES: tuple[Rule, ...] = (
    Rule("VISIR 1: A", ("A",), (("pc1", -_INF, -0.3), ("pc3", 0.2, _INF), ("slope", 0.55, 1.5))),
    Rule("VISIR 1: Sa", ("Sa",), (("pc1", -_INF, -0.3), ("pc3", 0.2, _INF), ("slope", 0.4, 0.55))),
    Rule("VISIR 2: V", ("V",), above=("alpha", "delta"), weathered=True),
    Rule("VISIR 2: O", ("O",), above=("alpha", "theta"), below=("eta",)),
    Rule("VISIR 2: Q", ("Q",), above=("alpha",), below=("eta", "theta"), weathered=True),
    Rule("VISIR 2: R", ("R",), above=("alpha", "gamma")),
    Rule("VISIR 2: S", ("S",), above=("alpha", "zeta"), below=("beta",), weathered=True),
    Rule("VISIR 2: Sq", ("Sq",), above=("alpha", "eta"), below=("beta",), weathered=True),
    Rule("VISIR 2: Sr", ("Sr",), above=("beta", "eta"), below=("epsilon",), weathered=True),
    Rule("VISIR 2: Sv", ("Sv",), above=("beta", "epsilon"), weathered=True),
    Rule("VISIR 3: A/D", ("A", "D"), (("slope", 0.38, 1.5), ("pc1", -0.44, 0.4))),
    Rule(
        "VISIR 3: T",
        ("T",),
        (("slope", 0.25, 0.38), ("pc2", -0.28, -0.2), ("pc3", -0.2, -0.12)),
    ),
    Rule("VISIR 3: L/Xe", ("L", "Xe"), (("pc1", 0.07, 1.0), ("pc2", -0.5, -0.15))),
    Rule(
        "VISIR 3: K/Xe",
        ("K", "Xe"),
        (("pc3", -0.075, 0.14), ("pc2", -0.2, 0.1), ("pc1", -0.8, 0.1)),
    ),
    Rule("VISIR 4: B", ("B",), (("slope", -0.2, 0.0), ("pc1", -1.2, 0.0), ("pc4", -_INF, 0.0))),
    Rule("VISIR 4: C/X slope", ("Xk", "C", "X"), (("slope", 0.2, 0.38),)),
    Rule(
        "VISIR 4: Cgh/Xk",
        ("Cgh", "Xk"),
        (("pc4", 0.01, 0.14), ("pc1", -0.75, -0.27), ("r045", -_INF, 0.92)),
    ),
    Rule("VISIR 4: Ch/Xk/X", ("Ch", "Xk", "X"), (("pc4", 0.01, 0.14), ("pc1", -0.75, -0.27))),
    Rule("VISIR 4: Cb", ("Cb",), (("pc4", -0.04, 0.02), ("pc5", -0.07, -0.04))),
    Rule("VISIR 4: Ch/Xk/C", ("Ch", "Xk", "C"), (("pc1", -0.85, -0.45), ("pc5", -0.06, 0.02))),
    Rule("VISIR 4: Cgh/Xk/Cg", ("Cgh", "Xk", "Cg"), (("pc5", 0.02, 0.1), ("pc1", -0.6, -0.16))),
    Rule(
        "VISIR 4: Ch/Xe/Xk/Xc",
        ("Ch", "Xe", "Xk", "Xc"),
        (("pc1", -0.45, 0.1), ("pc5", -0.06, 0.05)),
    ),
    Rule("VISIR 4: L/Xe", ("L", "Xe"), (("pc1", -0.1, 0.3), ("pc2", -0.5, -0.2))),
)
"""The flow chart of DeMeo et al. (2009, Appendix B) in the order it is checked.

Step 1 separates the steep A and Sa types, step 2 the classes above the alpha line (V, O,
Q, R and the S complex, cut by the lines of :data:`LINES`), step 3 the end members of the
other side (D, T, L, K), step 4 the C and X complexes by PC1', PC4', PC5' and the slope."""


def apply_rules(values: Mapping[str, float]) -> tuple[str, tuple[str, ...]]:
    """Return the step and the candidate classes of the first rule that holds.

    Parameters
    ----------
    values : mapping
        ``slope`` (µm⁻¹), ``pc1`` ... ``pc5`` and ``r045``.

    Returns
    -------
    step : str
        The rule's step, or ``"indeterminate"``.
    classes : tuple of str
        The class (``w`` appended when weathered) or the candidates; empty if no rule holds.

    Examples
    --------
    >>> point = {"slope": 0.3, "pc1": 0.0, "pc2": 0.0, "pc3": 0.0, "pc4": 0.0, "pc5": 0.0,
    ...          "r045": 1.0}
    >>> apply_rules(point)
    ('VISIR 2: S', ('Sw',))
    """
    for rule in RULES:
        if rule.holds(values):
            weathered = rule.weathered and values["slope"] >= WEATHERING_SLOPE
            return rule.step, tuple(f"{c}w" if weathered else c for c in rule.classes)
    return "indeterminate", ()


@dataclass(frozen=True)
class DeMeoReference:
    """What the reference method needs: the principal basis and the class templates.

    Attributes
    ----------
    basis : PrincipalBasis
    templates : mapping of str to ndarray, shape (41,)
        Slope-removed mean spectrum of each class (for the candidates' correlation).
    """

    basis: PrincipalBasis
    templates: Mapping[str, FloatArray]

    def choose(self, candidates: Sequence[str], removed: FloatArray) -> str:
        """Return the candidate whose template correlates best with a slope-removed spectrum."""
        if len(candidates) <= 1:
            return candidates[0] if candidates else ""
        correlations = [
            np.corrcoef(removed, self.templates[c.removesuffix("w")])[0, 1] for c in candidates
        ]  # NaN for a flat spectrum: no candidate is preferred, the first is taken
        return candidates[int(np.argmax(np.nan_to_num(correlations, nan=-np.inf)))]


def reference_from_tables(
    spectra: npt.ArrayLike,
    slopes: npt.ArrayLike,
    scores: npt.ArrayLike,
    templates: Mapping[str, npt.ArrayLike],
) -> tuple[DeMeoReference, npt.NDArray[np.bool_]]:
    """Build the reference method from published spectra, slopes, scores and templates.

    Returns the method and the inlier mask of :func:`recover_basis`.
    """
    basis, inliers = recover_basis(remove_slope(spectra, slopes), scores)
    removed = {name: remove_slope(mean)[0] for name, mean in templates.items()}
    return DeMeoReference(basis, MappingProxyType(removed)), inliers
