#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster that this script starts and removes.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is exported for COMMAND)
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
PGTMP=$(mktemp -d /tmp/loa-pgtest.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGTMP"
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT
PGPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 -o "-p $PGPORT -k $PGTMP \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres loa
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/loa"
echo "PostgreSQL $(basename "$(dirname "$PGBIN")") on port $PGPORT"
"$@"
