"""Fixtures for the data tests: a loopback HTTP server and small synthetic survey files.

Nothing here reads the real archives: every file is built in memory from a few lines of
numbers that imitate the published formats (see /work/shared/data/README.md for them).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.server
import io
import socket
import tarfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.config import Settings
from asteroid_spectra.data.registry import COLLECTIONS, RemoteFile
from asteroid_spectra.schema import GAIA_DR3_WAVELENGTH, SMASS2_WAVELENGTH

# --- loopback HTTP server ----------------------------------------------------------------


class LoopbackServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1 that serves `root` and counts requests."""

    daemon_threads = True

    def __init__(self, root: Path, handler: type[http.server.BaseHTTPRequestHandler]):
        self.root = root
        self.requests: list[str] = []
        self.sent: list[bytes] = []
        self.release = threading.Event()
        self.stall = 10.0
        super().__init__(("127.0.0.1", 0), handler)

    def url(self, name: str) -> str:
        """URL of the file `name` (a path relative to `root`)."""
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"

    def publish(self, name: str, data: bytes, citation: str = "Test (2024)") -> RemoteFile:
        """Put `data` at `root/name` and return a RemoteFile registered with its sha256."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return RemoteFile(name, self.url(name), hashlib.sha256(data).hexdigest(), citation)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client gave up (timeouts are provoked on purpose)."""


class ServeHandler(http.server.BaseHTTPRequestHandler):
    """Serve the file under the server's root, with a Content-Length."""

    server: LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""

    def do_GET(self) -> None:
        """Count the request, then answer it."""
        self.server.requests.append(self.path)
        path = self.server.root / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404, "File not found")
            return
        self.answer(path.read_bytes())

    def answer(self, data: bytes) -> None:
        """Send `data` as the body of a 200 response."""
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.server.sent.append(data)
        self.wfile.write(data)


class CorruptHandler(ServeHandler):
    """Serve the file with its first byte flipped (a corrupted transfer)."""

    def answer(self, data: bytes) -> None:
        """Send the bytes with the first one flipped."""
        super().answer(bytes([data[0] ^ 0xFF]) + data[1:])


class SlowHandler(ServeHandler):
    """Wait (up to `server.stall` seconds) before answering at all."""

    def answer(self, data: bytes) -> None:
        """Sleep longer than any client timeout, then send."""
        self.server.release.wait(self.server.stall)
        with contextlib.suppress(OSError):
            super().answer(data)


class StallingHandler(ServeHandler):
    """Send the headers and half the body, then stall (a connection that hangs mid-file)."""

    def answer(self, data: bytes) -> None:
        """Send half, sleep longer than any client timeout, send the rest."""
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.server.release.wait(self.server.stall)
        with contextlib.suppress(OSError):
            self.wfile.write(data[len(data) // 2 :])


class NotFoundHandler(ServeHandler):
    """Answer 404 to everything."""

    def answer(self, data: bytes) -> None:
        """Refuse."""
        self.send_error(404, "File not found")


class ServerErrorHandler(ServeHandler):
    """Answer 500 to everything."""

    def answer(self, data: bytes) -> None:
        """Fail."""
        self.send_error(500, "Internal Server Error")


HANDLERS: dict[str, type[ServeHandler]] = {
    "ok": ServeHandler,
    "corrupt": CorruptHandler,
    "slow": SlowHandler,
    "stall": StallingHandler,
    "404": NotFoundHandler,
    "500": ServerErrorHandler,
}
"""Handler variants by the name tests pass to ``serve``."""


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[str], LoopbackServer]]:
    """Start loopback servers: ``serve(kind)`` → running LoopbackServer.

    `kind` is one of :data:`HANDLERS`: ``"ok"`` serves the files, ``"corrupt"`` flips their
    first byte, ``"slow"`` waits before answering, ``"stall"`` hangs after half the body,
    ``"404"`` and ``"500"`` refuse. The servers are shut down (and stalled handlers
    released) at teardown.
    """
    started: list[tuple[LoopbackServer, threading.Thread]] = []

    def start(kind: str = "ok") -> LoopbackServer:
        root = tmp_path / f"www{len(started)}"
        root.mkdir()
        server = LoopbackServer(root, HANDLERS[kind])
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback URL whose port is bound but not listening: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/test/file.bin"


@pytest.fixture
def payload(rng: np.random.Generator) -> bytes:
    """50 kB of seeded random bytes (many pooch chunks of 1 kB)."""
    return rng.bytes(50_000)


