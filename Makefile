# The two commands of the README: `make run` and `make test`. Everything else serves them.
SHELL := /bin/bash
VENV := .venv
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi:app
export INSPECTION_ENV ?= development

.PHONY: setup setup-test run serve test test-unit lint format db-stop babel-extract babel-update demo \
	backup restore test-faults

setup:
	scripts/setup.sh
	$(FLASK) db upgrade

setup-test:
	scripts/setup.sh --test

run: setup
	$(FLASK) demo load --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

# gunicorn the way production runs it (behind an HTTPS reverse proxy), on the local port.
# gthread, one worker per core with 4 threads each: under the 213-user load (bench/load) it kept
# p50 at ~0.1 s where 3 or 5 sync workers queued for seconds (bench/README.md). Keep DB_POOL_SIZE
# (default 5) at least the thread count, or busy threads wait for a connection and get 503.
serve: setup
	$(VENV)/bin/gunicorn --worker-class gthread --workers 2 --threads 4 --bind 127.0.0.1:8000 \
		--access-logfile - wsgi:app

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

# Backups (inspection/ops/backup.py): a pg_dump -Fc of DATABASE_URL's database taken in one snapshot,
# the photo files its rows name, and a manifest of row counts, photo hashes and audit chain heads.
BACKUP_DIR ?= instance/backups
backup:
	$(FLASK) backup create --out $(BACKUP_DIR)

# Restore into DATABASE_URL's database (created when missing) and MEDIA_ROOT, both empty unless
# FORCE=1; the restored rows, files and audit chains are compared with the manifest.
restore:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=path/to/backup-folder [FORCE=1]" >&2; exit 2; }
	$(FLASK) backup restore "$(BACKUP)" $(if $(FORCE),--force)

# Outbox-like clients against gunicorn while PostgreSQL restarts, a worker dies, the pool runs dry
# and the media disk fills (tests/faults/run_faults.py). Root only, loopback only, a few minutes;
# its own cluster on port 55410 under /tmp, never the dev or test cluster.
test-faults: setup-test
	@test "$$(id -u)" = 0 || { echo "make test-faults needs root (tmpfs mount)" >&2; exit 2; }
	$(VENV)/bin/python -m tests.faults.run_faults $(FAULT_ARGS)

db-stop:
	scripts/db.sh stop dev
	scripts/db.sh stop test

# Translation workflow: extract, merge into the catalogues, fill in the .po files, commit them.
babel-extract:
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k _l --no-location --sort-output -o inspection/translations/messages.pot inspection templates

babel-update: babel-extract
	$(VENV)/bin/pybabel update -i inspection/translations/messages.pot -d inspection/translations --no-fuzzy-matching
