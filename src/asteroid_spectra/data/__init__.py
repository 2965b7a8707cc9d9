"""Data layer: registry of remote files, checksummed fetch, survey sources, tidy tables."""

from __future__ import annotations

from asteroid_spectra.data.datasets import load_table, source
from asteroid_spectra.data.designations import Designation, parse_label, parse_smass_stem
from asteroid_spectra.data.fetch import fetch, fetch_collection
from asteroid_spectra.data.registry import COLLECTIONS, REGISTRY, RemoteFile, collection
from asteroid_spectra.data.tables import read_parquet, write_parquet

__all__ = [
    "COLLECTIONS",
    "REGISTRY",
    "Designation",
    "RemoteFile",
    "collection",
    "fetch",
    "fetch_collection",
    "load_table",
    "parse_label",
    "parse_smass_stem",
    "read_parquet",
    "source",
    "write_parquet",
]
