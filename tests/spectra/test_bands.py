"""repair_bands and median_error: Gaia band spectra restricted to the used bands, gaps filled.

Hand-computed examples on a 4-band grid 0.4-0.7 µm: a good value is kept, a flagged or
missing one is interpolated between its good neighbours, or extrapolated from the two
nearest good bands at an end.
"""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.spectra.bands import (
    GAIA_DR3_USED,
    MIN_GOOD_BANDS,
    median_error,
    repair_bands,
)

GRID = np.array([0.4, 0.5, 0.6, 0.7])
NAN = np.nan


def repaired(values: list[float], flags: list[int] | None = None, min_good: int = 2):
    return repair_bands(
        [values], None if flags is None else [flags], wavelength=GRID, bands=GRID, min_good=min_good
    )


# --- constants -----------------------------------------------------------------------------
def test_used_bands_are_the_13_gaia_bands_from_0418_to_0946() -> None:
    assert GAIA_DR3_USED.size == 13
    assert GAIA_DR3_USED[0] == pytest.approx(0.418)
    assert GAIA_DR3_USED[-1] == pytest.approx(0.946)
    np.testing.assert_array_equal(GAIA_DR3_USED, schema.GAIA_DR3_WAVELENGTH[1:14])
    assert not GAIA_DR3_USED.flags.writeable
    assert MIN_GOOD_BANDS == 9


# --- hand-checked fills --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "flags", "expected", "n_filled"),
    [
        # Nothing to fill.
        ([1.0, 2.0, 3.0, 4.0], [0, 0, 0, 0], [1.0, 2.0, 3.0, 4.0], 0),
        # Interior gap: halfway between 1.0 and 1.4 (the flagged value 9 is ignored).
        ([1.0, 9.0, 1.4, 2.0], [0, 1, 0, 0], [1.0, 1.2, 1.4, 2.0], 1),
        # Two adjacent interior gaps: 1 → 4 over three steps.
        ([1.0, 9.0, 9.0, 4.0], [0, 2, 1, 0], [1.0, 2.0, 3.0, 4.0], 2),
        # Leading gap: extrapolated from 0.5 and 0.6 µm (slope 2 per µm).
        ([9.0, 1.0, 1.2, 1.4], [1, 0, 0, 0], [0.8, 1.0, 1.2, 1.4], 1),
        # Two leading gaps: from 3 and 5 at 0.6 and 0.7 µm (slope 20 per µm).
        ([9.0, 9.0, 3.0, 5.0], [1, 1, 0, 0], [-1.0, 1.0, 3.0, 5.0], 2),
        # Trailing gap: from 1.0 and 0.9 at 0.5 and 0.6 µm.
        ([1.1, 1.0, 0.9, 9.0], [0, 0, 0, 2], [1.1, 1.0, 0.9, 0.8], 1),
        # Two trailing gaps: from 1 and 2 at 0.4 and 0.5 µm.
        ([1.0, 2.0, 9.0, 9.0], [0, 0, 2, 1], [1.0, 2.0, 3.0, 4.0], 2),
        # Gaps at both ends: each extrapolated from the two good middle bands.
        ([9.0, 2.0, 2.5, 9.0], [1, 0, 0, 1], [1.5, 2.0, 2.5, 3.0], 2),
        # Leading gap with the good bands not adjacent: anchors 0.5 and 0.7 µm.
        ([9.0, 1.0, 9.0, 2.0], [1, 0, 1, 0], [0.5, 1.0, 1.5, 2.0], 2),
        # Flags other than 1 and 2 also mark doubtful values.
        ([1.0, 9.0, 3.0, 4.0], [0, 7, 0, 0], [1.0, 2.0, 3.0, 4.0], 1),
    ],
    ids=[
        "clean",
        "interior",
        "two-adjacent",
        "leading",
        "two-leading",
        "trailing",
        "two-trailing",
        "both-ends",
        "leading-sparse",
        "any-nonzero-flag",
    ],
)
def test_fills_flagged_values_linearly(
    values: list[float], flags: list[int], expected: list[float], n_filled: int
) -> None:
    out = repaired(values, flags)
    np.testing.assert_allclose(out.reflectance, [expected], rtol=0, atol=1e-12)
    assert out.n_filled.tolist() == [n_filled]
    assert out.usable.tolist() == [True]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0, NAN, 1.4, 2.0], [1.0, 1.2, 1.4, 2.0]),
        ([NAN, 1.0, 1.2, 1.4], [0.8, 1.0, 1.2, 1.4]),
        ([1.0, 2.0, NAN, np.inf], [1.0, 2.0, 3.0, 4.0]),
    ],
    ids=["interior-nan", "leading-nan", "trailing-nan-and-inf"],
)
def test_missing_values_are_treated_like_flags(values: list[float], expected: list[float]) -> None:
    out = repaired(values)  # no flags at all
    np.testing.assert_allclose(out.reflectance, [expected], atol=1e-12)
    assert out.n_filled.tolist() == [sum(not np.isfinite(v) for v in values)]


