"""OptunaSearchClassifier: tuning on the training data, resumable studies, pruning."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import f1_score

from asteroid_spectra.models import tuning
from asteroid_spectra.models.evaluation import evaluate
from asteroid_spectra.models.targets import TargetData, coarse_labels, target_data
from asteroid_spectra.models.torch_estimator import TorchClassifier
from asteroid_spectra.models.tuning import SPACES, OptunaSearchClassifier, SearchSpace
from asteroid_spectra.spectra.sets import SpectralSet


@pytest.fixture
def studies(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every study OptunaSearchClassifier creates (in-memory ones included)."""
    created: list[Any] = []
    create = optuna.create_study

    def spy(**kwargs: Any) -> Any:
        created.append(create(**kwargs))
        return created[-1]

    monkeypatch.setattr(optuna, "create_study", spy)
    return created


@pytest.fixture
def tiny_net_space(monkeypatch: pytest.MonkeyPatch) -> str:
    """A one-parameter net space (learning rate) with 12-epoch, 8-unit nets."""

    def suggest(trial: Any) -> dict[str, Any]:
        return {"lr": trial.suggest_float("lr", 1e-5, 1e-1, log=True)}

    def build(params: dict[str, Any], random_state: int) -> TorchClassifier:
        return TorchClassifier(
            max_epochs=12, module__hidden=(8,), random_state=random_state, **params
        )

    monkeypatch.setitem(SPACES, "tiny", SearchSpace(suggest, build, epoch_pruning=True))
    return "tiny"


def sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


def test_search_spaces() -> None:
    assert set(SPACES) == {"svm", "dense", "conv"}
    assert not SPACES["svm"].epoch_pruning
    assert SPACES["dense"].epoch_pruning
    assert SPACES["conv"].epoch_pruning


@pytest.mark.parametrize(
    ("space", "kind", "module"),
    [("dense", TorchClassifier, "dense"), ("conv", TorchClassifier, "conv")],
)
def test_net_spaces_build_seeded_nets(space: str, kind: type, module: str) -> None:
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    params = SPACES[space].suggest(study.ask())
    model = SPACES[space].build(params, 5)
    assert isinstance(model, kind)
    assert (model.module, model.random_state) == (module, 5)
    assert model.get_params()["module__dropout"] == params["module__dropout"]


def test_unknown_space_raises(train: Any) -> None:
    with pytest.raises(
        ValueError,
        match=r"The 'space' parameter of OptunaSearchClassifier must be one of svm, dense, "
        r"conv\. Got 'forest' instead\.",
    ):
        OptunaSearchClassifier("forest", storage="memory").fit(train.X, train.y)


def test_predict_before_fit_raises(train: Any) -> None:
    with pytest.raises(NotFittedError, match="not fitted yet"):
        OptunaSearchClassifier().predict(train.X)


def test_tuned_svm_scores_well_on_held_out_data(
    train: Any, held_out: Any, studies: list[Any]
) -> None:
    search = OptunaSearchClassifier("svm", n_trials=6, storage="memory", random_state=0)
    assert clone(search).get_params() == search.get_params()
    search.fit(train.X, train.y)
    assert search.n_trials_ == 6
    assert set(search.best_params_) == {"scaling", "C", "gamma", "class_weight"}
    assert search.classes_.tolist() == ["C", "Other", "S", "X"]
    assert search.score(held_out.X, held_out.y) >= 0.95
    np.testing.assert_allclose(search.predict_proba(held_out.X).sum(axis=1), 1.0)
    # The best trial is the study's best (maximised inner-CV accuracy).
    (study,) = studies
    assert study.direction == optuna.study.StudyDirection.MAXIMIZE
    assert search.best_score_ == study.best_value
    assert search.best_params_ == study.best_trial.user_attrs["params"]


def test_f1_x_scoring_is_the_f1_of_the_x_class(train: Any, studies: list[Any]) -> None:
    y = coarse_labels("x-vs-rest", train.fine)
    search = OptunaSearchClassifier("svm", n_trials=3, scoring="f1_x", storage="memory")
    search.fit(train.X, y)
    (study,) = studies
    # Every trial scores the mean inner-fold F1 of X: within [0, 1] and for the best fit
    # close to the training F1.
    assert all(0 <= t.value <= 1 for t in study.trials)
    assert search.best_score_ >= 0.9
    assert f1_score(y, search.predict(train.X), pos_label="X") >= 0.9


def test_study_name_comes_from_the_data_space_and_seed(train: Any, held_out: Any) -> None:
    def name(X: Any, y: Any, **params: Any) -> str:
        search = OptunaSearchClassifier("svm", n_trials=1, storage="memory", **params)
        return search.fit(X, y).study_name_

    first = name(train.X, train.y)
    assert re.fullmatch(r"asteroid-spectra-svm-[0-9a-f]{16}", first)
    assert name(train.X, train.y) == first
    assert name(held_out.X, held_out.y) != first
    assert name(train.X[:-1], train.y[:-1]) != first
    assert name(train.X, np.roll(train.y, 1)) != first
    assert name(train.X, train.y, random_state=1) != first
    assert name(train.X, train.y, scoring="f1_macro") != first
    assert name(train.X, train.y, study_name="mine") == "mine"


