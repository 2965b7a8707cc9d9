"""The SMASSII tables built from the real archive (values from the files themselves)."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.datasets import load_table, table_path
from asteroid_spectra.data.tables import PROVENANCE_KEY
from asteroid_spectra.spectra.sets import SpectralSet

pytestmark = pytest.mark.integration


def test_labelled_counts_reproduce_the_reference(smass2: SpectralSet) -> None:
    # Expected values: ../shared/data/README.md ("a careful parse gives 1339 ...").
    labelled = smass2.labelled()
    groups = labelled.objects[schema.MAIN_GROUP].value_counts().to_dict()
    assert len(smass2) == 1341
    assert len(labelled) == 1339
    assert labelled.objects[schema.BUS_CLASS].nunique() == 25
    assert groups == {"C": 396, "S": 549, "X": 237, "Other": 157}


@pytest.mark.parametrize(
    ("bus_class", "count"),
    [("S", 383), ("C", 141), ("Ch", 138), ("X", 110), ("Sq", 52), ("O", 1), ("R", 4)],
)
def test_bus_class_counts(smass2: SpectralSet, bus_class: str, count: int) -> None:
    assert int((smass2.labelled().labels(schema.BUS_CLASS) == bus_class).sum()) == count


def test_spectra_are_on_the_spline_grid_and_normalised(smass2: SpectralSet) -> None:
    np.testing.assert_array_equal(smass2.wavelength, schema.SMASS2_WAVELENGTH)
    at_055 = smass2.reflectance[:, list(smass2.wavelength).index(0.55)]
    np.testing.assert_array_equal(at_055, 1.0)
    # First values of a000001.spfit.[2] (1 Ceres).
    ceres = smass2.spectrum(0)
    assert ceres.meta[schema.NAME] == "Ceres"
    assert ceres.meta[schema.BUS_CLASS] == "C"
    np.testing.assert_allclose(ceres.reflectance[:3], [0.9281, 0.9388, 0.9488])


@pytest.mark.parametrize(
    ("object_id", "number", "name", "designation", "bus_class", "tholen"),
    [
        ("1", 1, "Ceres", None, "C", "G"),
        ("3579", 3579, None, "1977 YA", "B", None),
        ("1995 BM2", None, None, "1995 BM2", "Sq", None),
    ],
)
def test_designations_resolve(
    smass2: SpectralSet,
    object_id: str,
    number: int | None,
    name: str | None,
    designation: str | None,
    bus_class: str,
    tholen: str | None,
) -> None:
    rows = np.flatnonzero(smass2.objects[schema.OBJECT_ID] == object_id)
    assert rows.size == 1
    meta = smass2.spectrum(int(rows[0])).meta
    assert (meta[schema.NUMBER], meta[schema.NAME], meta[schema.DESIGNATION]) == (
        number,
        name,
        designation,
    )
    assert meta[schema.BUS_CLASS] == bus_class
    assert meta[schema.THOLEN_CLASS] == tholen


@pytest.mark.parametrize("object_id", ["523", "614"])
def test_malformed_taxonomy_rows_stay_unlabelled_with_a_note(
    smass2: SpectralSet, object_id: str
) -> None:
    row = smass2.objects.set_index(schema.OBJECT_ID).loc[object_id]
    assert not row[schema.LABELLED]
    assert "5 tab-separated fields" in row[schema.LABEL_NOTE]


def test_raw_spectra_keep_errors_and_drop_padding() -> None:
    raw = load_table("smass2", "raw")
    assert raw[schema.OBJECT_ID].nunique() == 1341
    assert (raw[schema.ERROR] > 0).all()
    steps = raw.groupby(schema.OBJECT_ID, sort=False)[schema.WAVELENGTH].diff().dropna()
    assert (steps > 0).all()
    # First row of a000001.[2]: 0.4350 0.9004 0.0149.
    first = raw.iloc[0]
    assert (first[schema.WAVELENGTH], first[schema.REFLECTANCE], first[schema.ERROR]) == (
        0.435,
        0.9004,
        0.0149,
    )
    notes = raw.attrs["provenance"]["notes"]
    assert any("a006847.[2]: dropped 23 all-zero padding rows" in note for note in notes)


def test_taxonomy_table_lists_every_row() -> None:
    taxonomy = load_table("smass2", "taxonomy")
    assert len(taxonomy) == 1447
    assert int(taxonomy[schema.LABELLED].sum()) == 1447 - 4 - 3  # "-" rows and extra tabs
    ada = taxonomy.set_index(schema.OBJECT_ID).loc["1"]
    assert ada[schema.NAME] == "Ceres"


def test_parquet_files_carry_provenance(smass2: SpectralSet) -> None:
    metadata = pq.read_schema(table_path("smass2", "spectra")).metadata
    provenance = json.loads(metadata[PROVENANCE_KEY])
    assert provenance["source"] == "smass2"
    assert "Bus, S. J. & Binzel, R. P. (2002)" in provenance["citation"]
    files = {f["name"]: f for f in provenance["files"]}
    assert files["smass2/smass2data.tar.gz"]["url"] == (
        "http://smass.mit.edu/data/smass/smass2data.tar.gz"
    )
    assert files["smass2/Bus.Taxonomy.txt"]["sha256"] == (
        "0ce970a6972dd7c49d512848b9736d00b621c9d6395a035bd1b4f3780d4b56c6"
    )
    assert smass2.provenance["table"] == "spectra"
