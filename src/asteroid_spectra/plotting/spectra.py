"""Overlaid spectra per class: the static version of the tutorial's spectra viewer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from asteroid_spectra import schema
from asteroid_spectra.exceptions import SpectrumError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from asteroid_spectra.spectra.sets import SpectralSet

__all__ = ["plot_spectra_by_class"]

_GROUP_COLOURS = {"C": "#1f77b4", "S": "#d62728", "X": "#7f7f7f", "Other": "#2ca02c"}


def plot_spectra_by_class(
    spectra: SpectralSet, by: str = schema.MAIN_GROUP, group: str | None = None
) -> Figure:
    """Draw every labelled spectrum, one panel per class, with the median and 16-84 % band.

    Parameters
    ----------
    spectra : SpectralSet
        Labelled spectra (e.g. ``load_spectra("smass2").labelled()``).
    by : {"main_group", "bus_class"}
        Class column that defines the panels.
    group : str, optional
        Keep only this main group (``"C"``, ``"S"``, ``"X"``, ``"Other"``).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per class, titled with the class and its number of spectra.

    Raises
    ------
    SpectrumError
        If `by` or `group` is unknown or nothing is left to draw.
    """
    from matplotlib.figure import Figure

    if by not in (schema.MAIN_GROUP, schema.BUS_CLASS):
        raise SpectrumError(
            f"The 'by' parameter must be 'main_group' or 'bus_class'. Got {by!r} instead."
        )
    if group is not None and group not in schema.MAIN_GROUPS:
        raise SpectrumError(
            f"The 'group' parameter must be one of {', '.join(schema.MAIN_GROUPS)}. "
            f"Got {group!r} instead."
        )
    spectra = spectra.labelled()
    groups = spectra.labels(schema.MAIN_GROUP)
    if group is not None:
        spectra = spectra.select(groups == group)
        groups = spectra.labels(schema.MAIN_GROUP)
    labels = spectra.labels(by)
    order = schema.MAIN_GROUPS if by == schema.MAIN_GROUP else schema.BUS_CLASSES
    classes = [c for c in order if np.any(labels == c)]
    if not classes:
        raise SpectrumError("No labelled spectra to draw.")
    columns = min(len(classes), 5 if len(classes) > 4 else len(classes))
    rows = math.ceil(len(classes) / columns)
    figure = Figure(figsize=(3.2 * columns, 2.6 * rows + 0.4), layout="constrained")
    axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    wavelength = spectra.wavelength
    for ax, label in zip(axes.flat, classes, strict=False):
        mask = labels == label
        values = spectra.reflectance[mask]
        colour = _GROUP_COLOURS[str(groups[mask][0])]
        ax.plot(wavelength, values.T, color=colour, alpha=min(0.6, 8 / len(values)), lw=0.6)
        low, median, high = np.nanpercentile(values, [16, 50, 84], axis=0)
        ax.fill_between(wavelength, low, high, color="black", alpha=0.15, lw=0)
        ax.plot(wavelength, median, color="black", lw=1.5)
        ax.set_title(f"{label} (n={len(values)})", fontsize=10)
        ax.axvline(schema.NORMALISATION_WAVELENGTH, color="0.6", lw=0.5, ls=":")
    for ax in axes.flat[len(classes) :]:
        ax.remove()
    for ax in axes.flat[: len(classes)]:
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_xlabel("Wavelength (µm)")
    for ax in axes[:, 0]:
        ax.set_ylabel("Reflectance")
    title = "Main groups" if by == schema.MAIN_GROUP else "Bus classes"
    source = spectra.provenance.get("title", "")
    figure.suptitle(f"{title}{f' of group {group}' if group else ''} — {source}", fontsize=11)
    return figure
