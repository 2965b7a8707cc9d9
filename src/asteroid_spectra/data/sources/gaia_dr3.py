"""Gaia DR3 asteroid reflectance spectra (``sso_reflectance_spectrum``).

Parses the 20 gzipped ECSV parts of the official bulk download into one long table:
60,518 asteroids × 16 bands (0.374-1.034 µm), with reflectance (normalised to 1 at
0.55 µm), its error and the published per-band flag (0 good; 1 and 2 doubtful). The
parts are decompressed in memory and read with Arrow's multi-threaded CSV reader.

Values are kept as published: missing bands stay NaN (mostly at 0.374 µm), negative
reflectances (58, all in doubtful bands) are not clipped, and the lower-case Gaia
denomination is split into ``name`` and the MPC-formatted provisional ``designation``.

References
----------
Gaia Collaboration, Galluccio, L. et al. (2023). Gaia Data Release 3: Reflectance
spectra of Solar System small bodies. A&A 674, A35.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.data.designations import normalise_provisional
from asteroid_spectra.data.registry import COLLECTIONS, GAIA_DR3_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = ["GAIA_DR3", "GaiaDR3Source", "parse_part"]

COLUMNS = (
    "source_id",
    "solution_id",
    "number_mp",
    "denomination",
    "nb_samples",
    "num_of_spectra",
    "reflectance_spectrum",
    "reflectance_spectrum_err",
    "wavelength",
    "reflectance_spectrum_flag",
)
"""Columns of the published parts, in order."""


def parse_part(path: Path) -> Any:
    """Read one gzipped ECSV part into an Arrow table (columns as published).

    Raises
    ------
    DataError
        If the gzip stream is truncated or corrupt.
    ParseError
        If the file is not ECSV with the published columns.
    """
    import pyarrow as pa
    import pyarrow.csv as csv

    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read()
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(
            f"The Gaia DR3 part {path} is truncated or corrupt ({error}). Delete it and "
            "fetch it again: asteroid-spectra fetch gaia-dr3."
        ) from error
    if not data.startswith(b"# %ECSV"):
        raise ParseError("expected an ECSV file starting with '# %ECSV'", path=path, line=1)
    start = 0
    while data.startswith(b"#", start):
        newline = data.find(b"\n", start)
        start = len(data) if newline < 0 else newline + 1
    header_end = data.find(b"\n", start)
    header = tuple(data[start:header_end].decode("ascii", "replace").strip().split(","))
    if header != COLUMNS:
        raise ParseError(
            f"expected the columns {', '.join(COLUMNS)}; got {', '.join(header)}",
            path=path,
            line=data.count(b"\n", 0, start) + 1,
        )
    types = {
        "source_id": pa.int64(),
        "number_mp": pa.int64(),
        "denomination": pa.string(),
        "num_of_spectra": pa.int32(),
        "reflectance_spectrum": pa.float64(),
        "reflectance_spectrum_err": pa.float64(),
        "wavelength": pa.float64(),
        "reflectance_spectrum_flag": pa.int8(),
    }
    try:
        return csv.read_csv(
            io.BytesIO(data[start:]),
            convert_options=csv.ConvertOptions(column_types=types, include_columns=list(types)),
        )
    except pa.ArrowInvalid as error:
        raise ParseError(f"expected published Gaia DR3 values ({error})", path=path) from None


@dataclass(frozen=True)
class GaiaDR3Source:
    """Gaia DR3 reflectance spectra as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "gaia-dr3"
    title: str = "Gaia DR3 asteroid reflectance spectra (Gaia Collaboration 2023)"
    citation: str = GAIA_DR3_CITATION
    version: int = 2
    tables: tuple[str, ...] = ("spectra",)

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse the 20 parts into the long ``spectra`` table, sorted by number and band."""
        import pyarrow as pa

        absent = [name for name in COLLECTIONS[self.name] if name not in paths]
        if absent:
            raise DataError(
                f"Gaia DR3 needs all {len(COLLECTIONS[self.name])} parts; {len(absent)} are "
                f"missing (first: {absent[0]}). Fetch them: asteroid-spectra fetch gaia-dr3."
            )
        table = pa.concat_tables([parse_part(paths[name]) for name in COLLECTIONS[self.name]])
        raw = table.to_pandas()
        raw = raw.sort_values(["number_mp", "wavelength"], kind="stable", ignore_index=True)
        denominations = raw["denomination"].drop_duplicates()
        provisional = denominations.map(normalise_provisional)
        designation = raw["denomination"].map(dict(zip(denominations, provisional, strict=True)))
        frame = pd.DataFrame(
            {
                schema.SURVEY: pd.array(["gaia-dr3"] * len(raw), dtype="string"),
                schema.OBJECT_ID: raw["number_mp"].astype("string"),
                schema.NUMBER: raw["number_mp"].astype("Int64"),
                # The archive escapes apostrophes by doubling them: "o''higgins".
                schema.NAME: raw["denomination"]
                .astype("string")
                .str.replace("''", "'", regex=False)
                .where(designation.isna()),
                schema.DESIGNATION: designation.astype("string"),
                "source_id": raw["source_id"],
                "num_of_spectra": raw["num_of_spectra"],
                schema.WAVELENGTH: np.round(raw["wavelength"].to_numpy() / 1000.0, 6),
                schema.REFLECTANCE: raw["reflectance_spectrum"],
                schema.ERROR: raw["reflectance_spectrum_err"],
                schema.FLAG: raw["reflectance_spectrum_flag"],
            }
        )
        bands = frame.groupby(schema.OBJECT_ID, sort=False).size()
        if not (bands == schema.GAIA_DR3_WAVELENGTH.size).all():
            odd = bands[bands != schema.GAIA_DR3_WAVELENGTH.size]
            raise ParseError(
                f"expected {schema.GAIA_DR3_WAVELENGTH.size} bands per asteroid; "
                f"{len(odd)} asteroids differ (e.g. number {odd.index[0]}: {odd.iloc[0]})"
            )
        missing = int(frame[schema.REFLECTANCE].isna().sum())
        flagged = int((frame[schema.FLAG] != 0).sum())
        notes = [
            f"{len(bands)} asteroids x {schema.GAIA_DR3_WAVELENGTH.size} bands",
            f"{missing} band values missing (NaN), {flagged} flagged 1 or 2 (doubtful)",
        ]
        return {"spectra": ParsedTable(frame, notes)}


GAIA_DR3 = GaiaDR3Source()
"""The Gaia DR3 source."""
