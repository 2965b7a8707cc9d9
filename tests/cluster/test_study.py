"""The latent-space study on a synthetic labelled set of four prototype classes."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding
from asteroid_spectra.cluster.study import ClusterStudy, analyse_embedding, run_cluster_study
from asteroid_spectra.data.jsonable import json_default
from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.spectra.sets import SpectralSet

# The four generating classes: C, S, X and V, one per main group (see conftest.py).
N_LABELLED = 210


@pytest.fixture(scope="module")
def study(study_run: Any) -> ClusterStudy:
    result: ClusterStudy = study_run.study
    return result


@pytest.fixture(scope="module")
def summary(study: ClusterStudy) -> dict[str, Any]:
    return study.summary()


# --- the headline numbers ------------------------------------------------------------
def test_summary_headline_keys_come_first(summary: dict[str, Any]) -> None:
    assert list(summary)[:5] == [
        "bic_optimal_k",
        "bic_optimal_k_counts",
        "ari_main_group",
        "ari_main_group_std",
        "nmi_main_group",
    ]
    expected = {
        "nmi_main_group_std",
        "ari_bus",
        "nmi_bus",
        "henze_zirkler",
        "henze_zirkler_by_seed",
        "mardia",
        "reconstruction_rmse_median",
        "reconstruction_rmse_by_class",
        "contingency_main_group",
        "pca",
        "autoencoders",
        "latent_dim",
        "max_components",
        "seeds",
        "n_spectra",
    }
    assert expected <= set(summary)


def test_summary_types(summary: dict[str, Any]) -> None:
    assert all(type(k) is int for k in summary["bic_optimal_k"])
    for key in ("ari_main_group", "ari_main_group_std", "nmi_main_group", "ari_bus", "nmi_bus"):
        assert type(summary[key]) is float, key
    assert set(summary["henze_zirkler"]) == {"statistic", "pvalue", "normal"}
    assert type(summary["henze_zirkler"]["normal"]) is bool
    assert type(summary["henze_zirkler"]["pvalue"]) is float
    assert set(summary["mardia"]) == {
        "skewness",
        "skewness_pvalue",
        "kurtosis",
        "kurtosis_pvalue",
        "normal",
    }
    assert summary["latent_dim"] == 3
    assert summary["max_components"] == 6
    assert summary["seeds"] == [0, 1]


def test_one_bic_optimal_k_per_seed_and_it_is_the_number_of_classes(
    summary: dict[str, Any], study: ClusterStudy
) -> None:
    assert summary["bic_optimal_k"] == [4, 4]
    assert summary["bic_optimal_k_counts"] == {4: 2}
    assert [r.best_k for r in study.autoencoders] == summary["bic_optimal_k"]
    for result in study.autoencoders:
        assert result.sweep.bic.shape == (2, 6)  # mixture seeds x 1..6 components
        assert result.best_k == int(result.sweep.n_components[np.argmin(result.sweep.bic) % 6])


def test_clusters_recover_the_generating_classes(summary: dict[str, Any]) -> None:
    # Four well-separated prototypes with 1 % noise: the BIC-optimal mixture finds them.
    assert summary["ari_main_group"] > 0.95
    assert summary["nmi_main_group"] > 0.95
    # One Bus class per main group, so the two agreements coincide.
    assert summary["ari_bus"] == pytest.approx(summary["ari_main_group"])
    assert summary["ari_main_group_std"] < 0.05


def test_contingency_counts_every_labelled_spectrum(summary: dict[str, Any]) -> None:
    table = summary["contingency_main_group"]  # cluster -> {main group: count}
    assert len(table) == 4
    totals: dict[str, int] = {}
    for counts in table.values():
        for group, count in counts.items():
            totals[group] = totals.get(group, 0) + count
    assert totals == {"C": 60, "S": 60, "X": 50, "Other": 40}
    # Each cluster is (almost) one group: purity above 97 %.
    assert sum(max(counts.values()) for counts in table.values()) > 0.97 * N_LABELLED


def test_latents_are_not_normal(summary: dict[str, Any], study: ClusterStudy) -> None:
    # Four separated clusters are a mixture, not one Gaussian.
    assert summary["henze_zirkler"]["normal"] is False
    assert summary["henze_zirkler"]["pvalue"] < 1e-6
    assert summary["henze_zirkler"] == study.autoencoders[0].henze_zirkler
    assert len(summary["henze_zirkler_by_seed"]) == 2
    assert summary["mardia"] == study.autoencoders[0].mardia


def test_cluster_normality_is_tested_for_large_enough_clusters(study: ClusterStudy) -> None:
    for result in study.autoencoders:
        tested = result.cluster_normality
        assert [entry["cluster"] for entry in tested] == list(range(result.best_k))
        sizes = np.bincount(result.clusters, minlength=result.best_k)
        assert [entry["n"] for entry in tested] == sizes.tolist()
        assert all(entry["n"] > 2 * 3 + 2 for entry in tested)
        assert all(
            set(entry) == {"cluster", "n", "statistic", "pvalue", "normal"} for entry in tested
        )


def test_pca_baseline_is_present(summary: dict[str, Any], study: ClusterStudy) -> None:
    assert study.pca is not None
    assert study.pca.latent.shape == (N_LABELLED, 3)
    assert study.pca.reconstruction_rmse is None
    pca = summary["pca"]
    assert pca["name"] == "pca"
    assert pca["bic_optimal_k"] == 4
    assert pca["ari_main_group"] > 0.95
    assert "reconstruction_rmse_median" not in pca
    assert pca["sweep"]["seeds"] == [0, 1]


def test_per_seed_summaries(summary: dict[str, Any], study: ClusterStudy) -> None:
    names = [entry["name"] for entry in summary["autoencoders"]]
    assert names == ["autoencoder seed 0", "autoencoder seed 1"]
    for entry, result in zip(summary["autoencoders"], study.autoencoders, strict=True):
        assert entry["bic_optimal_k"] == result.best_k
        assert len(entry["bic_optimal_k_by_mixture_seed"]) == 2
        assert entry["reconstruction_rmse_median"] == pytest.approx(
            float(np.median(result.reconstruction_rmse))
        )
    assert summary["ari_main_group"] == pytest.approx(
        np.mean([entry["ari_main_group"] for entry in summary["autoencoders"]])
    )


# --- what was trained and on what ----------------------------------------------------
def test_only_the_labelled_spectra_are_studied(
    study: ClusterStudy, summary: dict[str, Any], labelled_set: SpectralSet
) -> None:
    assert len(labelled_set) == N_LABELLED + 4
    assert summary["n_spectra"] == N_LABELLED
    assert study.spectra.shape == (N_LABELLED, 49)
    np.testing.assert_array_equal(study.spectra, labelled_set.reflectance[:N_LABELLED])
    np.testing.assert_array_equal(study.wavelength, labelled_set.wavelength)
    assert study.objects[schema.LABELLED].all()


def test_autoencoders_use_the_seeds_and_extra_parameters(study: ClusterStudy) -> None:
    assert [m.random_state for m in study.models] == [0, 1]
    for model, result in zip(study.models, study.autoencoders, strict=True):
        assert isinstance(model, AutoencoderEmbedding)
        assert model.latent_dim == 3
        assert model.max_epochs == 60
        assert len(model.history_) <= 60
        np.testing.assert_array_equal(result.latent, model.transform(study.spectra))
        np.testing.assert_array_equal(
            result.reconstruction_rmse, model.reconstruction_error(study.spectra)
        )


def test_reconstruction_is_at_the_noise_level(study: ClusterStudy, summary: dict[str, Any]) -> None:
    # The spectra carry 1 % Gaussian noise, which no 3-D latent can reproduce.
    median = summary["reconstruction_rmse_median"]
    assert 0.007 < median["mean"] < 0.02
    assert median["std"] < 0.005
    table = study.reconstruction_table()
    assert list(table.columns) == ["by", "label", "mean", "std", "count"]
    by = {key: sorted(frame["label"]) for key, frame in table.groupby("by")}
    assert by == {
        "all": ["all"],
        schema.BUS_CLASS: ["C", "S", "V", "X"],
        schema.MAIN_GROUP: ["C", "Other", "S", "X"],
    }
    assert (table["count"] == 2).all()  # one median per seed


def test_progress_is_reported_after_each_step(study_run: Any) -> None:
    # Documented by the CLI's progress bar: 2 steps per autoencoder seed, 1 for PCA.
    assert len(study_run.messages) == 2 * 2 + 1
    assert study_run.messages[0] == "autoencoder seed 0 trained"
    assert study_run.messages[1] == "autoencoder seed 0: BIC-optimal k = 4"
    assert study_run.messages[2] == "autoencoder seed 1 trained"
    assert study_run.messages[-1] == "PCA baseline: BIC-optimal k = 4"


def test_summary_is_json_serialisable(summary: dict[str, Any]) -> None:
    text = json.dumps(summary, default=json_default, allow_nan=False)
    data = json.loads(text)
    assert data["bic_optimal_k"] == [4, 4]
    assert data["ari_main_group"] == summary["ari_main_group"]
    assert data["henze_zirkler"] == summary["henze_zirkler"]
    assert data["bic_optimal_k_counts"] == {"4": 2}
    assert len(data["reconstruction_rmse_by_class"]) == 1 + 4 + 4


def test_single_seed_summary_is_strict_json(labelled_set: SpectralSet) -> None:
    study = run_cluster_study(
        labelled_set,
        latent_dim=2,
        max_components=5,
        seeds=(3,),
        autoencoder_params={"max_epochs": 20, "channels": (4, 8)},
    )
    summary = study.summary()
    assert summary["bic_optimal_k"] == [study.autoencoders[0].best_k]
    assert summary["ari_main_group_std"] == 0.0
    assert summary["reconstruction_rmse_median"]["std"] == 0.0
    # One seed has no spread; the JSON must not carry NaN (invalid JSON).
    text = json.dumps(summary, default=json_default, allow_nan=False)
    assert all(row["std"] == 0.0 for row in json.loads(text)["reconstruction_rmse_by_class"])


# --- analyse_embedding on its own ----------------------------------------------------
@pytest.fixture
def three_blobs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    labels = np.repeat(np.array(["C", "S", "X"]), 40)
    points = centres[np.repeat(np.arange(3), 40)] + rng.normal(0, 1, (120, 2))
    return points, labels


def test_analyse_embedding_clusters_with_the_bic_optimal_k(
    three_blobs: tuple[np.ndarray, np.ndarray],
) -> None:
    points, labels = three_blobs
    bus = np.where(np.arange(120) % 2, labels, labels + "h")
    result = analyse_embedding("blobs", points, labels, bus, max_components=5, mixture_seeds=(0, 1))
    assert result.best_k == 3
    assert result.sweep.bic_optimal_k.tolist() == [3, 3]
    assert result.agreement_main_group["ari"] == 1.0
    # Each Bus class is half a cluster: agreement with it is partial.
    assert 0 < result.agreement_bus["ari"] < 1
    assert result.clusters.shape == (120,)
    assert result.clusters.dtype == np.int64
    assert result.reconstruction_rmse is None
    assert "reconstruction_rmse_median" not in result.summary()


def test_analyse_embedding_keeps_the_reconstruction_errors(
    three_blobs: tuple[np.ndarray, np.ndarray],
) -> None:
    points, labels = three_blobs
    rmse = np.linspace(0.01, 0.03, 120)
    result = analyse_embedding(
        "blobs",
        points,
        labels,
        labels,
        max_components=4,
        mixture_seeds=(0,),
        reconstruction_rmse=rmse,
    )
    np.testing.assert_array_equal(result.reconstruction_rmse, rmse)
    assert result.summary()["reconstruction_rmse_median"] == pytest.approx(0.02)


def test_analyse_embedding_takes_the_lowest_bic_over_all_seeds() -> None:
    # Two blobs of very different size and spread: seeds may disagree, the best (lowest)
    # BIC anywhere decides.
    rng = np.random.default_rng(8)
    points = np.vstack([rng.normal(0, 1, (150, 2)), rng.normal(4, 0.3, (12, 2))])
    labels = np.repeat(["C", "S"], [150, 12])
    result = analyse_embedding(
        "x", points, labels, labels, max_components=6, mixture_seeds=(0, 1, 2)
    )
    row, column = np.unravel_index(np.argmin(result.sweep.bic), result.sweep.bic.shape)
    assert result.best_k == result.sweep.n_components[column]
    assert result.sweep.bic[row, column] == result.sweep.bic.min()


# --- errors --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"latent_dim": 1}, r"'latent_dim' parameter of run_cluster_study must be at least 2"),
        ({"seeds": ()}, r"'seeds' parameter of run_cluster_study must hold at least one seed"),
    ],
)
def test_run_cluster_study_rejects_bad_settings(
    labelled_set: SpectralSet, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        run_cluster_study(labelled_set, **kwargs)


def test_run_cluster_study_needs_labels(labelled_set: SpectralSet) -> None:
    objects = labelled_set.objects.drop(columns=[schema.LABELLED])
    unlabelled = SpectralSet(objects, labelled_set.wavelength, labelled_set.reflectance)
    with pytest.raises(SpectrumError, match="no 'labelled' column"):
        run_cluster_study(unlabelled, seeds=(0,))


def test_contingency_is_a_table_of_the_first_seed(study: ClusterStudy) -> None:
    table = study.autoencoders[0].agreement_main_group["contingency"]
    assert isinstance(table, pd.DataFrame)
    assert table.to_dict() == study.summary()["contingency_main_group"]
