from __future__ import annotations

import re
import time
from pathlib import Path

import astropy.units as u
import numpy as np
import pytest
from astropy.table import MaskedColumn, QTable, Table
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from asteroid_spectra.exceptions import (
    AsteroidSpectraError,
    ParseError,
    SpectrumError,
    UnitError,
)
from asteroid_spectra.spectra import io
from asteroid_spectra.spectra.io import parse_text, read_spectrum, spectrum_from_table
from asteroid_spectra.spectra.spectrum import Spectrum
from asteroid_spectra.spectra.units import VALID_RANGE

MICRON = [0.45, 0.55, 0.65, 0.75]
REFLECTANCE = [0.9, 1.0, 1.1, 1.2]
ERROR = [0.01, 0.02, 0.03, 0.04]


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def assert_valid(spectrum: Spectrum) -> None:
    """The invariants every Spectrum the readers return must satisfy."""
    wavelength, reflectance = spectrum.wavelength, spectrum.reflectance
    assert len(spectrum) >= 3
    assert np.all(np.isfinite(wavelength))
    assert np.all(np.diff(wavelength) > 0)
    assert VALID_RANGE[0] <= wavelength[0]
    assert wavelength[-1] <= VALID_RANGE[1]
    assert np.all(np.isfinite(reflectance))
    assert np.all(reflectance >= 0)
    if spectrum.error is not None:
        assert np.all(np.isfinite(spectrum.error))
        assert np.all(spectrum.error >= 0)
    assert not wavelength.flags.writeable
    assert not reflectance.flags.writeable


# --- text tables: layouts ------------------------------------------------------------
@pytest.mark.parametrize(
    ("separator", "name"),
    [
        (" ", "s.txt"),
        ("   ", "s.dat"),
        ("\t", "s.tsv"),
        (",", "s.csv"),
        (", ", "s.csv"),
        (";", "s.csv"),
        (" ; ", "s.txt"),
    ],
)
def test_text_separators(tmp_path: Path, separator: str, name: str) -> None:
    rows = [separator.join(map(str, row)) for row in zip(MICRON, REFLECTANCE, ERROR, strict=True)]
    spectrum = read_spectrum(write(tmp_path, name, "\n".join(rows) + "\n"))
    assert spectrum.wavelength.tolist() == MICRON
    assert spectrum.reflectance.tolist() == REFLECTANCE
    assert spectrum.error is not None
    assert spectrum.error.tolist() == ERROR
    assert spectrum.meta["source"] == name
    assert spectrum.meta["input_unit"] == "um"  # guessed from the values


def test_two_columns_have_no_error(tmp_path: Path) -> None:
    text = "".join(f"{w} {r}\n" for w, r in zip(MICRON, REFLECTANCE, strict=True))
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    assert spectrum.error is None
    assert spectrum.reflectance.tolist() == REFLECTANCE


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        ("wavelength,reflectance,error", (0, 1, 2)),
        ("Wavelength, Reflectance, Sigma", (0, 1, 2)),
        ("reflectance,wavelength,error", (1, 0, 2)),
        ("error,reflectance,wavelength", (2, 1, 0)),
        ("refl_err,flux,wave", (2, 1, 0)),
        ('"wavelength","reflectance","uncertainty"', (0, 1, 2)),
        ("w,r,e", (0, 1, 2)),
    ],
)
def test_header_names_columns_in_any_order(
    tmp_path: Path, header: str, columns: tuple[int, int, int]
) -> None:
    data = np.array([MICRON, REFLECTANCE, ERROR])
    table = np.empty((4, 3))
    for role, column in enumerate(columns):
        table[:, column] = data[role]
    text = header + "\n" + "".join(",".join(map(str, row)) + "\n" for row in table)
    spectrum = read_spectrum(write(tmp_path, "s.csv", text))
    assert spectrum.wavelength.tolist() == MICRON
    assert spectrum.reflectance.tolist() == REFLECTANCE
    assert spectrum.error is not None
    assert spectrum.error.tolist() == ERROR


