"""Asteroid identities: numbers, names and provisional designations.

Surveys name asteroids differently: SMASSII files are called ``a000001`` (number 1) or
``au1995BM2`` (unnumbered, provisional designation 1995 BM2), the Bus taxonomy lists
``1 Ceres``, ``3579 1977 YA`` or ``1995 BM2``, Gaia DR3 gives a number and a lower-case
denomination (``ceres``, ``2000 ew37``, ``4290 t-1``), and the PDS4 collections (PRIMASS-L,
IRTF SpeX) start file names with the number (``000084_vis``, ``25143_010328t134842``).
This module turns all of them into one :class:`Designation` whose
:attr:`~Designation.object_id` joins tables: the number when there is one, otherwise the
provisional designation in MPC format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from asteroid_spectra.exceptions import ParameterError, ParseError

__all__ = [
    "Designation",
    "normalise_provisional",
    "parse_label",
    "parse_numbered_stem",
    "parse_smass_stem",
]

# Provisional designations: "1995 BM2", "1995BM2", "2000 ew37"; survey designations of
# the Palomar-Leiden and Trojan surveys: "4290 P-L", "3138 T-1".
_PROVISIONAL = re.compile(r"^(\d{4})\s*([A-Za-z]{2})(\d*)$")
_SURVEY = re.compile(r"^(\d{4})\s+([Pp]-[Ll]|[Tt]-[123])$")
_NUMBERED = re.compile(r"^\(?(\d+)\)?(?:\s+(.+))?$")
_SMASS_NUMBERED = re.compile(r"^a(\d{6})$")
_SMASS_UNNUMBERED = re.compile(r"^au(\w+)$")
_NUMBERED_STEM = re.compile(r"^(\d+)_(\w+)$")


@dataclass(frozen=True)
class Designation:
    """Identity of one asteroid.

    Attributes
    ----------
    number : int or None
        Minor Planet Center number, if numbered.
    name : str or None
        IAU name (as spelled by the source), if named.
    provisional : str or None
        Provisional or survey designation in MPC format (``"1995 BM2"``, ``"4290 P-L"``).
    """

    number: int | None = None
    name: str | None = None
    provisional: str | None = None

    @property
    def object_id(self) -> str:
        """Key that joins tables: the number if numbered, else the provisional designation."""
        if self.number is not None:
            return str(self.number)
        if self.provisional is not None:
            return self.provisional
        raise ParameterError(
            "A Designation needs a number or a provisional designation to have an object_id. "
            f"Got number=None and provisional=None (name={self.name!r}) instead; build it "
            "with number=<int> or provisional=<MPC designation>."
        )


def normalise_provisional(text: str) -> str | None:
    """Return `text` as an MPC provisional designation, or None if it is not one.

    Examples
    --------
    >>> normalise_provisional("1995BM2")
    '1995 BM2'
    >>> normalise_provisional("2000 ew37")
    '2000 EW37'
    >>> normalise_provisional("4290 t-1")
    '4290 T-1'
    >>> normalise_provisional("Ceres") is None
    True
    """
    text = text.strip()
    match = _PROVISIONAL.match(text)
    if match:
        year, letters, digits = match.groups()
        return f"{year} {letters.upper()}{digits}"
    match = _SURVEY.match(text)
    if match:
        return f"{match.group(1)} {match.group(2).upper()}"
    return None


def parse_label(text: str) -> Designation:
    """Parse an asteroid label such as ``"1 Ceres"``, ``"3579 1977 YA"`` or ``"1995 BM2"``.

    Parameters
    ----------
    text : str
        Number followed by a name or a provisional designation, a number alone, or a
        provisional designation alone.

    Returns
    -------
    Designation

    Raises
    ------
    ParseError
        If `text` is none of these.

    Examples
    --------
    >>> parse_label("1 Ceres")
    Designation(number=1, name='Ceres', provisional=None)
    >>> parse_label("   1998 MQ")
    Designation(number=None, name=None, provisional='1998 MQ')
    >>> parse_label("3579 1977 YA")
    Designation(number=3579, name=None, provisional='1977 YA')
    """
    stripped = " ".join(text.split())
    provisional = normalise_provisional(stripped)
    if provisional is not None:
        return Designation(provisional=provisional)
    match = _NUMBERED.match(stripped)
    if not match:
        raise ParseError(
            f"expected an asteroid label such as '1 Ceres', '3579 1977 YA' or '1995 BM2', "
            f"got {text!r}"
        )
    number, rest = int(match.group(1)), match.group(2)
    if rest is None:
        return Designation(number=number)
    provisional = normalise_provisional(rest)
    if provisional is not None:
        return Designation(number=number, provisional=provisional)
    return Designation(number=number, name=rest)


def parse_smass_stem(stem: str) -> Designation:
    """Parse a SMASSII file stem: ``a000001`` → number 1, ``au1995BM2`` → 1995 BM2.

    Raises
    ------
    ParseError
        If `stem` follows neither pattern.

    Examples
    --------
    >>> parse_smass_stem("a000433").object_id
    '433'
    >>> parse_smass_stem("au1995BM2").object_id
    '1995 BM2'
    """
    match = _SMASS_NUMBERED.match(stem)
    if match:
        return Designation(number=int(match.group(1)))
    match = _SMASS_UNNUMBERED.match(stem)
    if match:
        provisional = normalise_provisional(match.group(1))
        if provisional is not None:
            return Designation(provisional=provisional)
    raise ParseError(
        f"expected a SMASSII file name 'aNNNNNN' (numbered) or 'au<designation>' "
        f"(e.g. 'au1995BM2'), got {stem!r}"
    )


def parse_numbered_stem(stem: str) -> tuple[Designation, str]:
    """Split a file stem ``<number>_<rest>`` into the asteroid and the rest.

    PRIMASS-L names its spectra ``000084_vis`` (zero-padded number, then the setting) and
    the IRTF SpeX collection ``25143_010328t134842`` (number, then the observation time).

    Parameters
    ----------
    stem : str
        File name without its extension.

    Returns
    -------
    designation : Designation
        The numbered asteroid (leading zeros dropped).
    rest : str
        What follows the first underscore.

    Raises
    ------
    ParseError
        If `stem` does not start with a positive number and an underscore.

    Examples
    --------
    >>> parse_numbered_stem("000084_vis")
    (Designation(number=84, name=None, provisional=None), 'vis')
    >>> parse_numbered_stem("25143_010328t134842")[0].object_id
    '25143'
    """
    match = _NUMBERED_STEM.match(stem)
    if match and int(match.group(1)) > 0:
        return Designation(number=int(match.group(1))), match.group(2)
    raise ParseError(
        "expected a file name starting with an asteroid number and an underscore "
        f"(e.g. '000084_vis' or '25143_010328t134842'), got {stem!r}"
    )
