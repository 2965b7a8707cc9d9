from __future__ import annotations

import sys
from typing import Any

import astropy.units as u
import numpy as np
import pytest
from astropy.nddata import (
    InverseVariance,
    StdDevUncertainty,
    UnknownUncertainty,
    VarianceUncertainty,
)
from astropy.table import QTable

import asteroid_spectra.spectra
from asteroid_spectra.exceptions import (
    MissingDependencyError,
    ParseError,
    SpectrumError,
    UnitError,
)
from asteroid_spectra.spectra.spectrum import Spectrum

specutils = pytest.importorskip("specutils", minversion="2.0")

MICRON = np.array([0.45, 0.55, 0.65, 0.75])
REFLECTANCE = np.array([0.9, 1.0, 1.1, 1.2])
ERROR = np.array([0.01, 0.02, 0.03, 0.04])
FLAG = np.array([0, 0, 0, 0], dtype=np.int8)
META = {"object_id": "4", "source": "test", "input_unit": "nm"}


def make(*, error: bool, flag: bool, flags: list[int] | None = None) -> Spectrum:
    return Spectrum(
        MICRON,
        REFLECTANCE,
        ERROR if error else None,
        (FLAG if flags is None else flags) if flag else None,
        META,
    )


def assert_same(got: Spectrum, expected: Spectrum) -> None:
    """Exact equality of every field, dtypes included."""
    np.testing.assert_array_equal(got.wavelength, expected.wavelength)
    np.testing.assert_array_equal(got.reflectance, expected.reflectance)
    for name in ("error", "flag"):
        a, b = getattr(got, name), getattr(expected, name)
        assert (a is None) == (b is None), name
        if a is not None:
            np.testing.assert_array_equal(a, b)
            assert a.dtype == b.dtype
    assert dict(got.meta) == dict(expected.meta)


def specutils_spectrum(flux: object, axis: object, **kwargs: object) -> Any:
    return specutils.Spectrum(flux=flux, spectral_axis=axis, **kwargs)


# --- QTable ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "flag"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_qtable_round_trip_is_exact(error: bool, flag: bool) -> None:
    spectrum = make(error=error, flag=flag, flags=[0, 3, 0, 1])
    table = spectrum.to_qtable()
    expected = ["wavelength", "reflectance"] + ["error"] * error + ["flag"] * flag
    assert table.colnames == expected
    assert table["wavelength"].unit == u.um
    assert table["reflectance"].unit == u.dimensionless_unscaled
    if flag:
        assert table["flag"].dtype == np.int8
    assert dict(table.meta) == META
    assert_same(Spectrum.from_qtable(table), spectrum)


def test_to_qtable_copies_and_does_not_share_memory() -> None:
    spectrum = make(error=True, flag=True)
    table = spectrum.to_qtable()
    table["reflectance"][0] = 99 * u.one
    table.meta["object_id"] = "changed"
    assert spectrum.reflectance[0] == 0.9
    assert spectrum.meta["object_id"] == "4"


def test_from_qtable_converts_nm_and_reverses_flag_with_descending_rows() -> None:
    table = QTable(
        {
            "wavelength": MICRON[::-1] * 1000 * u.nm,
            "reflectance": REFLECTANCE[::-1] * u.one,
            "flag": np.array([1, 0, 0, 2], dtype=np.int8),
        }
    )
    spectrum = Spectrum.from_qtable(table)
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-15)
    np.testing.assert_array_equal(spectrum.reflectance, REFLECTANCE)
    assert spectrum.flag is not None
    assert spectrum.flag.tolist() == [2, 0, 0, 1]


