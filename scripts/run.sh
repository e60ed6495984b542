#!/usr/bin/env bash
# `make run`: migrate SQLite under var/, create the first admin, load Hà Nội units and the
# sample plans (idempotent), start one background worker, serve http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export LOA_TASKS_BACKEND=${LOA_TASKS_BACKEND:-database}
VAR=${LOA_VAR_DIR:-var}
mkdir -p "$VAR"
$BIN/loa migrate --noinput -v 0
$BIN/loa collectstatic --noinput -v 0
$BIN/loa ensure_admin
$BIN/loa load_units
$BIN/loa import_plan --sample loa/samples/plans/*.txt
$BIN/loa demo_data
$BIN/loa demo_accounts
$BIN/loa listening schedule
$BIN/loa feedback demo
$BIN/loa feedback schedule
$BIN/loa materials schedule
$BIN/loa materials demo
$BIN/loa db_worker --queue-name default >"$VAR/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo
echo "Loa đang chạy tại http://127.0.0.1:8000  (đăng nhập bằng tài khoản quản trị ở trên; Ctrl+C để dừng)"
echo "Nhật ký worker: $VAR/worker.log"
$BIN/gunicorn loa.wsgi:application --bind 127.0.0.1:8000 --workers 2 --threads 4 --access-logfile - 
