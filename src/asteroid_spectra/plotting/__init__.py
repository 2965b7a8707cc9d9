"""Static figures (matplotlib). Functions return figures; they never show or save them.

Importing the package loads none of its modules: each name loads its module on first use
(:func:`lazy_loader.attach`), so importing it does not import matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra.plotting.calibration import plot_reliability as plot_reliability
    from asteroid_spectra.plotting.data import plot_flagged_fraction as plot_flagged_fraction
    from asteroid_spectra.plotting.instrument import plot_correction as plot_correction
    from asteroid_spectra.plotting.metrics import plot_confusion_matrix as plot_confusion_matrix
    from asteroid_spectra.plotting.metrics import plot_per_class_f1 as plot_per_class_f1
    from asteroid_spectra.plotting.metrics import plot_x_f1_comparison as plot_x_f1_comparison
    from asteroid_spectra.plotting.spectra import plot_spectra_by_class as plot_spectra_by_class
    from asteroid_spectra.plotting.tuning import plot_tuning_history as plot_tuning_history
else:
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        submod_attrs={
            "calibration": ["plot_reliability"],
            "data": ["plot_flagged_fraction"],
            "instrument": ["plot_correction"],
            "metrics": ["plot_confusion_matrix", "plot_per_class_f1", "plot_x_f1_comparison"],
            "spectra": ["plot_spectra_by_class"],
            "tuning": ["plot_tuning_history"],
        },
    )
