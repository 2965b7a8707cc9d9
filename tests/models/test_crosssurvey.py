"""Cross-survey learning on a small synthetic SMASSII × Gaia DR3 overlap.

The fixture imitates :class:`CrossSurveyData`: 60 asteroids in the four main groups (15
each, two Bus classes per group) with distinct slopes on the 16 Gaia bands. Their
"SMASSII" spectra are the slopes on 0.462-0.902 µm; their "Gaia" spectra are the same
asteroids made redder beyond 0.70 µm by the factor ``1 + 0.4 (λ - 0.70)`` (1.0808 at
0.902 µm), with small errors (median 0.005 or 0.02, alternately) and doubtful end bands.
Four more asteroids are SMASSII-only. The noise pool has larger errors (0.04 or 0.08) and
flags the 0.682 µm band of every row, so a degraded copy always has that band repaired.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.models import crosssurvey, survey_sets
from asteroid_spectra.models.classical import make_logistic
from asteroid_spectra.models.crosssurvey import cross_survey_evaluate
from asteroid_spectra.models.survey_sets import (
    SCHEMES,
    CrossSurveyData,
    bands_of,
    load_cross_survey,
    survey_correction,
    training_set,
)
from asteroid_spectra.spectra.bands import ERROR_BINS, GAIA_DR3_USED, error_bin, repair_bands

GRID = schema.GAIA_DR3_WAVELENGTH
CORE = (GRID >= 0.46) & (GRID <= 0.91)  # the 11 bands SMASSII covers
AT_055 = int(np.flatnonzero(np.isclose(GRID, 0.55))[0])
AT_0682 = int(np.flatnonzero(np.isclose(GRID, 0.682))[0])
RED = 1 + 0.4 * np.clip(GRID - 0.70, 0, None)
"""The synthetic Gaia/SMASSII systematic: 1 up to 0.70 µm, 1.0808 at 0.902 µm."""

# Main group -> (slope µm⁻¹, its two Bus classes).
GROUPS = {
    "C": (0.0, ("C", "Cb")),
    "X": (0.5, ("X", "Xc")),
    "S": (1.1, ("S", "Sq")),
    "Other": (2.2, ("D", "T")),
}
PER_GROUP = 15
N = 4 * PER_GROUP
SMALL = (0.005, 0.02)  # median errors of the overlap asteroids: bins <0.01 and 0.01-0.03
LARGE = (0.04, 0.08)  # pool errors: bins 0.03-0.06 and >0.06


def slopes(fine: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Spectra (n, 16) with each asteroid's group slope, 0.5 % noise, unity at 0.55 µm."""
    slope = np.array([GROUPS[schema.main_group(f)][0] for f in fine])
    values = 1 + (slope + rng.normal(0, 0.03, len(fine)))[:, None] * (GRID - 0.55)
    values = values + rng.normal(0, 0.005, values.shape)
    values[:, AT_055] = 1.0
    return values


