from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.spectra.sets import SpectralSet
from asteroid_spectra.spectra.spectrum import Spectrum

GRID = [0.45, 0.55, 0.65, 0.75]


@pytest.fixture
def long_table() -> pd.DataFrame:
    """Three objects in a long table: '1' complete, '2' without 0.65 µm, '3' complete.

    Rows are deliberately not sorted by wavelength, and object '2' comes first.
    """
    rows = []
    samples = {
        "2": [(0.75, 1.3), (0.45, 0.8), (0.55, 1.0)],
        "1": [(0.45, 0.9), (0.55, 1.0), (0.65, 1.1), (0.75, 1.2)],
        "3": [(0.65, 0.95), (0.55, 1.0), (0.45, 1.05), (0.75, 0.9)],
    }
    info = {
        "2": ("Sq", "S", True, 2.0),
        "1": ("C", "C", True, np.nan),
        "3": (None, None, False, 5.5),
    }
    for object_id, pairs in samples.items():
        bus, group, labelled, albedo = info[object_id]
        for k, (wavelength, reflectance) in enumerate(pairs):
            rows.append(
                {
                    "survey": "test",
                    "object_id": object_id,
                    "bus_class": bus,
                    "main_group": group,
                    "labelled": labelled,
                    "albedo": albedo,
                    "wavelength": wavelength,
                    "reflectance": reflectance,
                    "error": 0.01 * (k + 1),
                    "flag": k % 2,
                }
            )
    table = pd.DataFrame(rows)
    table.attrs["provenance"] = {"source": "unit test", "url": "none"}
    return table


@pytest.fixture
def spectral_set(long_table: pd.DataFrame) -> SpectralSet:
    return SpectralSet.from_table(long_table)


# --- from_table / to_table -----------------------------------------------------------
def test_from_table_builds_matrices_on_the_union_grid(spectral_set: SpectralSet) -> None:
    assert spectral_set.wavelength.tolist() == GRID
    assert spectral_set.objects["object_id"].tolist() == ["2", "1", "3"]  # first appearance
    np.testing.assert_array_equal(
        spectral_set.reflectance,
        [[0.8, 1.0, np.nan, 1.3], [0.9, 1.0, 1.1, 1.2], [1.05, 1.0, 0.95, 0.9]],
    )
    assert spectral_set.error is not None
    # Errors follow their sample, not the row order of the table.
    np.testing.assert_allclose(
        spectral_set.error,
        [[0.02, 0.03, np.nan, 0.01], [0.01, 0.02, 0.03, 0.04], [0.03, 0.02, 0.01, 0.04]],
    )
    assert spectral_set.flag is not None
    assert spectral_set.flag.dtype == np.int8
    assert spectral_set.flag.tolist() == [[1, 0, -1, 0], [0, 1, 0, 1], [0, 1, 0, 1]]


def test_from_table_keeps_per_object_metadata(spectral_set: SpectralSet) -> None:
    objects = spectral_set.objects
    assert list(objects.columns) == [
        "survey",
        "object_id",
        "bus_class",
        "main_group",
        "labelled",
        "albedo",
    ]
    assert objects.index.tolist() == [0, 1, 2]
    assert objects["bus_class"].tolist()[:2] == ["Sq", "C"]
    assert pd.isna(objects["bus_class"].tolist()[2])
    assert objects["labelled"].tolist() == [True, True, False]
    assert objects["albedo"].tolist()[0] == 2.0
    assert np.isnan(objects["albedo"].tolist()[1])
    assert dict(spectral_set.provenance) == {"source": "unit test", "url": "none"}


def test_round_trip_through_the_long_table(spectral_set: SpectralSet) -> None:
    table = spectral_set.to_table()
    # Missing samples are kept as NaN rows: one row per object and wavelength.
    assert len(table) == 3 * 4
    assert table["wavelength"].tolist() == GRID * 3
    assert np.isnan(table["reflectance"][2])
    assert table["flag"][2] == -1
    assert table.attrs["provenance"] == {"source": "unit test", "url": "none"}
    again = SpectralSet.from_table(table)
    np.testing.assert_array_equal(again.wavelength, spectral_set.wavelength)
    np.testing.assert_array_equal(again.reflectance, spectral_set.reflectance)
    assert again.error is not None
    assert spectral_set.error is not None
    np.testing.assert_array_equal(again.error, spectral_set.error)
    assert again.flag is not None
    assert spectral_set.flag is not None
    np.testing.assert_array_equal(again.flag, spectral_set.flag)
    pd.testing.assert_frame_equal(again.objects, spectral_set.objects)
    assert dict(again.provenance) == dict(spectral_set.provenance)


