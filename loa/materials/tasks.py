from django.tasks import task


@task()
def digests() -> None:
    """Every hour (database backend): queue this period's digests (idempotent), send what is queued,
    delete unconfirmed subscription requests older than 7 days."""
    import datetime as dt

    from . import digests as job
    from . import subscriptions
    from .models import Subscription

    plans = (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .values_list("document_id", "frequency")
        .distinct()
    )
    from loa.plans.models import Document

    try:
        for document_id, frequency in plans:
            job.queue(Document.objects.get(pk=document_id), frequency)
        while job.send(limit=500):
            pass
        subscriptions.purge_pending()
        from . import contest

        contest.purge_phones()
    finally:  # the hourly chain goes on even when one run fails
        from loa.core.tasks import again_in

        again_in(digests, dt.timedelta(hours=1))
