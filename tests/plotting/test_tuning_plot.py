"""The Optuna tuning history: a point per scored trial and the best complete value so far."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba

from asteroid_spectra.plotting import plot_tuning_history

# Records shaped like OptunaSearchClassifier.trials_ (params left out: not plotted).
TRIALS: list[dict[str, Any]] = [
    {"number": 0, "state": "COMPLETE", "value": 0.50},
    {"number": 1, "state": "COMPLETE", "value": 0.60},
    {"number": 2, "state": "PRUNED", "value": 0.30},
    {"number": 3, "state": "FAIL", "value": None},
    {"number": 4, "state": "COMPLETE", "value": 0.40},
    {"number": 5, "state": "COMPLETE", "value": 0.45},
]


def test_a_point_per_trial_with_a_value_grey_when_not_complete() -> None:
    (ax,) = plot_tuning_history(TRIALS).axes
    (points,) = ax.collections
    np.testing.assert_allclose(
        points.get_offsets(), [[0, 0.5], [1, 0.6], [2, 0.3], [4, 0.4], [5, 0.45]]
    )
    blue, grey = to_rgba("tab:blue"), to_rgba("0.7")
    assert [tuple(c) for c in points.get_facecolors()] == [blue, blue, grey, blue, blue]


def test_best_so_far_steps_over_complete_trials_only() -> None:
    (ax,) = plot_tuning_history(TRIALS).axes
    (best,) = ax.lines
    # The pruned trial's 0.30 does not count: it stopped before its final loss.
    np.testing.assert_array_equal(best.get_xdata(), [0, 1, 4, 5])
    np.testing.assert_allclose(best.get_ydata(), [0.5, 0.5, 0.4, 0.4])
    assert best.get_drawstyle() == "steps-post"
    assert to_rgba(best.get_color()) == to_rgba("tab:red")


def test_labels_and_legend() -> None:
    (ax,) = plot_tuning_history(TRIALS).axes
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Trial", "Validation loss")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "trial (grey: pruned)",
        "best so far",
    ]


def test_no_complete_trial_draws_no_best_line() -> None:
    trials = [t for t in TRIALS if t["state"] != "COMPLETE"]
    (ax,) = plot_tuning_history(trials).axes
    assert len(ax.lines) == 0
    np.testing.assert_allclose(ax.collections[0].get_offsets(), [[2, 0.3]])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["trial (grey: pruned)"]


def test_the_figure_is_not_registered_with_pyplot() -> None:
    before = plt.get_fignums()
    plot_tuning_history(TRIALS)
    assert plt.get_fignums() == before
