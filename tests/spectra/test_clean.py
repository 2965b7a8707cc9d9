"""clean_arrays and the readers' clean=True: junk rows dropped, merged, reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from asteroid_spectra.exceptions import SpectrumError, SpectrumWarning
from asteroid_spectra.spectra.clean import clean_arrays
from asteroid_spectra.spectra.io import parse_text, read_spectrum

NAN = float("nan")


@pytest.mark.parametrize(
    ("wavelength", "reflectance", "kept", "note"),
    [
        ([0.5, 0.0, 0.6], [1.0, 1.0, 1.1], [0.5, 0.6], "dropped 1 row with a zero, negative"),
        ([0.5, -1.0, 0.6], [1.0, 1.0, 1.1], [0.5, 0.6], "non-finite wavelength"),
        ([0.5, NAN, 0.6], [1.0, 1.0, 1.1], [0.5, 0.6], "non-finite wavelength"),
        ([0.5, 0.55, 0.6], [1.0, NAN, 1.1], [0.5, 0.6], "dropped 1 row with a NaN or infinite"),
        ([0.5, 0.55, 0.6], [1.0, -0.2, 1.1], [0.5, 0.6], "a zero or negative reflectance"),
        ([0.5, 0.55, 0.6], [0.0, 1.0, 1.1], [0.55, 0.6], "a zero or negative reflectance"),
        ([0.5, 0.55, 0.6], [1.0, -1.0, 1.1], [0.5, 0.6], "1 row with a fill value for a missing"),
        ([0.5, 0.55, 0.6], [-999.0, 1.0, 1.1], [0.55, 0.6], "with a fill value"),
        ([0.6, 0.5, 0.55], [1.1, 1.0, 1.05], [0.5, 0.55, 0.6], "sorted the rows"),
    ],
)
def test_junk_rows_are_dropped_with_a_note(
    wavelength: list[float], reflectance: list[float], kept: list[float], note: str
) -> None:
    out = clean_arrays(wavelength, reflectance)
    assert out.wavelength.tolist() == kept
    assert len(out.notes) == 1
    assert note in out.notes[0]


def test_clean_input_is_returned_unchanged_without_notes() -> None:
    out = clean_arrays([0.5, 0.6, 0.7], [1.0, 1.1, 1.2], [0.01, 0.01, 0.02])
    assert out.notes == ()
    assert out.reflectance.tolist() == [1.0, 1.1, 1.2]
    assert out.error is not None
    assert out.error.tolist() == [0.01, 0.01, 0.02]


def test_descending_input_is_sorted_silently() -> None:
    out = clean_arrays([0.7, 0.6, 0.5], [1.2, 1.1, 1.0])
    assert out.wavelength.tolist() == [0.5, 0.6, 0.7]
    assert out.notes == ()


def test_repeated_wavelengths_are_merged_into_the_mean_and_errors_combined() -> None:
    out = clean_arrays(
        [0.5, 0.6, 0.6, 0.6, 0.7], [1.0, 1.0, 1.3, 1.6, 1.2], [0.1, 0.3, 0.4, 0.0, 0.1]
    )
    assert out.wavelength.tolist() == [0.5, 0.6, 0.7]
    assert out.reflectance[1] == pytest.approx(1.3)
    assert out.error is not None
    assert out.error[1] == pytest.approx(0.5 / 3)  # sqrt(0.09 + 0.16 + 0) / 3
    assert out.notes == ("merged 3 rows sharing 1 wavelength into their mean",)


def test_bad_errors_drop_their_rows() -> None:
    out = clean_arrays([0.5, 0.55, 0.6], [1.0, 1.0, 1.1], [0.01, -0.1, NAN])
    assert out.wavelength.tolist() == [0.5]
    assert out.notes == ("dropped 2 rows with a negative or non-finite error",)


def test_each_row_is_counted_once() -> None:
    out = clean_arrays([0.0, 0.5, 0.6, 0.7], [NAN, 1.0, 1.1, 1.2])
    assert out.notes == ("dropped 1 row with a zero, negative or non-finite wavelength",)


def test_parse_text_clean_warns_and_records_the_repairs() -> None:
    text = "# wavelength (nm), reflectance\n0,1\n450,0.95\n550,1.0\n650,nan\n750,1.1\n750,1.2\n"
    with pytest.warns(SpectrumWarning) as caught:
        spectrum = parse_text(text, where="junk.txt", clean=True)
    assert [str(w.message) for w in caught] == [
        "junk.txt: dropped 1 row with a zero, negative or non-finite wavelength",
        "junk.txt: dropped 1 row with a NaN or infinite reflectance",
        "junk.txt: merged 2 rows sharing 1 wavelength into their mean",
    ]
    assert spectrum.wavelength.tolist() == [0.45, 0.55, 0.75]
    assert spectrum.reflectance[-1] == pytest.approx(1.15)
    assert len(spectrum.meta["repairs"]) == 3


def test_without_clean_the_reader_still_refuses_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_text("450 0.95\n550 1.0\n650 nan\n750 1.1\n")
    with pytest.raises(SpectrumError, match="reflectance has 1 NaN"):
        read_spectrum(path)
    with pytest.warns(SpectrumWarning, match="NaN or infinite reflectance"):
        assert len(read_spectrum(path, clean=True)) == 3


def test_too_few_rows_left_is_a_clear_error() -> None:
    with pytest.raises(SpectrumError, match="Too few points"), pytest.warns(SpectrumWarning):
        parse_text("0.45 1\n0.55 nan\n0.65 nan\n", clean=True)


def test_clean_does_not_modify_its_input() -> None:
    wavelength = np.array([0.6, 0.5, 0.0])
    reflectance = np.array([1.1, 1.0, 1.0])
    clean_arrays(wavelength, reflectance)
    assert wavelength.tolist() == [0.6, 0.5, 0.0]


@pytest.mark.parametrize("which", ["reflectance", "error"])
def test_arrays_of_different_lengths_are_refused(which: str) -> None:
    arrays = {"reflectance": [1.0, 1.1, 1.2], "error": [0.1, 0.1, 0.1]}
    arrays[which] = arrays[which][:2]
    with pytest.raises(
        SpectrumError, match=rf"{which} must have one value per wavelength \(3\); got 2"
    ):
        clean_arrays([0.5, 0.6, 0.7], **arrays)
