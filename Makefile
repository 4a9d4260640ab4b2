# pytest-schemafed: make demo | make test | make bench | make wheels
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz wheels clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## demo: the gate on the shipped example (a git repo made in a temp folder), exits 0
demo: $(STAMP)
	$(PY) examples/demo/run_demo.py

## lint: ruff and mypy
lint: $(STAMP)
	$(VENV)/bin/ruff check pytest_schemafed tests benchmarks examples action setup.py build_backend
	$(VENV)/bin/mypy

## test: lint, then the whole test suite
test: lint
	$(PY) -m pytest -n 2 -q tests

## fuzz: the long fuzz campaign of the parsers (100,000 mutated schemas per format; `make test` runs a few hundred)
fuzz: $(STAMP)
	$(PY) -m tests.fuzz.run --executions 100000

## bench: speed ratios against the anchors named in the issues (not part of test)
bench: $(STAMP)
	$(PY) benchmarks/run.py

## wheels: into dist/, the wheel with the compiled Avro engine (mypyc) for this platform, and the pure one
wheels: $(STAMP)
	SCHEMAFED_MYPYC=1 $(PY) -m pip wheel --quiet --no-deps --wheel-dir dist .
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) .bench build dist *.egg-info
