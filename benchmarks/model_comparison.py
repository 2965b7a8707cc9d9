"""Every model × target under repeated stratified CV: the table of the supervised study.

Prints, for each target and model, mean ± std over 5 folds × 5 repeats (seed 0) of the
headline metrics and the fit time per fold, and writes everything as JSON.

Usage::

    python benchmarks/model_comparison.py [--models svm,svm-bus,...] [--targets ...]
        [--folds 5] [--repeats 5] [--jobs 2] [--output results.json]

Tuned models (``svm-tuned``, ``mlp-tuned``) are evaluated by nested CV: each outer
training fold runs its own Optuna study, so they take much longer.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

DEFAULT_MODELS = "svm,svm-grid,svm-unscaled,svm-bus,mlp,cnn,logistic,extra-trees,best"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=DEFAULT_MODELS)
    parser.add_argument("--targets", default="x-vs-rest,main-group,bus")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--output", type=Path, default=None)
    options = parser.parse_args()

    from asteroid_spectra.models.targets import target_data
    from asteroid_spectra.models.training import evaluate_named
    from asteroid_spectra.spectra.sets import load_spectra

    spectra = load_spectra("smass2")
    results: list[dict[str, Any]] = []
    for target in options.targets.split(","):
        data = target_data(spectra, target)
        for name in options.models.split(","):
            start = time.perf_counter()
            result = evaluate_named(
                target,
                name,
                data=data,
                folds=options.folds,
                repeats=options.repeats,
                seed=options.seed,
                n_jobs=options.jobs,
            )
            summary = result.summary()
            if name == "best":
                summary["model"] = f"best ({summary['model']})"
            summary["wall_time_s"] = time.perf_counter() - start
            results.append(summary)
            keys = ["accuracy", "f1_weighted", "f1_macro"] + (
                ["f1"] if target == "x-vs-rest" else []
            )
            cells = "  ".join(f"{k} {summary[k]['mean']:.4f}±{summary[k]['std']:.4f}" for k in keys)
            print(
                f"{target:<10} {summary['model']:<22} {cells}  "
                f"fit {summary['fit_time']['mean']:.2f}s/fold",
                flush=True,
            )
    if options.output is not None:
        options.output.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
