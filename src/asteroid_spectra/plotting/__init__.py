"""Static figures (matplotlib). Functions return figures; they never show or save them."""

from __future__ import annotations

from asteroid_spectra.plotting.metrics import plot_confusion_matrix, plot_per_class_f1
from asteroid_spectra.plotting.spectra import plot_spectra_by_class

__all__ = ["plot_confusion_matrix", "plot_per_class_f1", "plot_spectra_by_class"]