def test_good_values_are_kept_exactly_and_input_untouched() -> None:
    values = np.array([[1.0, 5.0, 1.4, 2.0]])
    flags = np.array([[0, 1, 0, 0]])
    out = repair_bands(values, flags, wavelength=GRID, bands=GRID, min_good=2)
    assert out.reflectance[0, [0, 2, 3]].tolist() == [1.0, 1.4, 2.0]
    assert values.tolist() == [[1.0, 5.0, 1.4, 2.0]]  # the flagged 5.0 is not overwritten


@pytest.mark.parametrize(
    ("values", "flags", "min_good", "usable"),
    [
        # 2 good of 4: enough for min_good 2, not for 3.
        ([1.0, 9.0, 9.0, 4.0], [0, 1, 1, 0], 2, True),
        ([1.0, 9.0, 9.0, 4.0], [0, 1, 1, 0], 3, False),
        # One good band never suffices, even if min_good asks for fewer.
        ([1.0, 9.0, 9.0, 9.0], [0, 1, 1, 1], 1, False),
        ([1.0, 9.0, 9.0, 9.0], [0, 1, 1, 1], 0, False),
        # No good band at all.
        ([NAN, NAN, NAN, NAN], [0, 0, 0, 0], 2, False),
    ],
)
def test_rows_with_too_few_good_bands_are_not_repaired(
    values: list[float], flags: list[int], min_good: int, usable: bool
) -> None:
    out = repaired(values, flags, min_good=min_good)
    assert out.usable.tolist() == [usable]
    if usable:
        assert np.isfinite(out.reflectance).all()
        assert out.n_filled.tolist() == [2]
    else:
        assert np.isnan(out.reflectance).all()
        assert out.n_filled.tolist() == [0]


def test_rows_are_repaired_independently() -> None:
    # The vectorised fill must not leak anchors between rows.
    values = np.array(
        [
            [9.0, 1.0, 1.2, 1.4],  # leading gap
            [1.0, 9.0, 9.0, 4.0],  # two interior gaps
            [1.0, 9.0, 9.0, 9.0],  # one good band: unusable
            [1.1, 1.0, 0.9, 9.0],  # trailing gap
            [1.0, 2.0, 3.0, 4.0],  # clean
        ]
    )
    flags = (values == 9.0).astype(int)
    out = repair_bands(values, flags, wavelength=GRID, bands=GRID, min_good=2)
    expected = [
        [0.8, 1.0, 1.2, 1.4],
        [1.0, 2.0, 3.0, 4.0],
        [NAN] * 4,
        [1.1, 1.0, 0.9, 0.8],
        [1.0, 2.0, 3.0, 4.0],
    ]
    np.testing.assert_allclose(out.reflectance, expected, atol=1e-12)
    assert out.n_filled.tolist() == [1, 2, 0, 1, 0]
    assert out.usable.tolist() == [True, True, False, True, True]
    assert out.n_filled.dtype == np.int64
    assert out.usable.dtype == np.bool_


