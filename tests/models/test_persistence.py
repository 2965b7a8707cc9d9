"""Saving and loading models: skops + safetensors + a card with every file's sha256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.neighbors import KNeighborsRegressor

from asteroid_spectra.exceptions import ChecksumError, DataError
from asteroid_spectra.models import persistence
from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.fit_params import fit_kwargs
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.nets import ConvNet
from asteroid_spectra.models.persistence import TRUSTED_TYPES, load_model, read_card, save_model
from asteroid_spectra.models.registry import build_model
from asteroid_spectra.models.torch_estimator import TorchClassifier
from asteroid_spectra.models.uncertainty import DistanceOOD

CARD = {"model": "test", "target": "main-group", "seed": 0}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def svm_model(train: Any) -> TaxonomyModel:
    estimator = GroupedClassifier(make_svm(scaling=None, C=30.0, gamma=10.0))
    estimator.fit(train.X, train.y, fine_labels=train.fine)
    ood = DistanceOOD().fit(train.X)
    return TaxonomyModel(estimator, "main-group", "svm-bus", train.wavelength, ood, card=CARD)


@pytest.fixture(scope="module")
def conv_model(train: Any) -> TaxonomyModel:
    estimator = TorchClassifier(
        "conv",
        max_epochs=5,
        lr=1e-2,
        random_state=0,
        input_scaling="centre",
        module__channels=(4, 8),
        module__hidden=8,
    ).fit(train.X, train.y)
    ood = DistanceOOD().fit(train.X)
    return TaxonomyModel(estimator, "main-group", "cnn", train.wavelength, ood, card=CARD)


@pytest.fixture(scope="module")
def saved(svm_model: TaxonomyModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_model(svm_model, tmp_path_factory.mktemp("saved") / "svm")


MODELS = {
    "svm": ("svm_model", ["arrays.safetensors", "card.json", "model.skops"]),
    "conv": (
        "conv_model",
        ["arrays.safetensors", "card.json", "model.skops", "weights-0.safetensors"],
    ),
}


@pytest.mark.parametrize("kind", list(MODELS))
def test_round_trip(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, held_out: Any
) -> None:
    fixture, files = MODELS[kind]
    model: TaxonomyModel = request.getfixturevalue(fixture)
    directory = save_model(model, tmp_path / "model")
    assert directory == tmp_path / "model"
    assert sorted(p.name for p in directory.iterdir()) == files
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no staging directory left
    loaded = load_model(directory)
    assert isinstance(loaded, TaxonomyModel)
    assert (loaded.name, loaded.target, loaded.threshold) == (model.name, model.target, 0.5)
    assert loaded.card == CARD
    np.testing.assert_array_equal(loaded.wavelength, model.wavelength)
    np.testing.assert_array_equal(loaded.predict_proba(held_out.X), model.predict_proba(held_out.X))
    pd.testing.assert_frame_equal(
        loaded.classify(held_out.X).frame(), model.classify(held_out.X).frame()
    )


@pytest.mark.parametrize("kind", list(MODELS))
def test_card_lists_every_file_with_its_sha256(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    fixture, files = MODELS[kind]
    directory = save_model(request.getfixturevalue(fixture), tmp_path / "model")
    card = json.loads((directory / "card.json").read_text())
    assert card == read_card(directory)
    artifact = ("artifact", "files", "kind", "taxonomy_model")
    assert {k: v for k, v in card.items() if k not in artifact} == CARD
    assert sorted(card["files"]) == [f for f in files if f != "card.json"]
    for name, sha in card["files"].items():
        assert sha == digest(directory / name)


@pytest.mark.parametrize("kind", list(MODELS))
def test_model_file_holds_only_trusted_types(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    fixture, _ = MODELS[kind]
    directory = save_model(request.getfixturevalue(fixture), tmp_path / "model")
    assert set(sio.get_untrusted_types(file=directory / "model.skops")) <= set(TRUSTED_TYPES)


def test_network_weights_are_stored_apart(conv_model: TaxonomyModel, tmp_path: Path) -> None:
    from safetensors.torch import load_file

    directory = save_model(conv_model, tmp_path / "model")
    state = load_file(str(directory / "weights-0.safetensors"))
    expected = conv_model.estimator.module_.state_dict()
    assert state.keys() == expected.keys()
    for name, tensor in expected.items():
        assert np.array_equal(state[name].numpy(), tensor.numpy())
    # The saved model is not modified; the loaded one has a fresh network in eval mode.
    assert isinstance(conv_model.estimator.module_, ConvNet)
    assert not hasattr(conv_model.estimator, "weights_file_")
    loaded = load_model(directory).estimator
    assert isinstance(loaded.module_, ConvNet)
    assert not loaded.module_.training
    assert not hasattr(loaded, "weights_file_")


def test_networks_inside_meta_estimators_are_found(train: Any, tmp_path: Path) -> None:
    net = TorchClassifier(max_epochs=3, random_state=0, module__hidden=(8,))
    estimator = GroupedClassifier(net).fit(train.X, train.y, fine_labels=train.fine)
    model = TaxonomyModel(estimator, "main-group", "mlp-bus", train.wavelength, DistanceOOD())
    model.ood.fit(train.X)
    directory = save_model(model, tmp_path / "model")
    assert (directory / "weights-0.safetensors").is_file()
    loaded = load_model(directory)
    np.testing.assert_array_equal(loaded.predict_proba(train.X), model.predict_proba(train.X))
    # The unfitted template net has no weights and is stored as it is.
    assert not hasattr(loaded.estimator.estimator, "module_")


# --- refusals ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["model.skops", "weights-0.safetensors"])
def test_a_tampered_file_fails_its_checksum(
    name: str, conv_model: TaxonomyModel, tmp_path: Path
) -> None:
    directory = save_model(conv_model, tmp_path / "model")
    expected = digest(directory / name)
    with (directory / name).open("ab") as file:
        file.write(b"\0")
    actual = digest(directory / name)
    with pytest.raises(
        ChecksumError,
        match=rf"sha256 of .*{name} does not match its model card: expected {expected}, got "
        rf"{actual}\. The model was modified or corrupted",
    ):
        load_model(directory)


def test_a_tampered_card_hash_fails(saved: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in saved.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    card = json.loads((copy / "card.json").read_text())
    card["files"]["model.skops"] = "0" * 64
    (copy / "card.json").write_text(json.dumps(card))
    with pytest.raises(
        ChecksumError, match=f"expected {'0' * 64}, got {digest(copy / 'model.skops')}"
    ):
        load_model(copy)


def test_a_missing_file_is_a_data_error(conv_model: TaxonomyModel, tmp_path: Path) -> None:
    directory = save_model(conv_model, tmp_path / "model")
    (directory / "weights-0.safetensors").unlink()
    with pytest.raises(DataError, match=r"weights-0\.safetensors is missing; the saved model in"):
        load_model(directory)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (None, r"card\.json is missing or not a model card .*; is .* a saved model\?"),
        ("{not json", r"card\.json is missing or not a model card"),
        ('{"files": {}}', r"lists no model\.skops; the model is incomplete"),
    ],
)
def test_a_missing_or_broken_card_is_a_data_error(
    card: str | None, message: str, saved: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "model"
    directory.mkdir()
    (directory / "model.skops").write_bytes((saved / "model.skops").read_bytes())
    if card is not None:
        (directory / "card.json").write_text(card)
    with pytest.raises(DataError, match=message):
        load_model(directory)


def test_an_unfitted_ood_scorer_is_refused_at_save_time(
    svm_model: TaxonomyModel, tmp_path: Path
) -> None:
    model = TaxonomyModel(
        svm_model.estimator, "main-group", "svm-bus", svm_model.wavelength, DistanceOOD()
    )
    with pytest.raises(DataError, match=r"OOD scorer is not fitted; fit it on the training"):
        save_model(model, tmp_path / "model")
    assert list(tmp_path.iterdir()) == []


def test_untrusted_types_are_refused_at_save_time(train: Any, tmp_path: Path) -> None:
    regressor = KNeighborsRegressor().fit(train.X, train.X[:, -1])
    model = TaxonomyModel(regressor, "main-group", "knn", train.wavelength, DistanceOOD())
    with pytest.raises(
        DataError,
        match=r"types that cannot be loaded safely: "
        r"sklearn\.neighbors\._regression\.KNeighborsRegressor\. It was not saved",
    ):
        save_model(model, tmp_path / "model")
    assert list(tmp_path.iterdir()) == []


def test_untrusted_types_are_refused_before_loading(
    train: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file written by a more permissive writer (simulated by widening the list at save).
    regressor = KNeighborsRegressor().fit(train.X, train.X[:, -1])
    model = TaxonomyModel(regressor, "main-group", "knn", train.wavelength, DistanceOOD())
    model.ood.fit(train.X)
    wider = [*TRUSTED_TYPES, "sklearn.neighbors._regression.KNeighborsRegressor"]
    with monkeypatch.context() as patch:
        patch.setattr(persistence, "TRUSTED_TYPES", wider)
        directory = save_model(model, tmp_path / "model")

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an untrusted file was loaded")

    monkeypatch.setattr(sio, "load", never)
    with pytest.raises(
        DataError,
        match=r"model\.skops contains types that are not trusted: "
        r"sklearn\.neighbors\._regression\.KNeighborsRegressor\. Refusing to load it\.",
    ):
        load_model(directory)


def test_the_trusted_list_is_what_decides(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fewer = [t for t in TRUSTED_TYPES if t != "asteroid_spectra.models.fast_svm.FastSVC"]
    monkeypatch.setattr(persistence, "TRUSTED_TYPES", fewer)
    with pytest.raises(
        DataError, match=r"not trusted: asteroid_spectra\.models\.fast_svm\.FastSVC\."
    ):
        load_model(saved)


def test_an_existing_directory_needs_overwrite(
    svm_model: TaxonomyModel, conv_model: TaxonomyModel, tmp_path: Path, held_out: Any
) -> None:
    directory = save_model(conv_model, tmp_path / "model")
    with pytest.raises(
        DataError, match=r"model exists; choose another directory or pass overwrite=True\."
    ):
        save_model(svm_model, directory)
    assert load_model(directory).name == "cnn"  # untouched
    save_model(svm_model, directory, overwrite=True)
    assert sorted(p.name for p in directory.iterdir()) == [
        "arrays.safetensors",
        "card.json",
        "model.skops",
    ]
    loaded = load_model(directory)
    np.testing.assert_array_equal(
        loaded.predict_proba(held_out.X), svm_model.predict_proba(held_out.X)
    )


@pytest.mark.parametrize("existing", [False, True])
def test_a_failed_save_leaves_nothing_behind(
    existing: bool,
    svm_model: TaxonomyModel,
    conv_model: TaxonomyModel,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    directory = tmp_path / "model"
    if existing:
        save_model(conv_model, directory)
    before = {p.name: p.read_bytes() for p in directory.iterdir()} if existing else {}

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(sio, "dump", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        save_model(svm_model, directory, overwrite=True)
    # No staging directory, and an existing model is left as it was.
    assert [p.name for p in tmp_path.iterdir()] == (["model"] if existing else [])
    if existing:
        assert {p.name: p.read_bytes() for p in directory.iterdir()} == before


@pytest.mark.parametrize("name", ["svm", "svm-unscaled", "svm-bus", "mlp", "cnn", "logistic"])
def test_registry_models_round_trip(name: str, train: Any, tmp_path: Path) -> None:
    estimator = build_model(name, "main-group", train.wavelength, random_state=0)
    if isinstance(estimator, TorchClassifier):
        estimator.set_params(max_epochs=2)
    estimator.fit(train.X, train.y, **fit_kwargs(estimator, train.fine))
    model = TaxonomyModel(estimator, "main-group", name, train.wavelength, DistanceOOD())
    model.ood.fit(train.X)
    loaded = load_model(save_model(model, tmp_path / name))
    np.testing.assert_array_equal(loaded.predict_proba(train.X), model.predict_proba(train.X))