def test_round_trip_of_random_sets(rng: np.random.Generator) -> None:
    n, m = 20, 16
    reflectance = rng.uniform(0.5, 1.5, (n, m))
    reflectance[rng.random((n, m)) < 0.1] = np.nan
    objects = pd.DataFrame({"object_id": [f"id{i}" for i in range(n)], "h": rng.normal(size=n)})
    original = SpectralSet(objects, np.linspace(0.4, 1.0, m), reflectance)
    table = original.to_table()
    assert "error" not in table
    assert "flag" not in table
    again = SpectralSet.from_table(table)
    np.testing.assert_array_equal(again.reflectance, reflectance)
    assert again.error is None
    assert again.flag is None
    pd.testing.assert_frame_equal(again.objects, objects)


def test_duplicate_wavelength_for_one_object_raises(long_table: pd.DataFrame) -> None:
    duplicated = pd.concat([long_table, long_table.iloc[[4]]], ignore_index=True)
    with pytest.raises(SpectrumError, match="same wavelength twice; deduplicate the table"):
        SpectralSet.from_table(duplicated)


def test_same_wavelength_in_different_objects_is_fine(long_table: pd.DataFrame) -> None:
    assert (long_table["wavelength"] == 0.55).sum() == 3
    assert SpectralSet.from_table(long_table).reflectance[:, 1].tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("column", ["object_id", "wavelength", "reflectance"])
def test_missing_required_column_raises(long_table: pd.DataFrame, column: str) -> None:
    with pytest.raises(SpectrumError, match=f"The table has no '{column}' column"):
        SpectralSet.from_table(long_table.drop(columns=column))


# --- construction --------------------------------------------------------------------
def test_arrays_are_read_only_copies(rng: np.random.Generator) -> None:
    reflectance = rng.uniform(size=(2, 4))
    error = np.full((2, 4), 0.1)
    provenance = {"source": "x"}
    spectral_set = SpectralSet(
        pd.DataFrame({"object_id": ["a", "b"]}, index=[10, 20]),
        GRID,
        reflectance,
        error,
        provenance=provenance,
    )
    assert not spectral_set.reflectance.flags.writeable
    assert spectral_set.error is not None
    assert not spectral_set.error.flags.writeable
    assert not spectral_set.wavelength.flags.writeable
    assert reflectance.flags.writeable
    reflectance[0, 0] = -5.0
    assert spectral_set.reflectance[0, 0] != -5.0
    assert spectral_set.objects.index.tolist() == [0, 1]  # index reset
    with pytest.raises(TypeError):
        spectral_set.provenance["source"] = "y"  # type: ignore[index]
    assert len(spectral_set) == 2
    assert repr(spectral_set) == "<SpectralSet x: 2 spectra × 4 wavelengths, 0.45-0.75 µm>"


@pytest.mark.parametrize(
    ("wavelength", "arrays", "match"),
    [
        (
            GRID,
            {"reflectance": np.ones((2, 3))},
            r"reflectance must have shape \(2, 4\) .*\(2, 3\)",
        ),
        (GRID, {"reflectance": np.ones((3, 4))}, r"reflectance must have shape \(2, 4\)"),
        (GRID, {"error": np.ones((2, 5))}, r"error must have shape \(2, 4\) .*got \(2, 5\)"),
        (GRID, {"flag": np.zeros(4)}, r"flag must have shape \(2, 4\) .*got \(4,\)"),
        ([0.45, 0.65, 0.55, 0.75], {}, "strictly increasing 1-D grid"),
        ([[0.45, 0.55, 0.65, 0.75]], {}, "strictly increasing 1-D grid"),
    ],
)
def test_shape_mismatches_raise(
    wavelength: list[float], arrays: dict[str, np.ndarray], match: str
) -> None:
    kwargs = {"reflectance": np.ones((2, 4))} | arrays
    with pytest.raises(SpectrumError, match=match):
        SpectralSet(pd.DataFrame({"object_id": ["a", "b"]}), wavelength, **kwargs)