def make_data(seed: int = 5) -> CrossSurveyData:
    rng = np.random.default_rng(seed)
    fine = np.array(
        [bus[i % 2] for _, bus in GROUPS.values() for i in range(PER_GROUP)], dtype=object
    )
    order = rng.permutation(N)
    fine = fine[order]
    y = np.array([schema.main_group(f) for f in fine], dtype=object)
    smass = slopes(fine, rng)
    gaia = smass * RED + rng.normal(0, 0.003, (N, 16))
    gaia[:, AT_055] = 1.0
    smass[:, ~CORE] = np.nan
    level = np.array([SMALL[i % 2] for i in range(N)])
    gaia_error = np.tile(level[:, None], (1, 16))
    gaia_error[:, [0, 15]] = 0.3
    gaia_flag = np.zeros((N, 16), dtype=np.int8)
    gaia_flag[:, 0] = 1
    gaia_flag[::2, 15] = 2
    gaia_flag[::5, 5] = 1  # an interior doubtful band (0.594 µm) on every fifth asteroid
    gaia[::3, 0] = np.nan
    extra_fine = np.array(["C", "X", "S", "D"], dtype=object)
    extra = slopes(extra_fine, rng)
    extra[:, ~CORE] = np.nan
    pool_error = np.tile(np.repeat(LARGE, 20)[:, None], (1, 16))
    pool_error[:, [0, 15]] = 0.5
    pool_flag = np.zeros((40, 16), dtype=np.int8)
    pool_flag[:, [0, AT_0682]] = 1
    objects = pd.DataFrame(
        {schema.OBJECT_ID: [str(i + 1) for i in range(N)], schema.BUS_CLASS: fine}
    )
    return CrossSurveyData(
        target="main-group",
        objects=objects,
        y=y,
        fine=fine,
        gaia_reflectance=gaia,
        gaia_error=gaia_error,
        gaia_flag=gaia_flag,
        smass_reflectance=smass,
        extra_reflectance=extra,
        extra_y=np.array([schema.main_group(f) for f in extra_fine], dtype=object),
        extra_fine=extra_fine,
        pool_error=pool_error,
        pool_flag=pool_flag,
    )


@pytest.fixture(scope="module")
def data() -> CrossSurveyData:
    return make_data()


TRAIN = np.arange(0, N, 2)  # 30 asteroids


def logistic() -> Any:
    return make_logistic(C=10.0)


# --- bands_of, error_bin, survey_correction ------------------------------------------------
@pytest.mark.parametrize(
    ("scheme", "first", "last", "size"),
    [("gaia", 0.418, 0.946, 13), ("smass2", 0.462, 0.902, 11), ("multi", 0.462, 0.902, 11)],
)
def test_bands_of_each_scheme(scheme: str, first: float, last: float, size: int) -> None:
    bands = bands_of(scheme)
    assert bands.size == size
    assert (bands[0], bands[-1]) == pytest.approx((first, last))
    assert np.isin(bands, GAIA_DR3_USED).all()
    bands[0] = 0.0  # a copy: the module constant is untouched
    assert bands_of(scheme)[0] == pytest.approx(first)


def test_schemes() -> None:
    assert SCHEMES == ("gaia", "smass2", "multi")


@pytest.mark.parametrize("scheme", ["Gaia", "smass", "", "both"])
def test_unknown_scheme_raises(scheme: str) -> None:
    with pytest.raises(AsteroidSpectraError, match=r"Unknown cross-survey training scheme"):
        bands_of(scheme)


@pytest.mark.parametrize(
    ("error", "label"),
    [
        (0.0, "<0.01"),
        (0.005, "<0.01"),
        (0.00999, "<0.01"),
        (0.01, "0.01-0.03"),  # bins are closed on the left
        (0.0299, "0.01-0.03"),
        (0.03, "0.03-0.06"),
        (0.06, ">0.06"),
        (5.0, ">0.06"),
        (np.nan, "unknown"),
        (np.inf, "unknown"),
    ],
)
def test_error_bin_labels(error: float, label: str) -> None:
    assert error_bin([error]).tolist() == [label]


def test_error_bin_keeps_the_shape() -> None:
    labels = error_bin(np.array([[0.005, 0.02], [0.04, 0.1]]))
    assert labels.shape == (2, 2)
    assert labels.dtype == object
    assert labels.tolist() == [["<0.01", "0.01-0.03"], ["0.03-0.06", ">0.06"]]
    assert len(ERROR_BINS) == 4


