"""asteroid-spectra: asteroid reflectance spectra from survey files to taxonomy.

Importing the package does nothing but define names; each name loads its module on first
use (:func:`lazy_loader.attach`, as every subpackage does).

Examples
--------
>>> import asteroid_spectra as asp
>>> smass = asp.load_spectra("smass2")  # doctest: +SKIP
>>> spectrum = asp.read_spectrum("my_asteroid.txt")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra import spectra as spectra
    from asteroid_spectra._version import __version__ as __version__
    from asteroid_spectra.config import get_settings as get_settings
    from asteroid_spectra.data.datasets import load_table as load_table
    from asteroid_spectra.data.fetch import fetch as fetch
    from asteroid_spectra.models.classify import classify as classify
    from asteroid_spectra.models.results import Classification as Classification
    from asteroid_spectra.spectra.io import read_spectrum as read_spectrum
    from asteroid_spectra.spectra.sets import SpectralSet as SpectralSet
    from asteroid_spectra.spectra.sets import load_spectra as load_spectra
    from asteroid_spectra.spectra.spectrum import Spectrum as Spectrum
else:
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        # asp.spectra("Vesta"): the spectra package is callable (spectra.asteroid)
        submodules=["spectra"],
        submod_attrs={
            "_version": ["__version__"],
            "config": ["get_settings"],
            "data.datasets": ["load_table"],
            "data.fetch": ["fetch"],
            "models.classify": ["classify"],
            "models.results": ["Classification"],
            "spectra.io": ["read_spectrum"],
            "spectra.sets": ["SpectralSet", "load_spectra"],
            "spectra.spectrum": ["Spectrum"],
        },
    )
