"""Targets: Bus classes mapped to labels, and the labelled data of each target."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.targets import TARGETS, coarse_labels, target_data
from asteroid_spectra.spectra.sets import SpectralSet

BUS = ["Xk", "Xe", "Xc", "X", "Sq", "C", "Cgh", "V", "Ld", "O"]


def test_the_five_targets() -> None:
    assert TARGETS == ("x-vs-rest", "main-group", "bus", "demeo", "tholen")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        # Bus & Binzel (2002): the X complex is X, Xc, Xe, Xk.
        ("x-vs-rest", ["X", "X", "X", "X", "rest", "rest", "rest", "rest", "rest", "rest"]),
        ("main-group", ["X", "X", "X", "X", "S", "C", "C", "Other", "Other", "Other"]),
        ("bus", BUS),
    ],
)
def test_coarse_labels(target: str, expected: list[str]) -> None:
    labels = coarse_labels(target, BUS)
    assert labels.dtype == object
    assert labels.tolist() == expected


def test_coarse_labels_of_every_bus_class_follow_the_schema() -> None:
    groups = coarse_labels("main-group", schema.BUS_CLASSES)
    assert groups.tolist() == [schema.BUS_TO_MAIN_GROUP[b] for b in schema.BUS_CLASSES]


@pytest.mark.parametrize("target", ["smass", "main_group", ""])
def test_unknown_targets_raise(target: str, spectral_set: SpectralSet) -> None:
    message = (
        rf"Unknown target '{target}'; expected one of x-vs-rest, main-group, bus, demeo, tholen\."
    )
    with pytest.raises(AsteroidSpectraError, match=message):
        coarse_labels(target, ["S"])
    with pytest.raises(AsteroidSpectraError, match=message):
        target_data(spectral_set, target)


@pytest.mark.parametrize(
    ("target", "n", "classes"),
    [
        # 185 labelled spectra (O: 2 and R: 3 among them); 4 unlabelled ones are never used.
        ("x-vs-rest", 185, ("X", "rest")),
        ("main-group", 185, ("C", "S", "X", "Other")),
        # Bus: O and R have fewer than 5 spectra and are left out.
        ("bus", 180, ("C", "Ch", "S", "Sa", "Sq", "X", "Xk", "D", "V")),
    ],
)
def test_target_data_selects_and_labels(
    target: str, n: int, classes: tuple[str, ...], spectral_set: SpectralSet
) -> None:
    data = target_data(spectral_set, target)
    labelled = spectral_set.objects[schema.LABELLED].to_numpy(dtype=bool)
    assert data.target == target
    assert data.X.shape == (n, 49)
    assert data.y.shape == data.fine.shape == (n,)
    assert data.classes == classes  # display order of the target, only classes present
    np.testing.assert_array_equal(data.wavelength, spectral_set.wavelength)
    # Rows keep their order and carry their own Bus class and metadata.
    assert data.objects.index.tolist() == list(range(n))
    rows = data.objects[schema.OBJECT_ID].astype(int).to_numpy() - 1
    assert labelled[rows].all()
    np.testing.assert_array_equal(data.X, spectral_set.reflectance[rows])
    assert data.fine.tolist() == spectral_set.objects[schema.BUS_CLASS].iloc[rows].tolist()
    assert data.y.tolist() == coarse_labels(target, data.fine).tolist()
    assert data.error is None


def test_bus_target_reports_the_rare_classes(spectral_set: SpectralSet) -> None:
    data = target_data(spectral_set, "bus")
    assert sorted(data.excluded[schema.BUS_CLASS]) == ["O", "O", "R", "R", "R"]
    assert data.excluded_X.shape == (5, 49)
    rows = data.excluded[schema.OBJECT_ID].astype(int).to_numpy() - 1
    np.testing.assert_array_equal(data.excluded_X, spectral_set.reflectance[rows])
    assert set(data.objects[schema.BUS_CLASS]).isdisjoint({"O", "R"})


@pytest.mark.parametrize(("min_class_size", "n"), [(1, 185), (3, 183), (4, 180), (21, 85)])
def test_min_class_size(min_class_size: int, n: int, spectral_set: SpectralSet) -> None:
    # Classes: S 30, C 30, X 25, Sq 20, Ch 20, Xk 15, V 15, D 15, Sa 10, R 3, O 2.
    data = target_data(spectral_set, "bus", min_class_size=min_class_size)
    assert len(data.y) == n
    assert len(data.y) + len(data.excluded) == 185


@pytest.mark.parametrize("target", ["main-group", "x-vs-rest"])
def test_other_targets_exclude_nothing(target: str, spectral_set: SpectralSet) -> None:
    data = target_data(spectral_set, target, min_class_size=1000)
    assert data.excluded.empty
    assert data.excluded_X.shape == (0, 49)


def test_errors_follow_the_selected_rows(spectral_set: SpectralSet) -> None:
    error = np.arange(len(spectral_set))[:, np.newaxis] * np.ones(49)
    data = target_data(spectral_set, "bus", error=error)
    assert data.error is not None
    rows = data.objects[schema.OBJECT_ID].astype(int).to_numpy() - 1
    np.testing.assert_array_equal(data.error, error[rows])
