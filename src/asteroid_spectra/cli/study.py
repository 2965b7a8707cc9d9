"""CLI command of the one-command study: run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from asteroid_spectra.cli.common import console, fail

__all__ = ["run"]


def run(
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory of the report.")] = Path(
        "reports"
    ),
    quick: Annotated[
        bool, typer.Option(help="Fewer folds, repeats, epochs and seeds (same code paths).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of every split, model and draw.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """Run the whole study and write a self-contained HTML report (index.html, results.json).

    The latent-space stage needs pingouin (the ``study`` extra); a missing pingouin is
    reported before any stage runs.
    """
    from asteroid_spectra.cli.progress import step_progress
    from asteroid_spectra.exceptions import AsteroidSpectraError
    from asteroid_spectra.extras import missing, require
    from asteroid_spectra.report import STAGES, Settings, run_study

    # pingouin only: the Henze-Zirkler test of the latent stage. The report's figures are
    # PNGs (matplotlib), so the extra's plotly is not needed.
    if "pingouin" in missing("study"):
        try:
            require("study", "asteroid-spectra run (its latent-space stage uses pingouin)")
        except AsteroidSpectraError as error:
            raise fail(error) from None

    progress = step_progress(console)
    tasks = {}
    with progress:
        overall = progress.add_task("study", total=len(STAGES))
        for stage in STAGES:
            tasks[stage.key] = progress.add_task(f"  {stage.title}", total=None, start=False)

        def on_progress(key: str, done: int, total: int) -> None:
            progress.start_task(tasks[key])
            progress.update(tasks[key], completed=done, total=total)

        def on_stage(section: object) -> None:
            key = getattr(section, "key", "")
            status = getattr(section, "status", "ok")
            cached = getattr(section, "cached", False)
            note = " [red]failed[/]" if status != "ok" else (" (cached)" if cached else "")
            progress.start_task(tasks[key])
            progress.update(
                tasks[key],
                completed=1,
                total=1,
                description=f"  {getattr(section, 'title', key)}{note}",
            )
            progress.advance(overall)

        try:
            report = run_study(
                output,
                settings=Settings(seed=seed, quick=quick),
                progress=on_progress,
                on_stage=on_stage,
            )
        except AsteroidSpectraError as error:
            raise fail(error) from None
    index = output / "index.html"
    summary = {
        "report": str(index),
        "results": str(output / "results.json"),
        "seconds": report.meta["seconds"],
        "failed": report.failed,
        "stages": {s.key: round(s.seconds, 1) for s in report.sections},
    }
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
    for section in report.sections:
        if section.status != "ok":
            console.print(f"[red]stage {section.key} failed:[/] {section.summary}")
    console.print(f"wrote {index} ({report.meta['seconds']:.0f} s); open it in a browser")
    if report.failed:
        raise typer.Exit(code=1)
