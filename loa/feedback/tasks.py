from django.tasks import task

from . import services


@task()
def triage(submission_id: int) -> None:
    """Group a new submission with its near-duplicates and route it to a unit."""
    services.triage_submission(submission_id)


@task()
def watch() -> None:
    """Every 15 minutes (database backend): reminders and overdue notices, personal data past its
    retention erased, idempotency records older than a day dropped."""
    import datetime as dt

    from django.conf import settings

    from loa.core.tasks import again_in

    from . import reminders

    try:
        reminders.send()
        services.purge_expired(retention_days=settings.LOA_FEEDBACK_RETENTION_DAYS)
        services.purge_idempotency()
    finally:  # the chain goes on even when one run fails
        again_in(watch, dt.timedelta(minutes=15))