def test_header_in_another_order_with_nm_and_extra_columns(tmp_path: Path) -> None:
    text = (
        "airmass,reflectance,wavelength_nm,error,phase\n"
        "1.2,0.9,450,0.01,7\n"
        "1.2,1.0,550,0.02,7\n"
        "1.3,1.1,650,0.03,7\n"
        "1.3,1.2,750,0.04,7\n"
    )
    spectrum = read_spectrum(write(tmp_path, "s.csv", text))
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    assert spectrum.reflectance.tolist() == REFLECTANCE
    assert spectrum.error is not None
    assert spectrum.error.tolist() == ERROR
    assert spectrum.meta["input_unit"] == "nm"


@pytest.mark.parametrize(
    ("header", "values", "unit"),
    [
        ("wavelength (nm),reflectance", [450.0, 550.0, 650.0, 750.0], "nm"),
        ("lambda_um reflectance", MICRON, "um"),
        ("wavelength (nm) reflectance", [450.0, 550.0, 650.0, 750.0], "nm"),
        ("Wavelength [Angstrom]\tReflectance", [4500.0, 5500.0, 6500.0, 7500.0], "angstrom"),
        ("wave ( nm )   refl", [450.0, 550.0, 650.0, 750.0], "nm"),
        ("WAVELENGTH_MICRONS;REFLECTANCE", MICRON, "microns"),
    ],
)
def test_unit_in_header(tmp_path: Path, header: str, values: list[float], unit: str) -> None:
    text = header + "\n" + "".join(f"{w} {r}\n" for w, r in zip(values, REFLECTANCE, strict=True))
    if ";" in header:
        text = text.replace(" ", ";")
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    assert spectrum.meta["input_unit"] == unit


def test_unit_in_a_whitespace_header_is_not_overridden_by_the_guess(tmp_path: Path) -> None:
    # 2500-2600 would be guessed as nm; the header says Å. (A whitespace-separated header
    # with "(unit)" used to be split into too many fields and silently ignored.)
    text = "wavelength (Å) reflectance\n2500 0.9\n2550 1.0\n2600 1.1\n"
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    np.testing.assert_allclose(spectrum.wavelength, [0.25, 0.255, 0.26], rtol=1e-12)


def test_whitespace_header_with_unit_assigns_columns_by_name(tmp_path: Path) -> None:
    # Regression: the header below used to be dropped (4 fields for 3 columns), so the
    # reflectance column was read as wavelengths without any error.
    text = "reflectance wavelength (nm) error\n0.9 450 0.01\n1.0 550 0.02\n1.1 650 0.03\n"
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    np.testing.assert_allclose(spectrum.wavelength, [0.45, 0.55, 0.65], rtol=1e-12)
    assert spectrum.reflectance.tolist() == [0.9, 1.0, 1.1]


def test_a_long_line_of_unclosed_brackets_is_rejected_quickly(tmp_path: Path) -> None:
    # Splitting "name (unit)" fields must stay linear in the line length.
    path = write(tmp_path, "s.txt", "0.45 0.9\n" + "a( " * 20_000 + "\n")
    start = time.perf_counter()
    with pytest.raises(ParseError, match=r"s\.txt, line 2: expected 2 numbers"):
        read_spectrum(path)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("values", "factor", "unit"),
    [
        (MICRON, 1.0, "um"),
        ([450.0, 550.0, 650.0, 750.0], 1e3, "nm"),
        ([4500.0, 5500.0, 6500.0, 7500.0], 1e4, "angstrom"),
    ],
)
def test_unit_guessed_from_values(
    tmp_path: Path, values: list[float], factor: float, unit: str
) -> None:
    text = "".join(f"{w}\t{r}\n" for w, r in zip(values, REFLECTANCE, strict=True))
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    np.testing.assert_allclose(spectrum.wavelength * factor, values, rtol=1e-12)
    assert spectrum.meta["input_unit"] == unit


def test_explicit_unit_overrides_the_header(tmp_path: Path) -> None:
    # The header says nm but the numbers are Å: the argument wins.
    text = "wavelength (nm),reflectance\n4500,0.9\n5500,1.0\n6500,1.1\n"
    spectrum = read_spectrum(write(tmp_path, "s.csv", text), unit="angstrom")
    np.testing.assert_allclose(spectrum.wavelength, [0.45, 0.55, 0.65], rtol=1e-12)
    assert spectrum.meta["input_unit"] == "angstrom"


