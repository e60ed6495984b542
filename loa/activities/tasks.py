"""Background work of the activities app. Tasks take plain values, load rows and call a service."""

import datetime as dt

from django.tasks import task

from .urging import default_base_url, local_today, send_digests


@task()
def send_daily_reminders(today_iso: str | None = None, within_days: int = 7) -> int:
    """Email each responsible person their due items once for the day; returns emails sent.

    Run daily by cron or a systemd timer (``loa send-reminders``), or enqueue it for the
    ``db_worker`` when the database tasks backend is configured.
    """
    today = dt.date.fromisoformat(today_iso) if today_iso else local_today()
    return send_digests(today=today, within_days=within_days, base_url=default_base_url())
