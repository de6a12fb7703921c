#!/usr/bin/env bash
# Benchmarks on a throwaway PostgreSQL cluster (stopped however the run ends).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
pgdir=$(mktemp -d /tmp/lantern-bench-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=$(scripts/pg.sh start "$pgdir" "$port")
export DATABASE_URL="$url" LANTERN_TESTING=1 LANTERN_VAR_DIR=$pgdir/var
psql -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE lantern" postgres
$PY manage.py init_keys
$PY manage.py migrate -v0
status=0
for bench in bench/audit_append.py bench/intake_throughput.py bench/case_page_latency.py bench/case_list_latency.py bench/link_latency.py bench/match_dedupe.py bench/privacy_cost.py bench/oversight_flags.py bench/campaign_statistics.py \
    bench/backup_restore.py bench/scale.py bench/audit_merkle.py; do
  echo "== $bench"
  $PY "$bench" || status=1
done
exit $status
