"""A researcher's labelled spectra as TargetData: labels, checks, splits by asteroid, card."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from asteroid_spectra.exceptions import DataError, ParameterError
from asteroid_spectra.models.splits import grouped_splits
from asteroid_spectra.models.training import evaluate_named
from asteroid_spectra.models.user_data import (
    check_cross_validation,
    read_user_data,
    small_class_notes,
    user_card,
    user_target,
)
from asteroid_spectra.spectra.labelled import LabelledSpectra

from ..spectra.test_labelled import write_labelled_folder


@pytest.fixture
def labels(tmp_path: Path) -> Path:
    """labels.csv of 24 synthetic spectra (8 each of C, S, X; two per asteroid)."""
    return write_labelled_folder(tmp_path)


@pytest.mark.parametrize(
    ("target", "expected"),
    [("main-group", ["C", "S", "X"]), ("x-vs-rest", ["rest", "rest", "X"]), ("bus", list("CSX"))],
)
def test_user_target_labels_the_bus_classes_for_the_target(
    labels: Path, target: str, expected: list[str]
) -> None:
    data = user_target(read_user_data(labels.parent, labels, target), target)
    assert data.target == target
    assert data.y[::8].tolist() == expected
    assert data.fine[::8].tolist() == ["C", "S", "X"]
    assert data.X.shape == (24, data.wavelength.size)
    assert data.excluded.empty
    assert data.excluded_X.shape == (0, data.wavelength.size)


def test_user_target_refuses_another_taxonomy_or_a_single_class(labels: Path) -> None:
    spectra = read_user_data(labels.parent, labels, "main-group")
    with pytest.raises(ParameterError, match="learns demeo classes; the spectra carry bus"):
        user_target(spectra, "demeo")
    single = write_labelled_folder(labels.parent / "one", per_class=3, classes=("S", "Sq"))
    with pytest.raises(ParameterError, match="all have the main-group label 'S'"):
        user_target(read_user_data(single.parent, single, "main-group"), "main-group")


def test_check_cross_validation_needs_two_per_class_and_an_asteroid_per_fold(
    labels: Path,
) -> None:
    check_cross_validation(user_target(read_user_data(labels.parent, labels)), 5)
    few = write_labelled_folder(labels.parent / "few", per_class=2)  # 3 asteroids
    with pytest.raises(
        DataError, match="5-fold cross-validation needs at least 5 asteroids; got 3"
    ):
        check_cross_validation(user_target(read_user_data(few.parent, few)), 5)
    labels.write_text(labels.read_text() + "lone.txt,V,V-0\n")
    (labels.parent / "lone.txt").write_text((labels.parent / "S00.txt").read_text())
    with pytest.raises(DataError, match=r"at least 2 spectra of each class; got Other \(1\)"):
        check_cross_validation(user_target(read_user_data(labels.parent, labels)), 5)


def test_small_classes_are_noted(labels: Path) -> None:
    data = user_target(read_user_data(labels.parent, labels))
    assert small_class_notes(data) == ()  # 8 each
    assert small_class_notes(data, folds=3) == ()  # about 5.3 each in a training fold
    (note,) = small_class_notes(user_target(_five_s(labels)), folds=5)
    assert note.startswith("class 'S' has 5 spectra (about 80% of them in each training fold)")


def _five_s(labels: Path) -> LabelledSpectra:
    rows = labels.read_text().splitlines()
    kept = [r for r in rows if not r.startswith(("S05", "S06", "S07"))]
    labels.write_text("\n".join(kept) + "\n")
    return read_user_data(labels.parent, labels)


def test_grouped_splits_never_put_one_asteroid_on_both_sides(labels: Path) -> None:
    data = user_target(read_user_data(labels.parent, labels))
    splits = grouped_splits(data.objects.object_id, data.y, folds=4, repeats=3, seed=2)
    assert len(splits) == 12
    asteroid = data.objects["object_id"].to_numpy()
    for train, test in splits:
        assert not set(asteroid[train]) & set(asteroid[test])
        assert sorted([*train, *test]) == list(range(24))
        assert set(data.y[test]) == {"C", "S", "X"}  # stratified: 4 asteroids per class
    again = grouped_splits(data.objects.object_id, data.y, folds=4, repeats=3, seed=2)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(splits, again, strict=True))


def test_cross_validation_on_separable_spectra_is_near_perfect(labels: Path) -> None:
    data = user_target(read_user_data(labels.parent, labels))
    splits = grouped_splits(data.objects.object_id, data.y, folds=4, repeats=1)
    result = evaluate_named("main-group", "best", data=data, folds=4, repeats=1, splits=splits)
    assert result.metric("accuracy")["mean"] >= 0.9
    assert result.n_samples == 24


def test_user_card_describes_the_files_and_the_labels(labels: Path) -> None:
    spectra = read_user_data(labels.parent, labels)
    card = {
        "citation": "Bus & Binzel",
        "training_data": {"survey": "smass2", "spectra_sha256": "x"},
    }
    updated = user_card(card, spectra)
    assert "citation" not in updated
    assert card["citation"] == "Bus & Binzel"  # the input is not changed
    section = updated["training_data"]
    assert section["source"] == "user"
    assert section["labels"]["sha256"] == hashlib.sha256(labels.read_bytes()).hexdigest()
    assert [f["name"] for f in section["files"]][:3] == ["C00.txt", "C01.txt", "C02.txt"]
    assert section["spectra_sha256"] == "x"
    assert updated["normalisation_um"] == 0.55
