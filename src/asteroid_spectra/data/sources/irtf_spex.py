"""IRTF SpeX near-infrared spectra of asteroids (PDS4 collection).

Parses the 300 spectra ``data/<paper>/<number>_<time>.tab`` of the collection, from 13
paper folders (``binzeletal2001`` … ``sunshineetal2008``), into one long ``spectra``
table. Each line holds three whitespace-separated numbers, CRLF-terminated: wavelength
(µm, about 0.8-2.55), reflectance and its 1-sigma error. Values are kept as published
(no renormalisation, no smoothing); the junk rules of
:class:`~asteroid_spectra.data.sources.smass1.JunkRules` apply: six
``moskovitzetal2010`` files end with an all-zero padding row, and non-positive
reflectances would be telluric residuals at the band edges.

Each file is one spectrum; an asteroid may have several (173 asteroids), told apart by
``file``, ``paper`` (the folder) and ``observation_time``, parsed from the name:
``yymmddthhmmss`` → ``"20yy-mm-ddThh:mm:ss"`` (UTC, as the PDS labels give times), or
``yymmdd`` alone (six ``moskovitzetal2010`` files) → ``"20yy-mm-dd"``; two-digit years
are 19yy from 90 on. A name whose time is not a valid date keeps ``observation_time``
empty, with a note. The collection's inventory (``P,<LID>`` lines) is compared with the
files, and differences are noted.

Bad files: every file is checksummed, so a file that cannot be parsed fails the whole
parse with a :class:`~asteroid_spectra.exceptions.ParseError` naming file and line (a
collection of 13 papers' reductions would otherwise lose spectra silently); a file left
with fewer than 2 usable samples is skipped with a note.

References
----------
The papers named by the folders, e.g. Binzel, R. P. et al. (2001), MAPS 36, A20; Clark,
B. E. et al. (2004), AJ 128, 3070; Sunshine, J. M. et al. (2008), Science 320, 514. PDS4
collection urn:nasa:pds:gbo.ast.irtf-spex-collection.spectra.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from asteroid_spectra import schema
from asteroid_spectra.data.designations import parse_numbered_stem
from asteroid_spectra.data.registry import SPEX_CITATION
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.sources.text_tables import (
    JunkRules,
    check_micron,
    count_files,
    identity,
    listing,
    long_table,
    read_spectrum,
    read_text,
    summary,
)
from asteroid_spectra.exceptions import DataError, ParseError

__all__ = ["IRTF_SPEX", "IrtfSpexSource", "inventory_notes", "observation_time"]

INVENTORY = "irtf_spex/data/collection_gbo.ast.irtf-spex-collection.spectra_data_inventory.csv"
_SPECTRUM = re.compile(r"^irtf_spex/(data/([^/]+)/([^/]+)\.tab)$")
_TIME = re.compile(r"^(\d{2})(\d{2})(\d{2})(?:t(\d{2})(\d{2})(\d{2}))?$")
_PRODUCT = re.compile(
    r"^urn:nasa:pds:gbo\.ast\.irtf-spex-collection\.spectra:data:([^_:]+)_(.+)_tab::"
)


def observation_time(text: str) -> str | None:
    """Return the ISO 8601 time of a SpeX file name's time part, or None if not clean.

    Examples
    --------
    >>> observation_time("010328t134842")
    '2001-03-28T13:48:42'
    >>> observation_time("030930")
    '2003-09-30'
    >>> observation_time("031330") is None  # month 13
    True
    """
    match = _TIME.match(text)
    if not match:
        return None
    year, month, day, *clock = match.groups()
    full_year = (1900 if int(year) >= 90 else 2000) + int(year)
    try:
        if clock[0] is None:
            return dt.date(full_year, int(month), int(day)).isoformat()
        hour, minute, second = (int(value) for value in clock)
        return dt.datetime(full_year, int(month), int(day), hour, minute, second).isoformat()
    except ValueError:
        return None


def inventory_notes(
    text: str, published: set[tuple[str, str]], where: str = INVENTORY
) -> list[str]:
    """Compare the collection inventory with the published files (paper folder, stem).

    The inventory names each product by a LID ending ``data:<paper>_<stem>_tab``. Some
    LIDs cut the paper folder short (``moskovitzetal201`` for ``moskovitzetal2010``): a
    LID matches a file when the stems are equal and the folder starts with its paper.

    Returns
    -------
    list of str
        How many LIDs are cut short, which listed products are not published and which
        published files are not listed.

    Raises
    ------
    ParseError
        If a line is not ``P,urn:nasa:pds:gbo.ast.irtf-spex-collection.spectra:data:
        <paper>_<stem>_tab::<version>``.
    """
    listed: set[tuple[str, str]] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        member, _, lid = line.strip().partition(",")
        match = _PRODUCT.match(lid)
        if member != "P" or not match:
            raise ParseError(
                "expected 'P,urn:nasa:pds:gbo.ast.irtf-spex-collection.spectra:data:"
                f"<paper>_<file>_tab::<version>', got {line!r}",
                path=where,
                line=lineno,
            )
        listed.add((match.group(1), match.group(2)))
    folders = {stem: paper for paper, stem in published}
    matched = {
        (paper, stem)
        for paper, stem in listed
        if stem in folders and folders[stem].startswith(paper)
    }
    short = sum(1 for paper, stem in matched if folders[stem] != paper)
    notes = [f"inventory lists {len(listed)} products, {len(matched)} of them published"]
    if short:
        notes.append(f"{short} inventory LIDs cut the paper folder short; matched by file name")
    if listed - matched:
        missing = sorted(f"data/{paper}/{stem}.tab" for paper, stem in listed - matched)
        notes.append(f"inventory lists files not published: {listing(missing)}")
    unlisted = sorted(set(folders) - {stem for _, stem in matched})
    if unlisted:
        notes.append(
            "published files not in the inventory: "
            + listing([f"data/{folders[stem]}/{stem}.tab" for stem in unlisted])
        )
    return notes


@dataclass(frozen=True)
class IrtfSpexSource:
    """IRTF SpeX spectra as a :class:`~asteroid_spectra.data.sources.base.Source`."""

    name: str = "irtf-spex"
    title: str = "IRTF SpeX near-infrared spectra of asteroids (PDS collection)"
    citation: str = SPEX_CITATION
    version: int = 1
    tables: tuple[str, ...] = ("spectra",)

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        """Parse every ``data/<paper>/<number>_<time>.tab`` into ``spectra``.

        Columns: identity columns, ``file`` (path in the collection), ``paper``,
        ``observation_time`` (ISO 8601 string, or empty), ``wavelength`` (µm),
        ``reflectance``, ``error`` (1-sigma).
        """
        rules = JunkRules({"non-positive reflectance samples": "telluric residuals at band edges"})
        spectra, unclean, published = [], [], set()
        for name in sorted(paths):
            match = _SPECTRUM.match(name)
            if not match:
                continue
            file, paper, stem = match.groups()
            published.add((paper, stem))
            try:
                designation, time = parse_numbered_stem(stem)
            except ParseError as error:
                raise ParseError(str(error), path=name) from None
            observed = observation_time(time)
            if observed is None:
                unclean.append(file)
            read = read_spectrum(paths[name], name, (3,), rules)
            if read is None:
                continue
            check_micron(*read, name)
            row = {
                **identity(self.name, designation),
                schema.FILE: file,
                "paper": paper,
                "observation_time": observed,
            }
            spectra.append((row, read[0]))
        if not spectra:
            raise DataError(
                "No IRTF SpeX spectrum (irtf_spex/data/<paper>/*.tab) among the files given; "
                "fetch them again: asteroid-spectra fetch irtf-spex."
            )
        frame = long_table(spectra)
        papers = frame.drop_duplicates(schema.FILE)["paper"].value_counts().sort_index()
        notes = [
            summary(frame),
            f"{len(papers)} papers: "
            + ", ".join(f"{paper} {count}" for paper, count in papers.items()),
            *rules.notes(),
        ]
        if unclean:
            notes.append(
                f"{count_files(len(unclean))} without a clean observation time in the name: "
                f"{listing(unclean)}"
            )
        if INVENTORY in paths:
            notes += inventory_notes(read_text(paths[INVENTORY], INVENTORY), published)
        return {"spectra": ParsedTable(frame, notes)}


IRTF_SPEX = IrtfSpexSource()
"""The IRTF SpeX source."""