def test_from_qtable_reverses_flag_for_frequency_axis() -> None:
    # Ascending frequency is descending wavelength: the rows are reversed.
    frequency = (MICRON[::-1] * u.um).to(u.THz, equivalencies=u.spectral())
    table = QTable(
        {
            "wavelength": frequency,
            "reflectance": REFLECTANCE[::-1] * u.one,
            "flag": np.array([1, 0, 0, 0], dtype=np.int8),
        }
    )
    spectrum = Spectrum.from_qtable(table)
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    assert spectrum.flag is not None
    assert spectrum.flag.tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize(
    ("table", "error", "match"),
    [
        pytest.param(
            QTable({"wavelength": MICRON * u.um}),
            ParseError,
            r"^<table>: expected at least 2 columns",
            id="one-column",
        ),
        pytest.param(
            QTable({"wavelength": MICRON * u.um, "reflectance": -REFLECTANCE * u.one}),
            SpectrumError,
            r"^<table>: reflectance has 4 negative values",
            id="negative",
        ),
        pytest.param(
            QTable(
                {
                    "wavelength": [] * u.um,
                    "reflectance": [] * u.one,
                    "flag": np.array([], dtype=np.int8),
                }
            ),
            SpectrumError,
            r"^<table>: Too few points: a spectrum needs at least 3 samples; got 0\.$",
            id="empty-with-flag",
        ),
        pytest.param(
            QTable({"wavelength": MICRON * u.pix, "reflectance": REFLECTANCE * u.one}),
            UnitError,
            r"^<table>: cannot convert the wavelength unit pix to µm",
            id="pixels",
        ),
    ],
)
def test_from_qtable_errors_name_the_table(
    table: QTable, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        Spectrum.from_qtable(table)


@pytest.mark.parametrize("name", ["from_qtable", "to_qtable", "from_specutils", "to_specutils"])
def test_the_conversions_are_only_spectrum_methods(name: str) -> None:
    # One way to do each thing: the package exports no conversion functions.
    assert name not in asteroid_spectra.spectra.__all__
    assert not hasattr(asteroid_spectra.spectra, name)
    assert callable(getattr(Spectrum, name))


# --- specutils: round trips ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "flag"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_specutils_round_trip_is_exact(error: bool, flag: bool) -> None:
    spectrum = make(error=error, flag=flag)
    obj = spectrum.to_specutils()
    assert isinstance(obj, specutils.Spectrum)
    assert obj.spectral_axis.unit == u.um
    assert obj.flux.unit == u.dimensionless_unscaled
    if error:
        assert isinstance(obj.uncertainty, StdDevUncertainty)
        np.testing.assert_array_equal(obj.uncertainty.array, ERROR)
    else:
        assert obj.uncertainty is None
    assert (obj.mask is None) == (not flag)
    assert dict(obj.meta) == META
    assert_same(Spectrum.from_specutils(obj), spectrum)


def test_to_specutils_masks_non_zero_flags() -> None:
    obj = make(error=True, flag=True, flags=[0, 4, 0, -1]).to_specutils()
    assert obj.mask.tolist() == [False, True, False, True]


# --- specutils: spectral axes --------------------------------------------------------------
@pytest.mark.parametrize(
    "axis",
    [
        pytest.param(MICRON * u.um, id="micron"),
        pytest.param([450.0, 550.0, 650.0, 750.0] * u.nm, id="nm"),
        pytest.param([4500.0, 5500.0, 6500.0, 7500.0] * u.AA, id="angstrom"),
        # c / λ with c = 299792458 m/s (exact, SI): 0.45 µm is 666.2054622 THz, …
        pytest.param(
            [666.2054622222221, 545.0771963636363, 461.2191661538461, 399.72327733333333] * u.THz,
            id="frequency",
        ),
        # 1 / λ: 1 / 0.45 µm = 22222.22 cm⁻¹, …
        pytest.param(
            [22222.222222222223, 18181.81818181818, 15384.615384615385, 13333.333333333334] / u.cm,
            id="wavenumber",
        ),
    ],
)
def test_from_specutils_converts_spectral_axis_to_micron(axis: u.Quantity) -> None:
    flux = REFLECTANCE * u.one
    if axis.unit.physical_type != "length":  # frequency order is the reverse of wavelength
        axis, flux = axis[::-1], flux[::-1]
    spectrum = Spectrum.from_specutils(specutils_spectrum(flux, axis))
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-12)
    np.testing.assert_array_equal(spectrum.reflectance, REFLECTANCE)


def test_from_specutils_sorts_descending_axis() -> None:
    obj = specutils_spectrum(
        REFLECTANCE[::-1] * u.one,
        MICRON[::-1] * 1000 * u.nm,
        uncertainty=StdDevUncertainty(ERROR[::-1]),
    )
    spectrum = Spectrum.from_specutils(obj)
    np.testing.assert_allclose(spectrum.wavelength, MICRON, rtol=1e-15)
    np.testing.assert_array_equal(spectrum.reflectance, REFLECTANCE)
    assert spectrum.error is not None
    np.testing.assert_array_equal(spectrum.error, ERROR)


def test_from_specutils_ignores_flux_unit() -> None:
    obj = specutils_spectrum(REFLECTANCE * u.Jy, MICRON * u.um)
    np.testing.assert_array_equal(Spectrum.from_specutils(obj).reflectance, REFLECTANCE)


