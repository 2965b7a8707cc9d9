"""Figures of the data: how much of each Gaia DR3 band is flagged or missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_flagged_fraction"]


def plot_flagged_fraction(flagged: Mapping[str, float]) -> Figure:
    """Bar chart of the fraction of flagged or missing values in each band.

    Parameters
    ----------
    flagged : mapping of str to float
        Per band, in wavelength order: the band's centre as a label (µm, e.g.
        ``"0.374"``) and the fraction in [0, 1] of the asteroids whose value in that
        band is flagged or missing (the ``flagged_fraction_by_band`` of
        :func:`asteroid_spectra.data.summary.summarise`).

    Returns
    -------
    Figure
        One bar per band, in the order given.

    Examples
    --------
    >>> figure = plot_flagged_fraction({"0.374": 0.9, "0.418": 0.1, "0.462": 0.02})
    >>> len(figure.axes[0].patches)
    3
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3), layout="constrained")
    ax = figure.subplots()
    ax.bar(list(flagged), list(flagged.values()), color="tab:orange")
    ax.set_xlabel("Gaia DR3 band (µm)")
    ax.set_ylabel("Fraction flagged or missing")
    ax.tick_params(axis="x", rotation=60)
    return figure
