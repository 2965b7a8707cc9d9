"""Static figures (matplotlib). Functions return figures; they never show or save them."""

from __future__ import annotations

from asteroid_spectra.plotting.spectra import plot_spectra_by_class

__all__ = ["plot_spectra_by_class"]
