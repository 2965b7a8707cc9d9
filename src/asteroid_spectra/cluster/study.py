"""The latent-space study: whether the taxonomy classes exist in the data alone.

For several autoencoder seeds, :func:`run_cluster_study` embeds the labelled SMASSII
spectra in a ``latent_dim``-dimensional latent space, sweeps Gaussian mixtures with
1..K components over several initialisation seeds, takes the BIC-optimal number of
components, compares the resulting clusters with the main groups and Bus classes
(adjusted Rand index, normalised mutual information, contingency table), and tests the
latent vectors, and each cluster, for multivariate normality (Henze-Zirkler, Mardia). A
PCA embedding of the same dimension goes through the same steps as a baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding
from asteroid_spectra.cluster.mixtures import MixtureSweep, fit_mixture, sweep_mixtures
from asteroid_spectra.cluster.statistics import agreement, henze_zirkler, mardia
from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.spectra.sets import SpectralSet

__all__ = ["ClusterStudy", "EmbeddingResult", "analyse_embedding", "run_cluster_study"]

Progress = Callable[[str], None]


@dataclass
class EmbeddingResult:
    """One embedding (an autoencoder seed, or PCA) analysed.

    Attributes
    ----------
    name : str
        ``"autoencoder seed 3"`` or ``"pca"``.
    latent : ndarray, shape (n, d)
        The embedded spectra.
    sweep : MixtureSweep
        BIC/AIC of mixtures with 1..K components over the mixture seeds.
    best_k : int
        Number of components with the lowest BIC over all mixture seeds.
    clusters : ndarray, shape (n,)
        Cluster of each spectrum in the best mixture with ``best_k`` components.
    agreement_main_group, agreement_bus : dict
        :func:`~asteroid_spectra.cluster.statistics.agreement` with the taxonomy.
    henze_zirkler, mardia : dict
        Normality tests of all latent vectors.
    cluster_normality : list of dict
        Henze-Zirkler test of each cluster with enough members.
    reconstruction_rmse : ndarray, optional
        Per-spectrum reconstruction RMSE (autoencoders only).
    """

    name: str
    latent: npt.NDArray[np.float64]
    sweep: MixtureSweep
    best_k: int
    clusters: npt.NDArray[np.int64]
    agreement_main_group: dict[str, Any]
    agreement_bus: dict[str, Any]
    henze_zirkler: dict[str, Any]
    mardia: dict[str, Any]
    cluster_normality: list[dict[str, Any]]
    reconstruction_rmse: npt.NDArray[np.float64] | None = None

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (no arrays of points)."""
        out: dict[str, Any] = {
            "name": self.name,
            "bic_optimal_k_by_mixture_seed": self.sweep.bic_optimal_k.tolist(),
            "bic_optimal_k": self.best_k,
            "ari_main_group": self.agreement_main_group["ari"],
            "nmi_main_group": self.agreement_main_group["nmi"],
            "ari_bus": self.agreement_bus["ari"],
            "nmi_bus": self.agreement_bus["nmi"],
            "henze_zirkler": self.henze_zirkler,
            "mardia": self.mardia,
            "cluster_normality": self.cluster_normality,
            "sweep": self.sweep.to_dict(),
        }
        if self.reconstruction_rmse is not None:
            out["reconstruction_rmse_median"] = float(np.median(self.reconstruction_rmse))
        return out


def analyse_embedding(
    name: str,
    latent: npt.ArrayLike,
    main_group: npt.ArrayLike,
    bus: npt.ArrayLike,
    *,
    max_components: int = 15,
    mixture_seeds: Sequence[int] = (0, 1, 2, 3, 4),
    reconstruction_rmse: npt.ArrayLike | None = None,
) -> EmbeddingResult:
    """Sweep mixtures on `latent`, cluster with the BIC-optimal k and test the result."""
    points = np.asarray(latent, dtype=np.float64)
    sweep = sweep_mixtures(points, max_components, mixture_seeds)
    best_seed_row, best_column = np.unravel_index(np.argmin(sweep.bic), sweep.bic.shape)
    best_k = int(sweep.n_components[best_column])
    mixture = fit_mixture(points, best_k, sweep.seeds[int(best_seed_row)])
    clusters = mixture.predict(points)
    normality = []
    for cluster in range(best_k):
        members = points[clusters == cluster]
        if len(members) > 2 * points.shape[1] + 2:
            test = henze_zirkler(members)
            normality.append({"cluster": cluster, "n": len(members), **test})
    return EmbeddingResult(
        name=name,
        latent=points,
        sweep=sweep,
        best_k=best_k,
        clusters=np.asarray(clusters, dtype=np.int64),
        agreement_main_group=agreement(main_group, clusters),
        agreement_bus=agreement(bus, clusters),
        henze_zirkler=henze_zirkler(points),
        mardia=mardia(points),
        cluster_normality=normality,
        reconstruction_rmse=None
        if reconstruction_rmse is None
        else np.asarray(reconstruction_rmse, dtype=np.float64),
    )