def test_explicit_unit_overrides_the_guess(tmp_path: Path) -> None:
    # 2.5-2.7 would be guessed as µm; as nm they are far outside the valid range.
    path = write(tmp_path, "s.txt", "2.5 1\n2.6 1\n2.7 1\n")
    assert read_spectrum(path).wavelength.tolist() == [2.5, 2.6, 2.7]
    with pytest.raises(UnitError, match=r"s\.txt: Wavelengths 0\.0025-0\.0027 µm \(read as nm\)"):
        read_spectrum(path, unit="nm")


def test_decreasing_wavelengths_are_reversed(tmp_path: Path) -> None:
    text = (
        "wavelength_nm reflectance error\n750 1.2 0.04\n650 1.1 0.03\n550 1.0 0.02\n450 0.9 0.01\n"
    )
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    assert spectrum.reflectance.tolist() == REFLECTANCE
    assert spectrum.error is not None
    assert spectrum.error.tolist() == ERROR


def test_comment_lines_anywhere(tmp_path: Path) -> None:
    text = (
        "# asteroid 433 Eros\n"
        "% observed 2001\n"
        "! instrument: SpeX\n"
        "\n"
        "wavelength reflectance\n"
        "# the data\n"
        "0.45 0.9\n"
        "   % an indented comment\n"
        "0.55 1.0\n"
        "\n"
        "0.65 1.1\n"
        "! end of data\n"
    )
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    assert spectrum.wavelength.tolist() == [0.45, 0.55, 0.65]


def test_windows_line_endings_and_byte_order_mark(tmp_path: Path) -> None:
    # Without stripping the BOM the header would read "\ufeffwavelength" and not be found.
    text = "reflectance;wavelength\r\n0.9;0.45\r\n1.0;0.55\r\n1.1;0.65\r\n"
    spectrum = read_spectrum(write(tmp_path, "s.csv", b"\xef\xbb\xbf" + text.encode()))
    assert spectrum.wavelength.tolist() == [0.45, 0.55, 0.65]
    assert spectrum.reflectance.tolist() == [0.9, 1.0, 1.1]


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    text = "wavelength (Å)\treflectance\n4500\t0.9\n5500\t1.0\n6500\t1.1\n"
    spectrum = read_spectrum(write(tmp_path, "s.txt", text.encode("latin-1")))
    np.testing.assert_allclose(spectrum.wavelength, [0.45, 0.55, 0.65], rtol=1e-12)
    assert spectrum.meta["input_unit"] == "å"


def test_parse_text_accepts_str_and_bytes() -> None:
    text = "0.45 0.9\n0.55 1.0\n0.65 1.1\n"
    from_str = parse_text(text, meta={"object_id": "433"})
    from_bytes = parse_text(text.encode())
    assert from_str.wavelength.tolist() == from_bytes.wavelength.tolist() == [0.45, 0.55, 0.65]
    assert from_str.meta["object_id"] == "433"


# --- text tables: errors -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        (
            "wavelength reflectance\n0.45 0.9\n0.55 1.0\nend of data\n",
            4,
            r"expected 2 numbers like the rows above, got 'end of data'",
        ),
        ("0.45 0.9\n0.55 1.0 0.1\n0.65 1.1\n", 2, r"expected 2 columns .*got 3: '0\.55 1\.0 0\.1'"),
        ("0.45,0.9,0.01\n0.55,1.0\n", 2, r"expected 3 columns like the rows above, got 2"),
        ("# one column\n0.45\n0.55\n", 2, r"expected at least 2 columns .*got '0\.45'"),
        ("0.45 0.9\n0.55 x\n", 2, r"expected 2 numbers like the rows above, got '0\.55 x'"),
    ],
)
def test_malformed_rows_raise_parse_error_with_file_and_line(
    tmp_path: Path, text: str, line: int, match: str
) -> None:
    path = write(tmp_path, "bad.txt", text)
    with pytest.raises(ParseError, match=rf"bad\.txt, line {line}: {match}") as info:
        read_spectrum(path)
    assert info.value.line == line
    assert info.value.path == str(path)


def test_long_lines_are_shortened_in_messages(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", "0.45 0.9\n0.55 " + "x" * 200 + "\n")
    with pytest.raises(ParseError, match=r"got '0\.55 x{55}…'$"):
        read_spectrum(path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0.45 0.9 0.1 7\n0.55 1.0 0.1 7\n0.65 1.1 0.1 7\n", "found 4 columns and no header"),
        ("a b c d\n0.45 0.9 0.1 7\n0.55 1.0 0.1 7\n", "found 4 columns and no header"),
    ],
)
def test_more_than_three_columns_need_a_header(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ParseError, match=rf"wide\.txt: {match} naming them; expected 2"):
        read_spectrum(write(tmp_path, "wide.txt", text))