@dataclass
class RecordingBar:
    """A progress bar speaking pooch's protocol that records what it is told."""

    total: int = 0
    n: int = 0
    updates: list[int] = field(default_factory=list)
    resets: int = 0
    closed: bool = False

    def update(self, n: int) -> None:
        self.n += n
        self.updates.append(n)

    def reset(self) -> None:
        self.n = 0
        self.resets += 1

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def progress_bar() -> RecordingBar:
    """A fresh recording progress bar."""
    return RecordingBar()


# --- SMASSII ------------------------------------------------------------------------------


class Smass2Builder:
    """Builds SMASSII-like members: spline fits, raw spectra and tar.gz archives."""

    slopes: Mapping[str, float]
    taxonomy_rows: Sequence[str]
    grid = np.asarray(SMASS2_WAVELENGTH)
    raw_wavelength = np.round(np.linspace(0.435, 0.925, 50), 4)

    @staticmethod
    def reflectance(slope: float, wavelength: np.ndarray) -> np.ndarray:
        """A straight spectrum, 1 at 0.55 µm with the given slope (per µm)."""
        return 1 + slope * (wavelength - 0.55)

    def spfit(self, slope: float, grid: np.ndarray | None = None) -> bytes:
        """A spline-fit member: two tab-separated columns on the 49-point grid."""
        grid = self.grid if grid is None else grid
        values = self.reflectance(slope, grid)
        return "".join(f"{w:.2f}\t{r:.4f}\n" for w, r in zip(grid, values, strict=True)).encode()

    def raw(self, slope: float, padding: int = 0) -> bytes:
        """A raw member: wavelength, reflectance, error; `padding` all-zero rows at the end."""
        w = self.raw_wavelength
        rows = [
            f"{x:.4f}\t{r:.4f}\t{0.01 + 0.001 * i:.4f}\n"
            for i, (x, r) in enumerate(zip(w, self.reflectance(slope, w), strict=True))
        ]
        rows += ["0.0000\t0.0000\t0.0000\n"] * padding
        return "".join(rows).encode()

    @staticmethod
    def archive(members: Mapping[str, bytes | None]) -> bytes:
        """A tar.gz holding `members` (name → bytes; None makes a directory entry)."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.mtime = 1_000_000_000
                if data is None:
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    tar.addfile(info)
                else:
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
        return buffer.getvalue()


SLOPES = {
    "a000001": 0.10,
    "a000002": 0.05,
    "a000004": 0.40,
    "a000005": 0.60,
    "a000016": 0.20,
    "a000099": 0.15,
    "a000523": 0.30,
    "a003908": 0.50,
    "a004156": -0.10,
    "au1995BM2": 0.70,
}
"""Slope of each synthetic SMASSII spline fit (its reflectance at 0.92 µm is 1 + 0.37 s)."""

TAXONOMY_HEADER = """\
              SMASSII Feature-Based Taxonomy
        (from Bus and Binzel 2001, in preparation)

Please contact the authors before quoting these results
in a publication and/or watch this space for updated information
concerning referencing these results.


Listed below are 10 asteroids observed during the second phase of
the Small Mainbelt Asteroid Spectroscopic Survey.

   Column 1: asteroid number and name (or provisional designation).
   
   Column 2: Tholen classification (Tholen 1989, Asteroids II, pp 1139-1150)
             NOTE: Classes given in () are based on SMASSI observations
                   (Xu et al. 1995, Icarus 115, 1-35) 
               
   Column 3: SMASSII classification, based on the 26 classes
               defined by Bus 1999 (Ph.D. thesis)


"""  # noqa: W291, W293 - trailing blanks as in the published header

TAXONOMY_ROWS = [
    "1 Ceres         \tG\tC",
    "2 Pallas        \tB\tB",
    "4 Vesta         \tV\tV",
    "5 Astraea       \tSU (C)\tSq",
    "16 Psyche       \tM\tXk",
    "523 Ada\t\t\t\tX",
    "3908 Nyx        \tV\t-",
    "4156 1988 BE    \t(C)\tCgh",
    "      1995 BM2  \t\tSq",
    "      1998 MQ\t\t\tS",
]
"""Taxonomy rows with the published file's quirks (lines 22-31 of the text)."""


Smass2Builder.slopes = SLOPES
Smass2Builder.taxonomy_rows = TAXONOMY_ROWS


@pytest.fixture
def smass2_builder() -> Smass2Builder:
    """Builder of SMASSII-like members and archives (with the standard slopes and rows)."""
    return Smass2Builder()


@pytest.fixture
def taxonomy_text() -> str:
    """A 10-row Bus.Taxonomy.txt: 21 header lines without tabs, then the rows."""
    assert TAXONOMY_HEADER.count("\n") == 21
    assert "\t" not in TAXONOMY_HEADER
    return TAXONOMY_HEADER + "\n".join(TAXONOMY_ROWS) + "\n"


