from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.exceptions import SpectrumError, UnitError
from asteroid_spectra.spectra.units import (
    UNITS,
    VALID_RANGE,
    check_range,
    guess_unit,
    parse_unit,
    to_micron,
    unit_from_name,
)


@pytest.mark.parametrize(
    ("unit", "per_micron"),
    [
        ("um", 1.0),
        ("µm", 1.0),  # micro sign U+00B5
        ("μm", 1.0),  # Greek mu U+03BC
        ("micron", 1.0),
        ("Microns", 1.0),
        ("micrometre", 1.0),
        ("nm", 1e3),
        ("NM", 1e3),
        (" nanometer ", 1e3),
        ("angstrom", 1e4),
        ("Angstroms", 1e4),
        ("Å", 1e4),
        ("AA", 1e4),
    ],
)
def test_parse_unit_gives_units_per_micron(unit: str, per_micron: float) -> None:
    assert parse_unit(unit) == per_micron


@pytest.mark.parametrize("unit", ["mm", "m", "Hz", "", "nanometers per second", "um2"])
def test_parse_unit_rejects_unknown_units(unit: str) -> None:
    with pytest.raises(UnitError, match=r"Unknown wavelength unit .*expected one of um"):
        parse_unit(unit)


def test_unit_error_is_a_spectrum_error() -> None:
    # Callers catching SpectrumError (or ValueError) also catch unit problems.
    with pytest.raises(SpectrumError):
        parse_unit("parsec")
    with pytest.raises(ValueError, match="Unknown wavelength unit"):
        parse_unit("parsec")


def test_units_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        UNITS["furlong"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("wavelength (nm)", "nm"),
        ("Wavelength [um]", "um"),
        ("lambda_um", "um"),
        ("wavelength_nm", "nm"),
        ("WAVE (Angstrom)", "angstrom"),
        ("wave/microns", "microns"),
        ("lambda(Å)", "å"),
        ("wavelength", None),
        ("reflectance", None),
        ("numbers", None),  # "nm" must not be found inside a word
        ("summary", None),  # nor "um"
    ],
)
def test_unit_from_name(name: str, unit: str | None) -> None:
    assert unit_from_name(name) == unit


@pytest.mark.parametrize(
    ("values", "unit"),
    [
        ([0.44, 0.92], "um"),
        ([0.1, 6.0], "um"),  # the edges of VALID_RANGE are µm
        ([435.0, 925.0], "nm"),
        ([100.0, 2600.0], "nm"),
        ([2500.0, 2600.0], "nm"),  # the nm/Å overlap resolves to nm
        ([4350.0, 9250.0], "angstrom"),
        ([2500.0, 60000.0], "angstrom"),
        ([0.45, np.nan, 0.55], "um"),  # non-finite values are ignored
    ],
)
def test_guess_unit_from_range(values: list[float], unit: str) -> None:
    assert guess_unit(values) == unit


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([10.0, 20.0], "10-20"),  # between µm and nm
        ([0.05, 0.9], "0.05-0.9"),  # below 0.1 µm
        ([90.0, 900.0], "90-900"),  # straddles µm/nm
        ([500.0, 70000.0], "500-70000"),
        ([-1.0, 1.0], "-1-1"),
    ],
)
def test_guess_unit_rejects_ambiguous_values(values: list[float], shown: str) -> None:
    with pytest.raises(UnitError, match=rf"values {shown}: .*Give the unit explicitly"):
        guess_unit(values)


@pytest.mark.parametrize("values", [[], [np.nan, np.inf, -np.inf]])
def test_guess_unit_needs_a_finite_value(values: list[float]) -> None:
    with pytest.raises(UnitError, match="no finite wavelength"):
        guess_unit(values)


def test_check_range_accepts_valid_micron_values() -> None:
    check_range([VALID_RANGE[0], 1.0, VALID_RANGE[1]])
    check_range([np.nan, np.nan])  # nothing finite: nothing to check


def test_check_range_hints_at_nm_given_as_micron() -> None:
    with pytest.raises(UnitError, match=r"440-920 µm \(read as um\).*give unit='nm'"):
        check_range([440.0, 920.0])


def test_check_range_hints_at_metres() -> None:
    with pytest.raises(UnitError, match=r"outside the 0\.1-6 µm.*look like metres"):
        check_range([4.4e-7, 9.2e-7])


def test_check_range_without_hint_for_other_units() -> None:
    # 8000 nm is 8 µm: outside, but nm was explicit, so no "give unit='nm'" hint.
    with pytest.raises(UnitError, match=r"\(read as nm\) are outside") as info:
        check_range([0.5, 8.0], "nm")
    assert "give unit" not in str(info.value)


@pytest.mark.parametrize(
    ("values", "unit", "expected"),
    [
        ([0.45, 0.55], "um", [0.45, 0.55]),
        ([450.0, 550.0], "nm", [0.45, 0.55]),
        ([4500.0, 5500.0], "angstrom", [0.45, 0.55]),
        ([450.0, 550.0], None, [0.45, 0.55]),  # guessed nm
        ([4500.0, 9000.0], None, [0.45, 0.9]),  # guessed Å
        ([2.0, 3.0], "um", [2.0, 3.0]),
    ],
)
def test_to_micron(values: list[float], unit: str | None, expected: list[float]) -> None:
    np.testing.assert_allclose(to_micron(values, unit), expected, rtol=1e-12)


def test_to_micron_does_not_modify_its_input() -> None:
    values = np.array([450.0, 550.0, 650.0])
    result = to_micron(values, "nm")
    assert values.tolist() == [450.0, 550.0, 650.0]
    assert not np.shares_memory(values, result)


def test_to_micron_rejects_nm_given_as_micron() -> None:
    with pytest.raises(UnitError, match=r"\(read as um\).*They look like nm"):
        to_micron([450.0, 550.0], "um")


def test_to_micron_rejects_micron_given_as_nm() -> None:
    # 0.45 nm = 0.00045 µm: outside the valid range, with a hint that it looks too small.
    with pytest.raises(UnitError, match=r"read as nm.*look like metres or mm"):
        to_micron([0.45, 0.55], "nm")


def test_to_micron_rejects_unknown_unit() -> None:
    with pytest.raises(UnitError, match="Unknown wavelength unit 'furlong'"):
        to_micron([1.0, 2.0], "furlong")
