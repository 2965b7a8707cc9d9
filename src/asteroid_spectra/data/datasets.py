"""Survey tables, parsed once and cached as Parquet with their provenance.

:func:`load_table` fetches a survey's verified files, parses them with the survey's
source and caches every table it yields under ``<cache>/tables/``. The cache key covers
the registered sha256 of the input files, the parser version and the package version, so
a changed input or parser rebuilds the tables and an unchanged one reads Parquet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from asteroid_spectra._version import __version__
from asteroid_spectra.config import Settings, get_settings
from asteroid_spectra.data.cache import cache_path, cached
from asteroid_spectra.data.fetch import fetch
from asteroid_spectra.data.registry import collection
from asteroid_spectra.data.sources.base import Source
from asteroid_spectra.data.tables import read_parquet, write_parquet
from asteroid_spectra.exceptions import DataError

__all__ = ["load_table", "source", "table_path"]


def source(name: str) -> Source:
    """Return the survey source called `name` (one of :data:`~.sources.SOURCES`).

    Raises
    ------
    DataError
        If there is no such source.
    """
    from asteroid_spectra.data.sources import SOURCES

    try:
        return SOURCES[name]
    except KeyError:
        raise DataError(f"Unknown survey {name!r}; expected one of {', '.join(SOURCES)}.") from None


def table_path(name: str, table: str, settings: Settings | None = None) -> Path:
    """Return where the cached Parquet file of `table` from survey `name` lives."""
    survey = source(name)
    recipe = {
        "source": survey.name,
        "version": survey.version,
        "files": [file.sha256 for file in collection(survey.name)],
    }
    return cache_path(
        f"{survey.name}-{table}", recipe, folder="tables", settings=settings, suffix=".parquet"
    )


def load_table(
    name: str,
    table: str | None = None,
    *,
    settings: Settings | None = None,
    refresh: bool = False,
    on_file: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Return a survey table as a tidy DataFrame, from the Parquet cache when possible.

    Parameters
    ----------
    name : str
        Survey: one of :data:`~asteroid_spectra.data.sources.SOURCES` (``"smass2"``, …).
    table : str, optional
        Table of the survey (default: its first, ``"spectra"``). SMASSII also has
        ``"raw"`` (raw spectra with 1-sigma errors) and ``"taxonomy"`` (the parsed Bus
        list).
    settings : Settings, optional
        Cache, mirror and timeout (default: from the environment).
    refresh : bool
        Parse the source files again even if a cached table exists.
    on_file : callable, optional
        Called with each registered file name before it is fetched (for progress).

    Returns
    -------
    DataFrame
        Long (one row per sample) for spectra; ``frame.attrs["provenance"]`` holds the
        source, files (URL, sha256), citation, package version and parser notes.

    Raises
    ------
    DataError
        Unknown survey or table, or files that cannot be fetched or are corrupt.

    Examples
    --------
    >>> spectra = load_table("smass2")  # doctest: +SKIP
    >>> spectra.attrs["provenance"]["citation"]  # doctest: +SKIP
    'Bus, S. J. & Binzel, R. P. (2002). ...'
    """
    settings = get_settings() if settings is None else settings
    survey = source(name)
    table = survey.tables[0] if table is None else table
    if table not in survey.tables:
        raise DataError(
            f"Survey {name!r} has no table {table!r}; expected one of {', '.join(survey.tables)}."
        )

    def build() -> pd.DataFrame:
        """Parse the survey's files; write every table but `table` (``save`` writes it)."""
        files = collection(survey.name)
        paths = {}
        for file in files:
            if on_file is not None:
                on_file(file.name)
            paths[file.name] = fetch(file, settings=settings)
        parsed = survey.parse(paths)
        for table_name, result in parsed.items():
            result.frame.attrs["provenance"] = {
                "source": survey.name,
                "title": survey.title,
                "table": table_name,
                "citation": survey.citation,
                "files": [{"name": f.name, "url": f.url, "sha256": f.sha256} for f in files],
                "package": f"asteroid-spectra {__version__}",
                "parser_version": survey.version,
                "wavelength_unit": "um",
                "notes": result.notes,
            }
            if table_name != table:
                write_parquet(result.frame, table_path(name, table_name, settings))
        frame: pd.DataFrame = parsed[table].frame
        return frame

    return cached(
        table_path(name, table, settings),
        build,
        load=read_parquet,
        save=write_parquet,
        memory=False,  # frames are mutable: every caller gets its own copy
        refresh=refresh,
    )
