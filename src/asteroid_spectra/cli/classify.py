"""CLI command to classify one's own spectra: classify."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from asteroid_spectra.cli.common import console, fail, out
from asteroid_spectra.cli.progress import step_progress

__all__ = ["classify"]


class Output(StrEnum):
    """Output formats."""

    table = "table"
    csv = "csv"
    json = "json"


class Columns(StrEnum):
    """Which classification to show."""

    main_group = "main-group"
    bus = "bus"
    demeo = "demeo"
    tholen = "tholen"
    all = "all"


_TITLES = {"bus": "Bus class", "demeo": "Bus-DeMeo class", "tholen": "Tholen class"}
"""Table headers of the taxonomies' class columns."""


def _render(results: list[Any], target: str, output: Output) -> str:
    from asteroid_spectra.models.results import table_columns

    if output is Output.json:
        return json.dumps([r.to_dict() for r in results], indent=2) + "\n"
    columns = table_columns(target)
    rows = [r.to_row(target) for r in results]
    if output is Output.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    return _table(results, target)


def _table(results: list[Any], target: str) -> str:
    """Render a compact table for the terminal (CSV and JSON have every column).

    With ``all``, a taxonomy's column is shown when at least one spectrum has its class.
    """
    table = Table(title=f"{len(results)} spectra", show_lines=False)
    table.add_column("source", overflow="fold")
    group = target in ("main-group", "all")
    if group:
        table.add_column("main group")
    shown = [
        name
        for name in _TITLES
        if target == name
        or (target == "all" and any(getattr(r, f"{name}_class") is not None for r in results))
    ]
    for name in shown:
        table.add_column(_TITLES[name])
    table.add_column("flags")
    table.add_column("range (µm)")
    table.add_column("notes / error", overflow="fold")
    for r in results:
        cells = [Path(r.source).name]
        if group:
            cells.append(f"{r.main_group} ({r.main_group_probability:.2f})" if r.ok else "")
        for name in shown:
            label = getattr(r, f"{name}_class")
            probability = getattr(r, f"{name}_probability")
            cells.append(f"{label} ({probability:.2f})" if label is not None else "")
        flags = []
        if r.uncertain if group else getattr(r, f"{target}_uncertain"):
            flags.append("uncertain")
        if r.ood_score is not None and r.ood_score > 1:
            flags.append(f"unusual (OOD {r.ood_score:.1f})")
        cells.append(", ".join(flags))
        cells.append(f"{r.wavelength_min:.2f}-{r.wavelength_max:.2f}" if r.ok else "")
        cells.append(f"[red]{escape(r.error)}[/]" if r.error else escape("; ".join(r.notes)))
        table.add_row(*cells)
    with out.capture() as captured:
        out.print(table)
    return captured.get()


def classify(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Spectrum files, or directories whose files are all classified."),
    ],
    target: Annotated[
        Columns,
        typer.Option(
            help="Classification to report: main group, the class of one taxonomy (Bus, "
            "Bus-DeMeo, Tholen) or all of them."
        ),
    ] = Columns.all,
    model: Annotated[
        Path | None,
        typer.Option(
            help="A model directory written by `train` (default: the recommended models, "
            "adapted to each spectrum's coverage)."
        ),
    ] = None,
    output_format: Annotated[
        Output, typer.Option("--format", help="Output format (JSON has every probability).")
    ] = Output.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="Wavelength unit of the files (um, nm, angstrom); default: detected."),
    ] = None,
    correction: Annotated[
        Path | None,
        typer.Option(
            help="An instrument correction written by `calibrate`: divided out of every "
            "spectrum before it is classified (noted)."
        ),
    ] = None,
) -> None:
    """Classify spectra files into main group (C, S, X, Other) and taxonomic classes.

    Every taxonomy the coverage allows is reported: the Bus class from the visible (at
    least 0.55-0.80 µm, on the part of 0.44-0.92 µm covered), the Bus-DeMeo class from
    the near infrared (at least 0.85-2.40 µm) and the Tholen class from the ECAS range
    (0.337-1.041 µm), each by a model trained on the covered span. Junk rows are dropped
    and reported in `notes`, as are the ranges each class came from. A file that fails
    gets a row with its error; the exit status is 1 if any failed. With --correction, each
    spectrum is first divided by your instrument's correction (`calibrate`).
    """
    from asteroid_spectra.exceptions import AsteroidSpectraError
    from asteroid_spectra.models.classify import Classifier
    from asteroid_spectra.models.persistence import load_model

    try:
        instrument = None
        if correction is not None:
            from asteroid_spectra.spectra.correction import InstrumentCorrection

            instrument = InstrumentCorrection.from_json(correction)
        classifier = Classifier(load_model(model) if model is not None else None)
        with step_progress(console) as progress:
            task = progress.add_task("reading", total=None)

            def on_file(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            results = classifier.classify_paths(
                paths, unit=unit, on_file=on_file, correction=instrument
            )
            progress.update(task, description="classified")
            progress.update(task, completed=progress.tasks[0].total or 0)
    except AsteroidSpectraError as error:
        raise fail(error) from None
    if not results:
        raise fail(AsteroidSpectraError("No files to classify: the directories are empty."))
    text = _render(results, target.value, output_format)
    if output is None:
        out.file.write(text)
        out.file.flush()
    else:
        from asteroid_spectra.data.files import atomic_path

        with atomic_path(output) as temporary:
            temporary.write_text(text, encoding="utf-8")
        console.print(f"wrote {len(results)} classifications to {output}")
    failed = [r for r in results if not r.ok]
    if failed:
        console.print(f"[bold red]{len(failed)} of {len(results)} spectra failed[/]")
        raise typer.Exit(code=1)
