#!/usr/bin/env bash
# Serve Shudarga as production does, on this machine: production settings (DEBUG off, JSON
# logs, database task backend), static files collected for WhiteNoise, migrations applied
# and checked, gunicorn with deploy/gunicorn.conf.py on 127.0.0.1:PORT, and a task worker.
#
#   scripts/serve_production.sh [--no-migrate] [--no-worker] [PORT]     (make prod PORT=8106)
#
# Configuration comes from the environment as in production (README, "Configuration"):
# DATABASE_URL, SHUDARGA_CACHE_URL, GUNICORN_WORKERS... Without SECRET_KEY or
# SECRET_KEY_FILE a key is generated once into the data directory and kept there; so is the
# audit key (SHUDARGA_AUDIT_KEY_FILE) without SHUDARGA_AUDIT_KEY[_FILE]. Cookies
# are sent over HTTPS only unless SHUDARGA_HTTPS=false (set it to sign in over plain http).
# Ctrl-C or SIGTERM stops gunicorn and the worker.
set -euo pipefail
cd "$(dirname "$0")/.."

migrate=1 worker=1 port="${PORT:-8000}"
for arg in "$@"; do
  case "$arg" in
    --no-migrate) migrate=0 ;;
    --no-worker) worker=0 ;;
    [0-9]*) port="$arg" ;;
    *) echo "usage: $0 [--no-migrate] [--no-worker] [PORT]" >&2; exit 2 ;;
  esac
done

bin="${VENV:-.venv}/bin"
export PYTHONPATH=src DJANGO_SETTINGS_MODULE=shudarga.settings DEBUG=false
export SHUDARGA_DATA_DIR="${SHUDARGA_DATA_DIR:-$PWD/var}"
export GUNICORN_BIND="${GUNICORN_BIND:-127.0.0.1:$port}"
if [ -z "${SECRET_KEY:-}" ] && [ -z "${SECRET_KEY_FILE:-}" ]; then
  export SECRET_KEY_FILE="$SHUDARGA_DATA_DIR/secret-key"
  if [ ! -s "$SECRET_KEY_FILE" ]; then
    mkdir -p "$SHUDARGA_DATA_DIR"
    (umask 077 && "$bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
      >"$SECRET_KEY_FILE")
    echo "Generated a secret key in $SECRET_KEY_FILE."
  fi
fi

if [ -z "${SHUDARGA_AUDIT_KEY:-}" ] && [ -z "${SHUDARGA_AUDIT_KEY_FILE:-}" ]; then
  export SHUDARGA_AUDIT_KEY_FILE="$SHUDARGA_DATA_DIR/audit-key"
  if [ ! -s "$SHUDARGA_AUDIT_KEY_FILE" ]; then
    mkdir -p "$SHUDARGA_DATA_DIR"
    (umask 077 && "$bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' \
      >"$SHUDARGA_AUDIT_KEY_FILE")
    echo "Generated an audit key in $SHUDARGA_AUDIT_KEY_FILE: keep a copy off this machine."
  fi
fi

manage() { "$bin/python" manage.py "$@"; }
manage check --deploy --fail-level ERROR
# Collecting compresses every file (about a minute on 2 cores): only when a static file is
# newer than the last collection's manifest.
manifest="$SHUDARGA_DATA_DIR/static/staticfiles.json"
site=$("$bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
if [ ! -s "$manifest" ] || [ -n "$(find src "$site" -path '*/static/*' -type f -newer "$manifest" -print -quit)" ]; then
  echo "Collecting static files..."
  manage collectstatic --noinput -v0
fi
if [ "$migrate" = 1 ]; then
  manage migrate --noinput -v0
  # The parent view's per-organization rows, so no user waits for a whole country's.
  manage refresh_summaries
fi
if [[ "${SHUDARGA_CACHE_URL:-}" == db://* ]]; then
  manage createcachetable
fi
# Fails, naming nothing but exiting 1, when a migration is unapplied; the application itself
# then names them when gunicorn loads it.
manage migrate --check -v0 || { echo "Unapplied migrations: run 'shudarga migrate'." >&2; exit 1; }

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

"$bin/gunicorn" -c deploy/gunicorn.conf.py shudarga.wsgi &
pids+=("$!")
if [ "$worker" = 1 ]; then
  "$bin/python" manage.py db_worker --no-reload &
  pids+=("$!")
fi
echo "Serving on http://$GUNICORN_BIND (pids ${pids[*]}); Ctrl-C stops."
# When either ends (gunicorn refusing to start, a crash), stop the other too.
wait -n
status=$?
stop
exit "$status"
