"""The observation table: one row per spectrum of every survey, with the four taxonomies.

Every survey table is a small synthetic frame served by a fake ``load_table`` (patched
where :mod:`asteroid_spectra.data.observations` imports it), so nothing is parsed and
the expected rows, ranges, names and classes can be read off the fixtures below.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data import observations as observations_module
from asteroid_spectra.data.observations import (
    LABELS,
    OBSERVATION_COLUMNS,
    SPECTRAL_TABLES,
    build_observations,
    observations,
    observations_path,
)
from asteroid_spectra.data.registry import RemoteFile, collection

SURVEY_ORDER = [
    "smass2",
    "gaia-dr3",
    "smass1",
    "smassir",
    "primass-l",
    "irtf-spex",
    "ecas",
    "demeo2009",
]
"""The order of the surveys' rows in the table (that of SPECTRAL_TABLES)."""

LABEL_TABLES = {
    ("smass2", "taxonomy"),
    ("demeo2009", "classes"),
    ("tholen1984", "classes"),
    ("primass-l", "classes"),
}


def _number(object_id: str) -> int | None:
    return int(object_id) if object_id.isdigit() else None


@dataclass
class Surveys:
    """Synthetic survey tables, shaped like those of ``load_table``, built row by row."""

    samples: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {survey: [] for survey in SPECTRAL_TABLES}
    )
    taxonomy: list[dict[str, Any]] = field(default_factory=list)
    demeo: list[dict[str, Any]] = field(default_factory=list)
    tholen: list[dict[str, Any]] = field(default_factory=list)
    primass: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def spectrum(
        self,
        survey: str,
        object_id: str,
        file: str | None = None,
        *,
        name: str | None = None,
        designation: str | None = None,
        wavelength: Sequence[float] = (0.45, 0.55, 0.90),
        reflectance: Sequence[float] | None = None,
        primass_class: str | None = None,
    ) -> None:
        """Add one spectrum (one row per sample); PRIMASS-L's also gets a class row."""
        values = [1.0] * len(wavelength) if reflectance is None else reflectance
        for w, r in zip(wavelength, values, strict=True):
            row = {
                schema.SURVEY: survey,
                schema.OBJECT_ID: object_id,
                schema.NUMBER: _number(object_id),
                schema.NAME: name,
                schema.DESIGNATION: designation,
                schema.WAVELENGTH: w,
                schema.REFLECTANCE: r,
                schema.ERROR: 0.01,
            }
            if survey != "gaia-dr3":  # Gaia DR3: one spectrum per asteroid, no file
                row[schema.FILE] = file
            self.samples[survey].append(row)
        if survey == "primass-l":
            self.primass.append(
                {
                    schema.OBJECT_ID: object_id,
                    schema.FILE: file,
                    schema.PRIMASS_CLASS: primass_class,
                }
            )

    def load_table(
        self, name: str, table: str | None = None, *, settings: Settings | None = None
    ) -> pd.DataFrame:
        """Stand-in for ``load_table``: a fresh frame of the requested table."""
        self.calls.append((name, table))
        if (name, table) == ("smass2", "taxonomy"):
            rows = self.taxonomy
            columns = [schema.OBJECT_ID, schema.NAME, schema.BUS_CLASS, schema.LABELLED]
        elif (name, table) == ("demeo2009", "classes"):
            rows, columns = self.demeo, [schema.OBJECT_ID, schema.NAME, schema.DEMEO_CLASS]
        elif (name, table) == ("tholen1984", "classes"):
            rows, columns = self.tholen, [schema.OBJECT_ID, schema.NAME, schema.THOLEN_CLASS]
        elif (name, table) == ("primass-l", "classes"):
            rows, columns = self.primass, [schema.OBJECT_ID, schema.FILE, schema.PRIMASS_CLASS]
        else:
            assert SPECTRAL_TABLES[name] == table, f"unexpected table {name}/{table}"
            rows = self.samples[name]
            columns = [
                schema.SURVEY,
                schema.OBJECT_ID,
                schema.NUMBER,
                schema.NAME,
                schema.DESIGNATION,
                *([] if name == "gaia-dr3" else [schema.FILE]),
                schema.WAVELENGTH,
                schema.REFLECTANCE,
                schema.ERROR,
            ]
        frame = pd.DataFrame(rows, columns=columns)
        for column in frame.columns:
            if column == schema.NUMBER:
                frame[column] = frame[column].astype("Int64")
            elif column == schema.LABELLED:
                frame[column] = frame[column].astype(bool)
            elif column not in (schema.WAVELENGTH, schema.REFLECTANCE, schema.ERROR):
                frame[column] = frame[column].astype("string")
        return frame


