"""The stages of the study, each a function of the run's settings returning a Section.

Each stage calls the library the way a user would (load the data, build models by name,
evaluate them by repeated stratified cross-validation, run the latent-space study, the
cross-survey validation and the catalogue) and turns the results into numbers, tables and
figures. ``quick`` settings keep every code path and shrink the work: fewer folds and
repeats, fewer epochs, trials and seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from asteroid_spectra import schema
from asteroid_spectra.report.sections import Section, Table, png

__all__ = ["STAGES", "TUTORIAL_X_F1", "Settings", "Stage"]

Progress = Callable[[int, int], None]

TUTORIAL_X_F1 = {"svm": 0.938, "mlp": 0.931, "cnn": 0.945, "mlp-tuned": 0.941}
"""F1 of the X class published by the reference tutorial (one random split each)."""


@dataclass(frozen=True)
class Settings:
    """How much work the study does.

    Attributes
    ----------
    seed : int
        Seed of every split, model and draw.
    quick : bool
        Shrink the work (same code paths).
    """

    seed: int = 0
    quick: bool = False

    @property
    def folds(self) -> int:
        """Folds of the stratified K-fold."""
        return 3 if self.quick else 5

    @property
    def repeats(self) -> int:
        """Repeats of the K-fold."""
        return 1 if self.quick else 3

    @property
    def max_epochs(self) -> int | None:
        """Epoch cap of the networks (None: their defaults)."""
        return 15 if self.quick else None

    @property
    def trials(self) -> int:
        """Optuna trials of the tuning stage."""
        return 4 if self.quick else 20

    @property
    def cluster_seeds(self) -> int:
        """Autoencoder seeds of the latent-space study."""
        return 2 if self.quick else 5

    def key(self) -> dict[str, Any]:
        """Return what the results depend on, besides the data and the code."""
        return {"seed": self.seed, "quick": self.quick}


@dataclass(frozen=True)
class Stage:
    """A named step of the study."""

    key: str
    title: str
    run: Callable[[Settings, Progress], Section]


def _pm(metric: dict[str, float]) -> str:
    return f"{metric['mean']:.3f} ± {metric['std']:.3f}"


def _headline(summary: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: summary[k] for k in keys if k in summary}


# --- data ------------------------------------------------------------------------------


def data_stage(settings: Settings, progress: Progress) -> Section:
    """Describe the data: the two surveys, their files, checksums and citations."""
    from matplotlib.figure import Figure

    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.data.fetch import fetch
    from asteroid_spectra.data.registry import collection
    from asteroid_spectra.data.summary import summarise

    files = [f for name in ("smass2", "gaia-dr3") for f in collection(name)]
    for done, file in enumerate(files, 1):
        fetch(file)
        progress(done, len(files) + 2)
    summaries = {}
    for survey in ("smass2", "gaia-dr3"):
        summaries[survey] = summarise(load_table(survey))
    progress(len(files) + 2, len(files) + 2)
    smass, gaia = summaries["smass2"], summaries["gaia-dr3"]
    flagged = gaia.get("flagged_fraction_by_band", {})
    figure = Figure(figsize=(7, 3), layout="constrained")
    ax = figure.subplots()
    ax.bar(list(flagged), list(flagged.values()), color="tab:orange")
    ax.set_xlabel("Gaia DR3 band (µm)")
    ax.set_ylabel("Fraction flagged or missing")
    ax.tick_params(axis="x", rotation=60)
    citations = sorted({f.citation for f in files})
    return Section(
        key="data",
        title="Data and provenance",
        summary=(
            f"SMASSII gives {smass['n_labelled']:,} labelled visible spectra in "
            f"{smass['n_bus_classes']} Bus classes and Gaia DR3 {gaia['n_spectra']:,} "
            "asteroid spectra in 16 bands, every file verified against its registered "
            "sha256. Gaia's end bands are often flagged (0.374 µm for most asteroids), "
            "which is why the Gaia models use 0.418-0.946 µm."
        ),
        numbers={"smass2": smass, "gaia-dr3": gaia, "citations": citations},
        tables=[
            Table(
                "Surveys",
                ["survey", "spectra", "wavelengths", "range (µm)", "labelled"],
                [
                    [
                        name,
                        f"{s['n_spectra']:,}",
                        str(s["n_wavelengths"]),
                        "{:.3f}-{:.3f}".format(*s["wavelength_range_um"]),
                        f"{s['n_labelled']:,}" if "n_labelled" in s else "—",
                    ]
                    for name, s in summaries.items()
                ],
            ),
            Table(
                f"Files ({len(files)}), verified by sha256",
                ["file", "sha256", "origin"],
                [[f.name, f.sha256[:16] + "…", f.url] for f in files[:3]]
                + ([["…", f"{len(files) - 3} more Gaia DR3 parts", ""]] if len(files) > 3 else []),
            ),
            Table("Citations", ["reference"], [[c] for c in citations]),
        ],
        figures=[
            png(
                figure,
                "Gaia DR3 flags by band",
                "Fraction of the 60,518 asteroids "
                "whose value in each band is flagged (1 or 2) or missing.",
            )
        ],
    )


# --- class statistics ------------------------------------------------------------------


def classes_stage(settings: Settings, progress: Progress) -> Section:
    """Class statistics and the spectra of each class overlaid."""
    from asteroid_spectra.plotting import plot_spectra_by_class
    from asteroid_spectra.spectra.sets import load_spectra

    labelled = load_spectra("smass2").labelled()
    groups = labelled.labels(schema.MAIN_GROUP)
    bus = labelled.labels(schema.BUS_CLASS)
    main_counts = {g: int(np.sum(groups == g)) for g in schema.MAIN_GROUPS}
    bus_counts = {c: int(np.sum(bus == c)) for c in schema.BUS_CLASSES if np.any(bus == c)}
    progress(1, 3)
    main_figure = plot_spectra_by_class(labelled, by=schema.MAIN_GROUP)
    progress(2, 3)
    bus_figure = plot_spectra_by_class(labelled, by=schema.BUS_CLASS)
    progress(3, 3)
    largest = max(bus_counts, key=bus_counts.__getitem__)
    return Section(
        key="classes",
        title="Class statistics and spectra per class",
        summary=(
            f"The {len(labelled):,} labelled SMASSII spectra split into C {main_counts['C']}, "
            f"S {main_counts['S']}, X {main_counts['X']} and Other {main_counts['Other']}; "
            f"the Bus classes range from {min(bus_counts.values())} to "
            f"{bus_counts[largest]} spectra ({largest}). Overlaid spectra show each class's "
            "median and 16-84 % spread: S and V rise to a 1-µm band, C and X are flat to "
            "reddish and differ mostly in slope."
        ),
        numbers={"main_group_counts": main_counts, "bus_class_counts": bus_counts},
        tables=[
            Table(
                "Main groups", ["group", "spectra"], [[g, str(n)] for g, n in main_counts.items()]
            ),
            Table(
                "Bus classes", ["class", "spectra"], [[c, str(n)] for c, n in bus_counts.items()]
            ),
        ],
        figures=[
            png(
                main_figure,
                "Spectra by main group",
                "Every labelled spectrum (thin), the "
                "median (thick) and the 16-84 % band, normalised at 0.55 µm.",
            ),
            png(bus_figure, "Spectra by Bus class", "The same, one panel per Bus class."),
        ],
    )


# --- supervised ------------------------------------------------------------------------


def _evaluate(
    name: str, target: str, settings: Settings, progress: Progress, estimator: Any = None
) -> Any:
    from sklearn.base import clone

    from asteroid_spectra.models.evaluation import evaluate
    from asteroid_spectra.models.registry import build_model
    from asteroid_spectra.models.targets import smass2_target

    data = smass2_target(target)

    def build() -> Any:
        model = (
            clone(estimator)
            if estimator is not None
            else build_model(name, target, data.wavelength, settings.seed)
        )
        if settings.max_epochs is not None and "max_epochs" in model.get_params():
            model.set_params(max_epochs=settings.max_epochs)
        return model

    return evaluate(
        build,
        data,
        model_name=name,
        folds=settings.folds,
        repeats=settings.repeats,
        seed=settings.seed,
        on_fold=progress,
    )


def supervised_stage(settings: Settings, progress: Progress) -> Section:
    """X-vs-rest and main-group models under repeated CV, beside the tutorial's numbers."""
    from asteroid_spectra.plotting import plot_confusion_matrix

    models = ["svm", "mlp", "cnn", "svm-robust"]
    steps = len(models) + 1
    results: dict[str, Any] = {}
    for i, name in enumerate(models):
        results[name] = _evaluate(name, "x-vs-rest", settings, lambda d, t: None)
        progress(i + 1, steps)
    main = _evaluate("svm-robust", "main-group", settings, lambda d, t: None)
    progress(steps, steps)
    summaries = {name: r.summary() for name, r in results.items()}
    rows = []
    for name, s in summaries.items():
        rows.append(
            [
                name,
                _pm(s["f1"]),
                f"{TUTORIAL_X_F1[name]:.3f}" if name in TUTORIAL_X_F1 else "—",
                _pm(s["accuracy"]),
                _pm(s["ece"]) if "ece" in s else "—",
            ]
        )
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.2), layout="constrained")
    ax = figure.subplots()
    names = list(summaries)
    ax.errorbar(
        range(len(names)),
        [summaries[n]["f1"]["mean"] for n in names],
        yerr=[summaries[n]["f1"]["std"] for n in names],
        fmt="o",
        capsize=4,
        label=f"this study ({settings.folds}×{settings.repeats} CV, mean ± std)",
    )
    ax.plot(
        [i for i, n in enumerate(names) if n in TUTORIAL_X_F1],
        [TUTORIAL_X_F1[n] for n in names if n in TUTORIAL_X_F1],
        "rx",
        ms=9,
        label="tutorial (one random split)",
    )
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("F1 of the X class")
    ax.legend(fontsize=8)
    main_summary = main.summary()
    best_x = max(summaries, key=lambda n: summaries[n]["f1"]["mean"])
    return Section(
        key="supervised",
        title="Supervised models: X vs rest and main groups",
        summary=(
            f"Under {settings.folds}-fold cross-validation repeated {settings.repeats} times, "
            f"the best X-vs-rest model is {best_x} with F1(X) "
            f"{_pm(summaries[best_x]['f1'])}, and svm-robust classifies the four main groups "
            f"with weighted F1 {_pm(main_summary['f1_weighted'])}. The tutorial's numbers "
            "come from one random split each, so their differences of ±0.01 are within the "
            "fold-to-fold spread shown here."
        ),
        numbers={
            "x-vs-rest": {
                n: _headline(s, ("f1", "precision", "recall", "accuracy", "ece", "brier"))
                for n, s in summaries.items()
            },
            "main-group": _headline(
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
                [[k, _pm(main_summary[k])] for k in ("accuracy", "f1_weighted", "f1_macro")],
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


# --- tuning ----------------------------------------------------------------------------


def tuning_stage(settings: Settings, progress: Progress) -> Section:
    """Tune the dense net with Optuna, show the history, cross-validate the tuned net."""
    from matplotlib.figure import Figure

    from asteroid_spectra.models.targets import smass2_target
    from asteroid_spectra.models.tuning import SPACES, OptunaSearchClassifier

    data = smass2_target("x-vs-rest")
    search = OptunaSearchClassifier(
        "dense",
        n_trials=settings.trials,
        scoring="f1_x",
        storage="memory",
        random_state=settings.seed,
    ).fit(data.X, data.y)
    progress(1, 2)
    tuned = _evaluate(
        "mlp-tuned",
        "x-vs-rest",
        settings,
        lambda d, t: None,
        SPACES["dense"].build(search.best_params_, settings.seed),
    ).summary()
    progress(2, 2)
    trials = [t for t in search.trials_ if t["value"] is not None]
    figure = Figure(figsize=(7, 3.2), layout="constrained")
    ax = figure.subplots()
    numbers = [t["number"] for t in trials]
    values = [t["value"] for t in trials]
    complete = [t["state"] == "COMPLETE" for t in trials]
    ax.scatter(
        numbers,
        values,
        c=["tab:blue" if c else "0.7" for c in complete],
        label="trial (grey: pruned)",
    )
    finished = [(n, v) for n, v, c in zip(numbers, values, complete, strict=True) if c]
    if finished:
        ax.step(
            [n for n, _ in finished],
            np.minimum.accumulate([v for _, v in finished]),
            where="post",
            color="tab:red",
            label="best so far",
        )
    ax.set_xlabel("Trial")
    ax.set_ylabel("Validation loss")
    ax.legend(fontsize=8)
    return Section(
        key="tuning",
        title="Tuning history: the dense net",
        summary=(
            f"An Optuna study ({settings.trials} TPE trials, median pruning on the "
            "validation loss per epoch) tuned the dense net's width, depth, dropout, "
            f"learning rate and weight decay; the tuned net reaches F1(X) {_pm(tuned['f1'])} "
            f"under {settings.folds}×{settings.repeats} CV (tutorial, one split: "
            f"{TUTORIAL_X_F1['mlp-tuned']:.3f}). The tuning saw every spectrum, so this CV "
            "score is slightly optimistic; `asteroid-spectra evaluate --model mlp-tuned` "
            "nests the tuning inside each fold."
        ),
        numbers={
            "best_params": search.best_params_,
            "best_inner_score": search.best_score_,
            "n_trials": search.n_trials_,
            "trials": search.trials_,
            "tuned_cv": _headline(tuned, ("f1", "precision", "recall", "accuracy", "ece")),
        },
        tables=[
            Table(
                "Best configuration",
                ["parameter", "value"],
                [[k, str(v)] for k, v in search.best_params_.items()],
            ),
            Table(
                "Tuned dense net beside the tutorial",
                ["model", "F1(X) mean ± std", "tutorial F1(X)"],
                [["mlp-tuned", _pm(tuned["f1"]), f"{TUTORIAL_X_F1['mlp-tuned']:.3f}"]],
            ),
        ],
        figures=[
            png(
                figure,
                "Optuna trials",
                "Validation loss of each trial and the best so far; pruned trials stopped early.",
            )
        ],
    )


# --- Bus classes -----------------------------------------------------------------------


def bus_stage(settings: Settings, progress: Progress) -> Section:
    """Evaluate the Bus-level SVM on the 23 Bus classes with at least 5 spectra."""
    from asteroid_spectra.plotting import plot_confusion_matrix, plot_per_class_f1

    result = _evaluate("svm-bus", "bus", settings, progress)
    summary = result.summary()
    per_class = summary["per_class"]
    worst = sorted(per_class, key=lambda c: per_class[c]["f1_mean"])[:3]
    return Section(
        key="bus",
        title="Bus classes",
        summary=(
            f"The Bus-level SVM classifies the {len(per_class)} Bus classes with at least 5 "
            f"spectra at accuracy {_pm(summary['accuracy'])} and macro F1 "
            f"{_pm(summary['f1_macro'])}. The hardest classes ({', '.join(worst)}) are "
            "those defined by subtle features the 0.44-0.92 µm spectra barely show."
        ),
        numbers=_headline(
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


# --- latent space ----------------------------------------------------------------------


def latent_stage(settings: Settings, progress: Progress) -> Section:
    """Autoencoder reconstructions, the latent space, mixtures by BIC, normality tests."""
    from asteroid_spectra.cluster import AutoencoderEmbedding, run_cluster_study
    from asteroid_spectra.plotting.latent import (
        plot_bic_curves,
        plot_latent_space,
        plot_reconstructions,
    )
    from asteroid_spectra.spectra.sets import load_spectra

    seeds = range(settings.seed, settings.seed + settings.cluster_seeds)
    steps = 2 * len(seeds) + 2
    done = [0]

    def advance(message: str) -> None:
        done[0] += 1
        progress(done[0], steps)

    epochs = None if settings.max_epochs is None else 4 * settings.max_epochs
    params: dict[str, Any] | None = None if epochs is None else {"max_epochs": epochs}
    study = run_cluster_study(
        load_spectra("smass2"),
        max_components=8 if settings.quick else 15,
        seeds=seeds,
        autoencoder_params=params,
        progress=advance,
    )
    summary = study.summary()
    model, result = study.models[0], study.autoencoders[0]
    groups = study.objects[schema.MAIN_GROUP].astype(str).to_numpy()
    bus = study.objects[schema.BUS_CLASS].astype(str).to_numpy()
    rmse = np.asarray(result.reconstruction_rmse)
    examples = []
    for group in schema.MAIN_GROUPS:
        members = np.flatnonzero(groups == group)
        examples.append(int(members[np.argsort(rmse[members])][len(members) // 2]))
    rebuilt = model.inverse_transform(model.transform(study.spectra[examples]))
    titles = [f"{study.objects[schema.OBJECT_ID].iloc[i]} ({bus[i]})" for i in examples]
    plane_model = AutoencoderEmbedding(latent_dim=2, random_state=settings.seed)
    if epochs is not None:
        plane_model.set_params(max_epochs=epochs)
    plane = plane_model.fit_transform(study.spectra)
    progress(steps, steps)
    rows = [
        [
            r["name"],
            str(r["bic_optimal_k"]),
            f"{r['ari_main_group']:.2f}",
            f"{r['ari_bus']:.2f}",
            f"{r['henze_zirkler']['statistic']:.2f}",
            f"{r['henze_zirkler']['pvalue']:.2g}",
        ]
        for r in [*summary["autoencoders"], summary["pca"]]
    ]
    normality = (
        "Henze-Zirkler rejects multivariate normality of the latents, so the mixture "
        "components approximate the taxonomy rather than recover Gaussian classes."
        if not summary["henze_zirkler"]["normal"]
        else "Henze-Zirkler does not reject multivariate normality of the latents."
    )
    return Section(
        key="latent",
        title="Latent space: autoencoder, mixtures, normality",
        summary=(
            f"Convolutional autoencoders compress the spectra to {study.latent_dim} latent "
            "dimensions (median reconstruction RMSE "
            f"{summary['reconstruction_rmse_median']['mean']:.4f}), and Gaussian mixtures on "
            f"the latents choose k = {summary['bic_optimal_k']} components by BIC over seeds "
            f"(ARI with main groups {summary['ari_main_group']:.2f} ± "
            f"{summary['ari_main_group_std']:.2f}, with Bus classes "
            f"{summary['ari_bus']:.2f}). {normality}"
        ),
        numbers=summary,
        tables=[
            Table(
                "Per embedding (autoencoder seeds, then the PCA baseline)",
                ["embedding", "BIC k", "ARI main", "ARI Bus", "HZ", "HZ p"],
                rows,
            )
        ],
        figures=[
            png(
                plot_reconstructions(study.wavelength, study.spectra[examples], rebuilt, titles),
                "Reconstructions",
                "The median-error spectrum of each main group and its autoencoder reconstruction.",
            ),
            png(
                plot_latent_space(plane, groups, bus),
                "2-D latent space",
                "A 2-D autoencoder's latent space, coloured by main group and Bus class.",
            ),
            png(
                plot_bic_curves(study),
                "BIC curves",
                "BIC against the number of mixture "
                "components, one curve per seed (spread over seeds shaded).",
            ),
        ],
    )


# --- Gaia DR3 --------------------------------------------------------------------------


def gaia_stage(settings: Settings, progress: Progress) -> Section:
    """Cross-survey validation on Gaia DR3 and the classified catalogue."""
    import tempfile
    from pathlib import Path

    from asteroid_spectra.catalog import classify_catalogue, gaia_input_path
    from asteroid_spectra.models.crosssurvey import (
        ERROR_BIN_LABELS,
        bands_of,
        cross_survey_evaluate,
        load_cross_survey,
    )
    from asteroid_spectra.models.defaults import survey_model
    from asteroid_spectra.models.registry import build_model
    from asteroid_spectra.plotting.catalog import plot_catalogue_summary

    data = load_cross_survey("main-group")
    copies = 1 if settings.quick else 5
    evaluations = {}
    for step, scheme in enumerate(("smass2", "gaia"), 1):
        bands = bands_of(scheme)
        evaluations[scheme] = cross_survey_evaluate(
            lambda b=bands: build_model("logistic-bus", "main-group", b, settings.seed),
            data,
            scheme=scheme,
            model_name="logistic-bus",
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
                _pm(s["accuracy"]),
                _pm(s["f1_macro"]),
                _pm(s["catalogue_noise_accuracy"]),
                *[
                    _pm(s[f"catalogue_noise_accuracy[{b}]"])
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
            f"Gaia spectra at main-group accuracy {_pm(gaia['accuracy'])} as published and "
            f"{_pm(gaia['catalogue_noise_accuracy'])} at catalogue noise, against "
            f"{_pm(evaluations['smass2']['accuracy'])} for SMASSII spectra corrected to Gaia. "
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


STAGES = (
    Stage("data", "Data and provenance", data_stage),
    Stage("classes", "Class statistics", classes_stage),
    Stage("supervised", "Supervised models", supervised_stage),
    Stage("bus", "Bus classes", bus_stage),
    Stage("tuning", "Tuning history", tuning_stage),
    Stage("latent", "Latent space", latent_stage),
    Stage("gaia", "Gaia DR3", gaia_stage),
)
"""The study, in order."""
