"""SMASSIR: the near-infrared extension of SMASS (Burbine & Binzel 2002).

Parses the 251 near-infrared spectra ``aNNNNNN.[3]`` (numbered asteroids, 227 files) and
``au<designation>.[3]`` (unnumbered, 24 files) into one long ``spectra`` table. Each line
holds three whitespace-separated numbers: wavelength (µm, about 0.87-1.66), reflectance
and its 1-sigma error; one file ends its lines with CR only. Values are kept as published
(no renormalisation, no smoothing); the junk rules of
:class:`~asteroid_spectra.data.sources.smass1.JunkRules` apply (non-positive reflectances
are telluric residuals at the band edges; the published files hold none).

``SMASSIR.files.txt`` is only compared with the files: it lists 241 names, one of which
(``a001279.[3]``) is not published, and leaves out 11 published files; the notes say
which. Every published spectrum file is parsed.

Bad files: as for SMASSI (every file is checksummed), a file that cannot be parsed fails
the whole parse with a :class:`~asteroid_spectra.exceptions.ParseError` naming the file
and line; a file left with fewer than 2 usable samples is skipped with a note.

References
----------
Burbine, T. H. & Binzel, R. P. (2002). Small Main-Belt Asteroid Spectroscopic Survey in
the Near-Infrared. Icarus 159, 468-499.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from asteroid_spectra import schema
from asteroid_spectra.data.designations import parse_smass_stem
from asteroid_spectra.data.registry import SMASSIR_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.text_tables import (
    JunkRules,
    check_micron,
    identity,
    listing,
    long_table,
    read_spectrum,
    read_text,
    summary,
)
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = ["SMASSIR", "SmassirSource", "listing_notes"]

LISTING = "smassir/SMASSIR.files.txt"
_SPECTRUM = re.compile(r"^smassir/((a\d{6}|au\w+)\.\[3\])$")


def listing_notes(text: str, published: set[str]) -> list[str]:
    """Compare the file names in ``SMASSIR.files.txt`` with the published files.

    Parameters
    ----------
    text : str
        Content of the list, one file name a line.
    published : set of str
        Names of the spectrum files present (``a000001.[3]``…).

    Returns
    -------
    list of str
        What the list names that is not published, and what it leaves out.
    """
    listed = {line.strip() for line in text.splitlines() if line.strip()}
    notes = [f"{LISTING} lists {len(listed)} files; {len(published)} spectra are published"]
    if listed - published:
        missing = sorted(listed - published)
        notes.append(f"listed but not published: {listing(missing)}")
    if published - listed:
        unlisted = sorted(published - listed)
        notes.append(f"published but not listed: {listing(unlisted)}")
    return notes


@dataclass(frozen=True)
class SmassirSource:
    """SMASSIR as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "smassir"
    title: str = "SMASSIR near-infrared spectra (Burbine & Binzel 2002)"
    citation: str = SMASSIR_CITATION
    version: int = 1
    tables: tuple[str, ...] = ("spectra",)

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse every ``.[3]`` spectrum into ``spectra``.

        Columns: identity columns, ``file`` (name in the collection), ``wavelength`` (µm),
        ``reflectance``, ``error`` (1-sigma).
        """
        rules = JunkRules({"non-positive reflectance samples": "telluric residuals at band edges"})
        spectra = []
        for name in sorted(paths):
            match = _SPECTRUM.match(name)
            if not match:
                continue
            try:
                designation = parse_smass_stem(match.group(2))
            except ParseError as error:
                raise ParseError(str(error), path=name) from None
            read = read_spectrum(paths[name], name, (3,), rules)
            if read is None:
                continue
            check_micron(*read, name)
            row = {**identity(self.name, designation), schema.FILE: match.group(1)}
            spectra.append((row, read[0]))
        if not spectra:
            raise DataError(
                "No SMASSIR spectrum (smassir/aNNNNNN.[3]) among the files given; fetch them "
                "again: asteroid-spectra fetch smassir."
            )
        frame = long_table(spectra)
        notes = [summary(frame), *rules.notes()]
        if LISTING in paths:
            published = {match.group(1) for match in map(_SPECTRUM.match, paths) if match}
            notes += listing_notes(read_text(paths[LISTING], LISTING), published)
        return {"spectra": ParsedTable(frame, notes)}


SMASSIR = SmassirSource()
"""The SMASSIR source."""
