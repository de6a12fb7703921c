#!/usr/bin/env bash
# The whole suite on SQLite (with the browser tests in Debian's Chromium), then again on a
# throwaway PostgreSQL cluster. The cluster is stopped however the tests end.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
pgdir=$(mktemp -d /tmp/lantern-pg.XXXXXX)
cleanup() { scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir"; }
trap cleanup EXIT
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=$(scripts/pg.sh start "$pgdir" "$port") || { echo "PostgreSQL did not start"; cat "$pgdir/log"; exit 1; }
export LANTERN_TESTING=1 LANTERN_VAR_DIR=$(mktemp -d /tmp/lantern-var.XXXXXX)
# Two workers (pytest-xdist): the suite stays under 20 minutes on a 2-core machine (serial it
# took ~9 min per database with issue 13's tests). LANTERN_TEST_WORKERS=0 runs it serially.
workers=(-n "${LANTERN_TEST_WORKERS:-2}")
status=0
echo "== lint"
.venv/bin/ruff check lantern tests bench || status=1
echo "== the layer order of the apps and no import cycles (import-linter)"
.venv/bin/lint-imports --no-cache || status=1
echo "== SQLite: the whole suite, browser tests included"
$PY -m pytest -p no:cacheprovider "${workers[@]}" "$@" || status=1
echo "== PostgreSQL: the whole suite but the browser tests and those that never reach the database"
DATABASE_URL="$url" LANTERN_DATABASE_TESTS_ONLY=1 $PY -m pytest -p no:cacheprovider "${workers[@]}" -m "not browser" "$@" || status=1
rm -rf "$LANTERN_VAR_DIR"
exit $status
