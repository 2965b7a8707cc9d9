"""Registry of every remote file the package reads: origin URL, sha256 and citation.

A file's *name* is its path inside a mirror (``smass2/Bus.Taxonomy.txt``), which is
also where it is cached. Files are grouped into *collections* (``smass2``,
``gaia-dr3``), one per survey.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from types import MappingProxyType

from asteroid_spectra.exceptions import DataError

__all__ = ["COLLECTIONS", "REGISTRY", "RemoteFile", "collection", "remote_file"]

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

_SMASS2_URL = "http://smass.mit.edu/data/smass/"
_GAIA_DR3_URL = "https://cdn.gea.esac.esa.int/Gaia/gdr3/Solar_system/sso_reflectance_spectrum/"
_GAIA_DR3_SHA256 = {
    "00": "95fcc56eee23ed747d7a8673f9a9138a431e64bf9c7aef0ad909577c6aa905f6",
    "01": "3d4bbc55975ed093f87b0c7f8b68e72ca2d5f8b31bae899af8c9683e0b55fe56",
    "02": "6dd76326984f072be9e480d73542918da25d2d6100fd841f3977df87209d464c",
    "03": "38b7635cfa5c27388ca249cbd9521317523f449dd02366b92a1dcd067d679429",
    "04": "0bc7453c44b81e0592f0f4cc3f66d6b37ec7efa4aa8ed88dcc805ffe8481a1bf",
    "05": "176350a0fe42faeeea3ba5b117192fa5da321656f7f161e7799c75ccd13e6f39",
    "06": "f0d4f16921bc9b045f0a3743a4e0541bba8a81f48fb649c0165daeba274d44eb",
    "07": "5787e987360501717bfe5936b78053b9f7dfd9023bae08dfc5688afe93ed7e73",
    "08": "0d6ea9b8b0d1df0f34ba09c5b9dd38ace090ccf5b62220539a4f28ad262c63b8",
    "09": "11acd4971a232e15b53a765d824e2cb341e42081cd02323d0a980f52b8997cb8",
    "10": "a106fcbbf84dff444e45a75ed3a1e07c458dec56013683726a8e0a16d37b22ed",
    "11": "3e85bed1aa142c7517fb07433d8a1d926348ecdc34c91a3ae85bcdb68c4c968e",
    "12": "b947af82f16ac2e84b57a9875e33ed797149948723c51ef6711adf81a962e841",
    "13": "0cbcf9b25619d4b6d520158ce331b8c4d67e1f1eec665f4d4dfc705fd19fe661",
    "14": "62f97cc48160ff248fa3f96e34de59ec949ff3e46f59ee97f735ca812b3de2fd",
    "15": "4345154c6c806707daf60054bceba327c0dc93827ef492603b2d23e37316820b",
    "16": "67b9999c2c32a6a009e47d66a664aedae2698c4bd1b28f0c007b148eb353fc27",
    "17": "007b5b2ed7cf62bb907c3c6592c3acdf4c2e04140e0f3a8a63dd07d50d5fe85a",
    "18": "39e4c386da053d2e11badb85c09af4ffdfba3697a84670dc3a353b2624d2eb87",
    "19": "842f1c8ff9363c9872190dc8c4dd5a26eb645e5e191da169ff33311a98200879",
}


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


def _registry() -> dict[str, RemoteFile]:
    files = [
        RemoteFile(
            "smass2/smass2data.tar.gz",
            _SMASS2_URL + "smass2data.tar.gz",
            "dacf575eb1403c08bdfbffcd5dbfe12503a588e09b04ed19cc4572584a57fa97",
            SMASS2_CITATION,
        ),
        RemoteFile(
            "smass2/Bus.Taxonomy.txt",
            _SMASS2_URL + "Bus.Taxonomy.txt",
            "0ce970a6972dd7c49d512848b9736d00b621c9d6395a035bd1b4f3780d4b56c6",
            SMASS2_CITATION,
        ),
    ]
    for part, sha256 in _GAIA_DR3_SHA256.items():
        filename = f"SsoReflectanceSpectrum_{part}.csv.gz"
        files.append(
            RemoteFile(f"gaia_dr3/{filename}", _GAIA_DR3_URL + filename, sha256, GAIA_DR3_CITATION)
        )
    return {file.name: file for file in files}


REGISTRY = MappingProxyType(_registry())
"""Every registered remote file, by name."""

COLLECTIONS = MappingProxyType(
    {
        "smass2": ("smass2/smass2data.tar.gz", "smass2/Bus.Taxonomy.txt"),
        "gaia-dr3": tuple(name for name in REGISTRY if name.startswith("gaia_dr3/")),
    }
)
"""Names of the files of each survey."""


def remote_file(name: str) -> RemoteFile:
    """Return the registered file called `name`.

    Raises
    ------
    DataError
        If no file of that name is registered (the message suggests close names).
    """
    try:
        return REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(REGISTRY), n=3)
        hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise DataError(
            f"No remote file called {name!r} is registered.{hint} "
            f"Registered collections: {', '.join(COLLECTIONS)}."
        ) from None


def collection(name: str) -> tuple[RemoteFile, ...]:
    """Return the files of the collection (survey) called `name`.

    Raises
    ------
    DataError
        If `name` is not one of :data:`COLLECTIONS`.
    """
    try:
        names = COLLECTIONS[name]
    except KeyError:
        raise DataError(
            f"Unknown collection {name!r}; expected one of {', '.join(COLLECTIONS)}."
        ) from None
    return tuple(REGISTRY[n] for n in names)
