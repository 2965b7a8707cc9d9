"""Classify users' spectra: coverage handling, model family, results (CLI and HTTP API)."""

from asteroid_spectra.service.classifier import Classifier, classify
from asteroid_spectra.service.results import Classification

__all__ = ["Classification", "Classifier", "classify"]
