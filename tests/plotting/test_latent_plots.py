"""Figures of the latent-space study: reconstructions, latent space, BIC curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.cluster.mixtures import MixtureSweep
from asteroid_spectra.cluster.study import ClusterStudy, EmbeddingResult
from asteroid_spectra.plotting.latent import (
    plot_bic_curves,
    plot_latent_space,
    plot_reconstructions,
)

GRID = np.array(schema.SMASS2_WAVELENGTH)


def embedding(name: str, bic: list[list[float]]) -> EmbeddingResult:
    """An analysed embedding whose only real content is its BIC sweep."""
    scores = np.asarray(bic, dtype=float)
    sweep = MixtureSweep(
        np.arange(1, scores.shape[1] + 1), tuple(range(len(scores))), scores, scores - 10
    )
    empty: dict[str, float] = {}
    return EmbeddingResult(
        name=name,
        latent=np.zeros((3, 2)),
        sweep=sweep,
        best_k=int(sweep.bic_optimal_k[0]),
        clusters=np.zeros(3, dtype=np.int64),
        agreement_main_group=empty,
        agreement_bus=empty,
        henze_zirkler=empty,
        mardia=empty,
        cluster_normality=[],
    )


@pytest.fixture
def study() -> ClusterStudy:
    """Two autoencoder seeds x two mixture seeds, and PCA, with known BIC minima."""
    result = ClusterStudy(2, 5, (0, 1), pd.DataFrame(), np.zeros((3, 49)), GRID)
    result.autoencoders = [
        embedding("autoencoder seed 0", [[50, 30, 10, 20, 25], [50, 30, 12, 11, 25]]),
        embedding("autoencoder seed 1", [[50, 20, 5, 9, 30], [60, 21, 6, 8, 31]]),
    ]
    result.pca = embedding("pca", [[40, 30, 20, 10, 15], [40, 30, 20, 11, 14]])
    return result


@pytest.fixture
def spectra(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    original = 1 + 0.5 * (GRID - 0.55) + rng.normal(0, 0.01, (5, GRID.size))
    rebuilt = original + np.array([[0.0], [0.01], [0.02], [-0.03], [0.1]])
    return original, rebuilt


# --- reconstructions -----------------------------------------------------------------
@pytest.mark.parametrize(("n", "rows", "columns"), [(1, 1, 1), (3, 1, 3), (5, 2, 4), (8, 2, 4)])
def test_one_panel_per_spectrum(n: int, rows: int, columns: int, rng: np.random.Generator) -> None:
    original = 1 + rng.normal(0, 0.01, (n, GRID.size))
    figure = plot_reconstructions(GRID, original, original, [f"#{i}" for i in range(n)])
    assert len(figure.axes) == n
    assert figure.axes[0].get_subplotspec().get_gridspec().get_geometry() == (rows, columns)


def test_reconstruction_panels_show_both_curves_and_the_rmse(
    spectra: tuple[np.ndarray, np.ndarray],
) -> None:
    original, rebuilt = spectra
    titles = ["1 (C)", "4 (V)", "8 (S)", "10 (C)", "64 (Xe) — worst"]
    figure = plot_reconstructions(GRID, original, rebuilt, titles)
    # A constant offset c gives RMSE |c|.
    rmse = ["0.0000", "0.0100", "0.0200", "0.0300", "0.1000"]
    assert [ax.get_title() for ax in figure.axes] == [
        f"{title}\nRMSE {value}" for title, value in zip(titles, rmse, strict=True)
    ]
    for ax, values, fit in zip(figure.axes, original, rebuilt, strict=True):
        points, line = ax.lines
        np.testing.assert_array_equal(points.get_xdata(), GRID)
        np.testing.assert_array_equal(points.get_ydata(), values)
        np.testing.assert_array_equal(line.get_ydata(), fit)
        assert ax.get_xlabel() == "Wavelength (µm)"
    legend = figure.axes[0].get_legend()
    assert [text.get_text() for text in legend.get_texts()] == ["spectrum", "reconstruction"]
    assert figure.axes[0].get_ylabel() == "Reflectance"


def test_figures_are_not_registered_with_pyplot(
    spectra: tuple[np.ndarray, np.ndarray], study: ClusterStudy
) -> None:
    before = plt.get_fignums()
    plot_reconstructions(GRID, *spectra, ["a"] * 5)
    plot_bic_curves(study)
    plot_latent_space(np.zeros((2, 2)), ["C", "S"], ["C", "S"])
    assert plt.get_fignums() == before


# --- latent space --------------------------------------------------------------------
def test_latent_space_is_coloured_by_group_and_by_class(rng: np.random.Generator) -> None:
    bus = np.array(["S", "Sq", "C", "Ch", "Ch", "X", "V", "S", "S", "C"], dtype=object)
    groups = np.array([schema.main_group(b) for b in bus], dtype=object)
    points = rng.normal(size=(10, 3))
    figure = plot_latent_space(points, groups, bus)
    left, right = figure.axes
    assert left.get_title() == "Coloured by main group"
    assert right.get_title() == "Coloured by Bus class"
    assert [t.get_text() for t in left.get_legend().get_texts()] == [
        "C (4)",
        "S (4)",
        "X (1)",
        "Other (1)",
    ]
    # Bus classes present, in the taxonomy's order.
    assert [t.get_text() for t in right.get_legend().get_texts()] == [
        "C",
        "Ch",
        "S",
        "Sq",
        "X",
        "V",
    ]
    # The first two latent dimensions are plotted, every point once per panel.
    s_points = left.collections[1].get_offsets()
    np.testing.assert_array_equal(np.asarray(s_points), points[groups == "S", :2])
    assert sum(len(c.get_offsets()) for c in right.collections) == 10
    assert (left.get_xlabel(), left.get_ylabel()) == ("latent 1", "latent 2")


# --- BIC curves ----------------------------------------------------------------------
def test_bic_panels_titles_give_the_spread_of_optimal_k(study: ClusterStudy) -> None:
    figure = plot_bic_curves(study)
    autoencoder, pca = figure.axes
    # Curves' own minima: k = 3, 4 (seed 0) and 3, 3 (seed 1); PCA 4 and 4.
    assert autoencoder.get_title() == "Autoencoder latents\nBIC-optimal k=3: 3, k=4: 1"
    assert pca.get_title() == "PCA baseline\nBIC-optimal k=4: 2"


def test_bic_curves_are_shifted_to_their_minimum(study: ClusterStudy) -> None:
    figure = plot_bic_curves(study)
    autoencoder, pca = figure.axes
    # A curve and a marker per (autoencoder seed, mixture seed).
    assert len(autoencoder.lines) == 2 * 2 * 2
    assert len(pca.lines) == 2 * 2
    curve, marker = autoencoder.lines[:2]
    np.testing.assert_array_equal(curve.get_xdata(), [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(curve.get_ydata(), [40, 20, 0, 10, 15])
    assert (marker.get_xdata()[0], marker.get_ydata()[0]) == (3, 0)
    assert autoencoder.get_yscale() == "symlog"
    assert autoencoder.get_xlabel() == "Mixture components k"
