"""fetch() against the real mirror: verified copies, and a corrupted mirror."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asteroid_spectra.config import Settings
from asteroid_spectra.data.fetch import fetch
from asteroid_spectra.data.files import sha256
from asteroid_spectra.data.registry import REGISTRY
from asteroid_spectra.exceptions import ChecksumError

pytestmark = pytest.mark.integration


def test_every_registered_file_verifies_from_the_mirror(mirror: Path, tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path, mirror=mirror)
    for name, file in REGISTRY.items():
        path = fetch(name, settings=settings)
        assert path == tmp_path / "downloads" / name
        assert sha256(path) == file.sha256


@pytest.fixture
def corrupted_mirror(mirror: Path, tmp_path: Path) -> Path:
    """A copy of the SMASSII mirror whose taxonomy file has one byte changed."""
    copy = tmp_path / "mirror"
    shutil.copytree(mirror / "smass2", copy / "smass2")
    target = copy / "smass2" / "Bus.Taxonomy.txt"
    target.chmod(0o644)
    data = bytearray(target.read_bytes())
    data[2000] ^= 0x01
    target.write_bytes(bytes(data))
    return copy


def test_corrupted_mirror_file_fails_and_leaves_nothing(
    corrupted_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    settings = Settings(cache_dir=cache, mirror=corrupted_mirror)
    actual = sha256(corrupted_mirror / "smass2" / "Bus.Taxonomy.txt")
    expected = REGISTRY["smass2/Bus.Taxonomy.txt"].sha256
    with pytest.raises(ChecksumError, match=f"expected {expected}, got {actual}") as info:
        fetch("smass2/Bus.Taxonomy.txt", settings=settings)
    assert "Replace the mirror's copy" in str(info.value)
    leftovers = [p for p in cache.rglob("*") if p.is_file()]
    assert leftovers == []
