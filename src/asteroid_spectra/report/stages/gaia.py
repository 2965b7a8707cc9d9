"""The Gaia DR3 stage: cross-survey validation and the classified catalogue."""

from __future__ import annotations

from asteroid_spectra.report.sections import Section, Table, png
from asteroid_spectra.report.stages.common import Progress, Settings, mean_std

__all__ = ["gaia_stage"]


def gaia_stage(settings: Settings, progress: Progress) -> Section:
    """Cross-survey validation on Gaia DR3 and the classified catalogue."""
    import tempfile
    from pathlib import Path

    from asteroid_spectra.catalog import classify_catalogue, gaia_input_path
    from asteroid_spectra.models.defaults import survey_model
    from asteroid_spectra.models.survey_sets import load_cross_survey
    from asteroid_spectra.models.training import cross_survey_evaluate_named
    from asteroid_spectra.plotting.catalog import plot_catalogue_summary
    from asteroid_spectra.spectra.bands import ERROR_BIN_LABELS

    data = load_cross_survey("main-group")
    copies = 1 if settings.quick else 5
    evaluations = {}
    for step, scheme in enumerate(("smass2", "gaia"), 1):
        evaluations[scheme] = cross_survey_evaluate_named(
            "main-group",
            "logistic-bus",
            data=data,
            scheme=scheme,
            folds=settings.folds,
            repeats=settings.repeats,
            seed=settings.seed,
            copies=copies,
        ).summary()
        progress(step, 4)
    model = survey_model("main-group")
    source = gaia_input_path()
    with tempfile.TemporaryDirectory() as directory:
        run = classify_catalogue(source, Path(directory) / "classes.parquet", model)
        figure = plot_catalogue_summary(run.output, source)
    progress(4, 4)
    gaia = evaluations["gaia"]
    bins = ERROR_BIN_LABELS
    rows = []
    for scheme, s in evaluations.items():
        rows.append(
            [
                f"{scheme} → gaia-dr3",
                mean_std(s["accuracy"]),
                mean_std(s["f1_macro"]),
                mean_std(s["catalogue_noise_accuracy"]),
                *[
                    mean_std(s[f"catalogue_noise_accuracy[{b}]"])
                    if f"catalogue_noise_accuracy[{b}]" in s
                    else "—"
                    for b in bins
                ],
            ]
        )
    fractions = {k: v / max(run.n_classified, 1) for k, v in run.class_counts.items()}
    return Section(
        key="gaia",
        title="Gaia DR3: cross-survey validation and the catalogue",
        summary=(
            "Trained on the Gaia spectra of the SMASSII asteroids (labels by identity, copies "
            "degraded to the catalogue's errors), the model classifies held-out asteroids' "
            f"Gaia spectra at main-group accuracy {mean_std(gaia['accuracy'])} as published and "
            f"{mean_std(gaia['catalogue_noise_accuracy'])} at catalogue noise, against "
            f"{mean_std(evaluations['smass2']['accuracy'])} for SMASSII spectra corrected to Gaia. "
            f"All {run.n_rows:,} Gaia DR3 asteroids were then classified in "
            f"{run.seconds:.1f} s ({fractions.get('S', 0):.0%} S, {fractions.get('C', 0):.0%} C, "
            f"{fractions.get('X', 0):.0%} X, {fractions.get('Other', 0):.0%} Other)."
        ),
        numbers={
            "cross_survey": evaluations,
            "catalogue": {
                "n_rows": run.n_rows,
                "n_classified": run.n_classified,
                "seconds": run.seconds,
                "class_counts": run.class_counts,
            },
        },
        tables=[
            Table(
                "Grouped CV over the 1,323 overlap asteroids (logistic-bus)",
                [
                    "training → test",
                    "accuracy",
                    "macro F1",
                    "at catalogue noise",
                    *[f"noise {b}" for b in bins],
                ],
                rows,
            ),
            Table(
                "Catalogue",
                ["main group", "asteroids", "fraction"],
                [[k, f"{v:,}", f"{fractions[k]:.1%}"] for k, v in run.class_counts.items()],
            ),
        ],
        figures=[
            png(
                figure,
                "Gaia DR3 catalogue",
                "Predicted class fractions overall, per "
                "band-error bin and per Bus class; templates of each predicted class.",
            )
        ],
    )
