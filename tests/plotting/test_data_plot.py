"""The Gaia DR3 flagged-fraction bar chart: one bar per band, in the order given."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from asteroid_spectra.plotting import plot_flagged_fraction

# Band centres as data.summary.summarise labels them; made-up fractions with the
# shape of Gaia DR3's (the 0.374 µm band flagged for most asteroids).
FLAGGED = {"0.374": 0.8123, "0.418": 0.0912, "0.462": 0.0201, "0.506": 0.0, "1.034": 0.4}


def test_one_bar_per_band_with_its_fraction() -> None:
    ax = plot_flagged_fraction(FLAGGED).axes[0]
    bars = ax.patches
    assert len(bars) == len(FLAGGED)
    np.testing.assert_allclose([bar.get_height() for bar in bars], list(FLAGGED.values()))
    # Bars stand on zero, in the order given, one per tick labelled with its band.
    assert all(bar.get_y() == 0 for bar in bars)
    centres = [bar.get_x() + bar.get_width() / 2 for bar in bars]
    assert centres == sorted(centres)
    np.testing.assert_allclose(ax.get_xticks(), centres)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(FLAGGED)


def test_axes_are_labelled_and_bands_rotated() -> None:
    ax = plot_flagged_fraction(FLAGGED).axes[0]
    assert ax.get_xlabel() == "Gaia DR3 band (µm)"
    assert ax.get_ylabel() == "Fraction flagged or missing"
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {60}


@pytest.mark.parametrize("flagged", [{}, {"0.550": 1.0}])
def test_no_bands_or_one_band(flagged: dict[str, float]) -> None:
    ax = plot_flagged_fraction(flagged).axes[0]
    assert [bar.get_height() for bar in ax.patches] == list(flagged.values())


def test_the_figure_is_not_registered_with_pyplot() -> None:
    before = plt.get_fignums()
    plot_flagged_fraction(FLAGGED)
    assert plt.get_fignums() == before
