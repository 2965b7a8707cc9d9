"""Data layer: registry of remote files, checksummed fetch, survey sources, tidy tables.

Importing the package loads none of its modules: each name loads its module on first use
(:func:`lazy_loader.attach`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra.data.datasets import load_table as load_table
    from asteroid_spectra.data.datasets import source as source
    from asteroid_spectra.data.designations import Designation as Designation
    from asteroid_spectra.data.designations import parse_label as parse_label
    from asteroid_spectra.data.designations import parse_smass_stem as parse_smass_stem
    from asteroid_spectra.data.fetch import fetch as fetch
    from asteroid_spectra.data.fetch import fetch_collection as fetch_collection
    from asteroid_spectra.data.registry import COLLECTIONS as COLLECTIONS
    from asteroid_spectra.data.registry import REGISTRY as REGISTRY
    from asteroid_spectra.data.registry import RemoteFile as RemoteFile
    from asteroid_spectra.data.registry import collection as collection
    from asteroid_spectra.data.tables import read_parquet as read_parquet
    from asteroid_spectra.data.tables import write_parquet as write_parquet
else:
    # `fetch` is both a function and the module defining it; lazy_loader (>= 0.6) keeps the
    # package attribute the function even after `asteroid_spectra.data.fetch` is imported.
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        submod_attrs={
            "datasets": ["load_table", "source"],
            "designations": ["Designation", "parse_label", "parse_smass_stem"],
            "fetch": ["fetch", "fetch_collection"],
            "registry": ["COLLECTIONS", "REGISTRY", "RemoteFile", "collection"],
            "tables": ["read_parquet", "write_parquet"],
        },
    )
