"""Spectral features as one scikit-learn transformer.

Combines, side by side, any of: the reflectance itself, the Bus & Binzel (2002) spectral
slope, the slope-removed spectrum, the first derivative and a PCA projection. Every part
is a stateless transformer of :mod:`asteroid_spectra.spectra.transformers` (or PCA, fitted
on the training data only), so the union is safe inside cross-validation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy.typing as npt
from sklearn.decomposition import PCA
from sklearn.pipeline import FeatureUnion

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.spectra.transformers import Derivative, SlopeFeature, SlopeRemover

__all__ = ["FEATURES", "spectral_features"]

FEATURES = ("reflectance", "slope", "slope-removed", "derivative", "pca")
"""Names of the available feature blocks."""


def spectral_features(
    wavelength: npt.ArrayLike, kinds: Sequence[str] = ("reflectance",), n_components: int = 10
) -> FeatureUnion:
    """Return a :class:`~sklearn.pipeline.FeatureUnion` of the requested feature blocks.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid (µm) of the input spectra, normalised to unity at 0.55 µm.
    kinds : sequence of str
        Blocks from :data:`FEATURES`, in output order.
    n_components : int
        Components of the ``"pca"`` block.

    Raises
    ------
    ParameterError
        If a block name is unknown or `kinds` is empty.

    Examples
    --------
    >>> import numpy as np
    >>> grid = np.linspace(0.44, 0.92, 49)
    >>> union = spectral_features(grid, ["reflectance", "slope"])
    >>> union.fit_transform(np.ones((3, 49))).shape
    (3, 50)
    """
    if not kinds:
        raise ParameterError(
            "The 'kinds' parameter of spectral_features must name at least one block."
        )
    blocks: list[tuple[str, Any]] = []
    for kind in kinds:
        if kind == "reflectance":
            blocks.append((kind, "passthrough"))
        elif kind == "slope":
            blocks.append((kind, SlopeFeature(wavelength)))
        elif kind == "slope-removed":
            blocks.append((kind, SlopeRemover(wavelength)))
        elif kind == "derivative":
            blocks.append((kind, Derivative(wavelength)))
        elif kind == "pca":
            blocks.append((kind, PCA(n_components)))
        else:
            raise ParameterError(
                f"Unknown feature block {kind!r}; expected one of {', '.join(FEATURES)}."
            )
    return FeatureUnion(blocks)
