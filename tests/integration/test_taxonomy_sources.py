"""ECAS, Tholen (1984) and DeMeo et al. (2009) tables built from the real mirror files.

Every expected number was counted on the mirror's files themselves (ecas/, tholen1984/,
demeo2009/; see /work/shared/data/README.md) or is stated in the papers' abstracts. The
sources are not yet registered in ``sources.SOURCES``: the module adds them for its own
duration, so the files go through the ordinary fetch (mirror copy, sha256 check), parse
and Parquet cache. Skipped when ASTEROID_SPECTRA_MIRROR is not set.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.data import sources
from asteroid_spectra.data.datasets import load_table
from asteroid_spectra.data.sources.demeo2009 import DEMEO2009, DEMEO_CLASSES
from asteroid_spectra.data.sources.ecas import COLOURS, ECAS, SIGMA_LIMITS, colour_reflectance
from asteroid_spectra.data.sources.tholen1984 import THOLEN1984

pytestmark = pytest.mark.integration

if not os.environ.get("ASTEROID_SPECTRA_MIRROR"):
    pytest.skip("ASTEROID_SPECTRA_MIRROR is not set", allow_module_level=True)


@pytest.fixture(scope="module", autouse=True)
def registered() -> Iterator[None]:
    """Add the three sources to ``sources.SOURCES`` while this module runs."""
    added = {survey.name: survey for survey in (ECAS, THOLEN1984, DEMEO2009)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "SOURCES", MappingProxyType({**sources.SOURCES, **added}))
        yield


@pytest.fixture(scope="module")
def colors(registered: None) -> pd.DataFrame:
    return load_table("ecas", "colors")


@pytest.fixture(scope="module")
def ecas(registered: None) -> pd.DataFrame:
    return load_table("ecas", "spectra")


@pytest.fixture(scope="module")
def tholen(registered: None) -> pd.DataFrame:
    return load_table("tholen1984", "classes")


@pytest.fixture(scope="module")
def demeo(registered: None) -> pd.DataFrame:
    return load_table("demeo2009", "classes")


# --- ECAS ----------------------------------------------------------------------------------


def test_ecas_counts(colors: pd.DataFrame, ecas: pd.DataFrame) -> None:
    assert len(colors) == 589  # Zellner et al. (1985): "Results for 589 minor planets"
    assert colors[schema.OBJECT_ID].is_unique
    assert ecas[schema.FILE].nunique() == 589  # one data/<number>.csv per asteroid
    assert len(ecas) == 4551
    sizes = ecas.groupby(schema.FILE).size().value_counts().to_dict()
    assert sizes == {8: 534, 5: 50, 7: 4, 1: 1}  # 1: 152 Atala, no colour measured
    unmeasured = {c: int(colors[f"{c}_mean"].isna().sum()) for c in COLOURS}
    assert unmeasured == {"s_v": 54, "u_v": 1, "b_v": 1, "v_w": 1, "v_x": 1, "v_p": 51, "v_z": 52}
    assert int(colors[schema.FLAG].sum()) == 143


def test_ecas_flags_follow_the_sigma_limits(colors: pd.DataFrame) -> None:
    for colour, limit in SIGMA_LIMITS.items():
        flagged = colors[f"flag_{colour}"] == 1
        assert (flagged == (colors[f"{colour}_std_dev"] > limit)).all(), colour
    assert not any("flags disagree" in note for note in colors.attrs["provenance"]["notes"])


def test_ecas_reflectances_are_the_colours_converted(
    colors: pd.DataFrame, ecas: pd.DataFrame
) -> None:
    means = colors[[f"{c}_mean" for c in COLOURS]].to_numpy(np.float64)
    expected = pd.DataFrame(colour_reflectance(means), columns=schema.ECAS_WAVELENGTH)
    expected[schema.OBJECT_ID] = colors[schema.OBJECT_ID].to_numpy()
    expected = expected.melt(schema.OBJECT_ID, var_name="w", value_name="r").dropna()
    expected["w"] = expected["w"].astype(float)
    merged = ecas.merge(
        expected, left_on=[schema.OBJECT_ID, schema.WAVELENGTH], right_on=[schema.OBJECT_ID, "w"]
    )
    assert len(merged) == len(ecas) == len(expected)  # the same samples, none missing
    np.testing.assert_allclose(merged[schema.REFLECTANCE], merged["r"], rtol=1e-12, atol=0)
    assert "0 disagreements between data files and colors.csv" in ecas.attrs["provenance"]["notes"]


@pytest.mark.parametrize(
    ("object_id", "wavelength", "reflectance", "file_error"),
    [
        # data/1.csv line 2 (1 Ceres at 0.337 µm); s-v = 0.430 ± 0.010 in colors.csv
        ("1", 0.337, 0.6729766562843177, 0.0039604463599497595),
        # data/4.csv, 4 Vesta at 0.853 µm: v-x = -0.168 ± 0.009
        ("4", 0.853, 10 ** (0.4 * -0.168), 0.168 * 0.4 * math.log(10) * 0.009),
    ],
)
def test_ecas_known_samples(
    ecas: pd.DataFrame, object_id: str, wavelength: float, reflectance: float, file_error: float
) -> None:
    row = ecas[(ecas[schema.OBJECT_ID] == object_id) & (ecas[schema.WAVELENGTH] == wavelength)]
    assert len(row) == 1
    assert row[schema.REFLECTANCE].iloc[0] == pytest.approx(reflectance, rel=1e-12)
    assert row["file_error"].iloc[0] == pytest.approx(file_error, rel=1e-9)
    sigma = 0.4 * math.log(10) * reflectance  # × σ_c: the propagated error
    assert row[schema.ERROR].iloc[0] == pytest.approx(
        sigma * (0.010 if object_id == "1" else 0.009)
    )


def test_ecas_identities(colors: pd.DataFrame) -> None:
    by_id = colors.set_index(schema.OBJECT_ID)
    assert by_id.loc["1", schema.NAME] == "Ceres"
    assert by_id.loc["4688", schema.DESIGNATION] == "1980 WF"  # name column "1980 WF"
    assert pd.isna(by_id.loc["4688", schema.NAME])
    assert pd.isna(by_id.loc["3757", "ast_name"])  # "---" in 1985, now Anagolay
    assert by_id.loc["3757", schema.NAME] == "Anagolay"
    assert by_id["note"].notna().sum() == 10  # NOTE 1-10; -9 elsewhere


# --- Tholen (1984) ---------------------------------------------------------------------------

THOLEN_COUNTS = {
    **{"S": 144, "C": 88, "D": 25, "P": 23, "M": 21, "X": 21, "F": 13, "E": 8, "B": 6},
    **{"G": 5, "FC": 5, "CU": 5, "XC": 5, "T": 4, "A": 4, "CF": 3, "CX": 3, "CP": 2},
    **{"PC": 2, "SU": 2, "XFU": 2, "V": 1, "BU": 1, "MU": 1, "CG": 1, "GC": 1, "BCU": 1},
    **{"R": 1, "ST": 1, "TSD": 1, "XF": 1, "BCF": 1, "XSCU": 1, "Q": 1},
}
"""Published classes of tholen1984/scores.csv, counted."""


def test_tholen_counts(tholen: pd.DataFrame) -> None:
    assert len(tholen) == 404
    assert sum(THOLEN_COUNTS.values()) == 404
    assert tholen[schema.THOLEN_CLASS].value_counts().to_dict() == THOLEN_COUNTS
    assert int(tholen["tholen_ambiguous"].sum()) == 30
    assert int(tholen["tholen_unusual"].sum()) == 13
    primary = tholen["tholen_primary"].value_counts()
    assert (primary["S"], primary["C"], primary["X"]) == (147, 102, 30)


def test_tholen_known_asteroids(tholen: pd.DataFrame) -> None:
    by_id = tholen.set_index(schema.OBJECT_ID)
    assert by_id.loc["1", schema.THOLEN_CLASS] == "G"
    assert by_id.loc["1", "pc1"] == -1.73  # scores.csv line 2
    assert by_id.loc["4", schema.THOLEN_CLASS] == "V"
    assert by_id.loc["3288", "note"] == 2  # the only note
    assert by_id["note"].notna().sum() == 1


def test_tholen_asteroids_are_ecas_asteroids(tholen: pd.DataFrame, colors: pd.DataFrame) -> None:
    assert set(tholen[schema.OBJECT_ID]) <= set(colors[schema.OBJECT_ID])


# --- DeMeo et al. (2009) ---------------------------------------------------------------------

DEMEO_COUNTS = {
    **{"S": 102, "Sw": 42, "L": 22, "Ch": 18, "Xk": 18, "Sq": 17, "D": 16, "Sr": 16},
    **{"K": 16, "V": 15, "C": 13, "Sqw": 12, "Cgh": 10, "Q": 8, "Xe": 7, "Srw": 7, "A": 6},
    **{"X": 4, "B": 4, "T": 4, "Xc": 3, "Cb": 3, "Sa": 2, "Vw": 2, "O": 1, "Sv": 1, "Cg": 1},
    **{"Svw": 1, "R": 1},
}
"""Classes of demeo2009_splined_spectra.csv, counted."""


def test_demeo_counts(demeo: pd.DataFrame) -> None:
    # The paper has 371 asteroids; the file holds 372 spectra, one per asteroid.
    assert len(demeo) == 372
    assert demeo[schema.OBJECT_ID].is_unique
    assert demeo[schema.DEMEO_CLASS].value_counts().to_dict() == DEMEO_COUNTS
    base = set(demeo[schema.DEMEO_CLASS].str.removesuffix("w"))
    assert base == set(DEMEO_CLASSES)  # all 24 classes of the paper
    # The abstract: only 6 A-types, 349 Dembowska the only R, 3628 Boznemcova the only O,
    # eight Q-types.
    by_class = demeo.groupby(schema.DEMEO_CLASS)[schema.OBJECT_ID].apply(list)
    assert (len(by_class["A"]), by_class["R"], by_class["O"], len(by_class["Q"])) == (
        6,
        ["349"],
        ["3628"],
        8,
    )


def test_demeo_scores_join(demeo: pd.DataFrame) -> None:
    scored = demeo["pc1"].notna()
    assert int(scored.sum()) == 362  # every row of scores.csv
    unscored = set(demeo.loc[~scored, schema.OBJECT_ID])
    assert unscored == {"54", "214", "216", "226", "233", "234", "4142", "5379", "25330", "2002 AV"}
    assert int(demeo[schema.BUS_CLASS].notna().sum()) == 362 - 54  # 54 empty class_bus
    assert int((demeo[schema.BUS_CLASS] == "Sl").sum()) == 11  # 8 written "SI"
    differ = scored & (demeo["scores_class_demeo"] != demeo[schema.DEMEO_CLASS])
    assert int(differ.sum()) == 33
    notes = demeo.attrs["provenance"]["notes"]
    assert "0 spectra whose class differs from class_ of scores.csv" in notes
    assert sum("value for value" in note for note in notes) == 2  # 3753/3788, 78/82


def test_demeo_known_asteroids(demeo: pd.DataFrame) -> None:
    by_id = demeo.set_index(schema.OBJECT_ID)
    assert by_id.loc["1", [schema.DEMEO_CLASS, schema.BUS_CLASS]].tolist() == ["C", "C"]
    assert by_id.loc["1", "pc1"] == -0.5626  # scores.csv line 2
    assert by_id.loc["4", schema.DEMEO_CLASS] == "V"
    assert by_id.loc["4", schema.MAIN_GROUP] == "Other"
    assert by_id.loc["2002 AV", schema.DESIGNATION] == "2002 AV"
    assert pd.isna(by_id.loc["2002 AV", schema.NUMBER])
    assert by_id.loc["99907", schema.DESIGNATION] == "1989 VA"


def test_demeo_spectra(registered: None) -> None:
    spectra = load_table("demeo2009", "spectra")
    assert len(spectra) == 372 * 41
    grid = spectra.groupby(schema.FILE, sort=False)[schema.WAVELENGTH].apply(list)
    assert all(np.allclose(w, schema.DEMEO_WAVELENGTH) for w in grid)
    np.testing.assert_allclose(
        spectra.loc[spectra[schema.WAVELENGTH] == 0.55, schema.REFLECTANCE], 1
    )
    first = spectra.iloc[0]  # first data line: 2354 Lavrov, 0.799 at 0.45 µm
    assert (first[schema.OBJECT_ID], first[schema.REFLECTANCE]) == ("2354", 0.799)


def test_demeo_templates(registered: None) -> None:
    templates = load_table("demeo2009", "templates")
    classes = templates[schema.DEMEO_CLASS].unique().tolist()
    # 25 templates: the 24 classes of DeMeo et al. (2009) and Xn (Binzel et al. 2019).
    assert len(classes) == 25
    assert set(classes) == {*DEMEO_CLASSES, "Xn"}
    assert len(templates) == 25 * 41
    undefined = templates.groupby(schema.DEMEO_CLASS)["sigma"].apply(lambda s: s.isna().all())
    assert sorted(undefined[undefined].index) == ["Cg", "O", "R"]
    c_type = templates[templates[schema.DEMEO_CLASS] == "C"].set_index(schema.WAVELENGTH)
    assert (c_type.loc[0.45, "mean"], c_type.loc[0.45, "sigma"]) == (0.965, 0.022)
