"""The one exception hierarchy of asteroid-spectra.

Every message says what went wrong, what was expected, what was found and what to do.
Catch :class:`AsteroidSpectraError` to handle any error raised on purpose by this package.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AsteroidSpectraError",
    "ChecksumError",
    "CoverageError",
    "DataError",
    "DownloadError",
    "MissingDependencyError",
    "ParameterError",
    "ParseError",
    "SpectrumError",
    "SpectrumWarning",
    "StateError",
    "UnitError",
]


class AsteroidSpectraError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(AsteroidSpectraError):
    """A data file is unknown, missing, unreadable or corrupt."""


class ChecksumError(DataError):
    """A file's sha256 differs from the registered one; the file has been deleted."""


class DownloadError(DataError):
    """A remote file could not be retrieved (no network, timeout, HTTP error)."""


class ParseError(AsteroidSpectraError, ValueError):
    """A file does not have the expected format.

    Parameters
    ----------
    message : str
        What was expected and what was found.
    path : str or Path, optional
        The file being read.
    line : int, optional
        1-based line number of the offending line.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)


class SpectrumError(AsteroidSpectraError, ValueError):
    """A spectrum's values are invalid (NaNs, too few points, unsorted, negative)."""


class UnitError(SpectrumError):
    """A wavelength unit is unknown or does not fit the values (nm given as µm, ...)."""


class CoverageError(SpectrumError):
    """A spectrum does not cover the wavelength range an operation or model needs."""


class ParameterError(AsteroidSpectraError, ValueError):
    """An argument or estimator parameter has a value or type it cannot take.

    Messages follow scikit-learn's template: "The 'x' parameter of Y must be … Got …
    instead."
    """


class MissingDependencyError(AsteroidSpectraError, ImportError):
    """An optional dependency (an extra such as ``study`` or ``serve``) is not installed."""


class StateError(AsteroidSpectraError, RuntimeError):
    """An object was used in a state that does not allow it (e.g. not started yet)."""


class SpectrumWarning(UserWarning):
    """A spectrum was repaired (junk rows dropped, gaps filled) or used only in part."""
