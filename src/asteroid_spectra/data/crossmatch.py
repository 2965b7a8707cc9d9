"""Match the same asteroids across surveys by identity.

Labels travel between surveys by asteroid identity: an asteroid's Bus class from SMASSII
labels its Gaia DR3 spectrum. Identity is the permanent number when both sides have one,
else the provisional designation in MPC form (``1995 BM2``). Names are not used: Gaia
writes them lower-case with doubled apostrophes (``a''hearn``) and several asteroids were
numbered after SMASSII was published, so their SMASSII row has only a designation.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.exceptions import DataError

__all__ = ["match_objects"]


def _lookup(column: pd.Series) -> dict[object, int]:
    """Value → first row holding it, over the non-missing values of `column`."""
    present = column.dropna()
    present = present[~present.duplicated(keep="first")]
    return dict(zip(present.to_numpy(), present.index.to_numpy(), strict=True))


def _designations(table: pd.DataFrame) -> pd.Series:
    """Provisional designations of `table`, empty strings as missing."""
    column = table[schema.DESIGNATION].astype("string")
    return column.where(column != "", pd.NA)


def match_objects(objects: pd.DataFrame, other: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Return, for each row of `objects`, the row of `other` holding the same asteroid.

    Parameters
    ----------
    objects, other : DataFrame
        Per-spectrum identity tables with ``number`` and ``designation`` columns (e.g.
        :attr:`SpectralSet.objects <asteroid_spectra.spectra.sets.SpectralSet>`).

    Returns
    -------
    ndarray of int, shape (len(objects),)
        Positional row in `other`, or -1 where the asteroid is not in `other`. The
        number decides when both rows have one; otherwise the provisional designation.

    Raises
    ------
    DataError
        If a table lacks the identity columns.

    Examples
    --------
    >>> left = pd.DataFrame({"number": pd.array([1, None], dtype="Int64"),
    ...                      "designation": ["", "1995 BM2"]})
    >>> right = pd.DataFrame({"number": pd.array([129493, 1], dtype="Int64"),
    ...                       "designation": ["1995 BM2", None]})
    >>> match_objects(left, right).tolist()
    [1, 0]
    """
    for name, table in (("objects", objects), ("other", other)):
        missing = {schema.NUMBER, schema.DESIGNATION} - set(table.columns)
        if missing:
            raise DataError(
                f"Cannot match asteroids: the {name} table lacks the column(s) "
                f"{', '.join(sorted(missing))}; expected the identity columns of a survey table."
            )
    right = other.reset_index(drop=True)
    by_number = _lookup(right[schema.NUMBER].astype("Int64"))
    by_designation = _lookup(_designations(right))
    numbers = [None if pd.isna(n) else int(n) for n in objects[schema.NUMBER]]
    designations = [None if pd.isna(d) else str(d) for d in _designations(objects)]
    other_numbers = right[schema.NUMBER].astype("Int64")
    rows = np.full(len(objects), -1, dtype=np.int64)
    for i, (number, designation) in enumerate(zip(numbers, designations, strict=True)):
        if number is not None and number in by_number:
            rows[i] = by_number[number]
        elif designation is not None and designation in by_designation:
            row = by_designation[designation]
            # Two different numbers are two asteroids, whatever the designations say.
            if number is None or pd.isna(other_numbers.iloc[row]):
                rows[i] = row
    return rows
