"""What a torch classifier trains on: the validation split, input scaling, augmentation.

:class:`~asteroid_spectra.models.torch_estimator.TorchClassifier` holds out a stratified
part of its training data (:func:`validation_split`) for early stopping and temperature
scaling, scales the inputs with statistics of the rest (:func:`fit_scaling`) and, at
each epoch, perturbs the training batches like an instrument would
(:func:`augment`: random slopes, Gaussian noise, noise at the measured errors). These are
pure numpy functions; the network itself is trained by
:func:`~asteroid_spectra.models.torch_training.train_module`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.model_selection import train_test_split

from asteroid_spectra.schema import NORMALISATION_WAVELENGTH

__all__ = ["augment", "fit_scaling", "validation_split"]

FloatArray32 = npt.NDArray[np.float32]


def validation_split(
    target: npt.NDArray[np.int64], fraction: float, seed: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Split the rows into training and validation rows, stratified by class if possible.

    Parameters
    ----------
    target : ndarray of int, shape (n,)
        Class indices ``0 … k-1``.
    fraction : float
        Fraction of the rows held out for validation (rounded down).
    seed : int
        Seed of the split.

    Returns
    -------
    train, valid : ndarray of int
        Sorted row indices. `valid` is empty when either part would have fewer rows than
        there are classes (then every row trains); the split is stratified unless a class
        has a single row.
    """
    index = np.arange(target.size)
    n_valid = math.floor(fraction * target.size)
    n_classes = int(target.max()) + 1
    if n_valid < n_classes or target.size - n_valid < n_classes:
        return index, index[:0]
    counts = np.bincount(target)
    stratify = target if counts.min() >= 2 else None
    train, valid = train_test_split(index, test_size=n_valid, stratify=stratify, random_state=seed)
    return np.sort(train), np.sort(valid)


def fit_scaling(X: FloatArray32, how: str | None) -> tuple[FloatArray32, FloatArray32]:
    """Offset and scale of each feature, so that inputs become ``(X - mean) / scale``.

    Parameters
    ----------
    X : ndarray of float32, shape (n, m)
        Training inputs.
    how : {"standard", "centre", None}
        ``"standard"``: each feature's mean and standard deviation (1 where it is
        constant); ``"centre"``: 1 (spectra normalised to unity) and one global spread,
        the root-mean-square of ``X - 1``; None: 0 and 1 (inputs as they are).

    Returns
    -------
    mean, scale : ndarray of float32, shape (m,)
    """
    if how == "standard":
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        return mean, np.where(std > 1e-12, std, 1.0).astype(np.float32)
    if how == "centre":
        spread = float(np.sqrt(np.mean((X - 1.0) ** 2)))
        mean = np.ones(X.shape[1], dtype=np.float32)
        return mean, np.full(X.shape[1], spread if spread > 1e-12 else 1.0, np.float32)
    return np.zeros(X.shape[1], dtype=np.float32), np.ones(X.shape[1], dtype=np.float32)


def augment(
    X: FloatArray32,
    errors: FloatArray32 | None,
    rng: np.random.Generator,
    *,
    noise: float = 0.0,
    error_noise: float = 0.0,
    slope_noise: float = 0.0,
    wavelength: Any = None,
) -> FloatArray32:
    """Perturb a batch of training spectra (a new array; `X` is not modified).

    In this order: a random slope per spectrum, ``X * (1 + s * (wavelength - 0.55))``
    with ``s ~ N(0, slope_noise)`` (µm⁻¹, unity kept at 0.55 µm); Gaussian noise of
    standard deviation `noise`; Gaussian noise of ``error_noise * errors``. A zero
    setting (or no `errors`) skips its step.

    Parameters
    ----------
    X : ndarray of float32, shape (n, m)
        The batch.
    errors : ndarray of float32, shape (n, m), optional
        1-sigma errors of the batch.
    rng : numpy.random.Generator
        Source of the perturbations.
    noise, error_noise, slope_noise : float
        Sizes of the three perturbations.
    wavelength : array_like, shape (m,), optional
        Wavelength (µm) of each feature; needed when `slope_noise` is positive.

    Returns
    -------
    ndarray of float32, shape (n, m)
    """
    out = X
    if slope_noise > 0:
        offset = np.asarray(wavelength, dtype=np.float32) - NORMALISATION_WAVELENGTH
        slopes = rng.normal(0, slope_noise, (X.shape[0], 1)).astype(np.float32)
        out = out * (1 + slopes * offset)
    if noise > 0:
        out = out + rng.normal(0, noise, X.shape).astype(np.float32)
    if error_noise > 0 and errors is not None:
        out = out + (rng.standard_normal(X.shape) * error_noise * errors).astype(np.float32)
    return out
