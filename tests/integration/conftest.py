"""Integration fixtures: the real survey files (mirror or network) and their tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asteroid_spectra.spectra.sets import SpectralSet, load_spectra

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The mirror directory named by ASTEROID_SPECTRA_MIRROR (tests that copy it need it)."""
    value = os.environ.get("ASTEROID_SPECTRA_MIRROR")
    if not value:
        pytest.fail(
            "ASTEROID_SPECTRA_MIRROR is not set; run the tests as the README says "
            "(make test), or set it to a local mirror such as ../shared/data."
        )
    return Path(value)


@pytest.fixture(scope="session")
def smass2() -> SpectralSet:
    """All 1341 SMASSII spline-fit spectra."""
    return load_spectra("smass2")


@pytest.fixture(scope="session")
def gaia() -> SpectralSet:
    """All 60,518 Gaia DR3 spectra."""
    return load_spectra("gaia-dr3")
