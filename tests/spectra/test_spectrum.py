from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from asteroid_spectra.exceptions import CoverageError, SpectrumError, UnitError
from asteroid_spectra.spectra.spectrum import Spectrum
from asteroid_spectra.spectra.validation import MIN_POINTS

WAVELENGTH = [0.45, 0.55, 0.65, 0.75]
REFLECTANCE = [0.9, 1.0, 1.1, 1.2]


# --- construction and validation ---------------------------------------------------------
def test_construction_copies_and_freezes_arrays() -> None:
    wavelength = np.array(WAVELENGTH)
    reflectance = np.array(REFLECTANCE)
    spectrum = Spectrum(wavelength, reflectance, np.full(4, 0.01), [0, 1, 0, 0])
    for array in (spectrum.wavelength, spectrum.reflectance, spectrum.error, spectrum.flag):
        assert array is not None
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 5
    # The caller's arrays are neither shared nor frozen.
    assert not np.shares_memory(wavelength, spectrum.wavelength)
    assert wavelength.flags.writeable
    wavelength[0] = 0.3
    assert spectrum.wavelength[0] == 0.45
    assert spectrum.flag is not None
    assert spectrum.flag.dtype == np.int8


def test_fields_cannot_be_reassigned_and_meta_is_read_only() -> None:
    meta = {"object_id": "433"}
    spectrum = Spectrum(WAVELENGTH, REFLECTANCE, meta=meta)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spectrum.reflectance = np.ones(4)  # type: ignore[misc]
    with pytest.raises(TypeError):
        spectrum.meta["object_id"] = "1"  # type: ignore[index]
    meta["object_id"] = "changed"
    assert spectrum.meta["object_id"] == "433"


def test_minimum_size_is_three_points() -> None:
    assert MIN_POINTS == 3
    assert len(Spectrum([0.5, 0.6, 0.7], [1.0, 1.0, 1.0])) == 3


@pytest.mark.parametrize(
    ("wavelength", "reflectance", "match"),
    [
        ([0.5, 0.6], [1.0, 1.0], "at least 3 samples; got 2"),
        ([], [], "at least 3 samples; got 0"),
        ([0.5, np.nan, 0.7], [1.0, 1.0, 1.0], "wavelength has 1 NaN or infinite"),
        ([0.5, 0.6, np.inf], [1.0, 1.0, 1.0], "wavelength has 1 NaN or infinite"),
        ([0.5, 0.6, 0.7], [1.0, np.nan, 1.0], r"reflectance has 1 NaN .* at 0\.6 µm"),
        ([0.5, 0.6, 0.7], [np.inf, np.inf, 1.0], r"reflectance has 2 NaN .* at 0\.5, 0\.6 µm"),
        ([0.5, 0.6, 0.7], [1.0, -0.1, 1.0], r"reflectance has 1 negative values at 0\.6 µm"),
        (
            [0.5, 0.7, 0.6],
            [1.0, 1.0, 1.0],
            r"strictly increasing; decreasing at index 2 \(0\.6 µm after 0\.7 µm\)",
        ),
        (
            [0.5, 0.6, 0.6],
            [1.0, 1.0, 1.0],
            r"strictly increasing; repeated at index 2 \(0\.6 µm after 0\.6 µm\)",
        ),
        ([0.5, 0.6, 0.7], [1.0, 1.0], r"reflectance must have one value per wavelength \(3\)"),
        ([[0.5, 0.6, 0.7]], [[1.0, 1.0, 1.0]], r"wavelength must be 1-D; got shape \(1, 3\)"),
    ],
)
def test_invalid_values_raise(
    wavelength: list[float], reflectance: list[float], match: str
) -> None:
    with pytest.raises(SpectrumError, match=match):
        Spectrum(wavelength, reflectance)


def test_many_bad_samples_are_listed_with_an_ellipsis() -> None:
    reflectance = np.ones(8)
    reflectance[:6] = np.nan
    with pytest.raises(SpectrumError, match=r"6 NaN .* at 0\.1, 0\.2, 0\.3, 0\.4, 0\.5… µm"):
        Spectrum(np.arange(1, 9) / 10, reflectance)


