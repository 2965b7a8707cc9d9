"""The class-statistics stage: counts per main group and Bus class, spectra per class."""

from __future__ import annotations

import numpy as np

from asteroid_spectra import schema
from asteroid_spectra.report.sections import Section, Table, png
from asteroid_spectra.report.stages.common import Progress, Settings

__all__ = ["classes_stage"]


def classes_stage(settings: Settings, progress: Progress) -> Section:
    """Class statistics and the spectra of each class overlaid."""
    from asteroid_spectra.plotting import plot_spectra_by_class
    from asteroid_spectra.spectra.sets import load_spectra

    labelled = load_spectra("smass2").labelled()
    groups = labelled.labels(schema.MAIN_GROUP)
    bus = labelled.labels(schema.BUS_CLASS)
    main_counts = {g: int(np.sum(groups == g)) for g in schema.MAIN_GROUPS}
    bus_counts = {c: int(np.sum(bus == c)) for c in schema.BUS_CLASSES if np.any(bus == c)}
    progress(1, 3)
    main_figure = plot_spectra_by_class(labelled, by=schema.MAIN_GROUP)
    progress(2, 3)
    bus_figure = plot_spectra_by_class(labelled, by=schema.BUS_CLASS)
    progress(3, 3)
    largest = max(bus_counts, key=bus_counts.__getitem__)
    return Section(
        key="classes",
        title="Class statistics and spectra per class",
        summary=(
            f"The {len(labelled):,} labelled SMASSII spectra split into C {main_counts['C']}, "
            f"S {main_counts['S']}, X {main_counts['X']} and Other {main_counts['Other']}; "
            f"the Bus classes range from {min(bus_counts.values())} to "
            f"{bus_counts[largest]} spectra ({largest}). Overlaid spectra show each class's "
            "median and 16-84 % spread: S and V rise to a 1-µm band, C and X are flat to "
            "reddish and differ mostly in slope."
        ),
        numbers={"main_group_counts": main_counts, "bus_class_counts": bus_counts},
        tables=[
            Table(
                "Main groups", ["group", "spectra"], [[g, str(n)] for g, n in main_counts.items()]
            ),
            Table(
                "Bus classes", ["class", "spectra"], [[c, str(n)] for c, n in bus_counts.items()]
            ),
        ],
        figures=[
            png(
                main_figure,
                "Spectra by main group",
                "Every labelled spectrum (thin), the "
                "median (thick) and the 16-84 % band, normalised at 0.55 µm.",
            ),
            png(bus_figure, "Spectra by Bus class", "The same, one panel per Bus class."),
        ],
    )
