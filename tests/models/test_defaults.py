"""default_model: trained on first use, then loaded (and verified) from the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.config import Settings
from asteroid_spectra.data.cache import forget
from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.defaults import default_model, default_model_path
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.targets import coarse_labels
from asteroid_spectra.models.uncertainty import DistanceOOD


@pytest.fixture
def trainings(train: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Replace the SMASSII training by a fast one on the synthetic spectra; log the calls."""
    calls: list[tuple[str, str]] = []

    def fake_train_model(target: str, name: str, **kwargs: Any) -> tuple[TaxonomyModel, None]:
        calls.append((target, name))
        estimator = GroupedClassifier(make_svm(scaling=None, C=30.0, gamma=10.0), target=target)
        estimator.fit(train.X, coarse_labels(target, train.fine), fine_labels=train.fine)
        ood = DistanceOOD().fit(train.X)
        card = {"model": "svm-bus", "seed": kwargs["seed"]}
        return TaxonomyModel(estimator, target, "svm-bus", train.wavelength, ood, card=card), None

    monkeypatch.setattr("asteroid_spectra.models.training.train_model", fake_train_model)
    return calls


def test_path_is_in_the_cache_and_keyed_by_target(empty_settings: Settings) -> None:
    paths = {t: default_model_path(t, empty_settings) for t in ("main-group", "x-vs-rest")}
    for target, path in paths.items():
        assert path.parent == empty_settings.cache_dir / "models"
        assert path.name.startswith(f"{target}-")
        assert len(path.name) == len(target) + 1 + 12  # 12 hex digits of the recipe key
    assert paths["main-group"] != paths["x-vs-rest"]
    assert default_model_path("main-group", empty_settings) == paths["main-group"]


def test_the_key_changes_with_the_package_version(
    empty_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = default_model_path("bus", empty_settings)
    monkeypatch.setattr("asteroid_spectra.data.cache.__version__", "999.0")
    assert default_model_path("bus", empty_settings) != before


def test_first_call_trains_and_saves_later_calls_load(
    trainings: list[tuple[str, str]], empty_settings: Settings, held_out: Any
) -> None:
    first = default_model("main-group", settings=empty_settings)
    assert trainings == [("main-group", "best")]
    path = default_model_path("main-group", empty_settings)
    assert sorted(p.name for p in path.iterdir()) == [
        "arrays.safetensors",
        "card.json",
        "model.skops",
    ]
    assert default_model("main-group", settings=empty_settings) is first  # kept in memory
    forget()  # as in a new process
    second = default_model("main-group", settings=empty_settings)
    assert trainings == [("main-group", "best")]  # loaded, not trained again
    assert second is not first
    assert second.card["seed"] == 0
    np.testing.assert_array_equal(second.predict_proba(held_out.X), first.predict_proba(held_out.X))


def test_a_corrupted_cache_is_retrained(
    trainings: list[tuple[str, str]], empty_settings: Settings
) -> None:
    default_model("bus", settings=empty_settings)
    model_file: Path = default_model_path("bus", empty_settings) / "model.skops"
    model_file.write_bytes(model_file.read_bytes()[:-10])
    forget()
    default_model("bus", settings=empty_settings)
    assert trainings == [("bus", "best"), ("bus", "best")]
    forget()
    default_model("bus", settings=empty_settings)  # the retrained copy verifies again
    assert len(trainings) == 2


def test_unknown_target_raises(empty_settings: Settings) -> None:
    with pytest.raises(AsteroidSpectraError, match=r"Unknown target 'smass'"):
        default_model("smass", settings=empty_settings)
