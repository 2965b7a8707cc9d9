"""asteroid-spectra: asteroid reflectance spectra from survey files to taxonomy.

Importing the package does nothing but define names; heavy modules load on first use.

Examples
--------
>>> import asteroid_spectra as asp
>>> smass = asp.load_spectra("smass2")  # doctest: +SKIP
>>> spectrum = asp.read_spectrum("my_asteroid.txt")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from asteroid_spectra._version import __version__

_LAZY = {
    "Classification": "asteroid_spectra.service.results",
    "classify": "asteroid_spectra.service.classifier",
    "Spectrum": "asteroid_spectra.spectra.spectrum",
    "SpectralSet": "asteroid_spectra.spectra.sets",
    "load_spectra": "asteroid_spectra.spectra.sets",
    "read_spectrum": "asteroid_spectra.spectra.io",
    "fetch": "asteroid_spectra.data.fetch",
    "load_table": "asteroid_spectra.data.datasets",
    "get_settings": "asteroid_spectra.config",
}

__all__ = [
    "Classification",
    "SpectralSet",
    "Spectrum",
    "__version__",
    "classify",
    "fetch",
    "get_settings",
    "load_spectra",
    "load_table",
    "read_spectrum",
]

if TYPE_CHECKING:
    from asteroid_spectra.config import get_settings
    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.data.fetch import fetch
    from asteroid_spectra.service.classifier import classify
    from asteroid_spectra.service.results import Classification
    from asteroid_spectra.spectra.io import read_spectrum
    from asteroid_spectra.spectra.sets import SpectralSet, load_spectra
    from asteroid_spectra.spectra.spectrum import Spectrum


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'asteroid_spectra' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
