"""An instrument correction: learnt as a median ratio, applied, saved and read back.

The spectra are the Bus-like prototypes of ``tests/conftest.py`` (Bus & Binzel 2002) with
jittered slopes and 0.3 % noise; the instrument's bias is the kind Gaia DR3 shows against
SMASSII (about +8 % at 0.90 µm, rising from 0.75 µm; Gaia Collaboration, Galluccio et al.
2023), made linear here so its exact value is known at every wavelength.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.exceptions import DataError, ParameterError, ParseError
from asteroid_spectra.spectra.correction import FORMAT, InstrumentCorrection, fit_correction
from asteroid_spectra.spectra.spectrum import Spectrum

from ..conftest import GRID, prototype

CLASSES = ("C", "S", "Sq", "X", "V")


def red_bias(wavelength: np.ndarray) -> np.ndarray:
    """+8 % at 0.90 µm, rising linearly from 1 at 0.75 µm (and beyond 0.90 µm)."""
    return 1 + 0.08 * np.clip((wavelength - 0.75) / 0.15, 0, None)


def pairs(rng: np.random.Generator, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """`n` reference spectra and the instrument's spectra of them: biased, scaled, noisy."""
    references = []
    for index in range(n):
        tilt = 1 + rng.normal(0, 0.1) * (GRID - 0.55)
        references.append(prototype(CLASSES[index % len(CLASSES)]) * tilt)
    truth = np.array(references)
    noisy_reference = truth * (1 + rng.normal(0, 0.003, truth.shape))
    own = truth * red_bias(GRID) * rng.uniform(0.1, 0.3, (n, 1))
    own = own * (1 + rng.normal(0, 0.003, truth.shape))
    return own, noisy_reference


@pytest.fixture
def correction(rng: np.random.Generator) -> InstrumentCorrection:
    own, references = pairs(rng)
    return fit_correction(own, references, GRID)


def test_fit_recovers_a_known_red_bias(correction: InstrumentCorrection) -> None:
    np.testing.assert_allclose(correction.factor, red_bias(GRID), rtol=0.005)
    assert abs(float(correction.factor_at(0.90)) - 1.08) < 0.005
    assert float(correction.factor_at(0.55)) == pytest.approx(1.0, abs=1e-12)
    assert correction.n_spectra == 20
    assert correction.provenance["min_pairs_per_wavelength"] == 20


def test_fit_ignores_nan_and_an_odd_pair(rng: np.random.Generator) -> None:
    own, references = pairs(rng, n=9)
    own[0, 40:] = np.nan  # a spectrum cut short
    own[1] *= 1 + 0.5 * (GRID - 0.55)  # a misidentified asteroid
    fitted = fit_correction(own, references, GRID)
    np.testing.assert_allclose(fitted.factor, red_bias(GRID), rtol=0.01)
    assert fitted.n_spectra == 9
    assert fitted.provenance["min_pairs_per_wavelength"] == 8


@pytest.mark.parametrize(
    ("n", "nan_from", "match"),
    [
        (2, None, r"at least 3 spectrum/reference pairs at every wavelength; got 2 \(of 2 given\)"),
        (4, 47, r"got 2 at 0\.91, 0\.92 µm\. Observe more asteroids of known class"),
    ],
)
def test_fit_refuses_too_few_pairs(
    rng: np.random.Generator, n: int, nan_from: int | None, match: str
) -> None:
    own, references = pairs(rng, n=n)
    if nan_from is not None:
        references[:2, nan_from:] = np.nan
    with pytest.raises(DataError, match=match):
        fit_correction(own, references, GRID)