@pytest.fixture
def smass2_members(smass2_builder: Smass2Builder) -> dict[str, bytes | None]:
    """Members of a small smass2data.tar.gz.

    Ten spline fits (one not in the taxonomy), raw spectra for 1 (ending with two
    all-zero padding rows), 2 and 1995 BM2, a raw spectrum of 7 without a spline fit, the
    ``smass2/`` directory entry and the ``DIRECTORY`` list.
    """
    members: dict[str, bytes | None] = {
        "smass2/": None,
        "smass2/DIRECTORY": b"1\n2\n4\n5\n7\n16\n99\n523\n3908\n4156\n",
    }
    for stem, slope in SLOPES.items():
        members[f"smass2/{stem}.spfit.[2]"] = smass2_builder.spfit(slope)
    members["smass2/a000001.[2]"] = smass2_builder.raw(SLOPES["a000001"], padding=2)
    members["smass2/a000002.[2]"] = smass2_builder.raw(SLOPES["a000002"])
    members["smass2/au1995BM2.[2]"] = smass2_builder.raw(SLOPES["au1995BM2"])
    members["smass2/a000007.[2]"] = smass2_builder.raw(0.25)
    return members


@pytest.fixture
def smass2_paths(
    tmp_path: Path,
    smass2_builder: Smass2Builder,
    smass2_members: dict[str, bytes | None],
    taxonomy_text: str,
) -> dict[str, Path]:
    """The two SMASSII files on disk, by registered name."""
    folder = tmp_path / "smass2"
    folder.mkdir()
    archive = folder / "smass2data.tar.gz"
    archive.write_bytes(smass2_builder.archive(smass2_members))
    taxonomy = folder / "Bus.Taxonomy.txt"
    taxonomy.write_bytes(taxonomy_text.encode("ascii"))
    return {"smass2/smass2data.tar.gz": archive, "smass2/Bus.Taxonomy.txt": taxonomy}


# --- Gaia DR3 -----------------------------------------------------------------------------

GAIA_HEADER = """\
# %ECSV 1.0
# ---
# delimiter: ','
# meta: !!omap
# - RELEASE: Gaia DR3
# - TABLE: sso_reflectance_spectrum
# datatype:
# - 
#   name: source_id
#   datatype: int64
# - 
#   name: number_mp
#   datatype: int64
# - 
#   name: reflectance_spectrum_flag
#   datatype: int8
"""  # noqa: W291 - trailing blank as in the published header
GAIA_COLUMNS = (
    "source_id,solution_id,number_mp,denomination,nb_samples,num_of_spectra,"
    "reflectance_spectrum,reflectance_spectrum_err,wavelength,reflectance_spectrum_flag"
)


@dataclass(frozen=True)
class GaiaAsteroid:
    """One synthetic Gaia DR3 asteroid: 16 bands, reflectance 1 + slope (λ - 0.55 µm).

    `missing` bands are written as `null` (as published) or empty; `flags` maps a band
    index to its flag (others are 0).
    """

    number: int
    denomination: str
    slope: float = 0.3
    missing: Mapping[int, str] = field(default_factory=dict)
    flags: Mapping[int, int] = field(default_factory=dict)
    bands: int = 16

    @property
    def wavelength_nm(self) -> np.ndarray:
        return np.round(np.asarray(GAIA_DR3_WAVELENGTH)[: self.bands] * 1000, 1)

    @property
    def reflectance(self) -> np.ndarray:
        values = 1 + self.slope * (self.wavelength_nm / 1000 - 0.55)
        values[list(self.missing)] = np.nan
        return values

    def rows(self) -> list[str]:
        lines = []
        for band, (nm, value) in enumerate(zip(self.wavelength_nm, self.reflectance, strict=True)):
            if band in self.missing:
                reflectance = error = self.missing[band]
            else:
                reflectance, error = f"{value:.7g}", f"{0.001 * (band + 1):.6g}"
            lines.append(
                f"{-4284900000 - self.number},4167557769573408785,{self.number},"
                f'"{self.denomination}",{self.bands},{10 + self.number % 7},'
                f"{reflectance},{error},{nm:.1f},{self.flags.get(band, 0)}"
            )
        return lines


