"""One table of every spectrum of every survey, with the labels each taxonomy gives it.

:func:`observations` lists, one row per published spectrum, the asteroid (``object_id``:
its number, else its provisional designation; ``number``, ``designation``, ``name``), the
survey and the ``file`` it is in, the wavelength range (µm) and the number of points, and
the classes that travel to it by asteroid identity from the four taxonomies:

``bus_class``
    SMASSII (Bus & Binzel 2002), ``Bus.Taxonomy.txt``.
``demeo_class``
    Bus-DeMeo (DeMeo et al. 2009).
``tholen_class``
    Tholen (1984), as published (``"CX"``: ambiguous; a trailing ``U``: unusual).
``primass_class``
    PRIMASS-L (Bus-scheme classes per spectrum): on a PRIMASS-L row its own spectrum's
    class; on other rows the asteroid's most frequent PRIMASS-L class (ties broken
    alphabetically).

The table is built from the cached survey tables (:func:`~.datasets.load_table`) and
cached itself as Parquet with its provenance (the sources, their files' sha256).

Examples
--------
>>> table = observations()  # doctest: +SKIP
>>> table[table.number == 4][["survey", "file", "wavelength_min", "demeo_class"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data.cache import cache_path, cached
from asteroid_spectra.data.datasets import load_table, source
from asteroid_spectra.data.registry import collection
from asteroid_spectra.data.tables import read_parquet, write_parquet

__all__ = ["LABELS", "OBSERVATION_COLUMNS", "SPECTRAL_TABLES", "observations", "observations_path"]

SPECTRAL_TABLES = {
    "smass2": "raw",
    "gaia-dr3": "spectra",
    "smass1": "spectra",
    "smassir": "spectra",
    "primass-l": "spectra",
    "irtf-spex": "spectra",
    "ecas": "spectra",
    "demeo2009": "spectra",
}
"""The table of each survey whose rows are observed spectra (SMASSII: the raw spectra,
not the spline fits; Bus-DeMeo: its published vis-NIR spectra, joined SMASSII and SpeX)."""

LABELS = (schema.BUS_CLASS, schema.DEMEO_CLASS, schema.THOLEN_CLASS, schema.PRIMASS_CLASS)
"""The label columns, one per taxonomy."""

OBSERVATION_COLUMNS = (
    schema.OBJECT_ID,
    schema.NUMBER,
    schema.DESIGNATION,
    schema.NAME,
    schema.SURVEY,
    schema.FILE,
    "wavelength_min",
    "wavelength_max",
    "n_points",
    *LABELS,
)
"""Columns of :func:`observations`, in order."""

VERSION = 1
"""Version of the table's layout (part of its cache key)."""


def _spectra(survey: str, settings: Settings | None) -> pd.DataFrame:
    """One row per spectrum of `survey`: identity, file, range, points."""
    table = load_table(survey, SPECTRAL_TABLES[survey], settings=settings)
    if schema.FILE not in table.columns:  # one spectrum per asteroid (Gaia DR3)
        table = table.assign(**{schema.FILE: table[schema.OBJECT_ID].astype(str)})
    keys = [schema.OBJECT_ID, schema.FILE]
    identity = table.drop_duplicates(keys)[[*keys, schema.NUMBER, schema.DESIGNATION, schema.NAME]]
    usable = table[table[schema.REFLECTANCE].notna()]
    ranges = usable.groupby(keys, sort=False)[schema.WAVELENGTH].agg(["min", "max", "count"])
    ranges.columns = ["wavelength_min", "wavelength_max", "n_points"]
    rows = identity.merge(ranges.reset_index(), on=keys, how="inner")
    rows.insert(4, schema.SURVEY, survey)
    return rows


def _most_frequent(values: pd.Series) -> Any:
    counts = values.value_counts()
    return sorted(counts[counts == counts.max()].index)[0]


def _labels(settings: Settings | None) -> dict[str, pd.Series]:
    """Each taxonomy's class by object_id (and PRIMASS-L's by file)."""
    bus = load_table("smass2", "taxonomy", settings=settings)
    bus = bus[bus[schema.LABELLED]].drop_duplicates(schema.OBJECT_ID)
    demeo = load_table("demeo2009", "classes", settings=settings).drop_duplicates(schema.OBJECT_ID)
    tholen = load_table("tholen1984", "classes", settings=settings)
    primass = load_table("primass-l", "classes", settings=settings)
    primass = primass[primass[schema.PRIMASS_CLASS].notna()]
    return {
        schema.BUS_CLASS: bus.set_index(schema.OBJECT_ID)[schema.BUS_CLASS],
        schema.DEMEO_CLASS: demeo.set_index(schema.OBJECT_ID)[schema.DEMEO_CLASS],
        schema.THOLEN_CLASS: tholen.set_index(schema.OBJECT_ID)[schema.THOLEN_CLASS],
        schema.PRIMASS_CLASS: primass.groupby(schema.OBJECT_ID)[schema.PRIMASS_CLASS].agg(
            _most_frequent
        ),
        "primass_by_file": primass.set_index(schema.FILE)[schema.PRIMASS_CLASS],
    }


