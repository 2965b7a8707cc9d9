"""CLI command of the latent-space study: cluster."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from asteroid_spectra.cli.common import console, fail, out, save_figure
from asteroid_spectra.data.jsonable import json_default

__all__ = ["cluster"]


def _write_figures(study: Any, directory: Path) -> list[Path]:
    """Reconstructions, 2-D latent space (PNG and interactive HTML), BIC curves."""
    import numpy as np

    from asteroid_spectra import schema
    from asteroid_spectra.cluster import AutoencoderEmbedding
    from asteroid_spectra.plotting.latent import (
        plot_bic_curves,
        plot_latent_space,
        plot_reconstructions,
    )
    from asteroid_spectra.viewer.latent import latent_space_figure

    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    model, result = study.models[0], study.autoencoders[0]
    groups = study.objects[schema.MAIN_GROUP].astype(str).to_numpy()
    examples = []
    for group in schema.MAIN_GROUPS:  # the median-error spectrum of each group
        rows = np.flatnonzero(groups == group)
        order = rows[np.argsort(result.reconstruction_rmse[rows])]
        examples.append(int(order[len(order) // 2]))
    worst = int(np.argmax(result.reconstruction_rmse))
    examples.append(worst)
    titles = [
        f"{study.objects[schema.OBJECT_ID].iloc[i]} ({study.objects[schema.BUS_CLASS].iloc[i]})"
        + (" — worst" if i == worst else "")
        for i in examples
    ]
    rebuilt = model.inverse_transform(model.transform(study.spectra[examples]))
    figures = {
        "reconstructions.png": plot_reconstructions(
            study.wavelength, study.spectra[examples], rebuilt, titles
        ),
        "bic.png": plot_bic_curves(study),
    }
    if study.latent_dim == 2:
        plane = result.latent
    else:
        plane = AutoencoderEmbedding(2, random_state=study.seeds[0]).fit_transform(study.spectra)
    bus = study.objects[schema.BUS_CLASS].astype(str).to_numpy()
    figures["latent-2d.png"] = plot_latent_space(plane, groups, bus)
    for name, figure in figures.items():
        path = directory / name
        save_figure(figure, path)
        paths.append(path)
    for colour in (schema.MAIN_GROUP, schema.BUS_CLASS):
        path = directory / f"latent-2d-{colour.replace('_', '-')}.html"
        latent_space_figure(plane, study.objects, colour).write_html(path, include_plotlyjs=True)
        paths.append(path)
    return paths


def _print(summary: dict[str, Any]) -> None:
    table = Table("embedding", "BIC-optimal k", "ARI main", "NMI main", "ARI Bus", "HZ", "HZ p")
    for result in [*summary["autoencoders"], summary["pca"]]:
        table.add_row(
            result["name"],
            str(result["bic_optimal_k"]),
            f"{result['ari_main_group']:.3f}",
            f"{result['nmi_main_group']:.3f}",
            f"{result['ari_bus']:.3f}",
            f"{result['henze_zirkler']['statistic']:.3f}",
            f"{result['henze_zirkler']['pvalue']:.2g}",
        )
    out.print(table)
    out.print(
        f"BIC-optimal k over autoencoder seeds: {summary['bic_optimal_k']}; ARI with main "
        f"groups {summary['ari_main_group']:.3f} ± {summary['ari_main_group_std']:.3f}; "
        f"latents normal (Henze-Zirkler): {summary['henze_zirkler']['normal']}"
    )


def cluster(
    latent_dim: Annotated[int, typer.Option(min=2, help="Latent dimension.")] = 5,
    max_components: Annotated[int, typer.Option(min=1, help="Largest mixture size.")] = 15,
    seeds: Annotated[int, typer.Option(min=1, help="Autoencoder and mixture seeds.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    figures: Annotated[
        Path | None, typer.Option(help="Write figures (PNG, interactive HTML) to this directory.")
    ] = None,
) -> None:
    """Latent-space study: autoencoders, Gaussian mixtures with BIC, normality tests.

    Needs the ``study`` extra (pingouin for the Henze-Zirkler test, plotly for the
    interactive figures); a missing package is reported before any data is loaded.
    """
    from asteroid_spectra.cli.progress import step_progress
    from asteroid_spectra.cluster import run_cluster_study
    from asteroid_spectra.exceptions import AsteroidSpectraError
    from asteroid_spectra.extras import require
    from asteroid_spectra.spectra.sets import load_spectra

    try:
        require("study", "asteroid-spectra cluster")
        with console.status("Loading SMASSII…"):
            spectra = load_spectra("smass2")
        steps = 2 * seeds + 1
        with step_progress(console) as progress:
            task = progress.add_task("latent-space study", total=steps)

            def advance(message: str) -> None:
                progress.update(task, advance=1, description=message)

            study = run_cluster_study(
                spectra,
                latent_dim=latent_dim,
                max_components=max_components,
                seeds=range(seeds),
                progress=advance,
            )
        summary = study.summary()
        if figures is not None:
            with console.status("Drawing figures…"):
                for path in _write_figures(study, figures):
                    console.print(f"wrote {path}")
    except AsteroidSpectraError as error:
        raise fail(error) from None
    if as_json:
        sys.stdout.write(json.dumps(summary, default=json_default) + "\n")
    else:
        _print(summary)
