"""match_objects: the same asteroid across surveys, by number, else provisional designation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.crossmatch import match_objects
from asteroid_spectra.exceptions import DataError


def table(numbers: list[int | None], designations: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            schema.NUMBER: pd.array(numbers, dtype="Int64"),
            schema.DESIGNATION: pd.Series(designations, dtype=object),
        }
    )


# A Gaia-like catalogue: numbered rows (some with a designation), unnumbered rows.
OTHER = table(
    [1, 4, 129493, None, 3908, None],
    [None, None, "1995 BM2", "2001 QW322", "1980 PA", "1999 XA"],
)


@pytest.mark.parametrize(
    ("number", "designation", "row"),
    [
        (1, None, 0),  # by number
        (4, "", 1),  # empty designation counts as missing
        (129493, None, 2),  # numbered with a designation in `other`: by number
        (None, "1995 BM2", 2),  # numbered after the survey: by designation
        (None, "2001 QW322", 3),  # unnumbered on both sides
        (3908, "1980 PA", 4),  # both agree
        (5, None, -1),  # number not in `other`
        (None, "2020 AB", -1),  # designation not in `other`
        (None, None, -1),  # no identity at all
        (None, "", -1),
        (7, "1999 XA", 5),  # number unknown to `other`: the designation decides
        (3908, "1999 XA", 4),  # both known: the number wins over the designation
    ],
)
def test_matches_by_number_then_designation(
    number: int | None, designation: str | None, row: int
) -> None:
    assert match_objects(table([number], [designation]), OTHER).tolist() == [row]


def test_one_row_per_object_in_order_and_int64() -> None:
    objects = table([None, 4, 5, 1, None], ["1995 BM2", None, None, None, "1999 XA"])
    rows = match_objects(objects, OTHER)
    assert rows.dtype == np.int64
    assert rows.tolist() == [2, 1, -1, 0, 5]


def test_rows_are_positions_not_index_labels() -> None:
    other = OTHER.set_axis([10, 20, 30, 40, 50, 60]).iloc[::-1]
    rows = match_objects(table([1, None], [None, "1995 BM2"]), other)
    assert rows.tolist() == [5, 3]
    assert other[schema.NUMBER].iloc[5] == 1
    assert other[schema.DESIGNATION].iloc[3] == "1995 BM2"


def test_numbers_as_floats_or_objects_and_designations_with_nan() -> None:
    # Tables built elsewhere may hold numbers as floats with NaN and missing names as NaN.
    objects = pd.DataFrame(
        {schema.NUMBER: [4.0, np.nan, np.nan], schema.DESIGNATION: [np.nan, "1995 BM2", np.nan]}
    )
    other = pd.DataFrame({schema.NUMBER: [np.nan, 4.0], schema.DESIGNATION: ["1995 BM2", np.nan]})
    assert match_objects(objects, other).tolist() == [1, 0, -1]


def test_extra_columns_are_ignored_and_names_do_not_match() -> None:
    # Gaia writes names lower-case; names are never used to match.
    objects = table([None], [None]).assign(name=["Ceres"])
    other = table([None], [None]).assign(name=["Ceres"])
    assert match_objects(objects, other).tolist() == [-1]


def test_empty_tables() -> None:
    assert match_objects(table([], []), OTHER).tolist() == []
    assert match_objects(table([1, None], [None, "1995 BM2"]), table([], [])).tolist() == [-1, -1]


@pytest.mark.parametrize(
    ("other", "objects"),
    [
        (table([7, 7], [None, None]), table([7], [None])),
        (table([None, None], ["2000 AA", "2000 AA"]), table([None], ["2000 AA"])),
    ],
    ids=["number", "designation"],
)
def test_a_repeated_identity_matches_its_first_row(
    other: pd.DataFrame, objects: pd.DataFrame
) -> None:
    assert match_objects(objects, other).tolist() == [0]


def test_different_numbers_never_match_through_the_designation() -> None:
    objects = table([7], ["1999 XA"])
    other = table([8], ["1999 XA"])
    assert match_objects(objects, other).tolist() == [-1]


@pytest.mark.parametrize(
    ("objects", "other", "match"),
    [
        (
            pd.DataFrame({schema.NUMBER: [1]}),
            OTHER,
            r"objects table lacks the column\(s\) designation",
        ),
        (
            table([1], [None]),
            pd.DataFrame({schema.DESIGNATION: ["1995 BM2"]}),
            r"other table lacks the column\(s\) number",
        ),
        (
            table([1], [None]),
            pd.DataFrame({"name": ["ceres"]}),
            r"other table lacks the column\(s\) designation, number",
        ),
    ],
    ids=["objects-designation", "other-number", "other-both"],
)
def test_missing_identity_columns_raise(
    objects: pd.DataFrame, other: pd.DataFrame, match: str
) -> None:
    with pytest.raises(DataError, match=match):
        match_objects(objects, other)
