"""Checksummed retrieval of registered files, through :mod:`pooch`.

A file is downloaded (or copied from a local mirror) to a temporary file inside the
cache, its sha256 is verified, and only then is it moved into place. A file whose hash
does not match is deleted and :class:`~asteroid_spectra.exceptions.ChecksumError` says
which hash was expected, which was found and what to do. A mirror is just another
downloader, so its files are verified exactly like downloads.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from asteroid_spectra.config import MIRROR_ENV, TIMEOUT_ENV, Settings, get_settings
from asteroid_spectra.data.files import sha256
from asteroid_spectra.data.registry import RemoteFile, remote_file
from asteroid_spectra.exceptions import ChecksumError, DataError, DownloadError

__all__ = [
    "MirrorDownloader",
    "ProgressBar",
    "cached_path",
    "fetch",
    "fetch_collection",
]

_CHUNK = 1 << 20


class ProgressBar(Protocol):
    """What :func:`fetch` needs of a progress bar (the protocol pooch uses)."""

    total: int

    def update(self, n: int) -> Any:
        """Advance by `n` bytes."""

    def reset(self) -> Any:
        """Go back to zero."""

    def close(self) -> Any:
        """Finish the bar."""


class MirrorDownloader:
    """A pooch downloader that copies a registered file from a local mirror directory.

    Parameters
    ----------
    mirror : Path
        Directory laid out like the archives (``smass2/…``, ``gaia_dr3/…``).
    name : str
        Registered name of the file, i.e. its path relative to `mirror`.
    progressbar : ProgressBar, optional
        Advanced as bytes are copied.
    """

    def __init__(self, mirror: Path, name: str, progressbar: ProgressBar | None = None):
        self.mirror = mirror
        self.name = name
        self.progressbar = progressbar

    def __call__(self, url: str, output_file: str, pooch: object = None) -> None:
        """Copy the mirror's copy of the file to `output_file`."""
        if not self.mirror.is_dir():
            raise DataError(
                f"{MIRROR_ENV}={self.mirror} is not a directory. Point it at a directory "
                "laid out like the archives (smass2/…, gaia_dr3/…), or unset it to "
                "download from the origin URLs."
            )
        source = self.mirror / self.name
        if not source.is_file():
            raise DataError(
                f"The mirror {self.mirror} has no file {self.name} (looked for {source}). "
                f"Put the original from {url} there, or unset {MIRROR_ENV} to download it."
            )
        bar = self.progressbar
        try:
            reader = source.open("rb")
        except OSError as error:
            raise DataError(
                f"Cannot read {source} from the mirror ({error.strerror or error}). Make it "
                f"readable, or unset {MIRROR_ENV} to download the file from {url}."
            ) from error
        if bar is not None:
            bar.total = source.stat().st_size
        with reader, Path(output_file).open("wb") as writer:
            for block in iter(lambda: reader.read(_CHUNK), b""):
                writer.write(block)
                if bar is not None:
                    bar.update(len(block))
        if bar is not None:
            bar.close()


class _VerifyingDownloader:
    """Wrap a downloader: check the sha256 of what it wrote before pooch moves it."""

    def __init__(self, downloader: Any, file: RemoteFile, origin: str):
        self.downloader = downloader
        self.file = file
        self.origin = origin

    def __call__(self, url: str, output_file: str, pooch: object = None) -> None:
        self.downloader(url, output_file, pooch)
        actual = sha256(output_file)
        if actual != self.file.sha256:
            Path(output_file).unlink(missing_ok=True)
            if self.origin == "mirror":
                todo = (
                    f"Replace the mirror's copy with the original from {self.file.url}, "
                    f"or unset {MIRROR_ENV} to download it."
                )
            else:
                todo = (
                    "Retry the download (the transfer may have been corrupted); if it "
                    "fails again, the publisher changed the file: report it."
                )
            raise ChecksumError(
                f"sha256 of {self.file.name} from the {self.origin} does not match the "
                f"registry: expected {self.file.sha256}, got {actual}. The file was deleted "
                f"and nothing was cached. {todo}"
            )


