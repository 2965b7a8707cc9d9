"""Leave-one-survey-out evaluation on synthetic surveys with known instrument systematics.

Three "surveys" observe overlapping sets of 150 asteroids of four Bus-like classes: the
reference (``smass2``, as the prototypes), one whose red end sits 12 % high at 0.88 µm
(``gaia-dr3``, like Gaia DR3 against SMASSII) and a noisy one (``ecas``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.calibration import Temperature
from asteroid_spectra.models.loso import corrections, leave_surveys_out, loso_evaluate
from asteroid_spectra.models.loso_summary import cross_calibrate, loso_summary
from asteroid_spectra.schema import main_group
from asteroid_spectra.spectra.perturb import bend_red
from asteroid_spectra.spectra.survey_spectra import SurveySpectra

from ..conftest import GRID, prototype

SPAN = GRID[(GRID >= 0.52 - 1e-9) & (GRID <= 0.88 + 1e-9)]
CLASSES = ("C", "X", "S", "V")
RED_BIAS = 0.12 / (0.88 - 0.75)  # +12 % at 0.88 µm


@pytest.fixture(scope="module")
def surveys() -> SurveySpectra:
    rng = np.random.default_rng(0)
    X, rows = [], []
    for number in range(150):
        fine = CLASSES[number % 4]
        shape = prototype(fine, SPAN) * (1 + rng.normal(0, 0.03) * (SPAN - 0.55))
        seen = ["smass2"] if number % 3 else []
        seen += ["gaia-dr3"] if number % 3 != 1 else []
        seen += ["ecas"] if number % 2 else []
        for survey in seen:
            values = shape.copy()
            if survey == "gaia-dr3":
                values = bend_red(values, SPAN, RED_BIAS)
            if survey == "ecas":
                values = values + rng.normal(0, 0.01, SPAN.size)
            X.append(values / values[np.isclose(SPAN, 0.55)][0])
            rows.append(
                {
                    "object_id": str(number + 1),
                    "survey": survey,
                    "file": f"{survey}-{number}",
                    "label_source": "bus",
                    "label": fine,
                    "main_group": main_group(fine),
                    "fine": fine,
                    "noise": np.nan,
                }
            )
    return SurveySpectra(SPAN, np.vstack(X), pd.DataFrame(rows))


class Spy(LogisticRegression):
    """Logistic regression that records the spectra it was fitted on (class attribute)."""

    seen: ClassVar[list[np.ndarray]] = []

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Spy:
        Spy.seen.append(np.asarray(X))
        return super().fit(X, y, sample_weight=sample_weight)


def logistic() -> LogisticRegression:
    return LogisticRegression(C=100.0, max_iter=2000)


def test_no_test_asteroid_is_seen_through_any_survey(surveys: SurveySpectra) -> None:
    Spy.seen = []
    result = loso_evaluate(
        lambda: Spy(max_iter=500), surveys, "ecas", correct="none", folds=3, repeats=1
    )
    predictions = result.predictions
    held = surveys.rows.index[surveys.rows.survey == "ecas"].to_numpy()
    for fold, seen in enumerate(Spy.seen):
        test_rows = held[predictions.loc[predictions.fold == fold, "row"].to_numpy()]
        tested = set(surveys.rows.object_id.iloc[test_rows])
        forbidden = surveys.rows.index[
            surveys.rows.object_id.isin(tested) | (surveys.rows.survey == "ecas")
        ]
        allowed = surveys.rows.index.difference(forbidden)
        # every training spectrum is one of the allowed rows, and all of them are used
        assert len(seen) == len(allowed)
        distances = np.abs(seen[:, None, :] - surveys.X[None, forbidden, :]).sum(axis=2)
        assert distances.min() > 0
    assert sorted(predictions.row) == list(range(len(held)))  # every ecas spectrum tested once


def test_the_red_end_bias_is_learnt_from_shared_asteroids(surveys: SurveySpectra) -> None:
    factors = corrections(surveys, np.arange(len(surveys)), ["gaia-dr3", "ecas", "smass2"])
    assert factors["gaia-dr3"][-1] == pytest.approx(1.12, abs=0.002)
    np.testing.assert_allclose(factors["gaia-dr3"][SPAN <= 0.75], 1.0, atol=1e-9)
    np.testing.assert_allclose(factors["ecas"], 1.0, atol=0.01)
    np.testing.assert_array_equal(factors["smass2"], 1.0)


def test_too_few_shared_asteroids_learn_no_correction(surveys: SurveySpectra) -> None:
    few = surveys.rows.index[
        (surveys.rows.survey != "gaia-dr3") | (surveys.rows.object_id.astype(int) < 12)
    ]
    factors = corrections(surveys, few.to_numpy(), ["gaia-dr3"])
    np.testing.assert_array_equal(factors["gaia-dr3"], 1.0)  # 5 shared < MIN_OVERLAP


def test_correcting_the_held_out_instrument_fixes_its_bias(surveys: SurveySpectra) -> None:
    # Trained without gaia-dr3, a spectrum's 12 % red excess reads as another class;
    # learning the correction from gaia's spectra of training asteroids removes it.
    kwargs: dict[str, Any] = {"folds": 3, "repeats": 2, "seed": 0}
    unknown = loso_evaluate(logistic, surveys, "gaia-dr3", correct="training", **kwargs)
    known = loso_evaluate(logistic, surveys, "gaia-dr3", correct="all", **kwargs)
    assert known.metric("accuracy")["mean"] >= 0.95
    assert unknown.metric("accuracy")["mean"] < known.metric("accuracy")["mean"] - 0.1


def test_own_adds_the_held_out_surveys_training_asteroids(surveys: SurveySpectra) -> None:
    Spy.seen = []
    loso_evaluate(
        lambda: Spy(max_iter=500), surveys, "ecas", correct="none", own=True, folds=3, repeats=1
    )
    counts = surveys.rows.survey.value_counts()
    assert max(len(s) for s in Spy.seen) > len(surveys) - counts["ecas"]


def test_the_same_seed_gives_the_same_numbers(surveys: SurveySpectra) -> None:
    first = loso_evaluate(logistic, surveys, "smass2", folds=3, repeats=2, seed=3)
    again = loso_evaluate(logistic, surveys, "smass2", folds=3, repeats=2, seed=3)
    pd.testing.assert_frame_equal(first.predictions, again.predictions)
    assert first.protocol["n_asteroids"] == (surveys.rows.survey == "smass2").sum()


def test_each_survey_is_calibrated_on_the_others_only(surveys: SurveySpectra) -> None:
    results = {
        s: loso_evaluate(logistic, surveys, s, folds=3, repeats=1) for s in ("smass2", "ecas")
    }
    calibrated = cross_calibrate(results)
    other = results["ecas"].predictions
    columns = [c for c in other.columns if c.startswith("p[")]
    expected = Temperature().fit(
        other[columns].to_numpy(), other.truth.to_numpy(dtype=object), [c[2:-1] for c in columns]
    )
    assert calibrated["smass2"].temperature == pytest.approx(expected.temperature_)
    np.testing.assert_allclose(calibrated["smass2"].calibrated.sum(axis=1), 1.0)


def test_the_summary_scores_calibration_and_flags(surveys: SurveySpectra) -> None:
    results = leave_surveys_out("logistic", surveys, ["smass2", "gaia-dr3"], folds=3, repeats=1)
    summary = loso_summary(results)
    gaia = summary["gaia-dr3"]
    assert gaia["spectra"] == (surveys.rows.survey == "gaia-dr3").sum()
    assert 0 <= gaia["ece_calibrated"]["mean"] <= 1
    assert 0 <= gaia["uncertain"] <= 1
    assert 0 <= gaia["ood"] <= 1
    assert gaia["accuracy"]["mean"] == pytest.approx(results["gaia-dr3"].metric("accuracy")["mean"])
    assert "training asteroids only" in gaia["protocol"]["cv"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda d: loso_evaluate(logistic, d, "smass2", correct="some"), "'correct' parameter"),
        (lambda d: loso_evaluate(logistic, d, "primass-l"), "has 0 labelled spectra"),
        (lambda d: leave_surveys_out("logistic", d, ["smass1"]), "No labelled spectra of smass1"),
        (lambda d: leave_surveys_out("no-such-model", d), "no-such-model"),
        (lambda d: cross_calibrate({}), "at least two surveys"),
    ],
)
def test_bad_requests_are_refused(surveys: SurveySpectra, call: Any, match: str) -> None:
    with pytest.raises((ParameterError, Exception), match=match):
        call(surveys)
