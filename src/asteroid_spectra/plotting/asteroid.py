"""All the spectra of one asteroid, overlaid: visible, near-infrared and colours together."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from asteroid_spectra.schema import NORMALISATION_WAVELENGTH

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from asteroid_spectra.spectra.asteroid import AsteroidSpectra

__all__ = ["plot_asteroid_spectra", "scale_factors"]

FloatArray = npt.NDArray[np.float64]


def _value_at(wavelength: FloatArray, reflectance: FloatArray, at: float) -> float:
    return float(np.interp(at, wavelength, reflectance))


def scale_factors(
    spectra: list[tuple[FloatArray, FloatArray]], at: float = NORMALISATION_WAVELENGTH
) -> list[float]:
    """Factors that put spectra of different ranges on one scale.

    A spectrum covering `at` µm is divided by its value there (unity at `at`); one that
    does not (a near-infrared spectrum) is scaled to the median ratio, over their overlap,
    of the spectra already scaled; one that overlaps none keeps its published scale.

    Parameters
    ----------
    spectra : list of (wavelength, reflectance)
        Increasing wavelengths (µm).
    at : float
        Normalisation wavelength (µm).

    Returns
    -------
    list of float
        Multiply each spectrum by its factor.

    Examples
    --------
    >>> visible, nir = np.array([0.5, 0.6, 1.0]), np.array([0.9, 1.2, 1.5])
    >>> [round(f, 4) for f in scale_factors([(visible, 2 * visible), (nir, 3 * nir)])]
    [0.9091, 0.6061]
    """
    factors: list[float] = [np.nan] * len(spectra)
    for i, (wavelength, reflectance) in enumerate(spectra):
        if wavelength[0] <= at <= wavelength[-1]:
            factors[i] = 1.0 / _value_at(wavelength, reflectance, at)
    for i, (wavelength, reflectance) in enumerate(spectra):
        if np.isfinite(factors[i]):
            continue
        ratios = []
        for j, (other_wavelength, other) in enumerate(spectra):
            if j == i or not np.isfinite(factors[j]):
                continue
            lo = max(wavelength[0], other_wavelength[0])
            hi = min(wavelength[-1], other_wavelength[-1])
            if hi <= lo:
                continue
            inside = (wavelength >= lo) & (wavelength <= hi)
            if not inside.any():
                continue
            theirs = np.interp(wavelength[inside], other_wavelength, other) * factors[j]
            ratios.append(float(np.median(theirs / reflectance[inside])))
        factors[i] = float(np.median(ratios)) if ratios else 1.0
    return factors


def plot_asteroid_spectra(result: AsteroidSpectra, *, scale: bool = True) -> Figure:
    """Draw every spectrum of an asteroid on one axes, labelled by survey.

    Parameters
    ----------
    result : AsteroidSpectra
        From :func:`~asteroid_spectra.spectra.asteroid.spectra_of`.
    scale : bool
        Put the spectra on one scale (:func:`scale_factors`); else as published.

    Returns
    -------
    matplotlib.figure.Figure
        Reflectance against wavelength (µm); the title names the asteroid and its classes.
    """
    from matplotlib.figure import Figure

    arrays = [(s.wavelength, s.reflectance) for s in result.spectra]
    factors = scale_factors(arrays) if scale else [1.0] * len(arrays)
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    ax = figure.subplots()
    for spectrum, factor in zip(result.spectra, factors, strict=True):
        style = "o-" if len(spectrum) <= 16 else "-"
        ax.plot(
            spectrum.wavelength,
            spectrum.reflectance * factor,
            style,
            ms=3,
            lw=1,
            label=f"{spectrum.meta.get('survey')} ({len(spectrum)} points)",
        )
    labels = ", ".join(
        f"{key.removesuffix('_class')} {value}" for key, value in result.labels.items() if value
    )
    ax.set_title(f"{result.title}" + (f" — {labels}" if labels else ""))
    ax.set_xlabel("Wavelength (µm)")
    ax.set_ylabel("Reflectance" + (" (unity at 0.55 µm)" if scale else ""))
    ax.legend(fontsize=8)
    return figure
