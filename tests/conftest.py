"""Shared fixtures: an isolated cache, offline unit tests, seeded generators, spectra.

Every test not marked ``integration`` runs without ASTEROID_SPECTRA_MIRROR and without
network (loopback still works); every test starts with seeded global generators.
"""

from __future__ import annotations

import ipaddress
import os
import random
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.config import MIRROR_ENV, Settings
from asteroid_spectra.schema import SMASS2_WAVELENGTH

SEED = 20021
"""Seed of the global generators (random, numpy, torch) before every test."""

NETWORK_DISABLED = "network disabled in unit tests (mark the test 'integration' if it needs it)"


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


def _is_loopback(host: Any) -> bool:
    """Whether `host` (a name, an IP literal, or bytes of either) is this machine."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check_address(address: Any) -> None:
    """Raise OSError unless `address` (of connect) is a Unix socket or a loopback host."""
    if isinstance(address, str | bytes):  # AF_UNIX path
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_loopback(host):
        raise OSError(f"{NETWORK_DISABLED}: connection to {address!r} refused")


@pytest.fixture(autouse=True)
def offline(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside `integration` tests: no ASTEROID_SPECTRA_MIRROR and no network.

    Connections and name lookups fail at once with OSError, except to loopback
    (127.0.0.0/8, ::1, localhost) and Unix sockets, so tests may run local servers.
    Subprocesses inherit the environment without the mirror but are not blocked.
    """
    if request.node.get_closest_marker("integration") is not None:
        return
    monkeypatch.delenv(MIRROR_ENV, raising=False)

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def connect(self: socket.socket, address: Any) -> None:
        _check_address(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check_address(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        # Passive lookups (host None or "", for binding) and IP literals need no DNS.
        if host not in (None, "", b"") and not _is_loopback(host):
            try:
                ipaddress.ip_address(host.decode() if isinstance(host, bytes) else host)
            except ValueError:
                raise socket.gaierror(
                    socket.EAI_NONAME, f"{NETWORK_DISABLED}: lookup of {host!r} refused"
                ) from None
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        _check_address(address)
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)


@pytest.fixture(autouse=True)
def seeded() -> None:
    """Seed random, numpy's global generator and, if already imported, torch's."""
    random.seed(SEED)
    np.random.seed(SEED)  # noqa: NPY002 - code under test may still use the global one
    torch = sys.modules.get("torch")  # not imported here just to seed it
    if torch is not None:
        torch.manual_seed(SEED)


@pytest.fixture
def hide_packages(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Return ``hide(*names)``: make those packages look uninstalled for this test.

    A ``None`` in :data:`sys.modules` makes :func:`importlib.util.find_spec` return None
    and ``import name`` raise ImportError; monkeypatch restores the real entries.
    """

    def hide(*names: str) -> None:
        for name in names:
            monkeypatch.setitem(sys.modules, name, None)

    return hide


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator (same numbers on every run)."""
    return np.random.default_rng(SEED)


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


# --- Bus-like prototype spectra (shared by the classification tests) ------------------------
# Three Bus-like prototypes per main group on the SMASSII grid — a slope through unity at
# 0.55 µm and, for S and V types, a Gaussian band near 0.92 µm (Bus & Binzel 2002).
GRID = np.asarray(SMASS2_WAVELENGTH)

# Bus-like class -> (main group, slope µm⁻¹, depth of the band at 0.92 µm).
CLASS_PROTOTYPES = {
    "C": ("C", 0.0, 0.0),
    "B": ("C", -0.25, 0.0),
    "S": ("S", 0.9, 0.15),
    "Sq": ("S", 0.5, 0.25),
    "X": ("X", 0.35, 0.0),
    "D": ("Other", 2.0, 0.0),
    "V": ("Other", 0.4, 0.45),
}


def prototype(name: str, wavelength: np.ndarray = GRID) -> np.ndarray:
    """Noise-free spectrum of a prototype, unity at 0.55 µm."""
    _, gradient, depth = CLASS_PROTOTYPES[name]
    band = 1 - depth * np.exp(-0.5 * ((wavelength - 0.95) / 0.08) ** 2)
    at = 1 - depth * np.exp(-0.5 * ((0.55 - 0.95) / 0.08) ** 2)
    return (1 + gradient * (wavelength - 0.55)) * band / at
