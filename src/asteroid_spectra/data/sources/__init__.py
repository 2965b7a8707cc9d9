"""Survey sources: one module per survey behind the :class:`~.base.Source` protocol."""

from __future__ import annotations

from types import MappingProxyType

from asteroid_spectra.data.sources.base import ParsedTable, Source
from asteroid_spectra.data.sources.demeo2009 import DEMEO2009
from asteroid_spectra.data.sources.ecas import ECAS
from asteroid_spectra.data.sources.gaia_dr3 import GAIA_DR3
from asteroid_spectra.data.sources.irtf_spex import IRTF_SPEX
from asteroid_spectra.data.sources.primass_l import PRIMASS_L
from asteroid_spectra.data.sources.smass1 import SMASS1
from asteroid_spectra.data.sources.smass2 import SMASS2
from asteroid_spectra.data.sources.smassir import SMASSIR
from asteroid_spectra.data.sources.tholen1984 import THOLEN1984

__all__ = ["SOURCES", "ParsedTable", "Source"]

SOURCES: MappingProxyType[str, Source] = MappingProxyType(
    {
        source.name: source
        for source in (
            SMASS2,
            GAIA_DR3,
            SMASS1,
            SMASSIR,
            PRIMASS_L,
            IRTF_SPEX,
            ECAS,
            THOLEN1984,
            DEMEO2009,
        )
    }
)
"""Every survey source, by collection name (the registry's collections)."""
