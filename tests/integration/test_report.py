"""`asteroid-spectra run --quick`: the whole study into a report that renders offline.

Runs the console script as a user would (the session's cache, the mirror), then opens the
report from disk in headless Chromium with the network blocked and checks that every
section rendered with its figures. A screenshot goes to tests/artifacts/report.png.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from asteroid_spectra.report import STAGES

pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
EXE = Path(sys.executable).with_name("asteroid-spectra")


def run_quick(output: Path) -> subprocess.CompletedProcess[str]:
    """`asteroid-spectra run --quick -o OUTPUT --json` with the session's environment."""
    return subprocess.run(
        [str(EXE), "run", "--quick", "-o", str(output), "--json"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=600,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], float]:
    """The quick study's output directory, its JSON summary and its wall time."""
    output = tmp_path_factory.mktemp("report")
    start = time.perf_counter()
    done = run_quick(output)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-3000:]
    return output, json.loads(done.stdout.strip().splitlines()[-1]), seconds


def test_every_stage_ran_and_every_number_is_in_results_json(
    report: tuple[Path, dict[str, Any], float],
) -> None:
    output, summary, _ = report
    assert summary["failed"] == []
    results = json.loads((output / "results.json").read_text())
    assert list(results["sections"]) == [stage.key for stage in STAGES]
    assert all(s["status"] == "ok" for s in results["sections"].values())
    sections = results["sections"]
    assert sections["data"]["numbers"]["smass2"]["n_labelled"] == 1339
    assert sections["data"]["numbers"]["gaia-dr3"]["n_spectra"] == 60518
    assert sections["classes"]["numbers"]["main_group_counts"] == {
        "C": 396,
        "S": 549,
        "X": 237,
        "Other": 157,
    }
    x_vs_rest = sections["supervised"]["numbers"]["x-vs-rest"]
    assert set(x_vs_rest) == {"svm", "mlp", "cnn", "svm-robust"}
    assert x_vs_rest["svm-robust"]["f1"]["mean"] > 0.9
    assert sections["bus"]["numbers"]["accuracy"]["mean"] > 0.8
    assert sections["tuning"]["numbers"]["n_trials"] >= 4
    assert sections["latent"]["numbers"]["henze_zirkler"]["normal"] is False
    gaia = sections["gaia"]["numbers"]
    assert gaia["catalogue"]["n_rows"] == 60518
    assert gaia["cross_survey"]["gaia"]["accuracy"]["mean"] > 0.8
    assert results["meta"]["quick"] is True


def test_the_report_renders_offline_in_a_browser(
    report: tuple[Path, dict[str, Any], float], browser: Any
) -> None:
    output = report[0]
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((output / "index.html").as_uri())
    page.wait_for_load_state("load")
    rendered = page.evaluate(
        """() => [...document.querySelectorAll('section')].map((s) => ({
            id: s.id, status: s.dataset.status,
            title: s.querySelector('h2').textContent,
            summary: s.querySelector('p.summary').textContent.length,
            figures: [...s.querySelectorAll('figure img')].map(
                (img) => img.complete && img.naturalWidth > 300),
            tables: s.querySelectorAll('table tbody tr').length,
        }))"""
    )
    assert [s["id"] for s in rendered] == [stage.key for stage in STAGES]
    for section in rendered:
        assert section["status"] == "ok", section
        assert section["summary"] > 100, section
        assert section["figures"], f"{section['id']} has no figure"
        assert all(section["figures"]), f"a figure of {section['id']} did not render"
        assert section["tables"] > 0, section
    assert len(page.query_selector_all("nav a")) == len(STAGES)
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 50_000
    context.close()


def test_a_rerun_reuses_every_stage(report: tuple[Path, dict[str, Any], float]) -> None:
    output = report[0]
    done = run_quick(output)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((output / "results.json").read_text())
    assert all(s["cached"] for s in results["sections"].values())
    assert "reused from cache" in (output / "index.html").read_text()
