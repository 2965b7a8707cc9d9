"""Network architectures: plain :class:`torch.nn.Module` classes, no training logic.

:class:`~asteroid_spectra.models.torch_estimator.TorchClassifier` builds them by name and
routes its ``module__*`` parameters to their constructors. Each takes ``n_inputs`` (the
number of wavelengths) and ``n_classes`` and returns logits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from asteroid_spectra.exceptions import ParameterError

__all__ = ["ARCHITECTURES", "ConvNet", "DenseNet", "build", "conv_stack"]


class DenseNet(nn.Module):
    """Fully connected net, by default 49 → 25 → 10 → k as in the reference tutorial.

    Parameters
    ----------
    n_inputs, n_classes : int
        Input wavelengths and output classes.
    hidden : sequence of int
        Width of each hidden layer.
    dropout : float
        Dropout after each hidden layer's activation.
    activation : {"relu", "gelu"}
        Activation of the hidden layers.
    """

    def __init__(
        self,
        n_inputs: int,
        n_classes: int,
        hidden: Sequence[int] = (25, 10),
        dropout: float = 0.0,
        activation: str = "relu",
    ) -> None:
        super().__init__()
        activations = {"relu": nn.ReLU, "gelu": nn.GELU}
        if activation not in activations:
            raise ParameterError(
                f"The 'activation' parameter of DenseNet must be 'relu' or 'gelu'. "
                f"Got {activation!r} instead."
            )
        layers: list[nn.Module] = []
        width = n_inputs
        for size in hidden:
            layers += [nn.Linear(width, size), activations[activation](), nn.Dropout(dropout)]
            width = size
        layers.append(nn.Linear(width, n_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return logits, shape (batch, n_classes)."""
        out: torch.Tensor = self.layers(x)
        return out


def conv_stack(channels: Sequence[int], kernel_size: int) -> nn.Sequential:
    """Two convolutions, each followed by ReLU and max-pooling by 2 (length kept by padding).

    Input shape (batch, 1, length), output (batch, channels[1], length // 4).
    """
    first, second = channels
    padding = kernel_size // 2
    return nn.Sequential(
        nn.Conv1d(1, first, kernel_size, padding=padding),
        nn.ReLU(),
        nn.MaxPool1d(2),
        nn.Conv1d(first, second, kernel_size, padding=padding),
        nn.ReLU(),
        nn.MaxPool1d(2),
    )


class ConvNet(nn.Module):
    """1-D convolutional net: conv → pool → conv → pool → dense → logits.

    Parameters
    ----------
    n_inputs, n_classes : int
        Input wavelengths and output classes.
    channels : sequence of two int
        Filters of the two convolutions.
    kernel_size : int
        Width of the convolution kernels (odd; padding keeps the length).
    hidden : int
        Width of the dense layer.
    dropout : float
        Dropout before the output layer.
    """

    def __init__(
        self,
        n_inputs: int,
        n_classes: int,
        channels: Sequence[int] = (16, 32),
        kernel_size: int = 5,
        hidden: int = 64,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if kernel_size % 2 == 0:
            raise ParameterError(
                "The 'kernel_size' parameter of ConvNet must be odd (padding keeps the length). "
                f"Got {kernel_size!r} instead."
            )
        second = channels[1]
        self.features = conv_stack(channels, kernel_size)
        length = n_inputs // 2 // 2
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(second * length, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return logits, shape (batch, n_classes), for inputs of shape (batch, n_inputs)."""
        out: torch.Tensor = self.head(self.features(x.unsqueeze(1)))
        return out


ARCHITECTURES: dict[str, type[nn.Module]] = {"dense": DenseNet, "conv": ConvNet}
"""Architectures by name."""


def build(name: str, n_inputs: int, n_classes: int, **params: Any) -> nn.Module:
    """Instantiate architecture `name` with its ``module__*`` parameters.

    Raises
    ------
    ParameterError
        If `name` is unknown or a parameter is not accepted by the architecture.
    """
    try:
        cls = ARCHITECTURES[name]
    except KeyError:
        raise ParameterError(
            f"The 'module' parameter must be one of {', '.join(ARCHITECTURES)}. "
            f"Got {name!r} instead."
        ) from None
    try:
        return cls(n_inputs, n_classes, **params)
    except TypeError as error:
        raise ParameterError(f"Invalid module__ parameters for {name!r}: {error}") from None