@pytest.mark.parametrize(
    ("gaia", "smass", "expected"),
    [
        ([[1.0, 1.1], [1.0, 1.3]], [[1.0, 1.0], [1.0, 1.0]], [1.0, 1.2]),
        # Median of three ratios, NaN pairs skipped.
        (
            [[2.0, 1.0], [3.0, np.nan], [4.0, 1.5]],
            [[2.0, 1.0], [2.0, 1.0], [2.0, 1.0]],
            [1.5, 1.25],
        ),
        # No finite pair in a band: no correction (1).
        ([[1.2, np.nan]], [[1.0, 1.0]], [1.2, 1.0]),
        ([[1.2, 1.0]], [[1.0, np.nan]], [1.2, 1.0]),
    ],
)
def test_survey_correction_is_the_median_ratio(
    gaia: list[list[float]], smass: list[list[float]], expected: list[float]
) -> None:
    result = survey_correction(np.array(gaia), np.array(smass))
    np.testing.assert_allclose(result, expected)


def test_survey_correction_recovers_the_synthetic_systematic(data: CrossSurveyData) -> None:
    correction = survey_correction(data.gaia_reflectance, data.smass_reflectance)
    assert correction.shape == (16,)
    np.testing.assert_allclose(correction[CORE], RED[CORE], atol=0.005)
    assert correction[np.isclose(GRID, 0.902)][0] == pytest.approx(1.0808, abs=0.005)
    assert correction[AT_055] == 1.0
    np.testing.assert_array_equal(correction[~CORE], 1.0)  # no SMASSII data there


# --- CrossSurveyData -----------------------------------------------------------------------
def test_median_error_and_gaia_target(data: CrossSurveyData) -> None:
    np.testing.assert_allclose(data.median_error, [SMALL[i % 2] for i in range(N)])
    for scheme, size in (("gaia", 13), ("smass2", 11)):
        target = data.gaia_target(scheme)
        assert target.X.shape == target.error.shape == (N, size)
        assert np.isfinite(target.X).all()
        assert target.y is data.y
        assert target.classes == ("C", "S", "X", "Other")
    # Every fifth asteroid has its 0.594 µm band repaired from 0.550 and 0.638 µm.
    X = data.gaia_target("gaia").X
    at_0594 = int(np.flatnonzero(np.isclose(GAIA_DR3_USED, 0.594))[0])
    expected = (data.gaia_reflectance[::5, AT_055] + data.gaia_reflectance[::5, AT_055 + 2]) / 2
    np.testing.assert_allclose(X[::5, at_0594], expected)
    np.testing.assert_array_equal(X[1::5, at_0594], data.gaia_reflectance[1::5, AT_055 + 1])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"survey": "smass2"}, r"supports the survey 'gaia-dr3'; got 'smass2'"),
        ({"survey": "gaia-dr2"}, r"got 'gaia-dr2'"),
        ({"target": "smass"}, r"Unknown target 'smass'"),
    ],
)
def test_load_cross_survey_rejects_unknown_arguments(kwargs: dict, match: str) -> None:
    # Raised before any file is read.
    with pytest.raises(AsteroidSpectraError, match=match):
        load_cross_survey(**kwargs)


# --- training_set --------------------------------------------------------------------------
@pytest.mark.parametrize("copies", [0, 1, 3])
@pytest.mark.parametrize(
    ("scheme", "n_bands", "parts"),
    [("gaia", 13, ("gaia",)), ("smass2", 11, ("smass",)), ("multi", 11, ("gaia", "smass"))],
)
def test_training_set_shapes_and_label_tiling(
    data: CrossSurveyData, scheme: str, n_bands: int, parts: tuple[str, ...], copies: int
) -> None:
    X, y, fine = training_set(data, TRAIN, scheme, copies=copies, random_state=0)
    blocks = {
        "gaia": (data.y[TRAIN], data.fine[TRAIN]),
        "smass": (
            np.concatenate([data.y[TRAIN], data.extra_y]),
            np.concatenate([data.fine[TRAIN], data.extra_fine]),
        ),
    }
    # Each part: the spectra, then `copies` degraded copies of them, in the same order.
    want_y = np.concatenate([np.tile(blocks[p][0], copies + 1) for p in parts])
    want_fine = np.concatenate([np.tile(blocks[p][1], copies + 1) for p in parts])
    rows = sum((copies + 1) * len(blocks[p][0]) for p in parts)
    assert X.shape == (rows, n_bands)
    assert y.tolist() == want_y.tolist()
    assert fine.tolist() == want_fine.tolist()
    assert np.isfinite(X).all()
    np.testing.assert_array_equal(X[:, np.isclose(bands_of(scheme), 0.55)], 1.0)