@pytest.mark.parametrize(
    "content",
    [b"", b"\n\n  \n", b"# only a comment\n", b"wavelength reflectance\n", b"a,b\nc,d\n"],
)
def test_no_numeric_rows_raise(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(
        ParseError, match=r"empty\.txt: expected rows of 2 or 3 numbers.*found none"
    ):
        read_spectrum(write(tmp_path, "empty.txt", content))


def test_binary_data_raises(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", b"0.45 0.9\n\x00\x01\x02\n0.55 1.0\n")
    with pytest.raises(ParseError, match=r"s\.txt: expected a text file; got binary data \(NUL"):
        read_spectrum(path)


def test_file_too_large_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 16)
    path = write(tmp_path, "big.txt", "0.45 0.9\n0.55 1.0\n0.65 1.1\n")
    with pytest.raises(ParseError, match=r"big\.txt: the file has 27 bytes, more than the 16"):
        read_spectrum(path)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"nothere\.txt: cannot read the file \(No such file"):
        read_spectrum(tmp_path / "nothere.txt")


def test_directory_raises(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ParseError, match=r"folder\.txt: cannot read the file"):
        read_spectrum(tmp_path / "folder.txt")


@pytest.mark.parametrize(
    ("text", "unit", "error", "match"),
    [
        (
            "0.45 0.9\n0.55 nan\n0.65 1.1\n",
            None,
            SpectrumError,
            r"reflectance has 1 NaN .*0\.55 µm",
        ),
        ("0.45 0.9\n0.55 -1\n0.65 1.1\n", None, SpectrumError, "reflectance has 1 negative"),
        ("0.45 0.9 0.1\n0.55 1 -0.1\n0.65 1.1 0.1\n", None, SpectrumError, "error has 1 negative"),
        ("0.45 0.9\n0.55 1.0\n", None, SpectrumError, "at least 3 samples; got 2"),
        ("0.45 0.9\n0.65 1.0\n0.55 1.1\n", None, SpectrumError, "decreasing at index 2"),
        ("0.45 0.9\n0.45 1.0\n0.55 1.1\n", None, SpectrumError, "repeated at index 1"),
        ("450 0.9\n550 1.0\n650 1.1\n", "um", UnitError, r"read as um.*give unit='nm'"),
        ("10 0.9\n20 1.0\n30 1.1\n", None, UnitError, "Cannot guess the wavelength unit"),
        ("0.45 0.9\n0.55 1.0\n0.65 1.1\n", "furlong", UnitError, "Unknown wavelength unit"),
    ],
)
def test_invalid_values_raise_with_the_file_name(
    tmp_path: Path, text: str, unit: str | None, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=rf"^{re.escape(str(tmp_path / 's.txt'))}: .*{match}"):
        read_spectrum(write(tmp_path, "s.txt", text), unit=unit)


def test_wrong_unit_in_header_raises_unit_error(tmp_path: Path) -> None:
    text = "wavelength (um),reflectance\n450,0.9\n550,1.0\n650,1.1\n"
    with pytest.raises(
        UnitError, match=r"s\.csv: Wavelengths 450-650 µm \(read as um\).*give unit='nm'"
    ):
        read_spectrum(write(tmp_path, "s.csv", text))


# --- astropy tables ------------------------------------------------------------------
def test_ecsv_with_nm_unit_is_converted_to_micron(tmp_path: Path) -> None:
    table = QTable()
    table["wavelength"] = [450.0, 550.0, 650.0, 750.0] * u.nm
    table["reflectance"] = REFLECTANCE
    table["error"] = ERROR
    path = tmp_path / "s.ecsv"
    table.write(path)
    spectrum = read_spectrum(path)
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    assert spectrum.reflectance.tolist() == REFLECTANCE
    assert spectrum.error is not None
    assert spectrum.error.tolist() == ERROR
    assert spectrum.meta["source"] == "s.ecsv"
    assert spectrum.meta["input_unit"] == "um"


