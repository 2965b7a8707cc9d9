"""Spectra: the :class:`Spectrum` value object, readers, pure preprocessing, transformers."""

from __future__ import annotations

from asteroid_spectra.spectra.convert import from_qtable, from_specutils, to_qtable, to_specutils
from asteroid_spectra.spectra.io import parse_text, read_spectrum, spectrum_from_table
from asteroid_spectra.spectra.preprocess import normalise, remove_slope, resample, slope, smooth
from asteroid_spectra.spectra.sets import SpectralSet, load_spectra
from asteroid_spectra.spectra.spectrum import Spectrum
from asteroid_spectra.spectra.transformers import (
    Derivative,
    Normaliser,
    Resampler,
    SlopeFeature,
    SlopeRemover,
    Smoother,
)

__all__ = [
    "Derivative",
    "Normaliser",
    "Resampler",
    "SlopeFeature",
    "SlopeRemover",
    "Smoother",
    "SpectralSet",
    "Spectrum",
    "from_qtable",
    "from_specutils",
    "load_spectra",
    "normalise",
    "parse_text",
    "read_spectrum",
    "remove_slope",
    "resample",
    "slope",
    "smooth",
    "spectrum_from_table",
    "to_qtable",
    "to_specutils",
]