def test_gaia_scheme_without_copies_is_the_repaired_gaia_spectra(data: CrossSurveyData) -> None:
    X, _, _ = training_set(data, TRAIN, "gaia", copies=0)
    repaired = repair_bands(data.gaia_reflectance[TRAIN], data.gaia_flag[TRAIN])
    np.testing.assert_array_equal(X, repaired.reflectance)
    np.testing.assert_array_equal(X, data.gaia_target().X[TRAIN])


def test_smass2_scheme_applies_the_correction_fitted_on_the_training_asteroids(
    data: CrossSurveyData,
) -> None:
    X, _, _ = training_set(data, TRAIN, "smass2", copies=0)
    correction = survey_correction(data.gaia_reflectance[TRAIN], data.smass_reflectance[TRAIN])[
        CORE
    ]
    np.testing.assert_allclose(X[:30], data.smass_reflectance[TRAIN][:, CORE] * correction)
    np.testing.assert_allclose(X[30:], data.extra_reflectance[:, CORE] * correction)
    # The corrected SMASSII spectra sit on the Gaia scale (within the synthetic noise).
    gaia = data.gaia_reflectance[TRAIN][:, CORE]
    assert np.abs(X[:30] - gaia).max() < 0.05
    assert np.abs(data.smass_reflectance[TRAIN][:, CORE] - gaia)[:, -1].mean() > 0.05
    # Only the training asteroids' Gaia spectra enter the correction.
    others = np.setdiff1d(np.arange(N), TRAIN)
    gaia_changed = data.gaia_reflectance.copy()
    gaia_changed[others] *= 3.0
    changed = dataclasses.replace(data, gaia_reflectance=gaia_changed)
    np.testing.assert_array_equal(training_set(changed, TRAIN, "smass2", copies=0)[0], X)


def test_multi_scheme_is_the_gaia_then_the_smass2_spectra(data: CrossSurveyData) -> None:
    X, y, _ = training_set(data, TRAIN, "multi", copies=0)
    core = np.isin(GAIA_DR3_USED, bands_of("multi"))
    gaia, _, _ = training_set(data, TRAIN, "gaia", copies=0)
    smass, _, _ = training_set(data, TRAIN, "smass2", copies=0)
    np.testing.assert_array_equal(X, np.vstack([gaia[:, core], smass]))
    assert len(y) == 30 + 34


@pytest.mark.parametrize(("scheme", "own"), [("gaia", True), ("smass2", False)])
def test_degraded_copies_are_noisier(data: CrossSurveyData, scheme: str, own: bool) -> None:
    X, _, _ = training_set(data, TRAIN, scheme, copies=2, random_state=3)
    n = len(X) // 3
    bands = bands_of(scheme)
    noisy = ~np.isclose(bands, 0.55) & ~np.isclose(bands, 0.682)
    for copy in (1, 2):
        diff = X[copy * n : (copy + 1) * n] - X[:n]
        # The pool errors are 0.04 or 0.08; the Gaia spectra already have 0.005 or 0.02.
        spread = float(np.sqrt(np.mean(diff[:, noisy] ** 2)))
        assert 0.04 < spread < 0.08
        np.testing.assert_array_equal(diff[:, np.isclose(bands, 0.55)], 0.0)  # normalised
        # The pool flags 0.682 µm everywhere: the copies have it interpolated.
        j = int(np.flatnonzero(np.isclose(bands, 0.682))[0])
        copies = X[copy * n : (copy + 1) * n]
        np.testing.assert_allclose(copies[:, j], (copies[:, j - 1] + copies[:, j + 1]) / 2)
    originals = X[:n]
    j = int(np.flatnonzero(np.isclose(bands, 0.682))[0])
    assert np.abs(originals[:, j] - (originals[:, j - 1] + originals[:, j + 1]) / 2).max() > 1e-3
    assert (X[n : 2 * n] != X[2 * n :]).any()  # two different draws


