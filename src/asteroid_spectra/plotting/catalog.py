"""Summary figure of a classified catalogue: class fractions and spectral templates."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.spectra.bands import GAIA_DR3_USED

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["catalogue_templates", "plot_catalogue_summary"]

COLOURS = {"C": "tab:blue", "S": "tab:red", "X": "tab:gray", "Other": "tab:green"}


def catalogue_templates(
    classes: pd.DataFrame, spectra: pd.DataFrame, *, column: str = schema.MAIN_GROUP
) -> dict[str, pd.DataFrame]:
    """Median spectrum and 16-84 % range per predicted class, confident rows only.

    Parameters
    ----------
    classes : DataFrame
        Classified catalogue (``main_group``, ``uncertain``, aligned with `spectra`).
    spectra : DataFrame
        The wide input (``reflectance_<nm>`` and ``flag_<nm>`` columns).
    column : str
        Class column to group by.

    Returns
    -------
    dict of str to DataFrame
        Per class, indexed by band (µm): ``median``, ``low``, ``high``, ``n``; flagged
        values are left out.
    """
    from asteroid_spectra.catalog.input import band_columns

    reflectance, _, flag = band_columns()
    values = spectra[reflectance].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    values[spectra[flag].to_numpy() != 0] = np.nan
    confident = classes[column].notna() & ~classes["uncertain"].fillna(True).astype(bool)
    out = {}
    for label in classes.loc[confident, column].value_counts().index:
        rows = (confident & (classes[column] == label)).to_numpy()
        chosen = values[rows]
        out[str(label)] = pd.DataFrame(
            {
                "median": np.nanmedian(chosen, axis=0),
                "low": np.nanpercentile(chosen, 16, axis=0),
                "high": np.nanpercentile(chosen, 84, axis=0),
                "n": np.isfinite(chosen).sum(axis=0),
            },
            index=pd.Index(schema.GAIA_DR3_WAVELENGTH, name="wavelength"),
        )
    return out


def plot_catalogue_summary(classes: str | Path | pd.DataFrame, spectra: str | Path) -> Figure:
    """Class fractions (overall and per error bin) and per-class templates of a catalogue.

    Parameters
    ----------
    classes : path or DataFrame
        The classified catalogue (Parquet written by ``asteroid-spectra catalog``).
    spectra : path
        The wide input it was classified from.
    """
    from matplotlib.figure import Figure

    frame = classes if isinstance(classes, pd.DataFrame) else pd.read_parquet(classes)
    wide = pd.read_parquet(spectra)
    groups = [g for g in schema.MAIN_GROUPS if g in set(frame[schema.MAIN_GROUP].dropna())]
    figure = Figure(figsize=(13, 8.5), layout="constrained")
    panels: Any = figure.subfigures(2, 1, height_ratios=[1, 1.1])
    top, bottom = panels
    fractions, by_bin, by_bus = top.subplots(1, 3, width_ratios=[1, 1.6, 2.2])
    counts = frame[schema.MAIN_GROUP].value_counts()
    total = int(counts.sum())
    fractions.bar(
        groups,
        [counts[g] / total for g in groups],
        color=[COLOURS.get(g, "k") for g in groups],
    )
    fractions.set_ylabel("Fraction of classified asteroids")
    fractions.set_title(f"Predicted main groups (n = {total:,})")
    from asteroid_spectra.spectra.bands import ERROR_BIN_LABELS

    bins = [b for b in ERROR_BIN_LABELS if b in set(frame["error_bin"])]
    bottom_edge = np.zeros(len(bins))
    for g in groups:
        share = np.array(
            [(frame.loc[frame["error_bin"] == b, schema.MAIN_GROUP] == g).mean() for b in bins]
        )
        by_bin.bar(bins, share, bottom=bottom_edge, color=COLOURS.get(g, "k"), label=g)
        bottom_edge += share
    uncertain = [frame.loc[frame["error_bin"] == b, "uncertain"].mean() for b in bins]
    by_bin.plot(bins, uncertain, "wD--", mec="k", label="uncertain")
    by_bin.set_xlabel("Median band error")
    by_bin.set_ylabel("Fraction")
    by_bin.set_title("Per error bin")
    by_bin.legend(fontsize=7, ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    bus = frame[schema.BUS_CLASS].value_counts()
    by_bus.bar(
        bus.index.astype(str),
        bus.to_numpy() / bus.sum(),
        color=[COLOURS.get(schema.main_group(str(c)), "k") for c in bus.index],
    )
    by_bus.set_title("Most probable Bus class")
    by_bus.tick_params(axis="x", rotation=90, labelsize=7)
    templates = catalogue_templates(frame, wide)
    axes = bottom.subplots(1, len(groups), sharey=True)
    for ax, g in zip(np.atleast_1d(axes), groups, strict=True):
        t = templates.get(g)
        if t is None:
            continue
        ax.fill_between(t.index, t["low"], t["high"], color=COLOURS.get(g, "k"), alpha=0.25)
        ax.plot(t.index, t["median"], "o-", color=COLOURS.get(g, "k"), ms=3)
        for lo, hi in ((0.35, GAIA_DR3_USED[0] - 0.022), (GAIA_DR3_USED[-1] + 0.022, 1.06)):
            ax.axvspan(lo, hi, color="0.9", zorder=0)
        ax.set_title(f"{g} (n = {int(t['n'].max()):,})")
        ax.set_xlabel("Wavelength (µm)")
    np.atleast_1d(axes)[0].set_ylabel("Reflectance (1 at 0.55 µm)")
    bottom.suptitle(
        "Templates: median and 16-84 % range of confidently classified spectra "
        "(grey: bands the model does not use)"
    )
    return figure
