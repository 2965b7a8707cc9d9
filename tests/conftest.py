"""Shared fixtures: an isolated cache for the whole run, seeded generators, spectra."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from asteroid_spectra.config import Settings


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point ASTEROID_SPECTRA_CACHE at a fresh directory for the whole test run.

    The mirror (ASTEROID_SPECTRA_MIRROR) is left as the caller set it, made absolute so
    tests that change directory still find it.
    """
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASTEROID_SPECTRA_CACHE", str(cache))
        mirror = os.environ.get("ASTEROID_SPECTRA_MIRROR")
        if mirror:
            patch.setenv("ASTEROID_SPECTRA_MIRROR", str(Path(mirror).absolute()))
        yield cache


@pytest.fixture(scope="session", autouse=True)
def single_thread() -> Iterator[None]:
    """Run torch, OpenMP and BLAS on one thread each.

    The tiny models of the tests are faster so, and spinning worker threads crawl when
    another process keeps the other core busy.
    """
    import torch
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        yield
    torch.set_num_threads(previous)


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator (same numbers on every run)."""
    return np.random.default_rng(20021)


@pytest.fixture
def empty_settings(tmp_path: Path) -> Settings:
    """Settings with an empty private cache and no mirror."""
    return Settings(cache_dir=tmp_path / "cache", mirror=None, timeout=2.0)


@pytest.fixture
def s_type_grid() -> np.ndarray:
    """The SMASSII grid, 0.44-0.92 µm in 0.01 µm steps."""
    from asteroid_spectra.schema import SMASS2_WAVELENGTH

    return np.array(SMASS2_WAVELENGTH)


@pytest.fixture
def s_type_reflectance(s_type_grid: np.ndarray) -> np.ndarray:
    """An S-type-like spectrum: red slope, 1-µm band onset, unity at 0.55 µm."""
    wavelength = s_type_grid
    values = 1 + 0.9 * (wavelength - 0.55) - 1.2 * np.clip(wavelength - 0.75, 0, None) ** 1.5
    return values / np.interp(0.55, wavelength, values)
