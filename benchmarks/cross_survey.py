"""Cross-survey validation: models classifying the Gaia DR3 spectra of SMASSII asteroids.

For each configuration, ``cross_survey_evaluate`` runs a stratified K-fold over the 1,323
labelled SMASSII asteroids with a usable Gaia DR3 spectrum (grouped by asteroid: no
spectrum of a test asteroid, from any survey, is in training), repeated with seeds
``seed``, ``seed + 1``, …; scores are on the test asteroids' Gaia spectra, as published
and degraded to random catalogue errors. Printed: mean ± std over folds of accuracy and
macro F1, ECE, per-bin accuracy, the catalogue-noise scores and per-class recall.

Configurations: the three training schemes (smass2 → gaia with the in-fold correction,
gaia → gaia, multi → gaia), without noise copies, with flagged bands trusted instead of
repaired, and the Bus-class target.

Usage: ``python benchmarks/cross_survey.py [--models logistic-bus,svm-robust] [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from asteroid_spectra.spectra.bands import ERROR_BIN_LABELS as BINS


def _configurations(model: str) -> list[dict[str, object]]:
    return [
        {"model": model, "target": "main-group", "scheme": "smass2", "copies": 0},
        {"model": model, "target": "main-group", "scheme": "smass2", "copies": 5},
        {"model": model, "target": "main-group", "scheme": "gaia", "copies": 0},
        {"model": model, "target": "main-group", "scheme": "gaia", "copies": 5},
        {"model": model, "target": "main-group", "scheme": "gaia", "copies": 5, "flags": "trusted"},
        {"model": model, "target": "main-group", "scheme": "multi", "copies": 5},
        {"model": model, "target": "bus", "scheme": "gaia", "copies": 5},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="logistic-bus")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=None, help="Run configurations whose name has this.")
    parser.add_argument("--json", default=None, help="Also write the summaries to this file.")
    options = parser.parse_args()

    from threadpoolctl import threadpool_limits

    from asteroid_spectra.models.survey_sets import load_cross_survey
    from asteroid_spectra.models.training import cross_survey_evaluate_named

    data = {target: load_cross_survey(target) for target in ("main-group", "bus")}
    print(
        f"{len(data['main-group'].y)} overlap asteroids; Bus target keeps "
        f"{len(data['bus'].y)} in {len(set(data['bus'].y))} classes; "
        f"{options.folds}x{options.repeats} grouped CV, seed {options.seed}"
    )
    results = []
    for model in options.models.split(","):
        for config in _configurations(model):
            name = " ".join(f"{k}={v}" for k, v in config.items())
            if options.only and options.only not in name:
                continue
            target, scheme = str(config["target"]), str(config["scheme"])
            chosen = data[target]
            if config.get("flags") == "trusted":
                chosen = dataclasses.replace(
                    chosen,
                    gaia_flag=np.zeros_like(chosen.gaia_flag),
                    pool_flag=np.zeros_like(chosen.pool_flag),
                )
            start = time.perf_counter()
            with threadpool_limits(1):
                evaluation = cross_survey_evaluate_named(
                    target,
                    model,
                    data=chosen,
                    scheme=scheme,
                    folds=options.folds,
                    repeats=options.repeats,
                    seed=options.seed,
                    copies=int(config["copies"]),  # type: ignore[call-overload]
                )
            seconds = time.perf_counter() - start
            s = evaluation.summary()

            def pm(key: str, s: dict = s) -> str:
                return f"{s[key]['mean']:.3f}±{s[key]['std']:.3f}" if key in s else "  -  "

            recall = " ".join(
                f"{label} {row['recall_mean']:.2f}" for label, row in s["per_class"].items()
            )
            print(
                f"\n{name} ({seconds:.0f} s)\n"
                f"  published : acc {pm('accuracy')} F1 {pm('f1_macro')} ECE {pm('ece')} "
                f"| bins " + " ".join(f"{b} {pm(f'accuracy[{b}]')}" for b in BINS) + "\n"
                f"  cat. noise: acc {pm('catalogue_noise_accuracy')} "
                f"F1 {pm('catalogue_noise_f1_macro')} ECE {pm('catalogue_noise_ece')} "
                f"| bins "
                + " ".join(f"{b} {pm(f'catalogue_noise_accuracy[{b}]')}" for b in BINS)
                + (f"\n  recall    : {recall}" if target == "main-group" else ""),
                flush=True,
            )
            results.append({"configuration": config, "seconds": seconds, "summary": s})
    if options.json:
        with Path(options.json).open("w") as handle:
            json.dump(results, handle, indent=1, default=str)


if __name__ == "__main__":
    main()
