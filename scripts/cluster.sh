#!/usr/bin/env bash
# The site as a cluster on this machine, in a throw-away folder: PostgreSQL, Redis, an S3-compatible
# store (moto's server), an SMTP sink, TWO gunicorn app servers and ONE task worker, all on
# loopback. Runs a command against it, then stops and removes everything, also when it fails:
#   scripts/cluster.sh .venv/bin/python -m pytest tests/cluster      (make test-cluster)
#   scripts/cluster.sh .venv/bin/python bench/load.py --servers      (make bench-cluster)
# The command gets CLUSTER_SERVERS (the app servers' URLs), CLUSTER_WORKERS (gunicorn workers of
# each), CLUSTER_DIR (control scripts in $CLUSTER_DIR/bin: pg-stop, pg-start, redis-stop,
# redis-stop-keeping-data, redis-start; mail in $CLUSTER_DIR/mail) and the site's own
# variables. Ports: CLUSTER_PORTS (two, comma-separated), PG_PORT, REDIS_PORT, S3_PORT, SMTP_PORT.
set -euo pipefail

VENV=${VENV:-.venv}
PY=$VENV/bin/python
APP_PORTS=${CLUSTER_PORTS:-8191,8192}
PG_PORT=${PG_PORT:-54391}
REDIS_PORT=${REDIS_PORT:-63791}
S3_PORT=${S3_PORT:-50091}
SMTP_PORT=${SMTP_PORT:-10291}
APP_WORKERS=${CLUSTER_WORKERS:-2}

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${missing[*]}..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # Debian starts the packaged services; this script runs its own on other ports.
  else
    echo "The cluster needs: sudo apt-get install ${missing[*]}" >&2; exit 1
  fi
fi
PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

DIR=$(mktemp -d /tmp/westside-cluster.XXXXXX)
mkdir -p "$DIR/bin" "$DIR/data" "$DIR/log"  # mail/: the sink creates its Maildir
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -x "$DIR/bin/redis-stop" ] && "$DIR/bin/redis-stop" >/dev/null 2>&1
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg" -m immediate stop >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then
    for log in "$DIR"/log/*; do echo "--- last lines of $log"; tail -n 20 "$log"; done >&2
  fi
  rm -rf "$DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for_port() {
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "Nothing answers on port $1 ($2)." >&2; return 1
}

# PostgreSQL: the control scripts let the tests stop and start it while the site runs.
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$DIR/pg" -U postgres --auth=trust >/dev/null
cat >"$DIR/bin/pg-start" <<EOF
#!/usr/bin/env bash
${RUN_AS[*]} "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg/log" -w \
  -o "-p $PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start
EOF
cat >"$DIR/bin/pg-stop" <<EOF
#!/usr/bin/env bash
${RUN_AS[*]} "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast -w stop
EOF
cat >"$DIR/bin/redis-start" <<EOF
#!/usr/bin/env bash
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR" \
  --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/log/redis.log"
for _ in \$(seq 1 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
exit 1
EOF
# redis-stop empties Redis; redis-stop-keeping-data saves what it holds for redis-start to load,
# as a production Redis with persistence restarts.
cat >"$DIR/bin/redis-stop" <<EOF
#!/usr/bin/env bash
redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true
rm -f "$DIR/dump.rdb"
for _ in \$(seq 1 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 || exit 0; sleep 0.1; done
exit 1
EOF
cat >"$DIR/bin/redis-stop-keeping-data" <<EOF
#!/usr/bin/env bash
redis-cli -p $REDIS_PORT shutdown save >/dev/null 2>&1 || true
for _ in \$(seq 1 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 || exit 0; sleep 0.1; done
exit 1
EOF
chmod +x "$DIR"/bin/*
"$DIR/bin/pg-start" >/dev/null
"${RUN_AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres westside
"$DIR/bin/redis-start"

"$VENV/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$DIR/log/moto.log" 2>&1 &
pids+=($!)
"$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$DIR/mail" \
  >"$DIR/log/smtp.log" 2>&1 &
pids+=($!)
wait_for_port "$S3_PORT" "moto S3 server"
wait_for_port "$SMTP_PORT" "SMTP sink"

IFS=, read -r PORT_A PORT_B <<<"$APP_PORTS"
export DJANGO_SETTINGS_MODULE=clinic.settings
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DATA_DIR=$DIR/data
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/westside
export CACHE_URL=redis://127.0.0.1:$REDIS_PORT/0
export AWS_STORAGE_BUCKET_NAME=westside-media
export AWS_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export AWS_S3_REGION_NAME=ap-southeast-2
export AWS_ACCESS_KEY_ID=cluster-test AWS_SECRET_ACCESS_KEY=cluster-test
export EMAIL_HOST=127.0.0.1 EMAIL_PORT=$SMTP_PORT EMAIL_USE_TLS=false
# The tests are the load balancer: it sets X-Forwarded-For, one proxy in front.
export TRUSTED_PROXY_COUNT=1
export SITE_URL=http://127.0.0.1:$PORT_A
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export CLUSTER_DIR=$DIR
export CLUSTER_SERVERS=http://127.0.0.1:$PORT_A,http://127.0.0.1:$PORT_B
export CLUSTER_WORKERS=$APP_WORKERS

"$PY" - <<'EOF'
import os

import boto3

from clinic.object_storage import public_read_policy

bucket, region = os.environ["AWS_STORAGE_BUCKET_NAME"], os.environ["AWS_S3_REGION_NAME"]
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name=region)
s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
s3.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
EOF
# One process migrates and loads content before any app server starts (README "Running several
# servers"); the app servers and the worker only read the schema.
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_demo_content >/dev/null
"$PY" manage.py reprocess_images >/dev/null
"$PY" manage.py collectstatic --noinput -v0
DJANGO_SUPERUSER_PASSWORD=cluster-admin-password "$PY" manage.py createsuperuser --noinput \
  --username cluster-admin --email admin@example.com >/dev/null

for port in "$PORT_A" "$PORT_B"; do
  "$VENV/bin/gunicorn" clinic.wsgi --bind "127.0.0.1:$port" --workers "$APP_WORKERS" \
    --forwarded-allow-ips=127.0.0.1 --log-level warning >"$DIR/log/gunicorn-$port.log" 2>&1 &
  pids+=($!)
done
# The worker exits when it loses the database; production's supervisor (systemd Restart=always)
# starts it again, and so does this loop.
(
  trap 'kill -TERM "$worker" 2>/dev/null; wait "$worker"; exit 0' TERM
  while true; do
    "$PY" manage.py db_worker --no-startup-delay >>"$DIR/log/db_worker.log" 2>&1 &
    worker=$!
    wait "$worker" || true
    sleep 1
  done
) &
pids+=($!)
wait_for_port "$PORT_A" "gunicorn"
wait_for_port "$PORT_B" "gunicorn"

"$@"
