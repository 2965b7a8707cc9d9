"""Unsupervised latent-space analysis: autoencoders, Gaussian mixtures, statistics, map.

Importing the package loads none of its modules: each name loads its module on first use
(:func:`lazy_loader.attach`), so importing it does not import torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding as AutoencoderEmbedding
    from asteroid_spectra.cluster.autoencoder import ConvAutoencoder as ConvAutoencoder
    from asteroid_spectra.cluster.latent_map import LatentMap as LatentMap
    from asteroid_spectra.cluster.mixtures import MixtureSweep as MixtureSweep
    from asteroid_spectra.cluster.mixtures import fit_mixture as fit_mixture
    from asteroid_spectra.cluster.mixtures import sweep_mixtures as sweep_mixtures
    from asteroid_spectra.cluster.statistics import agreement as agreement
    from asteroid_spectra.cluster.statistics import henze_zirkler as henze_zirkler
    from asteroid_spectra.cluster.statistics import mardia as mardia
    from asteroid_spectra.cluster.study import ClusterStudy as ClusterStudy
    from asteroid_spectra.cluster.study import analyse_embedding as analyse_embedding
    from asteroid_spectra.cluster.study import run_cluster_study as run_cluster_study
else:
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        submod_attrs={
            "autoencoder": ["AutoencoderEmbedding", "ConvAutoencoder"],
            "latent_map": ["LatentMap"],
            "mixtures": ["MixtureSweep", "fit_mixture", "sweep_mixtures"],
            "statistics": ["agreement", "henze_zirkler", "mardia"],
            "study": ["ClusterStudy", "analyse_embedding", "run_cluster_study"],
        },
    )
