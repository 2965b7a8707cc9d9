"""Settings, built on demand from the environment.

Nothing is read or created at import time: call :func:`get_settings` when a setting is
needed. Environment variables:

``ASTEROID_SPECTRA_CACHE``
    Directory for downloaded files and cached tables (default: the user cache directory
    given by :mod:`platformdirs`, e.g. ``~/.cache/asteroid-spectra`` on Linux).
``ASTEROID_SPECTRA_MIRROR``
    A local directory laid out like the public archives (``smass2/…``, ``gaia_dr3/…``).
    When set, files are copied from there instead of downloaded; their sha256 is still
    verified.
``ASTEROID_SPECTRA_TIMEOUT``
    Network timeout in seconds for downloads (default 60).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from asteroid_spectra.exceptions import DataError

__all__ = ["Settings", "get_settings"]

CACHE_ENV = "ASTEROID_SPECTRA_CACHE"
MIRROR_ENV = "ASTEROID_SPECTRA_MIRROR"
TIMEOUT_ENV = "ASTEROID_SPECTRA_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
MAX_TIMEOUT = 86400.0
DEFAULT_SEED = 0


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one call.

    Attributes
    ----------
    cache_dir : Path
        Where downloads and cached tables live (created on first write, not here).
    mirror : Path or None
        Local mirror directory, absolute, or None to download from the origin URLs.
    timeout : float
        Download timeout in seconds.
    seed : int
        Default seed for stochastic steps.
    """

    cache_dir: Path
    mirror: Path | None
    timeout: float = DEFAULT_TIMEOUT
    seed: int = DEFAULT_SEED


def get_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from the environment.

    Parameters
    ----------
    environ : Mapping, optional
        Environment to read (default :data:`os.environ`).

    Returns
    -------
    Settings

    Raises
    ------
    DataError
        If ``ASTEROID_SPECTRA_TIMEOUT`` is not a positive, finite number.
    """
    env = os.environ if environ is None else environ
    cache = env.get(CACHE_ENV)
    if cache:
        cache_dir = Path(cache).expanduser().absolute()
    else:
        from platformdirs import user_cache_path

        cache_dir = user_cache_path("asteroid-spectra")
    mirror_text = env.get(MIRROR_ENV)
    mirror = Path(mirror_text).expanduser().absolute() if mirror_text else None
    timeout_text = env.get(TIMEOUT_ENV)
    timeout = DEFAULT_TIMEOUT
    if timeout_text:
        try:
            timeout = float(timeout_text)
        except ValueError:
            timeout = -1.0
        if not 0 < timeout <= MAX_TIMEOUT:
            raise DataError(
                f"{TIMEOUT_ENV} must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}. "
                f"Got {timeout_text!r} instead; unset it to use {DEFAULT_TIMEOUT:g} s."
            )
    return Settings(cache_dir=cache_dir, mirror=mirror, timeout=timeout)