def test_copies_too_damaged_to_repair_are_dropped(data: CrossSurveyData) -> None:
    flagged = dataclasses.replace(data, pool_flag=np.ones_like(data.pool_flag))
    X, y, _ = training_set(flagged, TRAIN, "gaia", copies=2)
    assert X.shape == (30, 13)
    assert y.tolist() == data.y[TRAIN].tolist()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_training_set_is_reproducible(data: CrossSurveyData, scheme: str) -> None:
    first = training_set(data, TRAIN, scheme, copies=2, random_state=11)
    again = training_set(data, TRAIN, scheme, copies=2, random_state=np.random.default_rng(11))
    other = training_set(data, TRAIN, scheme, copies=2, random_state=12)
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], other[0])
    assert first[1].tolist() == other[1].tolist()  # same labels, other noise
    plain = training_set(data, TRAIN, scheme, copies=0, random_state=11)
    np.testing.assert_array_equal(
        plain[0], training_set(data, TRAIN, scheme, copies=0, random_state=12)[0]
    )


def test_unknown_scheme_in_training_set(data: CrossSurveyData) -> None:
    with pytest.raises(AsteroidSpectraError, match=r"Unknown cross-survey training scheme 'x'"):
        training_set(data, TRAIN, "x")


# --- cross_survey_evaluate -----------------------------------------------------------------
@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Record the splits and every fold's data that cross_survey_evaluate hands evaluate."""
    record: dict[str, Any] = {"folds": []}
    real = crosssurvey.evaluate

    def evaluate(build: Any, target: Any, **kwargs: Any) -> Any:
        inner = kwargs["fold_data"]

        def fold_data(fold: int, train: np.ndarray, test: np.ndarray) -> Any:
            built = inner(fold, train, test)
            record["folds"].append((fold, train, test, built))
            return built

        record["splits"] = kwargs["splits"]
        return real(build, target, **{**kwargs, "fold_data": fold_data})

    monkeypatch.setattr(crosssurvey, "evaluate", evaluate)
    return record


def rows(X: np.ndarray) -> set[tuple[float, ...]]:
    return {tuple(np.round(x, 12)) for x in X}


@pytest.mark.parametrize(("scheme", "copies"), [("gaia", 0), ("multi", 1)])
def test_no_test_asteroid_is_ever_trained_on(
    data: CrossSurveyData, spy: dict[str, Any], scheme: str, copies: int
) -> None:
    cross_survey_evaluate(logistic, data, scheme=scheme, folds=3, repeats=2, copies=copies)
    assert len(spy["folds"]) == len(spy["splits"]) == 6
    gaia = data.gaia_target(scheme).X
    core = np.isin(GAIA_DR3_USED, bands_of(scheme))
    smass = data.smass_reflectance[:, CORE]
    for repeat in (0, 1):
        tests = [spy["folds"][3 * repeat + k][2] for k in range(3)]
        assert sorted(np.concatenate(tests).tolist()) == list(range(N))  # a partition
    for _fold, train, test, built in spy["folds"]:
        assert not set(train) & set(test)
        assert len(train) + len(test) == N
        # Stratified: 5 asteroids of each group in every test fold.
        assert Counter(data.y[test].tolist()) == {"C": 5, "S": 5, "X": 5, "Other": 5}
        trained = rows(built.X_train)
        assert not rows(gaia[test]) & trained  # no test asteroid's Gaia spectrum
        assert rows(gaia[train]) <= trained
        if scheme == "multi":
            correction = survey_correction(
                data.gaia_reflectance[train], data.smass_reflectance[train]
            )[CORE]
            assert not rows(smass[test] * correction) & trained  # nor its SMASSII one
            assert rows(smass[train] * correction) <= trained
            assert len(built.X_train) == 2 * len(train) + 2 * (len(train) + 4)
        else:
            assert len(built.X_train) == len(train)
        assert built.X_train.shape[1] == core.sum()
        # Tested on the published Gaia spectra, stratified by their error bins.
        np.testing.assert_array_equal(built.X_test, gaia[test])
        assert built.y_test.tolist() == data.y[test].tolist()
        assert built.strata.tolist() == error_bin(data.median_error[test]).tolist()
        (extra,) = built.extra_tests
        assert extra.name == "catalogue_noise"
        assert len(extra.X) == len(extra.y) == len(extra.strata) == 2 * len(test)
        assert set(extra.strata.tolist()) <= {"0.03-0.06", ">0.06"}


