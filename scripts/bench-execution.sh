#!/usr/bin/env bash
# City-scale execution benchmark (loa.activities.bench): once on a throwaway SQLite, once on a
# throwaway PostgreSQL (scripts/with-postgres.sh). Arguments go to the module:
#   scripts/bench-execution.sh [--activities N] [--runs N] [--budget S] [--min-runs N]
#                              [--sqlite-analyze] [--only TEXT] [--seed N]
# Full size (500,000 activities) takes about 13 minutes on 2 cores. Results: docs/bench-execution.md.
# LOA_BENCH_DATABASES="sqlite postgres" (default) picks the databases; LOA_BENCH_JSON_DIR, when set,
# receives one <database>.json of results per run. Never touches var/ or an existing database.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export LOA_TASKS_BACKEND=immediate
export LOA_ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
unset LOA_DEBUG
TMP=$(mktemp -d /tmp/loa-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

json_arg() {
  if [ -n "${LOA_BENCH_JSON_DIR:-}" ]; then
    mkdir -p "$LOA_BENCH_JSON_DIR"
    echo "--json=$(cd "$LOA_BENCH_JSON_DIR" && pwd)/$1.json"
  fi
}

for db in ${LOA_BENCH_DATABASES:-sqlite postgres}; do
  echo "=============================== $db"
  case "$db" in
    sqlite)
      (
        unset DATABASE_URL
        export LOA_VAR_DIR="$TMP/sqlite"
        $PY manage.py migrate -v0
        $PY -m loa.activities.bench $(json_arg sqlite) "$@"
        $PY -m loa.reports.bench
      )
      ;;
    postgres)
      LOA_VAR_DIR="$TMP/postgres" scripts/with-postgres.sh bash -c \
        '.venv/bin/python manage.py migrate -v0 && .venv/bin/python -m loa.activities.bench "$@" && exec .venv/bin/python -m loa.reports.bench' \
        bench $(json_arg postgres) "$@"
      ;;
    *)
      echo "unknown database in LOA_BENCH_DATABASES: $db (sqlite, postgres)" >&2
      exit 2
      ;;
  esac
done