def standard_surveys() -> Surveys:
    """Vesta in six surveys, two PRIMASS-L asteroids, an unnamed one, an unlabelled one.

    - 4 Vesta: SMASSII (first sample without reflectance), Gaia DR3 (lower-case name),
      SMASSI, two SpeX files, ECAS, Bus-DeMeo; V in Bus, Bus-DeMeo and Tholen.
    - 36465 (2000 QR19, unnamed): Gaia DR3 and two PRIMASS-L spectra, C and X (a tie).
    - 100 Hekate: three PRIMASS-L spectra X, X, C and a Gaia DR3 one.
    - 135384: PRIMASS-L spectra without class and Cg; a SMASSIR one.
    - 1995 BM2: unnumbered, unnamed, SMASSII only; Sq in Bus.
    - 3908 Nyx: in the Bus list without a Bus class (unlabelled); SMASSIR only, unnamed
      there; also a SMASSIR file without any reflectance (no row).
    """
    s = Surveys()
    s.spectrum(
        "smass2",
        "4",
        "a000004.[2]",
        name="Vesta",
        wavelength=[0.44, 0.55, 0.70, 0.92],
        reflectance=[np.nan, 1.0, 1.1, 0.8],
    )
    s.spectrum("gaia-dr3", "4", name="vesta", wavelength=[0.374, 0.55, 0.726, 1.034])
    s.spectrum("smass1", "4", "a000004.[1]", name="Vesta", wavelength=[0.422, 0.55, 1.0066])
    s.spectrum("irtf-spex", "4", "data/p1/4_a.tab", name="Vesta", wavelength=[0.82, 1.5, 2.44])
    s.spectrum("irtf-spex", "4", "data/p2/4_b.tab", name="Vesta", wavelength=[0.9, 1.6, 2.1, 2.5])
    s.spectrum("ecas", "4", "data/4.csv", name="Vesta", wavelength=[0.337, 0.55, 1.041])
    s.spectrum("demeo2009", "4", "demeo.csv:350", name="Vesta", wavelength=[0.45, 0.55, 2.45])
    s.taxonomy.append({schema.OBJECT_ID: "4", schema.NAME: "Vesta", "bus_class": "V"})
    s.demeo.append({schema.OBJECT_ID: "4", schema.NAME: "Vesta", "demeo_class": "V"})
    s.tholen.append({schema.OBJECT_ID: "4", schema.NAME: "Vesta", "tholen_class": "V"})

    s.spectrum("gaia-dr3", "36465", designation="2000 QR19")
    s.spectrum("primass-l", "36465", "p/036465_1_vis.tab", primass_class="C")
    s.spectrum("primass-l", "36465", "p/036465_2_vis.tab", primass_class="X")

    s.spectrum("gaia-dr3", "100", name="hekate")
    for i, label in enumerate(["X", "C", "X"]):
        s.spectrum("primass-l", "100", f"p/000100_{i}_vis.tab", name="Hekate", primass_class=label)

    s.spectrum("primass-l", "135384", "p/135384_vis_b.tab", primass_class=None)
    s.spectrum("primass-l", "135384", "p/135384_vis_r.tab", primass_class="Cg")
    s.spectrum("smassir", "135384", "a135384.[3]", wavelength=[0.9, 1.2, 1.6])

    s.spectrum("smass2", "1995 BM2", "au1995BM2.[2]", designation="1995 BM2")
    s.taxonomy.append({schema.OBJECT_ID: "1995 BM2", schema.NAME: None, "bus_class": "Sq"})

    s.spectrum("smassir", "3908", "a003908.[3]", wavelength=[0.9, 1.2, 1.6])
    s.spectrum("smassir", "3908", "a003908_empty.[3]", reflectance=[np.nan] * 3)
    s.taxonomy.append({schema.OBJECT_ID: "3908", schema.NAME: "Nyx", "bus_class": None})
    for row in s.taxonomy:
        row[schema.LABELLED] = row["bus_class"] is not None
    return s


