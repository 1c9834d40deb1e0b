#!/usr/bin/env bash
# Serve the site as `make run` does: the background task worker beside gunicorn, stopped
# together. Usage: scripts/serve.sh HOST:PORT WORKERS (run from the project folder).
set -u
bind=$1 workers=$2
bin=${VENV:-.venv}/bin

# gunicorn runs no system checks: refuse to start on a setting they reject (a bad rate limit…).
"$bin/python" manage.py check --fail-level ERROR >/dev/null || exit 1
"$bin/python" manage.py db_worker &
worker=$!
# No access log: it would record every visitor's IP address and the articles they read (health
# information under the privacy policy) and costs a fifth of a cached page's time. Errors are
# still logged. GUNICORN_CMD_ARGS="--access-logfile -" turns it on.
"$bin/gunicorn" clinic.wsgi --bind "$bind" --workers "$workers" --forwarded-allow-ips=127.0.0.1 &
server=$!

stop() {
  kill -TERM "$server" "$worker" 2>/dev/null
  wait "$server" "$worker" 2>/dev/null
}
# Traps run while `wait` waits (not while a foreground command runs), so Ctrl-C or a TERM sent
# to this script stops both; if either one dies by itself, the other is stopped too.
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
wait -n "$server" "$worker"
status=$?
stop
exit "$status"
