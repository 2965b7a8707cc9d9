"""The observation table, ``asp.spectra`` and its plot and command on the real surveys.

Expected values come from the mirror's files (paths under /work/shared/data and line
numbers quoted in the comments). The table is built once per session from the session's
cached survey tables (the ``session_cache`` of tests/conftest.py), which later tests, and
``spectra_of``, read again from the cache. Skipped when ASTEROID_SPECTRA_MIRROR is not set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import asteroid_spectra as asp
from asteroid_spectra import schema
from asteroid_spectra.data.observations import LABELS, OBSERVATION_COLUMNS, observations
from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.spectra.asteroid import AsteroidSpectra

pytestmark = pytest.mark.integration

if not os.environ.get("ASTEROID_SPECTRA_MIRROR"):
    pytest.skip("ASTEROID_SPECTRA_MIRROR is not set", allow_module_level=True)

SPECTRA_PER_SURVEY = {
    "smass2": 1341,  # smass2data.tar.gz: 1341 raw spectra smass2/a*.[2] (not the .spfit ones)
    "gaia-dr3": 60518,  # README: 60,518 asteroids, one spectrum each
    "smass1": 316,  # smass1/: 317 files, the README and 316 spectra a*.[1]
    "smassir": 251,  # smassir/: 252 files, SMASSIR.files.txt and 251 spectra a*.[3]
    "primass-l": 438,  # primass_l/data/spectra/**/*.tab: 438 files (417 classified)
    "irtf-spex": 300,  # irtf_spex/data/<paper>/*.tab: 300 files
    "ecas": 589,  # ecas/data/<number>.csv: 589 asteroids (colors.csv: 590 lines)
    "demeo2009": 372,  # demeo2009_splined_spectra.csv: 373 lines, a header and 372 spectra
}

VESTA_SURVEYS = ["smass2", "gaia-dr3", "smass1", "smassir", "irtf-spex", "ecas", "demeo2009"]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """The observation table, built (or read) with the session's cache."""
    return observations()


@pytest.fixture(scope="module")
def vesta() -> AsteroidSpectra:
    return asp.spectra("Vesta")


def rows_of(table: pd.DataFrame, object_id: str) -> pd.DataFrame:
    return table[table[schema.OBJECT_ID] == object_id]


# --- the table -----------------------------------------------------------------------------


def test_one_row_per_published_spectrum_of_every_survey(table: pd.DataFrame) -> None:
    assert len(table) == 64125 == sum(SPECTRA_PER_SURVEY.values())
    assert table[schema.SURVEY].value_counts().to_dict() == SPECTRA_PER_SURVEY
    assert list(dict.fromkeys(table[schema.SURVEY])) == list(SPECTRA_PER_SURVEY)
    assert tuple(table.columns) == OBSERVATION_COLUMNS
    assert not table.duplicated([schema.SURVEY, schema.FILE]).any()
    assert table[schema.OBJECT_ID].nunique() == 60846
    # SpeX: 300 spectra of 173 asteroids; PRIMASS-L: 438 of 418
    per_survey = table.groupby(schema.SURVEY)[schema.OBJECT_ID].nunique()
    assert (per_survey["irtf-spex"], per_survey["primass-l"]) == (173, 418)


def test_points_are_the_samples_with_a_reflectance(table: pd.DataFrame) -> None:
    points = table.groupby(schema.SURVEY)["n_points"].sum().to_dict()
    assert points["demeo2009"] == 372 * 41  # 41 columns 0.45-2.45 µm, all filled
    assert points["ecas"] == 4551  # 534 × 8 + 50 × 5 + 4 × 7 + 1 (see test_taxonomy_sources)
    assert (table["n_points"] >= 1).all()
    assert (table["wavelength_min"] <= table["wavelength_max"]).all()


def test_every_tholen_and_bus_demeo_asteroid_has_its_class(table: pd.DataFrame) -> None:
    def asteroids(column: str) -> int:
        return int(table.loc[table[column].notna(), schema.OBJECT_ID].nunique())

    assert asteroids("tholen_class") == 404  # tholen1984/scores.csv: 405 lines, header + 404
    assert asteroids("demeo_class") == 372  # one per Bus-DeMeo spectrum
    demeo = table[table[schema.SURVEY] == "demeo2009"]
    assert demeo["demeo_class"].notna().all()
    # PRIMASS-L: its own class on 417 spectra (primassl_visible_spectral_parameters.csv:
    # 418 lines, a header and 417 rows); the 21 other files have none
    primass = table[table[schema.SURVEY] == "primass-l"]
    assert int(primass["primass_class"].notna().sum()) == 417


