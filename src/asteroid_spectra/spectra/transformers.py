"""scikit-learn transformers over matrices of spectra sampled on one wavelength grid.

Each transformer takes ``X`` of shape ``(n_spectra, n_wavelengths)`` whose columns are
the samples at ``wavelength`` (µm) and applies one pure function of
:mod:`~asteroid_spectra.spectra.preprocess` or :mod:`~asteroid_spectra.spectra.shape`;
they are stateless, so they can sit in a :class:`~sklearn.pipeline.Pipeline` and be
cross-validated without leakage.

Examples
--------
>>> import numpy as np
>>> from sklearn.pipeline import make_pipeline
>>> grid = np.linspace(0.44, 0.92, 49)
>>> X = 1 + 0.5 * (grid - 0.55)[np.newaxis, :].repeat(3, axis=0)
>>> pipeline = make_pipeline(Normaliser(grid), SlopeRemover(grid))
>>> np.allclose(pipeline.fit_transform(X), 1.0)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.schema import NORMALISATION_WAVELENGTH
from asteroid_spectra.spectra import preprocess, shape

__all__ = [
    "Derivative",
    "Normaliser",
    "Resampler",
    "SlopeFeature",
    "SlopeRemover",
    "Smoother",
]

FloatArray = npt.NDArray[np.float64]


class _GridTransformer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Shared validation: ``X`` has one column per value of ``wavelength``."""

    wavelength: Any

    def _grid(self) -> FloatArray:
        grid = np.asarray(self.wavelength, dtype=np.float64)
        if grid.ndim != 1:
            raise SpectrumError(
                f"The 'wavelength' parameter of {type(self).__name__} must be a 1-D grid in µm. "
                f"Got shape {grid.shape} instead."
            )
        return grid

    def fit(self, X: npt.ArrayLike, y: Any = None) -> _GridTransformer:
        """Check that ``X`` matches the grid; learns nothing else."""
        X = validate_data(self, X, reset=True)
        grid = self._grid()
        if grid.size != self.n_features_in_:
            raise SpectrumError(
                f"The 'wavelength' parameter of {type(self).__name__} must have one value per "
                f"column of X. Got {grid.size} wavelengths for {self.n_features_in_} columns "
                "instead."
            )
        return self

    def _validated(self, X: npt.ArrayLike) -> FloatArray:
        check_is_fitted(self, "n_features_in_")
        return np.asarray(validate_data(self, X, reset=False), dtype=np.float64)

    def _names(self, grid: npt.ArrayLike, prefix: str) -> npt.NDArray[np.object_]:
        return np.asarray([f"{prefix}_{w:.4f}" for w in np.asarray(grid)], dtype=object)

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """Names like ``reflectance_0.5500`` (one per output wavelength)."""
        check_is_fitted(self, "n_features_in_")
        return self._names(self._grid(), "reflectance")


class Resampler(_GridTransformer):
    """Resample spectra from ``wavelength`` to ``grid``.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Input grid in µm.
    grid : array_like, shape (k,)
        Output grid in µm, inside the input range.
    method : {"auto", "spline", "bands", "linear"}
        See :func:`~asteroid_spectra.spectra.preprocess.resample`.
    """

    def __init__(self, wavelength: Any, grid: Any, method: str = "auto") -> None:
        self.wavelength = wavelength
        self.grid = grid
        self.method = method

    def transform(self, X: npt.ArrayLike) -> FloatArray:
        """Return the spectra on ``grid``, shape (n, k)."""
        values = self._validated(X)
        return preprocess.resample(self._grid(), values, self.grid, method=self.method).reflectance  # type: ignore[arg-type]

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """Names like ``reflectance_0.5500`` (one per value of ``grid``)."""
        check_is_fitted(self, "n_features_in_")
        return self._names(self.grid, "reflectance")


class Normaliser(_GridTransformer):
    """Divide each spectrum by its reflectance at ``at`` µm.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm.
    at : float
        Normalisation wavelength, µm (default 0.55).
    window : float
        Average the samples within ±``window`` µm of ``at`` instead of interpolating.
    """

    def __init__(
        self, wavelength: Any, at: float = NORMALISATION_WAVELENGTH, window: float = 0.0
    ) -> None:
        self.wavelength = wavelength
        self.at = at
        self.window = window

    def transform(self, X: npt.ArrayLike) -> FloatArray:
        """Return the normalised spectra, same shape."""
        values = self._validated(X)
        return preprocess.normalise(
            self._grid(), values, at=self.at, window=self.window
        ).reflectance


class SlopeRemover(_GridTransformer):
    """Divide normalised spectra by their slope line through unity at ``at`` µm.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm.
    at : float
        Wavelength where the slope line passes through unity, µm.
    """

    def __init__(self, wavelength: Any, at: float = NORMALISATION_WAVELENGTH) -> None:
        self.wavelength = wavelength
        self.at = at

    def transform(self, X: npt.ArrayLike) -> FloatArray:
        """Return the slope-removed spectra, same shape."""
        values = self._validated(X)
        return shape.remove_slope(self._grid(), values, at=self.at).reflectance


class SlopeFeature(_GridTransformer):
    """The spectral slope (µm⁻¹) of normalised spectra, as one feature column.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm.
    at : float
        Wavelength where the slope line passes through unity, µm.
    """

    def __init__(self, wavelength: Any, at: float = NORMALISATION_WAVELENGTH) -> None:
        self.wavelength = wavelength
        self.at = at

    def transform(self, X: npt.ArrayLike) -> FloatArray:
        """Return the slopes, shape (n, 1)."""
        values = self._validated(X)
        return shape.slope(self._grid(), values, at=self.at)[:, np.newaxis]

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """``["slope"]``."""
        check_is_fitted(self, "n_features_in_")
        return np.asarray(["slope"], dtype=object)


class Smoother(_GridTransformer):
    """Smooth spectra with a cubic smoothing spline.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm.
    lam : float, optional
        Smoothing strength; None chooses it per spectrum by generalised cross-validation.
    """

    def __init__(self, wavelength: Any, lam: float | None = None) -> None:
        self.wavelength = wavelength
        self.lam = lam

    def transform(self, X: npt.ArrayLike) -> FloatArray:
        """Return the smoothed spectra, same shape."""
        values = self._validated(X)
        return shape.smooth(self._grid(), values, lam=self.lam)


class Derivative(_GridTransformer):
    """The wavelength derivative of the spectra, dR/dλ in µm⁻¹ (central differences).

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Grid in µm.
    order : {1, 2}
        First or second derivative.
    """

    def __init__(self, wavelength: Any, order: int = 1) -> None:
        self.wavelength = wavelength
        self.order = order

    def transform(self, X: npt.ArrayLike) -> FloatArray:
        """Return the derivative of each spectrum, same shape."""
        if self.order not in (1, 2):
            raise SpectrumError(
                f"The 'order' parameter of Derivative must be 1 or 2. Got {self.order!r} instead."
            )
        values = self._validated(X)
        grid = self._grid()
        for _ in range(self.order):
            values = np.gradient(values, grid, axis=1)
        return values

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """Names like ``derivative1_0.5500``."""
        check_is_fitted(self, "n_features_in_")
        return self._names(self._grid(), f"derivative{self.order}")
