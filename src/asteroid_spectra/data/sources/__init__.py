"""Survey sources: one module per survey behind the :class:`~.base.Source` protocol."""

from __future__ import annotations

from types import MappingProxyType

from asteroid_spectra.data.sources.base import ParsedTable, Source
from asteroid_spectra.data.sources.gaia_dr3 import GAIA_DR3
from asteroid_spectra.data.sources.smass2 import SMASS2

__all__ = ["SOURCES", "ParsedTable", "Source"]

SOURCES: MappingProxyType[str, Source] = MappingProxyType({"smass2": SMASS2, "gaia-dr3": GAIA_DR3})
"""Every survey source, by collection name."""
