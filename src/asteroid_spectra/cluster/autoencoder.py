"""A 1-D convolutional autoencoder as a scikit-learn transformer.

The architecture follows the reference study: two convolutions (16 and 32 filters, each
followed by max-pooling) encode a spectrum into a small dense latent vector; a dense
layer and two transposed convolutions decode it. ``transform`` gives the latent vectors,
``inverse_transform`` the reconstructed spectra, and :meth:`reconstruction_error` the
RMSE of each spectrum's reconstruction (in reflectance units), usable as an
out-of-distribution score: spectra unlike the training set reconstruct badly.

References
----------
Hinton, G. E. & Salakhutdinov, R. R. (2006). Reducing the dimensionality of data with
neural networks. Science 313, 504-507.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    check_random_state,
    validate_data,
)
from torch import nn

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.nets import conv_stack

__all__ = ["AutoencoderEmbedding", "ConvAutoencoder"]


class ConvAutoencoder(nn.Module):
    """Conv → pool → conv → pool → dense latent → dense → two transposed convolutions.

    Inputs are padded (edge values repeated) to a multiple of 4 samples and the output is
    cropped back, so any grid length works.

    Parameters
    ----------
    n_inputs : int
        Samples per spectrum.
    latent_dim : int
        Size of the latent vector.
    channels : sequence of two int
        Filters of the two convolutions.
    kernel_size : int
        Convolution width (odd).
    """

    def __init__(
        self,
        n_inputs: int,
        latent_dim: int,
        channels: Sequence[int] = (16, 32),
        kernel_size: int = 5,
    ) -> None:
        super().__init__()
        first, second = channels
        self.n_inputs = n_inputs
        self.padded = int(np.ceil(n_inputs / 4) * 4)
        length = self.padded // 4
        self.encoder = nn.Sequential(
            conv_stack(channels, kernel_size),
            nn.Flatten(),
            nn.Linear(second * length, latent_dim),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, second * length),
            nn.ReLU(),
            nn.Unflatten(1, (second, length)),
            nn.ConvTranspose1d(second, first, 2, stride=2),
            nn.ReLU(),
            nn.ConvTranspose1d(first, 1, 2, stride=2),
        )

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Latent vectors of spectra of shape (batch, n_inputs)."""
        pad = self.padded - self.n_inputs
        x = x.unsqueeze(1)
        if pad:
            x = nn.functional.pad(x, (0, pad), mode="replicate")
        out: torch.Tensor = self.encoder(x)
        return out

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Spectra of shape (batch, n_inputs) decoded from latent vectors."""
        out: torch.Tensor = self.decoder(z)[:, 0, : self.n_inputs]
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruct spectra."""
        return self.decode(self.encode(x))


