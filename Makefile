# The commands README.md names. Each installs what it needs first, so a fresh
# Debian machine with Python 3.11+ needs nothing else.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Where the printed links point; follows HOST and PORT unless set (e.g. behind a proxy).
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test bench install install-test translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The compiled catalogues (.mo) are not committed; the app reads them from translations/.
translations: install
	$(BIN)/pro-service translations compile

run: install translations
	$(BIN)/pro-service db upgrade
	@BASE_URL='$(BASE_URL)' ./scripts/serve-demo $(BIN) $(HOST) $(PORT)

test: install-test translations
	./scripts/test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test translations
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance/*.db
