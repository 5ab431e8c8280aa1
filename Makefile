# jixiao — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit webpg bench clean venv sysdeps

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The web app with demo data on http://127.0.0.1:8000 (SQLite in var/; set DATABASE_URL for PostgreSQL).
run: venv
	$(VENV)/bin/jixiao serve --demo --host 127.0.0.1 --port 8000

# LibreOffice, CJK fonts, poppler and Chromium for the report, audit and browser tests.
sysdeps:
	bash scripts/system-packages.sh

lint: venv
	$(VENV)/bin/ruff check src tests benchmarks

typecheck: venv
	$(VENV)/bin/mypy

unit: venv
	$(VENV)/bin/pytest -n 2 --dist loadgroup

# The web tests whose outcome the database decides (marked `postgresql`, see tests/web/conftest.py) once
# more against the real PostgreSQL server (pytest-django makes its own test database).
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
webpg: venv
	DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -n 2 tests/web -m "postgresql and not browser"

test: sysdeps lint typecheck unit webpg

bench: venv
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
