"""The catalogue's input: one row per asteroid, one column per band value, in Parquet.

The tidy Gaia DR3 table has one row per asteroid and band (968,288 rows). Catalogue runs
read a *wide* table instead, one row per asteroid with ``reflectance_<nm>``,
``error_<nm>`` (float32) and ``flag_<nm>`` (int8) for the 16 bands, written once to the
cache as Parquet with row groups of :data:`ROW_GROUP` asteroids, the partitions that the
local engine streams and that Dask maps over.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data.cache import cache_path, cached
from asteroid_spectra.exceptions import DataError, ParameterError

__all__ = ["IDENTITY", "ROW_GROUP", "band_columns", "gaia_input_path", "wide_frame"]

ROW_GROUP = 16_384
"""Asteroids per Parquet row group (one partition of a catalogue run)."""

IDENTITY = (schema.NUMBER, schema.DESIGNATION, schema.NAME, "source_id", "num_of_spectra")
"""Identity columns copied from the input to the output."""


def band_columns(
    wavelength: npt.ArrayLike = schema.GAIA_DR3_WAVELENGTH,
) -> tuple[list[str], list[str], list[str]]:
    """Names of the reflectance, error and flag columns of bands at `wavelength` (µm).

    Examples
    --------
    >>> [names[:2] for names in band_columns()]
    [['reflectance_374', 'reflectance_418'], ['error_374', 'error_418'], ['flag_374', 'flag_418']]
    """
    nm = [f"{round(float(w) * 1000):d}" for w in np.atleast_1d(wavelength)]
    return (
        [f"reflectance_{n}" for n in nm],
        [f"error_{n}" for n in nm],
        [f"flag_{n}" for n in nm],
    )


def wide_frame(spectra: object) -> pd.DataFrame:
    """Turn a Gaia DR3 :class:`~asteroid_spectra.spectra.sets.SpectralSet` into the wide table.

    Parameters
    ----------
    spectra : SpectralSet
        Band spectra with errors and flags (``load_spectra("gaia-dr3")``).

    Returns
    -------
    DataFrame
        Identity columns (:data:`IDENTITY`, those present) then reflectance, error and
        flag per band.

    Raises
    ------
    ParameterError
        If `spectra` is not a SpectralSet.
    """
    from asteroid_spectra.spectra.sets import SpectralSet

    if not isinstance(spectra, SpectralSet):
        raise ParameterError(
            "The 'spectra' parameter of wide_frame must be a SpectralSet (e.g. "
            f"load_spectra('gaia-dr3')). Got {type(spectra).__name__} instead."
        )
    reflectance, error, flag = band_columns(spectra.wavelength)
    n, m = spectra.reflectance.shape
    errors = np.full((n, m), np.nan) if spectra.error is None else spectra.error
    flags = np.zeros((n, m), dtype=np.int8) if spectra.flag is None else spectra.flag
    columns: dict[str, object] = {
        name: spectra.objects[name].reset_index(drop=True)
        for name in IDENTITY
        if name in spectra.objects.columns
    }
    for j in range(m):
        columns[reflectance[j]] = spectra.reflectance[:, j].astype(np.float32)
    for j in range(m):
        columns[error[j]] = errors[:, j].astype(np.float32)
    for j in range(m):
        columns[flag[j]] = np.asarray(flags[:, j]).astype(np.int8)
    return pd.DataFrame(columns)


def gaia_input_path(settings: Settings | None = None, *, refresh: bool = False) -> Path:
    """Return the wide Gaia DR3 table in the cache, building it on first use (~1 s).

    The file name carries the cached survey table's key, so new data or a new parser
    rebuild it.
    """
    from asteroid_spectra.data.datasets import table_path

    key = table_path("gaia-dr3", "spectra", settings).stem
    recipe = {"table": key, "row_group": ROW_GROUP}
    path = cache_path(
        "gaia-dr3-wide", recipe, folder="catalog", settings=settings, suffix=".parquet"
    )

    def build() -> Any:
        import pyarrow as pa

        from asteroid_spectra.data.tables import PROVENANCE_KEY
        from asteroid_spectra.spectra.sets import load_spectra

        spectra = load_spectra("gaia-dr3", settings=settings, refresh=refresh)
        table = pa.Table.from_pandas(wide_frame(spectra), preserve_index=False)
        provenance = json.dumps(dict(spectra.provenance), default=str).encode()
        return table.replace_schema_metadata(
            {**(table.schema.metadata or {}), PROVENANCE_KEY: provenance}
        )

    cached(path, build, load=_check_parquet, save=_write, memory=False, refresh=refresh)
    return path


def _check_parquet(path: Path) -> Any:
    """Read a Parquet file's footer, or raise DataError (a truncated file is rebuilt)."""
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path)
    except (OSError, ValueError) as error:
        raise DataError(f"{path} is not a readable Parquet file ({error}).") from None


def _write(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    from asteroid_spectra.data.files import atomic_path

    with atomic_path(path) as temporary:
        pq.write_table(table, temporary, row_group_size=ROW_GROUP)
