r"""Tholen (1984) classes from the eight ECAS colours: labels, training data, PC scores.

Tholen (1984) classified 405 asteroids of the Eight-Color Asteroid Survey (ECAS; Zellner,
Tholen & Tedesco 1985) by a minimal-tree cluster analysis of their seven colours, and
split the neutral, featureless cluster into E, M and P by albedo. A Tholen model learns
from the ECAS reflectance (eight filters, :data:`~asteroid_spectra.schema.ECAS_WAVELENGTH`,
unity at 0.55 µm) of the 404 asteroids of the archived list, labelled by a *rule*
(:func:`tholen_label`):

``primary`` (default: the "exact class")
    The first letter of the published class, its most likely membership (``"CX"`` → C,
    ``"XFU"`` → X), with E, M and P merged into X, Tholen's own class for "E, M or P
    without an albedo" (Tholen 1989): colours cannot tell them apart. U is a flag.
``unambiguous``
    As ``primary``, without the 30 asteroids whose class has several letters.
``typical``
    As ``unambiguous``, also without the U-flagged ones (39 left out in all).
``albedo``
    The first letter as published (E, M, P kept), for comparison.

Spectra missing any of the eight filters are left out (models need all eight), so are
asteroids without an ECAS spectrum and classes with fewer than ``min_class_size``
members (A, Q, R and V by default); :attr:`TargetData.excluded
<asteroid_spectra.models.targets.TargetData>` gives each a ``reason``. All 404 listed
asteroids have the eight filters: the 54 incomplete ECAS spectra are of asteroids
Tholen did not classify. Under repeated CV (5 × 5, seed 0) the recommended model
(``svm-tholen``) gets 0.939 ± 0.019 of the ``primary`` classes right, 0.969 ± 0.015
of the unambiguous ones (``benchmarks/taxonomies.py``).

Tholen's principal components are those of the correlation matrix of the seven colours
:math:`c_j` (s−v, u−v, b−v, v−w, v−x, v−p, v−z; mag) over his sample, with means
:math:`\mu_j`, standard deviations :math:`\sigma_j` and eigenvectors :math:`V`:

.. math:: \mathrm{PC}_k = \sum_j \frac{c_j - \mu_j}{\sigma_j}\, V_{jk}, \qquad
          c_j = 2.5\, s_j \left(\log_{10} R_j - \log_{10} R_v\right),

:math:`s_j = -1` for s, u, b and :math:`+1` for w, x, p, z (inverting
:func:`~asteroid_spectra.data.sources.ecas.colour_reflectance`). :data:`COLOUR_MEAN`,
:data:`COLOUR_SCALE` and :data:`LOADINGS` were recovered by least squares from the 404
published scores (an affine function of the colours to their printed precision, rms
3e-4): the map is orthonormal to 5e-4 once each colour is scaled (V is stored
orthonormalised), and the eigenvalues of the colours' correlation matrix, 4.747, 1.867,
0.180, 0.118, 0.044, 0.032, 0.010, are the variances of the published scores.

References
----------
Tholen, D. J. (1984). Asteroid taxonomy from cluster analysis of photometry. PhD thesis,
University of Arizona.
Tholen, D. J. (1989). Asteroid taxonomic classifications. In Asteroids II, 1139-1150.
Tholen, D. J. & Barucci, M. A. (1989). Asteroid taxonomy. In Asteroids II, 298-315.
Zellner, B., Tholen, D. J. & Tedesco, E. F. (1985). Icarus 61, 355-416.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra import schema
from asteroid_spectra.data.sources.tholen1984 import parse_tholen_class
from asteroid_spectra.exceptions import ParameterError, SpectrumError
from asteroid_spectra.models.targets import TargetData, coarse_labels

__all__ = [
    "COLOUR_MEAN",
    "COLOUR_SCALE",
    "LABEL_RULES",
    "LOADINGS",
    "MIN_CLASS_SIZE",
    "TholenScores",
    "ecas_colours",
    "ecas_matrix",
    "tholen_label",
    "tholen_scores",
    "tholen_target",
    "tholen_target_data",
]

FloatArray = npt.NDArray[np.float64]

LABEL_RULES = ("primary", "unambiguous", "typical", "albedo")
"""How a published Tholen class becomes a training label (:func:`tholen_label`)."""

MIN_CLASS_SIZE = 5
"""Classes with fewer spectra are left out of training and reported (5-fold CV needs 5)."""

TARGETS = ("tholen", "main-group", "x-vs-rest")
"""Targets :func:`tholen_target` builds: the classes, their main groups, X against the rest."""

ALBEDO_CLASSES = {"E": "X", "M": "X", "P": "X"}
"""Classes only the albedo separates, and their colour-only class (Tholen 1989)."""

COLOUR_SIGN = np.array([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0])
"""Sign of each colour (s−v, u−v, b−v, v−w, v−x, v−p, v−z) in terms of reflectance."""

COLOUR_MEAN = np.array([0.3251, 0.23413, 0.08931, 0.09119, 0.1048, 0.10253, 0.11099])
"""Mean of each colour (mag) over Tholen's sample, :math:`\\mu_j`."""

