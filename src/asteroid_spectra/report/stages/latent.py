"""The latent-space stage: autoencoders, Gaussian mixtures by BIC, normality tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from asteroid_spectra import schema
from asteroid_spectra.report.sections import Section, Table, png
from asteroid_spectra.report.stages.common import Progress, Settings

__all__ = ["latent_stage"]


def latent_stage(settings: Settings, progress: Progress) -> Section:
    """Autoencoder reconstructions, the latent space, mixtures by BIC, normality tests."""
    from asteroid_spectra.cluster import AutoencoderEmbedding, run_cluster_study
    from asteroid_spectra.plotting.latent import (
        plot_bic_curves,
        plot_latent_space,
        plot_reconstructions,
    )
    from asteroid_spectra.spectra.sets import load_spectra

    seeds = range(settings.seed, settings.seed + settings.cluster_seeds)
    steps = 2 * len(seeds) + 2
    done = [0]

    def advance(message: str) -> None:
        done[0] += 1
        progress(done[0], steps)

    epochs = None if settings.max_epochs is None else 4 * settings.max_epochs
    params: dict[str, Any] | None = None if epochs is None else {"max_epochs": epochs}
    study = run_cluster_study(
        load_spectra("smass2"),
        max_components=8 if settings.quick else 15,
        seeds=seeds,
        autoencoder_params=params,
        progress=advance,
    )
    summary = study.summary()
    model, result = study.models[0], study.autoencoders[0]
    groups = study.objects[schema.MAIN_GROUP].astype(str).to_numpy()
    bus = study.objects[schema.BUS_CLASS].astype(str).to_numpy()
    rmse = np.asarray(result.reconstruction_rmse)
    examples = []
    for group in schema.MAIN_GROUPS:
        members = np.flatnonzero(groups == group)
        examples.append(int(members[np.argsort(rmse[members])][len(members) // 2]))
    rebuilt = model.inverse_transform(model.transform(study.spectra[examples]))
    titles = [f"{study.objects[schema.OBJECT_ID].iloc[i]} ({bus[i]})" for i in examples]
    plane_model = AutoencoderEmbedding(latent_dim=2, random_state=settings.seed)
    if epochs is not None:
        plane_model.set_params(max_epochs=epochs)
    plane = plane_model.fit_transform(study.spectra)
    progress(steps, steps)
    rows = [
        [
            r["name"],
            str(r["bic_optimal_k"]),
            f"{r['ari_main_group']:.2f}",
            f"{r['ari_bus']:.2f}",
            f"{r['henze_zirkler']['statistic']:.2f}",
            f"{r['henze_zirkler']['pvalue']:.2g}",
        ]
        for r in [*summary["autoencoders"], summary["pca"]]
    ]
    normality = (
        "Henze-Zirkler rejects multivariate normality of the latents, so the mixture "
        "components approximate the taxonomy rather than recover Gaussian classes."
        if not summary["henze_zirkler"]["normal"]
        else "Henze-Zirkler does not reject multivariate normality of the latents."
    )
    return Section(
        key="latent",
        title="Latent space: autoencoder, mixtures, normality",
        summary=(
            f"Convolutional autoencoders compress the spectra to {study.latent_dim} latent "
            "dimensions (median reconstruction RMSE "
            f"{summary['reconstruction_rmse_median']['mean']:.4f}), and Gaussian mixtures on "
            f"the latents choose k = {summary['bic_optimal_k']} components by BIC over seeds "
            f"(ARI with main groups {summary['ari_main_group']:.2f} ± "
            f"{summary['ari_main_group_std']:.2f}, with Bus classes "
            f"{summary['ari_bus']:.2f}). {normality}"
        ),
        numbers=summary,
        tables=[
            Table(
                "Per embedding (autoencoder seeds, then the PCA baseline)",
                ["embedding", "BIC k", "ARI main", "ARI Bus", "HZ", "HZ p"],
                rows,
            )
        ],
        figures=[
            png(
                plot_reconstructions(study.wavelength, study.spectra[examples], rebuilt, titles),
                "Reconstructions",
                "The median-error spectrum of each main group and its autoencoder reconstruction.",
            ),
            png(
                plot_latent_space(plane, groups, bus),
                "2-D latent space",
                "A 2-D autoencoder's latent space, coloured by main group and Bus class.",
            ),
            png(
                plot_bic_curves(study),
                "BIC curves",
                "BIC against the number of mixture "
                "components, one curve per seed (spread over seeds shaded).",
            ),
        ],
    )