@pytest.mark.parametrize(
    ("error", "match"),
    [
        ([0.01, np.nan, 0.01], r"error has 1 NaN or infinite values at 0\.6 µm"),
        ([0.01, 0.01, -0.01], r"error has 1 negative values at 0\.7 µm"),
        ([0.01, 0.01], r"error must have one value per wavelength \(3\); got shape \(2,\)"),
    ],
)
def test_invalid_errors_raise(error: list[float], match: str) -> None:
    with pytest.raises(SpectrumError, match=match):
        Spectrum([0.5, 0.6, 0.7], [1.0, 1.0, 1.0], error)


def test_flag_shape_mismatch_raises() -> None:
    with pytest.raises(SpectrumError, match=r"flag must have one value per wavelength"):
        Spectrum([0.5, 0.6, 0.7], [1.0, 1.0, 1.0], flag=[0, 0, 0, 0])


def test_nm_given_as_micron_raises_unit_error_with_hint() -> None:
    with pytest.raises(UnitError, match=r"440-770 µm \(read as um\).*give unit='nm'"):
        Spectrum([440.0, 550.0, 660.0, 770.0], REFLECTANCE)


def test_zero_reflectance_and_zero_error_are_allowed() -> None:
    spectrum = Spectrum([0.5, 0.6, 0.7], [0.0, 1.0, 1.0], [0.0, 0.0, 0.0])
    assert spectrum.reflectance[0] == 0.0


# --- from_arrays ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("wavelength", "unit", "recorded"),
    [
        ([0.44, 0.55, 0.66, 0.77], "um", "um"),
        ([440.0, 550.0, 660.0, 770.0], "nm", "nm"),
        ([4400.0, 5500.0, 6600.0, 7700.0], "angstrom", "angstrom"),
        ([440.0, 550.0, 660.0, 770.0], None, "nm"),  # guessed
        ([4400.0, 5500.0, 6600.0, 7700.0], None, "angstrom"),  # guessed
    ],
)
def test_from_arrays_converts_to_micron(
    wavelength: list[float], unit: str | None, recorded: str
) -> None:
    spectrum = Spectrum.from_arrays(wavelength, REFLECTANCE, unit=unit)
    np.testing.assert_allclose(spectrum.wavelength, [0.44, 0.55, 0.66, 0.77], rtol=1e-12)
    assert spectrum.meta["input_unit"] == recorded


def test_from_arrays_keeps_given_meta_without_mutating_it() -> None:
    meta = {"object_id": "4", "input_unit": "from file"}
    spectrum = Spectrum.from_arrays(WAVELENGTH, REFLECTANCE, unit="um", meta=meta)
    assert dict(spectrum.meta) == {"object_id": "4", "input_unit": "from file"}
    assert meta == {"object_id": "4", "input_unit": "from file"}


def test_from_arrays_reverses_decreasing_input_with_every_column() -> None:
    wavelength = np.array([920.0, 800.0, 650.0, 440.0])
    reflectance = np.array([1.3, 1.2, 1.1, 0.9])
    error = np.array([0.04, 0.03, 0.02, 0.01])
    flag = np.array([3, 2, 1, 0])
    spectrum = Spectrum.from_arrays(wavelength, reflectance, error, unit="nm", flag=flag)
    np.testing.assert_allclose(spectrum.wavelength, [0.44, 0.65, 0.80, 0.92])
    assert spectrum.reflectance.tolist() == [0.9, 1.1, 1.2, 1.3]
    assert spectrum.error is not None
    assert spectrum.error.tolist() == [0.01, 0.02, 0.03, 0.04]
    assert spectrum.flag is not None
    assert spectrum.flag.tolist() == [0, 1, 2, 3]
    # The caller's arrays are untouched (not reversed in place, still writable).
    assert wavelength.tolist() == [920.0, 800.0, 650.0, 440.0]
    assert reflectance.tolist() == [1.3, 1.2, 1.1, 0.9]
    assert error.tolist() == [0.04, 0.03, 0.02, 0.01]
    assert flag.tolist() == [3, 2, 1, 0]
    assert reflectance.flags.writeable