COLOUR_SCALE = np.array([0.22124, 0.17304, 0.09209, 0.08063, 0.09134, 0.10362, 0.11967])
"""Standard deviation of each colour (mag) over Tholen's sample, :math:`\\sigma_j`."""

LOADINGS = np.array(
    [
        [0.34611, -0.4633, 0.23163, -0.20666, 0.44203, -0.30332, 0.53085],
        [0.37326, -0.41552, 0.20649, -0.10283, 0.04346, -0.03897, -0.79461],
        [0.4146, -0.28944, 0.02757, 0.02746, -0.7069, 0.39763, 0.29156],
        [0.43282, -0.00027, -0.62196, 0.58611, 0.09376, -0.2707, -0.01562],
        [0.39944, 0.32012, -0.29019, -0.39907, 0.39817, 0.57954, -0.01018],
        [0.33624, 0.47477, -0.00176, -0.45999, -0.34693, -0.57366, -0.02209],
        [0.33023, 0.44836, 0.6572, 0.48124, 0.12382, 0.10066, 0.031],
    ]
)
"""Eigenvectors :math:`V` (rows: colours; columns: PC1-PC7) of the colours' correlations."""

for _constant in (COLOUR_SIGN, COLOUR_MEAN, COLOUR_SCALE, LOADINGS):
    _constant.flags.writeable = False

_V = 3  # column of the v filter (0.55 µm) in schema.ECAS_WAVELENGTH
_COLOURED = np.delete(np.arange(len(schema.ECAS_WAVELENGTH)), _V)


def tholen_label(published: str, rule: str = "primary") -> str | None:
    """Return the training label of a published Tholen class under `rule`, or None.

    Parameters
    ----------
    published : str
        The class as Tholen (1984) published it: ``"S"``, ``"CX"``, ``"XFU"``, ``"M"``.
    rule : {"primary", "unambiguous", "typical", "albedo"}
        See the module docstring. Letters are read after merging E, M, P into X (except
        for ``albedo``), so ``"PX"`` would be one class, X.

    Returns
    -------
    str or None
        One class letter; None when the rule leaves the asteroid out.

    Raises
    ------
    ParameterError, ParseError
        If `rule` is unknown; if `published` is not Tholen notation.

    Examples
    --------
    >>> [tholen_label(c) for c in ("S", "CX", "XFU", "M", "PC")]
    ['S', 'C', 'X', 'X', 'X']
    >>> tholen_label("CX", "unambiguous"), tholen_label("SU", "typical")
    (None, None)
    >>> tholen_label("M", "albedo")
    'M'
    """
    if rule not in LABEL_RULES:
        raise ParameterError(
            f"The 'rule' parameter of tholen_label must be one of {', '.join(LABEL_RULES)}. "
            f"Got {rule!r} instead."
        )
    parsed = parse_tholen_class(published)
    if rule == "albedo":
        return parsed.primary
    letters = tuple(dict.fromkeys(ALBEDO_CLASSES.get(c, c) for c in parsed.classes))
    if rule != "primary" and len(letters) > 1:
        return None
    if rule == "typical" and parsed.unusual:
        return None
    return letters[0]


