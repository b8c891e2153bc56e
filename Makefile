# Two commands: `make run` serves the app on SQLite with the bank loaded; `make test` runs
# the linter and the whole test suite. Both create .venv on first use.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_DEBUG ?= 1

.PHONY: run test load bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_content
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --skip-checks

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Load and durability test: two gunicorn servers on PostgreSQL (DATABASE_URL), or one on SQLite.
load: $(VENV)/.installed-dev
	$(BIN)/python loadtest/run.py

# Hot-path benchmark against a bare-Django reference in the same run (not part of make test).
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py $(if $(BENCH_SECONDS),--seconds $(BENCH_SECONDS),)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
