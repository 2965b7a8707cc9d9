"""Figures of a hyperparameter search: the Optuna trials and the best value so far."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_tuning_history"]


def plot_tuning_history(trials: Sequence[Mapping[str, Any]]) -> Figure:
    """Plot the validation loss of each trial and the best so far among complete trials.

    Parameters
    ----------
    trials : sequence of mapping
        The trials in the order they ran, as recorded in
        :attr:`~asteroid_spectra.models.tuning.OptunaSearchClassifier.trials_`: each
        with ``number`` (int), ``state`` (``"COMPLETE"``, ``"PRUNED"``, ...) and
        ``value`` (the validation loss, float, or None for a trial without one).
        Trials without a value are left out.

    Returns
    -------
    Figure
        A point per trial (blue: complete; grey: stopped early, e.g. pruned) and a
        red step line of the running minimum over the complete trials.

    Examples
    --------
    >>> figure = plot_tuning_history(
    ...     [
    ...         {"number": 0, "state": "COMPLETE", "value": 0.5},
    ...         {"number": 1, "state": "PRUNED", "value": 0.7},
    ...         {"number": 2, "state": "COMPLETE", "value": 0.4},
    ...     ]
    ... )
    >>> figure.axes[0].lines[0].get_ydata().tolist()
    [0.5, 0.4]
    """
    from matplotlib.figure import Figure

    scored = [t for t in trials if t["value"] is not None]
    figure = Figure(figsize=(7, 3.2), layout="constrained")
    ax = figure.subplots()
    numbers = [t["number"] for t in scored]
    values = [t["value"] for t in scored]
    complete = [t["state"] == "COMPLETE" for t in scored]
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
    return figure
