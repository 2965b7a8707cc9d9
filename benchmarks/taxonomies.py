"""Bus-DeMeo and Tholen classes under repeated stratified CV: the numbers of the README.

Each function prints one study; run those named on the command line::

    python benchmarks/taxonomies.py tholen demeo [--folds 5] [--repeats 5] [--seed 0] [--jobs 2]

Every study takes the keyword arguments ``folds``, ``repeats``, ``seed`` and ``jobs``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any


def tholen(folds: int = 5, repeats: int = 5, seed: int = 0, jobs: int = 2) -> list[dict[str, Any]]:
    """Tholen (1984) classes from the eight ECAS filters: models × label rules, main groups.

    Every model is cross-validated (``folds`` × ``repeats``, ``seed``) on the ECAS spectra
    of the Tholen asteroids labelled by each rule of
    :func:`asteroid_spectra.models.tholen.tholen_label`; under ``primary`` the models are
    also scored on the test spectra of unambiguous classes only, and the main-group
    accuracy of their class predictions is read off the pooled confusion matrix. Then the
    main groups themselves (A, Q, R, V included in Other): the recommended model learning
    the Tholen classes inside a GroupedClassifier, or the groups directly. Returns the
    summaries.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestCentroid
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from asteroid_spectra import schema
    from asteroid_spectra.models.classical import calibrated
    from asteroid_spectra.models.evaluation import ExtraTest, FoldData, evaluate
    from asteroid_spectra.models.fast_svm import FastSVC
    from asteroid_spectra.models.grouped import GroupedClassifier
    from asteroid_spectra.models.registry import BEST, build_model
    from asteroid_spectra.models.tholen import (
        LABEL_RULES,
        TholenScores,
        tholen_label,
        tholen_target,
    )

    grid = np.array(schema.ECAS_WAVELENGTH)

    def registry(name: str, target: str = "tholen") -> Callable[[], Any]:
        return lambda: build_model(name, target, grid, seed)

    models: dict[str, Callable[[], Any]] = {
        name: registry(name)
        for name in ("logistic", "logistic-bus", "svm-bus", "svm-robust", "svm-tholen")
    }
    models["svm on Tholen PCs (C=3, γ=0.3, balanced)"] = lambda: calibrated(
        Pipeline(
            [("pcs", TholenScores()), ("svc", FastSVC(C=3.0, gamma=0.3, class_weight="balanced"))]
        ),
        cv=3,
    )
    models["logistic on Tholen PCs (C=10)"] = lambda: Pipeline(
        [
            ("pcs", TholenScores()),
            ("scale", StandardScaler()),
            ("logistic", LogisticRegression(C=10.0, max_iter=5000)),
        ]
    )
    models["reference: nearest class mean, Tholen PCs"] = lambda: Pipeline(
        [("pcs", TholenScores()), ("centroid", NearestCentroid())]
    )

    def cell(summary: dict[str, Any], key: str) -> str:
        value = summary.get(key)
        return "—" if value is None else f"{value['mean']:.3f} ± {value['std']:.3f}"

    results: list[dict[str, Any]] = []
    print(
        f"Tholen classes, {folds} folds × {repeats} repeats, seed {seed}; best = {BEST['tholen']}"
    )
    print("rule | model | n | accuracy | balanced | macro F1 | ECE | unambiguous acc | main group")
    for rule in LABEL_RULES:
        data = tholen_target(rule=rule)
        clear = np.array(
            [tholen_label(c, "unambiguous") is not None for c in data.objects[schema.THOLEN_CLASS]]
        )

        def fold_data(
            index: int, train: Any, test: Any, data: Any = data, clear: Any = clear
        ) -> FoldData:
            kept = test[clear[test]]
            return FoldData(
                data.X[train],
                data.y[train],
                data.fine[train],
                data.error[train],
                data.X[test],
                data.y[test],
                extra_tests=(ExtraTest("unambiguous", data.X[kept], data.y[kept]),),
            )

        for name, build in models.items():
            start = time.perf_counter()
            result = evaluate(
                build,
                data,
                model_name=name,
                folds=folds,
                repeats=repeats,
                seed=seed,
                n_jobs=jobs,
                fold_data=fold_data if rule == "primary" else None,
            )
            summary = result.summary() | {"rule": rule, "wall_time_s": time.perf_counter() - start}
            confusion = result.confusion
            group = {c: schema.taxonomy_main_group("tholen", c) for c in confusion.index}
            same = np.equal.outer(
                [group[c] for c in confusion.index], [group[c] for c in confusion.columns]
            )
            summary["main_group_accuracy_pooled"] = float(
                confusion.to_numpy()[same].sum() / confusion.to_numpy().sum()
            )
            results.append(summary)
            print(
                f"{rule} | {name} | {summary['n_samples']} | {cell(summary, 'accuracy')} | "
                f"{cell(summary, 'balanced_accuracy')} | {cell(summary, 'f1_macro')} | "
                f"{cell(summary, 'ece')} | {cell(summary, 'unambiguous_accuracy')} | "
                f"{summary['main_group_accuracy_pooled']:.3f}",
                flush=True,
            )
        if rule == "primary":
            best = next(r for r in results if r["model"] == BEST["tholen"] and r["rule"] == rule)
            recall = ", ".join(f"{c} {v['recall_mean']:.2f}" for c, v in best["per_class"].items())
            print(f"  per-class recall of {BEST['tholen']}: {recall}")
            final = build_model(BEST["tholen"], "tholen", grid, seed).fit(data.X, data.y)
            guessed = final.predict(data.excluded_X)
            print(
                "  left out (too rare), classified by the model fitted on all: "
                + ", ".join(
                    f"{n} {c}→{g}"
                    for n, c, g in zip(
                        data.excluded[schema.NAME],
                        data.excluded[schema.THOLEN_CLASS],
                        guessed,
                        strict=True,
                    )
                )
            )

    groups = tholen_target("main-group")
    grouped = {
        f"GroupedClassifier({BEST['tholen']}) on Tholen classes": lambda: GroupedClassifier(
            build_model(BEST["tholen"], "tholen", grid, seed),
            target="main-group",
            taxonomy="tholen",
        ),
        f"{BEST['tholen']} on the groups": registry(BEST["tholen"], "main-group"),
    }
    sizes = ", ".join(f"{c} {int((groups.y == c).sum())}" for c in groups.classes)
    print(f"main groups ({len(groups.y)} spectra: {sizes})")
    for name, build in grouped.items():
        result = evaluate(
            build, groups, model_name=name, folds=folds, repeats=repeats, seed=seed, n_jobs=jobs
        )
        summary = result.summary() | {"rule": "primary"}
        results.append(summary)
        print(
            f"main-group | {name} | {summary['n_samples']} | {cell(summary, 'accuracy')} | "
            f"{cell(summary, 'balanced_accuracy')} | {cell(summary, 'f1_macro')} | "
            f"{cell(summary, 'ece')}",
            flush=True,
        )
    return results


