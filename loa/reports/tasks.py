from django.tasks import task

from .models import ReportFile
from .services import run_report_file


@task()
def make_report_file(job_id: int) -> None:
    run_report_file(job=ReportFile.objects.select_related("created_by", "document", "round").get(pk=job_id))
