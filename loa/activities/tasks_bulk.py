from django.tasks import task

from .models import BulkImportJob
from .services import run_bulk_import


@task()
def run_bulk_import_job(job_id: int) -> None:
    run_bulk_import(job=BulkImportJob.objects.select_related("created_by").get(pk=job_id))