DEMEO_MODELS = (
    "reference",
    "svm-slope",
    "svm-bus",
    "svm-robust",
    "logistic-bus",
    "extra-trees",
    "svm",
    "logistic",
)
"""Models of the Bus-DeMeo study: the paper's method and registry models."""


def demeo(folds: int = 5, repeats: int = 5, seed: int = 0, jobs: int = 2) -> list[dict[str, Any]]:
    """Bus-DeMeo classes (DeMeo et al. 2009): the reproduced method, then the CV table.

    First how the reproduction matches the published tables: least-squares slopes against
    the published ones, the eigenvectors recovered from the published scores (spectra
    used, residual of the scores, orthonormality), the flow chart on the published scores,
    and the reference method's accuracy on every spectrum. Then the reference method and
    the registry models (:data:`DEMEO_MODELS`) under grouped repeated stratified CV
    (``folds`` × ``repeats``, ``seed``; identical spectra in one fold) for the ``demeo``
    classes and their main groups. Returns the summaries.
    """
    import warnings

    import numpy as np

    from asteroid_spectra.models.demeo import (
        SCORE_COLUMNS,
        classify_demeo_reference,
        demeo_target,
        evaluate_demeo,
        published_tables,
    )
    from asteroid_spectra.models.demeo_reference import (
        apply_rules,
        recover_basis,
        remove_slope,
        spectral_slope,
    )
    from asteroid_spectra.models.registry import BEST
    from asteroid_spectra.models.targets import coarse_labels

    def spread(values: Any) -> str:
        p50, p90, p99 = np.percentile(values, [50, 90, 99])
        return f"median {p50:.2g}, 90 % {p90:.2g}, 99 % {p99:.2g}, max {np.max(values):.2g}"

    classes, spectra, _ = published_tables()
    scored = classes["slope"].notna().to_numpy()
    published = classes.loc[scored, list(SCORE_COLUMNS)].to_numpy()
    slope = classes.loc[scored, "slope"].to_numpy()
    removed = remove_slope(spectra[scored], slope)
    basis, inliers = recover_basis(removed, published)
    residual = np.abs(basis.scores(removed) - published).max(axis=1)
    refitted = np.abs(basis.scores(remove_slope(spectra[scored])) - published).max(axis=1)
    gram = basis.eigenvectors @ basis.eigenvectors.T
    print("Bus-DeMeo: the reproduced method against the published tables")
    difference = np.abs(spectral_slope(spectra[scored]) - slope)
    print(f"  slope refitted - published (µm⁻¹): {spread(difference)}")
    print(
        f"  eigenvectors from {int(inliers.sum())} of {int(scored.sum())} scored spectra, "
        f"max |E Eᵀ - I| = {np.abs(gram - np.eye(len(gram))).max():.4f}"
    )
    print(f"  max |score - published|, published slopes: {spread(residual)}")
    print(
        f"    below 0.001 for {int((residual < 1e-3).sum())}; refitted slopes: {spread(refitted)}"
    )
    truth = classes.loc[scored, "demeo_class"].astype(str).to_numpy()
    among = []
    for row in range(len(truth)):
        point = {"slope": float(slope[row]), "r045": float(removed[row, 0])}
        point |= {name: float(published[row, i]) for i, name in enumerate(SCORE_COLUMNS)}
        among.append(truth[row] in apply_rules(point)[1])
    print(
        f"  flow chart on the published scores: true class among its outcomes {np.mean(among):.3f}"
    )
    results: list[dict[str, Any]] = []
    for target in ("demeo", "main-group"):
        data = demeo_target(target, min_class_size=1)
        predicted, table = classify_demeo_reference(data.X)
        labels = predicted if target == "demeo" else coarse_labels(target, predicted, "demeo")
        several = int(table["candidates"].str.contains("/").sum())
        none = int((table["candidates"] == "").sum())
        print(
            f"  reference method, {target}, all {len(data.y)} spectra: accuracy "
            f"{np.mean(labels == data.y):.3f} ({several} chosen among candidates by template "
            f"correlation, {none} indeterminate)"
        )

    def cell(summary: dict[str, Any], key: str) -> str:
        value = summary.get(key)
        return "—" if value is None else f"{value['mean']:.3f} ± {value['std']:.3f}"

    scheme = f"{folds} folds × {repeats} repeats (grouped), seed {seed}"
    print(f"Bus-DeMeo, {scheme}; best = {BEST['demeo']}")
    print("target | model | n | accuracy | balanced | macro F1 | ECE")
    for target in ("demeo", "main-group"):
        data = demeo_target(target)
        for name in DEMEO_MODELS:
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # classes absent from a fold
                    result = evaluate_demeo(
                        name,
                        target,
                        data=data,
                        folds=folds,
                        repeats=repeats,
                        seed=seed,
                        n_jobs=jobs,
                    )
            except ValueError as error:  # inner calibration folds of 4-member classes
                print(f"{target} | {name} | — | fails: {str(error).splitlines()[0]}")
                continue
            summary = result.summary() | {"wall_time_s": time.perf_counter() - start}
            results.append(summary)
            print(
                f"{target} | {name} | {summary['n_samples']} | {cell(summary, 'accuracy')} | "
                f"{cell(summary, 'balanced_accuracy')} | {cell(summary, 'f1_macro')} | "
                f"{cell(summary, 'ece')}",
                flush=True,
            )
    return results


def main(argv: list[str] | None = None) -> None:
    """Run the studies (the module's functions) named on the command line."""
    import inspect

    studies = {
        name: function
        for name, function in globals().items()
        if inspect.isfunction(function) and function.__module__ == __name__ and name != "main"
    }
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("studies", nargs="+", help=f"one or more of {', '.join(studies)}")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args(argv)
    unknown = [name for name in options.studies if name not in studies]
    if unknown:
        parser.error(f"unknown studies {', '.join(unknown)}; expected {', '.join(studies)}")
    for name in options.studies:
        studies[name](
            folds=options.folds, repeats=options.repeats, seed=options.seed, jobs=options.jobs
        )


if __name__ == "__main__":
    main()