# --- selection -----------------------------------------------------------------------
def test_select_with_a_mask(spectral_set: SpectralSet) -> None:
    chosen = spectral_set.select(np.array([True, False, True]))
    assert chosen.objects["object_id"].tolist() == ["2", "3"]
    assert chosen.objects.index.tolist() == [0, 1]
    np.testing.assert_array_equal(chosen.reflectance, spectral_set.reflectance[[0, 2]])
    assert chosen.flag is not None
    assert chosen.flag.tolist() == [[1, 0, -1, 0], [0, 1, 0, 1]]
    assert dict(chosen.provenance) == dict(spectral_set.provenance)
    assert len(spectral_set) == 3  # the original is unchanged


def test_select_with_indices_in_any_order(spectral_set: SpectralSet) -> None:
    chosen = spectral_set.select([2, 0, 2])
    assert chosen.objects["object_id"].tolist() == ["3", "2", "3"]
    np.testing.assert_array_equal(chosen.reflectance, spectral_set.reflectance[[2, 0, 2]])
    assert chosen.error is not None
    assert spectral_set.error is not None
    np.testing.assert_array_equal(chosen.error, spectral_set.error[[2, 0, 2]])


def test_labelled_keeps_only_labelled_rows(spectral_set: SpectralSet) -> None:
    labelled = spectral_set.labelled()
    assert labelled.objects["object_id"].tolist() == ["2", "1"]
    assert labelled.labels().tolist() == ["S", "C"]
    assert labelled.labels("bus_class").tolist() == ["Sq", "C"]
    assert labelled.reflectance.shape == (2, 4)


def test_labelled_without_a_labelled_column_raises(long_table: pd.DataFrame) -> None:
    unlabelled = SpectralSet.from_table(long_table.drop(columns="labelled"))
    with pytest.raises(SpectrumError, match="no 'labelled' column: it carries no taxonomy"):
        unlabelled.labelled()


def test_labels_of_a_missing_column_raise(spectral_set: SpectralSet) -> None:
    labels = spectral_set.labels()
    assert labels.dtype == object
    assert labels.tolist()[:2] == ["S", "C"]
    assert pd.isna(labels[2])  # an unlabelled object
    with pytest.raises(SpectrumError, match=r"No column 'tholen' in this set; available: survey"):
        spectral_set.labels("tholen")


# --- single spectra ------------------------------------------------------------------
def test_spectrum_drops_missing_samples_and_carries_metadata(spectral_set: SpectralSet) -> None:
    spectrum = spectral_set.spectrum(0)
    assert isinstance(spectrum, Spectrum)
    assert spectrum.wavelength.tolist() == [0.45, 0.55, 0.75]
    assert spectrum.reflectance.tolist() == [0.8, 1.0, 1.3]
    assert spectrum.error is not None
    np.testing.assert_allclose(spectrum.error, [0.02, 0.03, 0.01])
    assert spectrum.flag is not None
    assert spectrum.flag.tolist() == [1, 0, 0]
    assert spectrum.meta["object_id"] == "2"
    assert spectrum.meta["bus_class"] == "Sq"
    assert spectrum.meta["albedo"] == 2.0


def test_spectrum_turns_missing_metadata_into_none(spectral_set: SpectralSet) -> None:
    assert spectral_set.spectrum(1).meta["albedo"] is None
    assert spectral_set.spectrum(2).meta["bus_class"] is None
    assert len(spectral_set.spectrum(1)) == 4


def test_spectrum_also_drops_samples_without_error() -> None:
    spectral_set = SpectralSet(
        pd.DataFrame({"object_id": ["a"]}),
        [0.4, 0.5, 0.6, 0.7],
        [[1.0, 1.0, 1.0, 1.0]],
        [[0.1, np.nan, 0.1, 0.1]],
    )
    assert spectral_set.spectrum(0).wavelength.tolist() == [0.4, 0.6, 0.7]


def test_spectrum_with_too_few_samples_raises(spectral_set: SpectralSet) -> None:
    reflectance = np.array(spectral_set.reflectance)
    reflectance[1, :2] = np.nan
    sparse = SpectralSet(spectral_set.objects, spectral_set.wavelength, reflectance)
    with pytest.raises(SpectrumError, match="at least 3 samples; got 2"):
        sparse.spectrum(1)
