"""Registry of every remote file the package reads: origin URL, sha256 and citation.

Files are grouped into *collections*, one per survey or taxonomy (:data:`SURVEYS`). A
file's *name* is its path inside a mirror (``smass2/Bus.Taxonomy.txt``), which is also
where it is cached. The files of a collection and their sha256 are listed in its
manifest, ``asteroid_spectra/data/manifests/<collection>.txt`` (one ``path sha256`` per
line, pooch's registry format), read on first use; the origin URL is the collection's
base URL followed by the file's path (or the path given in :attr:`Survey.origin_paths`).

The manifests were written from the sha256 of the files as their publishers serve them
(the mirror's ``SHA256SUMS``); every download or mirror copy is verified against them.
"""

from __future__ import annotations

import difflib
import functools
import sys
import urllib.parse
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

from asteroid_spectra.exceptions import DataError

__all__ = [
    "COLLECTIONS",
    "REGISTRY",
    "SURVEYS",
    "RemoteFile",
    "Survey",
    "collection",
    "remote_file",
]

SMASS2_CITATION = (
    "Bus, S. J. & Binzel, R. P. (2002). Phase II of the Small Main-Belt Asteroid "
    "Spectroscopic Survey: The observations. Icarus 158, 106-145, "
    "doi:10.1006/icar.2002.6857; and: A feature-based taxonomy. Icarus 158, 146-177, "
    "doi:10.1006/icar.2002.6856."
)
GAIA_DR3_CITATION = (
    "Gaia Collaboration, Galluccio, L. et al. (2023). Gaia Data Release 3: Reflectance "
    "spectra of Solar System small bodies. A&A 674, A35, doi:10.1051/0004-6361/202243791."
)
SMASS1_CITATION = (
    "Xu, S., Binzel, R. P., Burbine, T. H. & Bus, S. J. (1995). Small Main-Belt Asteroid "
    "Spectroscopic Survey: Initial results. Icarus 115, 1-35, doi:10.1006/icar.1995.1075."
)
SMASSIR_CITATION = (
    "Burbine, T. H. & Binzel, R. P. (2002). Small Main-Belt Asteroid Spectroscopic Survey "
    "in the Near-Infrared. Icarus 159, 468-499, doi:10.1006/icar.2002.6902."
)
PRIMASS_CITATION = (
    "Pinilla-Alonso, N., de León, J. et al. PRIMASS-L: the PRIMitive Asteroids "
    "Spectroscopic Survey library of visible spectra, NASA Planetary Data System, "
    "urn:nasa:pds:gbo.ast.primass-l.spectra."
)
SPEX_CITATION = (
    "IRTF SpeX near-infrared spectra of asteroids, NASA Planetary Data System collection "
    "urn:nasa:pds:gbo.ast.irtf-spex-collection.spectra (spectra from the papers named by "
    "their folders, e.g. Binzel et al. 2001, Clark et al. 2004, Sunshine et al. 2008)."
)
ECAS_CITATION = (
    "Zellner, B., Tholen, D. J. & Tedesco, E. F. (1985). The eight-color asteroid survey: "
    "Results for 589 minor planets. Icarus 61, 355-416, doi:10.1016/0019-1035(85)90133-2."
)
THOLEN_CITATION = (
    "Tholen, D. J. (1984). Asteroid taxonomy from cluster analysis of photometry. PhD "
    "thesis, University of Arizona."
)
DEMEO_CITATION = (
    "DeMeo, F. E., Binzel, R. P., Slivan, S. M. & Bus, S. J. (2009). An extension of the "
    "Bus asteroid taxonomy into the near-infrared. Icarus 202, 160-180, "
    "doi:10.1016/j.icarus.2009.02.005."
)

_CLASSY_APP = (
    "https://raw.githubusercontent.com/maxmahlke/classy-app/"
    "458a1c1d5254372a909c9c0d996d7c64f927f08f/data/"
)
_CLASSY = (
    "https://raw.githubusercontent.com/maxmahlke/classy/8dc18d0808bb34c9959a9e3e6625158dc27e5824/"
)


@dataclass(frozen=True)
class Survey:
    """A collection of registered files: where it lives and what to cite.

    Attributes
    ----------
    name : str
        Collection name (``"smass2"``, ``"demeo2009"``…).
    folder : str
        Its folder in a mirror and in the cache.
    base_url : str
        Origin of its files: base URL + path inside the folder.
    citation : str
        What to cite when its files are used.
    origin_paths : Mapping
        Paths below `base_url` for files published under another path than their name.
    """

    name: str
    folder: str
    base_url: str
    citation: str
    origin_paths: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def url(self, path: str) -> str:
        """Origin URL of the file at `path` inside :attr:`folder` (percent-encoded)."""
        return self.base_url + urllib.parse.quote(self.origin_paths.get(path, path))


