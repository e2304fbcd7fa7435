# Townsquare — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV        ?= .venv
PY          := $(VENV)/bin/python
UV          := $(VENV)/bin/uv
TS          := $(VENV)/bin/townsquare
PORT        ?= 8000
PG_URL      ?= postgres://postgres@127.0.0.1:5432/townsquare
export UV_PYTHON_DOWNLOADS := never
export OMP_NUM_THREADS ?= 1

# First interpreter >= 3.12 among the usual places (pyenv shims may fail, so each one is run).
PYTHON ?= $(shell for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3 python3; do \
	  if $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo $$c; break; fi; done)

.PHONY: run test test-sqlite test-postgres test-browser bench lint setup lock clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then echo "error: Townsquare needs Python >= 3.12; none found (tried python3.13, python3.12, ~/.pyenv/versions/3.1[23]*)." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) -c 'import sys; print(sys.version.split()[0])'))"
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	@[ -x $(UV) ] || $(PY) -m pip install -q --disable-pip-version-check uv==0.13.9
	$(UV) pip sync -q --compile-bytecode --python $(PY) requirements.lock
	$(UV) pip install -q --python $(PY) --no-deps -e .
	@# Byte-compile up front: start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
	$(PY) -m compileall -q src
	@touch $@

setup: $(VENV)/.installed

# Re-pin dependencies after editing pyproject.toml.
lock: $(VENV)/.installed
	$(UV) pip compile -q --python $(PY) pyproject.toml --extra dev -o requirements.lock

run: setup
	$(TS) run --port $(PORT)

test: setup
	$(PY) -m ruff check src tests bench
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-browser

test-sqlite: setup
	DATABASE_URL= $(PY) -m pytest -q -m "not browser" -n 2 tests

test-postgres: setup
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -m "db and not browser" -n 2 tests

test-browser: setup
	DATABASE_URL= $(PY) -m pytest -q -m browser tests

bench: setup
	$(PY) -m bench $(if $(ONLY),--only $(ONLY),)

lint: setup
	$(PY) -m ruff check src tests bench
	$(PY) -m ruff format --check src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
