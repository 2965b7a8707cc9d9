"""The one-command study: every stage, cached, into a self-contained HTML report."""

from __future__ import annotations

from asteroid_spectra.report.sections import Figure, Section, Table
from asteroid_spectra.report.stages import STAGES, Settings, Stage
from asteroid_spectra.report.study import StudyReport, run_study

__all__ = ["STAGES", "Figure", "Section", "Settings", "Stage", "StudyReport", "Table", "run_study"]
