#!/usr/bin/env bash
# Listening-desk benchmark (loa.listening.bench): once on a throwaway SQLite, once on a throwaway
# PostgreSQL (scripts/with-postgres.sh). Arguments go to the module:
#   scripts/bench-listening.sh [--items N] [--days N] [--pipeline-items N] [--pipeline-seconds S]
#                              [--batch N] [--runs N] [--budget S] [--min-runs N] [--seed N]
#                              [--skip-pipeline] [--skip-pages]
# Defaults: 1,000,000 items on PostgreSQL and 200,000 on SQLite for the page times; 20,000 items ingested
# for the pipeline, each worker run cut at 180 s (the e5 theme embedding dominates: a few items/s per core).
# LOA_BENCH_DATABASES="sqlite postgres" (default) picks the databases; LOA_BENCH_JSON_DIR, when set,
# receives one listening-<database>.json of results per run. Never touches var/ or an existing database.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export LOA_TASKS_BACKEND=immediate
export LOA_ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
unset LOA_DEBUG
TMP=$(mktemp -d /tmp/loa-bench-listening.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

json_arg() {
  if [ -n "${LOA_BENCH_JSON_DIR:-}" ]; then
    mkdir -p "$LOA_BENCH_JSON_DIR"
    echo "--json=$(cd "$LOA_BENCH_JSON_DIR" && pwd)/listening-$1.json"
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
        $PY -m loa.listening.bench $(json_arg sqlite) "$@"
      )
      ;;
    postgres)
      (
        export LOA_VAR_DIR="$TMP/postgres"
        scripts/with-postgres.sh bash -c \
          '.venv/bin/python manage.py migrate -v0 && exec .venv/bin/python -m loa.listening.bench "$@"' \
          bench $(json_arg postgres) "$@"
      )
      ;;
    *)
      echo "unknown database in LOA_BENCH_DATABASES: $db (sqlite, postgres)" >&2
      exit 2
      ;;
  esac
done