def test_ecsv_with_frequency_unit_uses_the_spectral_equivalency(tmp_path: Path) -> None:
    # c / 500 THz = 0.5996 µm; increasing frequency is decreasing wavelength, reversed.
    table = Table({"wave": [400.0, 500.0, 600.0] * u.THz, "flux": [1.1, 1.0, 0.9]})
    table.write(tmp_path / "s.ecsv")
    spectrum = read_spectrum(tmp_path / "s.ecsv")
    c = 299_792_458.0
    np.testing.assert_allclose(spectrum.wavelength, [c / 600e6, c / 500e6, c / 400e6], rtol=1e-12)
    assert spectrum.reflectance.tolist() == [0.9, 1.0, 1.1]


def test_ecsv_without_units_uses_the_column_name(tmp_path: Path) -> None:
    table = Table({"flux": REFLECTANCE, "lambda_nm": [450.0, 550.0, 650.0, 750.0]})
    table.write(tmp_path / "s.ecsv")
    spectrum = read_spectrum(tmp_path / "s.ecsv")
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    assert spectrum.meta["input_unit"] == "nm"


def test_ecsv_with_unnamed_columns_uses_positions(tmp_path: Path) -> None:
    Table([MICRON, REFLECTANCE, ERROR], names=["a", "b", "c"]).write(tmp_path / "s.ecsv")
    spectrum = read_spectrum(tmp_path / "s.ecsv")
    assert spectrum.wavelength.tolist() == MICRON
    assert spectrum.error is not None
    assert spectrum.error.tolist() == ERROR


def test_explicit_unit_overrides_the_column_unit(tmp_path: Path) -> None:
    table = QTable({"wavelength": [4500.0, 5500.0, 6500.0] * u.nm, "reflectance": [1.0] * 3})
    table.write(tmp_path / "s.ecsv")
    spectrum = read_spectrum(tmp_path / "s.ecsv", unit="angstrom")
    np.testing.assert_allclose(spectrum.wavelength, [0.45, 0.55, 0.65], rtol=1e-12)


def test_ecsv_missing_value_is_an_error_not_zero(tmp_path: Path) -> None:
    # Regression: masked (missing) values used to be read as 0.
    table = Table()
    table["wavelength"] = MICRON
    table["reflectance"] = MaskedColumn(REFLECTANCE, mask=[False, True, False, False])
    table.write(tmp_path / "s.ecsv")
    with pytest.raises(SpectrumError, match=r"reflectance has 1 NaN or infinite values at 0\.55"):
        read_spectrum(tmp_path / "s.ecsv")


@pytest.mark.parametrize(
    ("table", "error", "match"),
    [
        (
            Table({"wavelength": [0.45, 0.55, 0.65] * u.Jy, "reflectance": [1.0] * 3}),
            UnitError,
            r"s\.ecsv: cannot convert the wavelength unit Jy to µm \(.*'Jy' .* and 'um' .* are "
            r"not convertible",
        ),
        (
            Table({"wavelength": ["0.45", "0.55", "x"], "reflectance": [1.0] * 3}),
            ParseError,
            r"s\.ecsv: expected numeric columns \(could not convert string to float",
        ),
        (
            Table([[1.0] * 3] * 4, names=["a", "b", "c", "d"]),
            ParseError,
            r"cannot tell which of the columns \['a', 'b', 'c', 'd'\] are wavelength",
        ),
        (
            Table({"wavelength": [0.45, 0.55, 0.65], "reflectance": [1.0, -1.0, 1.0]}),
            SpectrumError,
            r"s\.ecsv: reflectance has 1 negative values at 0\.55 µm",
        ),
        (
            Table({"wavelength": [0.45, 0.55, 0.65] * u.m, "reflectance": [1.0] * 3}),
            UnitError,
            r"s\.ecsv: Wavelengths 450000-650000 µm",
        ),
    ],
)
def test_bad_ecsv_tables_raise(
    tmp_path: Path, table: Table, error: type[Exception], match: str
) -> None:
    table.write(tmp_path / "s.ecsv")
    with pytest.raises(error, match=match):
        read_spectrum(tmp_path / "s.ecsv")


def test_unreadable_ecsv_raises_parse_error(tmp_path: Path) -> None:
    path = write(tmp_path, "s.ecsv", "# %ECSV 1.0\n# ---\n# datatype: [oops\n")
    with pytest.raises(ParseError, match=r"s\.ecsv: cannot read it as ascii\.ecsv \("):
        read_spectrum(path)


