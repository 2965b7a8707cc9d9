"""Asteroid labels, SMASSII file stems and provisional designations."""

from __future__ import annotations

import re

import pytest

from asteroid_spectra.data.designations import (
    Designation,
    normalise_provisional,
    parse_label,
    parse_smass_stem,
)
from asteroid_spectra.exceptions import ParseError


@pytest.mark.parametrize(
    ("text", "number", "name", "provisional", "object_id"),
    [
        # Bus.Taxonomy.txt styles (see /work/shared/data/README.md)
        ("1 Ceres", 1, "Ceres", None, "1"),
        ("1 Ceres         ", 1, "Ceres", None, "1"),
        ("3579 1977 YA", 3579, None, "1977 YA", "3579"),
        ("5646 1990 TR    ", 5646, None, "1990 TR", "5646"),
        ("   1998 MQ", None, None, "1998 MQ", "1998 MQ"),
        ("1995 BM2", None, None, "1995 BM2", "1995 BM2"),
        ("      1995 BM2  ", None, None, "1995 BM2", "1995 BM2"),
        ("1995BM2", None, None, "1995 BM2", "1995 BM2"),
        ("4290 P-L", None, None, "4290 P-L", "4290 P-L"),
        ("3138 T-1", None, None, "3138 T-1", "3138 T-1"),
        # Gaia DR3 lower-case denominations
        ("2000 ew37", None, None, "2000 EW37", "2000 EW37"),
        ("4290 p-l", None, None, "4290 P-L", "4290 P-L"),
        # numbers and names
        ("433", 433, None, None, "433"),
        ("(433) Eros", 433, "Eros", None, "433"),
        ("9007 James  Bond", 9007, "James Bond", None, "9007"),
        ("4015 Wilson-Harrington", 4015, "Wilson-Harrington", None, "4015"),
        ("85 Io", 85, "Io", None, "85"),
        ("2000 Herschel", 2000, "Herschel", None, "2000"),
        ("12345 1999 RL139", 12345, None, "1999 RL139", "12345"),
    ],
)
def test_parse_label(
    text: str, number: int | None, name: str | None, provisional: str | None, object_id: str
) -> None:
    designation = parse_label(text)

    assert designation == Designation(number=number, name=name, provisional=provisional)
    assert designation.object_id == object_id


@pytest.mark.parametrize(
    "text", ["", "   ", "Ceres", "Ceres 1", "-1 Ceres", "1.5 Ceres", "a000001"]
)
def test_parse_label_rejects(text: str) -> None:
    with pytest.raises(
        ParseError,
        match=r"^expected an asteroid label such as '1 Ceres', '3579 1977 YA' or '1995 BM2', "
        rf"got {re.escape(repr(text))}$",
    ):
        parse_label(text)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("a000001", Designation(number=1)),
        ("a004156", Designation(number=4156)),
        ("a100000", Designation(number=100000)),
        ("au1995BM2", Designation(provisional="1995 BM2")),
        ("au1996PW", Designation(provisional="1996 PW")),
        ("au1997CZ5", Designation(provisional="1997 CZ5")),
    ],
)
def test_parse_smass_stem(stem: str, expected: Designation) -> None:
    assert parse_smass_stem(stem) == expected


@pytest.mark.parametrize(
    "stem",
    ["a00001", "a0000001", "b000001", "au", "auCeres", "au19BM2", "a000001.spfit", "1995BM2", ""],
)
def test_parse_smass_stem_rejects(stem: str) -> None:
    with pytest.raises(
        ParseError,
        match=r"^expected a SMASSII file name 'aNNNNNN' \(numbered\) or 'au<designation>' "
        rf"\(e\.g\. 'au1995BM2'\), got {re.escape(repr(stem))}$",
    ):
        parse_smass_stem(stem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1995BM2", "1995 BM2"),
        ("1995 bm2", "1995 BM2"),
        ("  1998 MQ  ", "1998 MQ"),
        ("2000 ew37", "2000 EW37"),
        ("4290 p-l", "4290 P-L"),
        ("4290 t-3", "4290 T-3"),
        ("Ceres", None),
        ("io", None),
        ("12345", None),
        ("1995 B", None),
        ("95 BM2", None),
        ("4290 T-4", None),
        ("4290P-L", None),
    ],
)
def test_normalise_provisional(text: str, expected: str | None) -> None:
    assert normalise_provisional(text) == expected


def test_object_id_needs_a_number_or_a_designation() -> None:
    with pytest.raises(ValueError, match="needs a number or a provisional designation"):
        _ = Designation(name="Ceres").object_id


def test_number_wins_over_provisional_in_object_id() -> None:
    assert Designation(number=3579, provisional="1977 YA").object_id == "3579"
