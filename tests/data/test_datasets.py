"""load_table: fetch, parse once, cache every table as Parquet keyed by hashes and versions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import pytest

import asteroid_spectra
from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data import datasets, registry, sources
from asteroid_spectra.data.datasets import load_table, source, table_path
from asteroid_spectra.data.registry import RemoteFile
from asteroid_spectra.data.sources.base import ParsedTable
from asteroid_spectra.data.tables import read_parquet
from asteroid_spectra.exceptions import DataError, DownloadError

FAKE_FILES = {
    "fake/values.txt": b"0.44 0.95\n0.55 1.00\n0.66 1.08\n",
    "fake/ids.txt": b"1 Ceres\n",
}


@dataclass
class FakeSource:
    """A tiny survey: one spectrum (3 samples) and one object, counting its parses."""

    name: str = "fake"
    title: str = "A fake survey"
    citation: str = "Doe, J. (2024). Fake spectra. J. Tests 1, 1-2."
    version: int = 1
    tables: tuple[str, ...] = ("spectra", "objects")
    calls: list[dict[str, Path]] = field(default_factory=list)

    def parse(self, paths: Mapping[str, Path]) -> dict[str, ParsedTable]:
        self.calls.append(dict(paths))
        values = np.loadtxt(paths["fake/values.txt"])
        number, name = paths["fake/ids.txt"].read_text().split()
        spectra = pd.DataFrame(
            {
                schema.OBJECT_ID: pd.array([number] * len(values), dtype="string"),
                schema.WAVELENGTH: values[:, 0],
                schema.REFLECTANCE: values[:, 1],
            }
        )
        objects = pd.DataFrame(
            {
                schema.OBJECT_ID: pd.array([number], dtype="string"),
                schema.NUMBER: pd.array([int(number)], dtype="Int64"),
                schema.NAME: pd.array([name], dtype="string"),
            }
        )
        return {
            "spectra": ParsedTable(spectra, [f"{len(values)} samples"]),
            "objects": ParsedTable(objects, []),
        }


@dataclass
class Fake:
    """The fake survey as registered for one test."""

    source: FakeSource
    server: Any
    settings: Settings
    files: list[RemoteFile]
    register: Callable[[list[RemoteFile]], None]


@pytest.fixture
def fake(
    monkeypatch: pytest.MonkeyPatch, serve: Callable[[str], Any], empty_settings: Settings
) -> Fake:
    """Register FakeSource as survey "fake", its files served by a loopback server."""
    server = serve("ok")
    files = [
        server.publish(name, data, citation=FakeSource.citation)
        for name, data in FAKE_FILES.items()
    ]

    def register(remote_files: list[RemoteFile]) -> None:
        monkeypatch.setattr(
            registry,
            "REGISTRY",
            MappingProxyType({**registry.REGISTRY, **{f.name: f for f in remote_files}}),
        )
        monkeypatch.setattr(
            registry,
            "COLLECTIONS",
            MappingProxyType({**registry.COLLECTIONS, "fake": tuple(f.name for f in remote_files)}),
        )

    register(files)
    survey = FakeSource()
    monkeypatch.setattr(sources, "SOURCES", MappingProxyType({**sources.SOURCES, "fake": survey}))
    return Fake(survey, server, empty_settings, files, register)


def cached_tables(settings: Settings) -> list[str]:
    folder = settings.cache_dir / "tables"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_source_lookup() -> None:
    assert source("smass2").name == "smass2"
    assert source("gaia-dr3").tables == ("spectra",)
    with pytest.raises(
        DataError,
        match=r"^Unknown survey 'smass'; expected one of smass2, gaia-dr3, smass1, smassir, "
        r"primass-l, irtf-spex, ecas, tholen1984, demeo2009\.$",
    ):
        source("smass")


def test_first_call_parses_and_caches_every_table(fake: Fake) -> None:
    frame = load_table("fake", settings=fake.settings)

    assert len(fake.source.calls) == 1
    assert fake.source.calls[0] == {
        name: fake.settings.cache_dir / "downloads" / name for name in FAKE_FILES
    }
    assert sorted(fake.server.requests) == ["/fake/ids.txt", "/fake/values.txt"]
    assert frame[schema.REFLECTANCE].tolist() == [0.95, 1.00, 1.08]
    names = cached_tables(fake.settings)
    assert len(names) == 2
    assert all(re.fullmatch(r"fake-(objects|spectra)-[0-9a-f]{12}\.parquet", n) for n in names)
    assert table_path("fake", "spectra", fake.settings).name in names
    assert table_path("fake", "objects", fake.settings).name in names


def test_provenance_of_the_tables(fake: Fake) -> None:
    frame = load_table("fake", settings=fake.settings)

    expected = {
        "source": "fake",
        "title": "A fake survey",
        "table": "spectra",
        "citation": "Doe, J. (2024). Fake spectra. J. Tests 1, 1-2.",
        "files": [
            {
                "name": name,
                "url": fake.server.url(name),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in FAKE_FILES.items()
        ],
        "package": f"asteroid-spectra {asteroid_spectra.__version__}",
        "parser_version": 1,
        "wavelength_unit": "um",
        "notes": ["3 samples"],
    }
    assert frame.attrs["provenance"] == expected
    assert (
        read_parquet(table_path("fake", "spectra", fake.settings)).attrs["provenance"] == expected
    )
    objects = read_parquet(table_path("fake", "objects", fake.settings)).attrs["provenance"]
    assert objects == {**expected, "table": "objects", "notes": []}


def test_second_call_reads_the_cache_without_parsing_or_fetching(fake: Fake) -> None:
    first = load_table("fake", settings=fake.settings)
    requests = list(fake.server.requests)

    second = load_table("fake", settings=fake.settings)
    objects = load_table("fake", "objects", settings=fake.settings)

    assert len(fake.source.calls) == 1
    assert fake.server.requests == requests
    pd.testing.assert_frame_equal(second, first)
    assert second.attrs["provenance"] == first.attrs["provenance"]
    assert objects[schema.NAME].tolist() == ["Ceres"]
    assert objects[schema.NUMBER].dtype == "Int64"


def test_refresh_parses_again(fake: Fake) -> None:
    first = load_table("fake", settings=fake.settings)

    again = load_table("fake", settings=fake.settings, refresh=True)

    assert len(fake.source.calls) == 2
    assert len(fake.server.requests) == 2  # the downloads themselves stay cached
    pd.testing.assert_frame_equal(again, first)


def test_on_file_is_told_each_file_when_parsing(fake: Fake) -> None:
    seen: list[str] = []

    load_table("fake", settings=fake.settings, on_file=seen.append)
    load_table("fake", settings=fake.settings, on_file=seen.append)

    assert seen == list(FAKE_FILES)


def test_unknown_survey(fake: Fake) -> None:
    with pytest.raises(
        DataError,
        match=r"^Unknown survey 'fak'; expected one of smass2, gaia-dr3, .*, demeo2009, fake\.$",
    ):
        load_table("fak", settings=fake.settings)


def test_unknown_table(fake: Fake) -> None:
    with pytest.raises(
        DataError, match=r"^Survey 'fake' has no table 'raw'; expected one of spectra, objects\.$"
    ):
        load_table("fake", "raw", settings=fake.settings)

    assert fake.source.calls == []
    assert fake.server.requests == []


def test_corrupt_cached_table_is_rebuilt(fake: Fake) -> None:
    first = load_table("fake", settings=fake.settings)
    path = table_path("fake", "spectra", fake.settings)
    path.write_bytes(b"PAR1 garbage")

    rebuilt = load_table("fake", settings=fake.settings)

    assert len(fake.source.calls) == 2
    pd.testing.assert_frame_equal(rebuilt, first)
    pd.testing.assert_frame_equal(read_parquet(path), first)
    assert cached_tables(fake.settings) == sorted(
        [path.name, table_path("fake", "objects", fake.settings).name]
    )


def test_failed_fetch_caches_no_table(fake: Fake, serve: Callable[[str], Any]) -> None:
    missing = serve("404")
    fake.register([replace(fake.files[0], url=missing.url("fake/values.txt")), fake.files[1]])

    with pytest.raises(DownloadError, match="404 Client Error"):
        load_table("fake", settings=fake.settings)

    assert fake.source.calls == []
    assert cached_tables(fake.settings) == []


def bump_version(fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.source.version = 2


def change_a_file(fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.register([fake.files[0], fake.server.publish("fake/ids.txt", b"2 Pallas\n")])


def bump_package(fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("asteroid_spectra.data.cache.__version__", "99.0.0")


@pytest.mark.parametrize(
    ("change", "name"),
    [(bump_version, "Ceres"), (change_a_file, "Pallas"), (bump_package, "Ceres")],
    ids=["parser-version", "file-sha256", "package-version"],
)
def test_cache_key_covers_hashes_and_versions(
    change: Callable[[Fake, pytest.MonkeyPatch], None],
    name: str,
    fake: Fake,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_table("fake", "objects", settings=fake.settings)
    before = table_path("fake", "objects", fake.settings)

    change(fake, monkeypatch)
    after = table_path("fake", "objects", fake.settings)
    objects = load_table("fake", "objects", settings=fake.settings)

    assert after != before
    assert len(fake.source.calls) == 2
    assert objects[schema.NAME].tolist() == [name]
    assert len(cached_tables(fake.settings)) == 4  # the old tables stay until cleaned


def test_table_path_is_stable(fake: Fake) -> None:
    first = table_path("fake", "spectra", fake.settings)

    assert table_path("fake", "spectra", fake.settings) == first
    assert first.parent == fake.settings.cache_dir / "tables"


# --- the real parsers through the cache ---------------------------------------------------


@pytest.fixture
def synthetic_registry(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    smass2_paths: dict[str, Path],
    gaia_paths: dict[str, Path],
) -> Settings:
    """Register the synthetic SMASSII and Gaia files under the real names, in a mirror."""
    mirror = tmp_path / "mirror"
    replaced = {}
    for name, path in {**smass2_paths, **gaia_paths}.items():
        data = path.read_bytes()
        (mirror / name).parent.mkdir(parents=True, exist_ok=True)
        (mirror / name).write_bytes(data)
        replaced[name] = replace(registry.REGISTRY[name], sha256=hashlib.sha256(data).hexdigest())
    monkeypatch.setattr(registry, "REGISTRY", MappingProxyType({**registry.REGISTRY, **replaced}))
    return Settings(cache_dir=tmp_path / "cache", mirror=mirror, timeout=2.0)


@pytest.mark.parametrize(
    ("survey", "table", "rows"),
    [
        ("smass2", "spectra", 10 * 49),
        ("smass2", "raw", 3 * 50),
        ("smass2", "taxonomy", 10),
        ("gaia-dr3", "spectra", 22 * 16),
    ],
)
def test_survey_tables_survive_the_parquet_cache(
    survey: str,
    table: str,
    rows: int,
    synthetic_registry: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed = load_table(survey, table, settings=synthetic_registry)
    parse_calls: list[str] = []
    monkeypatch.setattr(
        type(datasets.source(survey)), "parse", lambda self, paths: parse_calls.append("x")
    )

    cached = load_table(survey, table, settings=synthetic_registry)

    assert parse_calls == []
    assert len(parsed) == rows
    pd.testing.assert_frame_equal(cached, parsed)
    assert cached.attrs["provenance"] == parsed.attrs["provenance"]
    assert cached.attrs["provenance"]["citation"] == datasets.source(survey).citation