def test_fits_table_with_angstrom_unit(tmp_path: Path) -> None:
    table = Table()
    table["WAVELENGTH"] = [7500.0, 6500.0, 5500.0, 4500.0] * u.AA
    table["REFLECTANCE"] = REFLECTANCE[::-1]
    table["ERR"] = ERROR[::-1]
    table.write(tmp_path / "s.fits")
    spectrum = read_spectrum(tmp_path / "s.fits")
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    np.testing.assert_allclose(spectrum.reflectance, REFLECTANCE, rtol=1e-7)  # float32 safe
    assert spectrum.error is not None
    np.testing.assert_allclose(spectrum.error, ERROR, rtol=1e-12)
    assert spectrum.meta["source"] == "s.fits"


def test_votable(tmp_path: Path) -> None:
    table = Table({"wavelength": [0.45, 0.55, 0.65] * u.um, "reflectance": [0.9, 1.0, 1.1]})
    table.write(tmp_path / "s.vot", format="votable")
    spectrum = read_spectrum(tmp_path / "s.vot")
    np.testing.assert_allclose(spectrum.wavelength, [0.45, 0.55, 0.65], rtol=1e-12)


def test_format_argument_overrides_the_suffix(tmp_path: Path) -> None:
    Table({"wavelength": MICRON, "reflectance": REFLECTANCE}).write(
        tmp_path / "s.dat", format="ascii.ecsv"
    )
    spectrum = read_spectrum(tmp_path / "s.dat", format="ascii.ecsv")
    assert spectrum.wavelength.tolist() == MICRON
    with pytest.raises(ParseError, match=r"s\.dat: cannot read it as fits"):
        read_spectrum(tmp_path / "s.dat", format="fits")


def test_spectrum_from_table_in_memory() -> None:
    table = QTable({"wavelength": [0.45, 0.55, 0.65] * u.um, "reflectance": [0.9, 1.0, 1.1]})
    spectrum = spectrum_from_table(table, meta={"object_id": "4"})
    assert spectrum.wavelength.tolist() == [0.45, 0.55, 0.65]
    assert spectrum.meta["object_id"] == "4"
    with pytest.raises(ParseError, match=r"<table>: expected at least 2 columns .*got 1"):
        spectrum_from_table(Table({"wavelength": [0.45, 0.55, 0.65]}))


# --- property-based ------------------------------------------------------------------
@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def read_or_project_error(path: Path, **kwargs: str) -> Spectrum | None:
    """Read `path`; a project error is fine, any other exception fails the test."""
    try:
        spectrum = read_spectrum(path, **kwargs)
    except AsteroidSpectraError as error:
        event(f"raised {type(error).__name__}")
        return None
    event("read a spectrum")
    assert_valid(spectrum)
    return spectrum


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(
    content=st.binary(max_size=400),
    suffix=st.sampled_from([".txt", ".csv", ".ecsv", ".fits"]),
    prefix=st.sampled_from([b"", b"# %ECSV 1.0\n# ---\n", b"0.45 0.9\n0.55 1.0\n"]),
)
def test_random_bytes_give_a_spectrum_or_a_project_error(
    scratch: Path, content: bytes, suffix: str, prefix: bytes
) -> None:
    read_or_project_error(write(scratch, "random" + suffix, prefix + content))


NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=0.1, max_value=6.0).map(lambda x: f"{x:.4f}"),
    st.floats(min_value=-2.0, max_value=3.0).map(lambda x: f"{x:.3f}"),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "-0", "1_0", "0x10", "1,5", "", "--", "NaN"]),
)
CELLS = st.one_of(NUMBERS, NUMBERS, st.text(max_size=8))
PLAUSIBLE = st.one_of(st.floats(min_value=0.0, max_value=2.0).map(lambda x: f"{x:.4f}"), NUMBERS)
HEADER_WORDS = "wavelength reflectance error lambda_um flux sigma foo R w err wave[ (um)"
NAMES = st.sampled_from([*HEADER_WORDS.split(), "wavelength (nm)", "Wavelength [Å]", "refl (norm)"])


