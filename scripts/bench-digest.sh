#!/usr/bin/env bash
# Digest benchmark (loa.materials.digest_bench) on a throwaway PostgreSQL: 50,000 subscribers in 12
# combinations queued, then killed half-way and resumed. Never touches var/ or an existing database.
set -euo pipefail
cd "$(dirname "$0")/.."
TMP=$(mktemp -d /tmp/loa-bench-digest.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export LOA_VAR_DIR="$TMP/var" LOA_TASKS_BACKEND=immediate
unset LOA_DEBUG
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && exec .venv/bin/python -m loa.materials.digest_bench "$@"' bench "$@"
