"""`calibrate` then `classify --correction` on real SMASSII spectra made to look instrumental.

Fifteen SMASSII spectra of known asteroids (Bus & Binzel 2002) are given a red-end bias of
the size Gaia DR3 shows against SMASSII (+8 % at 0.90 µm, rising from 0.75 µm; Gaia
Collaboration, Galluccio et al. 2023), resampled densely and written as text files with a
labels CSV naming each asteroid. Every reference is then the same asteroid's SMASSII
spectrum, so the learnt factor is the bias itself, up to resampling.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.interpolate import make_interp_spline
from typer.testing import CliRunner

from asteroid_spectra.cli.app import app
from asteroid_spectra.models.targets import TargetData, smass2_target

pytestmark = pytest.mark.integration

runner = CliRunner()


def red_bias(wavelength: np.ndarray) -> np.ndarray:
    """+8 % at 0.90 µm, rising linearly from 1 at 0.75 µm."""
    return 1 + 0.08 * np.clip((wavelength - 0.75) / 0.15, 0, None)


def write_spectrum(path: Path, data: TargetData, row: int, *, biased: bool) -> None:
    """Write SMASSII spectrum `row` on 0.44-0.92 µm every 2 nm, biased or not, scaled."""
    wavelength = np.linspace(0.44, 0.92, 241)
    values = make_interp_spline(data.wavelength, data.X[row], k=3)(wavelength)
    np.savetxt(path, np.c_[wavelength, 0.2 * values * (red_bias(wavelength) if biased else 1)])


@pytest.fixture(scope="module")
def smass2_bus() -> TargetData:
    return smass2_target("main-group", with_errors=False)


@pytest.fixture(scope="module")
def rows(smass2_bus: TargetData) -> np.ndarray:
    """20 random labelled SMASSII spectra: 15 to calibrate with, 5 to classify."""
    return np.random.default_rng(3).choice(len(smass2_bus.y), 20, replace=False)


def test_calibrate_then_classify_with_the_correction(
    tmp_path: Path, smass2_bus: TargetData, rows: np.ndarray
) -> None:
    data = tmp_path / "calibration"
    data.mkdir()
    lines = ["file,class,object_id"]
    for k, row in enumerate(rows[:15]):
        write_spectrum(data / f"obs{k:02d}.txt", smass2_bus, row, biased=True)
        identity = smass2_bus.objects.loc[row]
        lines.append(f"obs{k:02d}.txt,{smass2_bus.fine[row]},{identity['object_id']}")
    (data / "labels.csv").write_text("\n".join(lines) + "\n")
    output = tmp_path / "correction.json"
    arguments = ["--data", str(data), "--labels", str(data / "labels.csv"), "-o", str(output)]
    result = runner.invoke(app, ["calibrate", *arguments, "--figure", str(tmp_path / "c.png")])
    assert result.exit_code == 0, result.output
    assert "15 spectra (15 against the same asteroid, 0 against their class mean)" in result.stdout
    saved = json.loads(output.read_text())
    factor = np.interp([0.55, 0.70, 0.85, 0.90], saved["wavelength_um"], saved["factor"])
    np.testing.assert_allclose(factor, red_bias(np.array([0.55, 0.70, 0.85, 0.90])), atol=0.003)
    assert saved["provenance"]["reference"]["survey"] == "smass2"
    assert len(saved["provenance"]["files"]) == 15

    new = tmp_path / "new"
    new.mkdir()
    for k, row in enumerate(rows[15:]):
        write_spectrum(new / f"true{k}.txt", smass2_bus, row, biased=False)
        write_spectrum(new / f"biased{k}.txt", smass2_bus, row, biased=True)
    result = runner.invoke(
        app, ["classify", str(new), "--correction", str(output), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    corrected = {Path(r["source"]).name: r for r in json.loads(result.stdout)}
    result = runner.invoke(app, ["classify", str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    plain = {Path(r["source"]).name: r for r in json.loads(result.stdout)}
    for k in range(5):
        assert corrected[f"biased{k}.txt"]["main_group"] == plain[f"true{k}.txt"]["main_group"]
        assert (
            "corrected with correction.json (instrument correction, 0.44-0.92 µm)"
            in corrected[f"biased{k}.txt"]["notes"]
        )
        assert not any("corrected with" in note for note in plain[f"true{k}.txt"]["notes"])
