"""TaxonomyModel: input checks and the classification table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import SpectrumError
from asteroid_spectra.models.classical import make_logistic, make_svm
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.uncertainty import DistanceOOD


@pytest.fixture(scope="module")
def grouped_model(train: Any) -> TaxonomyModel:
    estimator = GroupedClassifier(make_svm(scaling=None, C=30.0, gamma=10.0))
    estimator.fit(train.X, train.y, fine_labels=train.fine)
    ood = DistanceOOD().fit(train.X)
    return TaxonomyModel(estimator, "main-group", "svm-bus", train.wavelength, ood)


@pytest.fixture(scope="module")
def plain_model(train: Any) -> TaxonomyModel:
    estimator = make_logistic().fit(train.X, train.y)
    ood = DistanceOOD().fit(train.X)
    return TaxonomyModel(estimator, "main-group", "logistic", train.wavelength, ood, 0.9)


def test_classes(grouped_model: TaxonomyModel, plain_model: TaxonomyModel) -> None:
    assert grouped_model.classes == ["C", "Other", "S", "X"]
    assert grouped_model.fine_classes == ["C", "Ch", "D", "S", "Sa", "Sq", "V", "X", "Xk"]
    assert plain_model.classes == ["C", "Other", "S", "X"]
    assert plain_model.fine_classes is None


def test_classify_grouped_model(grouped_model: TaxonomyModel, held_out: Any) -> None:
    table = grouped_model.classify(held_out.X).frame()
    assert table.columns.tolist() == [
        "label",
        "probability",
        "uncertain",
        "ood_score",
        "p_C",
        "p_Other",
        "p_S",
        "p_X",
        "bus_class",
        "bus_probability",
    ]
    assert len(table) == 180
    proba = table[["p_C", "p_Other", "p_S", "p_X"]].to_numpy()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(table["probability"], proba.max(axis=1))
    assert table["label"].tolist() == np.array(grouped_model.classes)[proba.argmax(1)].tolist()
    np.testing.assert_array_equal(table["uncertain"], table["probability"] < 0.5)
    np.testing.assert_allclose(table["ood_score"], grouped_model.ood.score_samples(held_out.X))
    assert (table["label"] == held_out.y).mean() >= 0.95
    # The Bus class is the most probable learnt class, and its probability is below the
    # probability of its group (a sum that includes it).
    fine = grouped_model.estimator.predict_fine_proba(held_out.X)
    np.testing.assert_array_equal(table["bus_probability"], fine.max(axis=1))
    groups = [schema.main_group(b) for b in table["bus_class"]]
    assert (np.array(groups) == table["label"]).mean() >= 0.95
    same = np.array(groups) == table["label"]
    assert (table["bus_probability"][same] <= table["probability"][same] + 1e-12).all()
    assert (table["bus_class"] == held_out.fine).mean() >= 0.8


def test_classify_plain_model(plain_model: TaxonomyModel, held_out: Any) -> None:
    table = plain_model.classify(held_out.X).frame()
    assert "bus_class" not in table
    assert "bus_probability" not in table
    np.testing.assert_array_equal(table["probability"], table.filter(like="p_").max(axis=1))
    # This model abstains below 0.9.
    np.testing.assert_array_equal(table["uncertain"], table["probability"] < 0.9)
    assert plain_model.predict_proba(held_out.X).shape == (180, 4)


def test_one_spectrum_is_one_row(grouped_model: TaxonomyModel, held_out: Any) -> None:
    table = grouped_model.classify(held_out.X[3]).frame()
    assert len(table) == 1
    assert (
        table.iloc[0].to_dict() == grouped_model.classify(held_out.X[3:4]).frame().iloc[0].to_dict()
    )


def test_unusual_spectra_get_large_ood_scores(grouped_model: TaxonomyModel, held_out: Any) -> None:
    table = grouped_model.classify(np.vstack([held_out.X[:20], held_out.X[:20] + 0.5])).frame()
    assert (table["ood_score"][20:] > 5).all()
    assert table["ood_score"][:20].median() < 1


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        (
            (3, 48),
            r"The model needs spectra on its 49-point grid \(0\.44-0\.92 µm\); got shape "
            r"\(3, 48\)\. Resample the spectra to model\.wavelength first\.",
        ),
        ((50,), r"49-point grid .*; got shape \(1, 50\)"),
        ((2, 3, 49), r"49-point grid .*; got shape \(2, 3, 49\)"),
    ],
)
def test_spectra_must_be_on_the_grid(
    shape: tuple[int, ...], message: str, grouped_model: TaxonomyModel
) -> None:
    with pytest.raises(SpectrumError, match=message):
        grouped_model.classify(np.ones(shape))
    with pytest.raises(SpectrumError, match=message):
        grouped_model.predict_proba(np.ones(shape))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_spectra_must_be_finite(bad: float, grouped_model: TaxonomyModel, held_out: Any) -> None:
    X = held_out.X[:4].copy()
    X[2, 10] = bad
    with pytest.raises(SpectrumError, match="Spectra contain NaN or infinite values"):
        grouped_model.classify(X)
