"""Leave-one-survey-out: main groups of each visible survey by models that never saw it.

Every labelled spectrum of SMASSII, SMASSI, PRIMASS-L, Gaia DR3, ECAS and the Bus-DeMeo
spectra (visible part) on the SMASSII grid points 0.52-0.88 µm
(:func:`~asteroid_spectra.spectra.survey_spectra.survey_spectra`); for each held-out
survey a stratified K-fold over its asteroids, grouped by asteroid and repeated with seeds
``seed``, ``seed + 1``, …, trains on the other surveys' spectra of the training asteroids
only (:func:`~asteroid_spectra.models.loso.loso_evaluate`). Each survey's probabilities are
then calibrated with a temperature fitted on the *other* surveys' held-out predictions.
Printed per configuration and survey: accuracy, weighted F1 and ECE (mean ± std over
folds), the calibrated ECE and temperature, and the share and accuracy of spectra flagged
``uncertain`` and ``ood``.

Configurations (``--configs``): ``MODEL:CORRECT[:own]`` with CORRECT ``none``, ``training``
(training surveys corrected onto SMASSII; the held-out one is an unknown instrument) or
``all`` (the held-out survey corrected too, from its training asteroids: a known
instrument); ``own`` also trains on the held-out survey's training asteroids (grouped CV
of a multi-survey model).

Usage: ``python benchmarks/loso.py [--configs svm-robust:training,svm-robust:all]
[--repeats 2] [--jobs 2] [--figures DIR] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def _cell(score: dict[str, float]) -> str:
    return f"{score['mean']:.3f} ± {score['std']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="svm-robust:training,svm-robust:all")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--figures", type=Path, default=None)
    parser.add_argument("--json", default=None, help="Also write the summaries to this file.")
    options = parser.parse_args()

    from asteroid_spectra.models.loso import leave_surveys_out
    from asteroid_spectra.models.loso_summary import cross_calibrate, loso_summary
    from asteroid_spectra.spectra.survey_spectra import survey_spectra

    start = time.perf_counter()
    data = survey_spectra()
    counts = data.rows["survey"].value_counts().to_dict()
    print(f"{len(data)} labelled spectra on {data.wavelength.size} points: {counts}")
    print(
        f"left out (do not cover the span): {data.left_out}; read in "
        f"{time.perf_counter() - start:.1f} s"
    )
    results = {}
    for config in options.configs.split(","):
        model, correct, *rest = config.split(":")
        own = rest == ["own"]
        start = time.perf_counter()
        evaluations = leave_surveys_out(
            model,
            data,
            correct=correct,
            own=own,
            folds=options.folds,
            repeats=options.repeats,
            seed=options.seed,
            n_jobs=options.jobs,
        )
        summaries = loso_summary(evaluations)
        seconds = time.perf_counter() - start
        print(
            f"\n## {config} ({options.folds}×{options.repeats}, seed {options.seed}, "
            f"{seconds:.0f} s)"
        )
        print(
            "| held out | spectra | accuracy | weighted F1 | ECE raw | ECE calibrated | T | "
            "uncertain: share, acc. flagged / not | OOD: share, acc. flagged / not |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for survey, s in summaries.items():
            print(
                f"| {survey} | {s['spectra']} | {_cell(s['accuracy'])} | "
                f"{_cell(s['f1_weighted'])} | {_cell(s['ece'])} | {_cell(s['ece_calibrated'])} "
                f"| {s['temperature']:.2f} | {s['uncertain']:.3f}, {s['accuracy_uncertain']:.2f}"
                f" / {s['accuracy_not_uncertain']:.2f} | {s['ood']:.3f}, "
                f"{s['accuracy_ood']:.2f} / {s['accuracy_not_ood']:.2f} |"
            )
        for survey, evaluation in evaluations.items():
            print(
                f"{survey} confusion (rows true): "
                + json.dumps(evaluation.summary()["confusion_matrix"])
            )
        if options.figures is not None:
            from asteroid_spectra.plotting.calibration import plot_reliability

            options.figures.mkdir(parents=True, exist_ok=True)
            path = options.figures / f"loso-{config.replace(':', '-')}-reliability.png"
            plot_reliability(cross_calibrate(evaluations)).savefig(path, dpi=110)
            print(f"wrote {path}")
        results[config] = {"seconds": seconds, "surveys": summaries}
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