def _names(rows: pd.DataFrame, settings: Settings | None) -> pd.Series:
    """Return one name per asteroid on every row, the first the surveys give.

    In order of preference: SMASSII's taxonomy, ECAS, Tholen, Bus-DeMeo, then the others;
    Gaia DR3's lower-case denominations are title-cased.
    """
    tholen = load_table("tholen1984", "classes", settings=settings)
    bus = load_table("smass2", "taxonomy", settings=settings)
    named = [bus[[schema.OBJECT_ID, schema.NAME]]]
    named.append(rows.loc[rows[schema.SURVEY] == "ecas", [schema.OBJECT_ID, schema.NAME]])
    named.append(tholen[[schema.OBJECT_ID, schema.NAME]])
    for survey in ("demeo2009", "smass1", "smassir", "primass-l", "irtf-spex"):
        named.append(rows.loc[rows[schema.SURVEY] == survey, [schema.OBJECT_ID, schema.NAME]])
    gaia = rows.loc[rows[schema.SURVEY] == "gaia-dr3", [schema.OBJECT_ID, schema.NAME]]
    named.append(gaia.assign(**{schema.NAME: gaia[schema.NAME].str.title()}))
    names = pd.concat(named, ignore_index=True).dropna(subset=[schema.NAME])
    first = names.drop_duplicates(schema.OBJECT_ID).set_index(schema.OBJECT_ID)[schema.NAME]
    return rows[schema.OBJECT_ID].map(first).astype("string")


def build_observations(settings: Settings | None = None) -> pd.DataFrame:
    """Build the observation table from the survey tables (see :func:`observations`)."""
    parts = [_spectra(survey, settings) for survey in SPECTRAL_TABLES]
    rows = pd.concat(parts, ignore_index=True)
    rows[schema.NAME] = _names(rows, settings)
    labels = _labels(settings)
    for column in LABELS:
        rows[column] = rows[schema.OBJECT_ID].map(labels[column]).astype("string")
    own = rows[schema.SURVEY] == "primass-l"
    rows.loc[own, schema.PRIMASS_CLASS] = (
        rows.loc[own, schema.FILE].map(labels["primass_by_file"]).astype("string")
    )
    rows[schema.NUMBER] = rows[schema.NUMBER].astype("Int64")
    rows["n_points"] = rows["n_points"].astype("int32")
    for column in (schema.OBJECT_ID, schema.DESIGNATION, schema.NAME, schema.SURVEY, schema.FILE):
        rows[column] = rows[column].astype("string")
    table = rows[list(OBSERVATION_COLUMNS)].reset_index(drop=True)
    table.attrs["provenance"] = _provenance()
    return table


def _provenance() -> dict[str, Any]:
    surveys = [*SPECTRAL_TABLES, "tholen1984"]
    return {
        "source": "observations",
        "title": "Every spectrum of every survey, with the labels of each taxonomy",
        "surveys": {name: source(name).citation for name in surveys},
        "files": [
            {"name": f.name, "sha256": f.sha256} for name in surveys for f in collection(name)
        ],
        "labels": {
            schema.BUS_CLASS: "smass2 Bus.Taxonomy.txt, by object_id",
            schema.DEMEO_CLASS: "demeo2009, by object_id",
            schema.THOLEN_CLASS: "tholen1984 scores.csv, by object_id",
            schema.PRIMASS_CLASS: "primass-l, by file on its own rows, else the most frequent",
        },
    }


def observations_path(settings: Settings | None = None) -> Path:
    """Where :func:`observations` caches the table (keyed by every source's files)."""
    surveys = [*SPECTRAL_TABLES, "tholen1984"]
    recipe = {
        "version": VERSION,
        "sources": {name: source(name).version for name in surveys},
        "files": [f.sha256 for name in surveys for f in collection(name)],
    }
    return cache_path("observations", recipe, folder="tables", settings=settings, suffix=".parquet")


def observations(
    settings: Settings | None = None,
    *,
    refresh: bool = False,
    on_survey: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Return the table of every spectrum of every survey, with its labels.

    Parameters
    ----------
    settings : Settings, optional
        Cache, mirror and timeout (default: from the environment).
    refresh : bool
        Build it again even if it is cached.
    on_survey : callable, optional
        Called with each survey's name before its table is read (for progress).

    Returns
    -------
    DataFrame
        :data:`OBSERVATION_COLUMNS`, one row per spectrum; ``attrs["provenance"]`` names
        the sources and their files.
    """

    def build() -> pd.DataFrame:
        if on_survey is not None:
            for survey in SPECTRAL_TABLES:
                on_survey(survey)
        return build_observations(settings)

    return cached(
        observations_path(settings),
        build,
        load=read_parquet,
        save=write_parquet,
        memory=False,
        refresh=refresh,
    )
