"""Catalogue-scale classification: a whole survey, streamed in partitions, locally or on Dask."""

from __future__ import annotations

from asteroid_spectra.catalog.classify import OUTPUT_COLUMNS, classify_frame
from asteroid_spectra.catalog.engine import ENGINES, CatalogueRun, classify_catalogue
from asteroid_spectra.catalog.input import band_columns, gaia_input_path, wide_frame

__all__ = [
    "ENGINES",
    "OUTPUT_COLUMNS",
    "CatalogueRun",
    "band_columns",
    "classify_catalogue",
    "classify_frame",
    "gaia_input_path",
    "wide_frame",
]