def test_a_stored_study_resumes(train: Any, tmp_path: Path) -> None:
    storage = sqlite(tmp_path / "studies.db")
    search = OptunaSearchClassifier("svm", n_trials=4, storage=storage, random_state=0)
    search.fit(train.X, train.y)
    first = optuna.load_study(study_name=search.study_name_, storage=storage).trials
    assert len(first) == 4
    # A second fit on the same data asks for 6: only 2 more trials run.
    search.set_params(n_trials=6).fit(train.X, train.y)
    study = optuna.load_study(study_name=search.study_name_, storage=storage)
    assert len(study.trials) == 6
    assert [(t.number, t.params) for t in study.trials[:4]] == [(t.number, t.params) for t in first]
    assert search.n_trials_ == 6
    # Asking for no more than it has runs nothing.
    search.set_params(n_trials=5).fit(train.X, train.y)
    assert len(optuna.load_study(study_name=search.study_name_, storage=storage).trials) == 6
    assert len(optuna.get_all_study_summaries(storage)) == 1


def test_default_storage_is_sqlite_in_the_cache(
    train: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASTEROID_SPECTRA_CACHE", str(tmp_path))
    search = OptunaSearchClassifier("svm", n_trials=2).fit(train.X, train.y)
    database = tmp_path / "optuna" / "studies.db"
    assert tuning.default_storage() == sqlite(database)
    assert database.is_file()
    study = optuna.load_study(study_name=search.study_name_, storage=sqlite(database))
    assert len(study.trials) == 2


# --- nets: per-epoch reports and pruning -------------------------------------------
def test_raising_trial_pruned_from_on_epoch_stops_training(train: Any) -> None:
    epochs: list[int] = []

    def prune_at_3(epoch: int, loss: float) -> None:
        epochs.append(epoch)
        if epoch == 3:
            raise optuna.TrialPruned()

    model = TorchClassifier(max_epochs=20, module__hidden=(8,), random_state=0)
    with pytest.raises(optuna.TrialPruned):
        model.fit(train.X, train.y, on_epoch=prune_at_3)
    assert epochs == [1, 2, 3]
    assert not hasattr(model, "module_")


def test_net_trials_report_every_epoch_and_bad_ones_are_pruned(
    train: Any, held_out: Any, tiny_net_space: str, studies: list[Any]
) -> None:
    search = OptunaSearchClassifier(tiny_net_space, n_trials=10, storage="memory", random_state=0)
    search.fit(train.X, train.y)
    (study,) = studies
    assert study.direction == optuna.study.StudyDirection.MINIMIZE
    complete = study.get_trials(states=[optuna.trial.TrialState.COMPLETE])
    pruned = study.get_trials(states=[optuna.trial.TrialState.PRUNED])
    assert len(complete) + len(pruned) == 10
    # The median pruner starts after 5 trials and stops the slowest learners early.
    assert pruned
    assert all(len(t.intermediate_values) < 12 for t in pruned)
    for trial in complete:
        assert sorted(trial.intermediate_values) == list(range(1, 13))  # one report per epoch
        assert trial.value == min(trial.intermediate_values.values())  # best validation loss
    assert search.best_score_ == -study.best_value
    assert search.best_params_ == study.best_trial.params
    assert search.score(held_out.X, held_out.y) >= 0.85


def test_nested_evaluation_tunes_on_each_outer_training_fold(
    spectral_set: SpectralSet, studies: list[Any]
) -> None:
    data: TargetData = target_data(spectral_set, "main-group")
    result = evaluate(
        lambda: OptunaSearchClassifier("svm", n_trials=3, storage="memory", random_state=0),
        data,
        folds=3,
        repeats=1,
        seed=0,
    )
    # One study per outer fold, each named after (and tuned on) its own training part.
    assert len(studies) == 3
    assert len({study.study_name for study in studies}) == 3
    assert all(len(study.trials) == 3 for study in studies)
    assert result.metric("accuracy")["mean"] >= 0.95


@pytest.mark.slow
def test_tuned_dense_net(train: Any, held_out: Any) -> None:
    search = OptunaSearchClassifier("dense", n_trials=6, storage="memory", random_state=0)
    search.fit(train.X, train.y)
    assert search.best_params_["module__hidden"][0] in {16, 32, 64, 128, 256}
    assert isinstance(search.best_estimator_, TorchClassifier)
    assert search.score(held_out.X, held_out.y) >= 0.9


def _tune_in_a_process(url: str, seed: int) -> tuple[str, int]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(80, 4))
    y = np.repeat(["a", "b"], 40)
    X[y == "a"] += 1.5
    search = OptunaSearchClassifier("svm", n_trials=3, storage=url, random_state=seed)
    search.fit(X, y)
    return search.study_name_, search.n_trials_


def test_parallel_folds_can_open_a_new_sqlite_storage_together(tmp_path: Path) -> None:
    # Regression: two processes creating the same fresh SQLite file raced on its schema
    # ("table alembic_version already exists") during parallel nested CV.
    from joblib import Parallel, delayed

    url = f"sqlite:///{tmp_path / 'studies.db'}"
    results = Parallel(n_jobs=2)(delayed(_tune_in_a_process)(url, seed) for seed in range(4))
    assert [n for _, n in results] == [3, 3, 3, 3]
    assert len({name for name, _ in results}) == 4
    assert len(optuna.get_all_study_names(storage=url)) == 4
