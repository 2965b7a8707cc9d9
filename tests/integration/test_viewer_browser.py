"""The spectra viewer in a real browser (headless Chromium) against the real API server.

The server is the session's live API server (`api_server` in conftest.py: `asteroid-spectra
serve` on a free loopback port, the mirror data); the browser is Debian's Chromium driven by
Playwright. Skipped only when Playwright or Chromium is missing (CI installs both).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.spectra.sets import SpectralSet

pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CLASSIFY_TIMEOUT = 60_000  # ms: the first classification trains the default model
EXPLORE_TIMEOUT = 120_000  # ms: the first latent-space request trains the latent map (~20 s)


@dataclass
class Viewer:
    """A browser page on the viewer and the errors its console reported."""

    page: Any
    base_url: str
    errors: list[str] = field(default_factory=list)

    def open(self) -> None:
        self.page.goto(f"{self.base_url}/")
        self.page.wait_for_function("document.body.dataset.ready === 'true'", timeout=30_000)

    def trace_count(self, plot: str = "spectra-plot") -> int:
        return int(self.page.evaluate(f"document.getElementById('{plot}').data.length"))

    def classify(self) -> None:
        self.page.click("#classify-button")
        self.page.wait_for_function(
            "['done', 'error'].includes(document.getElementById('result').dataset.state)",
            timeout=CLASSIFY_TIMEOUT,
        )

    def wait_for_neighbours(self) -> str:
        """Wait until the nearest spectra and latent position are shown; return the state."""
        self.page.wait_for_function(
            "['done', 'error'].includes(document.getElementById('neighbours').dataset.state)",
            timeout=EXPLORE_TIMEOUT,
        )
        return str(self.page.get_attribute("#neighbours", "data-state"))

    def traces(self, plot: str) -> list[dict[str, Any]]:
        """Name, point count and marker symbol of each trace of a plot."""
        script = (
            f"document.getElementById('{plot}').data.map((t) => ({{name: t.name, "
            "points: (t.x || []).length, symbol: (t.marker || {}).symbol || null}))"
        )
        traces: list[dict[str, Any]] = self.page.evaluate(script)
        return traces


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


@pytest.fixture
def viewer(browser: Any, api_server: str) -> Iterator[Viewer]:
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    result = Viewer(page, api_server)
    page.on(
        "console",
        lambda message: result.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: result.errors.append(f"uncaught: {error}"))
    yield result
    context.close()


def _reference_count(base_url: str, parameter: str, name: str) -> int:
    data = _get_json(f"{base_url}/v1/reference-spectra?{parameter}={name}")
    return len(data["spectra"])


def test_page_loads_without_console_errors(viewer: Viewer) -> None:
    viewer.open()

    assert viewer.errors == []
    # The default selection is main group S: its spectra, then the ±1σ band (2) and mean.
    count = _reference_count(viewer.base_url, "group", "S")
    assert viewer.trace_count() == count + 3
    assert f"Spectra{count}" in viewer.page.inner_text("#stats").replace("\t", "")
    assert viewer.page.is_hidden("#result")
    assert viewer.page.is_hidden("#error")


@pytest.mark.parametrize(
    ("option", "parameter", "name"),
    [("bus:Sq", "bus_class", "Sq"), ("group:C", "group", "C")],
)
def test_selecting_a_class_redraws_the_plot(
    viewer: Viewer, option: str, parameter: str, name: str
) -> None:
    viewer.open()
    before = viewer.trace_count()

    viewer.page.select_option("#class-select", option)
    viewer.page.wait_for_function(
        f"document.getElementById('spectra-plot').dataset.shown === '{option}'"
    )

    count = _reference_count(viewer.base_url, parameter, name)
    assert viewer.trace_count() == count + 3
    assert viewer.trace_count() != before
    assert f"{'Bus class' if parameter == 'bus_class' else 'Main group'} {name}" in (
        viewer.page.inner_text("#stats")
    )
    assert viewer.errors == []


def _iris_rows(smass2: SpectralSet, lo: float = 0.0, hi: float = 9.0) -> list[str]:
    """(7) Iris's SMASSII spectrum between lo and hi µm as text rows."""
    objects = smass2.objects
    row = int(np.flatnonzero((objects["number"] == 7).fillna(value=False).to_numpy())[0])
    assert objects["bus_class"][row] == "S"
    return [
        f"{w:.3f} {r:.5f}"
        for w, r in zip(smass2.wavelength, smass2.reflectance[row], strict=True)
        if np.isfinite(r) and lo - 1e-9 <= w <= hi + 1e-9
    ]


def test_uploading_an_s_type_spectrum_shows_group_s(
    viewer: Viewer, smass2: SpectralSet, tmp_path: Path
) -> None:
    # (7) Iris: Bus class S in SMASSII (Bus & Binzel 2002), full 0.44-0.92 µm coverage.
    lines = ["# wavelength_um reflectance", *_iris_rows(smass2)]
    path = tmp_path / "7_iris.txt"
    path.write_text("\n".join(lines) + "\n")
    viewer.open()

    viewer.page.set_input_files("#file-input", str(path))
    viewer.classify()

    assert viewer.page.inner_text("#error") == ""
    assert viewer.page.inner_text("#result-main-group") == "S"
    assert viewer.page.inner_text("#result-bus-class").startswith("S")
    assert "0.440–0.920 µm" in viewer.page.inner_text("#result-details")
    # Main-group bars, top-5 Bus bars.
    assert viewer.trace_count("proba-plot") == 2

    assert viewer.wait_for_neighbours() == "done"
    # The template band (2) and mean, the spectrum, then the 5 nearest SMASSII spectra, of
    # which Iris's own is the first (distance 0).
    result = viewer.traces("result-plot")
    assert len(result) == 4 + 5
    assert result[4]["name"] == "Iris (S)"
    assert all(trace["points"] == 49 for trace in result[4:])
    neighbours = viewer.page.locator("#neighbours li").all_inner_texts()
    assert len(neighbours) == 5
    assert neighbours[0].split() == ["Iris", "S", "0.0000"]
    # The latent space: the 1339 reference spectra in one trace per main group, and a star.
    latent = viewer.traces("latent-plot")
    assert [t["name"] for t in latent] == [
        "C (396)",
        "S (549)",
        "X (237)",
        "Other (157)",
        "your spectrum",
    ]
    assert sum(t["points"] for t in latent[:4]) == 1339
    assert (latent[4]["points"], latent[4]["symbol"]) == (1, "star")
    assert viewer.errors == []

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "viewer.png"
    screenshot.unlink(missing_ok=True)
    viewer.page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.is_file()
    assert screenshot.stat().st_size > 10_000