def cached_path(file: RemoteFile, settings: Settings | None = None) -> Path:
    """Return where `file` is (or will be) cached."""
    settings = get_settings() if settings is None else settings
    return settings.cache_dir / "downloads" / file.name


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _timed_out(error: Exception) -> bool:
    """Tell whether a requests error is a timeout, also one in the middle of the body.

    requests raises ``Timeout`` while connecting or waiting for the headers, but reports a
    read that times out while streaming the body as a ``ConnectionError`` wrapping
    urllib3's ``ReadTimeoutError``.
    """
    import requests
    import urllib3

    return isinstance(error, requests.exceptions.Timeout) or any(
        isinstance(cause, urllib3.exceptions.TimeoutError) for cause in error.args
    )


def fetch(
    name: str | RemoteFile,
    *,
    settings: Settings | None = None,
    progressbar: ProgressBar | None = None,
) -> Path:
    """Return the local path of a registered file, retrieving and verifying it if needed.

    The file comes from the cache when a verified copy is there, else from the mirror
    named by ``ASTEROID_SPECTRA_MIRROR``, else from its origin URL. A cached copy whose
    hash does not match is deleted and retrieved again.

    Parameters
    ----------
    name : str or RemoteFile
        Registered name (e.g. ``"smass2/Bus.Taxonomy.txt"``) or a :class:`RemoteFile`.
    settings : Settings, optional
        Cache, mirror and timeout (default: from the environment).
    progressbar : ProgressBar, optional
        Progress bar advanced with the bytes transferred.

    Returns
    -------
    Path
        Path of the verified file in the cache.

    Raises
    ------
    ChecksumError
        The retrieved bytes do not match the registered sha256 (nothing is cached).
    DownloadError
        No network, timeout or HTTP error, and no mirror configured.
    DataError
        The name is not registered, or the mirror lacks the file.

    Examples
    --------
    >>> path = fetch("smass2/Bus.Taxonomy.txt")  # doctest: +SKIP
    """
    import pooch
    import requests

    file = remote_file(name) if isinstance(name, str) else name
    settings = get_settings() if settings is None else settings
    target = cached_path(file, settings)
    if target.is_file():
        if sha256(target) == file.sha256:
            return target
        target.unlink()
    if settings.mirror is not None:
        downloader: Any = MirrorDownloader(settings.mirror, file.name, progressbar)
        origin = "mirror"
    else:
        downloader = pooch.HTTPDownloader(
            progressbar=progressbar if progressbar is not None else False,
            timeout=settings.timeout,
        )
        origin = "download"
    try:
        with _quiet_pooch():
            pooch.retrieve(
                url=file.url,
                known_hash=f"sha256:{file.sha256}",
                fname=target.name,
                path=target.parent,
                downloader=_VerifyingDownloader(downloader, file, origin),
            )
    except requests.exceptions.HTTPError as error:
        raise DownloadError(
            f"Downloading {file.name} from {file.url} failed: {error}. The server refused "
            f"the file; retry later or set {MIRROR_ENV} to a local mirror directory."
        ) from error
    except requests.exceptions.RequestException as error:
        if _timed_out(error):
            raise DownloadError(
                f"Downloading {file.name} from {file.url} timed out after "
                f"{settings.timeout:g} s. Retry, raise {TIMEOUT_ENV}, or set {MIRROR_ENV} "
                "to a local mirror directory."
            ) from error
        raise DownloadError(
            f"Could not download {file.name} from {file.url}: {type(error).__name__}. "
            f"The network seems unreachable. Set {MIRROR_ENV} to a local mirror directory "
            "(laid out like smass2/…, gaia_dr3/…) or connect to the internet and retry."
        ) from error
    except OSError as error:
        raise DataError(
            f"Could not write {file.name} to the cache {target.parent}: {error}. Free some "
            "disk space or set ASTEROID_SPECTRA_CACHE to a writable directory."
        ) from error
    return target


def fetch_collection(
    name: str,
    *,
    settings: Settings | None = None,
) -> dict[str, Path]:
    """Fetch every file of a collection (``"smass2"``, ``"gaia-dr3"``).

    Returns
    -------
    dict
        Registered name → verified local path.
    """
    from asteroid_spectra.data.registry import collection

    return {file.name: fetch(file, settings=settings) for file in collection(name)}
