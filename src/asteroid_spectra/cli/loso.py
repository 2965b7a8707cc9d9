"""Across surveys: `evaluate --leave-out` with its table, and `train --multi-survey`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from asteroid_spectra.cli.common import console, out, save_figure

__all__ = [
    "LEAVE_OUT_ALL",
    "Correct",
    "CorrectOption",
    "LeaveOut",
    "LeaveOutOption",
    "OwnOption",
    "evaluate_leave_out",
    "multi_survey_data",
]

LEAVE_OUT_ALL = "all"
"""``--leave-out all``: every survey in turn, with cross-survey calibration."""


class LeaveOut(StrEnum):
    """Surveys a model can be evaluated on after training on the others (or all of them)."""

    smass2 = "smass2"
    smass1 = "smass1"
    primass_l = "primass-l"
    gaia_dr3 = "gaia-dr3"
    ecas = "ecas"
    demeo2009 = "demeo2009"
    all = LEAVE_OUT_ALL


class Correct(StrEnum):
    """Which surveys get an instrument correction in a leave-one-survey-out evaluation."""

    none = "none"
    training = "training"
    all = "all"


LeaveOutOption = Annotated[
    LeaveOut | None,
    typer.Option(
        "--leave-out",
        help="Main groups of this survey's spectra (or of each survey: all) by a model "
        "trained on the other surveys only, CV grouped by asteroid.",
    ),
]
CorrectOption = Annotated[
    Correct,
    typer.Option(
        help="With --leave-out: instrument corrections onto SMASSII for the training "
        "surveys, for all (the held-out one from training asteroids), or none."
    ),
]
OwnOption = Annotated[
    bool,
    typer.Option(help="With --leave-out: also train on the held-out survey's training asteroids."),
]


def _cell(score: dict[str, float]) -> str:
    return f"{score['mean']:.3f} ± {score['std']:.3f}"


def _share(summary: dict[str, Any], name: str) -> str:
    return (
        f"{summary[name]:.2f} ({summary[f'accuracy_{name}']:.2f} vs "
        f"{summary[f'accuracy_not_{name}']:.2f})"
    )


def _print_table(summaries: dict[str, dict[str, Any]], title: str) -> None:
    table = Table(
        "held out",
        "spectra",
        "accuracy",
        "weighted F1",
        "ECE raw",
        "ECE calibrated",
        "T",
        "uncertain (acc. flagged vs not)",
        "OOD (acc. flagged vs not)",
        title=title,
    )
    for survey, summary in summaries.items():
        table.add_row(
            survey,
            str(summary["spectra"]),
            _cell(summary["accuracy"]),
            _cell(summary["f1_weighted"]),
            _cell(summary["ece"]),
            _cell(summary["ece_calibrated"]),
            f"{summary['temperature']:.2f}",
            _share(summary, "uncertain"),
            _share(summary, "ood"),
        )
    table.caption = next(iter(summaries.values()))["protocol"]["cv"]
    out.print(table)


def evaluate_leave_out(
    target: str,
    model: str,
    survey: str,
    *,
    correct: str,
    own: bool,
    folds: int,
    repeats: int,
    seed: int,
    jobs: int,
    as_json: bool,
    figures: Path | None,
) -> Any:
    """Run the leave-one-survey-out evaluation of `survey` (or of every survey) and report it.

    Returns the single survey's :class:`~asteroid_spectra.models.evaluation.Evaluation`
    for the caller to print, or None once the every-survey table is printed.

    Raises
    ------
    ParameterError
        If `target` is not ``main-group`` (the classes every survey's labels share).
    """
    from asteroid_spectra.cli.progress import step_progress
    from asteroid_spectra.exceptions import ParameterError
    from asteroid_spectra.models.loso import leave_surveys_out
    from asteroid_spectra.models.loso_summary import cross_calibrate, loso_summary
    from asteroid_spectra.models.training import resolve_model
    from asteroid_spectra.spectra.survey_spectra import survey_spectra

    if target != "main-group":
        raise ParameterError(
            "--leave-out evaluates main groups, the classes every survey's labels share. "
            f"Got --target {target}; use --target main-group."
        )
    model = resolve_model(model, target)

    with console.status("Reading the labelled spectra of every visible survey…"):
        data = survey_spectra()
    chosen = None if survey == LEAVE_OUT_ALL else [survey]
    total = len(data.surveys if chosen is None else chosen) * folds * repeats
    with step_progress(console) as progress:
        task = progress.add_task(f"{model}, leaving out {survey}", total=total)
        evaluations = leave_surveys_out(
            model,
            data,
            chosen,
            correct=correct,
            own=own,
            folds=folds,
            repeats=repeats,
            seed=seed,
            n_jobs=jobs,
            on_fold=lambda done, all_: progress.update(task, completed=done, total=all_),
        )
    if chosen is not None:
        return evaluations[survey]
    summaries = loso_summary(evaluations)
    if figures is not None:
        from asteroid_spectra.plotting.calibration import plot_reliability

        figures.mkdir(parents=True, exist_ok=True)
        path = figures / f"loso-{model}-reliability.png"
        save_figure(plot_reliability(cross_calibrate(evaluations)), path)
        console.print(f"wrote {path}")
    if as_json:
        sys.stdout.write(json.dumps({"model": model, "surveys": summaries}) + "\n")
    else:
        kind = "grouped CV, every survey in training" if own else "leave-one-survey-out"
        _print_table(summaries, f"{model} — main group, {kind} (corrections: {correct})")
    return None


def multi_survey_data(
    target: str, with_user_data: bool, folds: int, repeats: int, seed: int
) -> tuple[Any, Any, Any]:
    """Return the surveys' spectra with their corrections, the TargetData and grouped splits."""
    from asteroid_spectra.exceptions import ParameterError
    from asteroid_spectra.models.multi_survey import multi_survey_target
    from asteroid_spectra.models.splits import grouped_splits
    from asteroid_spectra.spectra.survey_spectra import survey_spectra

    if with_user_data or target != "main-group":
        raise ParameterError(
            "--multi-survey trains main groups on the surveys' spectra; it takes neither "
            f"--data/--labels nor --target {target}. Use --target main-group alone."
        )
    with console.status("Reading the labelled spectra of every visible survey…"):
        spectra = survey_spectra()
    data, factors = multi_survey_target(spectra)
    splits = None
    if repeats > 0:
        groups = data.objects["object_id"]
        splits = grouped_splits(groups, data.y, folds=folds, repeats=repeats, seed=seed)
    return (spectra, factors), data, splits
