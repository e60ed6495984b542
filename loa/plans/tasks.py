from django.tasks import task

from .models import ImportJob
from .services import run_import


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    run_import(job=job)
