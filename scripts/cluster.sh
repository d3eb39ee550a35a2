#!/usr/bin/env bash
# Starts the scaled-out layout of deploy/ from plain processes on this machine: one `mockroom serve` with
# APP_WORKERS worker processes and RUNNERS `mockroom runner` processes, on the local PostgreSQL and Redis
# (scripts/services.sh starts them). Waits until the server is ready, prints its URL, and stops everything on
# Ctrl-C or TERM, or as soon as one of the processes exits.
#
# Settings from the environment: APP_WORKERS (2), RUNNERS (1), PORT (8000), MOCKROOM_DATABASE_URL (the local
# database `mockroom`, created when missing), MOCKROOM_REDIS_URL (redis://127.0.0.1:6379/0), CLUSTER_LOGS (a new
# temporary folder); any other MOCKROOM_ setting is passed on as it is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

APP_WORKERS="${APP_WORKERS:-2}"
RUNNERS="${RUNNERS:-1}"
PORT="${PORT:-8000}"
LOCAL_DATABASE="postgresql+psycopg://postgres@127.0.0.1:5432/mockroom"
export MOCKROOM_DATABASE_URL="${MOCKROOM_DATABASE_URL:-$LOCAL_DATABASE}"
export MOCKROOM_REDIS_URL="${MOCKROOM_REDIS_URL:-redis://127.0.0.1:6379/0}"
export MOCKROOM_CODE_QUEUE=redis
MOCKROOM="$ROOT/.venv/bin/mockroom"

for name in APP_WORKERS RUNNERS PORT; do
    if ! [[ "${!name}" =~ ^[0-9]+$ ]]; then
        echo "cluster: $name must be a whole number (got '${!name}')." >&2
        exit 2
    fi
done
if [ ! -x "$MOCKROOM" ]; then
    echo "cluster: $MOCKROOM is missing; run scripts/setup.sh first." >&2
    exit 2
fi

# A server already on the port would answer the readiness check in place of ours.
if ! "$ROOT/.venv/bin/python" -c "import socket, sys
with socket.socket() as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a port in TIME_WAIT is free
    sock.bind(('127.0.0.1', int(sys.argv[1])))" "$PORT" 2>/dev/null; then
    echo "cluster: port $PORT is in use; choose another with PORT=..." >&2
    exit 2
fi

bash scripts/services.sh
if [ "$MOCKROOM_DATABASE_URL" = "$LOCAL_DATABASE" ] && command -v psql >/dev/null; then
    if [ -z "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'mockroom'")" ]; then
        psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE mockroom"
    fi
fi

LOGS="${CLUSTER_LOGS:-$(mktemp -d -t mockroom-cluster.XXXXXX)}"
mkdir -p "$LOGS"
# Every worker process keeps its metrics in this folder, which must start empty; /metrics sums them.
PROMETHEUS_MULTIPROC_DIR="$(mktemp -d -t mockroom-metrics.XXXXXX)"
export PROMETHEUS_MULTIPROC_DIR

pids=()
stopping=0
stop() {
    [ "$stopping" = 1 ] && return
    stopping=1
    trap - INT TERM
    echo "Stopping ${#pids[@]} processes ..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 40); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.25
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$PROMETHEUS_MULTIPROC_DIR"
    echo "Stopped. Logs are in $LOGS."
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$MOCKROOM" serve --port "$PORT" --workers "$APP_WORKERS" >"$LOGS/app.log" 2>&1 &
app=$!
pids+=("$app")
for n in $(seq 1 "$RUNNERS"); do
    "$MOCKROOM" runner >"$LOGS/runner-$n.log" 2>&1 &
    pids+=("$!")
done

URL="http://127.0.0.1:$PORT"
ready=0
for _ in $(seq 1 240); do
    if ! kill -0 "$app" 2>/dev/null; then
        echo "cluster: the server exited while starting; the end of $LOGS/app.log:" >&2
        tail -n 20 "$LOGS/app.log" >&2
        exit 1
    fi
    if "$ROOT/.venv/bin/python" -c "import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except Exception:
    sys.exit(1)" "$URL/api/health/ready" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.5
done
if [ "$ready" = 0 ]; then
    echo "cluster: $URL/api/health/ready did not answer 200 within 120 s; see $LOGS/app.log." >&2
    exit 1
fi

echo "Mockroom is ready at $URL ($APP_WORKERS app workers, $RUNNERS runners; logs in $LOGS). Ctrl-C stops it."
# Returns when any process exits; the EXIT trap then stops the others.
set +e
wait -n "${pids[@]}"
status=$?
set -e
echo "cluster: a process exited (status $status); stopping the rest." >&2
exit 1
