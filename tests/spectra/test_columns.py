from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.table import MaskedColumn, QTable, Table

from asteroid_spectra.exceptions import ParseError, UnitError
from asteroid_spectra.spectra.columns import column_roles, table_columns


@pytest.mark.parametrize(
    ("names", "roles"),
    [
        (["wavelength", "reflectance"], {"wavelength": 0, "reflectance": 1}),
        (["lambda (nm)", "refl", "sigma"], {"wavelength": 0, "reflectance": 1, "error": 2}),
        # "reflectance_err" is an error column, not a second reflectance one.
        (
            ["reflectance_err", "reflectance", "wave"],
            {"error": 0, "reflectance": 1, "wavelength": 2},
        ),
        (['"wl"', " flux ", "unc"], {"wavelength": 0, "reflectance": 1, "error": 2}),
        # The first column of a role wins.
        (["w", "r", "wavelength"], {"wavelength": 0, "reflectance": 1}),
        (["a", "b"], None),
        (["wavelength", "error"], None),
        ([], None),
    ],
)
def test_column_roles(names: list[str], roles: dict[str, int] | None) -> None:
    assert column_roles(names) == roles


def test_table_columns_converts_a_unit_column_to_micron() -> None:
    table = QTable({"wave": [450.0, 550.0, 650.0] * u.nm, "r": [0.9, 1.0, 1.1], "e": [1, 2, 3]})
    values, unit = table_columns(table)
    assert unit == "um"
    np.testing.assert_allclose(values["wavelength"], [0.45, 0.55, 0.65], rtol=1e-15)
    assert values["error"].tolist() == [1.0, 2.0, 3.0]
    assert values["reflectance"].dtype == np.float64


@pytest.mark.parametrize(
    ("table", "unit", "expected_unit", "wavelength"),
    [
        # An explicit unit wins over the column's: the values are left as they are.
        (QTable({"w": [450, 550] * u.nm, "r": [1, 1]}), "angstrom", "angstrom", [450, 550]),
        # No astropy unit: the unit in the column name, else None (to be guessed).
        (Table({"wavelength_nm": [450, 550], "r": [1, 1]}), None, "nm", [450, 550]),
        (Table({"x": [0.45, 0.55], "y": [1, 1]}), None, None, [0.45, 0.55]),
    ],
)
def test_table_columns_unit(
    table: Table, unit: str | None, expected_unit: str | None, wavelength: list[float]
) -> None:
    values, got = table_columns(table, unit=unit)
    assert got == expected_unit
    assert values["wavelength"].tolist() == wavelength
    assert set(values) == {"wavelength", "reflectance"}


def test_table_columns_masked_values_are_nan() -> None:
    table = Table({"w": [0.45, 0.55, 0.65], "r": MaskedColumn([0.9, 1.0, 1.1], mask=[0, 1, 0])})
    values, _ = table_columns(table)
    assert np.isnan(values["reflectance"]).tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("table", "error", "match"),
    [
        (Table({"w": [1.0]}), ParseError, r"^t\.ecsv: expected at least 2 columns .*; got 1$"),
        (
            Table({"a": [1], "b": [1], "c": [1], "d": [1]}),
            ParseError,
            r"^t\.ecsv: cannot tell which of the columns \['a', 'b', 'c', 'd'\]",
        ),
        (Table({"w": ["x", "y"], "r": [1, 2]}), ParseError, r"^t\.ecsv: expected numeric columns"),
        (
            QTable({"w": [1, 2] * u.km / u.s, "r": [1, 2]}),
            UnitError,
            r"^t\.ecsv: cannot convert the wavelength unit km / s to µm",
        ),
    ],
)
def test_table_columns_errors(table: Table, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        table_columns(table, where="t.ecsv")
