"""The temperature fitted to a classifier's validation logits after training."""

from __future__ import annotations

import math

import numpy as np
import pytest

from asteroid_spectra.models.torch_training import fit_temperature


def test_fit_temperature_matches_the_frequency() -> None:
    # Every sample has logits (4, 0); 75 % are class 0. The likelihood is maximal when
    # softmax(4/T) gives 0.75, i.e. 4/T = ln 3 (Guo et al. 2017, temperature scaling).
    logits = np.tile([4.0, 0.0], (100, 1))
    target = np.repeat([0, 1], [75, 25])
    assert fit_temperature(logits, target) == pytest.approx(4 / math.log(3), rel=1e-4)
