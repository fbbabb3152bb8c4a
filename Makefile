# The two commands of the README: `make demo` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The report's browser test drives Debian's Chromium (no browser download at run time).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/veille demo demo-case

lint: $(STAMP)
	$(BIN)/ruff check veille tests bench
	$(BIN)/ruff format --check veille tests bench
	$(BIN)/mypy

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium

test: lint $(CHROMIUM)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/network.py
	$(BIN)/python bench/enrich.py
	$(BIN)/python bench/enrich_accuracy.py
	$(BIN)/python bench/activity.py
	$(BIN)/python bench/blackouts.py

clean:
	rm -rf $(VENV) demo-case demo-data