def test_vectorised_fill_matches_a_row_by_row_interpolation(rng: np.random.Generator) -> None:
    # Random flags on random spectra; inside the good range the fill equals np.interp.
    n, m = 300, schema.GAIA_DR3_WAVELENGTH.size
    values = 1 + rng.normal(0, 0.1, (n, m))
    flags = (rng.random((n, m)) < 0.45).astype(np.int8)
    out = repair_bands(values, flags, min_good=5)
    grid = GAIA_DR3_USED
    kept = values[:, 1:14]
    good = flags[:, 1:14] == 0
    for i in range(n):
        if good[i].sum() < 5:
            assert not out.usable[i]
            continue
        x, y = grid[good[i]], kept[i, good[i]]
        inside = (grid >= x[0]) & (grid <= x[-1])
        np.testing.assert_allclose(out.reflectance[i, inside], np.interp(grid[inside], x, y))
        # Outside: the straight line through the two nearest good bands.
        below, above = grid < x[0], grid > x[-1]
        lo = y[0] + (grid[below] - x[0]) * (y[1] - y[0]) / (x[1] - x[0])
        hi = y[-1] + (grid[above] - x[-1]) * (y[-1] - y[-2]) / (x[-1] - x[-2])
        np.testing.assert_allclose(out.reflectance[i, below], lo)
        np.testing.assert_allclose(out.reflectance[i, above], hi)
        assert out.n_filled[i] == 13 - good[i].sum()
    assert 0 < (~out.usable).sum() < n  # both cases exercised


# --- band selection and errors ------------------------------------------------------------
def test_default_keeps_the_13_used_gaia_bands_and_their_errors() -> None:
    values = np.tile(1 + 0.5 * (schema.GAIA_DR3_WAVELENGTH - 0.55), (2, 1))
    error = np.tile(np.arange(16) / 100, (2, 1))
    flags = np.zeros((2, 16), dtype=np.int8)
    flags[:, [0, 15]] = 2  # the end bands, dropped anyway
    flags[1, 5] = 1  # 0.594 µm
    out = repair_bands(values, flags, error)
    assert out.reflectance.shape == out.error.shape == (2, 13)
    np.testing.assert_allclose(out.reflectance, values[:, 1:14], atol=1e-12)
    # Errors pass through as published, also for the filled band.
    np.testing.assert_array_equal(out.error, error[:, 1:14])
    assert out.n_filled.tolist() == [0, 1]


def test_selected_bands_follow_the_given_order_and_subset() -> None:
    values = [[10.0, 20.0, 30.0, 40.0]]
    out = repair_bands(values, wavelength=GRID, bands=[0.5, 0.7], min_good=2)
    assert out.reflectance.tolist() == [[20.0, 40.0]]
    # A flag on a dropped band does not count.
    out = repair_bands(values, [[1, 0, 1, 0]], wavelength=GRID, bands=[0.5, 0.7], min_good=2)
    assert out.reflectance.tolist() == [[20.0, 40.0]]
    assert out.n_filled.tolist() == [0]


def test_without_errors_the_error_array_is_nan() -> None:
    out = repaired([1.0, 2.0, 3.0, 4.0])
    assert out.error.shape == (1, 4)
    assert np.isnan(out.error).all()


def test_one_spectrum_as_a_flat_list() -> None:
    out = repair_bands([1.0, 9.0, 3.0, 4.0], [0, 1, 0, 0], wavelength=GRID, bands=GRID)
    # Default min_good (9) exceeds the 3 good bands of the 4-band grid.
    assert out.usable.tolist() == [False]
    out = repair_bands([1.0, 9.0, 3.0, 4.0], [0, 1, 0, 0], wavelength=GRID, bands=GRID, min_good=3)
    assert out.reflectance.tolist() == [[1.0, 2.0, 3.0, 4.0]]


