"""A main-group model trained on every visible survey, each corrected onto SMASSII.

:func:`multi_survey_target` turns the labelled spectra of every visible survey
(:func:`~asteroid_spectra.spectra.survey_spectra.survey_spectra`: 0.52-0.88 µm) into
training data: each survey is divided by its instrument correction onto SMASSII's scale,
learnt from the asteroids it shares with SMASSII
(:func:`~asteroid_spectra.models.loso.corrections`), and each spectrum keeps its asteroid,
so cross-validation can be grouped by asteroid. ``asteroid-spectra train --multi-survey``
trains and saves such a model; :func:`multi_survey_card` describes its data in the card.
Its leave-one-survey-out and grouped numbers are in ``benchmarks/loso.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.models.loso import apply_corrections, corrections
from asteroid_spectra.models.targets import TargetData
from asteroid_spectra.spectra.survey_spectra import SurveySpectra

__all__ = ["multi_survey_card", "multi_survey_target"]


def multi_survey_target(data: SurveySpectra) -> tuple[TargetData, dict[str, npt.NDArray[Any]]]:
    """Return every survey's labelled spectra, corrected onto SMASSII, as main-group data.

    Parameters
    ----------
    data : SurveySpectra
        Labelled spectra of the surveys, on one grid.

    Returns
    -------
    (TargetData, dict)
        The corrected spectra (``objects``: their rows, with ``object_id`` and ``survey``;
        ``fine``: the nearest Bus classes) and each survey's correction factors.
    """
    factors = corrections(data, np.arange(len(data)), list(data.surveys))
    X = apply_corrections(data, np.arange(len(data)), factors)
    target = TargetData(
        target="main-group",
        X=X,
        y=data.rows["main_group"].to_numpy(dtype=object),
        fine=data.rows["fine"].to_numpy(dtype=object),
        wavelength=data.wavelength,
        objects=data.rows,
        excluded=pd.DataFrame(),
        excluded_X=np.empty((0, data.wavelength.size)),
    )
    return target, factors


def multi_survey_card(
    card: dict[str, Any], data: SurveySpectra, factors: dict[str, npt.NDArray[Any]]
) -> dict[str, Any]:
    """Return `card` with its training data described as the surveys' spectra.

    The section lists each survey's spectra, label sources, files (with sha256) and the
    correction factors applied; the citations of every survey replace SMASSII's.
    """
    from asteroid_spectra.data.datasets import source
    from asteroid_spectra.data.registry import collection

    rows = data.rows
    surveys = list(data.surveys)
    return card | {
        "training_data": {
            "surveys": {
                survey: {
                    "n_spectra": int((rows[schema.SURVEY] == survey).sum()),
                    "label_sources": {
                        str(k): int(v)
                        for k, v in rows.loc[rows[schema.SURVEY] == survey, "label_source"]
                        .value_counts()
                        .items()
                    },
                    "correction": [round(float(f), 5) for f in factors[survey]],
                }
                for survey in surveys
            },
            "labels": "by asteroid identity: Bus 2002, else PRIMASS-L's own, Bus-DeMeo, "
            "PRIMASS-L, Tholen (asteroid_spectra.spectra.survey_spectra)",
            "n_spectra": len(rows),
            "n_asteroids": int(rows[schema.OBJECT_ID].nunique()),
            "files": [
                {"name": f.name, "sha256": f.sha256}
                for name in [*surveys, "tholen1984"]
                for f in collection(name)
            ],
        },
        "citation": "; ".join(source(name).citation for name in surveys),
    }
