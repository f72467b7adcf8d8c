# The two commands of the README: `make run` and `make test`. Everything else serves them.
SHELL := /bin/bash
VENV := .venv
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi:app
export INSPECTION_ENV ?= development

.PHONY: setup setup-test run serve test test-unit lint format db-stop babel-extract babel-update demo

setup:
	scripts/setup.sh
	$(FLASK) db upgrade

setup-test:
	scripts/setup.sh --test

run: setup
	$(FLASK) demo load --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

# gunicorn the way production runs it (behind an HTTPS reverse proxy), on the local port.
serve: setup
	$(VENV)/bin/gunicorn --workers 3 --bind 127.0.0.1:8000 --access-logfile - wsgi:app

test: setup-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-unit: setup-test
	$(VENV)/bin/pytest tests/unit $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check inspection tests bench migrations
	$(VENV)/bin/ruff format --check inspection tests bench migrations

format:
	$(VENV)/bin/ruff check --fix inspection tests bench migrations
	$(VENV)/bin/ruff format inspection tests bench migrations

db-stop:
	scripts/db.sh stop dev
	scripts/db.sh stop test

# Translation workflow: extract, merge into the catalogues, fill in the .po files, commit them.
babel-extract:
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k _l --no-location --sort-output -o inspection/translations/messages.pot inspection templates

babel-update: babel-extract
	$(VENV)/bin/pybabel update -i inspection/translations/messages.pot -d inspection/translations --no-fuzzy-matching
