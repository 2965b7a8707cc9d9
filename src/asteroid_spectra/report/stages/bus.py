"""The Bus stage: the Bus-level SVM on the Bus classes with at least 5 spectra."""

from __future__ import annotations

from asteroid_spectra.report.sections import Section, Table, png
from asteroid_spectra.report.stages.common import (
    Progress,
    Settings,
    cross_validate,
    headline,
    mean_std,
)

__all__ = ["bus_stage"]


def bus_stage(settings: Settings, progress: Progress) -> Section:
    """Evaluate the Bus-level SVM on the 23 Bus classes with at least 5 spectra."""
    from asteroid_spectra.plotting import plot_confusion_matrix, plot_per_class_f1

    result = cross_validate("svm-bus", "bus", settings, progress)
    summary = result.summary()
    per_class = summary["per_class"]
    worst = sorted(per_class, key=lambda c: per_class[c]["f1_mean"])[:3]
    return Section(
        key="bus",
        title="Bus classes",
        summary=(
            f"The Bus-level SVM classifies the {len(per_class)} Bus classes with at least 5 "
            f"spectra at accuracy {mean_std(summary['accuracy'])} and macro F1 "
            f"{mean_std(summary['f1_macro'])}. The hardest classes ({', '.join(worst)}) are "
            "those defined by subtle features the 0.44-0.92 µm spectra barely show."
        ),
        numbers=headline(
            summary,
            (
                "accuracy",
                "balanced_accuracy",
                "f1_weighted",
                "f1_macro",
                "ece",
                "brier",
                "per_class",
            ),
        ),
        tables=[
            Table(
                "Per class",
                ["class", "F1", "recall", "support"],
                [
                    [
                        c,
                        f"{r['f1_mean']:.2f} ± {r['f1_std']:.2f}",
                        f"{r['recall_mean']:.2f}",
                        str(r["support"]),
                    ]
                    for c, r in per_class.items()
                ],
            )
        ],
        figures=[
            png(plot_per_class_f1(result), "Per-class F1", "Mean ± std over folds."),
            png(plot_confusion_matrix(result), "Confusion matrix", "Summed over all folds."),
        ],
    )
