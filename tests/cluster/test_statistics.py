"""Multivariate normality (Henze-Zirkler, Mardia) and agreement with a taxonomy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from asteroid_spectra.cluster.statistics import agreement, henze_zirkler, mardia
from asteroid_spectra.exceptions import MissingDependencyError


@pytest.fixture
def normal_sample(rng: np.random.Generator) -> np.ndarray:
    """400 points of a correlated 3-D normal distribution."""
    covariance = np.array([[2.0, 0.6, 0.0], [0.6, 1.0, -0.3], [0.0, -0.3, 0.5]])
    return rng.multivariate_normal([1.0, -2.0, 0.5], covariance, size=400)


def naive_henze_zirkler(points: np.ndarray) -> float:
    """Henze & Zirkler (1990) statistic by explicit loops over pairs of points.

    T = n [n⁻² Σ_jk exp(-β² D_jk / 2) - 2 (1 + β²)^(-d/2) n⁻¹ Σ_j exp(-β² D_j / (2 (1 + β²)))
    + (1 + 2β²)^(-d/2)], with β = ((2d + 1) n / 4)^(1/(d + 4)) / √2, the ML covariance S,
    D_jk the squared Mahalanobis distance between points j and k and D_j that to the mean.
    """
    n, d = points.shape
    mean = points.mean(axis=0)
    inverse = np.linalg.inv(np.cov(points, rowvar=False, bias=True))
    beta = ((2 * d + 1) * n / 4) ** (1 / (d + 4)) / np.sqrt(2)
    pairs = 0.0
    for j in range(n):
        for k in range(n):
            diff = points[j] - points[k]
            pairs += np.exp(-(beta**2) / 2 * diff @ inverse @ diff)
    centre = sum(
        np.exp(-(beta**2) / (2 * (1 + beta**2)) * (x - mean) @ inverse @ (x - mean)) for x in points
    )
    return float(
        n
        * (
            pairs / n**2
            - 2 * (1 + beta**2) ** (-d / 2) * centre / n
            + (1 + 2 * beta**2) ** (-d / 2)
        )
    )


def naive_mardia(points: np.ndarray) -> tuple[float, float]:
    """Mardia's (1970) b1 and b2 by explicit loops, with the ML covariance."""
    n = len(points)
    mean = points.mean(axis=0)
    covariance = sum(np.outer(x - mean, x - mean) for x in points) / n
    inverse = np.linalg.inv(covariance)
    b1 = 0.0
    for i in range(n):
        for j in range(n):
            b1 += float((points[i] - mean) @ inverse @ (points[j] - mean)) ** 3
    b2 = sum(float((x - mean) @ inverse @ (x - mean)) ** 2 for x in points)
    return b1 / n**2, b2 / n


# --- Henze-Zirkler -------------------------------------------------------------------
def test_henze_zirkler_accepts_a_normal_sample(normal_sample: np.ndarray) -> None:
    result = henze_zirkler(normal_sample)
    assert set(result) == {"statistic", "pvalue", "normal"}
    assert result["pvalue"] > 0.2
    assert result["normal"] is True
    assert isinstance(result["statistic"], float)


@pytest.mark.parametrize("shape", ["cube", "two blobs"])
def test_henze_zirkler_rejects_non_normal_samples(shape: str, rng: np.random.Generator) -> None:
    if shape == "cube":
        points = rng.uniform(0, 1, (400, 3))
    else:
        points = np.vstack([rng.normal(0, 1, (200, 3)), rng.normal(10, 1, (200, 3))])
    result = henze_zirkler(points)
    assert result["pvalue"] < 1e-6
    assert result["normal"] is False


def test_henze_zirkler_statistic_matches_the_formula(rng: np.random.Generator) -> None:
    points = rng.normal(size=(40, 2)) @ np.array([[1.0, 0.5], [0.0, 2.0]])
    assert henze_zirkler(points)["statistic"] == pytest.approx(naive_henze_zirkler(points))


