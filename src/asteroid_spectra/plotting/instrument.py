"""An instrument correction: its factor against wavelength."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from asteroid_spectra.spectra.correction import InstrumentCorrection

__all__ = ["plot_correction"]


def plot_correction(correction: InstrumentCorrection) -> Figure:
    """Plot the factor of an instrument correction (instrument / reference) by wavelength.

    Parameters
    ----------
    correction : InstrumentCorrection
        From :func:`~asteroid_spectra.models.instrument.calibrate_instrument`.

    Returns
    -------
    Figure
        One panel: the factor (points and line), unity dashed, 0.55 µm marked.
    """
    from matplotlib.figure import Figure

    reference = correction.provenance.get("reference", {})
    same = reference.get("n_same_asteroid")
    detail = f", {same} same-asteroid" if same is not None else ""
    figure = Figure(figsize=(6, 3.5), layout="constrained")
    ax = figure.subplots()
    ax.axhline(1.0, color="0.6", linestyle="--", linewidth=1)
    ax.axvline(0.55, color="0.8", linewidth=1)
    ax.plot(correction.wavelength, correction.factor, marker="o", markersize=3, color="C3")
    ax.set_xlabel("Wavelength (µm)")
    ax.set_ylabel("Factor (instrument / reference)")
    source = f"{correction.source}: " if correction.source else ""
    ax.set_title(
        f"{source}instrument correction, {correction.n_spectra} spectra{detail}", fontsize=10
    )
    return figure
