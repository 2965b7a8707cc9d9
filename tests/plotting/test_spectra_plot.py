"""Overlaid spectra per class on a small synthetic labelled set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.plotting import plot_spectra_by_class
from asteroid_spectra.spectra.sets import SpectralSet


@pytest.fixture
def labelled_set(rng: np.random.Generator) -> SpectralSet:
    classes = ["S", "S", "Sq", "C", "Ch", "Ch", "X", "V", None]
    grid = np.array(schema.SMASS2_WAVELENGTH)
    reflectance = 1 + rng.normal(0, 0.02, (len(classes), grid.size))
    objects = pd.DataFrame(
        {
            schema.OBJECT_ID: [str(i + 1) for i in range(len(classes))],
            schema.BUS_CLASS: classes,
            schema.MAIN_GROUP: [None if c is None else schema.main_group(c) for c in classes],
            schema.LABELLED: [c is not None for c in classes],
        }
    )
    return SpectralSet(objects, grid, reflectance, provenance={"title": "synthetic"})


@pytest.mark.parametrize(
    ("by", "group", "titles"),
    [
        ("main_group", None, ["C (n=3)", "S (n=3)", "X (n=1)", "Other (n=1)"]),
        ("bus_class", None, ["C (n=1)", "Ch (n=2)", "S (n=2)", "Sq (n=1)", "X (n=1)", "V (n=1)"]),
        ("bus_class", "S", ["S (n=2)", "Sq (n=1)"]),
        ("main_group", "C", ["C (n=3)"]),
    ],
)
def test_one_panel_per_class_with_counts(
    labelled_set: SpectralSet, by: str, group: str | None, titles: list[str]
) -> None:
    figure = plot_spectra_by_class(labelled_set, by=by, group=group)
    assert [ax.get_title() for ax in figure.axes] == titles
    first = figure.axes[0]
    # Individual spectra plus the median line.
    n_spectra = int(titles[0].split("n=")[1].rstrip(")"))
    assert len(first.lines) == n_spectra + 1 + 1  # + the 0.55 µm guide


def test_median_line_is_the_class_median(labelled_set: SpectralSet) -> None:
    figure = plot_spectra_by_class(labelled_set, by="main_group")
    c_values = labelled_set.reflectance[labelled_set.labels(schema.MAIN_GROUP) == "C"]
    median_line = figure.axes[0].lines[3]
    np.testing.assert_allclose(median_line.get_ydata(), np.median(c_values, axis=0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "tholen"}, "The 'by' parameter must be 'main_group' or 'bus_class'"),
        ({"group": "Q"}, "The 'group' parameter must be one of C, S, X, Other"),
    ],
)
def test_bad_parameters(labelled_set: SpectralSet, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(SpectrumError, match=message):
        plot_spectra_by_class(labelled_set, **kwargs)