def test_no_rows() -> None:
    out = repair_bands(np.empty((0, 16)))
    assert out.reflectance.shape == (0, 13)
    assert out.n_filled.shape == out.usable.shape == (0,)


# --- errors --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"reflectance": np.ones((2, 3))}, r"shape \(n, 4\).*got shape \(2, 3\)"),
        ({"reflectance": np.ones((2, 2, 4))}, r"shape \(n, 4\)"),
        ({"reflectance": np.ones((2, 4)), "flag": np.zeros((1, 4))}, r"flags have shape \(1, 4\)"),
        ({"reflectance": np.ones((2, 4)), "flag": np.zeros((2, 5))}, r"expected \(2, 4\)"),
        ({"reflectance": np.ones((2, 4)), "error": np.ones((2, 3))}, r"errors have shape \(2, 3\)"),
        ({"reflectance": np.ones((2, 4)), "bands": [0.5, 0.55]}, r"one of the band centres"),
        ({"reflectance": np.ones((2, 4)), "bands": [0.8]}, r"got \[0\.8\]"),
        ({"reflectance": np.ones((2, 4)), "bands": [0.3]}, r"got \[0\.3\]"),
    ],
    ids=["columns", "3-d", "flag-rows", "flag-columns", "error", "between", "above", "below"],
)
def test_bad_input_raises(kwargs: dict, match: str) -> None:
    kwargs = {"wavelength": GRID, "bands": GRID, "min_good": 2} | kwargs
    with pytest.raises(SpectrumError, match=match):
        repair_bands(**kwargs)


def test_default_grid_needs_16_columns() -> None:
    with pytest.raises(SpectrumError, match=r"shape \(n, 16\)"):
        repair_bands(np.ones((1, 13)))


def test_bands_equal_to_the_grid_within_rounding_are_accepted_from_below() -> None:
    out = repair_bands(
        [[1.0, 2.0, 3.0, 4.0]], wavelength=GRID, bands=[0.5 - 1e-12, 0.7], min_good=2
    )
    assert out.reflectance.tolist() == [[2.0, 4.0]]


def test_bands_equal_to_the_grid_within_rounding_are_accepted_from_above() -> None:
    bands = np.array([462.0, 550.0, 814.0, 946.0]) * 0.001  # 0.814 and 0.946 round up
    values = np.tile(schema.GAIA_DR3_WAVELENGTH, (1, 1))
    out = repair_bands(values, bands=bands, min_good=2)
    np.testing.assert_allclose(out.reflectance, [[0.462, 0.55, 0.814, 0.946]])


# --- median_error --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("errors", "span", "expected"),
    [
        ([[0.9, 0.01, 0.03, NAN]], (0.45, 0.75), [0.02]),
        ([[0.9, 0.01, 0.03, 0.05]], (0.45, 0.75), [0.03]),
        ([[0.9, 0.01, 0.03, 0.05]], (0.35, 0.75), [0.04]),
        ([[0.9, 0.02, 0.03, 0.05], [NAN, NAN, NAN, NAN]], (0.45, 0.65), [0.025, NAN]),
    ],
)
def test_median_error_over_a_span(
    errors: list[list[float]], span: tuple[float, float], expected: list[float]
) -> None:
    result = median_error(errors, wavelength=GRID, span=span)
    np.testing.assert_allclose(result, expected)


def test_median_error_default_span_is_the_11_core_gaia_bands() -> None:
    errors = np.full((1, 16), 1.0)
    errors[0, 2:13] = np.linspace(0.01, 0.11, 11)  # 0.462-0.902 µm; median 0.06
    assert median_error(errors).tolist() == pytest.approx([0.06])
