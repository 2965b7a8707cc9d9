"""Figures of the latent-space study: reconstructions, latent space, BIC curves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from asteroid_spectra.cluster.study import ClusterStudy

__all__ = ["plot_bic_curves", "plot_latent_space", "plot_reconstructions"]

_GROUP_COLOURS = {"C": "#1f77b4", "S": "#d62728", "X": "#7f7f7f", "Other": "#2ca02c"}


def plot_reconstructions(
    wavelength: npt.ArrayLike,
    spectra: npt.ArrayLike,
    reconstructions: npt.ArrayLike,
    titles: Sequence[str],
) -> Figure:
    """Original (points) and reconstructed (line) spectra, one panel each."""
    from matplotlib.figure import Figure

    original = np.asarray(spectra)
    rebuilt = np.asarray(reconstructions)
    n = len(original)
    columns = min(n, 4)
    rows = int(np.ceil(n / columns))
    figure = Figure(figsize=(3.2 * columns, 2.6 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax, values, fit, title in zip(axes.flat, original, rebuilt, titles, strict=False):
        ax.plot(wavelength, values, "o", ms=2.5, color="black", label="spectrum")
        ax.plot(wavelength, fit, color="#d62728", lw=1.4, label="reconstruction")
        rmse = float(np.sqrt(np.mean((fit - values) ** 2)))
        ax.set_title(f"{title}\nRMSE {rmse:.4f}", fontsize=9)
        ax.set_xlabel("Wavelength (µm)")
    for ax in axes.flat[n:]:
        ax.remove()
    axes.flat[0].legend(fontsize=7)
    axes.flat[0].set_ylabel("Reflectance")
    return figure


def plot_latent_space(
    latent: npt.ArrayLike, main_group: npt.ArrayLike, bus_class: npt.ArrayLike
) -> Figure:
    """Two views of a 2-D latent space: coloured by main group and by Bus class."""
    from matplotlib.figure import Figure

    points = np.asarray(latent)
    groups = np.asarray(main_group).astype(str)
    classes = np.asarray(bus_class).astype(str)
    figure = Figure(figsize=(12, 5.2), layout="constrained")
    left, right = figure.subplots(1, 2, sharex=True, sharey=True)
    for group in schema.MAIN_GROUPS:
        mask = groups == group
        left.scatter(
            *points[mask, :2].T,
            s=6,
            alpha=0.7,
            color=_GROUP_COLOURS[group],
            label=f"{group} ({mask.sum()})",
        )
    left.legend(markerscale=2, fontsize=8)
    left.set_title("Coloured by main group")
    import matplotlib as mpl

    palette = [mpl.colormaps[name](i) for name in ("tab20", "tab20b") for i in range(20)]
    present = [c for c in schema.BUS_CLASSES if np.any(classes == c)]
    for i, label in enumerate(present):
        mask = classes == label
        right.scatter(
            *points[mask, :2].T, s=6, alpha=0.8, color=palette[i % len(palette)], label=label
        )
    right.legend(markerscale=2, fontsize=7, ncol=2, loc="best")
    right.set_title("Coloured by Bus class")
    for ax in (left, right):
        ax.set_xlabel("latent 1")
    left.set_ylabel("latent 2")
    return figure


def plot_bic_curves(study: ClusterStudy) -> Figure:
    """BIC against the number of mixture components, every seed, autoencoder and PCA.

    Curves are shifted to their own minimum so the seeds can be compared; the lowest point
    of each is marked and the distribution of BIC-optimal k is given in the title.
    """
    from matplotlib.figure import Figure

    assert study.pca is not None
    figure = Figure(figsize=(11, 4.2), layout="constrained")
    axes = figure.subplots(1, 2, sharey=False)
    panels = [("Autoencoder latents", study.autoencoders), ("PCA baseline", [study.pca])]
    for ax, (title, results) in zip(axes, panels, strict=True):
        optimal = []
        for result in results:
            ks = result.sweep.n_components
            for curve in result.sweep.bic:
                shifted = curve - curve.min()
                ax.plot(ks, shifted, color="#4c72b0", alpha=0.35, lw=1)
                best = int(np.argmin(curve))
                ax.plot(ks[best], 0, "o", color="#c44e52", ms=4)
                optimal.append(int(ks[best]))
        values, counts = np.unique(optimal, return_counts=True)
        spread = ", ".join(f"k={v}: {c}" for v, c in zip(values, counts, strict=True))
        ax.set_title(f"{title}\nBIC-optimal {spread}", fontsize=10)
        ax.set_xlabel("Mixture components k")
        ax.set_ylabel("BIC − min BIC")
        ax.set_yscale("symlog", linthresh=10)
    return figure
