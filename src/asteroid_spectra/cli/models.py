"""CLI commands over the models: models, evaluate, train."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from asteroid_spectra.cli.common import Target, console, fail, out, save_figure
from asteroid_spectra.cli.loso import (
    Correct,
    CorrectOption,
    LeaveOutOption,
    OwnOption,
    evaluate_leave_out,
)

__all__ = ["evaluate", "list_models", "train"]

ModelOption = Annotated[
    str,
    typer.Option(
        "--model",
        "-m",
        help="Model name: best, svm, svm-tuned, mlp, cnn, … (list them: asteroid-spectra models).",
    ),
]
FoldsOption = Annotated[int, typer.Option(min=2, help="Folds of the stratified K-fold.")]
SeedOption = Annotated[int, typer.Option(help="Seed of the splits and of the models.")]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Folds fitted in parallel.")]


class CrossSurvey(StrEnum):
    """Surveys a model can be evaluated on across instruments."""

    gaia_dr3 = "gaia-dr3"


class Scheme(StrEnum):
    """Cross-survey training schemes."""

    gaia = "gaia"
    smass2 = "smass2"
    multi = "multi"


FiguresOption = Annotated[
    Path | None,
    typer.Option(help="Write confusion-matrix and per-class-F1 figures (PNG) to this directory."),
]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Folder of your own spectrum files, used instead of the survey's (with --labels).",
    ),
]
LabelsOption = Annotated[
    Path | None,
    typer.Option(
        "--labels",
        help="CSV of your spectra's classes (with --data): columns file, class and, "
        "optionally, object_id (the asteroid; its spectra stay in one CV fold).",
    ),
]


def list_models() -> None:
    """List the models and the recommended one per target."""
    from asteroid_spectra.models.registry import BEST, MODELS

    table = Table("model", "description", title="Models")
    for name, spec in MODELS.items():
        table.add_row(name, spec.description)
    out.print(table)
    out.print("best: " + ", ".join(f"{target} → {name}" for target, name in BEST.items()))


@contextmanager
def _fold_progress(total: int, label: str) -> Iterator[Callable[[int, int], None]]:
    from asteroid_spectra.cli.progress import step_progress

    with step_progress(console) as progress:
        task = progress.add_task(label, total=total)
        yield lambda done, all_: progress.update(task, completed=done, total=all_)


def _write_figures(evaluation: Any, directory: Path) -> list[Path]:
    from asteroid_spectra.plotting import plot_confusion_matrix, plot_per_class_f1

    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{evaluation.target}-{evaluation.model}"
    paths = [directory / f"{stem}-confusion.png", directory / f"{stem}-per-class-f1.png"]
    save_figure(plot_confusion_matrix(evaluation), paths[0])
    save_figure(plot_per_class_f1(evaluation), paths[1])
    return paths


def _print_evaluation(summary: dict[str, Any]) -> None:
    table = Table(
        "metric",
        "mean",
        "std",
        title=f"{summary['model']} — {summary['target']} "
        f"({summary['folds']}×{summary['repeats']} repeated stratified CV, "
        f"{summary['n_samples']} spectra)",
    )
    protocol = summary.get("protocol", {})
    if protocol:
        table.caption = f"{protocol['scheme']} → {protocol['survey']}: {protocol['cv']}"
    extra = [k for k in summary if k.startswith(("accuracy[", "catalogue_noise_"))]
    for key in (
        "accuracy",
        "balanced_accuracy",
        "f1_weighted",
        "f1_macro",
        "precision",
        "recall",
        "f1",
        "brier",
        "ece",
        *extra,
        "fit_time",
    ):
        if key in summary:
            table.add_row(key, f"{summary[key]['mean']:.4f}", f"{summary[key]['std']:.4f}")
    out.print(table)
    classes = Table("class", "precision", "recall", "F1", "support", title="Per class")
    for label, row in summary["per_class"].items():
        classes.add_row(
            label,
            f"{row['precision_mean']:.3f} ± {row['precision_std']:.3f}",
            f"{row['recall_mean']:.3f} ± {row['recall_std']:.3f}",
            f"{row['f1_mean']:.3f} ± {row['f1_std']:.3f}",
            str(row["support"]),
        )
    out.print(classes)
    for row in summary.get("excluded", []):
        out.print(
            f"rare class {row['bus_class']} ({row['object_id']}) classified as {row['predicted']}"
        )


def _cross_validate(
    target: str,
    resolved: str,
    data: Any,
    folds: int,
    repeats: int,
    seed: int,
    jobs: int,
    label: str,
    splits: Any = None,
) -> Any:
    from asteroid_spectra.models.training import evaluate_named

    with _fold_progress(folds * repeats, label) as on_fold:
        return evaluate_named(
            target,
            resolved,
            data=data,
            folds=folds,
            repeats=repeats,
            seed=seed,
            n_jobs=jobs,
            on_fold=on_fold,
            splits=splits,
        )


def _evaluate_one_survey(
    target: str, model: str, folds: int, repeats: int, seed: int, jobs: int
) -> Any:
    from asteroid_spectra.models.defaults import TRAINING_DATA
    from asteroid_spectra.models.targets import taxonomy_of
    from asteroid_spectra.models.training import resolve_model, taxonomy_data

    resolved = resolve_model(model, target)  # fails fast on a bad name
    with console.status(f"Loading {', '.join(TRAINING_DATA[taxonomy_of(target)])}…"):
        data = taxonomy_data(target)
    label = f"{resolved} on {target}"
    return _cross_validate(target, resolved, data, folds, repeats, seed, jobs, label)


def _evaluate_user_data(
    target: str,
    model: str,
    folds: int,
    repeats: int,
    seed: int,
    jobs: int,
    directory: Path | None,
    labels: Path | None,
) -> tuple[Any, Any]:
    """Cross-validate on the user's spectra, folds grouped by asteroid; also return them."""
    from asteroid_spectra.cli.user_data import user_training_data
    from asteroid_spectra.models.training import resolve_model

    resolved = resolve_model(model, target)  # fails fast on a bad name
    spectra, data, splits = user_training_data(directory, labels, target, folds, repeats, seed)
    label = f"{resolved} on {target}, {labels}"
    result = _cross_validate(target, resolved, data, folds, repeats, seed, jobs, label, splits)
    return result, spectra


