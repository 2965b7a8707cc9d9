"""The registry of remote files: names, URLs, hashes, collections and lookups."""

from __future__ import annotations

import dataclasses
import re

import pytest

from asteroid_spectra.data.registry import (
    COLLECTIONS,
    DEMEO_CITATION,
    ECAS_CITATION,
    GAIA_DR3_CITATION,
    REGISTRY,
    SMASS1_CITATION,
    SMASS2_CITATION,
    SMASSIR_CITATION,
    THOLEN_CITATION,
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


# Files per collection, counted in the mirror's README and SHA256SUMS (/work/shared/data).
SIZES = {
    "smass2": 2,
    "gaia-dr3": 20,
    "smass1": 317,
    "smassir": 252,
    "primass-l": 442,
    "irtf-spex": 301,
    "ecas": 604,
    "tholen1984": 1,
    "demeo2009": 3,
}
ALL = ", ".join(SIZES)
CLASSY_APP = (
    "https://raw.githubusercontent.com/maxmahlke/classy-app/"
    "458a1c1d5254372a909c9c0d996d7c64f927f08f/data/"
)
CLASSY = (
    "https://raw.githubusercontent.com/maxmahlke/classy/8dc18d0808bb34c9959a9e3e6625158dc27e5824/"
)


def test_registry_holds_every_file_of_the_mirror_layout() -> None:
    assert len(REGISTRY) == sum(SIZES.values()) == 1942
    assert {name: len(files) for name, files in COLLECTIONS.items()} == SIZES
    assert set(SMASS2_SHA256) | set(GAIA_NAMES) <= set(REGISTRY)
    assert all(name == file.name for name, file in REGISTRY.items())


def test_every_sha256_is_64_lowercase_hex() -> None:
    for file in REGISTRY.values():
        assert re.fullmatch(r"[0-9a-f]{64}", file.sha256), file.name
    # A few files are byte-identical copies (e.g. SMASSIR spectra of the same night).
    assert len({file.sha256 for file in REGISTRY.values()}) >= 1930


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
        ("smass1/a000003.[1]", CLASSY_APP + "smass/smass1/a000003.%5B1%5D", SMASS1_CITATION),
        ("smassir/a000005.[3]", CLASSY_APP + "smass/smassir/a000005.%5B3%5D", SMASSIR_CITATION),
        ("ecas/colors.csv", CLASSY_APP + "pds/gbo.ast.ecas.phot/colors.csv", ECAS_CITATION),
        ("tholen1984/scores.csv", CLASSY_APP + "tholen1984/scores.csv", THOLEN_CITATION),
        ("demeo2009/scores.csv", CLASSY + "data/demeo2009/scores.csv", DEMEO_CITATION),
        (
            "demeo2009/demeo2009_splined_spectra.csv",
            CLASSY + "tests/data/demeo2009_splined_spectra.csv",
            DEMEO_CITATION,
        ),
    ],
)
def test_origin_urls_and_citations(name: str, url: str, citation: str) -> None:
    file = remote_file(name)

    assert file.url == url
    assert file.citation == citation


def test_every_url_ends_with_the_file_name() -> None:
    from urllib.parse import unquote

    for file in REGISTRY.values():
        assert unquote(file.url.rsplit("/", 1)[1]) == file.name.rsplit("/", 1)[1]


def test_citations_name_the_papers() -> None:
    assert "Bus, S. J. & Binzel, R. P. (2002)" in SMASS2_CITATION
    assert "Icarus 158, 106-145" in SMASS2_CITATION
    assert "Icarus 158, 146-177" in SMASS2_CITATION
    assert "Galluccio, L. et al. (2023)" in GAIA_DR3_CITATION
    assert "A&A 674, A35" in GAIA_DR3_CITATION
    assert "Icarus 115, 1-35" in SMASS1_CITATION
    assert "Icarus 159, 468-499" in SMASSIR_CITATION
    assert "Icarus 61, 355-416" in ECAS_CITATION
    assert "Tholen, D. J. (1984)" in THOLEN_CITATION
    assert "Icarus 202, 160-180" in DEMEO_CITATION


def test_collections() -> None:
    assert list(COLLECTIONS) == list(SIZES)
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
    assert str(caught.value).endswith(f"Registered collections: {ALL}.")


def test_unknown_name_without_close_match_has_no_hint() -> None:
    with pytest.raises(
        DataError,
        match=rf"^No remote file called 'zzz' is registered\. Registered collections: "
        rf"{re.escape(ALL)}\.$",
    ):
        remote_file("zzz")


@pytest.mark.parametrize("name", ["gaia", "gaia_dr3", "SMASS2", ""])
def test_unknown_collection(name: str) -> None:
    with pytest.raises(
        DataError,
        match=rf"^Unknown collection {re.escape(repr(name))}; expected one of {re.escape(ALL)}\.$",
    ):
        collection(name)


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        REGISTRY["x"] = REGISTRY["smass2/Bus.Taxonomy.txt"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        REGISTRY["smass2/Bus.Taxonomy.txt"].sha256 = "0" * 64  # type: ignore[misc]


@pytest.mark.integration
def test_manifests_list_exactly_the_mirrors_files() -> None:
    """The manifests are the sha256 of the published files (the mirror's SHA256SUMS)."""
    import os
    from pathlib import Path

    sums = Path(os.environ.get("ASTEROID_SPECTRA_MIRROR", "/nonexistent")) / "SHA256SUMS"
    if not sums.is_file():
        pytest.skip("ASTEROID_SPECTRA_MIRROR does not name a mirror with SHA256SUMS")
    listed = dict(reversed(line.split(None, 1)) for line in sums.read_text().splitlines())
    assert {file.name: file.sha256 for file in REGISTRY.values()} == listed
