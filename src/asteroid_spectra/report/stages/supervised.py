"""The supervised stage: X-vs-rest and main-group models beside the tutorial."""

from __future__ import annotations

from typing import Any

from asteroid_spectra.report.sections import Section, Table, png
from asteroid_spectra.report.stages.common import (
    TUTORIAL_X_F1,
    Progress,
    Settings,
    cross_validate,
    headline,
    mean_std,
)

__all__ = ["supervised_stage"]


def supervised_stage(settings: Settings, progress: Progress) -> Section:
    """X-vs-rest and main-group models under repeated CV, beside the tutorial's numbers."""
    from asteroid_spectra.plotting.metrics import plot_confusion_matrix, plot_x_f1_comparison

    models = ["svm", "mlp", "cnn", "svm-robust"]
    steps = len(models) + 1
    results: dict[str, Any] = {}
    for i, name in enumerate(models):
        results[name] = cross_validate(name, "x-vs-rest", settings, lambda d, t: None)
        progress(i + 1, steps)
    main = cross_validate("svm-robust", "main-group", settings, lambda d, t: None)
    progress(steps, steps)
    summaries = {name: r.summary() for name, r in results.items()}
    rows = []
    for name, s in summaries.items():
        rows.append(
            [
                name,
                mean_std(s["f1"]),
                f"{TUTORIAL_X_F1[name]:.3f}" if name in TUTORIAL_X_F1 else "—",
                mean_std(s["accuracy"]),
                mean_std(s["ece"]) if "ece" in s else "—",
            ]
        )
    figure = plot_x_f1_comparison(
        list(summaries),
        [s["f1"]["mean"] for s in summaries.values()],
        [s["f1"]["std"] for s in summaries.values()],
        TUTORIAL_X_F1,
        folds=settings.folds,
        repeats=settings.repeats,
    )
    main_summary = main.summary()
    best_x = max(summaries, key=lambda n: summaries[n]["f1"]["mean"])
    return Section(
        key="supervised",
        title="Supervised models: X vs rest and main groups",
        summary=(
            f"Under {settings.folds}-fold cross-validation repeated {settings.repeats} times, "
            f"the best X-vs-rest model is {best_x} with F1(X) "
            f"{mean_std(summaries[best_x]['f1'])}, and svm-robust classifies the four main groups "
            f"with weighted F1 {mean_std(main_summary['f1_weighted'])}. The tutorial's numbers "
            "come from one random split each, so their differences of ±0.01 are within the "
            "fold-to-fold spread shown here."
        ),
        numbers={
            "x-vs-rest": {
                n: headline(s, ("f1", "precision", "recall", "accuracy", "ece", "brier"))
                for n, s in summaries.items()
            },
            "main-group": headline(
                main_summary, ("accuracy", "f1_weighted", "f1_macro", "ece", "brier")
            ),
            "tutorial_x_f1": TUTORIAL_X_F1,
            "cv": {"folds": settings.folds, "repeats": settings.repeats, "seed": settings.seed},
        },
        tables=[
            Table(
                "X vs rest: this study beside the tutorial",
                ["model", "F1(X) mean ± std", "tutorial F1(X)", "accuracy", "ECE"],
                rows,
            ),
            Table(
                "Main groups (svm-robust)",
                ["metric", "mean ± std"],
                [[k, mean_std(main_summary[k])] for k in ("accuracy", "f1_weighted", "f1_macro")],
            ),
        ],
        figures=[
            png(
                figure,
                "F1 of the X class",
                "Mean ± std over folds (blue) beside the "
                "tutorial's single-split values (red crosses).",
            ),
            png(
                plot_confusion_matrix(results["svm-robust"]),
                "X vs rest: confusion matrix",
                "svm-robust, summed over all folds.",
            ),
            png(
                plot_confusion_matrix(main),
                "Main groups: confusion matrix",
                "svm-robust, summed over all folds; colour is the fraction of the true class.",
            ),
        ],
    )
