"""The interactive latent-space scatter (Plotly)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import MissingDependencyError
from asteroid_spectra.viewer.latent import latent_space_figure


@pytest.fixture
def objects() -> pd.DataFrame:
    bus = ["S", "C", "Sq", "V", "Ch", "S", "C"]
    return pd.DataFrame(
        {
            schema.OBJECT_ID: ["433", "1", "3", "4", "10", "7", "2"],
            schema.NAME: ["Eros", "Ceres", "Juno", "Vesta", None, "Iris", "Pallas"],
            schema.BUS_CLASS: bus,
            schema.MAIN_GROUP: [schema.main_group(b) for b in bus],
        },
        index=[10, 11, 12, 13, 14, 15, 16],  # positions, not labels, must matter
    )


@pytest.fixture
def latent() -> np.ndarray:
    return np.arange(14, dtype=float).reshape(7, 2)


def test_one_trace_per_main_group_present(objects: pd.DataFrame, latent: np.ndarray) -> None:
    figure = latent_space_figure(latent, objects)
    # X is absent; the others come in display order.
    assert [trace.name for trace in figure.data] == ["C", "S", "Other"]
    assert figure.layout.title.text == "Autoencoder latent space, coloured by main group"
    by_name = {trace.name: trace for trace in figure.data}
    np.testing.assert_array_equal(by_name["S"].x, [0.0, 4.0, 10.0])
    np.testing.assert_array_equal(by_name["S"].y, [1.0, 5.0, 11.0])
    assert sum(len(trace.x) for trace in figure.data) == 7


def test_one_trace_per_bus_class_present(objects: pd.DataFrame, latent: np.ndarray) -> None:
    figure = latent_space_figure(latent, objects, colour=schema.BUS_CLASS)
    assert [trace.name for trace in figure.data] == ["C", "Ch", "S", "Sq", "V"]
    assert figure.layout.title.text == "Autoencoder latent space, coloured by Bus class"


def test_hover_shows_each_asteroid(objects: pd.DataFrame, latent: np.ndarray) -> None:
    figure = latent_space_figure(latent, objects)
    for trace in figure.data:
        assert "object=%{customdata[0]}" in trace.hovertemplate
        assert "name=%{customdata[1]}" in trace.hovertemplate
    hover = {row[0]: tuple(row[1:]) for trace in figure.data for row in trace.customdata}
    assert hover["433"] == ("Eros", "S", "S")
    assert hover["3"] == ("Juno", "S", "Sq")
    assert hover["10"] == ("", "C", "Ch")  # a missing name is blank, not "None"
    assert set(hover) == set(objects[schema.OBJECT_ID])


def test_html_carries_the_object_ids(objects: pd.DataFrame, latent: np.ndarray) -> None:
    html = latent_space_figure(latent, objects).to_html(include_plotlyjs=False)
    assert '"433"' in html
    assert "Vesta" in html


def test_without_plotly_says_what_to_install(
    objects: pd.DataFrame, latent: np.ndarray, hide_packages: Callable[..., None]
) -> None:
    hide_packages("plotly", "plotly.express")
    with pytest.raises(
        MissingDependencyError,
        match=r"^The interactive latent-space figure \(plotly\) needs the 'study' extra, and "
        r"plotly is not installed\. Install it with: pip install 'asteroid-spectra\[study\]'$",
    ):
        latent_space_figure(latent, objects)


def test_does_not_need_pingouin(
    objects: pd.DataFrame, latent: np.ndarray, hide_packages: Callable[..., None]
) -> None:
    # pingouin is the study extra's other package; the figure only needs plotly.
    hide_packages("pingouin")
    figure = latent_space_figure(latent, objects)
    assert sum(len(trace.x) for trace in figure.data) == 7