def ecas_matrix(spectra: pd.DataFrame) -> tuple[pd.DataFrame, FloatArray, FloatArray]:
    """Turn the long ECAS ``spectra`` table into one row of eight filters per asteroid.

    Parameters
    ----------
    spectra : DataFrame
        ``load_table("ecas", "spectra")``: identity columns, ``wavelength`` (µm, the ECAS
        filters), ``reflectance``, ``error``.

    Returns
    -------
    objects : DataFrame
        One row per asteroid (ECAS order): identity columns and ``n_filters``.
    reflectance, error : ndarray, shape (n, 8)
        On :data:`~asteroid_spectra.schema.ECAS_WAVELENGTH`; NaN where not measured.

    Raises
    ------
    SpectrumError
        If a wavelength is not an ECAS filter or an asteroid has a filter twice.
    """
    grid = np.asarray(schema.ECAS_WAVELENGTH)
    wavelength = spectra[schema.WAVELENGTH].to_numpy(np.float64)
    column = np.abs(wavelength[:, None] - grid).argmin(axis=1)
    off = np.abs(wavelength - grid[column]) > 5e-4
    if off.any():
        raise SpectrumError(
            f"Expected ECAS filters ({', '.join(f'{w:g}' for w in grid)} µm), got a sample "
            f"at {wavelength[off][0]:g} µm. Give the ECAS spectra table (load_table('ecas', "
            "'spectra'))."
        )
    row, ids = pd.factorize(spectra[schema.OBJECT_ID].astype(str))  # in order of appearance
    if len(np.unique(row * len(grid) + column)) != len(row):
        raise SpectrumError("Expected each ECAS filter once per asteroid; got one twice.")
    reflectance, error = np.full((2, len(ids), len(grid)), np.nan)
    reflectance[row, column] = spectra[schema.REFLECTANCE].to_numpy(np.float64)
    error[row, column] = spectra[schema.ERROR].to_numpy(np.float64)
    objects = spectra.drop_duplicates(schema.OBJECT_ID)[list(schema.IDENTITY_COLUMNS)]
    objects = objects.reset_index(drop=True).assign(n_filters=np.isfinite(reflectance).sum(1))
    return objects, reflectance, error


