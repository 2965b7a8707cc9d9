"""The autouse fixtures of conftest.py: unit tests are offline and start seeded."""

from __future__ import annotations

import os
import random
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import numpy as np
import pytest

from asteroid_spectra.config import MIRROR_ENV

TEST_NET = "192.0.2.1"  # RFC 5737 documentation address: never routed


def test_the_mirror_is_unset() -> None:
    assert MIRROR_ENV not in os.environ


@pytest.mark.parametrize(
    "connect",
    [
        lambda: socket.create_connection((TEST_NET, 80), timeout=10),
        lambda: socket.socket().connect((TEST_NET, 80)),
        lambda: socket.socket().connect_ex((TEST_NET, 80)),
        lambda: socket.socket(socket.AF_INET6).connect(("2001:db8::1", 80, 0, 0)),
        lambda: socket.getaddrinfo("example.org", 80),
        lambda: urllib.request.urlopen("http://example.org/", timeout=10),
    ],
    ids=["create_connection", "connect", "connect_ex", "connect-ipv6", "getaddrinfo", "urlopen"],
)
def test_network_fails_at_once(connect: object) -> None:
    start = time.perf_counter()
    with pytest.raises(OSError, match="network disabled in unit tests"):
        connect()  # type: ignore[operator]
    assert time.perf_counter() - start < 1.0


@pytest.fixture
def loopback_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that answers one connection with b"pong"; yields its port."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)

    def answer() -> None:
        connection, _ = server.accept()
        with connection:
            connection.sendall(b"pong")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    with server:
        yield server.getsockname()[1]
        thread.join(timeout=5)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_still_works(host: str, loopback_server: int) -> None:
    with socket.create_connection((host, loopback_server), timeout=5) as connection:
        assert connection.recv(4) == b"pong"


def test_generators_start_seeded() -> None:
    import torch

    assert random.random() == random.Random(20021).random()
    assert np.random.random() == np.random.RandomState(20021).random_sample()  # noqa: NPY002
    expected = torch.rand(3, generator=torch.Generator().manual_seed(20021))
    assert torch.equal(torch.rand(3), expected)
