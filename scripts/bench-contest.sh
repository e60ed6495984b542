#!/usr/bin/env bash
# Contest ranking benchmark (loa.materials.contest_bench) on a throwaway PostgreSQL: 200,000
# attempts ranked. Never touches var/ or an existing database.
set -euo pipefail
cd "$(dirname "$0")/.."
TMP=$(mktemp -d /tmp/loa-bench-contest.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export LOA_VAR_DIR="$TMP/var" LOA_TASKS_BACKEND=immediate
unset LOA_DEBUG
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && exec .venv/bin/python -m loa.materials.contest_bench "$@"' bench "$@"
