"""SMASSI: Small Main-Belt Asteroid Spectroscopic Survey, phase I (Xu et al. 1995).

Parses the 316 visible spectra of the survey's archive into one long ``spectra`` table.
Per the archive's ``README``, a numbered asteroid's file is ``aNNNNNN.[1]`` (313 files);
the 3 unnumbered ones are published as ``au<designation>.[1]`` (``au1991XB.[1]``), not
``p<designation>`` as the README says. Each line is a wavelength in **ångström**, the
reflectance normalised to unity at 5500 Å and, "if available", an error bar.

Wavelengths are converted to µm here by dividing by 10,000: the data layer must not
import :mod:`asteroid_spectra.spectra.units`, so the ranges of its ``guess_unit`` are
restated: a file whose wavelengths all lie in 2500-60000 is in Å, one whose wavelengths
all lie in 0.1-6 is already in µm (one file is: ``a004062.[1]``, 0.435-0.925 µm, with a
third column of zeros, i.e. no error bars), anything else is a :class:`ParseError`. Errors
that are not positive are "not available" and become NaN. Reflectances are kept as
published (normalised to 1 at 0.55 µm by the authors; no renormalisation, no smoothing).

The column reader and the junk rules are those of every text-table source
(:mod:`.text_tables`).

Bad files: every file is registered with its sha256, so a file that cannot be parsed is
a format this parser does not know, not a damaged download; it fails the whole parse with
a :class:`ParseError` naming the file and line. A file that parses but keeps fewer than 2
usable samples after the junk rules is skipped with a note.

References
----------
Xu, S., Binzel, R. P., Burbine, T. H. & Bus, S. J. (1995). Small Main-Belt Asteroid
Spectroscopic Survey: Initial results. Icarus 115, 1-35.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from asteroid_spectra import schema
from asteroid_spectra.data.designations import parse_smass_stem
from asteroid_spectra.data.registry import SMASS1_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.text_tables import (
    ANGSTROM_RANGE,
    MICRON_RANGE,
    JunkRules,
    count_files,
    identity,
    listing,
    long_table,
    read_spectrum,
    summary,
)
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = ["SMASS1", "Smass1Source"]

_SPECTRUM = re.compile(r"^smass1/(a\d{6}|au\w+)\.\[1\]$")


@dataclass(frozen=True)
class Smass1Source:
    """The SMASSI survey as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "smass1"
    title: str = "SMASSI visible spectra (Xu et al. 1995)"
    citation: str = SMASS1_CITATION
    version: int = 1
    tables: tuple[str, ...] = ("spectra",)

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse every ``aNNNNNN.[1]`` / ``au<designation>.[1]`` file into ``spectra``.

        Columns: identity columns, ``file`` (path in the collection), ``wavelength`` (µm),
        ``reflectance``, ``error`` (NaN without error bars).
        """
        rules = JunkRules()
        spectra, in_micron = [], []
        for name in sorted(paths):
            match = _SPECTRUM.match(name)
            if not match:
                continue
            try:
                designation = parse_smass_stem(match.group(1))
            except ParseError as error:
                raise ParseError(str(error), path=name) from None
            read = read_spectrum(paths[name], name, (2, 3), rules)
            if read is None:
                continue
            values, lines = read
            low, high = values[0, 0], values[-1, 0]
            if ANGSTROM_RANGE[0] <= low and high <= ANGSTROM_RANGE[1]:
                values[:, 0] = values[:, 0] / 10_000.0
            elif MICRON_RANGE[0] <= low and high <= MICRON_RANGE[1]:
                in_micron.append(name)
            else:
                raise ParseError(
                    f"expected wavelengths in Å ({ANGSTROM_RANGE[0]:g}-{ANGSTROM_RANGE[1]:g}) "
                    f"or µm ({MICRON_RANGE[0]:g}-{MICRON_RANGE[1]:g}), got {low:g}-{high:g}",
                    path=name,
                    line=int(lines[0]),
                )
            row = {**identity(self.name, designation), schema.FILE: name.split("/", 1)[1]}
            spectra.append((row, values))
        if not spectra:
            raise DataError(
                "No SMASSI spectrum (smass1/aNNNNNN.[1]) among the files given; fetch them "
                "again: asteroid-spectra fetch smass1."
            )
        frame = long_table(spectra)
        notes = [summary(frame), *rules.notes()]
        if in_micron:
            notes.append(
                f"{count_files(len(in_micron))} already in µm, not Å (kept): {listing(in_micron)}"
            )
        return {"spectra": ParsedTable(frame, notes)}


SMASS1 = Smass1Source()
"""The SMASSI source."""
