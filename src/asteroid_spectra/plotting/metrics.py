"""Figures of evaluations: confusion matrix, per-class F1, F1 of models beside references."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from asteroid_spectra.models.evaluation import Evaluation

__all__ = ["plot_confusion_matrix", "plot_per_class_f1", "plot_x_f1_comparison"]


def plot_confusion_matrix(evaluation: Evaluation) -> Figure:
    """Confusion matrix summed over all folds, coloured by row fraction (recall).

    Each cell shows the count; the colour is the fraction of the true class's spectra.
    """
    from matplotlib.figure import Figure

    counts = evaluation.confusion.to_numpy()
    totals = counts.sum(axis=1, keepdims=True)
    fractions = np.divide(counts, totals, out=np.zeros_like(counts, dtype=float), where=totals > 0)
    labels = list(evaluation.confusion.index)
    size = max(4.0, 0.42 * len(labels) + 2)
    figure = Figure(figsize=(size + 1, size), layout="constrained")
    ax = figure.subplots()
    image = ax.imshow(fractions, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90 if len(labels) > 6 else 0)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("Predicted")
    ax.set_ylabel("True")
    for (i, j), count in np.ndenumerate(counts):
        if count:
            colour = "white" if fractions[i, j] > 0.6 else "black"
            ax.text(j, i, str(count), ha="center", va="center", fontsize=7, color=colour)
    figure.colorbar(image, ax=ax, label="Fraction of the true class", shrink=0.8)
    ax.set_title(
        f"{evaluation.model} — {evaluation.target} ({evaluation.folds}×{evaluation.repeats} CV, "
        "summed)",
        fontsize=10,
    )
    return figure


def plot_per_class_f1(evaluation: Evaluation) -> Figure:
    """Per-class F1 (mean ± std over folds), one bar per class with its support."""
    from matplotlib.figure import Figure

    table = evaluation.per_class
    labels = [f"{c} (n={int(n)})" for c, n in zip(table.index, table["support"], strict=True)]
    height = max(2.5, 0.3 * len(labels) + 1)
    figure = Figure(figsize=(6, height), layout="constrained")
    ax = figure.subplots()
    positions = np.arange(len(labels))[::-1]
    ax.barh(positions, table["f1_mean"], xerr=table["f1_std"], color="#4c72b0", capsize=2)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("F1 (mean ± std over folds)")
    ax.set_title(f"{evaluation.model} — {evaluation.target}", fontsize=10)
    return figure


def plot_x_f1_comparison(
    models: Sequence[str],
    mean: npt.ArrayLike,
    std: npt.ArrayLike,
    reference: Mapping[str, float],
    *,
    folds: int,
    repeats: int,
) -> Figure:
    """F1 of the X class per model (mean ± std over folds) beside reference values.

    Parameters
    ----------
    models : sequence of str, length n_models
        Model names, one tick each, in this order.
    mean, std : array_like, shape (n_models,)
        Mean and standard deviation of the X class's F1 (dimensionless, in [0, 1])
        over the folds of the repeated cross-validation.
    reference : mapping of str to float
        Published F1 of the X class per model name (e.g. the tutorial's one-split
        values); models not in `models` are ignored, models without one get no cross.
    folds, repeats : int
        The cross-validation that gave `mean` and `std` (for the legend).

    Returns
    -------
    Figure
        Error bars of this study (blue) and red crosses at the reference values.

    Examples
    --------
    >>> figure = plot_x_f1_comparison(
    ...     ["svm", "svm-robust"], [0.93, 0.95], [0.01, 0.02], {"svm": 0.938}, folds=5, repeats=3
    ... )
    >>> figure.axes[0].lines[-1].get_ydata().tolist()
    [0.938]
    """
    from matplotlib.figure import Figure

    names = list(models)
    figure = Figure(figsize=(7, 3.2), layout="constrained")
    ax = figure.subplots()
    ax.errorbar(
        range(len(names)),
        np.asarray(mean, dtype=float),
        yerr=np.asarray(std, dtype=float),
        fmt="o",
        capsize=4,
        label=f"this study ({folds}×{repeats} CV, mean ± std)",
    )
    ax.plot(
        [i for i, n in enumerate(names) if n in reference],
        [reference[n] for n in names if n in reference],
        "rx",
        ms=9,
        label="tutorial (one random split)",
    )
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("F1 of the X class")
    ax.legend(fontsize=8)
    return figure
