"""Periodic background work on Django's tasks API: a task that runs, then enqueues its own next run
(the database backend can defer; the immediate backend used in tests cannot wait, so it runs once),
and the one-off ``loa <app> schedule`` that starts such a chain unless a run is already waiting."""

from __future__ import annotations

import datetime as dt


def again_in(task, delay: dt.timedelta) -> bool:
    """Enqueue ``task``'s next run ``delay`` from now; False where the backend cannot defer. Call it
    in a ``finally``, so that one failing run does not end the chain."""
    from django.utils import timezone

    if not task.get_backend().supports_defer:
        return False
    task.using(run_after=timezone.now() + delay).enqueue()
    return True


def ensure_scheduled(task) -> str:
    """Start ``task``'s chain unless a run of it is waiting or running: "scheduled", "already", or
    "unsupported" where the backend cannot defer (run the command by hand, or from cron)."""
    if not task.get_backend().supports_defer:
        return "unsupported"
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status__in=["READY", "RUNNING"]).exists():
        return "already"
    task.enqueue()
    return "scheduled"
