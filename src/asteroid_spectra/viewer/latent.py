"""Interactive latent-space scatter (Plotly), with each asteroid's identity on hover."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.extras import missing, require

__all__ = ["latent_space_figure"]


def latent_space_figure(
    latent: npt.ArrayLike, objects: pd.DataFrame, colour: str = schema.MAIN_GROUP
) -> Any:
    """Return a Plotly scatter of a 2-D latent space coloured by `colour`.

    Parameters
    ----------
    latent : array_like, shape (n, 2)
        Latent vectors.
    objects : DataFrame
        One row per point with ``object_id``, ``name``, ``main_group``, ``bus_class``.
    colour : {"main_group", "bus_class"}
        Column that colours the points.

    Raises
    ------
    MissingDependencyError
        If plotly (the ``study`` extra) is not installed.
    """
    if "plotly" in missing("study"):  # pingouin, the extra's other package, is not needed
        require("study", "The interactive latent-space figure (plotly)")
    import plotly.express as px

    points = np.asarray(latent)
    frame = pd.DataFrame(
        {
            "latent 1": points[:, 0],
            "latent 2": points[:, 1],
            "object": objects[schema.OBJECT_ID].astype(str).to_numpy(),
            "name": objects[schema.NAME].astype(str).fillna("").to_numpy(),
            "main group": objects[schema.MAIN_GROUP].astype(str).to_numpy(),
            "Bus class": objects[schema.BUS_CLASS].astype(str).to_numpy(),
        }
    )
    column = "main group" if colour == schema.MAIN_GROUP else "Bus class"
    order = schema.MAIN_GROUPS if colour == schema.MAIN_GROUP else schema.BUS_CLASSES
    figure = px.scatter(
        frame,
        x="latent 1",
        y="latent 2",
        color=column,
        category_orders={column: [c for c in order if c in set(frame[column])]},
        hover_data={"object": True, "name": True, "main group": True, "Bus class": True},
        title=f"Autoencoder latent space, coloured by {column}",
    )
    figure.update_traces(marker={"size": 5, "opacity": 0.75})
    return figure