class AutoencoderEmbedding(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Embed spectra in a low-dimensional latent space with a convolutional autoencoder.

    Parameters
    ----------
    latent_dim : int
        Size of the latent vector (2 to look at it, 5 for clustering).
    channels : tuple of two int
        Filters of the two convolutions.
    kernel_size : int
        Convolution width (odd).
    max_epochs, batch_size, lr, weight_decay, patience : number
        AdamW training with early stopping on the validation reconstruction loss.
    validation_fraction : float
        Fraction of spectra held out for early stopping.
    noise : float
        Standard deviation of Gaussian noise added to training inputs (denoising).
    random_state : int, RandomState or None
        Seed of initialisation, split, batching and noise.

    Attributes
    ----------
    module_ : torch.nn.Module
        The trained autoencoder.
    offset_, scale_ : float
        Inputs are fed to the network as ``(x - offset_) / scale_``.
    history_ : list of dict
        Per epoch: ``epoch``, ``train_loss``, ``valid_loss``.
    best_epoch_ : int
        Epoch whose weights were kept.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> grid = np.linspace(0.44, 0.92, 49)
    >>> X = 1 + rng.normal(0, 0.3, (60, 1)) * (grid - 0.55)
    >>> ae = AutoencoderEmbedding(latent_dim=2, max_epochs=50, random_state=0).fit(X)
    >>> ae.transform(X).shape, ae.inverse_transform(ae.transform(X)).shape
    ((60, 2), (60, 49))
    """

    def __init__(
        self,
        latent_dim: int = 5,
        *,
        channels: tuple[int, int] = (16, 32),
        kernel_size: int = 5,
        max_epochs: int = 400,
        batch_size: int = 64,
        lr: float = 3e-3,
        weight_decay: float = 1e-5,
        patience: int = 40,
        validation_fraction: float = 0.15,
        noise: float = 0.0,
        random_state: Any = None,
    ) -> None:
        self.latent_dim = latent_dim
        self.channels = channels
        self.kernel_size = kernel_size
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.noise = noise
        self.random_state = random_state

    def fit(self, X: npt.ArrayLike, y: Any = None) -> AutoencoderEmbedding:
        """Train the autoencoder to reconstruct `X` (one spectrum per row)."""
        from asteroid_spectra.models.torch_training import torch_session, train_module

        if self.latent_dim < 1:
            raise ParameterError(
                "The 'latent_dim' parameter of AutoencoderEmbedding must be at least 1. "
                f"Got {self.latent_dim!r} instead."
            )
        inputs = np.asarray(validate_data(self, X, dtype=np.float32))
        self.offset_ = float(np.mean(inputs))
        spread = float(np.std(inputs))
        self.scale_ = spread if spread > 1e-12 else 1.0
        scaled = ((inputs - self.offset_) / self.scale_).astype(np.float32)
        seed = int(check_random_state(self.random_state).randint(0, 2**31 - 1))
        rows = np.arange(len(inputs))
        n_valid = int(self.validation_fraction * len(inputs))
        if n_valid >= 1 and len(inputs) - n_valid >= 2:
            train, valid = train_test_split(rows, test_size=n_valid, random_state=seed)
        else:
            train, valid = rows, rows[:0]
        rng = np.random.default_rng(seed)

        def batch(rows: npt.NDArray[np.intp], rng: np.random.Generator) -> npt.NDArray[np.float32]:
            values = scaled[rows]
            if self.noise > 0:
                noise = rng.normal(0, self.noise / self.scale_, values.shape)
                return (values + noise).astype(np.float32)
            return values

        with torch_session(seed):
            module = ConvAutoencoder(
                inputs.shape[1], self.latent_dim, tuple(self.channels), self.kernel_size
            )
            result = train_module(
                module,
                torch.nn.functional.mse_loss,
                batch,
                scaled,
                np.sort(train),
                scaled[np.sort(valid)] if len(valid) else None,
                scaled[np.sort(valid)] if len(valid) else None,
                max_epochs=self.max_epochs,
                batch_size=self.batch_size,
                lr=self.lr,
                weight_decay=self.weight_decay,
                patience=self.patience,
                rng=rng,
            )
        self.module_ = module
        self.history_ = result.history
        self.best_epoch_ = result.best_epoch
        return self

    def transform(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Latent vectors, shape (n, latent_dim)."""
        check_is_fitted(self, "module_")
        inputs = np.asarray(validate_data(self, X, reset=False, dtype=np.float32))
        scaled = ((inputs - self.offset_) / self.scale_).astype(np.float32)
        with torch.no_grad():
            latent = self.module_.encode(torch.from_numpy(scaled)).numpy()
        return np.asarray(latent, dtype=np.float64)

    def inverse_transform(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Spectra decoded from latent vectors `X`, in reflectance units."""
        check_is_fitted(self, "module_")
        latent = np.asarray(X, dtype=np.float32)
        if latent.ndim != 2 or latent.shape[1] != self.latent_dim:
            raise ParameterError(
                f"inverse_transform needs latent vectors of shape (n, {self.latent_dim}); "
                f"got {latent.shape}."
            )
        with torch.no_grad():
            decoded = self.module_.decode(torch.from_numpy(latent)).numpy()
        return np.asarray(decoded, dtype=np.float64) * self.scale_ + self.offset_

    def reconstruction_error(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Root-mean-square reconstruction error of each spectrum (reflectance units)."""
        values = np.asarray(X, dtype=np.float64)
        rebuilt = self.inverse_transform(self.transform(values))
        return np.asarray(np.sqrt(np.mean((rebuilt - values) ** 2, axis=1)))

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """Return the names ``latent0``, ``latent1``, … of the latent dimensions.

        `input_features`, if given, must match the features seen in `fit`.
        """
        check_is_fitted(self, "module_")
        _check_feature_names_in(self, input_features, generate_names=False)
        return np.asarray([f"latent{i}" for i in range(self.latent_dim)], dtype=object)
