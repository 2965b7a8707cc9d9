"""The registry of remote files: names, URLs, hashes, collections and lookups."""

from __future__ import annotations

import dataclasses
import re

import pytest

from asteroid_spectra.data.registry import (
    COLLECTIONS,
    GAIA_DR3_CITATION,
    REGISTRY,
    SMASS2_CITATION,
    RemoteFile,
    collection,
    remote_file,
)
from asteroid_spectra.exceptions import DataError

GAIA_NAMES = [f"gaia_dr3/SsoReflectanceSpectrum_{part:02d}.csv.gz" for part in range(20)]

# sha256 of the SMASSII files, copied from the table in /work/shared/data/README.md
# (the mirror's SHA256SUMS lists the same values).
SMASS2_SHA256 = {
    "smass2/smass2data.tar.gz": "dacf575eb1403c08bdfbffcd5dbfe12503a588e09b04ed19cc4572584a57fa97",
    "smass2/Bus.Taxonomy.txt": "0ce970a6972dd7c49d512848b9736d00b621c9d6395a035bd1b4f3780d4b56c6",
}


def test_registry_holds_the_22_files_of_the_mirror_layout() -> None:
    assert len(REGISTRY) == 22
    assert sorted(REGISTRY) == sorted([*SMASS2_SHA256, *GAIA_NAMES])
    assert all(name == file.name for name, file in REGISTRY.items())


def test_every_sha256_is_64_lowercase_hex() -> None:
    for file in REGISTRY.values():
        assert re.fullmatch(r"[0-9a-f]{64}", file.sha256), file.name
    assert len({file.sha256 for file in REGISTRY.values()}) == 22


def test_smass2_hashes_match_the_mirror_readme() -> None:
    assert {name: REGISTRY[name].sha256 for name in SMASS2_SHA256} == SMASS2_SHA256


@pytest.mark.parametrize(
    ("name", "url", "citation"),
    [
        (
            "smass2/smass2data.tar.gz",
            "http://smass.mit.edu/data/smass/smass2data.tar.gz",
            SMASS2_CITATION,
        ),
        (
            "smass2/Bus.Taxonomy.txt",
            "http://smass.mit.edu/data/smass/Bus.Taxonomy.txt",
            SMASS2_CITATION,
        ),
        (
            "gaia_dr3/SsoReflectanceSpectrum_00.csv.gz",
            "https://cdn.gea.esac.esa.int/Gaia/gdr3/Solar_system/sso_reflectance_spectrum/"
            "SsoReflectanceSpectrum_00.csv.gz",
            GAIA_DR3_CITATION,
        ),
        (
            "gaia_dr3/SsoReflectanceSpectrum_19.csv.gz",
            "https://cdn.gea.esac.esa.int/Gaia/gdr3/Solar_system/sso_reflectance_spectrum/"
            "SsoReflectanceSpectrum_19.csv.gz",
            GAIA_DR3_CITATION,
        ),
    ],
)
def test_origin_urls_and_citations(name: str, url: str, citation: str) -> None:
    file = remote_file(name)

    assert file.url == url
    assert file.citation == citation


def test_every_url_ends_with_the_file_name() -> None:
    for file in REGISTRY.values():
        assert file.url.rsplit("/", 1)[1] == file.name.rsplit("/", 1)[1]


def test_citations_name_the_papers() -> None:
    assert "Bus, S. J. & Binzel, R. P. (2002)" in SMASS2_CITATION
    assert "Icarus 158, 106-145" in SMASS2_CITATION
    assert "Icarus 158, 146-177" in SMASS2_CITATION
    assert "Galluccio, L. et al. (2023)" in GAIA_DR3_CITATION
    assert "A&A 674, A35" in GAIA_DR3_CITATION


def test_collections() -> None:
    assert list(COLLECTIONS) == ["smass2", "gaia-dr3"]
    assert [file.name for file in collection("smass2")] == [
        "smass2/smass2data.tar.gz",
        "smass2/Bus.Taxonomy.txt",
    ]
    assert [file.name for file in collection("gaia-dr3")] == GAIA_NAMES
    assert all(isinstance(file, RemoteFile) for file in collection("gaia-dr3"))


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("smass2/Bus.Taxonomy.tx", "Did you mean 'smass2/Bus.Taxonomy.txt'?"),
        ("smass2/bus.taxonomy.txt", "Did you mean 'smass2/Bus.Taxonomy.txt'?"),
        ("smass2/smass2data.tgz", "Did you mean 'smass2/smass2data.tar.gz'?"),
        (
            "gaia_dr3/SsoReflectanceSpectrum_07.csv",
            "Did you mean 'gaia_dr3/SsoReflectanceSpectrum_07.csv.gz' or ",
        ),
    ],
)
def test_unknown_name_suggests_close_matches(name: str, hint: str) -> None:
    with pytest.raises(DataError, match=re.escape(hint)) as caught:
        remote_file(name)

    assert f"No remote file called {name!r} is registered." in str(caught.value)
    assert str(caught.value).endswith("Registered collections: smass2, gaia-dr3.")


def test_unknown_name_without_close_match_has_no_hint() -> None:
    with pytest.raises(
        DataError,
        match=r"^No remote file called 'zzz' is registered\. Registered collections: "
        r"smass2, gaia-dr3\.$",
    ):
        remote_file("zzz")


@pytest.mark.parametrize("name", ["gaia", "gaia_dr3", "SMASS2", ""])
def test_unknown_collection(name: str) -> None:
    with pytest.raises(
        DataError,
        match=rf"^Unknown collection {re.escape(repr(name))}; expected one of smass2, gaia-dr3\.$",
    ):
        collection(name)


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        REGISTRY["x"] = REGISTRY["smass2/Bus.Taxonomy.txt"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        REGISTRY["smass2/Bus.Taxonomy.txt"].sha256 = "0" * 64  # type: ignore[misc]
