#!/usr/bin/env bash
# Lantern's production configuration on one machine, started and stopped by one command:
#
#   deploy/production.sh start DIR    make what is missing (TLS certificate, secret key, keys,
#                                     database roles), migrate, collect the static files, then
#                                     start gunicorn, nginx and the job worker
#   deploy/production.sh stop DIR     stop them, and the PostgreSQL cluster start made
#   deploy/production.sh status DIR
#
# Everything lives under DIR: etc/ (nginx.conf, lantern.env, secrets), tls/, log/, run/ (pids),
# var/ (LANTERN_VAR_DIR: keys, evidence, static), pg/ (a cluster of its own). Ports are
# unprivileged and nothing outside DIR is written, so an unprivileged service account runs it;
# as root (a test machine), nginx's workers drop to nobody and the rest runs as root.
#
# Environment (all optional):
#   DATABASE_URL             the owner role, which runs the migrations and (CREATEROLE) makes the
#                            application's role; unset: a cluster of its own in DIR/pg (scripts/pg.sh)
#   LANTERN_APP_DB_USER      the application's role (default lantern_app); its password is generated
#                            into DIR/etc/app-db-password
#   LANTERN_APP_DATABASE_URL the application's role made by the DBA instead (start only grants)
#   LANTERN_HTTPS_PORT, LANTERN_HTTP_PORT   nginx (default 8443, 8080; http only redirects)
#   LANTERN_SERVER_NAME      the name staff use (default localhost)
#   LANTERN_TLS_CERT, LANTERN_TLS_KEY       a real certificate; unset: a local CA and a
#                            certificate for localhost and 127.0.0.1 are made in DIR/tls (trust tls/ca.pem)
#   LANTERN_GUNICORN_PORT, LANTERN_GUNICORN_WORKERS   (default a free loopback port, 3 workers)
#   LANTERN_* settings (README, "Configuration") pass through to gunicorn and the worker.
#
# Operators run management commands as the application with its environment:
#   (. DIR/etc/lantern.env && .venv/bin/python manage.py audit_verify)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${LANTERN_PYTHON:-$ROOT/.venv/bin/python}
NGINX=${LANTERN_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

usage() { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }
say() { printf 'production: %3ss %s\n' "$SECONDS" "$*"; }
die() { echo "production: $*" >&2; exit 1; }

[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
ETC=$DIR/etc RUN=$DIR/run LOG=$DIR/log TLS=$DIR/tls VAR=$DIR/var PGDIR=$DIR/pg
STATIC=$VAR/static

# --- processes --------------------------------------------------------------------------

pid_of() { [ -s "$RUN/$1.pid" ] && cat "$RUN/$1.pid"; }
alive() { local pid; pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null; }

# Sends SIGNAL to NAME's pid (GROUP=1: its whole process group), if it runs.
signal() {
  local pid
  pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null || return 0
  if [ "${3:-0}" = 1 ]; then kill "-$2" -- "-$pid" 2>/dev/null || true; else kill "-$2" "$pid" 2>/dev/null || true; fi
}

# Waits up to 15 s for NAME to end, then kills it (GROUP=1: its process group).
reap() {
  local pid
  pid=$(pid_of "$1") || return 0
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || { rm -f "$RUN/$1.pid"; return 0; }; sleep 0.1; done
  say "$1 did not stop within 15 s: killed"
  if [ "${2:-0}" = 1 ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$RUN/$1.pid"
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits until URL answers at all (any HTTP status); CA verifies https.
wait_http() {
  "$PY" - "$1" "${2:-}" <<'EOF' || die "no answer from $1 (see $LOG)"
import ssl, sys, time, urllib.error, urllib.request
url, ca = sys.argv[1], sys.argv[2]
# Without a CA of its own (an operator's certificate for another name) only liveness is asked.
context = ssl.create_default_context(cafile=ca) if ca else ssl._create_unverified_context()
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args): return None
opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
for _ in range(300):
    try:
        opener.open(url, timeout=2)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
}

# --- pieces made once --------------------------------------------------------------------

secret_file() {  # a random value in a file only the owner reads
  [ -s "$1" ] || (umask 077 && "$PY" -c 'import secrets, sys; print(secrets.token_urlsafe(int(sys.argv[1])))' "$2" >"$1")
}

make_tls() {
  if [ -n "${LANTERN_TLS_CERT:-}" ]; then
    CERT=$LANTERN_TLS_CERT KEY=${LANTERN_TLS_KEY:?LANTERN_TLS_KEY goes with LANTERN_TLS_CERT} CA=""
    return
  fi
  CERT=$TLS/server.pem KEY=$TLS/server.key CA=$TLS/ca.pem
  [ -s "$CERT" ] && [ -s "$KEY" ] && [ -s "$CA" ] && return
  local names="DNS:localhost,IP:127.0.0.1,IP:::1"
  [ "$SERVER_NAME" = localhost ] || names="DNS:$SERVER_NAME,$names"
  say "making a local CA and a certificate for $names in $TLS (openssl's words in $LOG/openssl.log)"
  (
    umask 077
    cd "$TLS"
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -sha256 \
      -subj "/CN=Lantern local CA" -keyout ca.key -out ca.pem \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>>"$LOG/openssl.log"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
      -subj "/CN=$SERVER_NAME" -keyout server.key -out server.csr 2>>"$LOG/openssl.log"
    printf '%s\n' "subjectAltName=$names" \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 397 -sha256 \
      -extfile server.ext -out server.pem 2>>"$LOG/openssl.log"
    rm -f server.csr server.ext
    chmod 644 ca.pem server.pem
  )
}

# --- PostgreSQL ----------------------------------------------------------------------------

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A URL with another user and password (the application's role on the owner's database).
with_user() {  # USER PASSWORD_FILE URL
  "$PY" - "$@" <<'EOF'
import sys, urllib.parse as u
user, password_file, url = sys.argv[1:]
p = u.urlsplit(url)
host = f"[{p.hostname}]" if ":" in (p.hostname or "") else (p.hostname or "")
port = f":{p.port}" if p.port else ""
secret = u.quote(open(password_file).read().strip(), safe="")
print(u.urlunsplit((p.scheme, f"{u.quote(user)}:{secret}@{host}{port}", p.path, p.query, "")))
EOF
}

own_cluster() {  # DIR/pg: made by scripts/pg.sh the first time, started with pg_ctl after
  local port admin
  [ -s "$ETC/pg-port" ] || free_port >"$ETC/pg-port"
  port=$(cat "$ETC/pg-port")
  if [ -d "$PGDIR/data" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1 ||
      as_pg "$(pg_bin)/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PGDIR" start >/dev/null
  else
    say "making a PostgreSQL cluster in $PGDIR (port $port)"
    "$ROOT/scripts/pg.sh" start "$PGDIR" "$port" >/dev/null
  fi
  secret_file "$ETC/pg-superuser-password" 32
  secret_file "$ETC/owner-db-password" 32
  admin=$(with_user postgres "$ETC/pg-superuser-password" "postgres://127.0.0.1:$port/postgres")
  ADMIN_URL=$admin ADMIN_PASSWORD_FILE="$ETC/pg-superuser-password" OWNER_NAME=lantern_owner \
    DATABASE_NAME=lantern OWNER_PASSWORD_FILE="$ETC/owner-db-password" "$PY" "$ROOT/deploy/roles.py" bootstrap
  # scripts/pg.sh trusts every local connection (fine for a throwaway cluster); this one
  # asks every role for its password, the superuser's included.
  printf '%s\n' "# deploy/production.sh: every role gives its password (they are in $ETC)" \
    "local all all scram-sha-256" "host all all 127.0.0.1/32 scram-sha-256" "host all all ::1/128 scram-sha-256" |
    as_pg tee "$PGDIR/data/pg_hba.conf" >/dev/null
  as_pg "$(pg_bin)/pg_ctl" -D "$PGDIR/data" reload >/dev/null
  OWNER_URL=$(with_user lantern_owner "$ETC/owner-db-password" "postgres://127.0.0.1:$port/lantern")
}

database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    OWNER_URL=$DATABASE_URL
  else
    own_cluster
  fi
  APP_NAME=${LANTERN_APP_DB_USER:-lantern_app}
  if [ -n "${LANTERN_APP_DATABASE_URL:-}" ]; then
    APP_URL=$LANTERN_APP_DATABASE_URL
    APP_NAME=$("$PY" -c 'import sys, urllib.parse as u; print(u.unquote(u.urlsplit(sys.argv[1]).username))' "$APP_URL")
  else
    secret_file "$ETC/app-db-password" 32
    OWNER_URL=$OWNER_URL APP_NAME=$APP_NAME APP_PASSWORD_FILE="$ETC/app-db-password" "$PY" "$ROOT/deploy/roles.py" app-role
    APP_URL=$(with_user "$APP_NAME" "$ETC/app-db-password" "$OWNER_URL")
  fi
}

# --- start -----------------------------------------------------------------------------

write_env() {  # what gunicorn, the worker and an operator's manage.py share
  local suffix=":$HTTPS_PORT"
  [ "$HTTPS_PORT" = 443 ] && suffix=""
  (
    umask 077
    {
      echo "# Lantern's production environment (deploy/production.sh writes it at every start)."
      printf 'export %s=%q\n' \
        LANTERN_VAR_DIR "$VAR" \
        LANTERN_SECRET_KEY_FILE "$ETC/secret_key" \
        LANTERN_BEHIND_TLS_PROXY 1 \
        LANTERN_STATIC_BY_PROXY 1 \
        LANTERN_ALLOWED_HOSTS "${LANTERN_ALLOWED_HOSTS:-$SERVER_NAME,localhost,127.0.0.1}" \
        LANTERN_PUBLIC_URL "${LANTERN_PUBLIC_URL:-https://$SERVER_NAME$suffix}" \
        DATABASE_URL "$APP_URL"
    } >"$ETC/lantern.env"
  )
  HTTPS_SUFFIX=$suffix
}

manage() { (cd "$ROOT" && "$PY" manage.py "$@"); }

prepare_app() {
  # Side by side (Django takes seconds to start, and migrating waits on PostgreSQL): the
  # migrations as the owner, and in one more Python the keys (before any process could make
  # its own), the static files nginx serves and Django's deployment checks.
  say "migrating as the owner role; keys, static files and deployment checks beside it"
  (
    . "$ETC/lantern.env"
    umask 022
    manage shell -v0 -c "from django.core.management import call_command as run
run('init_keys')
run('collectstatic', interactive=False, verbosity=0)
run('check', deploy=True, fail_level='ERROR')" >"$LOG/check-deploy.log" 2>&1
    "$PY" "$ROOT/deploy/precompress.py" "$STATIC" >>"$LOG/check-deploy.log"
  ) &
  local beside=$!
  (. "$ETC/lantern.env" && DATABASE_URL=$OWNER_URL manage migrate --noinput -v0)
  wait "$beside" || { cat "$LOG/check-deploy.log" >&2; die "keys, static files or deployment checks failed"; }
  cat "$LOG/check-deploy.log"
  OWNER_URL=$OWNER_URL APP_NAME=$APP_NAME "$PY" "$ROOT/deploy/roles.py" grant
}

render_nginx() {
  local user_line=""
  if [ "$(id -u)" -eq 0 ]; then
    user_line="user nobody nogroup;"
    chmod -R a+rX "$STATIC"
    runuser -u nobody -- test -r "$STATIC/staticfiles.json" ||
      die "nginx's workers (nobody) cannot read $STATIC: put DIR where every user may pass through"
  fi
  sed -e "s|@USER@|$user_line|" -e "s|@RUN@|$RUN|g" -e "s|@LOG@|$LOG|g" -e "s|@VAR_DIR@|$VAR|g" \
      -e "s|@HTTP_PORT@|$HTTP_PORT|g" -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" -e "s|@HTTPS_SUFFIX@|$HTTPS_SUFFIX|g" \
      -e "s|@SERVER_NAME@|$SERVER_NAME|g" -e "s|@CERT@|$CERT|g" -e "s|@KEY@|$KEY|g" \
      -e "s|@UPSTREAM@|127.0.0.1:$GUNICORN_PORT|g" -e "s|@MAX_BODY@|$((${LANTERN_EVIDENCE_MAX_MB:-50} + 2))m|g" \
      -e "s|@HSTS_SECONDS@|${LANTERN_HSTS_SECONDS:-31536000}|g" \
      "$ROOT/deploy/nginx.conf.in" >"$ETC/nginx.conf"
  "$NGINX" -t -q -p "$DIR" -c "$ETC/nginx.conf" -e "$LOG/nginx-error.log"
}

start_gunicorn() {
  (
    . "$ETC/lantern.env"
    "$(dirname "$PY")/gunicorn" lantern.wsgi -c "$ROOT/gunicorn.conf.py" --chdir "$ROOT" \
      -b "127.0.0.1:$GUNICORN_PORT" -w "${LANTERN_GUNICORN_WORKERS:-3}" --preload --graceful-timeout 10 \
      --pid "$RUN/gunicorn.pid" --no-control-socket \
      --error-logfile "$LOG/gunicorn.log" --capture-output --daemon
  )
  wait_http "http://127.0.0.1:$GUNICORN_PORT/"
}

start_worker() {  # in the background: it starts while gunicorn does (wait_worker)
  WORKER=0
  if ! ls "$ROOT"/lantern/*/management/commands/run_worker.py >/dev/null 2>&1; then
    say "WARNING: no run_worker command in this checkout: no job worker started (periodic jobs will not run)"
    return
  fi
  WORKER_LOGGED=$(stat -c %s "$LOG/worker.log" 2>/dev/null || echo 0)
  # Its own session and process group, so that stop reaches anything it starts.
  (. "$ETC/lantern.env" && cd "$ROOT" && exec setsid "$PY" manage.py run_worker </dev/null >>"$LOG/worker.log" 2>&1) &
  echo $! >"$RUN/worker.pid"
  WORKER=1
}

wait_worker() {  # up when it first logs (its schedule); one that cannot start logs why and ends
  [ "$WORKER" = 1 ] || return 0
  for _ in $(seq 600); do
    [ "$(stat -c %s "$LOG/worker.log" 2>/dev/null || echo 0)" -gt "$WORKER_LOGGED" ] && break
    alive worker || break
    sleep 0.1
  done
  sleep 0.5
  alive worker || die "the worker stopped (see $LOG/worker.log)"
}

failed() {
  local rc=$?
  [ "$rc" -eq 0 ] && return
  say "start failed: stopping what it started"
  stop
  exit "$rc"
}

start() {
  for name in nginx gunicorn worker; do
    alive "$name" && die "$name is already running (pid $(pid_of "$name")): stop first"
  done
  unset LANTERN_TESTING LANTERN_DEBUG  # never in production, whatever the calling shell had
  mkdir -p "$ETC" "$RUN/nginx-temp" "$LOG" "$TLS" "$VAR"
  chmod 700 "$ETC" "$TLS" "$LOG"
  # Others may pass through (not list) DIR, var/ and run/: as root, nginx's workers (nobody)
  # read var/static/ and write run/nginx-temp/, and PostgreSQL (postgres) keeps pg/.
  chmod 711 "$DIR" "$VAR" "$RUN"
  HTTPS_PORT=${LANTERN_HTTPS_PORT:-8443} HTTP_PORT=${LANTERN_HTTP_PORT:-8080}
  SERVER_NAME=${LANTERN_SERVER_NAME:-localhost}
  GUNICORN_PORT=${LANTERN_GUNICORN_PORT:-$(free_port)}
  [ "$(id -u)" -eq 0 ] && say "running as root: nginx's workers run as nobody; use a service account in production"
  trap 'failed' EXIT
  secret_file "$ETC/secret_key" 50
  make_tls
  database
  write_env
  prepare_app
  render_nginx
  say "starting the worker, gunicorn and nginx"
  start_worker
  start_gunicorn
  "$NGINX" -p "$DIR" -c "$ETC/nginx.conf" -e "$LOG/nginx-error.log"
  wait_http "https://127.0.0.1:$HTTPS_PORT/static/staticfiles.json" "$CA"
  wait_worker
  trap - EXIT
  say "Lantern is at https://$SERVER_NAME$HTTPS_SUFFIX/ (http://127.0.0.1:$HTTP_PORT redirects there)"
  [ -n "$CA" ] && say "trust $CA in the browsers that reach it"
  return 0
}

# --- stop and status ---------------------------------------------------------------------

stop() {
  # nginx first stops taking requests and finishes those under way; gunicorn and the worker
  # finish theirs (the worker its running job) at the same time.
  signal nginx QUIT
  signal gunicorn TERM
  signal worker TERM 1
  reap nginx
  reap gunicorn
  reap worker 1
  if [ -s "$PGDIR/data/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null || true
  fi
  say "stopped"
}

status() {
  local down=0 name
  for name in nginx gunicorn worker; do
    if alive "$name"; then say "$name running (pid $(pid_of "$name"))"; else say "$name stopped"; down=1; fi
  done
  if [ -d "$PGDIR/data" ]; then
    if as_pg "$(pg_bin)/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then say "postgresql running"
    else say "postgresql stopped"; down=1; fi
  fi
  return $down
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
