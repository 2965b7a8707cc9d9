"""Catalogue-scale classification: a whole survey, streamed in partitions, locally or on Dask.

Importing the package loads none of its modules: each name loads its module on first use
(:func:`lazy_loader.attach`), so importing it does not import dask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra.catalog.classify import OUTPUT_COLUMNS as OUTPUT_COLUMNS
    from asteroid_spectra.catalog.classify import classify_frame as classify_frame
    from asteroid_spectra.catalog.engine import ENGINES as ENGINES
    from asteroid_spectra.catalog.engine import CatalogueRun as CatalogueRun
    from asteroid_spectra.catalog.engine import classify_catalogue as classify_catalogue
    from asteroid_spectra.catalog.input import band_columns as band_columns
    from asteroid_spectra.catalog.input import gaia_input_path as gaia_input_path
    from asteroid_spectra.catalog.input import wide_frame as wide_frame
else:
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        submod_attrs={
            "classify": ["OUTPUT_COLUMNS", "classify_frame"],
            "engine": ["ENGINES", "CatalogueRun", "classify_catalogue"],
            "input": ["band_columns", "gaia_input_path", "wide_frame"],
        },
    )
