#!/usr/bin/env bash
# Manage the project-local PostgreSQL 15 + PostGIS cluster.
#   scripts/db.sh start [dev|test]   install server packages if missing, init, start, create the database
#   scripts/db.sh stop  [dev|test]
#   scripts/db.sh url   [dev|test]   print the SQLAlchemy URL of that cluster's database
# The test cluster runs with fsync off (fast, disposable); the dev cluster keeps the defaults.
# Nothing here runs when DATABASE_URL is set: that database is used as it is.
set -euo pipefail

cmd=${1:-start}
kind=${2:-dev}
here=$(cd "$(dirname "$0")/.." && pwd)
pgbin=/usr/lib/postgresql/15/bin

case "$kind" in
  dev) port=${INSPECTION_PG_PORT:-54329}; dbname=inspection ;;
  test) port=${INSPECTION_TEST_PG_PORT:-54339}; dbname=inspection_test ;;
  *) echo "db.sh: unknown cluster '$kind' (dev or test)" >&2; exit 2 ;;
esac

# The postgres user must reach the data folder (initdb/postgres refuse to run as root). A checkout under a
# private folder such as /root is not reachable, so fall back to a folder under /tmp named after the checkout.
base="$here/instance"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$here" 2>/dev/null; then
  base="/tmp/inspection-$(printf '%s' "$here" | sha1sum | cut -c1-10)"
fi
datadir="$base/pgdata-$kind"
sockdir="$base/pgsock-$kind"
logfile="$base/postgres-$kind.log"

url() { printf 'postgresql+psycopg://postgres@127.0.0.1:%s/%s\n' "$port" "$dbname"; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_server() {
  if [ -x "$pgbin/initdb" ] && [ -f /usr/share/postgresql/15/extension/postgis.control ]; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "db.sh: PostgreSQL 15 + PostGIS 3 are missing; run as root once to install them" >&2
    exit 1
  fi
  echo "db.sh: installing postgresql-15 and postgresql-15-postgis-3 from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null
}

running() { as_postgres "$pgbin/pg_ctl" -D "$datadir" status >/dev/null 2>&1; }

start() {
  install_server
  mkdir -p "$base"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$base"; fi
  if [ ! -f "$datadir/PG_VERSION" ]; then
    as_postgres "$pgbin/initdb" -D "$datadir" -A trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
  fi
  as_postgres mkdir -p "$sockdir"
  if ! running; then
    opts="-k $sockdir -p $port -c listen_addresses=127.0.0.1"
    if [ "$kind" = test ]; then
      opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    if ! as_postgres "$pgbin/pg_ctl" -D "$datadir" -l "$logfile" -w -o "$opts" start >/dev/null; then
      echo "db.sh: the $kind cluster did not start (port $port busy? another checkout's cluster?):" >&2
      tail -n 5 "$logfile" >&2
      exit 1
    fi
  fi
  if ! as_postgres psql -h "$sockdir" -p "$port" -U postgres -Atqc \
      "select 1 from pg_database where datname = '$dbname'" postgres | grep -q 1; then
    as_postgres createdb -h "$sockdir" -p "$port" -U postgres "$dbname"
  fi
}

stop() {
  if [ -f "$datadir/PG_VERSION" ] && running; then
    as_postgres "$pgbin/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null
    echo "db.sh: stopped the $kind cluster"
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "db.sh: unknown command '$cmd' (start, stop, url)" >&2; exit 2 ;;
esac