def test_vesta_has_seven_spectra_labelled_v(table: pd.DataFrame) -> None:
    rows = rows_of(table, "4")
    assert list(rows[schema.SURVEY]) == VESTA_SURVEYS
    for column in ("bus_class", "demeo_class", "tholen_class"):
        # Bus.Taxonomy.txt:25 "4 Vesta  V V"; demeo2009/scores.csv:5; tholen1984/scores.csv:5
        assert rows[column].tolist() == ["V"] * 7, column
    assert rows["primass_class"].isna().all()
    assert rows[schema.NAME].tolist() == ["Vesta"] * 7  # Gaia DR3 writes "vesta"
    spex = rows[rows[schema.SURVEY] == "irtf-spex"].iloc[0]
    assert spex[schema.FILE] == "data/moskovitzetal2010/4_001009t051541.tab"
    # irtf_spex/data/moskovitzetal2010/4_001009t051541.tab: line 1 "0.8200 0.81628 0.00193",
    # line 320 "2.4400 0.98896 0.00463"
    assert (spex["wavelength_min"], spex["wavelength_max"], spex["n_points"]) == (0.82, 2.44, 320)
    demeo = rows[rows[schema.SURVEY] == "demeo2009"].iloc[0]
    assert demeo[schema.FILE] == "demeo2009_splined_spectra.csv:350"  # line 350 ends ",a,4,V"


def test_primass_classes_per_spectrum_and_most_frequent_elsewhere(table: pd.DataFrame) -> None:
    # primassl_visible_spectral_parameters.csv:160-161: 36465 is C in 036465_1_vis.tab and
    # X in 036465_2_vis.tab; its Gaia DR3 row takes the tie's alphabetical first, C
    rows = rows_of(table, "36465").set_index(schema.FILE)["primass_class"].to_dict()
    assert rows == {
        "36465": "C",
        "data/spectra/inner/polana/036465_1_vis.tab": "C",
        "data/spectra/inner/polana/036465_2_vis.tab": "X",
    }
    # 135384: _vis_r.tab is Cg (line 340); _vis_b.tab has no row there, so no class
    rows = rows_of(table, "135384").set_index(schema.FILE)["primass_class"]
    assert pd.isna(rows["data/spectra/outer/lixiaohua/135384_vis_b.tab"])
    assert rows["data/spectra/outer/lixiaohua/135384_vis_r.tab"] == "Cg"
    assert len(rows) == 2


# --- asp.spectra ---------------------------------------------------------------------------


def test_vesta_spectra_across_the_surveys(vesta: AsteroidSpectra) -> None:
    assert (vesta.object_id, vesta.name, vesta.title) == ("4", "Vesta", "(4) Vesta")
    assert len(vesta) == 7
    assert [s.meta["survey"] for s in vesta.spectra] == VESTA_SURVEYS
    assert vesta.labels == {
        "bus_class": "V",
        "demeo_class": "V",
        "tholen_class": "V",
        "primass_class": None,
    }
    spectra = dict(zip(VESTA_SURVEYS, vesta.spectra, strict=True))
    spex = spectra["irtf-spex"]
    assert (spex.wavelength[0], spex.wavelength[-1], len(spex)) == (0.82, 2.44, 320)
    assert (spex.reflectance[0], spex.error[-1]) == (0.81628, 0.00463)
    smass2 = spectra["smass2"]  # smass2/a000004.[2]: 190 lines, 0.4350 to 0.9250 µm
    assert (smass2.wavelength[0], smass2.wavelength[-1], len(smass2)) == (0.435, 0.925, 190)
    smass1 = spectra["smass1"]  # smass1/a000004.[1]: 561 lines, "4220 0.862" … "10066 0.946" Å
    assert (smass1.wavelength[0], smass1.wavelength[-1]) == pytest.approx((0.422, 1.0066))
    assert smass1.error is None
    assert len(spectra["gaia-dr3"]) == 16
    assert len(spectra["ecas"]) == 8


@pytest.mark.parametrize("asteroid", [4, "4", "vesta", "VESTA", "(4)"])
def test_vesta_by_number_or_name(asteroid: object, vesta: AsteroidSpectra) -> None:
    found = asp.spectra(asteroid)
    assert found.object_id == "4"
    assert [s.meta["file"] for s in found.spectra] == [s.meta["file"] for s in vesta.spectra]


def test_ceres_labels() -> None:
    ceres = asp.spectra("ceres")
    assert ceres.title == "(1) Ceres"
    # Bus.Taxonomy.txt:22 "1 Ceres  G C" (Tholen G, Bus C); demeo2009/scores.csv:2
    # "1,C,C,…" ; tholen1984/scores.csv:2 "1,Ceres,…,G"
    assert ceres.labels == {
        "bus_class": "C",
        "demeo_class": "C",
        "tholen_class": "G",
        "primass_class": None,
    }
    surveys = [s.meta["survey"] for s in ceres.spectra]
    assert surveys == ["smass2", "gaia-dr3", "smassir", "ecas", "demeo2009"]


