"""Checksummed fetch against a real HTTP server on loopback and a local mirror directory."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from asteroid_spectra.config import Settings
from asteroid_spectra.data import registry
from asteroid_spectra.data.fetch import (
    MirrorDownloader,
    cached_path,
    fetch,
    fetch_collection,
    sha256,
)
from asteroid_spectra.data.registry import RemoteFile
from asteroid_spectra.exceptions import ChecksumError, DataError, DownloadError

NAME = "test/file.bin"

Serve = Callable[[str], Any]  # serve(kind) -> LoopbackServer (see conftest.py)


def cache_files(settings: Settings) -> list[Path]:
    """Every file (hidden temporaries included) under the cache directory."""
    if not settings.cache_dir.exists():
        return []
    return sorted(path for path in settings.cache_dir.rglob("*") if path.is_file())


def with_mirror(settings: Settings, mirror: Path) -> Settings:
    return dataclasses.replace(settings, mirror=mirror)


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def flipped(data: bytes) -> bytes:
    return bytes([data[0] ^ 0xFF]) + data[1:]


# --- success paths -----------------------------------------------------------------------


def test_download_is_verified_and_cached(
    serve: Serve, payload: bytes, empty_settings: Settings
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)

    path = fetch(file, settings=empty_settings)

    assert path == empty_settings.cache_dir / "downloads" / "test" / "file.bin"
    assert path == cached_path(file, empty_settings)
    assert path.read_bytes() == payload
    assert server.requests == ["/test/file.bin"]
    assert cache_files(empty_settings) == [path]  # no temporary file left behind


def test_verified_cached_file_is_returned_without_contacting_the_server(
    serve: Serve, payload: bytes, empty_settings: Settings
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)
    first = fetch(file, settings=empty_settings)
    mtime = first.stat().st_mtime_ns

    second = fetch(file, settings=empty_settings)
    third = fetch(file, settings=empty_settings)

    assert first == second == third
    assert len(server.requests) == 1
    assert second.stat().st_mtime_ns == mtime


def test_cached_file_needs_neither_network_nor_mirror(
    refused_url: str, payload: bytes, empty_settings: Settings, tmp_path: Path
) -> None:
    file = RemoteFile(NAME, refused_url, hashlib.sha256(payload).hexdigest(), "Test")
    put(empty_settings.cache_dir / "downloads", NAME, payload)

    path = fetch(file, settings=with_mirror(empty_settings, tmp_path / "no-such-mirror"))

    assert path.read_bytes() == payload


@pytest.mark.parametrize("origin", ["download", "mirror"])
def test_stale_corrupted_cache_is_replaced_by_a_verified_copy(
    origin: str, serve: Serve, payload: bytes, empty_settings: Settings, tmp_path: Path
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)
    settings = empty_settings
    if origin == "mirror":
        settings = with_mirror(settings, tmp_path / "mirror")
        put(tmp_path / "mirror", NAME, payload)
    stale = put(settings.cache_dir / "downloads", NAME, flipped(payload))

    path = fetch(file, settings=settings)

    assert path == stale
    assert path.read_bytes() == payload
    assert len(server.requests) == (1 if origin == "download" else 0)
    assert cache_files(settings) == [path]


def test_mirror_copy_is_verified_without_network(
    serve: Serve, payload: bytes, empty_settings: Settings, tmp_path: Path
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)
    put(tmp_path / "mirror", NAME, payload)

    path = fetch(file, settings=with_mirror(empty_settings, tmp_path / "mirror"))

    assert path.read_bytes() == payload
    assert server.requests == []
    assert (tmp_path / "mirror" / NAME).read_bytes() == payload


def test_fetch_by_registered_name(
    monkeypatch: pytest.MonkeyPatch, serve: Serve, payload: bytes, empty_settings: Settings
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)
    monkeypatch.setattr(registry, "REGISTRY", MappingProxyType({**registry.REGISTRY, NAME: file}))

    assert fetch(NAME, settings=empty_settings).read_bytes() == payload


def test_settings_come_from_the_environment_by_default(
    monkeypatch: pytest.MonkeyPatch, serve: Serve, payload: bytes, tmp_path: Path
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)
    put(tmp_path / "mirror", NAME, payload)
    monkeypatch.setenv("ASTEROID_SPECTRA_CACHE", str(tmp_path / "env-cache"))
    monkeypatch.setenv("ASTEROID_SPECTRA_MIRROR", str(tmp_path / "mirror"))

    path = fetch(file)

    assert path == tmp_path / "env-cache" / "downloads" / NAME
    assert path.read_bytes() == payload
    assert server.requests == []


# --- progress bars -----------------------------------------------------------------------


def test_progress_bar_follows_a_download(
    serve: Serve, payload: bytes, empty_settings: Settings, progress_bar: Any
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)

    fetch(file, settings=empty_settings, progressbar=progress_bar)

    assert progress_bar.total == len(payload)
    assert len(progress_bar.updates) > 10  # 1 kB chunks, then the fill
    assert progress_bar.resets == 1
    assert progress_bar.n == len(payload)
    assert progress_bar.closed


def test_progress_bar_follows_a_mirror_copy(
    payload: bytes, empty_settings: Settings, tmp_path: Path, progress_bar: Any
) -> None:
    file = RemoteFile(NAME, "http://127.0.0.1:9/x", hashlib.sha256(payload).hexdigest(), "T")
    put(tmp_path / "mirror", NAME, payload)
    settings = with_mirror(empty_settings, tmp_path / "mirror")

    fetch(file, settings=settings, progressbar=progress_bar)

    assert progress_bar.total == len(payload)
    assert sum(progress_bar.updates) == progress_bar.n == len(payload)
    assert progress_bar.closed


def test_progress_bar_is_untouched_on_a_cache_hit(
    payload: bytes, empty_settings: Settings, progress_bar: Any
) -> None:
    file = RemoteFile(NAME, "http://127.0.0.1:9/x", hashlib.sha256(payload).hexdigest(), "T")
    put(empty_settings.cache_dir / "downloads", NAME, payload)

    fetch(file, settings=empty_settings, progressbar=progress_bar)

    assert progress_bar.updates == []
    assert not progress_bar.closed


# --- checksum mismatches ------------------------------------------------------------------


def test_corrupted_download_raises_and_caches_nothing(
    serve: Serve, payload: bytes, empty_settings: Settings
) -> None:
    server = serve("corrupt")
    file = server.publish(NAME, payload)
    expected, actual = file.sha256, hashlib.sha256(flipped(payload)).hexdigest()

    with pytest.raises(ChecksumError, match=f"expected {expected}, got {actual}") as caught:
        fetch(file, settings=empty_settings)

    message = str(caught.value)
    assert message.startswith(f"sha256 of {NAME} from the download does not match the registry")
    assert "The file was deleted and nothing was cached." in message
    assert "Retry the download" in message
    assert server.sent == [flipped(payload)]
    assert not cached_path(file, empty_settings).exists()
    assert cache_files(empty_settings) == []


def test_corrupted_mirror_copy_raises_and_caches_nothing(
    payload: bytes, empty_settings: Settings, tmp_path: Path
) -> None:
    url = "http://smass.example/test/file.bin"
    file = RemoteFile(NAME, url, hashlib.sha256(payload).hexdigest(), "T")
    mirrored = put(tmp_path / "mirror", NAME, flipped(payload))
    settings = with_mirror(empty_settings, tmp_path / "mirror")
    actual = hashlib.sha256(flipped(payload)).hexdigest()

    with pytest.raises(ChecksumError, match=f"expected {file.sha256}, got {actual}") as caught:
        fetch(file, settings=settings)

    message = str(caught.value)
    assert f"sha256 of {NAME} from the mirror does not match" in message
    assert f"Replace the mirror's copy with the original from {url}" in message
    assert "or unset ASTEROID_SPECTRA_MIRROR to download it" in message
    assert cache_files(settings) == []
    assert mirrored.read_bytes() == flipped(payload)  # the mirror itself is left alone


def test_stale_cache_and_corrupted_download_leave_nothing(
    serve: Serve, payload: bytes, empty_settings: Settings
) -> None:
    server = serve("corrupt")
    file = server.publish(NAME, payload)
    put(empty_settings.cache_dir / "downloads", NAME, b"stale")

    with pytest.raises(ChecksumError, match="nothing was cached"):
        fetch(file, settings=empty_settings)

    assert cache_files(empty_settings) == []


# --- retrieval failures -------------------------------------------------------------------


def test_no_network_and_no_mirror(refused_url: str, empty_settings: Settings) -> None:
    file = RemoteFile(NAME, refused_url, "0" * 64, "T")

    with pytest.raises(DownloadError, match="The network seems unreachable") as caught:
        fetch(file, settings=empty_settings)

    message = str(caught.value)
    assert f"Could not download {NAME} from {refused_url}: ConnectionError." in message
    assert "Set ASTEROID_SPECTRA_MIRROR to a local mirror directory" in message
    assert "connect to the internet and retry" in message
    assert cache_files(empty_settings) == []


@pytest.mark.parametrize("kind", ["slow", "stall"])
def test_timeout(kind: str, serve: Serve, payload: bytes, empty_settings: Settings) -> None:
    server = serve(kind)
    file = server.publish(NAME, payload)
    settings = dataclasses.replace(empty_settings, timeout=0.25)

    with pytest.raises(
        DownloadError,
        match=re.escape(f"Downloading {NAME} from {file.url} timed out after 0.25 s."),
    ) as caught:
        fetch(file, settings=settings)

    assert "raise ASTEROID_SPECTRA_TIMEOUT, or set ASTEROID_SPECTRA_MIRROR" in str(caught.value)
    assert server.requests == ["/test/file.bin"]
    assert cache_files(settings) == []


@pytest.mark.parametrize(
    ("kind", "status"), [("404", "404 Client Error: File not found"), ("500", "500 Server Error")]
)
def test_http_error(
    kind: str, status: str, serve: Serve, payload: bytes, empty_settings: Settings
) -> None:
    server = serve(kind)
    file = server.publish(NAME, payload)

    with pytest.raises(DownloadError, match=re.escape(status)) as caught:
        fetch(file, settings=empty_settings)

    message = str(caught.value)
    assert message.startswith(f"Downloading {NAME} from {file.url} failed: ")
    assert "The server refused the file; retry later or set ASTEROID_SPECTRA_MIRROR" in message
    assert cache_files(empty_settings) == []


def test_missing_mirror_directory(
    serve: Serve, payload: bytes, empty_settings: Settings, tmp_path: Path
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)
    missing = tmp_path / "no-such-mirror"

    with pytest.raises(
        DataError,
        match=rf"^ASTEROID_SPECTRA_MIRROR={re.escape(str(missing))} is not a directory\. ",
    ) as caught:
        fetch(file, settings=with_mirror(empty_settings, missing))

    assert not isinstance(caught.value, DownloadError | ChecksumError)
    assert "or unset it to download from the origin URLs" in str(caught.value)
    assert server.requests == []  # a configured mirror is never bypassed
    assert cache_files(empty_settings) == []


def test_mirror_that_is_a_file(payload: bytes, empty_settings: Settings, tmp_path: Path) -> None:
    file = RemoteFile(NAME, "http://127.0.0.1:9/x", hashlib.sha256(payload).hexdigest(), "T")
    (tmp_path / "mirror").write_text("not a folder")

    with pytest.raises(DataError, match="is not a directory"):
        fetch(file, settings=with_mirror(empty_settings, tmp_path / "mirror"))


def test_mirror_lacking_the_file(
    serve: Serve, payload: bytes, empty_settings: Settings, tmp_path: Path
) -> None:
    server = serve("ok")
    file = server.publish(NAME, payload)
    mirror = tmp_path / "mirror"
    put(mirror, "test/other.bin", payload)

    with pytest.raises(
        DataError,
        match=rf"^The mirror {re.escape(str(mirror))} has no file {NAME} "
        rf"\(looked for {re.escape(str(mirror / NAME))}\)\.",
    ) as caught:
        fetch(file, settings=with_mirror(empty_settings, mirror))

    assert f"Put the original from {file.url} there, or unset ASTEROID_SPECTRA_MIRROR" in str(
        caught.value
    )
    assert server.requests == []
    assert cache_files(empty_settings) == []


def test_unreadable_mirror_file(
    payload: bytes, empty_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root reads any file whatever its mode, so the refusal is simulated at Path.open.
    file = RemoteFile(NAME, "http://127.0.0.1:9/x", hashlib.sha256(payload).hexdigest(), "T")
    mirror = tmp_path / "mirror"
    source = put(mirror, NAME, payload)
    real_open = Path.open

    def refusing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == source:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    with pytest.raises(
        DataError,
        match=rf"^Cannot read {re.escape(str(source))} from the mirror \(Permission denied\)\. "
        r"Make it readable, or unset ASTEROID_SPECTRA_MIRROR",
    ):
        fetch(file, settings=with_mirror(empty_settings, mirror))
    assert cache_files(empty_settings) == []


def test_unwritable_cache(payload: bytes, empty_settings: Settings, tmp_path: Path) -> None:
    file = RemoteFile(NAME, "http://127.0.0.1:9/x", hashlib.sha256(payload).hexdigest(), "T")
    put(tmp_path / "mirror", NAME, payload)
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    settings = Settings(cache_dir=blocker, mirror=tmp_path / "mirror", timeout=2.0)

    with pytest.raises(DataError, match=rf"^Could not write {NAME} to the cache ") as caught:
        fetch(file, settings=settings)

    assert "set ASTEROID_SPECTRA_CACHE to a writable directory" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("smass2/Bus.Taxonomy.tx", "Did you mean 'smass2/Bus.Taxonomy.txt'?"),
        ("gaia_dr3/nothing", "Registered collections: smass2, gaia-dr3, smass1, smassir, "),
    ],
)
def test_unregistered_name(name: str, hint: str, empty_settings: Settings) -> None:
    with pytest.raises(DataError, match=re.escape(hint)):
        fetch(name, settings=empty_settings)

    assert cache_files(empty_settings) == []


# --- collections, helpers -----------------------------------------------------------------


def test_fetch_collection(
    monkeypatch: pytest.MonkeyPatch, serve: Serve, empty_settings: Settings, tmp_path: Path
) -> None:
    server = serve("ok")
    files = [server.publish("test/a.bin", b"alpha"), server.publish("test/b.bin", b"beta")]
    monkeypatch.setattr(registry, "REGISTRY", MappingProxyType({file.name: file for file in files}))
    monkeypatch.setattr(
        registry, "COLLECTIONS", MappingProxyType({"test": ("test/a.bin", "test/b.bin")})
    )

    paths = fetch_collection("test", settings=empty_settings)

    assert list(paths) == ["test/a.bin", "test/b.bin"]
    assert [path.read_bytes() for path in paths.values()] == [b"alpha", b"beta"]
    assert sorted(server.requests) == ["/test/a.bin", "/test/b.bin"]


def test_fetch_collection_unknown(empty_settings: Settings) -> None:
    with pytest.raises(DataError, match=r"Unknown collection 'gaia'; expected one of smass2"):
        fetch_collection("gaia", settings=empty_settings)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # FIPS 180-2, appendix B.1 and the empty-message digest.
        (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ],
)
def test_sha256_known_digests(data: bytes, expected: str, tmp_path: Path) -> None:
    assert sha256(put(tmp_path, "f", data)) == expected


def test_sha256_of_a_file_larger_than_one_chunk(tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000  # 1.28 MB, more than the 1 MiB read size

    assert sha256(str(put(tmp_path, "big", data))) == hashlib.sha256(data).hexdigest()


def test_mirror_downloader_copies_bytes(payload: bytes, tmp_path: Path) -> None:
    put(tmp_path / "mirror", NAME, payload)
    output = tmp_path / "out.bin"

    MirrorDownloader(tmp_path / "mirror", NAME)("http://origin/x", str(output))

    assert output.read_bytes() == payload
