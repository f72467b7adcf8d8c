#!/usr/bin/env bash
# Set up everything the app (and with --test, the test suite) needs on Debian 12 as root:
# system packages, the virtualenv, compiled translations, the local PostGIS cluster and the schema.
# Idempotent: a second run installs nothing and only starts what is stopped.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

venv=.venv
python=${PYTHON:-python3}

# System packages: the database server only when no DATABASE_URL is given.
want=()
if [ -z "${DATABASE_URL:-}" ] || [ "$with_tests" = 1 ]; then
  want+=(postgresql-15 postgresql-15-postgis-3)
fi
if [ "$with_tests" = 1 ]; then
  # Debian's Chromium for Playwright (never `playwright install`), a CJK font for readable screenshots,
  # and GDAL's command-line client for the OGC API tests.
  want+=(chromium fonts-wqy-microhei gdal-bin)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node runs npm (vendored Leaflet) and the phone scripts' node:test tests; any node ≥ 18 will do.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root once to install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python packages, reinstalled only when the requirement files change.
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
reqs=requirements.txt
[ "$with_tests" = 1 ] && reqs=requirements-dev.txt
stamp="$venv/.installed-$(cat requirements.txt "$reqs" | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs"
  touch "$stamp"
fi

# Translations are compiled from the committed .po files, never committed themselves.
"$venv/bin/pybabel" -q compile -d inspection/translations

# Vendored front-end libraries from the npm registry (never a CDN).
scripts/vendor.sh

# The local clusters, unless an external database is configured.
if [ -z "${DATABASE_URL:-}" ]; then
  scripts/db.sh start dev
fi
if [ "$with_tests" = 1 ] && [ -z "${TEST_DATABASE_URL:-}" ]; then
  scripts/db.sh start test
fi