def test_an_unnumbered_asteroid_by_provisional_designation() -> None:
    result = asp.spectra("1995bm2")
    assert (result.object_id, result.name, result.title) == ("1995 BM2", None, "1995 BM2")
    # Bus.Taxonomy.txt:1434 "1995 BM2 <tab><tab>Sq"
    assert result.labels["bus_class"] == "Sq"
    assert [s.meta["file"] for s in result.spectra] == ["au1995BM2.[2]"]
    assert len(result.spectra[0]) == 189  # smass2/au1995BM2.[2]: 189 lines


def test_a_misspelt_name_suggests_the_real_one() -> None:
    with pytest.raises(ParameterError) as error:
        asp.spectra("Vestaa")
    assert str(error.value) == (
        "No spectrum of the asteroid 'Vestaa' in any survey (searched numbers, names and "
        "provisional designations). Did you mean 'Vesta'?"
    )


@pytest.mark.parametrize(
    "asteroid",
    [
        # gaia_dr3/SsoReflectanceSpectrum_14.csv.gz:10304 "…,13523,"vanhassel",…,
        # -0.05769193,0.10257162,1034.0,2" (one of 58 negative Gaia DR3 reflectances)
        "13523",
        # ecas/data/152.csv holds one sample, line 2 "1.0,0.0,0.55,0" (no colour measured)
        "152",
    ],
)
def test_an_asteroid_with_an_unusable_spectrum_still_has_its_others(asteroid: str) -> None:
    result = asp.spectra(asteroid)
    assert len(result) == len(result.observations) - (asteroid == "152")
    assert len(result.notes) == 1


def test_a_numbered_asteroid_by_its_provisional_designation(table: pd.DataFrame) -> None:
    # 36465 is 2000 QR19 in the table's designation column
    assert set(rows_of(table, "36465")[schema.DESIGNATION]) == {"2000 QR19"}
    assert asp.spectra("2000 QR19").object_id == "36465"


# --- plot and command ----------------------------------------------------------------------


def test_vesta_plot_draws_every_spectrum_on_one_scale(vesta: AsteroidSpectra) -> None:
    from asteroid_spectra.plotting.asteroid import plot_asteroid_spectra

    (ax,) = plot_asteroid_spectra(vesta).axes
    assert ax.get_title() == "(4) Vesta — bus V, demeo V, tholen V"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "smass2 (190 points)",
        "gaia-dr3 (16 points)",
        "smass1 (561 points)",
        "smassir (41 points)",
        "irtf-spex (320 points)",
        "ecas (8 points)",
        "demeo2009 (41 points)",
    ]
    lines = dict(zip(VESTA_SURVEYS, ax.lines, strict=True))
    spectra = dict(zip(VESTA_SURVEYS, vesta.spectra, strict=True))
    # a000004.[2] line 43: "0.5500 1.0003 0.0026" → SMASSII divided by 1.0003
    np.testing.assert_allclose(lines["smass2"].get_ydata(), spectra["smass2"].reflectance / 1.0003)
    # Gaia DR3 (SsoReflectanceSpectrum_15.csv.gz:85, 550 nm: 1.0) and ECAS (data/4.csv:5,
    # 0.55 µm: 1.0) are already unity at 0.55 µm
    for survey in ("gaia-dr3", "ecas", "demeo2009"):
        np.testing.assert_array_equal(lines[survey].get_ydata(), spectra[survey].reflectance)
    for survey in ("smassir", "irtf-spex"):  # near-infrared: scaled to the overlap, near 1
        at_1um = np.interp(1.2, lines[survey].get_xdata(), lines[survey].get_ydata())
        demeo = np.interp(1.2, lines["demeo2009"].get_xdata(), lines["demeo2009"].get_ydata())
        assert at_1um == pytest.approx(demeo, rel=0.1), survey


def test_spectra_command_on_vesta(tmp_path: Path) -> None:
    from asteroid_spectra.cli import app as cli

    path = tmp_path / "vesta.png"
    result = CliRunner().invoke(cli.app, ["spectra", "Vesta", "--json", "--plot", str(path)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [body[column] for column in LABELS] == ["V", "V", "V", None]
    assert [s["survey"] for s in body["spectra"]] == VESTA_SURVEYS
    assert body["spectra"][4] == {
        "survey": "irtf-spex",
        "file": "data/moskovitzetal2010/4_001009t051541.tab",
        "wavelength_min": 0.82,
        "wavelength_max": 2.44,
        "n_points": 320,
    }
    assert path.stat().st_size > 10_000


def test_gaia_names_have_their_apostrophes_undoubled(table: pd.DataFrame) -> None:
    # gaia_dr3/SsoReflectanceSpectrum_02.csv.gz:1937 writes the name as "o''higgins"
    names = table[schema.NAME].dropna()
    assert not names.str.contains("''", regex=False).any()
    assert "O'Higgins" in set(names)
