"""The latent map: a 2-D autoencoder cached on disk in safe formats, and projections.

Trained on the synthetic labelled set of ``conftest.py`` (210 prototype spectra on the
SMASSII grid) with few epochs, so each training takes about a second.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asteroid_spectra import schema
from asteroid_spectra.cluster.latent_map import (
    ARRAYS,
    META,
    WEIGHTS,
    LatentMap,
    latent_map,
    latent_map_path,
)
from asteroid_spectra.config import Settings
from asteroid_spectra.data.cache import forget
from asteroid_spectra.exceptions import ChecksumError, DataError, SpectrumError
from asteroid_spectra.spectra.sets import SpectralSet

FAST: dict[str, Any] = {"max_epochs": 40, "patience": 10}


@pytest.fixture(autouse=True)
def fresh_memory() -> Iterator[None]:
    """Each test starts and ends without maps kept in memory."""
    forget()
    yield
    forget()


@pytest.fixture(scope="module")
def data(labelled_set: SpectralSet) -> SpectralSet:
    return labelled_set.labelled()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", mirror=None)


def test_first_use_trains_once_even_when_called_concurrently(
    data: SpectralSet, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fits: list[int] = []
    fit = LatentMap.fit

    def counted(spectra: SpectralSet, params: Any = None) -> LatentMap:
        fits.append(len(spectra))
        return fit(spectra, params)

    monkeypatch.setattr(LatentMap, "fit", staticmethod(counted))
    with ThreadPoolExecutor(max_workers=3) as pool:
        maps = list(pool.map(lambda _: latent_map(settings, data=data, params=FAST), range(3)))

    assert fits == [210]
    assert maps[0] is maps[1] is maps[2]
    atlas = maps[0]
    assert atlas.coordinates.shape == (210, 2)
    assert np.isfinite(atlas.coordinates).all()
    assert atlas.embedding.latent_dim == 2
    assert atlas.embedding.random_state == 0
    # The coordinates are those of the fitted network.
    np.testing.assert_allclose(atlas.project(data.reflectance), atlas.coordinates, rtol=1e-6)
    assert latent_map(settings, data=data, params=FAST) is atlas  # kept in memory
    path = latent_map_path(settings, data=data, params=FAST)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no staging left
    assert sorted(p.name for p in path.iterdir()) == sorted([ARRAYS, META, WEIGHTS])


def test_cache_round_trip_gives_identical_coordinates(
    data: SpectralSet, settings: Settings
) -> None:
    trained = latent_map(settings, data=data, params=FAST)
    forget()

    loaded = latent_map(settings, data=data, params=FAST)

    assert loaded is not trained
    np.testing.assert_array_equal(loaded.coordinates, trained.coordinates)
    np.testing.assert_array_equal(loaded.project(data.reflectance), trained.coordinates)
    np.testing.assert_array_equal(loaded.wavelength, schema.SMASS2_WAVELENGTH)
    assert loaded.embedding.offset_ == trained.embedding.offset_
    assert loaded.embedding.scale_ == trained.embedding.scale_
    assert loaded.embedding.get_params() == trained.embedding.get_params()
    objects = data.objects
    assert loaded.object_id == tuple(objects[schema.OBJECT_ID])
    assert loaded.bus_class == tuple(objects[schema.BUS_CLASS])
    assert loaded.main_group == tuple(objects[schema.MAIN_GROUP])
    # Names fall back to the object id where the name is missing (every 7th row).
    assert loaded.name[0] == objects[schema.OBJECT_ID][0]
    assert loaded.name[1] == "Synthetic 1"
    # Everything but the arrays and weights is JSON, with their sha256.
    meta = json.loads((latent_map_path(settings, data=data, params=FAST) / META).read_text())
    assert set(meta["files"]) == {ARRAYS, WEIGHTS}
    assert len(meta["files"][WEIGHTS]) == 64
    assert meta["params"]["latent_dim"] == 2
    assert meta["params"]["channels"] == [16, 32]


def test_corrupted_weights_are_detected_and_retrained(
    data: SpectralSet, settings: Settings
) -> None:
    trained = latent_map(settings, data=data, params=FAST)
    path = latent_map_path(settings, data=data, params=FAST)
    weights = path / WEIGHTS
    blob = bytearray(weights.read_bytes())
    blob[-8:] = b"\x00" * 8  # flip the last weights
    weights.write_bytes(bytes(blob))

    with pytest.raises(ChecksumError, match=r"sha256 of .*weights\.safetensors does not match"):
        LatentMap.load(path)
    forget()
    retrained = latent_map(settings, data=data, params=FAST)

    assert retrained is not trained
    LatentMap.load(path)  # the cache verifies again
    # Same seed, same data: the same network.
    np.testing.assert_allclose(retrained.coordinates, trained.coordinates, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda path: (path / META).unlink(), "missing or not a model card"),
        (lambda path: (path / META).write_text("{not json"), "not a model card"),
        (lambda path: (path / WEIGHTS).unlink(), "weights.safetensors is missing"),
    ],
    ids=["no-json", "bad-json", "no-weights"],
)
def test_damaged_cache_is_a_data_error_and_retrained(
    data: SpectralSet, settings: Settings, damage: Any, message: str
) -> None:
    trained = latent_map(settings, data=data, params=FAST)
    path = latent_map_path(settings, data=data, params=FAST)
    damage(path)

    with pytest.raises(DataError, match=message):
        LatentMap.load(path)
    forget()
    assert latent_map(settings, data=data, params=FAST).coordinates.shape == (210, 2)
    assert trained.coordinates.shape == (210, 2)


def test_cache_path_depends_on_data_and_parameters(data: SpectralSet, settings: Settings) -> None:
    path = latent_map_path(settings, data=data, params=FAST)

    assert path == latent_map_path(settings, data=data, params=dict(FAST))
    assert path.parent == settings.cache_dir
    assert path.name.startswith("latent-map-")
    assert path != latent_map_path(settings, data=data, params={"max_epochs": 41})
    assert path != latent_map_path(settings, data=data.select(np.arange(100)), params=FAST)
    assert path != latent_map_path(settings, params=FAST)  # the SMASSII spectra


@pytest.fixture(scope="module")
def atlas(data: SpectralSet) -> LatentMap:
    return LatentMap.fit(data, FAST)


@pytest.mark.parametrize(("shape", "expected"), [((49,), (1, 2)), ((3, 49), (3, 2))])
def test_projection_shapes(
    atlas: LatentMap, shape: tuple[int, ...], expected: tuple[int, int]
) -> None:
    values = np.ones(shape)

    projected = atlas.project(values)

    assert projected.shape == expected
    assert np.isfinite(projected).all()
    np.testing.assert_allclose(projected, np.broadcast_to(projected[0], expected), rtol=1e-6)


@pytest.mark.parametrize("shape", [(48,), (2, 50), (2, 3, 49)])
def test_projection_needs_the_full_grid(atlas: LatentMap, shape: tuple[int, ...]) -> None:
    with pytest.raises(SpectrumError, match=r"needs spectra on its 49-point grid \(0\.44-0\.92"):
        atlas.project(np.ones(shape))


@pytest.mark.parametrize("bad", [np.nan, np.inf, 1e300])
def test_projection_refuses_non_finite_values(atlas: LatentMap, bad: float) -> None:
    values = np.ones((2, 49))
    values[1, 5] = bad

    with pytest.raises(SpectrumError, match=r"needs finite reflectance.*1 of 2 spectra"):
        atlas.project(values)


def test_fit_refuses_incomplete_spectra_and_other_dimensions(data: SpectralSet) -> None:
    reflectance = np.array(data.reflectance)
    reflectance[3, 10] = np.nan
    holes = SpectralSet(data.objects, data.wavelength, reflectance)

    with pytest.raises(SpectrumError, match="needs complete spectra; 1 of 210 have missing"):
        LatentMap.fit(holes, FAST)
    with pytest.raises(ValueError, match="'latent_dim' parameter of the latent map must be 2"):
        LatentMap.fit(data, {"latent_dim": 3})
    unlabelled = SpectralSet(
        data.objects.drop(columns=[schema.BUS_CLASS]), data.wavelength, data.reflectance
    )
    with pytest.raises(SpectrumError, match="need the columns bus_class"):
        LatentMap.fit(unlabelled, FAST)
