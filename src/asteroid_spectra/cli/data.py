"""CLI commands over the data: fetch, dataset, plot spectra."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from asteroid_spectra.cli.common import (
    ClassColumn,
    Collection,
    Survey,
    check_figure_path,
    console,
    fail,
    out,
    save_figure,
)

__all__ = [
    "dataset",
    "fetch",
    "fetch_files",
    "load_summary",
    "plot_spectra",
    "print_summary",
    "spectra",
]


def fetch_files(names: list[str]) -> None:
    """Fetch the files of the collections `names`, with one progress bar per file."""
    from asteroid_spectra.cli.progress import FileBar, download_progress
    from asteroid_spectra.data.fetch import fetch as fetch_file
    from asteroid_spectra.data.registry import collection

    files = [file for name in names for file in collection(name)]
    with download_progress(console) as progress:
        overall = progress.add_task(f"{len(files)} files", total=len(files))
        for file in files:
            bar = FileBar(progress, file.name)
            path = fetch_file(file, progressbar=bar)
            bar.total = path.stat().st_size
            bar.close()
            progress.advance(overall)


def fetch(
    collection: Annotated[
        Collection, typer.Argument(help="Which survey's files to fetch.")
    ] = Collection.all,
) -> None:
    """Download (or copy from the mirror) and verify the survey files."""
    from asteroid_spectra.data.registry import SURVEYS
    from asteroid_spectra.exceptions import AsteroidSpectraError

    names = list(SURVEYS) if collection is Collection.all else [collection.value]
    try:
        fetch_files(names)
    except AsteroidSpectraError as error:
        raise fail(error) from None
    console.print(f"[green]verified[/] {', '.join(names)}")


def load_summary(survey: str) -> dict[str, Any]:
    """Load a survey's table (with a spinner) and summarise it."""
    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.data.summary import summarise

    with console.status(f"Loading {survey}…"):
        return summarise(load_table(survey))


def print_summary(summary: dict[str, Any]) -> None:
    """Print a dataset summary as rich tables."""
    lo, hi = summary["wavelength_range_um"]
    out.print(
        f"[bold]{summary['survey']}[/]: {summary['n_spectra']} spectra, "
        f"{summary['n_wavelengths']} wavelengths, {lo:g}-{hi:g} µm"
    )
    if "n_labelled" in summary:
        out.print(
            f"{summary['n_labelled']} labelled in {summary['n_bus_classes']} Bus classes, "
            f"{summary['n_unlabelled']} unlabelled"
        )
        groups = Table("main group", "spectra", title="Main groups")
        for group, count in summary["main_group_counts"].items():
            groups.add_row(group, str(count))
        out.print(groups)
        classes = Table("Bus class", "spectra", title="Bus classes")
        for name, count in summary["bus_class_counts"].items():
            classes.add_row(name, str(count))
        out.print(classes)
    if "n_missing_values" in summary:
        out.print(
            f"{summary['n_missing_values']} missing band values; median error "
            f"{summary['median_error']:.4f}"
        )
        bands = Table("band (µm)", "flagged", title="Fraction of doubtful values per band")
        for band, fraction in summary["flagged_fraction_by_band"].items():
            bands.add_row(band, f"{fraction:.1%}")
        out.print(bands)
    out.print(f"[dim]Cite: {summary['citation']}[/]", highlight=False)


def dataset(
    survey: Annotated[Survey, typer.Argument(help="Survey to summarise.")] = Survey.smass2,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Summarise a survey: spectra per main group and per Bus class."""
    from asteroid_spectra.exceptions import AsteroidSpectraError

    try:
        summary = load_summary(survey.value)
    except AsteroidSpectraError as error:
        raise fail(error) from None
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        print_summary(summary)


def plot_spectra(
    output: Annotated[Path, typer.Option("-o", "--output", help="Image file to write.")],
    by: Annotated[ClassColumn, typer.Option(help="Panels per main group or per Bus class.")] = (
        ClassColumn.main_group
    ),
    group: Annotated[
        str | None, typer.Option(help="Only this main group: C, S, X or Other.")
    ] = None,
) -> None:
    """Overlay the SMASSII spectra of each class (median and 16-84 % band)."""
    from asteroid_spectra.exceptions import AsteroidSpectraError
    from asteroid_spectra.plotting import plot_spectra_by_class
    from asteroid_spectra.spectra.sets import load_spectra

    column = by.value.replace("-", "_")
    try:
        check_figure_path(output)
        with console.status("Loading SMASSII…"):
            spectra = load_spectra("smass2")
        figure = plot_spectra_by_class(spectra, by=column, group=group)
        save_figure(figure, output)
    except AsteroidSpectraError as error:
        raise fail(error) from None
    console.print(f"wrote {output} ({len(figure.axes)} panels)")


def spectra(
    asteroid: Annotated[
        str, typer.Argument(help="Number (4), name (Vesta) or provisional designation.")
    ],
    plot: Annotated[
        Path | None, typer.Option(help="Also draw every spectrum together to this image.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """List every spectrum of one asteroid across the surveys, with its classes."""
    from asteroid_spectra.exceptions import AsteroidSpectraError
    from asteroid_spectra.spectra.asteroid import spectra_of

    try:
        if plot is not None:
            check_figure_path(plot)
        with console.status("Reading the surveys' spectra (first use: parsing them)…"):
            result = spectra_of(asteroid)
        if plot is not None:
            from asteroid_spectra.plotting.asteroid import plot_asteroid_spectra

            save_figure(plot_asteroid_spectra(result), plot)
    except AsteroidSpectraError as error:
        raise fail(error) from None
    rows = [
        {
            "survey": s.meta["survey"],
            "file": s.meta["file"],
            "wavelength_min": float(s.wavelength[0]),
            "wavelength_max": float(s.wavelength[-1]),
            "n_points": len(s),
        }
        for s in result.spectra
    ]
    if as_json:
        body = {"object_id": result.object_id, "name": result.name, **result.labels}
        sys.stdout.write(json.dumps({**body, "spectra": rows, "notes": list(result.notes)}) + "\n")
    else:
        labels = ", ".join(f"{k} {v}" for k, v in result.labels.items() if v) or "no classes"
        table = Table("survey", "file", "range (µm)", "points", title=f"{result.title}: {labels}")
        for row in rows:
            table.add_row(
                row["survey"],
                row["file"],
                f"{row['wavelength_min']:.3f}-{row['wavelength_max']:.3f}",
                str(row["n_points"]),
            )
        out.print(table)
        for note in result.notes:
            console.print(f"note: {note}", highlight=False, markup=False)
    if plot is not None:
        console.print(f"wrote {plot}")
