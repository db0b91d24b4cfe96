#!/usr/bin/env bash
# Load and fault runs against gunicorn + PostgreSQL on loopback (bench/README.md has the figures).
#   bench/run_load.sh [SECONDS] [USERS] [RESTART_AT]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300} users=${2:-50} restart_at=${3:-}
work=$(mktemp -d)
export DEBUG=False SECRET_KEY=load-test-only-$(date +%s) SEAL_PASSPHRASE=load-test-only ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctg_load CONN_MAX_AGE=60 DATA_DIR="$work" STATIC_MANIFEST=True
export AXES_FAILURE_LIMIT=1000 DJANGO_SETTINGS_MODULE=ctg.settings SECURE_COOKIES=False
dropdb -h 127.0.0.1 -U postgres --if-exists ctg_load && createdb -h 127.0.0.1 -U postgres ctg_load
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/python manage.py load_models >/dev/null
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/python manage.py create_demo_accounts >/dev/null
.venv/bin/gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8010 ctg.wsgi >"$work/gunicorn.log" 2>&1 &
server=$!
# The PDF workers (PDF_WORKERS, default 1), as deploy/ctg-worker.service runs them: niced (pages
# first), started again 5 s after a failure (Restart=on-failure, RestartSec=5).
workers=""
for n in $(seq "${PDF_WORKERS:-1}"); do
  (
    trap 'kill $pid 2>/dev/null; exit 0' TERM
    while true; do
      nice -n 10 .venv/bin/python manage.py db_worker --no-reload --interval 0.5 >>"$work/worker-$n.log" 2>&1 &
      pid=$!
      wait $pid && exit 0
      echo "worker exited ($?), restarting in 5 s" >>"$work/worker-$n.log"
      sleep 5
    done
  ) &
  workers="$workers $!"
done
# LOGS=<dir> keeps gunicorn's and the worker's logs there.
trap 'kill $server $workers 2>/dev/null || true; wait $server $workers 2>/dev/null || true; [ -z "${LOGS:-}" ] || cp "$work"/*.log "$LOGS"/; rm -rf "$work"' EXIT
for _ in $(seq 60); do curl -fs -o /dev/null http://127.0.0.1:8010/comptes/login/ && break; sleep 0.5; done
# Warm the PDF cache once per convention, as a first visit would.
.venv/bin/python bench/load.py --users 1 --seconds 20 --think 0 --edit-share 0 >/dev/null
.venv/bin/python bench/load.py --users "$users" --seconds "$seconds" --check-saves ${restart_at:+--restart-postgres-at "$restart_at"} --json "${@:4}"
cat "$work"/worker-*.log | grep -c "state=FAILED" | sed 's/^/pre-renders failed: /' || true
cat "$work"/worker-*.log | grep -c "state=SUCCESSFUL" | sed 's/^/pre-renders done: /' || true
cat "$work"/worker-*.log | grep -c "restarting in 5 s" | sed 's/^/worker restarts: /' || true