def test_henze_zirkler_alpha_sets_the_verdict(rng: np.random.Generator) -> None:
    # A mildly skewed sample: exponential margins, enough points to notice.
    points = np.column_stack(
        [rng.normal(size=150), rng.normal(size=150) + rng.exponential(size=150)]
    )
    result = henze_zirkler(points)
    p = result["pvalue"]
    assert henze_zirkler(points, alpha=p / 2)["normal"] is True
    assert henze_zirkler(points, alpha=min(2 * p, 1.0))["normal"] is False


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((3, 3), r"more points than dimensions; got shape \(3, 3\)"),
        ((2, 5), r"more points than dimensions; got shape \(2, 5\)"),
        ((10,), r"more points than dimensions; got shape \(10,\)"),
        ((30, 1), r"at least two dimensions; got shape \(30, 1\)"),
    ],
)
def test_henze_zirkler_rejects_too_few_points_or_dimensions(
    shape: tuple[int, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        henze_zirkler(np.arange(np.prod(shape), dtype=float).reshape(shape))


# --- Mardia --------------------------------------------------------------------------
def test_mardia_of_a_bernoulli_sample_is_its_skewness_and_kurtosis() -> None:
    # In one dimension b1 is the squared skewness and b2 the kurtosis (Mardia 1970).
    # 0, 0, 0, 1 is Bernoulli(1/4): skewness (1 - 2p)/√(pq) = 2/√3, so b1 = 4/3, and
    # kurtosis (1 - 3pq)/(pq) = 7/3.
    result = mardia(np.array([[0.0], [0.0], [0.0], [1.0]]))
    assert result["skewness"] == pytest.approx(4 / 3, rel=1e-12)
    assert result["kurtosis"] == pytest.approx(7 / 3, rel=1e-12)


def test_mardia_matches_the_double_loop(rng: np.random.Generator) -> None:
    points = rng.exponential(size=(9, 2)) + np.array([[0.0, 1.0]])
    b1, b2 = naive_mardia(points)
    result = mardia(points)
    assert result["skewness"] == pytest.approx(b1, rel=1e-10)
    assert result["kurtosis"] == pytest.approx(b2, rel=1e-10)


def test_mardia_p_values_follow_the_reference_distributions(normal_sample: np.ndarray) -> None:
    n = len(normal_sample)
    result = mardia(normal_sample)
    # n b1 / 6 ~ χ² with d(d+1)(d+2)/6 = 10 degrees of freedom; (b2 - d(d+2)) over
    # √(8 d (d+2) / n) ~ N(0, 1).
    assert result["skewness_pvalue"] == pytest.approx(
        stats.chi2.sf(n * result["skewness"] / 6, 10), rel=1e-12
    )
    z = (result["kurtosis"] - 15) / np.sqrt(8 * 15 / n)
    assert result["kurtosis_pvalue"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


def test_mardia_of_a_normal_sample(rng: np.random.Generator) -> None:
    d, n = 3, 3000
    result = mardia(rng.normal(size=(n, d)) @ np.array([[1, 0, 0], [1, 1, 0], [0, 2, 3.0]]))
    # Under normality E[b2] → d(d+2) = 15 with standard deviation √(8·15/n) = 0.2,
    # and E[b1] ≈ d(d+1)(d+2)/n = 0.02.
    assert result["kurtosis"] == pytest.approx(15, abs=0.8)
    assert result["skewness"] < 0.08
    assert result["normal"] is True


def test_mardia_of_a_uniform_cube(rng: np.random.Generator) -> None:
    d, n = 3, 3000
    result = mardia(rng.uniform(size=(n, d)))
    # Independent uniform margins: b2 → Σ E z⁴ + Σ_{i≠j} E z_i² E z_j² = 1.8 d + d(d-1)
    # = 11.4 (the uniform's kurtosis is 9/5), far below the normal 15.
    assert result["kurtosis"] == pytest.approx(11.4, abs=0.3)
    assert result["skewness"] < 0.08  # symmetric
    assert result["kurtosis_pvalue"] < 1e-10
    assert result["normal"] is False


def test_mardia_is_affine_invariant(rng: np.random.Generator) -> None:
    points = rng.exponential(size=(50, 3))
    transform = np.array([[2.0, 0.3, 0.0], [0.0, 1.0, -1.0], [0.5, 0.0, 4.0]])
    moved = mardia(points @ transform + np.array([5.0, -3.0, 1.0]))
    original = mardia(points)
    for key in ("skewness", "kurtosis", "skewness_pvalue", "kurtosis_pvalue"):
        assert moved[key] == pytest.approx(original[key], rel=1e-8)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4)])
