"""Integration fixtures: the real survey files (mirror or network) and their tables."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def api_server(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real HTTP API: ``asteroid-spectra serve`` in a subprocess.

    Started with small limits (50 spectra, 1,000,000-byte bodies) so the 413 paths are
    cheap to reach; the model cache is the session's temporary one.
    """
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path_factory.mktemp("api-server") / "server.log"
    env = dict(os.environ, ASTEROID_SPECTRA_MIRROR=str(mirror))  # CACHE: the session's
    command = [str(Path(sys.executable).with_name("asteroid-spectra")), "serve"]
    command += ["--port", str(port), "--max-batch", "50", "--max-body-bytes", "1000000"]
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while True:
                if server.poll() is not None:
                    pytest.fail(f"The API server exited early:\n{log.read_text()[-3000:]}")
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"The API server did not answer /healthz:\n{log.read_text()}")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, driven by Playwright (never `playwright install`)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium; the tests using it skip only if Playwright or Chromium is missing.

    Module-scoped: Playwright's sync API keeps an event loop running in the main thread
    while it is open, which would break later tests that start their own (asyncio.run).
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
