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

    from loa.core.tasks import again_in

    from . import feeds, services

    try:
        feeds.poll()
        services.purge()
    finally:  # the chain goes on even when one run fails
        again_in(poll_feeds, dt.timedelta(minutes=5))