def test_mardia_needs_more_points_than_dimensions(shape: tuple[int, int]) -> None:
    with pytest.raises(
        ValueError,
        match=rf"Mardia's tests need more points than dimensions; got shape \({shape[0]}, "
        rf"{shape[1]}\)",
    ):
        mardia(np.ones(shape))


# --- agreement -----------------------------------------------------------------------
def test_identical_partitions_agree_perfectly() -> None:
    labels = np.array(["C", "C", "S", "S", "S", "X", "Other"])
    result = agreement(labels, labels)
    assert result["ari"] == 1.0
    assert result["nmi"] == 1.0


def test_relabelled_partitions_agree_perfectly() -> None:
    labels = np.array(["C", "C", "S", "S", "S", "X", "Other"])
    clusters = np.array([3, 3, 0, 0, 0, 2, 1])
    result = agreement(labels, clusters)
    assert result["ari"] == pytest.approx(1.0)
    assert result["nmi"] == pytest.approx(1.0)


def test_ari_of_a_split_cluster() -> None:
    # Hubert & Arabie (1985): with contingency [[2, 0, 0], [0, 1, 1]] the pair index is 1,
    # its expectation 2·1/6 = 1/3 and its maximum (2 + 1)/2, so ARI = (2/3)/(7/6) = 4/7.
    result = agreement(["a", "a", "b", "b"], [0, 0, 1, 2])
    assert result["ari"] == pytest.approx(4 / 7)
    assert 0 < result["nmi"] < 1


def test_independent_partitions_have_ari_near_zero(rng: np.random.Generator) -> None:
    labels = rng.choice(["C", "S", "X", "Other"], size=20000)
    clusters = rng.integers(0, 5, size=20000)
    result = agreement(labels, clusters)
    assert abs(result["ari"]) < 0.05
    assert result["nmi"] < 0.01


def test_contingency_counts_labels_against_clusters() -> None:
    labels = ["C", "S", "S", "X", "C", "S"]
    clusters = [0, 1, 1, 1, 0, 2]
    table = agreement(labels, clusters)["contingency"]
    expected = pd.DataFrame(
        [[2, 0, 0], [0, 2, 1], [0, 1, 0]],
        index=pd.Index(["C", "S", "X"], name="label"),
        columns=pd.Index([0, 1, 2], name="cluster"),
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False, check_index_type=False)
    assert int(table.to_numpy().sum()) == len(labels)


def test_agreement_compares_labels_as_text() -> None:
    # Object arrays with None (unlabelled) compare as the text "None", not as missing.
    result = agreement(np.array(["S", None, "S"], dtype=object), [0, 1, 0])
    assert result["ari"] == 1.0
    assert result["contingency"].index.tolist() == ["None", "S"]


def test_henze_zirkler_without_pingouin_says_what_to_install(
    hide_packages: Callable[..., None],
) -> None:
    hide_packages("pingouin")
    with pytest.raises(
        MissingDependencyError,
        match=r"^The Henze-Zirkler test \(pingouin\) needs the 'study' extra, and pingouin is "
        r"not installed\. Install it with: pip install 'asteroid-spectra\[study\]'$",
    ):
        henze_zirkler(np.random.default_rng(0).normal(size=(50, 3)))


def test_henze_zirkler_does_not_need_plotly(
    rng: np.random.Generator, hide_packages: Callable[..., None]
) -> None:
    # plotly is the study extra's other package; the test itself only needs pingouin.
    hide_packages("plotly")
    points = rng.normal(size=(60, 3))
    assert henze_zirkler(points)["statistic"] == pytest.approx(naive_henze_zirkler(points))