class GaiaBuilder:
    """Builds gzipped ECSV parts like SsoReflectanceSpectrum_NN.csv.gz."""

    asteroid = GaiaAsteroid
    parts: Mapping[int, Sequence[GaiaAsteroid]]

    @staticmethod
    def text(asteroids: Sequence[GaiaAsteroid], header: str = GAIA_COLUMNS) -> bytes:
        lines = [header] + [row for asteroid in asteroids for row in asteroid.rows()]
        return (GAIA_HEADER + "\n".join(lines) + "\n").encode("ascii")

    def part(self, asteroids: Sequence[GaiaAsteroid], header: str = GAIA_COLUMNS) -> bytes:
        return gzip.compress(self.text(asteroids, header), mtime=0)


GAIA_PARTS: dict[int, list[GaiaAsteroid]] = {
    0: [
        GaiaAsteroid(29, "amphitrite", 0.2, missing={0: "null"}, flags={0: 2, 6: 1}),
        GaiaAsteroid(9, "metis", 0.4, missing={0: ""}, flags={0: 2}),
    ],
    1: [GaiaAsteroid(52246, "2000 ew37", -0.1, flags={15: 1}), GaiaAsteroid(85, "io", 0.0)],
    2: [GaiaAsteroid(12345, "4290 p-l", 0.1)],
    **{part: [GaiaAsteroid(1000 + 19 - part, f"name{part}", 0.05 * part)] for part in range(3, 20)},
}
"""Content of the 20 synthetic parts: 22 asteroids, numbers out of order across parts."""


GaiaBuilder.parts = GAIA_PARTS


@pytest.fixture
def gaia_builder() -> GaiaBuilder:
    """Builder of Gaia DR3-like gzipped ECSV parts (with the standard 20 parts)."""
    return GaiaBuilder()


@pytest.fixture
def gaia_paths(tmp_path: Path, gaia_builder: GaiaBuilder) -> dict[str, Path]:
    """The 20 registered Gaia DR3 names → small synthetic parts on disk."""
    folder = tmp_path / "gaia_dr3"
    folder.mkdir()
    paths = {}
    for part, name in enumerate(COLLECTIONS["gaia-dr3"]):
        path = folder / Path(name).name
        path.write_bytes(gaia_builder.part(GAIA_PARTS[part]))
        paths[name] = path
    return paths


# --- text-table surveys: SMASSI, SMASSIR, PRIMASS-L, IRTF SpeX ---------------------------

LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}
"""Line endings the published text files use (SMASSI and SMASSIR have a CR-only file,
PRIMASS-L and SpeX are CRLF)."""


def column_text(rows: Sequence[Sequence[object]], ending: str = "\n") -> bytes:
    """Lines of whitespace-separated values, as in the published spectra."""
    return "".join(" ".join(str(value) for value in row) + ending for row in rows).encode()


@pytest.fixture
def write_files(tmp_path: Path) -> Callable[[Mapping[str, bytes]], dict[str, Path]]:
    """``write(files)``: put registered name → bytes under a fresh folder; name → path."""
    written = 0

    def write(files: Mapping[str, bytes]) -> dict[str, Path]:
        nonlocal written
        root = tmp_path / f"files{written}"
        written += 1
        paths = {}
        for name, data in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            paths[name] = path
        return paths

    return write


@pytest.fixture
def register_survey(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[Any, Mapping[str, bytes]], Settings]:
    """``register(source, files)``: make `files` the source's collection, in a mirror.

    The files are written to a fresh mirror folder, the registry's collection of
    ``source.name`` is replaced by them (their sha256 registered, origin URLs that are
    never used) and the source is added to ``sources.SOURCES``, as tests/data/
    test_datasets.py does. Returns the settings (private cache, that mirror) with which
    :func:`~asteroid_spectra.data.datasets.load_table` copies, verifies, parses and
    caches them.
    """
    from types import MappingProxyType

    from asteroid_spectra.data import registry, sources

    def register(source: Any, files: Mapping[str, bytes]) -> Settings:
        mirror = tmp_path / f"mirror-{source.name}"
        remote = []
        for name, data in files.items():
            path = mirror / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            sha256 = hashlib.sha256(data).hexdigest()
            remote.append(RemoteFile(name, f"https://example.invalid/{name}", sha256, "Test"))
        monkeypatch.setattr(
            registry,
            "REGISTRY",
            MappingProxyType({**registry.REGISTRY, **{f.name: f for f in remote}}),
        )
        monkeypatch.setattr(
            registry,
            "COLLECTIONS",
            MappingProxyType({**registry.COLLECTIONS, source.name: tuple(f.name for f in remote)}),
        )
        monkeypatch.setattr(
            sources, "SOURCES", MappingProxyType({**sources.SOURCES, source.name: source})
        )
        return Settings(cache_dir=tmp_path / f"cache-{source.name}", mirror=mirror, timeout=2.0)

    return register
