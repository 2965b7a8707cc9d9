"""The parameters of the latent map's autoencoder: defaults, the 2-D check, JSON form.

The map (:mod:`~asteroid_spectra.cluster.latent_map`) is the two-dimensional
:class:`~asteroid_spectra.cluster.autoencoder.AutoencoderEmbedding` of the latent-space
study, seed 0: :data:`LATENT_MAP_PARAMS`, which :func:`map_params` updates with a caller's
parameters. The parameters are written to the map's card and hashed into its cache key as
JSON (:func:`params_to_json`), and read back with :func:`params_from_json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asteroid_spectra.exceptions import DataError, ParameterError

__all__ = ["LATENT_MAP_PARAMS", "map_params", "params_from_json", "params_to_json"]

SEED = 0
"""Seed of the map's autoencoder (as the first seed of the latent-space study)."""

LATENT_MAP_PARAMS: Mapping[str, Any] = {"latent_dim": 2, "random_state": SEED}
"""Parameters of the map's :class:`~.autoencoder.AutoencoderEmbedding`; the others are
the defaults (400 epochs at most, early stopping after 40)."""


def map_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return :data:`LATENT_MAP_PARAMS` updated with `params`.

    Raises
    ------
    ParameterError
        If `params` asks for another latent dimension than 2.
    """
    chosen = {**LATENT_MAP_PARAMS, **(params or {})}
    if chosen["latent_dim"] != 2:
        raise ParameterError(
            "The 'latent_dim' parameter of the latent map must be 2 (it is drawn in a plane). "
            f"Got {chosen['latent_dim']!r} instead."
        )
    return chosen


def params_to_json(params: Mapping[str, Any]) -> dict[str, Any]:
    """Hyperparameters as JSON values (tuples become lists; the seed must be an int).

    Raises
    ------
    DataError
        If a value is not a JSON value (e.g. a ``RandomState`` as the seed).

    Examples
    --------
    >>> params_to_json({"channels": (16, 32), "random_state": 0})
    {'channels': [16, 32], 'random_state': 0}
    """
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, int | float | str | bool | list | type(None)):
            raise DataError(
                f"The latent map's parameter {key!r} must be a JSON value (an int seed, a "
                f"number…) to be saved; got {type(value).__name__}."
            )
        out[key] = value
    return out


def params_from_json(params: Mapping[str, Any]) -> dict[str, Any]:
    """Hyperparameters read back from JSON: lists become tuples again.

    Examples
    --------
    >>> params_from_json({"channels": [16, 32], "random_state": 0})
    {'channels': (16, 32), 'random_state': 0}
    """
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
