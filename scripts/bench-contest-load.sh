#!/usr/bin/env bash
# Load test of the quiz contest's submissions (loa.materials.contest_loadtest) against gunicorn on a
# throwaway PostgreSQL (scripts/with-postgres.sh):
#   scripts/bench-contest-load.sh [--workers N] [--threads N] [--seconds S] [--rate R] [--phases AB]
#                                 [--kill-at F] [--restart-after S] [--timeout S] [--grace S] [--max-conns N]
# Before each phase the bench makes a round, one attempt per request (the first ones through
# contest.start, the rest bulk-inserted alike) and a database session holding each attempt's token.
# Phase A offers --rate submissions/s (default 200) for --seconds (default 60) to
# POST /tai-lieu/thi/<round>/lam-bai/; phase B does the same and kills gunicorn (master and workers,
# SIGKILL) at 40 % of the run, restarting it 2 s later. Failed attempts are retried with the same session
# and answers. After each phase the database is checked: every acknowledged attempt submitted with the
# answers, prediction and score sent back, none scored twice (a trigger watches, dropped afterwards).
# Exits 1 otherwise. gunicorn: --workers (default 2) gthread workers of --threads (default 4) threads on
# 127.0.0.1, as `make run` and scripts/bench-feedback.sh. PostgreSQL: with-postgres.sh starts it with
# fsync=off; this script turns synchronous_commit back on for the database, the output names the settings.
# LOA_BENCH_JSON_DIR, when set, receives contest-load.json. Never touches var/ or an existing database.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKERS=2
THREADS=4
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) WORKERS=$2; shift 2 ;;
    --workers=*) WORKERS=${1#*=}; shift ;;
    --threads) THREADS=$2; shift 2 ;;
    --threads=*) THREADS=${1#*=}; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

export LOA_TASKS_BACKEND=database
export LOA_ALLOWED_HOSTS="127.0.0.1,localhost"
# The per-address limit only guards the start page (the bench starts attempts itself); lifted anyway.
export LOA_CONTEST_PER_HOUR=1000000000
unset LOA_DEBUG
TMP=$(mktemp -d /tmp/loa-bench-contest-load.XXXXXX)
# One LOA_VAR_DIR for every process: the secret key (token hashes, sessions) and the field keys are
# generated there once.
export LOA_VAR_DIR="$TMP/var"
export BENCH_TMP="$TMP"
cleanup() {
  if [ -s "$TMP/server.pgid" ]; then kill -KILL -- "-$(cat "$TMP/server.pgid")" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
export BENCH_URL="http://127.0.0.1:$PORT"
export BENCH_SERVER=".venv/bin/gunicorn loa.wsgi:application --bind 127.0.0.1:$PORT --worker-class gthread \
--workers $WORKERS --threads $THREADS --keep-alive 30 --timeout 60 --graceful-timeout 5 --control-socket $TMP/gunicorn.ctl"
if [ -n "${LOA_BENCH_JSON_DIR:-}" ]; then
  mkdir -p "$LOA_BENCH_JSON_DIR"
  ARGS+=("--json=$(cd "$LOA_BENCH_JSON_DIR" && pwd)/contest-load.json")
fi

echo "=============================== contest submissions, postgres"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
scripts/with-postgres.sh bash -c '
  set -euo pipefail
  .venv/bin/python - <<PY
import os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as c:
    c.execute("ALTER DATABASE loa SET synchronous_commit = on")
PY
  .venv/bin/python manage.py migrate -v0
  .venv/bin/loa load_units >/dev/null
  .venv/bin/loa import_plan --sample loa/samples/plans/ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt >/dev/null
  rc=0
  .venv/bin/python -m loa.materials.contest_loadtest --url "$BENCH_URL" --server-cmd "$BENCH_SERVER" \
    --pidfile "$BENCH_TMP/server.pgid" --server-log "$BENCH_TMP/server.log" "$@" || rc=$?
  if [ "$rc" != 0 ] && [ -s "$BENCH_TMP/server.log" ]; then
    echo "--- last lines of the server log"; tail -n 40 "$BENCH_TMP/server.log"
  fi
  exit "$rc"
' bench "${ARGS[@]}"