def tholen_target_data(
    spectra: pd.DataFrame,
    classes: pd.DataFrame,
    target: str = "tholen",
    *,
    rule: str = "primary",
    min_class_size: int = MIN_CLASS_SIZE,
) -> TargetData:
    """Label the ECAS spectra of the Tholen-classified asteroids for `target`.

    Parameters
    ----------
    spectra : DataFrame
        The long ECAS ``spectra`` table (:func:`ecas_matrix`).
    classes : DataFrame
        ``load_table("tholen1984", "classes")``: ``object_id``, ``tholen_class`` and the
        parsed columns, ``pc1``-``pc7``.
    target : {"tholen", "main-group", "x-vs-rest"}
        The classes of `rule`, or their main groups / X against the rest
        (:func:`~asteroid_spectra.schema.taxonomy_main_group`).
    rule : str
        Label rule, one of :data:`LABEL_RULES` (:func:`tholen_label`).
    min_class_size : int
        Labels of `target` with fewer spectra are left out (in ``excluded``).

    Returns
    -------
    TargetData
        ``X`` and ``error`` of shape (n, 8) on the ECAS filters; ``fine`` holds the
        rule's class of each spectrum; ``objects`` and ``excluded`` the identity, the
        published class and its parsed parts, ``tholen_label``, ``pc1``-``pc7``,
        ``n_filters`` and (``excluded``) the ``reason`` each was left out.

    Raises
    ------
    ParameterError
        If the target, the rule or `min_class_size` is invalid.
    """
    if target not in TARGETS:
        raise ParameterError(
            f"The 'target' parameter of tholen_target must be one of {', '.join(TARGETS)}. "
            f"Got {target!r} instead."
        )
    integer = isinstance(min_class_size, int | np.integer) and not isinstance(min_class_size, bool)
    if not integer or min_class_size < 1:
        raise ParameterError(
            "The 'min_class_size' parameter of tholen_target must be an int >= 1. "
            f"Got {min_class_size!r} instead."
        )
    objects, reflectance, error = ecas_matrix(spectra)
    labels = pd.Series(
        [tholen_label(str(c), rule) for c in classes[schema.THOLEN_CLASS]],
        index=classes.index,
        dtype=object,
    )
    table = classes.drop(columns=schema.SURVEY, errors="ignore").assign(tholen_label=labels)
    table = table.merge(objects[[schema.OBJECT_ID, "n_filters"]], on=schema.OBJECT_ID, how="left")
    row = pd.Series(np.arange(len(objects)), index=objects[schema.OBJECT_ID].astype(str))
    where = table[schema.OBJECT_ID].astype(str).map(row)
    table["n_filters"] = table["n_filters"].fillna(0).astype(int)
    reason = pd.Series("", index=table.index, dtype=object)
    reason[table["n_filters"] < len(schema.ECAS_WAVELENGTH)] = "missing ECAS filters"
    reason[where.isna()] = "no ECAS spectrum"
    reason[(reason == "") & table["tholen_label"].isna()] = f"left out by the {rule!r} rule"
    valid = reason == ""
    fine = table["tholen_label"].astype(object)
    y = pd.Series(None, index=table.index, dtype=object)
    y[valid] = coarse_labels(target, fine[valid].to_numpy(), "tholen")
    counts = y[valid].value_counts()
    rare = valid & y.isin(counts.index[counts < min_class_size])
    reason[rare] = f"class with fewer than {min_class_size} spectra"
    keep = (reason == "").to_numpy()
    rows_of = where.fillna(-1).astype(int).to_numpy()
    blank = np.full((1, len(schema.ECAS_WAVELENGTH)), np.nan)
    padded_x, padded_error = np.vstack([reflectance, blank]), np.vstack([error, blank])
    excluded = table[~keep].assign(reason=reason[~keep]).reset_index(drop=True)
    return TargetData(
        target=target,
        X=padded_x[rows_of[keep]],
        y=y[keep].to_numpy(dtype=object),
        fine=fine[keep].to_numpy(dtype=object),
        wavelength=np.array(schema.ECAS_WAVELENGTH),
        objects=table[keep].reset_index(drop=True),
        excluded=excluded,
        excluded_X=padded_x[rows_of[~keep]],
        error=padded_error[rows_of[keep]],
    )


def tholen_target(
    target: str = "tholen", *, rule: str = "primary", min_class_size: int = MIN_CLASS_SIZE
) -> TargetData:
    """Return the ECAS spectra of the Tholen (1984) asteroids labelled for `target`.

    Reads ``load_table("ecas", "spectra")`` and ``load_table("tholen1984", "classes")``
    (mirror or download, cached) and labels them with :func:`tholen_target_data`. With
    the defaults: 397 spectra in 8 classes (S 147, C 102, X 85, D 25, F 18, B 9, G 6,
    T 5); A (4), Q, R and V (1 each) are in ``excluded``.

    Examples
    --------
    >>> data = tholen_target()  # doctest: +SKIP
    >>> data.X.shape, data.classes  # doctest: +SKIP
    ((397, 8), ('B', 'C', 'F', 'G', 'S', 'X', 'D', 'T'))
    """
    from asteroid_spectra.data.datasets import load_table

    spectra, classes = load_table("ecas", "spectra"), load_table("tholen1984", "classes")
    return tholen_target_data(spectra, classes, target, rule=rule, min_class_size=min_class_size)


