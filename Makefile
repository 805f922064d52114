# The two commands in the README: `make run` and `make test`. Each builds .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.musterm-installed

.PHONY: run test test-fast bench check clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "musterm needs Python 3.11 or newer: make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

## Open musterm on the bundled frameworks, with the user's own sessions folder (never inside the checkout);
## `make run SESSIONS=/tmp/mus-demo` uses another folder.
run: $(STAMP)
	$(BIN)/musterm $(if $(SESSIONS),--sessions '$(SESSIONS)')

## The whole test suite, slow adversarial tests included, in parallel
test: $(STAMP)
	$(BIN)/python -m pytest -n auto -q -p no:cacheprovider

## Quick loop for development: everything but the tests marked slow
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -q -m "not slow"

## Validate the bundled frameworks
check: $(STAMP)
	$(BIN)/musterm check frameworks/*.toml

## Benchmarks: print figures against baselines measured in the same run
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
