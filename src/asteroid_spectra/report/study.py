"""Run the study: every stage, cached by inputs and code, into index.html and results.json.

A stage's result is cached under ``<cache>/report/`` keyed by the stage, the run settings
(seed, quick), the sha256 of every registered data file and a digest of the package's
source code, so a rerun with nothing changed reuses it and a code or data change reruns
it. A stage that raises is recorded as failed with its error; the others still run.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asteroid_spectra.data.jsonable import json_default
from asteroid_spectra.report.sections import Section
from asteroid_spectra.report.stages import STAGES, Settings, Stage

__all__ = ["StudyReport", "code_digest", "run_study"]

StageProgress = Callable[[str, int, int], None]
"""``(stage_key, done, total)`` progress callback."""


def code_digest() -> str:
    """Digest of the package's Python sources (changes when any code changes)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _stage_key(stage: Stage, settings: Settings, code: str) -> str:
    from asteroid_spectra._version import __version__
    from asteroid_spectra.data.registry import REGISTRY

    key = {
        "stage": stage.key,
        "settings": settings.key(),
        "package": __version__,
        "code": code,
        "data": sorted(f.sha256 for f in REGISTRY.values()),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


class StudyReport:
    """The finished study: its sections and run metadata."""

    def __init__(self, sections: list[Section], meta: dict[str, Any]) -> None:
        self.sections = sections
        self.meta = meta

    @property
    def failed(self) -> list[str]:
        """Keys of the stages that failed."""
        return [s.key for s in self.sections if s.status != "ok"]

    def results(self) -> dict[str, Any]:
        """Every number of the study, JSON-ready (``results.json``)."""
        return {
            "meta": self.meta,
            "sections": {
                s.key: {
                    "title": s.title,
                    "status": s.status,
                    "summary": s.summary,
                    "seconds": s.seconds,
                    "cached": s.cached,
                    "error": s.error,
                    "numbers": s.numbers,
                }
                for s in self.sections
            },
        }


def _run_stage(stage: Stage, settings: Settings, progress: StageProgress) -> Section:
    from threadpoolctl import threadpool_limits

    from asteroid_spectra.models.torch_training import torch_session

    start = time.perf_counter()
    try:
        with threadpool_limits(1), torch_session(settings.seed):
            section = stage.run(settings, lambda done, total: progress(stage.key, done, total))
    except Exception as error:  # a failed stage is reported, the rest still runs
        section = Section(
            key=stage.key,
            title=stage.title,
            status="failed",
            summary=f"This stage failed: {type(error).__name__}: {error}",
            error="".join(traceback.format_exception(error)[-6:]),
        )
    section.seconds = time.perf_counter() - start
    return section


def run_study(
    output: str | Path,
    *,
    settings: Settings | None = None,
    stages: Sequence[Stage] = STAGES,
    cache_dir: Path | None = None,
    progress: StageProgress | None = None,
    on_stage: Callable[[Section], None] | None = None,
) -> StudyReport:
    """Run the stages and write ``index.html`` and ``results.json`` to `output`.

    Parameters
    ----------
    output : str or Path
        Directory of the report (created).
    settings : Settings, optional
        Seed and quick mode.
    stages : sequence of Stage
        Which stages (default: all of :data:`~asteroid_spectra.report.stages.STAGES`).
    cache_dir : Path, optional
        Where stage results are cached (default ``<cache>/report``).
    progress : callable, optional
        ``progress(stage_key, done, total)`` during a stage.
    on_stage : callable, optional
        Called with each finished section.

    Returns
    -------
    StudyReport
    """
    from asteroid_spectra._version import __version__
    from asteroid_spectra.config import get_settings
    from asteroid_spectra.data.cache import cached
    from asteroid_spectra.data.files import atomic_path
    from asteroid_spectra.report.html import render

    settings = Settings() if settings is None else settings
    cache = (get_settings().cache_dir / "report") if cache_dir is None else cache_dir
    code = code_digest()
    started = time.perf_counter()
    sections = []
    report_progress: StageProgress = progress or (lambda key, done, total: None)
    for stage in stages:
        path = cache / f"{stage.key}-{_stage_key(stage, settings, code)}.json"

        def run(stage: Stage = stage) -> Section:
            return _run_stage(stage, settings, report_progress)

        section = cached(path, run, load=_load_section, save=_save_section, memory=False)
        sections.append(section)
        if on_stage is not None:
            on_stage(section)
    meta = {
        "package": f"asteroid-spectra {__version__}",
        "code": code,
        "seed": settings.seed,
        "quick": settings.quick,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
    }
    report = StudyReport(sections, meta)
    directory = Path(output)
    directory.mkdir(parents=True, exist_ok=True)
    with atomic_path(directory / "results.json") as temporary:
        temporary.write_text(json.dumps(report.results(), indent=1, default=json_default))
    with atomic_path(directory / "index.html") as temporary:
        temporary.write_text(render(report), encoding="utf-8")
    return report


def _load_section(path: Path) -> Section:
    """Read a cached section (marked ``cached``); an unreadable entry is a DataError."""
    from asteroid_spectra.exceptions import DataError

    try:
        section = Section.from_dict(json.loads(path.read_text()))
    except (ValueError, TypeError, KeyError) as error:
        raise DataError(f"{path} is not a cached report section ({error}).") from None
    section.cached = True
    return section


def _save_section(section: Section, path: Path) -> None:
    """Cache a section that ran; a failed one is not cached, so it runs again next time."""
    from asteroid_spectra.data.files import atomic_path

    if section.status == "ok":
        with atomic_path(path) as temporary:
            temporary.write_text(json.dumps(section.to_dict(), default=json_default))