def _positive(reflectance: Any, where: str) -> FloatArray:
    values = np.asarray(reflectance, dtype=np.float64)
    if values.shape[-1:] != (len(schema.ECAS_WAVELENGTH),):
        raise SpectrumError(
            f"{where} needs reflectance on the 8 ECAS filters (last axis); got shape "
            f"{values.shape}. Resample the spectra onto schema.ECAS_WAVELENGTH first."
        )
    if bad := int((~((values > 0) & np.isfinite(values))).sum()):
        raise SpectrumError(
            f"{where} needs positive, finite reflectance in all eight ECAS filters; got "
            f"{bad} other values. Leave out spectra with missing filters."
        )
    return values


def ecas_colours(reflectance: npt.ArrayLike) -> FloatArray:
    r"""Return the colours s−v … v−z (mag, shape (..., 7)) of reflectance, shape (..., 8).

    :math:`c_j = 2.5\, s_j (\log_{10} R_j - \log_{10} R_v)`, the inverse of
    :func:`~asteroid_spectra.data.sources.ecas.colour_reflectance` (any normalisation).

    Examples
    --------
    >>> from asteroid_spectra.data.sources.ecas import colour_reflectance
    >>> ecas_colours(colour_reflectance([0.43, 0.263, 0.047, 0.0, -0.005, -0.022, -0.031]))
    array([ 0.43 ,  0.263,  0.047,  0.   , -0.005, -0.022, -0.031])
    """
    log = np.log10(_positive(reflectance, "ecas_colours"))
    colours: FloatArray = 2.5 * COLOUR_SIGN * (log[..., _COLOURED] - log[..., _V : _V + 1])
    return colours


def tholen_scores(reflectance: npt.ArrayLike) -> FloatArray:
    r"""Return Tholen's (1984) seven principal-component scores of ECAS reflectance.

    :math:`\mathrm{PC}_k = \sum_j (c_j - \mu_j) V_{jk} / \sigma_j` (module docstring).

    Examples
    --------
    >>> from asteroid_spectra.data.sources.ecas import colour_reflectance
    >>> ceres = colour_reflectance([0.43, 0.263, 0.047, 0.0, -0.005, -0.022, -0.031])
    >>> tholen_scores(ceres).round(2)  # 1 Ceres; published -1.730, -1.643, 0.406, ...
    array([-1.73, -1.64,  0.41, -0.33,  0.23, -0.15,  0.  ])
    """
    scores: FloatArray = ((ecas_colours(reflectance) - COLOUR_MEAN) / COLOUR_SCALE) @ LOADINGS
    return scores


class TholenScores(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Reflectance on the eight ECAS filters → Tholen's (1984) first principal components.

    :func:`tholen_scores` in a pipeline; fixed, nothing is learnt from the data.

    Parameters
    ----------
    components : int
        How many of the seven scores to keep (PC1 first).
    """

    def __init__(self, components: int = 7):
        self.components = components

    def fit(self, X: npt.ArrayLike, y: Any = None) -> TholenScores:
        """Check `components` and that ``X`` has the eight ECAS filters."""
        if not isinstance(self.components, int | np.integer) or not 1 <= self.components <= 7:
            raise ParameterError(
                "The 'components' parameter of TholenScores must be an int in 1-7. "
                f"Got {self.components!r} instead."
            )
        _positive(validate_data(self, X, reset=True, ensure_all_finite=False), "TholenScores")
        return self

    def transform(self, X: npt.ArrayLike) -> FloatArray:
        """Return the scores, shape (n, components)."""
        check_is_fitted(self, "n_features_in_")
        values = validate_data(self, X, reset=False, ensure_all_finite=False)
        return tholen_scores(_positive(values, "TholenScores"))[:, : int(self.components)]

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """``pc1`` … ``pc<components>``."""
        check_is_fitted(self, "n_features_in_")
        return np.asarray([f"pc{k + 1}" for k in range(int(self.components))], dtype=object)
