"""Statistics of latent spaces: multivariate normality, agreement with the taxonomy.

Multivariate normality is tested two ways: the Henze-Zirkler test (via :mod:`pingouin`)
and Mardia's skewness and kurtosis tests. Agreement between clusters and a taxonomy is
measured by the contingency table, the adjusted Rand index and the normalised mutual
information.

References
----------
Henze, N. & Zirkler, B. (1990). A class of invariant consistent tests for multivariate
normality. Communications in Statistics - Theory and Methods 19, 3595-3617.
Mardia, K. V. (1970). Measures of multivariate skewness and kurtosis with applications.
Biometrika 57, 519-530. Hubert, L. & Arabie, P. (1985). Comparing partitions. Journal
of Classification 2, 193-218 (adjusted Rand index).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.extras import missing, require

__all__ = ["agreement", "henze_zirkler", "mardia"]


def henze_zirkler(Z: npt.ArrayLike, alpha: float = 0.05) -> dict[str, Any]:
    """Henze-Zirkler test of multivariate normality.

    Parameters
    ----------
    Z : array_like, shape (n, d)
        Points, with n > d and d ≥ 2.
    alpha : float
        Significance level.

    Returns
    -------
    dict
        ``statistic``, ``pvalue`` and ``normal`` (p-value > `alpha`).

    Raises
    ------
    MissingDependencyError
        If :mod:`pingouin` (the ``study`` extra) is not installed.
    """
    if "pingouin" in missing("study"):  # plotly, the extra's other package, is not needed
        require("study", "The Henze-Zirkler test (pingouin)")
    import pingouin

    points = np.asarray(Z, dtype=np.float64)
    if points.ndim != 2 or points.shape[0] <= points.shape[1]:
        raise ParameterError(
            f"The Henze-Zirkler test needs more points than dimensions; got shape {points.shape}."
        )
    if points.shape[1] < 2:
        raise ParameterError(
            "The Henze-Zirkler test (pingouin) needs at least two dimensions; got shape "
            f"{points.shape}. Test one-dimensional samples with scipy.stats.shapiro instead."
        )
    result = pingouin.multivariate_normality(points, alpha=alpha)
    return {
        "statistic": float(result.hz),
        "pvalue": float(result.pval),
        "normal": bool(result.normal),
    }


def mardia(Z: npt.ArrayLike, alpha: float = 0.05) -> dict[str, Any]:
    r"""Mardia's tests of multivariate skewness and kurtosis.

    With :math:`m_{ij} = (z_i - \bar z)^T S^{-1} (z_j - \bar z)` (S the ML covariance),
    skewness :math:`b_1 = \sum_{ij} m_{ij}^3 / n^2` gives :math:`n b_1 / 6 \sim
    \chi^2_{d(d+1)(d+2)/6}` and kurtosis :math:`b_2 = \sum_i m_{ii}^2 / n` gives
    :math:`(b_2 - d(d+2)) / \sqrt{8 d (d+2) / n} \sim N(0, 1)` under normality.

    Returns
    -------
    dict
        ``skewness``, ``skewness_pvalue``, ``kurtosis``, ``kurtosis_pvalue`` and
        ``normal`` (both p-values ≥ `alpha`).
    """
    points = np.asarray(Z, dtype=np.float64)
    n, d = points.shape
    if n <= d:
        raise ParameterError(
            f"Mardia's tests need more points than dimensions; got shape {points.shape}."
        )
    centred = points - points.mean(axis=0)
    covariance = centred.T @ centred / n
    m = centred @ np.linalg.pinv(covariance) @ centred.T
    b1 = float(np.sum(m**3) / n**2)
    b2 = float(np.mean(np.diag(m) ** 2))
    skew_stat = n * b1 / 6
    skew_df = d * (d + 1) * (d + 2) / 6
    skew_p = float(stats.chi2.sf(skew_stat, skew_df))
    kurt_z = (b2 - d * (d + 2)) / np.sqrt(8 * d * (d + 2) / n)
    kurt_p = float(2 * stats.norm.sf(abs(kurt_z)))
    return {
        "skewness": b1,
        "skewness_pvalue": skew_p,
        "kurtosis": b2,
        "kurtosis_pvalue": kurt_p,
        "normal": bool(skew_p >= alpha and kurt_p >= alpha),
    }


def agreement(labels: npt.ArrayLike, clusters: npt.ArrayLike) -> dict[str, Any]:
    """Agreement between taxonomy `labels` and `clusters`.

    Returns
    -------
    dict
        ``ari`` (adjusted Rand index: 0 for chance, 1 for identical partitions),
        ``nmi`` (normalised mutual information) and ``contingency`` (DataFrame: labels ×
        clusters counts).
    """
    truth = np.asarray(labels).astype(str)
    found = np.asarray(clusters)
    return {
        "ari": float(adjusted_rand_score(truth, found)),
        "nmi": float(normalized_mutual_info_score(truth, found)),
        "contingency": pd.crosstab(
            pd.Series(truth, name="label"), pd.Series(found, name="cluster")
        ),
    }
