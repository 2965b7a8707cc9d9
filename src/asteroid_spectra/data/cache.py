"""The one cache of the package: build once, keep on disk, reuse in memory.

Trained default models, the latent map, the wide Gaia DR3 catalogue input, parsed survey
tables and the study report's stages are all expensive to build and cheap to reload.
Each goes through :func:`cached`, keyed by a path under the cache directory whose name
carries a digest of everything the value depends on (:func:`cache_path`: the package
version and the recipe — data checksums, model name, seed…), so an upgrade or new data
build a new entry instead of reusing a stale one.

:func:`cached` returns the value kept in memory for that path if there is one; else it
loads the saved value; else — or if loading fails verification — builds it, saves it
(atomically: the savers write a temporary file or directory and rename it) and keeps it.
Concurrent first calls for one path build once.

Examples
--------
>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "answer.txt"
>>> calls = []
>>> def build():
...     calls.append(1)
...     return "42"
>>> def save(value, path):
...     _ = path.write_text(value)
>>> cached(path, build, load=Path.read_text, save=save)
'42'
>>> forget(path)
>>> cached(path, build, load=Path.read_text, save=save), len(calls)  # loaded from disk
('42', 1)
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from asteroid_spectra._version import __version__
from asteroid_spectra.config import Settings, get_settings
from asteroid_spectra.exceptions import DataError

__all__ = ["cache_path", "cached", "forget"]

T = TypeVar("T")

_MEMORY: dict[Path, Any] = {}
_LOCKS: dict[Path, threading.Lock] = {}
_GUARD = threading.Lock()


def cache_path(
    name: str,
    recipe: Mapping[str, Any],
    *,
    folder: str,
    settings: Settings | None = None,
    suffix: str = "",
) -> Path:
    """Return ``<cache>/<folder>/<name>-<digest><suffix>`` for a value built by `recipe`.

    Parameters
    ----------
    name : str
        Readable part of the file or directory name.
    recipe : Mapping
        JSON-ready description of everything the value depends on; the package version
        is added.
    folder : str
        Sub-directory of the cache (``"models"``, ``"tables"``, …).
    settings : Settings, optional
        Where the cache is (default: from the environment).
    suffix : str
        File suffix (``".parquet"``), empty for a directory.

    Examples
    --------
    >>> settings = Settings(cache_dir=Path("/cache"), mirror=None)
    >>> cache_path("m", {"seed": 0}, folder="models", settings=settings).parent
    PosixPath('/cache/models')
    """
    settings = get_settings() if settings is None else settings
    key = json.dumps({"package": __version__, **recipe}, sort_keys=True, default=str)
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return settings.cache_dir / folder / f"{name}-{digest}{suffix}"


def _lock(path: Path) -> threading.Lock:
    with _GUARD:
        return _LOCKS.setdefault(path, threading.Lock())


def cached(
    path: Path,
    build: Callable[[], T],
    *,
    load: Callable[[Path], T],
    save: Callable[[T, Path], object],
    memory: bool = True,
    refresh: bool = False,
) -> T:
    """Return the value cached at `path`, building and saving it on first use.

    Parameters
    ----------
    path : Path
        Where the value is saved (from :func:`cache_path`).
    build : callable
        ``build() -> value``, called when nothing usable is cached.
    load : callable
        ``load(path) -> value``; raising :class:`~asteroid_spectra.exceptions.DataError`
        (corrupt, stale, unverifiable) makes the value be built again.
    save : callable
        ``save(value, path)``, atomic; it may decide not to save (e.g. a failed result).
    memory : bool
        Also keep the value in memory for the life of the process (and return the same
        object on later calls).
    refresh : bool
        Build again even if a value is cached.

    Returns
    -------
    The value.
    """
    path = Path(path)
    with _lock(path):
        if memory and not refresh and path in _MEMORY:
            value: T = _MEMORY[path]
            return value
        loaded = False
        if path.exists() and not refresh:
            try:
                value = load(path)
                loaded = True
            except DataError:
                loaded = False  # corrupt or stale: built again below
        if not loaded:
            value = build()
            save(value, path)
        if memory:
            _MEMORY[path] = value
        return value


def forget(path: Path | None = None) -> None:
    """Drop the in-memory value of `path` (default: every value); the disk cache stays."""
    with _GUARD:
        if path is None:
            _MEMORY.clear()
        else:
            _MEMORY.pop(Path(path), None)