@st.composite
def malformed_tables(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from([" ", "  ", "\t", ",", ";", " , ", "; "]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    width = draw(st.integers(min_value=1, max_value=5))
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["#", "%", "!"])) + draw(st.text(max_size=10)))
    if draw(st.booleans()):
        lines.append(delimiter.join(draw(st.lists(NAMES, min_size=1, max_size=5))))
    # Plausible rows (increasing wavelengths, mostly sensible values), then random ones.
    count = draw(st.integers(min_value=0, max_value=8))
    start = draw(st.floats(min_value=0.05, max_value=3000.0))
    for i in range(count):
        cells = [f"{start * (1 + 0.01 * i):.6g}"]
        cells += draw(st.lists(PLAUSIBLE, min_size=width - 1, max_size=width - 1))
        lines.append(delimiter.join(cells))
    rows = draw(
        st.lists(st.lists(CELLS, max_size=width + 1), max_size=draw(st.sampled_from([0, 3])))
    )
    lines += [delimiter.join(row) for row in rows]
    return newline.join(lines) + draw(st.sampled_from(["", newline]))


@FUZZ
@given(text=malformed_tables(), suffix=st.sampled_from([".txt", ".csv", ".dat"]))
def test_malformed_tables_give_a_spectrum_or_a_project_error(
    scratch: Path, text: str, suffix: str
) -> None:
    read_or_project_error(write(scratch, "table" + suffix, text))


@st.composite
def valid_spectra(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    size = draw(st.integers(min_value=3, max_value=60))
    start = draw(st.floats(min_value=0.1, max_value=3.0))
    steps = draw(st.lists(st.floats(1e-3, 0.05), min_size=size - 1, max_size=size - 1))
    wavelength = start + np.concatenate([[0.0], np.cumsum(steps)])
    reflectance = np.array(draw(st.lists(st.floats(0.0, 10.0), min_size=size, max_size=size)))
    error = None
    if draw(st.booleans()):
        error = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=size, max_size=size)))
    return wavelength, reflectance, error


@FUZZ
@given(
    spectrum=valid_spectra(),
    unit=st.sampled_from(["um", "nm", "angstrom"]),
    how=st.sampled_from(["header", "argument"]),
    delimiter=st.sampled_from([" ", "\t", ",", ";"]),
    reverse=st.booleans(),
)
def test_valid_spectra_round_trip_through_text(
    scratch: Path,
    spectrum: tuple[np.ndarray, np.ndarray, np.ndarray | None],
    unit: str,
    how: str,
    delimiter: str,
    reverse: bool,
) -> None:
    wavelength, reflectance, error = spectrum
    factor = {"um": 1.0, "nm": 1e3, "angstrom": 1e4}[unit]
    columns = [wavelength * factor, reflectance] + ([] if error is None else [error])
    names = [f"wavelength ({unit})", "reflectance", "error"][: len(columns)]
    rows = np.column_stack(columns)[:: -1 if reverse else 1]
    lines = [delimiter.join(names)] if how == "header" else []
    lines += [delimiter.join(f"{value:.12g}" for value in row) for row in rows]
    path = write(scratch, "valid.txt", "\n".join(lines) + "\n")
    result = read_spectrum(path, unit=unit if how == "argument" else None)
    assert_valid(result)
    np.testing.assert_allclose(result.wavelength, wavelength, rtol=1e-10)
    np.testing.assert_allclose(result.reflectance, reflectance, rtol=1e-10, atol=1e-300)
    if error is None:
        assert result.error is None
    else:
        assert result.error is not None
        np.testing.assert_allclose(result.error, error, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("wavelength,reflectance,error\n0.45,0.9\n0.55,1.0\n0.65,1.1\n", r"3 columns \(wavel"),
        ("w r\n0.45 0.9 0.1 7\n0.55 1.0 0.1 7\n0.65 1.1 0.1 7\n", r"2 columns \(w, r\)"),
    ],
)
def test_header_naming_other_columns_than_the_rows_have(
    tmp_path: Path, text: str, names: str
) -> None:
    with pytest.raises(ParseError, match=rf"s\.csv: the header names {names}.* but the rows"):
        read_spectrum(write(tmp_path, "s.csv", text))


def test_title_line_that_names_no_column_is_ignored(tmp_path: Path) -> None:
    text = "Spectrum of 1 Ceres observed 2001\n0.45 0.9\n0.55 1.0\n0.65 1.1\n"
    spectrum = read_spectrum(write(tmp_path, "s.txt", text))
    assert spectrum.reflectance.tolist() == [0.9, 1.0, 1.1]
