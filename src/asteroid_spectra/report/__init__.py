"""The one-command study: every stage, cached, into a self-contained HTML report.

Importing the package loads none of its modules: each name loads its module on first use
(:func:`lazy_loader.attach`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra.report.sections import Figure as Figure
    from asteroid_spectra.report.sections import Section as Section
    from asteroid_spectra.report.sections import Table as Table
    from asteroid_spectra.report.stages import STAGES as STAGES
    from asteroid_spectra.report.stages import Settings as Settings
    from asteroid_spectra.report.stages import Stage as Stage
    from asteroid_spectra.report.study import StudyReport as StudyReport
    from asteroid_spectra.report.study import run_study as run_study
else:
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        submod_attrs={
            "sections": ["Figure", "Section", "Table"],
            "stages": ["STAGES", "Settings", "Stage"],
            "study": ["StudyReport", "run_study"],
        },
    )
