"""Local files written safely: checksums, atomic files, atomic directories.

Everything the package writes — cached tables, saved models, reports, catalogues — goes
to a temporary name beside its destination and is renamed into place only once complete,
so a crash or a full disk never leaves a half-written file for a reader to find.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from asteroid_spectra.exceptions import DataError

__all__ = ["atomic_directory", "atomic_path", "sha256"]

_CHUNK = 1 << 20


def sha256(path: str | Path) -> str:
    """Return the lower-case hex sha256 of the file at `path`.

    Examples
    --------
    >>> target = Path(tempfile.mkdtemp()) / "empty"
    >>> _ = target.write_bytes(b"")
    >>> sha256(target)[:16]
    'e3b0c44298fc1c14'
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        for block in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    """Return the process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`, renamed to `path` if the block succeeds.

    Parent directories are created. If the block raises, the temporary file is removed
    and `path` is left as it was: a reader never sees a half-written file.

    Examples
    --------
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as temporary:
    ...     _ = temporary.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(0o666 & ~_umask())  # mkstemp's 0600 → what open() would have made
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(directory: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield an empty staging directory that replaces `directory` if the block succeeds.

    The staging directory sits beside `directory`; on success an existing `directory`
    is moved aside, the staging one renamed into place and the old one deleted (if the
    rename fails, the old one is put back). If the block raises, the staging directory is
    deleted and `directory` is left as it was.

    Raises
    ------
    DataError
        If `directory` exists and `overwrite` is False.

    Examples
    --------
    >>> target = Path(tempfile.mkdtemp()) / "model"
    >>> with atomic_directory(target) as staging:
    ...     _ = (staging / "card.json").write_text("{}")
    >>> sorted(p.name for p in target.iterdir())
    ['card.json']
    """
    directory = Path(directory)
    if directory.exists() and not overwrite:
        raise DataError(f"{directory} exists; choose another directory or pass overwrite=True.")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}."))
    try:
        yield staging
        if not directory.exists():
            staging.replace(directory)
            return
        backup = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.old."))
        backup.rmdir()
        directory.replace(backup)
        try:
            staging.replace(directory)
        except BaseException:
            backup.replace(directory)
            raise
        shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
