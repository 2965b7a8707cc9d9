"""The package version, in one place (read by the packaging, the caches and the cards)."""

__version__ = "0.1.0"
