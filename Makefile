# The two entry points of the README: `make run` (the study) and `make test` (the suite).
# Both create .venv and install everything on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# PyTorch's CPU build; installed before the project so pip never pulls the CUDA one.
TORCH ?= torch==2.13.0

.PHONY: install run test test-all lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[dev,study,serve]"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/asteroid-spectra run

test: install
	$(BIN)/python -m pytest

test-all: install
	$(BIN)/python -m pytest -m "slow or not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

bench: install
	$(BIN)/python benchmarks/load_times.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
