"""Unsupervised latent-space analysis: autoencoders, Gaussian mixtures, statistics, map."""

from __future__ import annotations

from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding, ConvAutoencoder
from asteroid_spectra.cluster.latent_map import LatentMap
from asteroid_spectra.cluster.mixtures import MixtureSweep, fit_mixture, sweep_mixtures
from asteroid_spectra.cluster.statistics import agreement, henze_zirkler, mardia
from asteroid_spectra.cluster.study import ClusterStudy, analyse_embedding, run_cluster_study

__all__ = [
    "AutoencoderEmbedding",
    "ClusterStudy",
    "ConvAutoencoder",
    "LatentMap",
    "MixtureSweep",
    "agreement",
    "analyse_embedding",
    "fit_mixture",
    "henze_zirkler",
    "mardia",
    "run_cluster_study",
    "sweep_mixtures",
]