@dataclass
class ClusterStudy:
    """Results of :func:`run_cluster_study`.

    Attributes
    ----------
    latent_dim, max_components : int
        Settings.
    seeds : tuple of int
        Autoencoder seeds (also the mixture seeds).
    objects : DataFrame
        The spectra's identity and labels.
    spectra : ndarray, shape (n, m)
        The spectra (for reconstruction figures).
    wavelength : ndarray
        Their grid.
    autoencoders : list of EmbeddingResult
        One per autoencoder seed.
    pca : EmbeddingResult
        The PCA baseline.
    models : list of AutoencoderEmbedding
        The trained autoencoders (same order).
    """

    latent_dim: int
    max_components: int
    seeds: tuple[int, ...]
    objects: pd.DataFrame
    spectra: npt.NDArray[np.float64]
    wavelength: npt.NDArray[np.float64]
    autoencoders: list[EmbeddingResult] = field(default_factory=list)
    pca: EmbeddingResult | None = None
    models: list[AutoencoderEmbedding] = field(default_factory=list)

    def reconstruction_table(self) -> pd.DataFrame:
        """Median reconstruction RMSE per main group and Bus class (over seeds: mean, std)."""
        rows = []
        for result in self.autoencoders:
            assert result.reconstruction_rmse is not None
            frame = pd.DataFrame(
                {
                    "rmse": result.reconstruction_rmse,
                    schema.MAIN_GROUP: self.objects[schema.MAIN_GROUP].astype(str).to_numpy(),
                    schema.BUS_CLASS: self.objects[schema.BUS_CLASS].astype(str).to_numpy(),
                }
            )
            for column in (schema.MAIN_GROUP, schema.BUS_CLASS):
                for label, value in frame.groupby(column)["rmse"].median().items():
                    rows.append({"by": column, "label": label, "seed": result.name, "rmse": value})
            rows.append(
                {
                    "by": "all",
                    "label": "all",
                    "seed": result.name,
                    "rmse": float(np.median(result.reconstruction_rmse)),
                }
            )
        table = pd.DataFrame(rows).groupby(["by", "label"])["rmse"].agg(["mean", "std", "count"])
        return table.reset_index()

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary; the headline keys are the first ones."""
        assert self.pca is not None
        ks = [r.best_k for r in self.autoencoders]
        ari = [r.agreement_main_group["ari"] for r in self.autoencoders]
        nmi = [r.agreement_main_group["nmi"] for r in self.autoencoders]
        first = self.autoencoders[0]
        values, counts = np.unique(ks, return_counts=True)
        reconstruction = self.reconstruction_table()
        overall = reconstruction[reconstruction["by"] == "all"].iloc[0]
        return {
            "bic_optimal_k": ks,
            "bic_optimal_k_counts": {int(v): int(c) for v, c in zip(values, counts, strict=True)},
            "ari_main_group": float(np.mean(ari)),
            "ari_main_group_std": float(np.std(ari, ddof=1)) if len(ari) > 1 else 0.0,
            "nmi_main_group": float(np.mean(nmi)),
            "nmi_main_group_std": float(np.std(nmi, ddof=1)) if len(nmi) > 1 else 0.0,
            "ari_bus": float(np.mean([r.agreement_bus["ari"] for r in self.autoencoders])),
            "nmi_bus": float(np.mean([r.agreement_bus["nmi"] for r in self.autoencoders])),
            "henze_zirkler": first.henze_zirkler,
            "henze_zirkler_by_seed": [r.henze_zirkler for r in self.autoencoders],
            "mardia": first.mardia,
            "reconstruction_rmse_median": {
                "mean": float(overall["mean"]),
                "std": float(overall["std"]) if overall["count"] > 1 else 0.0,
            },
            # One seed has no spread: 0, as above, rather than NaN (not valid JSON).
            "reconstruction_rmse_by_class": reconstruction.fillna({"std": 0.0}).to_dict(
                orient="records"
            ),
            "contingency_main_group": first.agreement_main_group["contingency"].to_dict(),
            "pca": self.pca.summary(),
            "autoencoders": [r.summary() for r in self.autoencoders],
            "latent_dim": self.latent_dim,
            "max_components": self.max_components,
            "seeds": list(self.seeds),
            "n_spectra": len(self.objects),
        }


def run_cluster_study(
    spectra: SpectralSet,
    *,
    latent_dim: int = 5,
    max_components: int = 15,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    autoencoder_params: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> ClusterStudy:
    """Run the latent-space study on the labelled spectra of `spectra`.

    Parameters
    ----------
    spectra : SpectralSet
        Spectra with Bus labels (e.g. ``load_spectra("smass2")``); unlabelled ones are
        left out.
    latent_dim : int
        Latent dimension of the autoencoders and of the PCA baseline (at least 2).
    max_components : int
        Largest mixture size of the sweeps.
    seeds : sequence of int
        Autoencoder seeds (at least one); the same values seed the mixture
        initialisations.
    autoencoder_params : dict, optional
        Extra :class:`~.autoencoder.AutoencoderEmbedding` parameters.
    progress : callable, optional
        Called with a short description after each step.

    Returns
    -------
    ClusterStudy
    """
    from threadpoolctl import threadpool_limits

    if latent_dim < 2:
        raise ParameterError(
            "The 'latent_dim' parameter of run_cluster_study must be at least 2 (the "
            f"Henze-Zirkler test needs two dimensions). Got {latent_dim!r} instead."
        )
    if len(seeds) < 1:
        raise ParameterError(
            "The 'seeds' parameter of run_cluster_study must hold at least one seed. "
            f"Got {seeds!r} instead."
        )
    with threadpool_limits(1):  # tiny matrices: threads only cost (30x on a busy machine)
        return _run(spectra, latent_dim, max_components, seeds, autoencoder_params, progress)


def _run(
    spectra: SpectralSet,
    latent_dim: int,
    max_components: int,
    seeds: Sequence[int],
    autoencoder_params: dict[str, Any] | None,
    progress: Progress | None,
) -> ClusterStudy:
    from sklearn.decomposition import PCA

    labelled = spectra.labelled()
    X = np.asarray(labelled.reflectance, dtype=np.float64)
    main_group = labelled.labels(schema.MAIN_GROUP).astype(str)
    bus = labelled.labels(schema.BUS_CLASS).astype(str)
    seeds = tuple(int(s) for s in seeds)
    study = ClusterStudy(
        latent_dim, max_components, seeds, labelled.objects, X, np.asarray(labelled.wavelength)
    )
    for seed in seeds:
        model = AutoencoderEmbedding(latent_dim, random_state=seed, **(autoencoder_params or {}))
        model.fit(X)
        if progress is not None:
            progress(f"autoencoder seed {seed} trained")
        result = analyse_embedding(
            f"autoencoder seed {seed}",
            model.transform(X),
            main_group,
            bus,
            max_components=max_components,
            mixture_seeds=seeds,
            reconstruction_rmse=model.reconstruction_error(X),
        )
        study.models.append(model)
        study.autoencoders.append(result)
        if progress is not None:
            progress(f"autoencoder seed {seed}: BIC-optimal k = {result.best_k}")
    latent = PCA(latent_dim, random_state=seeds[0]).fit_transform(X)
    study.pca = analyse_embedding(
        "pca", latent, main_group, bus, max_components=max_components, mixture_seeds=seeds
    )
    if progress is not None:
        progress(f"PCA baseline: BIC-optimal k = {study.pca.best_k}")
    return study
