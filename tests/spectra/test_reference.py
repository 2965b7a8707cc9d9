"""ReferenceSpectra.nearest: RMS distance on the covered grid points, NaN-aware."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra.spectra.coverage import Prepared
from asteroid_spectra.spectra.reference import ReferenceSpectra

GRID = np.round(np.arange(0.44, 0.925, 0.01), 2)


def reference() -> ReferenceSpectra:
    slopes = np.array([0.0, 0.3, 0.6, 0.9])
    reflectance = 1 + np.outer(slopes, GRID - 0.55)
    reflectance[3, :20] = np.nan  # a spectrum missing its blue end
    return ReferenceSpectra(
        wavelength=GRID,
        reflectance=reflectance,
        object_id=["1", "2", "3", "4"],
        name=["flat", "mild", "red", "redder"],
        bus_class=np.array(["C", "X", "S", "D"]),
        main_group=np.array(["C", "X", "S", "Other"]),
    )


def test_the_nearest_spectra_come_first_with_their_rms_distance() -> None:
    covered = GRID[(GRID >= 0.50) & (GRID <= 0.82)]
    prepared = Prepared(1 + 0.35 * (covered - 0.55), covered)
    rows, distance = reference().nearest(prepared, k=3)
    assert rows.tolist() == [1, 2, 0]
    rms = lambda slope: np.sqrt(np.mean(((0.35 - slope) * (covered - 0.55)) ** 2))  # noqa: E731
    np.testing.assert_allclose(distance, [rms(0.3), rms(0.6), rms(0.0)])


def test_missing_reference_samples_are_left_out_and_empty_rows_come_last() -> None:
    covered = GRID[:10]  # 0.44-0.53 µm: spectrum 4 has no sample there
    prepared = Prepared(1 + 0.9 * (covered - 0.55), covered)
    rows, distance = reference().nearest(prepared, k=4)
    assert rows.tolist() == [2, 1, 0, 3]
    assert np.isnan(distance[-1])
    assert distance[0] == pytest.approx(np.sqrt(np.mean((0.3 * (covered - 0.55)) ** 2)))
