"""The Brier score and the expected calibration error, on hand-computed examples."""

from __future__ import annotations

import pytest

from asteroid_spectra.models.metrics import brier_score, expected_calibration_error


# --- metrics on hand-computed examples --------------------------------------------
@pytest.mark.parametrize(
    ("y_true", "proba", "classes", "expected"),
    [
        # Perfect forecasts score 0.
        (["a", "b"], [[1.0, 0.0], [0.0, 1.0]], ["a", "b"], 0.0),
        # Certain and wrong: (1 - 0)² + (0 - 1)² = 2.
        (["a"], [[0.0, 1.0]], ["a", "b"], 2.0),
        # Uniform over K = 4 classes: (3/4)² + 3 (1/4)² = 1 - 1/K = 0.75 (Brier 1950).
        (["c", "a"], [[0.25] * 4] * 2, ["a", "b", "c", "d"], 0.75),
        # (0.3² + 0.2² + 0.1² + 0.2² + 0.2² + 0.4²) / 2 = (0.14 + 0.24) / 2.
        (["a", "c"], [[0.7, 0.2, 0.1], [0.2, 0.2, 0.6]], ["a", "b", "c"], 0.19),
    ],
)
def test_brier_score(
    y_true: list[str], proba: list[list[float]], classes: list[str], expected: float
) -> None:
    assert brier_score(y_true, proba, classes) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("y_true", "proba", "n_bins", "expected"),
    [
        # Confidence 0.95 twice, one right (bin 9: |0.5 - 0.95| = 0.45); confidence 0.65
        # (right) and 0.62 (wrong) in bin 6: |0.5 - 0.635| = 0.135. (0.45 + 0.135) / 2.
        (
            ["a", "b", "a", "a"],
            [[0.95, 0.05], [0.95, 0.05], [0.65, 0.35], [0.38, 0.62]],
            10,
            0.2925,
        ),
        # Calibrated: 80 % confidence, 4 of 5 right.
        (["a", "a", "a", "a", "b"], [[0.8, 0.2]] * 5, 15, 0.0),
        # Certain and right: confidence 1 falls in the last bin.
        (["a", "b"], [[1.0, 0.0], [0.0, 1.0]], 15, 0.0),
        # One bin: |mean accuracy - mean confidence| = |0.5 - 0.75|.
        (["a", "b"], [[0.9, 0.1], [0.6, 0.4]], 1, 0.25),
    ],
)
def test_expected_calibration_error(
    y_true: list[str], proba: list[list[float]], n_bins: int, expected: float
) -> None:
    ece = expected_calibration_error(y_true, proba, ["a", "b"], n_bins=n_bins)
    assert ece == pytest.approx(expected, abs=1e-12)
