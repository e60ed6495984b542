from django.tasks import task

from . import pipeline


@task()
def process_items(document_id: int) -> None:
    """Process what is waiting for this plan; more workers share the work (see pipeline.claim)."""
    pipeline.run(document_id)


@task()
def poll_feeds() -> None:
    """Fetch the feeds that are due and delete raw items past the retention period, then run
    again in 5 minutes (database backend only: the immediate backend, used in tests, runs tasks in
    place and cannot wait)."""
    import datetime as dt

    from django.utils import timezone

    from . import feeds, services

    feeds.poll()
    services.purge()
    if poll_feeds.get_backend().supports_defer:
        poll_feeds.using(run_after=timezone.now() + dt.timedelta(minutes=5)).enqueue()