def _evaluate_cross_survey(
    target: str,
    model: str,
    folds: int,
    repeats: int,
    seed: int,
    jobs: int,
    scheme: str,
    copies: int,
) -> Any:
    from asteroid_spectra.models.survey_sets import load_cross_survey
    from asteroid_spectra.models.training import cross_survey_evaluate_named, resolve_model

    resolved = resolve_model(model, target, "gaia-dr3")  # fails fast on a bad name
    with console.status("Matching SMASSII and Gaia DR3 asteroids…"):
        data = load_cross_survey(target)
    label = f"{resolved} on {target}, {scheme} → gaia-dr3"
    with _fold_progress(folds * repeats, label) as on_fold:
        return cross_survey_evaluate_named(
            target,
            resolved,
            data=data,
            scheme=scheme,
            copies=copies,
            folds=folds,
            repeats=repeats,
            seed=seed,
            n_jobs=jobs,
            on_fold=on_fold,
        )


def evaluate(
    target: Annotated[Target, typer.Option(help="What to classify.")] = Target.main_group,
    model: ModelOption = "best",
    folds: FoldsOption = 5,
    repeats: Annotated[int, typer.Option(min=1, help="Repeats of the K-fold.")] = 5,
    seed: SeedOption = 0,
    jobs: JobsOption = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    figures: FiguresOption = None,
    cross_survey: Annotated[
        CrossSurvey | None,
        typer.Option(
            "--cross-survey",
            help="Evaluate on this survey's spectra of the SMASSII asteroids, with CV grouped "
            "by asteroid (labels from SMASSII).",
        ),
    ] = None,
    scheme: Annotated[
        Scheme,
        typer.Option(help="With --cross-survey: train on gaia, smass2 (corrected) or multi."),
    ] = Scheme.gaia,
    copies: Annotated[
        int,
        typer.Option(min=0, help="With --cross-survey: degraded copies of each training spectrum."),
    ] = 5,
    data_dir: DataOption = None,
    labels: LabelsOption = None,
    leave_out: LeaveOutOption = None,
    correct: CorrectOption = Correct.training,
    own: OwnOption = False,
) -> None:
    """Evaluate a model by repeated stratified cross-validation on SMASSII (or another survey).

    With --data and --labels: on your own labelled spectra, folds grouped by asteroid. With
    --leave-out: on a survey the model never saw (leave-one-survey-out).
    """
    from asteroid_spectra.exceptions import AsteroidSpectraError, ParameterError

    user = None
    try:
        ways = {
            "--data/--labels": data_dir is not None or labels is not None,
            "--cross-survey": cross_survey is not None,
            "--leave-out": leave_out is not None,
        }
        if sum(ways.values()) > 1:
            raise ParameterError(
                f"{' and '.join(k for k, v in ways.items() if v)} cannot be combined: evaluate "
                "on your own spectra, across surveys or leaving a survey out. Keep one of them."
            )
        if leave_out is not None:
            result = evaluate_leave_out(
                target.value,
                model,
                leave_out.value,
                correct=correct.value,
                own=own,
                folds=folds,
                repeats=repeats,
                seed=seed,
                jobs=jobs,
                as_json=as_json,
                figures=figures,
            )
            if result is None:  # the every-survey table is printed
                return
        elif data_dir is not None or labels is not None:
            result, user = _evaluate_user_data(
                target.value, model, folds, repeats, seed, jobs, data_dir, labels
            )
        elif cross_survey is None:
            result = _evaluate_one_survey(target.value, model, folds, repeats, seed, jobs)
        else:
            result = _evaluate_cross_survey(
                target.value, model, folds, repeats, seed, jobs, scheme.value, copies
            )
    except AsteroidSpectraError as error:
        raise fail(error) from None
    summary = result.summary()
    if user is not None:
        summary["data"] = user.provenance()
    if figures is not None:
        for path in _write_figures(result, figures):
            console.print(f"wrote {path}")
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        _print_evaluation(summary)


