"""Tholen (1984) labels, ECAS training data and PC scores, on synthetic ECAS-like tables.

The fixtures build the two tables the module reads (the long ECAS ``spectra`` table and
the Tholen ``classes`` table) from made-up colours of a few classes; the label rules are
those of Tholen (1984, 1989): the first letter is the most likely class, U flags an
unusual spectrum, E, M and P are one class (X) without an albedo.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data.sources.ecas import colour_reflectance
from asteroid_spectra.exceptions import ParameterError, ParseError, SpectrumError
from asteroid_spectra.models.inference import compile_model
from asteroid_spectra.models.registry import BEST, build_model
from asteroid_spectra.models.tholen import (
    COLOUR_MEAN,
    COLOUR_SCALE,
    LOADINGS,
    TholenScores,
    ecas_colours,
    ecas_matrix,
    tholen_label,
    tholen_scores,
    tholen_target_data,
)

# Made-up colours s-v, u-v, b-v, v-w, v-x, v-p, v-z (mag) per class letter.
COLOURS = {
    "S": (0.55, 0.40, 0.15, 0.12, 0.20, 0.12, 0.08),
    "C": (0.15, 0.10, 0.03, 0.00, 0.00, 0.00, 0.00),
    "X": (0.25, 0.18, 0.06, 0.06, 0.10, 0.12, 0.14),
    "D": (0.30, 0.25, 0.10, 0.15, 0.30, 0.40, 0.50),
    "V": (0.60, 0.45, 0.20, 0.10, 0.05, -0.20, -0.10),
}
# Published classes of the synthetic asteroids with eight filters (43).
PUBLISHED = (
    ["S"] * 12 + ["SU"] * 2 + ["C"] * 10 + ["CX"] * 3 + ["X"] * 3 + ["M", "E", "P", "MU"]
    + ["XFU"] * 2 + ["D"] * 6 + ["V"]
)  # fmt: skip
INCOMPLETE = 2  # Tholen-classified asteroids whose ECAS spectrum has 5 filters (S)
UNCLASSIFIED = 3  # ECAS asteroids without a Tholen class
MISSING = (0, 1, 7)  # filters (s, u, z) an incomplete spectrum lacks


def _identity(number: int, survey: str) -> dict[str, object]:
    return {
        schema.SURVEY: survey,
        schema.OBJECT_ID: str(number),
        schema.NUMBER: number,
        schema.NAME: f"A{number}",
        schema.DESIGNATION: None,
    }


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ECAS ``spectra`` and Tholen ``classes`` tables of 52 synthetic asteroids."""
    rng = np.random.default_rng(0)
    published = PUBLISHED + ["S"] * INCOMPLETE + ["C"]  # the last has no ECAS spectrum
    rows, classes = [], []
    for index, name in enumerate(published + ["S"] * UNCLASSIFIED):
        number = index + 1
        letter = {"M": "X", "E": "X", "P": "X"}.get(name[0], name[0])
        colours = np.array(COLOURS[letter]) + rng.normal(0, 0.01, 7)
        reflectance = colour_reflectance(colours)
        if index < len(published):
            parts = name.rstrip("U")
            classes.append(
                _identity(number, "tholen1984")
                | {
                    schema.THOLEN_CLASS: name,
                    "tholen_primary": parts[0],
                    "tholen_ambiguous": len(parts) > 1,
                    "tholen_unusual": name.endswith("U") and len(name) > 1,
                }
                | {f"pc{k + 1}": s for k, s in enumerate(tholen_scores(reflectance))}
            )
        if index == len(published) - 1:
            continue  # a Tholen asteroid without an ECAS spectrum
        incomplete = len(PUBLISHED) <= index < len(PUBLISHED) + INCOMPLETE
        for band, (wavelength, value) in enumerate(
            zip(schema.ECAS_WAVELENGTH, reflectance, strict=True)
        ):
            if incomplete and band in MISSING:
                continue
            rows.append(
                _identity(number, "ecas")
                | {
                    schema.FILE: f"data/{number}.csv",
                    schema.WAVELENGTH: wavelength,
                    schema.REFLECTANCE: value,
                    schema.ERROR: 0.0 if band == 3 else 0.01,
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(classes)


@pytest.mark.parametrize(
    ("published", "rule", "label"),
    [
        ("S", "primary", "S"),
        ("CX", "primary", "C"),
        ("XFU", "primary", "X"),
        ("M", "primary", "X"),
        ("E", "primary", "X"),
        ("P", "primary", "X"),
        ("PC", "primary", "X"),
        ("CP", "primary", "C"),
        ("SU", "primary", "S"),
        ("TSD", "primary", "T"),
        ("S", "unambiguous", "S"),
        ("SU", "unambiguous", "S"),
        ("MU", "unambiguous", "X"),
        ("PX", "unambiguous", "X"),  # one class once E, M, P are X
        ("CX", "unambiguous", None),
        ("XFU", "unambiguous", None),
        ("S", "typical", "S"),
        ("SU", "typical", None),
        ("CX", "typical", None),
        ("M", "albedo", "M"),
        ("PC", "albedo", "P"),
        ("XFU", "albedo", "X"),
    ],
)
def test_label_rules(published: str, rule: str, label: str | None) -> None:
    assert tholen_label(published, rule) == label


def test_an_unknown_rule_or_class_is_refused() -> None:
    with pytest.raises(ParameterError, match=r"The 'rule' parameter of tholen_label must be"):
        tholen_label("S", "first")
    with pytest.raises(ParseError, match=r"expected a Tholen class.*got 'Z'"):
        tholen_label("Z")


def test_ecas_matrix_puts_each_filter_in_its_column(tables: tuple[pd.DataFrame, ...]) -> None:
    spectra, _ = tables
    objects, reflectance, error = ecas_matrix(spectra)
    n = len(PUBLISHED) + INCOMPLETE + UNCLASSIFIED
    assert reflectance.shape == error.shape == (n, 8)
    assert objects[schema.OBJECT_ID].tolist() == [str(i + 1) for i in range(len(PUBLISHED))] + [
        str(i + 1) for i in range(len(PUBLISHED), n + 1) if i != len(PUBLISHED) + INCOMPLETE
    ]
    np.testing.assert_array_equal(reflectance[:, 3], 1.0)  # unity at 0.55 µm
    incomplete = objects["n_filters"] == 5
    assert incomplete.sum() == INCOMPLETE
    assert np.isnan(reflectance[incomplete][:, list(MISSING)]).all()
    assert np.isfinite(reflectance[~incomplete]).all()


def test_ecas_matrix_refuses_other_grids(tables: tuple[pd.DataFrame, ...]) -> None:
    spectra, _ = tables
    shifted = spectra.assign(**{schema.WAVELENGTH: spectra[schema.WAVELENGTH] + 0.01})
    with pytest.raises(SpectrumError, match=r"Expected ECAS filters .* got a sample at 0.347"):
        ecas_matrix(shifted)
    twice = pd.concat([spectra, spectra.iloc[:1]])
    with pytest.raises(SpectrumError, match="each ECAS filter once per asteroid"):
        ecas_matrix(twice)


def test_target_shapes_classes_and_what_is_left_out(tables: tuple[pd.DataFrame, ...]) -> None:
    spectra, classes = tables
    before = spectra.copy()
    data = tholen_target_data(spectra, classes)
    pd.testing.assert_frame_equal(spectra, before)  # inputs untouched
    # 43 complete spectra; the V (1 member) is below the 5 of min_class_size.
    assert data.X.shape == (42, 8)
    assert data.error is not None
    assert data.error.shape == (42, 8)
    assert np.isfinite(data.X).all()
    assert Counter(data.y) == {"S": 14, "C": 13, "X": 9, "D": 6}
    assert data.classes == ("C", "S", "X", "D")
    np.testing.assert_array_equal(data.fine, data.y)
    np.testing.assert_array_equal(data.wavelength, schema.ECAS_WAVELENGTH)
    assert data.objects["tholen_label"].tolist() == data.y.tolist()
    assert {"tholen_class", "pc1", "pc7", "n_filters"} <= set(data.objects.columns)
    reasons = Counter(data.excluded["reason"])
    assert reasons == {
        "missing ECAS filters": INCOMPLETE,
        "no ECAS spectrum": 1,
        "class with fewer than 5 spectra": 1,
    }
    assert data.excluded_X.shape == (4, 8)
    vesta_like = data.excluded["reason"] == "class with fewer than 5 spectra"
    assert data.excluded.loc[vesta_like, "tholen_label"].tolist() == ["V"]
    assert np.isfinite(data.excluded_X[vesta_like.to_numpy()]).all()
    assert np.isnan(
        data.excluded_X[(data.excluded["reason"] == "no ECAS spectrum").to_numpy()]
    ).all()


@pytest.mark.parametrize(
    ("rule", "counts", "left_out"),
    [
        ("unambiguous", {"S": 14, "C": 10, "X": 7, "D": 6}, 5),  # CX ×3, XFU ×2
        ("typical", {"S": 12, "C": 10, "X": 6, "D": 6}, 8),  # also SU ×2, MU
        ("albedo", {"S": 14, "C": 13, "X": 5, "D": 6}, 0),  # E, M (MU), P under 5
    ],
)
def test_other_rules(
    tables: tuple[pd.DataFrame, ...], rule: str, counts: dict[str, int], left_out: int
) -> None:
    data = tholen_target_data(*tables, rule=rule)
    assert Counter(data.y) == counts
    assert (data.excluded["reason"] == f"left out by the {rule!r} rule").sum() == left_out


def test_albedo_rule_keeps_e_m_p_with_a_smaller_threshold(tables: tuple[pd.DataFrame, ...]) -> None:
    data = tholen_target_data(*tables, rule="albedo", min_class_size=1)
    assert Counter(data.y) == {"S": 14, "C": 13, "X": 5, "D": 6, "M": 2, "E": 1, "P": 1, "V": 1}


def test_main_group_target_keeps_the_rare_classes_in_their_group(
    tables: tuple[pd.DataFrame, ...],
) -> None:
    data = tholen_target_data(*tables, "main-group")
    assert Counter(data.y) == {"S": 14, "C": 13, "X": 9, "Other": 7}  # D ×6 and the V
    assert Counter(data.fine[data.y == "Other"]) == {"D": 6, "V": 1}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "bus"}, r"The 'target' parameter of tholen_target must be one of tholen"),
        ({"min_class_size": 0}, r"The 'min_class_size' parameter .* Got 0 instead"),
        ({"min_class_size": 2.5}, r"The 'min_class_size' parameter .* Got 2.5 instead"),
        ({"rule": "strict"}, r"The 'rule' parameter of tholen_label must be one of primary"),
    ],
)
def test_target_errors(tables: tuple[pd.DataFrame, ...], kwargs: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        tholen_target_data(*tables, **kwargs)


def test_colours_invert_the_ecas_reflectance() -> None:
    colours = np.array([0.43, 0.263, 0.047, 0.0, -0.005, -0.022, -0.031])
    reflectance = colour_reflectance(colours)
    np.testing.assert_allclose(ecas_colours(reflectance), colours, atol=1e-12)
    np.testing.assert_allclose(ecas_colours(2.0 * reflectance), colours, atol=1e-12)


def test_scores_are_standardised_colours_on_the_eigenvectors() -> None:
    # The mean colours score 0; one standard deviation redder in colour j scores V[j].
    assert np.abs(tholen_scores(colour_reflectance(COLOUR_MEAN))).max() < 1e-12
    for j in range(7):
        colours = COLOUR_MEAN + COLOUR_SCALE * np.eye(7)[j]
        np.testing.assert_allclose(tholen_scores(colour_reflectance(colours)), LOADINGS[j])


def test_loadings_are_orthonormal() -> None:
    np.testing.assert_allclose(LOADINGS.T @ LOADINGS, np.eye(7), atol=5e-5)


def test_the_transformer_gives_the_scores(tables: tuple[pd.DataFrame, ...]) -> None:
    data = tholen_target_data(*tables)
    scores = TholenScores().fit(data.X)
    np.testing.assert_allclose(scores.transform(data.X), tholen_scores(data.X), atol=1e-12)
    np.testing.assert_allclose(
        scores.transform(data.X), data.objects[[f"pc{k}" for k in range(1, 8)]], atol=1e-12
    )
    first = TholenScores(components=2).fit(data.X)
    np.testing.assert_allclose(first.transform(3 * data.X), tholen_scores(data.X)[:, :2])
    assert first.get_feature_names_out().tolist() == ["pc1", "pc2"]


@pytest.mark.parametrize(
    ("components", "X", "error", "message"),
    [
        (0, np.ones((2, 8)), ParameterError, r"The 'components' parameter of TholenScores"),
        (8, np.ones((2, 8)), ParameterError, r"must be an int in 1-7\. Got 8 instead"),
        (7, np.ones((2, 5)), SpectrumError, r"8 ECAS filters .* got shape \(2, 5\)"),
        (7, -np.ones((2, 8)), SpectrumError, r"positive, finite reflectance .* got 16 other"),
    ],
)
def test_the_transformer_refuses_bad_input(
    components: int, X: np.ndarray, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        TholenScores(components=components).fit(X)


def test_the_transformer_refuses_missing_filters_when_transforming() -> None:
    scores = TholenScores().fit(np.ones((2, 8)))
    X = np.ones((1, 8))
    X[0, 0] = np.nan
    with pytest.raises(SpectrumError, match="TholenScores needs positive, finite reflectance"):
        scores.transform(X)


def test_the_recommended_model_learns_and_compiles(tables: tuple[pd.DataFrame, ...]) -> None:
    data = tholen_target_data(*tables)
    model = build_model(BEST["tholen"], "tholen", data.wavelength, random_state=0)
    model.fit(data.X, data.y)
    assert model.score(data.X, data.y) >= 0.95
    compiled = compile_model(model)
    assert compiled is not None
    proba, fine = compiled.probabilities(data.X)
    assert fine is None
    np.testing.assert_allclose(proba, model.predict_proba(data.X), rtol=1e-10, atol=1e-13)
