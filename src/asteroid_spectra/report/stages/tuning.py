"""The tuning stage: an Optuna search of the dense net and the tuned net's CV score."""

from __future__ import annotations

from asteroid_spectra.report.sections import Section, Table, png
from asteroid_spectra.report.stages.common import (
    TUTORIAL_X_F1,
    Progress,
    Settings,
    cross_validate,
    headline,
    mean_std,
)

__all__ = ["tuning_stage"]


def tuning_stage(settings: Settings, progress: Progress) -> Section:
    """Tune the dense net with Optuna, show the history, cross-validate the tuned net."""
    from asteroid_spectra.models.targets import smass2_target
    from asteroid_spectra.models.tuning import SPACES, OptunaSearchClassifier
    from asteroid_spectra.plotting.tuning import plot_tuning_history

    data = smass2_target("x-vs-rest")
    search = OptunaSearchClassifier(
        "dense",
        n_trials=settings.trials,
        scoring="f1_x",
        storage="memory",
        random_state=settings.seed,
    ).fit(data.X, data.y)
    progress(1, 2)
    tuned = cross_validate(
        "mlp-tuned",
        "x-vs-rest",
        settings,
        lambda d, t: None,
        SPACES["dense"].build(search.best_params_, settings.seed),
    ).summary()
    progress(2, 2)
    figure = plot_tuning_history(search.trials_)
    return Section(
        key="tuning",
        title="Tuning history: the dense net",
        summary=(
            f"An Optuna study ({settings.trials} TPE trials, median pruning on the "
            "validation loss per epoch) tuned the dense net's width, depth, dropout, "
            f"learning rate and weight decay; the tuned net reaches F1(X) {mean_std(tuned['f1'])} "
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
            "tuned_cv": headline(tuned, ("f1", "precision", "recall", "accuracy", "ece")),
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
                [["mlp-tuned", mean_std(tuned["f1"]), f"{TUTORIAL_X_F1['mlp-tuned']:.3f}"]],
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