# --- specutils: masks, uncertainties -------------------------------------------------------
def test_from_specutils_drops_masked_points() -> None:
    flux = np.array([0.9, np.nan, 1.1, 1.2, 1.3])
    obj = specutils_spectrum(
        flux * u.one,
        [0.45, 0.55, 0.65, 0.75, 0.85] * u.um,
        uncertainty=StdDevUncertainty([0.01, 0.02, 0.03, 0.04, 0.05]),
        mask=np.array([False, True, False, False, True]),
        meta={"object_id": "4"},
    )
    spectrum = Spectrum.from_specutils(obj)
    assert spectrum.wavelength.tolist() == [0.45, 0.65, 0.75]
    assert spectrum.reflectance.tolist() == [0.9, 1.1, 1.2]
    assert spectrum.error is not None
    assert spectrum.error.tolist() == [0.01, 0.03, 0.04]
    assert spectrum.flag is not None
    assert spectrum.flag.tolist() == [0, 0, 0]
    assert dict(spectrum.meta) == {"object_id": "4"}


@pytest.mark.parametrize(
    ("uncertainty", "expected"),
    [
        pytest.param(VarianceUncertainty([1e-4, 4e-4, 9e-4, 16e-4]), ERROR, id="variance"),
        pytest.param(InverseVariance([1e4, 2500.0, 1e4 / 9, 625.0]), ERROR, id="inverse-variance"),
        pytest.param(StdDevUncertainty(ERROR * 1000 * u.mJy), ERROR, id="stddev-in-mJy"),
    ],
)
def test_from_specutils_converts_uncertainty_to_sigma(
    uncertainty: object, expected: np.ndarray
) -> None:
    obj = specutils_spectrum(REFLECTANCE * u.Jy, MICRON * u.um, uncertainty=uncertainty)
    spectrum = Spectrum.from_specutils(obj)
    assert spectrum.error is not None
    np.testing.assert_allclose(spectrum.error, expected, rtol=1e-12)


# --- specutils: errors ---------------------------------------------------------------------
def test_from_specutils_rejects_unknown_uncertainty() -> None:
    obj = specutils_spectrum(
        REFLECTANCE * u.one, MICRON * u.um, uncertainty=UnknownUncertainty(ERROR)
    )
    with pytest.raises(SpectrumError, match=r"got UnknownUncertainty .*StdDevUncertainty\(sigma\)"):
        Spectrum.from_specutils(obj)


def test_from_specutils_rejects_several_spectra() -> None:
    obj = specutils_spectrum(
        np.vstack([REFLECTANCE, REFLECTANCE]) * u.one, MICRON * u.um, spectral_axis_index=1
    )
    with pytest.raises(SpectrumError, match=r"shape \(2, 4\).*one spectrum at a time"):
        Spectrum.from_specutils(obj)


@pytest.mark.parametrize(
    ("axis", "unit"),
    [([1.0, 2.0, 3.0, 4.0] * u.pix, "pix"), ([1.0, 2.0, 3.0, 4.0] * u.km / u.s, "km / s")],
)
def test_from_specutils_rejects_pixel_and_velocity_axes(axis: u.Quantity, unit: str) -> None:
    obj = specutils_spectrum(REFLECTANCE * u.one, axis)
    with pytest.raises(UnitError, match=rf"got {unit}, which has no fixed wavelength.*µm, nm or Å"):
        Spectrum.from_specutils(obj)


def test_from_specutils_rejects_other_objects() -> None:
    with pytest.raises(SpectrumError, match=r"Expected a specutils\.Spectrum; got QTable"):
        Spectrum.from_specutils(make(error=False, flag=False).to_qtable())


@pytest.mark.parametrize(
    ("convert", "name"),
    [
        pytest.param(Spectrum.to_specutils, "to_specutils", id="to"),
        pytest.param(Spectrum.from_specutils, "from_specutils", id="from"),
    ],
)
def test_specutils_missing_names_the_extra(
    convert: Any, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "specutils", None)  # makes `import specutils` fail
    with pytest.raises(
        MissingDependencyError,
        match=rf"^Spectrum\.{name} needs the 'astro' extra, and specutils is not installed\. "
        r"Install it with: pip install 'asteroid-spectra\[astro\]'$",
    ):
        convert(make(error=False, flag=False))
