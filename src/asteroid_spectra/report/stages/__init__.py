"""The stages of the study, each a function of the run's settings returning a Section.

Each stage calls the library the way a user would (load the data, build models by name,
evaluate them by repeated stratified cross-validation, run the latent-space study, the
cross-survey validation and the catalogue) and turns the results into numbers, tables and
figures. ``quick`` settings keep every code path and shrink the work: fewer folds and
repeats, fewer epochs, trials and seeds.

One module per stage (:mod:`.data`, :mod:`.classes`, :mod:`.supervised`, :mod:`.bus`,
:mod:`.tuning`, :mod:`.latent`, :mod:`.gaia`); what they share is in :mod:`.common`.
"""

from __future__ import annotations

from asteroid_spectra.report.stages.bus import bus_stage
from asteroid_spectra.report.stages.classes import classes_stage
from asteroid_spectra.report.stages.common import TUTORIAL_X_F1, Progress, Settings, Stage
from asteroid_spectra.report.stages.data import data_stage
from asteroid_spectra.report.stages.gaia import gaia_stage
from asteroid_spectra.report.stages.latent import latent_stage
from asteroid_spectra.report.stages.supervised import supervised_stage
from asteroid_spectra.report.stages.tuning import tuning_stage

__all__ = ["STAGES", "TUTORIAL_X_F1", "Progress", "Settings", "Stage"]

STAGES = (
    Stage("data", "Data and provenance", data_stage),
    Stage("classes", "Class statistics", classes_stage),
    Stage("supervised", "Supervised models", supervised_stage),
    Stage("bus", "Bus classes", bus_stage),
    Stage("tuning", "Tuning history", tuning_stage),
    Stage("latent", "Latent space", latent_stage),
    Stage("gaia", "Gaia DR3", gaia_stage),
)
"""The study, in order."""
