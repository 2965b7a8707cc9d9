"""CLI command to classify a whole survey catalogue: catalog."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from asteroid_spectra.cli.common import check_figure_path, console, fail, out, save_figure

__all__ = ["catalog"]


class CatalogueSurvey(StrEnum):
    """Catalogues that can be classified."""

    gaia_dr3 = "gaia-dr3"


class Engine(StrEnum):
    """Catalogue engines."""

    local = "local"
    dask = "dask"


def catalog(
    survey: Annotated[CatalogueSurvey, typer.Argument(help="The catalogue to classify.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output file: .parquet or .ecsv.")
    ] = Path("gaia_dr3_classes.parquet"),
    engine: Annotated[
        Engine, typer.Option(help="local: stream in this process; dask: dask.distributed.")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler (with --engine dask)."),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="A saved main-group model on Gaia bands (default: the built-in one)."),
    ] = None,
    figure: Annotated[
        Path | None,
        typer.Option(help="Also draw the summary figure (class fractions, templates) here."),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output file.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """Classify every spectrum of a survey catalogue (all 60,518 Gaia DR3 asteroids)."""
    from asteroid_spectra.catalog import classify_catalogue, gaia_input_path
    from asteroid_spectra.catalog.engine import check_request
    from asteroid_spectra.cli.progress import step_progress
    from asteroid_spectra.exceptions import AsteroidSpectraError

    try:
        check_request(output, engine.value, scheduler, overwrite=overwrite)
        if figure is not None:
            check_figure_path(figure)
        with console.status("Loading the Gaia DR3 catalogue and the model…"):
            source = gaia_input_path()
            if model is None:
                from asteroid_spectra.models.defaults import survey_model

                classifier = survey_model("main-group", survey.value)
            else:
                from asteroid_spectra.models.persistence import load_model

                classifier = load_model(model)
        with step_progress(console) as progress:
            task = progress.add_task(f"classifying {survey.value} ({engine.value})", total=None)
            run = classify_catalogue(
                source,
                output,
                classifier,
                engine=engine.value,
                scheduler=scheduler,
                overwrite=overwrite,
                on_partition=lambda done, total: progress.update(task, completed=done, total=total),
            )
        if figure is not None:
            from asteroid_spectra.plotting.catalog import plot_catalogue_summary

            with console.status("Drawing the summary figure…"):
                save_figure(plot_catalogue_summary(run.output, source), figure)
            console.print(f"wrote {figure}")
    except AsteroidSpectraError as error:
        raise fail(error) from None
    summary = {
        "output": str(run.output),
        "engine": run.engine,
        "n_rows": run.n_rows,
        "n_classified": run.n_classified,
        "partitions": run.partitions,
        "seconds": round(run.seconds, 3),
        "spectra_per_second": round(run.rate),
        "main_group_counts": run.class_counts,
        "model": classifier.name,
    }
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
        return
    table = Table("main group", "asteroids", "fraction", title=f"{run.n_rows:,} spectra")
    for label, count in run.class_counts.items():
        table.add_row(label, f"{count:,}", f"{count / max(run.n_classified, 1):.1%}")
    out.print(table)
    console.print(
        f"wrote {run.output}: {run.n_classified:,} of {run.n_rows:,} classified in "
        f"{run.seconds:.1f} s ({run.rate:,.0f} spectra/s)"
    )