@pytest.mark.parametrize(
    ("wavelength", "shape", "match"),
    [
        (GRID, (3, 10), r"of shape \(n, m\) on a 'wavelength' of shape \(m,\)"),
        (GRID[::-1], (3, 49), r"must increase strictly and cover 0\.55 µm"),
        (GRID[20:], (3, 29), r"must increase strictly and cover 0\.55 µm"),
    ],
)
def test_fit_refuses_bad_arrays(wavelength: np.ndarray, shape: tuple[int, int], match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        fit_correction(np.ones(shape), np.ones(shape), wavelength)


def test_apply_undoes_the_bias_and_leaves_the_input_alone(
    correction: InstrumentCorrection, rng: np.random.Generator
) -> None:
    wavelength = np.linspace(0.45, 0.92, 300)
    true = prototype("S", wavelength)
    error = np.full(wavelength.size, 0.01)
    biased = Spectrum(wavelength, true * red_bias(wavelength), error, meta={"repairs": ["x"]})
    before = biased.reflectance.copy()
    corrected = correction.apply(biased)
    np.testing.assert_allclose(corrected.reflectance, true, rtol=0.005)
    np.testing.assert_allclose(corrected.error, error / red_bias(wavelength), rtol=0.005)
    np.testing.assert_array_equal(biased.reflectance, before)
    assert list(biased.meta["repairs"]) == ["x"]
    assert "instrument_correction" not in biased.meta
    assert list(corrected.meta["repairs"]) == [
        "x",
        "corrected with an instrument correction (instrument correction, 0.44-0.92 µm)",
    ]


def test_apply_leaves_the_parts_outside_its_span(correction: InstrumentCorrection) -> None:
    wavelength = np.linspace(0.40, 1.00, 121)
    spectrum = Spectrum(wavelength, prototype("S", wavelength))
    corrected = correction.apply(spectrum)
    outside = (wavelength < 0.44 - 1e-9) | (wavelength > 0.92 + 1e-9)
    np.testing.assert_array_equal(corrected.reflectance[outside], spectrum.reflectance[outside])
    assert not np.allclose(corrected.reflectance[~outside], spectrum.reflectance[~outside])
    assert corrected.meta["repairs"][-1] == (
        "an instrument correction covers 0.44-0.92 µm only: 0.40-0.44 µm and 0.92-1.00 µm "
        "left uncorrected"
    )


def test_apply_to_a_spectrum_wholly_outside_changes_nothing(
    correction: InstrumentCorrection,
) -> None:
    wavelength = np.linspace(1.0, 2.4, 50)
    spectrum = Spectrum(wavelength, np.ones(50))
    corrected = correction.apply(spectrum)
    np.testing.assert_array_equal(corrected.reflectance, spectrum.reflectance)
    assert list(corrected.meta["repairs"]) == [
        "an instrument correction covers 0.44-0.92 µm only: the whole spectrum left uncorrected"
    ]


def test_json_round_trip(correction: InstrumentCorrection, tmp_path: Path) -> None:
    path = correction.to_json(tmp_path / "sub" / "correction.json")
    assert sorted(p.name for p in path.parent.iterdir()) == ["correction.json"]  # no temporary
    read = InstrumentCorrection.from_json(path)
    np.testing.assert_array_equal(read.wavelength, correction.wavelength)
    np.testing.assert_array_equal(read.factor, correction.factor)
    assert read.n_spectra == correction.n_spectra
    assert dict(read.provenance) == dict(correction.provenance)
    assert read.source == "correction.json"
    assert "corrected with correction.json" in read.apply(Spectrum(GRID, GRID)).meta["repairs"][0]
    read.to_json(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()  # reproducible


def _written(correction: InstrumentCorrection) -> dict[str, Any]:
    return json.loads(json.dumps(correction.to_dict()))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: "[1, 2", r"could not parse it"),
        (lambda d: [1, 2], r"expected a JSON object with the keys format, .*; got a list"),
        (lambda d: {k: v for k, v in d.items() if k != "factor"}, r"; missing factor\."),
        (lambda d: d | {"extra": 1}, r"; unexpected extra\."),
        (lambda d: d | {"format": "other 2"}, r"expected format .* got 'other 2'"),
        (lambda d: d | {"normalisation_um": 1.2}, r"normalised at 0\.55 µm; got .* at 1\.2"),
        (lambda d: d | {"factor": ["a"] * 49}, r"expected 'factor' to be a list of numbers"),
        (lambda d: d | {"provenance": []}, r"expected 'provenance' to be a JSON object"),
        (
            lambda d: d | {"wavelength_um": d["wavelength_um"][::-1]},
            r"must be finite and strictly increasing",
        ),
        (lambda d: d | {"factor": [0.0, *d["factor"][1:]]}, r"must be finite and positive"),
        (lambda d: d | {"factor": [2.0] * 49}, r"must be 1 at 0\.55 µm .* Got 2\.0000"),
        (lambda d: d | {"factor": [1.0] * 48}, r"of one shape \(m,\), m >= 2"),
        (lambda d: d | {"n_spectra": 2}, r"'n_spectra' .* must be at least 3\. Got 2"),
        (lambda d: d | {"n_spectra": "20"}, r"'n_spectra' .* must be an integer"),
    ],
    ids=[
        "not-json",
        "not-object",
        "missing-key",
        "extra-key",
        "format",
        "normalisation",
        "strings",
        "provenance",
        "decreasing",
        "zero-factor",
        "not-unity",
        "shapes",
        "few-spectra",
        "n-not-int",
    ],
)
def test_from_json_names_the_file_and_the_problem(
    correction: InstrumentCorrection, tmp_path: Path, change: Any, match: str
) -> None:
    path = tmp_path / "bad.json"
    values = change(_written(correction))
    path.write_text(values if isinstance(values, str) else json.dumps(values))
    with pytest.raises(ParseError, match=match) as caught:
        InstrumentCorrection.from_json(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_from_json_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(
        DataError, match=r"missing\.json does not exist .*`asteroid-spectra calibrate -o FILE`"
    ):
        InstrumentCorrection.from_json(tmp_path / "missing.json")


def test_infinite_factor_is_refused_on_construction() -> None:
    with pytest.raises(ParameterError, match=r"must be finite and positive\. Got \[inf\]"):
        InstrumentCorrection([0.45, 0.55, 0.90], [1.0, 1.0, np.inf], 5)


def test_the_correction_is_immutable(correction: InstrumentCorrection) -> None:
    with pytest.raises(ValueError, match="read-only"):
        correction.factor[0] = 2.0
    with pytest.raises(TypeError):
        correction.provenance["method"] = "x"  # type: ignore[index]


def test_format_is_recorded(correction: InstrumentCorrection) -> None:
    assert correction.to_dict()["format"] == FORMAT