def test_evaluation_summary_keys_and_protocol(data: CrossSurveyData) -> None:
    result = cross_survey_evaluate(logistic, data, folds=3, repeats=2, seed=4, copies=1)
    summary = result.summary()
    assert (summary["n_samples"], summary["folds"], summary["repeats"], summary["seed"]) == (
        60,
        3,
        2,
        4,
    )
    protocol = summary["protocol"]
    assert protocol == {
        "survey": "gaia-dr3",
        "scheme": "gaia",
        "cv": "stratified 3-fold over asteroids (grouped), 2 repeats, seeds 4..5",
        "tested_on": "Gaia DR3 spectra of the test asteroids",
        "bands_um": [
            0.418,
            0.462,
            0.506,
            0.55,
            0.594,
            0.638,
            0.682,
            0.726,
            0.77,
            0.814,
            0.858,
            0.902,
            0.946,
        ],
        "n_asteroids": 60,
        "noise_copies": 1,
        "error_bins": ["<0.01", "0.01-0.03", "0.03-0.06", ">0.06"],
        "n_unrepairable": 0,
        "n_per_bin": {"<0.01": 30, "0.01-0.03": 30},
    }
    for key in (
        "accuracy",
        "f1_macro",
        "ece",
        "accuracy[<0.01]",
        "accuracy[0.01-0.03]",
        "catalogue_noise_accuracy",
        "catalogue_noise_f1_macro",
        "catalogue_noise_ece",
        "catalogue_noise_accuracy[0.03-0.06]",
        "catalogue_noise_accuracy[>0.06]",
    ):
        assert set(summary[key]) == {"mean", "std"}, key
    assert "accuracy[>0.06]" not in summary  # no published spectrum that noisy
    assert result.confusion.to_numpy().sum() == 2 * N


@pytest.mark.parametrize(
    ("scheme", "published", "catalogue"),
    [("gaia", 0.95, 0.8), ("smass2", 0.9, 0.75), ("multi", 0.95, 0.8)],
)
def test_separable_groups_are_classified_well(
    data: CrossSurveyData, scheme: str, published: float, catalogue: float
) -> None:
    summary = cross_survey_evaluate(
        logistic, data, scheme=scheme, folds=3, repeats=1, copies=2
    ).summary()
    assert summary["accuracy"]["mean"] >= published
    assert summary["accuracy[<0.01]"]["mean"] >= published
    assert summary["catalogue_noise_accuracy"]["mean"] >= catalogue
    # The degraded test spectra are harder than the published ones.
    assert summary["catalogue_noise_accuracy"]["mean"] <= summary["accuracy"]["mean"]
    noisier = summary["catalogue_noise_accuracy[>0.06]"]["mean"]
    assert noisier <= summary["catalogue_noise_accuracy[0.03-0.06]"]["mean"]


