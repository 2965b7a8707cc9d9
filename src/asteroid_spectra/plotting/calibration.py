"""Reliability diagrams of held-out surveys, before and after cross-survey calibration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from asteroid_spectra.models.loso_summary import Calibrated

__all__ = ["plot_reliability"]


def plot_reliability(calibrated: Mapping[str, Calibrated], n_bins: int = 10) -> Figure:
    """One reliability diagram per held-out survey: accuracy against top probability.

    Parameters
    ----------
    calibrated : mapping of str to Calibrated
        Survey → its held-out predictions before and after calibration
        (:func:`~asteroid_spectra.models.loso_summary.cross_calibrate`).
    n_bins : int
        Bins of equal width of the top-class probability.

    Returns
    -------
    Figure
        One panel per survey: the diagonal (perfect calibration), the raw probabilities
        (grey) and the calibrated ones (blue), marker area proportional to the bin count.
    """
    from matplotlib.figure import Figure

    from asteroid_spectra.models.calibration import reliability
    from asteroid_spectra.models.metrics import expected_calibration_error

    surveys = list(calibrated)
    columns = min(3, len(surveys))
    rows = int(np.ceil(len(surveys) / columns))
    figure = Figure(figsize=(3.3 * columns, 3.1 * rows), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, columns, squeeze=False)).ravel()
    for ax, survey in zip(axes, surveys, strict=False):
        result = calibrated[survey]
        ax.plot([0, 1], [0, 1], color="black", lw=0.8, ls=":")
        for proba, colour, label in (
            (result.raw, "#999999", "raw"),
            (result.calibrated, "#4c72b0", f"T = {result.temperature:.2f}"),
        ):
            table = reliability(proba, result.truth, result.classes, n_bins)
            ece = expected_calibration_error(result.truth, proba, result.classes)
            ax.plot(table[:, 0], table[:, 1], "-", color=colour, lw=1)
            ax.scatter(
                table[:, 0],
                table[:, 1],
                s=8 + 120 * table[:, 2] / table[:, 2].sum(),
                color=colour,
                label=f"{label}: ECE {ece:.3f}",
            )
        ax.set_xlim(0.2, 1.0)
        ax.set_ylim(0.0, 1.0)
        ax.set_title(f"{survey} (n = {len(result.truth)})", fontsize=9)
        ax.set_xlabel("Top-class probability", fontsize=8)
        ax.set_ylabel("Accuracy", fontsize=8)
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes[len(surveys) :]:
        ax.set_visible(False)
    return figure
