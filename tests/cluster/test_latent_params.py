"""The parameters of the latent map's autoencoder."""

from __future__ import annotations

from asteroid_spectra.cluster.latent_params import LATENT_MAP_PARAMS


def test_default_parameters_are_the_studys_2d_seed_0_autoencoder() -> None:
    assert dict(LATENT_MAP_PARAMS) == {"latent_dim": 2, "random_state": 0}
