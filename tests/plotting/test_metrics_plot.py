"""F1 of the X class per model, mean ± std, beside the tutorial's single-split values."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from asteroid_spectra.plotting import plot_x_f1_comparison

MODELS = ["svm", "mlp", "cnn", "svm-robust"]
MEAN = [0.91, 0.88, 0.93, 0.95]
STD = [0.01, 0.03, 0.02, 0.015]
# The tutorial's values (report.stages.TUTORIAL_X_F1): no svm-robust, an extra mlp-tuned.
REFERENCE = {"svm": 0.938, "mlp": 0.931, "cnn": 0.945, "mlp-tuned": 0.941}


@pytest.fixture
def ax() -> Axes:
    figure = plot_x_f1_comparison(MODELS, MEAN, STD, REFERENCE, folds=5, repeats=3)
    (axes,) = figure.axes
    return axes


def test_error_bars_are_the_mean_plus_minus_the_std(ax: Axes) -> None:
    (container,) = ax.containers
    points, _, (bars,) = container
    np.testing.assert_array_equal(points.get_xdata(), range(len(MODELS)))
    np.testing.assert_allclose(points.get_ydata(), MEAN)
    assert points.get_marker() == "o"
    low_high = np.array([segment[:, 1] for segment in bars.get_segments()])
    np.testing.assert_allclose(low_high[:, 0], np.subtract(MEAN, STD))
    np.testing.assert_allclose(low_high[:, 1], np.add(MEAN, STD))


def test_reference_crosses_only_for_models_with_a_reference(ax: Axes) -> None:
    crosses = [line for line in ax.lines if line.get_marker() == "x"]
    assert len(crosses) == 1
    # svm-robust (position 3) has no tutorial value; mlp-tuned is not plotted.
    np.testing.assert_array_equal(crosses[0].get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(crosses[0].get_ydata(), [0.938, 0.931, 0.945])
    assert crosses[0].get_color() == "r"


def test_ticks_labels_and_legend(ax: Axes) -> None:
    np.testing.assert_array_equal(ax.get_xticks(), range(len(MODELS)))
    assert [t.get_text() for t in ax.get_xticklabels()] == MODELS
    assert ax.get_ylabel() == "F1 of the X class"
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "this study (5×3 CV, mean ± std)",
        "tutorial (one random split)",
    }


def test_no_reference_gives_no_crosses() -> None:
    (ax,) = plot_x_f1_comparison(["svm-robust"], [0.95], [0.01], {}, folds=3, repeats=1).axes
    crosses = [line for line in ax.lines if line.get_marker() == "x"]
    assert [len(line.get_xdata()) for line in crosses] == [0]
    assert "this study (3×1 CV, mean ± std)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_the_figure_is_not_registered_with_pyplot() -> None:
    before = plt.get_fignums()
    plot_x_f1_comparison(MODELS, MEAN, STD, REFERENCE, folds=5, repeats=3)
    assert plt.get_fignums() == before