def test_from_arrays_does_not_sort_unsorted_input() -> None:
    # Only strictly decreasing input is reversed; a shuffled one is an error.
    with pytest.raises(SpectrumError, match="decreasing at index 1"):
        Spectrum.from_arrays([0.6, 0.5, 0.7], [1.0, 1.0, 1.0], unit="um")


@pytest.mark.parametrize(
    ("wavelength", "unit", "error", "match"),
    [
        ([440.0, 550.0, 660.0], "um", UnitError, r"read as um.*look like nm or Å"),
        ([0.44, 0.55, 0.66], "furlong", UnitError, "Unknown wavelength unit 'furlong'"),
        ([10.0, 20.0, 30.0], None, UnitError, r"Cannot guess the wavelength unit of values 10-30"),
        ([0.4, 0.5], None, SpectrumError, "at least 3 samples; got 2"),
    ],
)
def test_from_arrays_errors(
    wavelength: list[float], unit: str | None, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        Spectrum.from_arrays(wavelength, [1.0] * len(wavelength), unit=unit)


# --- inspection ----------------------------------------------------------------------
def test_len_range_and_repr(sloped: Spectrum) -> None:
    assert len(sloped) == 10
    assert sloped.range == (0.45, 0.9)
    assert isinstance(sloped.range[0], float)
    assert repr(sloped) == "<Spectrum 1: 10 samples, 0.45-0.9 µm, with errors>"
    assert repr(Spectrum(WAVELENGTH, REFLECTANCE)) == "<Spectrum: 4 samples, 0.45-0.75 µm>"


@pytest.mark.parametrize(
    ("lo", "hi", "covered"),
    [
        (0.45, 0.90, True),
        (0.5, 0.8, True),
        (0.45 - 1e-12, 0.90 + 1e-12, True),  # within the tolerance
        (0.44, 0.90, False),
        (0.45, 0.91, False),
    ],
)
def test_covers(sloped: Spectrum, lo: float, hi: float, covered: bool) -> None:
    assert sloped.covers(lo, hi) is covered


@pytest.mark.parametrize(
    ("lo", "hi", "missing"),
    [
        (0.40, 0.90, r"missing 0\.4-0\.45 µm\.$"),
        (0.45, 1.00, r"missing 0\.9-1 µm\.$"),
        (0.40, 2.50, r"missing 0\.4-0\.45 µm and 0\.9-2\.5 µm\.$"),
    ],
)
def test_require_coverage_names_the_missing_range(
    sloped: Spectrum, lo: float, hi: float, missing: str
) -> None:
    with pytest.raises(
        CoverageError, match=r"covers 0\.45-0\.9 µm but the model needs .*" + missing
    ):
        sloped.require_coverage(lo, hi, needed_by="the model")


def test_require_coverage_passes_when_covered(sloped: Spectrum) -> None:
    sloped.require_coverage(0.5, 0.9)


# --- transformations -----------------------------------------------------------------
def test_crop_keeps_samples_inside_the_range_with_their_columns(sloped: Spectrum) -> None:
    cropped = sloped.crop(0.5, 0.7)
    np.testing.assert_allclose(cropped.wavelength, [0.5, 0.55, 0.6, 0.65, 0.7])
    np.testing.assert_allclose(cropped.reflectance, 1 + 0.5 * (cropped.wavelength - 0.55))
    assert cropped.error is not None
    assert cropped.error.shape == (5,)
    assert cropped.flag is not None
    assert cropped.flag.shape == (5,)
    assert cropped.meta["object_id"] == "1"
    assert len(sloped) == 10


def test_crop_to_too_few_points_raises(sloped: Spectrum) -> None:
    with pytest.raises(SpectrumError, match="at least 3 samples; got 2"):
        sloped.crop(0.5, 0.56)


def test_replace_validates_again(sloped: Spectrum) -> None:
    with pytest.raises(SpectrumError, match="reflectance has 1 negative values"):
        sloped.replace(reflectance=np.r_[-1.0, np.ones(9)])


def test_resample_spline_is_exact_for_a_cubic() -> None:
    # A not-a-knot cubic spline reproduces any cubic polynomial exactly.
    def cubic(x: np.ndarray) -> np.ndarray:
        return 1 + 0.3 * x - 0.8 * x**2 + 0.5 * x**3

    wavelength = np.linspace(0.45, 0.95, 11)
    grid = np.linspace(0.46, 0.94, 49)
    spectrum = Spectrum(wavelength, cubic(wavelength))
    resampled = spectrum.resample(grid, method="spline")
    np.testing.assert_allclose(resampled.wavelength, grid)
    np.testing.assert_allclose(resampled.reflectance, cubic(grid), rtol=1e-12)


def test_resample_bands_propagates_errors(dense_grid: np.ndarray) -> None:
    # 1 + λ averaged over a band is 1 + the band centre; with n samples of error σ each
    # the mean has error sqrt(n σ²) / n = σ / sqrt(n).
    spectrum = Spectrum(dense_grid, 1 + dense_grid, np.full(dense_grid.size, 0.02))
    resampled = spectrum.resample([0.5, 0.6, 0.7], method="bands")
    np.testing.assert_allclose(resampled.reflectance, [1.5, 1.6, 1.7], rtol=1e-12)
    # Band 0.45-0.55 holds the 101 samples 0.450-0.550 (edges included).
    assert resampled.error is not None
    np.testing.assert_allclose(resampled.error, 0.02 / np.sqrt(101), rtol=1e-12)


def test_resample_returns_a_new_spectrum_and_drops_flags(sloped: Spectrum) -> None:
    grid = np.array([0.5, 0.6, 0.7, 0.8])
    resampled = sloped.resample(grid, method="linear")
    np.testing.assert_allclose(resampled.reflectance, 1 + 0.5 * (grid - 0.55), rtol=1e-12)
    assert resampled.error is not None
    np.testing.assert_allclose(resampled.error, 0.01)
    assert resampled.flag is None
    assert resampled.meta["object_id"] == "1"
    assert len(sloped) == 10
    assert grid.flags.writeable
    assert not resampled.wavelength.flags.writeable


def test_resample_beyond_the_range_raises_coverage_error(sloped: Spectrum) -> None:
    with pytest.raises(CoverageError, match=r"covers 0\.45-0\.9 µm; resampling needs 0\.4-0\.8"):
        sloped.resample([0.4, 0.6, 0.8], method="spline")


def test_normalise_divides_by_the_interpolated_value() -> None:
    # Reflectance 2 at 0.5 and 4 at 0.6: linear interpolation gives 3 at 0.55.
    spectrum = Spectrum([0.5, 0.6, 0.7], [2.0, 4.0, 6.0], [0.3, 0.3, 0.6])
    normalised = spectrum.normalise()
    np.testing.assert_allclose(normalised.reflectance, [2 / 3, 4 / 3, 2.0])
    assert normalised.error is not None
    np.testing.assert_allclose(normalised.error, [0.1, 0.1, 0.2])
    assert spectrum.reflectance.tolist() == [2.0, 4.0, 6.0]


def test_normalise_outside_the_range_raises(sloped: Spectrum) -> None:
    with pytest.raises(CoverageError, match=r"Cannot normalise at 1 µm: .*covers 0\.45-0\.9 µm"):
        sloped.normalise(at=1.0)


@pytest.mark.parametrize("gamma", [-0.8, 0.0, 0.35, 1.2])
@pytest.mark.parametrize("scale", [0.2, 1.0, 3.0])
def test_slope_of_a_scaled_line_is_its_gradient(gamma: float, scale: float) -> None:
    # slope() normalises first, so scale * (1 + γ(λ - 0.55)) has slope γ.
    wavelength = np.linspace(0.45, 0.92, 48)
    spectrum = Spectrum(wavelength, scale * (1 + gamma * (wavelength - 0.55)))
    assert spectrum.slope() == pytest.approx(gamma, abs=1e-12)


def test_slope_about_another_wavelength() -> None:
    # 1 + γ(λ - 0.7) normalised at 0.7 is itself; its slope through unity at 0.7 is γ.
    wavelength = np.linspace(0.5, 0.9, 9)
    spectrum = Spectrum(wavelength, 1 + 0.4 * (wavelength - 0.7))
    assert spectrum.slope(at=0.7) == pytest.approx(0.4, abs=1e-12)


def test_slope_with_zero_errors_raises(sloped: Spectrum) -> None:
    with pytest.raises(SpectrumError, match="needs positive errors; got 10 zero or negative"):
        sloped.replace(error=np.zeros(10)).slope()


def test_remove_slope_of_a_pure_slope_gives_ones(sloped: Spectrum) -> None:
    scaled = sloped.replace(reflectance=2.5 * sloped.reflectance)
    flat = scaled.remove_slope()
    np.testing.assert_allclose(flat.reflectance, 1.0, rtol=1e-12)
    # Errors are divided by the normaliser and by the slope line.
    assert flat.error is not None
    np.testing.assert_allclose(flat.error, 0.01 / scaled.reflectance, rtol=1e-12)


def test_remove_slope_keeps_the_absorption_band(
    s_type_grid: np.ndarray, s_type_reflectance: np.ndarray
) -> None:
    spectrum = Spectrum(s_type_grid, s_type_reflectance)
    flat = spectrum.remove_slope()
    assert flat.reflectance[np.searchsorted(s_type_grid, 0.55)] == pytest.approx(1.0)
    # The red slope (~0.8 /µm) is gone, but the band that starts at 0.75 µm remains:
    # the slope-removed spectrum peaks at the onset and falls towards 0.92 µm.
    assert spectrum.slope() > 0.7
    assert abs(flat.slope()) < 0.01
    assert 0.74 <= s_type_grid[np.argmax(flat.reflectance)] <= 0.77
    assert flat.reflectance[-1] < 0.97


def test_smooth_keeps_a_line_and_reduces_noise(rng: np.random.Generator) -> None:
    wavelength = np.linspace(0.45, 0.92, 48)
    truth = 1 + 0.5 * (wavelength - 0.55)
    noisy = Spectrum(wavelength, truth + rng.normal(0, 0.02, wavelength.size))
    smoothed = noisy.smooth()
    # A smoothing spline reproduces a straight line for any smoothing strength.
    line = Spectrum(wavelength, truth).smooth(lam=1.0)
    np.testing.assert_allclose(line.reflectance, truth, rtol=1e-9)
    rms_noisy = np.sqrt(np.mean((noisy.reflectance - truth) ** 2))
    rms_smooth = np.sqrt(np.mean((smoothed.reflectance - truth) ** 2))
    assert rms_smooth < 0.6 * rms_noisy


def test_methods_return_new_objects_and_leave_the_spectrum_unchanged(sloped: Spectrum) -> None:
    before = sloped.reflectance.copy()
    results = [
        sloped.crop(0.5, 0.8),
        sloped.resample([0.5, 0.6, 0.7]),
        sloped.normalise(0.7),
        sloped.remove_slope(),
        sloped.smooth(lam=1e-3),
    ]
    for result in results:
        assert result is not sloped
        assert isinstance(result, Spectrum)
        assert not np.shares_memory(result.reflectance, sloped.reflectance)
    np.testing.assert_array_equal(sloped.reflectance, before)


def test_to_frame(sloped: Spectrum) -> None:
    frame = sloped.to_frame()
    assert list(frame.columns) == ["wavelength", "reflectance", "error", "flag"]
    np.testing.assert_allclose(frame["reflectance"], sloped.reflectance)
    assert frame.attrs["meta"] == {"object_id": "1", "source": "test"}
    bare = Spectrum(WAVELENGTH, REFLECTANCE).to_frame()
    assert list(bare.columns) == ["wavelength", "reflectance"]
    assert bare["wavelength"].tolist() == WAVELENGTH