def train(
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory to save the model in.")],
    target: Annotated[Target, typer.Option(help="What to classify.")] = Target.main_group,
    model: ModelOption = "best",
    tune: Annotated[
        int | None, typer.Option(min=1, help="Tune with this many Optuna trials first.")
    ] = None,
    storage: Annotated[
        str | None,
        typer.Option(help="Optuna storage URL for --tune (default: SQLite in the cache)."),
    ] = None,
    seed: SeedOption = 0,
    folds: FoldsOption = 5,
    repeats: Annotated[
        int, typer.Option(min=0, help="Repeats of the CV recorded in the model card (0: none).")
    ] = 1,
    jobs: JobsOption = 1,
    figures: FiguresOption = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output directory.")] = False,
    data_dir: DataOption = None,
    labels: LabelsOption = None,
    multi_survey: Annotated[
        bool,
        typer.Option(
            "--multi-survey",
            help="Train main groups on every visible survey (0.52-0.88 µm), each corrected "
            "onto SMASSII; CV grouped by asteroid.",
        ),
    ] = False,
) -> None:
    """Train a model on all labelled SMASSII spectra and save it (skops + safetensors + card).

    With --data and --labels: on your own labelled spectra (the card lists their files).
    With --multi-survey: on every visible survey's labelled spectra.
    """
    from asteroid_spectra.cli.loso import multi_survey_data
    from asteroid_spectra.cli.user_data import user_training_data
    from asteroid_spectra.exceptions import AsteroidSpectraError, DataError
    from asteroid_spectra.models.persistence import save_model
    from asteroid_spectra.models.registry import tuned_model
    from asteroid_spectra.models.training import resolve_model, train_model

    if output.exists() and not overwrite:
        raise fail(DataError(f"{output} exists; choose another directory or --overwrite."))
    try:
        resolved = resolve_model(model, target.value)  # fails fast on a bad name
        user, user_data, splits = user_training_data(
            data_dir, labels, target.value, folds, repeats, seed
        )
        surveys = None
        if multi_survey:
            surveys, user_data, splits = multi_survey_data(
                target.value, user is not None, folds, repeats, seed
            )
        estimator = None
        if tune is not None:
            estimator = tuned_model(resolved, target.value, tune, storage=storage, seed=seed)
        with _fold_progress(folds * repeats + 1, f"training {resolved}") as on_fold:
            trained, evaluation = train_model(
                target.value,
                resolved,
                seed=seed,
                folds=folds,
                repeats=repeats,
                n_jobs=jobs,
                estimator=estimator,
                on_fold=on_fold,
                data=user_data,
                splits=splits,
            )
            on_fold(folds * repeats + 1, folds * repeats + 1)
        if user is not None:
            from asteroid_spectra.models.user_data import user_card

            trained.card = user_card(trained.card, user)
        if surveys is not None:
            from asteroid_spectra.models.multi_survey import multi_survey_card

            trained.card = multi_survey_card(trained.card, *surveys)
        save_model(trained, output, overwrite=overwrite)
    except AsteroidSpectraError as error:
        raise fail(error) from None
    console.print(f"saved {trained.name} for {target.value} to {output}")
    if evaluation is not None:
        if figures is not None:
            for path in _write_figures(evaluation, figures):
                console.print(f"wrote {path}")
        _print_evaluation(evaluation.summary())
