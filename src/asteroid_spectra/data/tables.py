"""Parquet tables that carry their provenance.

Every table the package writes stores, in the Parquet schema metadata, where its data
came from: the survey, the files with their origin URL and sha256, the citation, the
package version and the notes the parser made (rows dropped, malformed lines…). Files
are written atomically (:func:`~asteroid_spectra.data.files.atomic_path`), so a crash
never leaves a half-written table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from asteroid_spectra.data.files import atomic_path
from asteroid_spectra.exceptions import DataError

__all__ = ["PROVENANCE_KEY", "provenance", "read_parquet", "write_parquet"]

PROVENANCE_KEY = b"asteroid_spectra.provenance"
"""Schema-metadata key under which the provenance JSON is stored."""


def provenance(frame: pd.DataFrame) -> dict[str, Any]:
    """Return the provenance carried by `frame` (empty if it has none)."""
    return dict(frame.attrs.get("provenance", {}))


def write_parquet(
    frame: pd.DataFrame, path: str | Path, provenance: Mapping[str, Any] | None = None
) -> Path:
    """Write `frame` to Parquet atomically, with its provenance in the schema metadata.

    Parameters
    ----------
    frame : DataFrame
        Table to write; its index is not stored.
    path : str or Path
        Destination; parent directories are created.
    provenance : Mapping, optional
        JSON-serialisable provenance (default: ``frame.attrs["provenance"]``).

    Returns
    -------
    Path
        The written path.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    meta = dict(frame.attrs.get("provenance", {}) if provenance is None else provenance)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[PROVENANCE_KEY] = json.dumps(meta, sort_keys=True).encode()
    table = table.replace_schema_metadata(schema_meta)
    with atomic_path(path) as temporary:
        pq.write_table(table, temporary, compression="zstd")
    return path


def read_parquet(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a Parquet table; its provenance goes to ``frame.attrs["provenance"]``.

    Raises
    ------
    DataError
        If the file is missing or not a readable Parquet file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException) as error:
        raise DataError(
            f"Cannot read the Parquet table {path}: {' '.join(str(error).split())}. "
            "Delete it and build it again."
        ) from error
    frame: pd.DataFrame = table.to_pandas()
    raw = (table.schema.metadata or {}).get(PROVENANCE_KEY)
    frame.attrs["provenance"] = json.loads(raw) if raw else {}
    return frame
