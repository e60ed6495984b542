from django.tasks import task

from . import pipeline


@task()
def process_items(document_id: int) -> None:
    """Process what is waiting for this plan; more workers share the work (see pipeline.claim)."""
    pipeline.run(document_id)
