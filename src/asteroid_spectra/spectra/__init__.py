"""Spectra: the :class:`Spectrum` value object, readers, pure preprocessing, transformers.

Importing the package loads none of its modules: each name loads its module on first use
(:func:`lazy_loader.attach`), so ``asteroid_spectra.spectra.units`` does not import
scikit-learn.

The package is also callable: ``asteroid_spectra.spectra("Vesta")`` returns every
spectrum of an asteroid across the surveys, with its classes
(:func:`~asteroid_spectra.spectra.asteroid.spectra_of`).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra.spectra.io import parse_text as parse_text
    from asteroid_spectra.spectra.io import read_spectrum as read_spectrum
    from asteroid_spectra.spectra.io import spectrum_from_table as spectrum_from_table
    from asteroid_spectra.spectra.preprocess import normalise as normalise
    from asteroid_spectra.spectra.preprocess import resample as resample
    from asteroid_spectra.spectra.sets import SpectralSet as SpectralSet
    from asteroid_spectra.spectra.sets import load_spectra as load_spectra
    from asteroid_spectra.spectra.shape import remove_slope as remove_slope
    from asteroid_spectra.spectra.shape import slope as slope
    from asteroid_spectra.spectra.shape import smooth as smooth
    from asteroid_spectra.spectra.spectrum import Spectrum as Spectrum
    from asteroid_spectra.spectra.transformers import Derivative as Derivative
    from asteroid_spectra.spectra.transformers import Normaliser as Normaliser
    from asteroid_spectra.spectra.transformers import Resampler as Resampler
    from asteroid_spectra.spectra.transformers import SlopeFeature as SlopeFeature
    from asteroid_spectra.spectra.transformers import SlopeRemover as SlopeRemover
    from asteroid_spectra.spectra.transformers import Smoother as Smoother
else:
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        submod_attrs={
            "io": ["parse_text", "read_spectrum", "spectrum_from_table"],
            "preprocess": ["normalise", "resample"],
            "sets": ["SpectralSet", "load_spectra"],
            "shape": ["remove_slope", "slope", "smooth"],
            "spectrum": ["Spectrum"],
            "transformers": [
                "Derivative",
                "Normaliser",
                "Resampler",
                "SlopeFeature",
                "SlopeRemover",
                "Smoother",
            ],
        },
    )


class _CallablePackage(types.ModuleType):
    """The spectra package, callable as :func:`~asteroid_spectra.spectra.asteroid.spectra_of`.

    ``asteroid_spectra.spectra`` is both this package and, for users,
    ``asp.spectra("Vesta")``: Python binds the package to that name once it is imported,
    so the package itself answers the call.
    """

    def __call__(self, asteroid: str | int, **kwargs: Any) -> Any:
        from asteroid_spectra.spectra.asteroid import spectra_of

        return spectra_of(asteroid, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