def test_a_partial_spectrum_has_neighbours_but_no_latent_position(
    viewer: Viewer, smass2: SpectralSet
) -> None:
    viewer.open()

    viewer.page.fill("#paste-input", "\n".join(_iris_rows(smass2, 0.48, 0.86)))
    viewer.classify()

    assert viewer.page.inner_text("#result-main-group") == "S"
    assert viewer.wait_for_neighbours() == "done"
    assert viewer.page.locator("#neighbours li").count() == 5
    assert [t["symbol"] for t in viewer.traces("latent-plot")] == [None] * 4  # no star
    note = viewer.page.evaluate(
        "document.getElementById('latent-plot').layout.annotations[0].text"
    ).replace("<br>", " ")
    assert viewer.page.is_visible("#latent-plot .annotation-text")
    assert "position is not available" in note
    assert "0.44-0.92 µm" in note
    assert viewer.errors == []


def test_pasting_too_short_a_spectrum_shows_a_readable_error(viewer: Viewer) -> None:
    viewer.open()

    viewer.page.fill("#paste-input", "0.60 1.00\n0.65 1.02\n0.70 1.03\n")
    viewer.classify()

    message = viewer.page.inner_text("#error")
    assert viewer.page.is_visible("#error")
    assert viewer.page.is_hidden("#result")
    assert "0.55-0.80 µm" in message
    assert "covers 0.600-0.700 µm" in message
    assert not message.lstrip().startswith(("{", "["))


@pytest.mark.parametrize(
    "text",
    ["wavelength reflectance\nnot a number\n", "0.50 nan\n0.60 inf\n0.70\n"],
    ids=["words", "non-finite"],
)
def test_pasting_no_numbers_is_refused_in_the_page(viewer: Viewer, text: str) -> None:
    viewer.open()

    viewer.page.fill("#paste-input", text)
    viewer.classify()

    assert "No row with a wavelength and a reflectance found" in viewer.page.inner_text("#error")
    assert viewer.page.is_hidden("#result")


def test_assets_are_served_offline_with_a_long_cache(api_server: str) -> None:
    with urllib.request.urlopen(f"{api_server}/static/plotly.min.js", timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert b"window.Plotly" in response.read()
    with urllib.request.urlopen(f"{api_server}/", timeout=30) as response:
        page = response.read().decode()
    assert "static/plotly.min.js?v=" in page
    assert "{{" not in page
    assert "https://" not in page  # nothing from a CDN


def test_unknown_static_file_is_a_404_naming_the_files(api_server: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{api_server}/static/secrets.txt", timeout=30)
    assert raised.value.code == 404
    detail = json.load(raised.value)["detail"]
    assert "No static file 'secrets.txt'" in detail
    assert "viewer.js" in detail


def test_a_near_infrared_spectrum_shows_its_bus_demeo_class(viewer: Viewer) -> None:
    import asteroid_spectra as asp

    (spex,) = [s for s in asp.spectra("Vesta").spectra if s.meta["survey"] == "irtf-spex"]
    viewer.open()

    rows = [f"{w:.4f} {r:.5f}" for w, r in zip(spex.wavelength, spex.reflectance, strict=True)]
    viewer.page.fill("#paste-input", "\n".join(rows))
    viewer.classify()

    assert viewer.page.get_attribute("#result", "data-state") == "done"
    assert viewer.page.inner_text("#result-main-group") == "Other"
    assert viewer.page.inner_text("#result-bus-class") == "–"
    details = viewer.page.inner_text("#result-details")
    assert "Bus-DeMeo class" in details
    assert "\nV (" in details
    assert "0.850–2.400 µm" in details
    notes = viewer.page.inner_text("#result-notes")
    assert "normalised at 1.2 µm" in notes
    # Drawn over the V template of DeMeo et al. (2009), both at unity at 1.2 µm.
    title = viewer.page.evaluate("document.getElementById('result-plot').layout.title.text")
    assert title == "Your spectrum over the Bus-DeMeo class V template"
    traces = viewer.traces("result-plot")
    assert [t["points"] for t in traces if t["name"] == "V mean"] == [41]
    unity = viewer.page.evaluate(
        "(() => { const t = document.getElementById('result-plot').data"
        ".find((d) => d.name === 'V mean'); return t.y[t.x.indexOf(1.2)]; })()"
    )
    assert unity == pytest.approx(1.0)
    assert viewer.wait_for_neighbours() == "error"  # not asked: no visible part
    assert "does not cover 0.55–0.80 µm" in viewer.page.inner_text("#neighbours-status")
    assert viewer.errors == []
