"""SQLite upkeep: fresh planner statistics after bulk imports and tally rebuilds, so SQLite starts
small-scope queries from the unit index (without statistics it scans a whole plan's activities to
find one unit's). A no-op on PostgreSQL, where autovacuum analyses."""

from django.db import DEFAULT_DB_ALIAS, connections


def optimize(using: str = DEFAULT_DB_ALIAS) -> bool:
    """``ANALYZE`` an SQLite database on a bounded sample (``analysis_limit``: a few hundred
    milliseconds even for millions of rows); returns whether it ran."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
    return True