def test_uncorrected_smass2_spectra_misclassify_gaia(
    data: CrossSurveyData, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stronger systematic (Gaia/SMASSII 1.28 at 0.902 µm): corrected SMASSII spectra still
    # classify the Gaia ones; uncorrected, the redder Gaia spectra look like another group.
    redder = 1 + 1.0 * np.clip(GRID - 0.70, 0, None)
    strong = dataclasses.replace(data, gaia_reflectance=data.gaia_reflectance * redder)
    corrected = cross_survey_evaluate(
        logistic, strong, scheme="smass2", folds=3, repeats=1, copies=0
    )
    monkeypatch.setattr(survey_sets, "survey_correction", lambda g, s: np.ones(g.shape[1]))
    raw = cross_survey_evaluate(logistic, strong, scheme="smass2", folds=3, repeats=1, copies=0)
    assert corrected.metric("accuracy")["mean"] >= 0.95
    assert raw.metric("accuracy")["mean"] <= 0.8


def test_same_seed_same_numbers_other_seed_other_splits(
    data: CrossSurveyData, spy: dict[str, Any]
) -> None:
    def numbers(seed: int) -> dict[str, Any]:
        summary = cross_survey_evaluate(
            logistic, data, folds=3, repeats=1, seed=seed, copies=1
        ).summary()
        return {
            k: v for k, v in summary.items() if k not in ("fit_time", "predict_time_per_spectrum")
        }

    first, again = numbers(0), numbers(0)
    tests = [f[2].tolist() for f in spy["folds"]]
    other = numbers(1)
    assert first == again
    assert tests[:3] == tests[3:6]
    assert tests[6:] != tests[:3]
    assert other["protocol"]["cv"].endswith("seeds 1..1")


def test_on_fold_reports_progress(data: CrossSurveyData) -> None:
    calls: list[tuple[int, int]] = []
    cross_survey_evaluate(
        logistic, data, folds=2, repeats=2, copies=0, on_fold=lambda *a: calls.append(a)
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_unknown_scheme_in_evaluation(data: CrossSurveyData) -> None:
    with pytest.raises(AsteroidSpectraError, match=r"expected one of gaia, smass2, multi"):
        cross_survey_evaluate(logistic, data, scheme="smass")


def test_summary_is_strict_json(data: CrossSurveyData) -> None:
    import json

    summary = cross_survey_evaluate(logistic, data, folds=3, repeats=2, copies=0).summary()
    json.dumps(summary, allow_nan=False)


# --- train_model(survey=...) --------------------------------------------------------------------
def test_train_survey_model_on_gaia_bands_with_its_card(data: CrossSurveyData) -> None:
    from asteroid_spectra.models.training import train_model

    model, evaluation = train_model(
        "main-group",
        "logistic-bus",
        survey="gaia-dr3",
        data=data,
        seed=2,
        copies=2,
        folds=3,
        repeats=1,
    )
    assert evaluation is not None
    np.testing.assert_allclose(model.wavelength, bands_of("gaia"))
    assert model.classes == ["C", "Other", "S", "X"]
    assert model.fine_classes is not None
    # 60 asteroids, each with its spectrum and 2 degraded copies (all repairable here).
    card = model.card
    assert card["training_data"]["n_spectra"] == 180
    assert card["training_data"]["scheme"] == "gaia"
    assert card["training_data"]["noise_copies"] == 2
    assert card["input"]["bands_um"][0] == 0.418
    assert card["ood"]["reference_size"] == 180
    assert card["cross_validation"]["protocol"]["scheme"] == "gaia"
    assert "catalogue_noise_accuracy" in card["cross_validation"]
    assert card["cross_validation"]["accuracy"]["mean"] > 0.9
    # The model classifies the published Gaia spectra of its training asteroids.
    table = model.classify(data.gaia_target().X).frame()
    assert np.mean(table["label"].to_numpy() == data.y) > 0.95


def test_train_survey_model_rejects_data_of_another_target(data: CrossSurveyData) -> None:
    from asteroid_spectra.models.training import train_model

    with pytest.raises(AsteroidSpectraError, match=r"labelled for 'main-group', not 'bus'"):
        train_model("bus", survey="gaia-dr3", data=data)