SURVEYS: MappingProxyType[str, Survey] = MappingProxyType(
    {
        survey.name: survey
        for survey in (
            Survey("smass2", "smass2", "http://smass.mit.edu/data/smass/", SMASS2_CITATION),
            Survey(
                "gaia-dr3",
                "gaia_dr3",
                "https://cdn.gea.esac.esa.int/Gaia/gdr3/Solar_system/sso_reflectance_spectrum/",
                GAIA_DR3_CITATION,
            ),
            Survey("smass1", "smass1", _CLASSY_APP + "smass/smass1/", SMASS1_CITATION),
            Survey("smassir", "smassir", _CLASSY_APP + "smass/smassir/", SMASSIR_CITATION),
            Survey(
                "primass-l",
                "primass_l",
                _CLASSY_APP + "pds/gbo.ast.primass-l.spectra_V1_0/",
                PRIMASS_CITATION,
            ),
            Survey(
                "irtf-spex",
                "irtf_spex",
                _CLASSY_APP + "pds/gbo.ast.irtf-spex-collection.spectra/",
                SPEX_CITATION,
            ),
            Survey("ecas", "ecas", _CLASSY_APP + "pds/gbo.ast.ecas.phot/", ECAS_CITATION),
            Survey("tholen1984", "tholen1984", _CLASSY_APP + "tholen1984/", THOLEN_CITATION),
            Survey(
                "demeo2009",
                "demeo2009",
                _CLASSY,
                DEMEO_CITATION,
                MappingProxyType(
                    {
                        "demeo2009_splined_spectra.csv": "tests/data/demeo2009_splined_spectra.csv",
                        "scores.csv": "data/demeo2009/scores.csv",
                        "templates.csv": "data/demeo2009/templates.csv",
                    }
                ),
            ),
        )
    }
)
"""Every collection, in order."""


@dataclass(frozen=True)
class RemoteFile:
    """One registered remote file.

    Attributes
    ----------
    name : str
        Path of the file inside a mirror and inside the cache, e.g.
        ``"smass2/Bus.Taxonomy.txt"``.
    url : str
        Origin URL, as published.
    sha256 : str
        Lower-case hex sha256 of the published bytes.
    citation : str
        Reference to cite when the file is used.
    """

    name: str
    url: str
    sha256: str
    citation: str


@functools.cache
def _manifest(name: str) -> tuple[RemoteFile, ...]:
    """Read the manifest of collection `name` (once per process)."""
    survey = SURVEYS[name]
    text = resources.files("asteroid_spectra.data").joinpath(f"manifests/{name}.txt").read_text()
    files = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 2 or len(fields[1]) != 64:
            raise DataError(
                f"Line {number} of the {name} manifest is {line!r}; expected 'path sha256'. "
                "The installed package is damaged: reinstall it."
            )
        path, sha256 = fields
        files.append(
            RemoteFile(f"{survey.folder}/{path}", survey.url(path), sha256, survey.citation)
        )
    return tuple(files)


@functools.cache
def _registry() -> MappingProxyType[str, RemoteFile]:
    return MappingProxyType({f.name: f for name in SURVEYS for f in _manifest(name)})


@functools.cache
def _collections() -> MappingProxyType[str, tuple[str, ...]]:
    return MappingProxyType({name: tuple(f.name for f in _manifest(name)) for name in SURVEYS})


def _module() -> Any:
    # REGISTRY and COLLECTIONS are looked up on the module, so a caller (a test) may
    # replace them with monkeypatch.setattr.
    return sys.modules[__name__]


def collection(name: str) -> tuple[RemoteFile, ...]:
    """Return the files of the collection (survey) called `name`.

    Raises
    ------
    DataError
        If `name` is not one of :data:`COLLECTIONS`.
    """
    module = _module()
    try:
        names = module.COLLECTIONS[name]
    except KeyError:
        raise DataError(
            f"Unknown collection {name!r}; expected one of {', '.join(module.COLLECTIONS)}."
        ) from None
    return tuple(module.REGISTRY[n] for n in names)


def remote_file(name: str) -> RemoteFile:
    """Return the registered file called `name`.

    Raises
    ------
    DataError
        If no file of that name is registered (the message suggests close names).
    """
    module = _module()
    registry = module.REGISTRY
    try:
        return registry[name]  # type: ignore[no-any-return]
    except KeyError:
        close = difflib.get_close_matches(name, list(registry), n=3)
        hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise DataError(
            f"No remote file called {name!r} is registered.{hint} "
            f"Registered collections: {', '.join(module.COLLECTIONS)}."
        ) from None


def __getattr__(name: str) -> Any:
    """Build :data:`REGISTRY` and :data:`COLLECTIONS` on first access (no I/O at import)."""
    if name == "REGISTRY":
        return _registry()
    if name == "COLLECTIONS":
        return _collections()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


REGISTRY: MappingProxyType[str, RemoteFile]
"""Every registered remote file, by name (read from the manifests on first access)."""

COLLECTIONS: MappingProxyType[str, tuple[str, ...]]
"""Names of the files of each collection."""
