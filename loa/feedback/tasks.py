from django.tasks import task

from . import services


@task()
def triage(submission_id: int) -> None:
    """Group a new submission with its near-duplicates and route it to a unit."""
    services.triage_submission(submission_id)
