"""run_study with small fake stages: failures reported, results cached, HTML self-contained."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asteroid_spectra.report import Section, Settings, Stage, Table, run_study
from asteroid_spectra.report.sections import png

CALLS: list[str] = []


def _ok(settings: Settings, progress) -> Section:
    from matplotlib.figure import Figure

    CALLS.append(f"ok-{settings.seed}")
    progress(1, 1)
    figure = Figure(figsize=(3, 2))
    figure.subplots().plot([0, 1], [1, settings.seed])
    return Section(
        key="ok",
        title="A stage that works",
        summary="It draws a line <b>and</b> reports a number.",
        numbers={"value": settings.seed, "quick": settings.quick},
        tables=[Table("Numbers", ["name", "value"], [["seed", str(settings.seed)]])],
        figures=[png(figure, "Line", "A straight line.")],
    )


def _broken(settings: Settings, progress) -> Section:
    CALLS.append("broken")
    raise RuntimeError("the data went missing")


STAGES = (Stage("ok", "A stage that works", _ok), Stage("broken", "A broken stage", _broken))


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()


def test_a_failing_stage_is_reported_and_the_rest_runs(tmp_path: Path) -> None:
    report = run_study(tmp_path / "out", stages=STAGES, cache_dir=tmp_path / "cache")
    assert report.failed == ["broken"]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["sections"]["ok"]["status"] == "ok"
    assert results["sections"]["ok"]["numbers"] == {"value": 0, "quick": False}
    broken = results["sections"]["broken"]
    assert broken["status"] == "failed"
    assert "RuntimeError: the data went missing" in broken["summary"]
    assert "the data went missing" in broken["error"]
    html = (tmp_path / "out" / "index.html").read_text()
    assert 'id="broken" class="status-failed"' in html
    assert "1 stage(s) failed: broken" in html
    assert "RuntimeError: the data went missing" in html
    # User text is escaped; figures are inline PNGs; nothing is fetched from elsewhere.
    assert "&lt;b&gt;and&lt;/b&gt;" in html
    assert html.count('src="data:image/png;base64,') == 1
    assert "http://" not in html
    assert "https://" not in html


def test_reruns_reuse_cached_stages_but_not_failed_ones(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run_study(tmp_path / "a", stages=STAGES, cache_dir=cache)
    assert CALLS == ["ok-0", "broken"]
    again = run_study(tmp_path / "b", stages=STAGES, cache_dir=cache)
    assert CALLS == ["ok-0", "broken", "broken"]  # the failed stage is retried
    assert [s.cached for s in again.sections] == [True, False]
    other = run_study(tmp_path / "c", stages=STAGES, settings=Settings(seed=3), cache_dir=cache)
    assert CALLS[-2:] == ["ok-3", "broken"]  # another seed is another result
    assert other.sections[0].numbers["value"] == 3


def test_a_corrupt_cache_entry_is_recomputed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run_study(tmp_path / "a", stages=STAGES[:1], cache_dir=cache)
    (entry,) = cache.glob("ok-*.json")
    entry.write_text("{not json")
    run_study(tmp_path / "b", stages=STAGES[:1], cache_dir=cache)
    assert CALLS == ["ok-0", "ok-0"]
    assert json.loads(entry.read_text())["key"] == "ok"


def test_progress_reaches_the_callback(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    finished: list[str] = []
    run_study(
        tmp_path / "out",
        stages=STAGES,
        cache_dir=tmp_path / "cache",
        progress=lambda key, done, total: seen.append((key, done, total)),
        on_stage=lambda section: finished.append(section.key),
    )
    assert seen == [("ok", 1, 1)]
    assert finished == ["ok", "broken"]


@pytest.mark.parametrize(
    ("quick", "folds", "repeats", "trials", "seeds"), [(False, 5, 3, 20, 5), (True, 3, 1, 4, 2)]
)
def test_quick_settings_shrink_the_work(
    quick: bool, folds: int, repeats: int, trials: int, seeds: int
) -> None:
    settings = Settings(quick=quick)
    assert (settings.folds, settings.repeats, settings.trials, settings.cluster_seeds) == (
        folds,
        repeats,
        trials,
        seeds,
    )
    assert settings.key() == {"seed": 0, "quick": quick}
