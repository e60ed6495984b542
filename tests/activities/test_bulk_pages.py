import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loa.activities.models import Activity, BulkImportJob

pytestmark = pytest.mark.django_db


def csv_for(world, title="Tin tuyên truyền Nghị quyết 02"):
    a = world["assignment"]
    lines = [
        "ma,ngay,don_vi,kenh,hinh_thuc,so_luong,tieu_de,nhiem_vu",
        f'HD-1,02/06/2026,{a.unit.name},social_media,tin,2,"{title}",{a.task_id}',
        f'HD-2,31/02/2026,{a.unit.name},social_media,tin,1,"Ngày sai",{a.task_id}',
        f'HD-3,03/06/2026,{a.unit.name},social_media,tin,1,"=HYPERLINK(""http://x"",""y"")",{a.task_id}',
    ]
    return ("\n".join(lines) + "\n").encode()


def test_a_unit_officer_imports_a_file_and_sees_saved_rows_and_errors(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["officer_a"])
    assert client.get(reverse("activities:bulk_upload")).status_code == 200
    upload = SimpleUploadedFile("hoat-dong.csv", csv_for(world), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:bulk_upload"), {"file": upload})
    job = BulkImportJob.objects.get()
    assert response["Location"] == reverse("activities:bulk_job", args=[job.pk])
    status = client.get(reverse("activities:bulk_job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["created"] == 2
    assert status["errors"][0]["row"] == 3 and "31/02/2026" in status["errors"][0]["message"]
    assert Activity.objects.filter(unit=world["assignment"].unit).count() == 2
    report = client.get(reverse("activities:bulk_errors", args=[job.pk, "csv"])).content.decode("utf-8-sig")
    assert "31/02/2026" in report
    # Re-importing the same file creates no duplicates.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("activities:bulk_upload"), {"file": SimpleUploadedFile("hoat-dong.csv", csv_for(world))}
        )
    assert Activity.objects.filter(unit=world["assignment"].unit).count() == 2
    assert BulkImportJob.objects.order_by("-pk").first().unchanged == 2


def test_exports_neutralise_formulas(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["officer_a"])
    rows = "ma,ngay,don_vi,kenh,hinh_thuc,tieu_de\nX-1,bad,=CMD(),web_portal,tin,=HYPERLINK(1)\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:bulk_upload"), {"file": SimpleUploadedFile("x.csv", rows.encode())})
    job = BulkImportJob.objects.get()
    report = client.get(reverse("activities:bulk_errors", args=[job.pk, "csv"])).content.decode("utf-8-sig")
    assert "'=CMD()" in report and ",=CMD()" not in report


def test_bulk_pages_are_private(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["officer_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:bulk_upload"), {"file": SimpleUploadedFile("a.csv", csv_for(world))})
    job = BulkImportJob.objects.get()
    client.force_login(world["officer_b"])
    assert client.get(reverse("activities:bulk_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("activities:bulk_errors", args=[job.pk, "csv"])).status_code == 404
    client.force_login(world["nobody"])
    assert client.get(reverse("activities:bulk_upload")).status_code == 404


def test_template_downloads(client, world):
    client.force_login(world["officer_a"])
    csv = client.get(reverse("activities:bulk_template", args=["csv"]))
    assert csv["Content-Type"].startswith("text/csv") and "tieu_de" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("activities:bulk_template", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"
