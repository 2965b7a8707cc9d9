"""Measure how models trained on SMASSII hold up against other instruments' systematics.

Under repeated stratified CV on the 1,339 labelled SMASSII spectra, each model is trained
on the clean training folds and scored (main-group accuracy, and Bus accuracy on the
clean spectra) on the held-out spectra

- as they are;
- tilted by a slope change of ±5 %/µm and ±10 %/µm (pivot 0.55 µm);
- with Gaussian noise at a signal-to-noise ratio of 50, 20 and 10;
- truncated to 0.49-0.83 µm, classified by the same model trained on the span
  ``classify`` uses for that coverage (0.50-0.82 µm: spans end on multiples of 0.02 µm).

Usage: ``python benchmarks/robustness.py [--models svm-bus,svm-robust] [--repeats 2]``.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

DEFAULT_MODELS = "svm-bus,svm-robust,svm-augmented,mlp-wide"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=DEFAULT_MODELS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()

    from sklearn.model_selection import RepeatedStratifiedKFold
    from threadpoolctl import threadpool_limits

    from asteroid_spectra.models.fit_params import fit_kwargs
    from asteroid_spectra.models.registry import build_model
    from asteroid_spectra.models.targets import smass2_target
    from asteroid_spectra.models.torch_training import torch_session
    from asteroid_spectra.spectra.coverage import prepare
    from asteroid_spectra.spectra.perturb import add_noise, tilt
    from asteroid_spectra.spectra.spectrum import Spectrum

    data = smass2_target("main-group")
    X, y, fine, grid = data.X, data.y, data.fine, data.wavelength
    truncated = (grid >= 0.49 - 1e-9) & (grid <= 0.83 + 1e-9)
    span = prepare(Spectrum(grid[truncated], X[0, truncated])).span
    cut = (grid >= span[0] - 1e-9) & (grid <= span[1] + 1e-9)
    splitter = RepeatedStratifiedKFold(
        n_splits=options.folds, n_repeats=options.repeats, random_state=options.seed
    )
    # Bus classes too rare to stratify on are stratified by their main group.
    counts = {label: int(np.sum(fine == label)) for label in set(fine)}
    strata = np.array(
        [f if counts[f] >= options.folds else g for f, g in zip(fine, y, strict=True)]
    )
    header = ["clean", "Bus", "-10%/µm", "-5%/µm", "+5%/µm", "+10%/µm"]
    header += ["SNR 50", "SNR 20", "SNR 10", "0.49-0.83"]
    print(f"{'model':16s}" + "".join(f"{h:>14s}" for h in header), flush=True)
    for name in options.models.split(","):
        scores: dict[str, list[float]] = defaultdict(list)
        start = time.perf_counter()
        with threadpool_limits(1), torch_session(1):
            for fold, (train, test) in enumerate(splitter.split(X, strata)):
                model = build_model(name, "main-group", grid, options.seed + fold)
                model.fit(X[train], y[train], **fit_kwargs(model, fine[train]))
                truth = y[test]
                held_out = {"clean": X[test]}
                for slope in (-0.10, -0.05, 0.05, 0.10):
                    held_out[f"{slope * 100:+.0f}%/µm"] = tilt(X[test], grid, slope)
                for snr in (50, 20, 10):
                    held_out[f"SNR {snr}"] = add_noise(X[test], snr, random_state=fold)
                for condition, values in held_out.items():
                    scores[condition].append(float(np.mean(model.predict(values) == truth)))
                if hasattr(model, "predict_fine_proba"):
                    fine_classes = np.asarray(model.fine_classes_)
                    fine_predicted = fine_classes[model.predict_fine_proba(X[test]).argmax(1)]
                    scores["Bus"].append(float(np.mean(fine_predicted == fine[test])))
                sub = build_model(name, "main-group", grid[cut], options.seed + fold)
                sub.fit(X[train][:, cut], y[train], **fit_kwargs(sub, fine[train]))
                scores["0.49-0.83"].append(float(np.mean(sub.predict(X[test][:, cut]) == truth)))
        row = "".join(
            (f"{np.mean(scores[h]):.3f}±{np.std(scores[h]):.3f}" if scores[h] else "-").rjust(14)
            for h in header
        )
        elapsed = time.perf_counter() - start
        print(f"{name:16s}{row}   ({elapsed:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
