"""The Bus-DeMeo reference method and training data, on synthetic spectra (no mirror).

Boundaries and classes are those of the flow chart of DeMeo et al. (2009, Icarus 202,
160, Appendix B) as :mod:`~asteroid_spectra.models.demeo_reference` states them: each
table row puts a point just on either side of one line or box edge.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import AsteroidSpectraError, ParameterError
from asteroid_spectra.models import demeo
from asteroid_spectra.models.demeo import (
    GROUP,
    DeMeoReferenceClassifier,
    classify_demeo_reference,
    demeo_target,
    grouped_splits,
)
from asteroid_spectra.models.demeo_reference import (
    DeMeoReference,
    PrincipalBasis,
    apply_rules,
    recover_basis,
    remove_slope,
    spectral_slope,
)

GRID = np.array(schema.DEMEO_WAVELENGTH)
AT_055 = int(np.flatnonzero(np.isclose(GRID, 0.55))[0])
AT_12 = int(np.flatnonzero(np.isclose(GRID, 1.2))[0])
PCS = list(demeo.SCORE_COLUMNS)

# Points in (slope, PC1'...PC5', r045) of the flow chart and their classes; every other
# value of the point is that of BASE.
BASE = {"slope": 0.1, "pc1": 0.0, "pc2": 0.0, "pc3": 0.0, "pc4": 0.0, "pc5": 0.0, "r045": 1.0}
RULE_TABLE = [
    ({"pc1": -0.5, "pc3": 0.3, "slope": 0.6}, "A"),  # step 1, slope >= 0.55
    ({"pc1": -0.5, "pc3": 0.3, "slope": 0.5}, "Sa"),  # slope in [0.4, 0.55)
    ({"pc1": -0.4, "pc3": 0.21, "slope": 0.6}, "A"),  # PC3' above 0.2 ...
    ({"pc1": -0.4, "pc3": 0.19, "slope": 0.6}, "A/D"),  # ... below: step 3 A/D
    ({"pc2": 0.5, "pc1": 0.05}, "V"),  # above delta
    ({"pc2": 0.5, "pc1": 0.05, "slope": 0.3}, "Vw"),
    ({"pc2": 0.5, "pc1": -0.05}, "R"),  # below delta, above gamma
    ({"pc2": 0.3, "pc1": 0.15}, "R"),
    ({"pc2": 0.3, "pc1": 0.05}, "Sr"),  # below gamma
    ({"pc2": 0.05, "pc1": 0.6}, "Sv"),  # above epsilon
    ({"pc2": 0.05, "pc1": 0.5}, "Sr"),  # below epsilon, above beta
    ({"pc2": 0.05, "pc1": 0.15}, "S"),  # below beta, above zeta
    ({"pc2": 0.0, "pc1": -0.05}, "S"),
    ({"pc2": 0.0, "pc1": -0.15}, "Sq"),  # below zeta
    ({"pc2": 0.1, "pc1": -0.35}, "Sq"),  # above eta
    ({"pc2": 0.1, "pc1": -0.40}, "Q"),  # below eta, below theta
    ({"pc2": 0.5, "pc1": -0.7}, "O"),  # below eta, above theta
    ({"pc2": 0.5, "pc1": -0.9}, "Q"),
    ({"pc2": 0.0, "pc1": -0.25}, "Sq"),  # above alpha ...
    ({"pc2": 0.0, "pc1": -0.35}, "K/Xe"),  # ... below it: the other side
    ({"pc1": -0.3, "slope": 0.5}, "A/D"),
    ({"slope": 0.3, "pc2": -0.25, "pc3": -0.15, "pc1": 0.3}, "T"),
    ({"slope": 0.3, "pc2": -0.25, "pc3": -0.1, "pc1": 0.3}, "L/Xe"),  # PC3' outside T's box
    ({"slope": -0.1, "pc1": -0.5, "pc3": 0.2, "pc4": -0.01}, "B"),
    ({"slope": -0.1, "pc1": -0.5, "pc3": 0.2, "pc4": 0.05}, "Ch/Xk/X"),  # PC4' > 0: not B
    ({"slope": -0.1, "pc1": -0.5, "pc3": 0.2, "pc4": 0.05, "r045": 0.9}, "Cgh/Xk"),
    ({"slope": 0.3, "pc1": -0.5, "pc3": 0.2}, "Xk/C/X"),
    ({"pc1": -0.5, "pc3": 0.2, "pc5": -0.05}, "Cb"),
    ({"pc1": -0.5, "pc3": 0.2, "pc5": -0.03}, "Ch/Xk/C"),  # PC5' above Cb's box
    ({"pc1": -0.3, "pc3": 0.2, "pc5": 0.05}, "Cgh/Xk/Cg"),
    ({"pc1": -0.3, "pc3": 0.2, "pc5": 0.0}, "Ch/Xe/Xk/Xc"),
    ({"pc1": -0.05, "pc2": -0.3, "pc3": 0.2, "pc5": 0.1}, "L/Xe"),
    ({"pc2": 0.0, "pc1": -0.05, "slope": 0.25}, "Sw"),  # weathered from 0.25 µm⁻¹
    ({"pc2": 0.0, "pc1": -0.05, "slope": 0.2499}, "S"),
]


def line(slope: float) -> np.ndarray:
    return 1 + slope * (GRID - 0.55)


@pytest.fixture(scope="module")
def basis() -> PrincipalBasis:
    """A random orthonormal basis of five eigenvectors on the 40 points, mean near 1."""
    rng = np.random.default_rng(3)
    eigenvectors = np.linalg.qr(rng.normal(size=(40, 5)))[0].T
    return PrincipalBasis(eigenvectors, 1 + 0.05 * np.sin(np.arange(40)))


def _lsq_slope(values: np.ndarray) -> float:
    centred = GRID - GRID.mean()
    return float(centred @ values / (centred @ centred))


def spectrum(basis: PrincipalBasis, scores: Any, slope: float) -> np.ndarray:
    """A spectrum whose least-squares slope is `slope` and whose scores are `scores`.

    Its shape is mean + E^T s (1 at 0.55 µm) plus c times the part of the wavelength ramp
    orthogonal to the eigenvectors, which moves the slope and not the scores; c solves
    slope(shape x line(g)) = g, linear in c, so dividing by the line gives the shape back.
    """
    shape = np.insert(basis.mean + np.asarray(scores) @ basis.eigenvectors, AT_055, 1.0)
    ramp = np.delete(GRID - 0.55, AT_055)
    ramp -= basis.eigenvectors.T @ (basis.eigenvectors @ ramp)
    push = np.insert(ramp, AT_055, 0.0)
    s0, a = _lsq_slope(shape), _lsq_slope(push)
    s1, b = _lsq_slope(shape * (GRID - 0.55)), _lsq_slope(push * (GRID - 0.55))
    shape = shape + (slope * (1 - s1) - s0) / (a + slope * b) * push
    return shape * line(slope)


@pytest.fixture(scope="module")
def reference(basis: PrincipalBasis) -> DeMeoReference:
    """The synthetic basis with three templates: flat, a 1-µm band and a 2-µm band."""
    band = 1 - 0.2 * np.exp(-(((GRID - 1.0) / 0.1) ** 2))
    other = 1 - 0.2 * np.exp(-(((GRID - 2.0) / 0.1) ** 2))
    templates = {"C": 1 + 0.05 * (GRID - 1.5) ** 2, "X": band / band[AT_055], "Xk": other}
    return DeMeoReference(basis, templates)


@pytest.mark.parametrize("slope", [-0.2, 0.0, 0.137, 0.8])
def test_a_known_line_is_removed_exactly(slope: float) -> None:
    spectra = np.vstack([line(slope), 2.5 * line(slope)])  # any scale: normalised first
    np.testing.assert_allclose(spectral_slope(spectra), slope, atol=1e-12)
    np.testing.assert_allclose(remove_slope(spectra), 1.0, atol=1e-12)


def test_a_given_slope_divides_by_its_line_through_unity_at_055() -> None:
    shape = 1 + 0.1 * np.cos(3 * GRID)
    shape /= shape[AT_055]
    removed = remove_slope(shape * line(0.3), [0.3])
    np.testing.assert_allclose(removed[0], shape, atol=1e-12)


@pytest.mark.parametrize(
    ("spectra", "slope", "message"),
    [
        (np.ones((2, 49)), None, r"41-point Bus-DeMeo grid .* Got shape \(2, 49\)"),
        (np.zeros((1, 41)), None, r"finite, positive reflectances"),
        (np.ones((2, 41)), [0.1], r"one slope per spectrum .* Got 1 slopes"),
        (np.ones((1, 41)), [-1.0], r"line stays positive"),
    ],
)
def test_bad_spectra_or_slopes_are_refused(spectra: Any, slope: Any, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        remove_slope(spectra, slope)


def test_a_synthetic_eigenbasis_is_recovered_from_its_scores(basis: PrincipalBasis) -> None:
    rng = np.random.default_rng(4)
    scores = rng.normal(0, [0.5, 0.3, 0.2, 0.1, 0.05], size=(300, 5))
    shapes = np.insert(basis.mean + scores @ basis.eigenvectors, AT_055, 1.0, axis=1)
    shapes[:, np.arange(41) != AT_055] += rng.normal(0, 0.02, size=(300, 40))  # off the basis
    published = basis.scores(shapes)
    wrong = np.zeros(300, dtype=bool)
    wrong[::10] = True  # a tenth of the "published" scores belong to other spectra
    published[wrong] += rng.normal(0, 0.3, size=(int(wrong.sum()), 5))
    recovered, inliers = recover_basis(shapes, published.round(6))
    np.testing.assert_array_equal(inliers, ~wrong)
    np.testing.assert_allclose(recovered.eigenvectors, basis.eigenvectors, atol=2e-3)
    # the ridge penalty's bias, largest on the smallest component, stays below 5e-4
    np.testing.assert_allclose(recovered.scores(shapes[~wrong]), published[~wrong], atol=5e-4)


def test_recovering_a_basis_needs_more_spectra_than_unknowns() -> None:
    with pytest.raises(ParameterError, match=r"more than 40 spectra\. Got 10 score rows"):
        recover_basis(np.ones((10, 41)), np.zeros((10, 5)))


@pytest.mark.parametrize(("changes", "expected"), RULE_TABLE)
def test_points_on_either_side_of_each_boundary_get_the_papers_class(
    changes: dict[str, float], expected: str
) -> None:
    step, classes = apply_rules(BASE | changes)
    assert "/".join(classes) == expected
    assert step.startswith("VISIR")


def test_a_point_outside_every_rule_is_indeterminate() -> None:
    point = BASE | {"pc1": -1.0, "pc3": 0.2, "pc4": 0.2, "pc5": 0.2}
    assert apply_rules(point) == ("indeterminate", ())


def test_candidates_are_resolved_by_the_best_correlated_template(
    reference: DeMeoReference,
) -> None:
    banded = reference.templates["X"] * (1 + 0.01 * np.sin(5 * GRID))
    assert reference.choose(("C", "X"), banded) == "X"
    assert reference.choose(("Xk",), banded) == "Xk"
    assert reference.choose((), banded) == ""


@pytest.mark.parametrize(
    ("scores", "slope", "candidates", "step"),
    [
        ([0.05, 0.5, 0.0, 0.0, 0.0], 0.1, "V", "VISIR 2: V"),
        ([-0.05, 0.0, 0.0, 0.0, 0.0], 0.3, "Sw", "VISIR 2: S"),
        ([-0.3, 0.0, 0.2, 0.0, 0.0], 0.3, "Xk/C/X", "VISIR 4: C/X slope"),
    ],
)
def test_a_spectrum_built_from_scores_is_classified_by_them(
    reference: DeMeoReference, scores: list[float], slope: float, candidates: str, step: str
) -> None:
    built = spectrum(reference.basis, scores, slope)
    classes, table = classify_demeo_reference(np.vstack([built, 3 * built]), reference)
    np.testing.assert_allclose(table[PCS].to_numpy(), [scores, scores], atol=1e-9)
    np.testing.assert_allclose(table["slope"], slope, atol=1e-12)
    assert table["step"].tolist() == [step, step]
    assert table["candidates"].tolist() == [candidates, candidates]
    assert classes[0] == classes[1]
    assert classes[0] in candidates.split("/")


def test_the_reference_needs_five_eigenvectors(reference: DeMeoReference) -> None:
    short = DeMeoReference(
        PrincipalBasis(reference.basis.eigenvectors[:4], reference.basis.mean), {}
    )
    with pytest.raises(ParameterError, match=r"needs the scores PC1'-PC5'.*4 eigenvectors"):
        classify_demeo_reference(np.ones((1, 41)), short)


def test_the_reference_classifier_records_classes_and_maps_to_main_groups(
    reference: DeMeoReference,
) -> None:
    X = np.vstack([spectrum(reference.basis, [0.05, 0.5, 0, 0, 0], 0.1)] * 2)
    model = DeMeoReferenceClassifier("main-group", reference).fit(X, ["Other", "S"])
    assert model.classes_.tolist() == ["Other", "S"]
    assert model.predict(X).tolist() == ["Other", "Other"]  # V is an Other
    exact = DeMeoReferenceClassifier("demeo", reference).fit(X, ["V", "V"])
    assert exact.predict(X).tolist() == ["V", "V"]


@pytest.mark.parametrize(
    ("target", "columns", "message"),
    [
        ("bus", 41, r"'target' parameter of DeMeoReferenceClassifier must be 'demeo'"),
        ("demeo", 33, r"41-point grid 0\.45-2\.45 µm\. Got 33 columns"),
    ],
)
def test_the_reference_classifier_refuses_other_targets_and_grids(
    target: str, columns: int, message: str
) -> None:
    with pytest.raises(ParameterError, match=message):
        DeMeoReferenceClassifier(target).fit(np.ones((2, columns)), ["S", "V"])


# --- demeo_target on a synthetic version of the published tables -------------------------
COUNTS = {"S": 8, "Sw": 6, "V": 6, "C": 5, "R": 1, "O": 2}


@pytest.fixture
def tables(
    monkeypatch: pytest.MonkeyPatch, reference: DeMeoReference
) -> tuple[pd.DataFrame, np.ndarray]:
    """Classes and spectra like the published ones, with one copied spectrum (row Q/S)."""
    rng = np.random.default_rng(5)
    labels = [name for name, count in COUNTS.items() for _ in range(count)] + ["Q", "S"]
    scores = rng.normal(0, 0.1, size=(len(labels), 5))
    slopes = rng.uniform(0.0, 0.3, size=len(labels))
    pairs = zip(scores, slopes, strict=True)
    spectra = np.vstack([spectrum(reference.basis, s, g) for s, g in pairs])
    spectra[-1] = spectra[-2]  # the last row repeats the Q spectrum; its scores are another's
    frame = pd.DataFrame(
        {
            schema.OBJECT_ID: [str(i) for i in range(len(labels))],
            schema.FILE: [f"spectra.csv:{i + 2}" for i in range(len(labels))],
            schema.DEMEO_CLASS: labels,
            "slope": slopes,
            **{name: scores[:, i] for i, name in enumerate(PCS)},
        }
    )
    monkeypatch.setattr(demeo, "published_tables", lambda: (frame, spectra, {}))
    monkeypatch.setattr(demeo, "published_reference", lambda: reference)
    return frame, spectra


def test_rare_classes_and_copies_are_set_apart_with_a_reason(tables: Any) -> None:
    data = demeo_target("demeo")
    assert sorted(set(data.y)) == ["C", "S", "Sw", "V"]
    assert len(data.y) == 8 + 6 + 6 + 5
    reasons = dict(zip(data.excluded[schema.DEMEO_CLASS], data.excluded["reason"], strict=True))
    assert reasons == {"R": "rare class", "O": "rare class", "Q": "rare class", "S": "copy"}
    assert len(data.excluded_X) == 5
    assert data.fine.tolist() == data.y.tolist()


def test_coarse_targets_keep_rare_classes_and_copies_can_be_kept(tables: Any) -> None:
    groups = demeo_target("main-group")
    assert len(groups.y) == 29  # every spectrum but the copy
    assert sorted(set(groups.y)) == ["C", "Other", "S"]
    kept = demeo_target("main-group", copies="keep")
    assert len(kept.y) == 30
    repeated = kept.objects[GROUP].value_counts()
    assert repeated.max() == 2
    assert (repeated == 2).sum() == 1
    for train, test in grouped_splits(kept, folds=3, repeats=2, seed=0):
        shared = set(kept.objects[GROUP].iloc[train]) & set(kept.objects[GROUP].iloc[test])
        assert not shared
        assert len(train) + len(test) == 30


def test_grouped_splits_repeat_with_other_shuffles(tables: Any) -> None:
    data = demeo_target("main-group")
    splits = grouped_splits(data, folds=3, repeats=2, seed=0)
    assert len(splits) == 6
    first, second = (np.sort(np.concatenate([t for _, t in splits[i : i + 3]])) for i in (0, 3))
    np.testing.assert_array_equal(first, np.arange(29))
    np.testing.assert_array_equal(second, np.arange(29))
    assert [t.tolist() for _, t in splits[:3]] != [t.tolist() for _, t in splits[3:]]
    assert [t.tolist() for _, t in grouped_splits(data, folds=3, repeats=2, seed=0)] == [
        t.tolist() for _, t in splits
    ]


@pytest.mark.parametrize(
    ("span", "at", "lo", "hi"),
    [((0.85, 2.45), AT_12, 0.85, 2.45), ((0.45, 1.5), AT_055, 0.45, 1.5)],
)
def test_spans_are_cropped_and_renormalised_where_they_allow(
    tables: Any, span: tuple[float, float], at: int, lo: float, hi: float
) -> None:
    full = demeo_target("demeo")
    data = demeo_target("demeo", span=span)
    assert (data.wavelength[0], data.wavelength[-1]) == (lo, hi)
    column = int(np.flatnonzero(np.isclose(data.wavelength, GRID[at]))[0])
    np.testing.assert_allclose(data.X[:, column], 1.0)
    np.testing.assert_allclose(data.excluded_X[:, column], 1.0)
    keep = (lo - 1e-9 <= GRID) & (hi + 1e-9 >= GRID)
    expected = full.X[:, keep] / full.X[:, [at]]
    np.testing.assert_allclose(data.X, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("target", "options", "message"),
    [
        ("bus", {}, r"carry no bus classes; expected the target demeo"),
        ("demeo", {"copies": "merge"}, r"'copies' parameter of demeo_target .* Got 'merge'"),
        ("demeo", {"span": (1.3, 2.4)}, r"normalisation wavelength 1\.2 µm"),
        ("planet", {}, r"Unknown target 'planet'"),
    ],
)
def test_bad_targets_copies_and_spans_are_refused(
    tables: Any, target: str, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(AsteroidSpectraError, match=message):
        demeo_target(target, **options)