@pytest.fixture
def surveys(monkeypatch: pytest.MonkeyPatch) -> Surveys:
    """The standard synthetic surveys, served in place of ``load_table``."""
    s = standard_surveys()
    monkeypatch.setattr(observations_module, "load_table", s.load_table)
    return s


@pytest.fixture(scope="module")
def table() -> Iterator[pd.DataFrame]:
    """The table of the standard surveys, built once (tests only read it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(observations_module, "load_table", standard_surveys().load_table)
        yield build_observations()


def rows_of(table: pd.DataFrame, object_id: str) -> pd.DataFrame:
    return table[table[schema.OBJECT_ID] == object_id]


def row(table: pd.DataFrame, survey: str, file: str) -> pd.Series:
    found = table[(table[schema.SURVEY] == survey) & (table[schema.FILE] == file)]
    assert len(found) == 1, (survey, file)
    return found.iloc[0]


# --- shape ---------------------------------------------------------------------------------


def test_label_and_observation_columns_are_in_the_documented_order() -> None:
    assert LABELS == ("bus_class", "demeo_class", "tholen_class", "primass_class")
    assert (
        "object_id",
        "number",
        "designation",
        "name",
        "survey",
        "file",
        "wavelength_min",
        "wavelength_max",
        "n_points",
        *LABELS,
    ) == OBSERVATION_COLUMNS


def test_table_has_the_observation_columns_and_their_types(table: pd.DataFrame) -> None:
    assert tuple(table.columns) == OBSERVATION_COLUMNS
    assert table[schema.NUMBER].dtype == "Int64"
    assert table["n_points"].dtype == np.int32
    for column in ("wavelength_min", "wavelength_max"):
        assert table[column].dtype == np.float64
    for column in ("object_id", "designation", "name", "survey", "file", *LABELS):
        assert isinstance(table[column].dtype, pd.StringDtype), column
    assert table.index.equals(pd.RangeIndex(len(table)))


def test_one_row_per_spectrum_with_the_surveys_in_their_order(table: pd.DataFrame) -> None:
    # SMASSII 2, Gaia 3, SMASSIR 2 (3908's empty file has no row), PRIMASS-L 7, SpeX 2...
    counts = table[schema.SURVEY].value_counts().to_dict()
    assert counts == {
        "smass2": 2,
        "gaia-dr3": 3,
        "smass1": 1,
        "smassir": 2,
        "primass-l": 7,
        "irtf-spex": 2,
        "ecas": 1,
        "demeo2009": 1,
    }
    assert list(dict.fromkeys(table[schema.SURVEY])) == SURVEY_ORDER
    assert not table.duplicated([schema.SURVEY, schema.FILE]).any()
    vesta = rows_of(table, "4")
    assert list(vesta[schema.SURVEY]) == [
        "smass2",
        "gaia-dr3",
        "smass1",
        "irtf-spex",
        "irtf-spex",
        "ecas",
        "demeo2009",
    ]
    assert list(vesta[schema.FILE])[3:5] == ["data/p1/4_a.tab", "data/p2/4_b.tab"]


def test_reads_the_observed_table_of_each_survey_and_the_four_label_tables(
    surveys: Surveys,
) -> None:
    build_observations()
    requested = set(surveys.calls)
    assert {(name, table) for name, table in requested if (name, table) not in LABEL_TABLES} == {
        ("smass2", "raw"),  # the raw SMASSII spectra, not the spline fits
        ("gaia-dr3", "spectra"),
        ("smass1", "spectra"),
        ("smassir", "spectra"),
        ("primass-l", "spectra"),
        ("irtf-spex", "spectra"),
        ("ecas", "spectra"),
        ("demeo2009", "spectra"),
    }
    assert requested >= LABEL_TABLES


def test_range_and_points_count_only_samples_with_a_reflectance(table: pd.DataFrame) -> None:
    smass2 = row(table, "smass2", "a000004.[2]")  # 0.44 µm has no reflectance
    assert (smass2["wavelength_min"], smass2["wavelength_max"]) == (0.55, 0.92)
    assert smass2["n_points"] == 3
    spex = row(table, "irtf-spex", "data/p2/4_b.tab")
    assert (spex["wavelength_min"], spex["wavelength_max"], spex["n_points"]) == (0.9, 2.5, 4)
    assert "a003908_empty.[3]" not in set(table[schema.FILE])


def test_gaia_rows_are_filed_under_their_object_id(table: pd.DataFrame) -> None:
    gaia = table[table[schema.SURVEY] == "gaia-dr3"]
    assert list(gaia[schema.FILE]) == ["4", "36465", "100"]
    assert list(gaia[schema.FILE]) == list(gaia[schema.OBJECT_ID])
    assert row(table, "gaia-dr3", "4")["wavelength_max"] == 1.034


def test_identity_columns_come_from_the_surveys(table: pd.DataFrame) -> None:
    unnumbered = row(table, "smass2", "au1995BM2.[2]")
    assert unnumbered[schema.OBJECT_ID] == "1995 BM2"
    assert unnumbered[schema.DESIGNATION] == "1995 BM2"
    assert pd.isna(unnumbered[schema.NUMBER])
    assert pd.isna(unnumbered[schema.NAME])
    assert rows_of(table, "4")[schema.NUMBER].tolist() == [4] * 7
    assert row(table, "gaia-dr3", "36465")[schema.DESIGNATION] == "2000 QR19"


# --- labels --------------------------------------------------------------------------------


def test_bus_demeo_and_tholen_classes_reach_every_spectrum_of_the_asteroid(
    table: pd.DataFrame,
) -> None:
    vesta = rows_of(table, "4")
    for column in ("bus_class", "demeo_class", "tholen_class"):
        assert vesta[column].tolist() == ["V"] * 7, column
    assert vesta["primass_class"].isna().all()
    unnumbered = row(table, "smass2", "au1995BM2.[2]")
    assert unnumbered["bus_class"] == "Sq"
    assert unnumbered[["demeo_class", "tholen_class", "primass_class"]].isna().all()


def test_an_unlabelled_bus_row_gives_no_class(table: pd.DataFrame) -> None:
    nyx = row(table, "smassir", "a003908.[3]")
    assert pd.isna(nyx["bus_class"])
    assert nyx[schema.NAME] == "Nyx"  # its name still counts


def test_primass_rows_keep_the_class_of_their_own_spectrum(table: pd.DataFrame) -> None:
    assert row(table, "primass-l", "p/036465_1_vis.tab")["primass_class"] == "C"
    assert row(table, "primass-l", "p/036465_2_vis.tab")["primass_class"] == "X"
    assert row(table, "primass-l", "p/000100_1_vis.tab")["primass_class"] == "C"  # not X
    # a spectrum PRIMASS-L did not classify stays unclassified, whatever its siblings are
    assert pd.isna(row(table, "primass-l", "p/135384_vis_b.tab")["primass_class"])


@pytest.mark.parametrize(
    ("survey", "file", "expected"),
    [
        ("gaia-dr3", "36465", "C"),  # C once, X once: the tie goes to C (alphabetical)
        ("gaia-dr3", "100", "X"),  # X twice, C once: the most frequent, not the first name
        ("smassir", "a135384.[3]", "Cg"),  # unclassified spectra do not count
    ],
)
def test_other_rows_get_the_most_frequent_primass_class(
    table: pd.DataFrame, survey: str, file: str, expected: str
) -> None:
    assert row(table, survey, file)["primass_class"] == expected


def test_primass_spectra_without_any_class_leave_the_column_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = Surveys()
    s.spectrum("primass-l", "84", "p/000084_vis.tab", name="Klio", primass_class=None)
    monkeypatch.setattr(observations_module, "load_table", s.load_table)
    table = build_observations()
    assert table["primass_class"].isna().all()


# --- names ---------------------------------------------------------------------------------

NAME_SOURCES = (
    "taxonomy",
    "ecas",
    "tholen1984",
    "demeo2009",
    "smass1",
    "smassir",
    "primass-l",
    "irtf-spex",
    "gaia-dr3",
)
"""Where names come from, in the documented order of preference."""


def test_names_are_taken_in_the_documented_order_of_preference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Asteroid 900 + k is named by every source from the k-th on: it must get the k-th's.
    s = Surveys()
    for k in range(len(NAME_SOURCES)):
        object_id = str(900 + k)
        for source in NAME_SOURCES[k:]:
            name = f"{source} name"
            if source == "taxonomy":
                s.taxonomy.append(
                    {
                        schema.OBJECT_ID: object_id,
                        schema.NAME: name,
                        "bus_class": "S",
                        schema.LABELLED: True,
                    }
                )
            elif source == "tholen1984":
                s.tholen.append({schema.OBJECT_ID: object_id, schema.NAME: name})
            else:
                s.spectrum(source, object_id, f"{source}/{object_id}", name=name, primass_class="B")
    monkeypatch.setattr(observations_module, "load_table", s.load_table)
    table = build_observations()
    names = table.drop_duplicates(schema.OBJECT_ID).set_index(schema.OBJECT_ID)[schema.NAME]
    expected = [f"{source} name" for source in NAME_SOURCES[:-1]] + ["Gaia-Dr3 Name"]
    assert names.to_dict() == {str(900 + k): name for k, name in enumerate(expected)}
    # one name per asteroid, on every one of its rows
    assert table.drop_duplicates([schema.OBJECT_ID, schema.NAME])[schema.OBJECT_ID].is_unique


def test_a_missing_name_falls_through_to_the_next_source(table: pd.DataFrame) -> None:
    # 1995 BM2 has no name in the Bus list; 36465 no name anywhere
    assert rows_of(table, "36465")[schema.NAME].isna().all()
    assert rows_of(table, "1995 BM2")[schema.NAME].isna().all()
    # 100: named only by PRIMASS-L ("Hekate") and Gaia DR3 ("hekate"): PRIMASS-L wins
    assert rows_of(table, "100")[schema.NAME].tolist() == ["Hekate"] * 4


def test_gaia_names_are_title_cased_and_others_preferred(table: pd.DataFrame) -> None:
    assert row(table, "gaia-dr3", "4")[schema.NAME] == "Vesta"  # Gaia has "vesta"
    s = Surveys()
    s.spectrum("gaia-dr3", "6585", name="o'keefe")
    s.spectrum("gaia-dr3", "3192", name="van de hulst")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(observations_module, "load_table", s.load_table)
        names = build_observations()[schema.NAME].tolist()
    assert names == ["O'Keefe", "Van De Hulst"]


# --- cache and provenance ------------------------------------------------------------------


def test_observations_builds_once_then_reads_its_parquet_file(
    surveys: Surveys, empty_settings: Settings
) -> None:
    announced: list[str] = []
    first = observations(empty_settings, on_survey=announced.append)
    assert announced == SURVEY_ORDER
    path = observations_path(empty_settings)
    assert path.is_file()
    assert path.parent == empty_settings.cache_dir / "tables"
    assert path.name.startswith("observations-")
    assert path.suffix == ".parquet"

    surveys.calls.clear()
    announced.clear()
    again = observations(empty_settings, on_survey=announced.append)
    assert surveys.calls == []  # no survey table read
    assert announced == []
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs["provenance"] == first.attrs["provenance"]

    refreshed = observations(empty_settings, refresh=True, on_survey=announced.append)
    assert announced == SURVEY_ORDER
    assert set(surveys.calls) >= LABEL_TABLES
    pd.testing.assert_frame_equal(refreshed, first)


def test_provenance_names_every_source_and_file(table: pd.DataFrame) -> None:
    provenance = table.attrs["provenance"]
    assert provenance["source"] == "observations"
    assert list(provenance["surveys"]) == [*SURVEY_ORDER, "tholen1984"]
    expected = [
        {"name": f.name, "sha256": f.sha256}
        for name in [*SURVEY_ORDER, "tholen1984"]
        for f in collection(name)
    ]
    assert provenance["files"] == expected
    assert len(expected) > len(SURVEY_ORDER)  # several files per survey
    assert set(provenance["labels"]) == set(LABELS)
    assert "Bus.Taxonomy.txt" in provenance["labels"]["bus_class"]


def test_observations_path_changes_with_the_files_version_and_cache(
    empty_settings: Settings, tmp_path: Path
) -> None:
    path = observations_path(empty_settings)
    assert observations_path(empty_settings) == path  # deterministic

    other = Settings(cache_dir=tmp_path / "elsewhere", mirror=None)
    assert observations_path(other) == tmp_path / "elsewhere" / "tables" / path.name

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(observations_module, "VERSION", observations_module.VERSION + 1)
        bumped = observations_path(empty_settings)
    assert bumped.parent == path.parent
    assert bumped != path

    def changed(name: str) -> tuple[RemoteFile, ...]:
        files = collection(name)
        if name != "ecas":
            return files
        return (dataclasses.replace(files[0], sha256="0" * 64), *files[1:])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(observations_module, "collection", changed)
        edited = observations_path(empty_settings)
    assert edited not in (path, bumped)
    assert observations_path(empty_settings) == path
