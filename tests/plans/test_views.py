import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loa.audit.models import AuditEntry
from loa.plans.models import Document, ImportJob
from loa.plans.services import import_plan

pytestmark = pytest.mark.django_db

COMMUNE = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"


def test_it_requires_login(client):
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_non_staff_cannot_upload(client, django_user_model):
    user = django_user_model.objects.create_user("xem", password="mat-khau-dai-123")
    client.force_login(user)
    assert client.get(reverse("plans:upload")).status_code == 403


def test_upload_imports_and_reports_progress_and_warnings(
    client, officer, hanoi, samples_dir, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    upload = SimpleUploadedFile(COMMUNE, (samples_dir / COMMUNE).read_bytes(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:import_job", args=[job.pk])
    status = client.get(reverse("plans:import_job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert any("ngắt trang" in w for w in status["warnings"])
    document = Document.objects.get(number="", kind="Kế hoạch")
    assert status["url"] == document.get_absolute_url()
    assert AuditEntry.objects.filter(action="plans.import.queued").exists()


def test_a_bad_upload_fails_with_a_vietnamese_message_and_saves_no_document(
    client, officer, hanoi, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    upload = SimpleUploadedFile(
        "anh.docx", b"PK\x03\x04 not really a zip", content_type="application/octet-stream"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:upload"), {"file": upload})
    status = client.get(reverse("plans:import_job_status", args=[ImportJob.objects.get().pk])).json()
    assert status["status"] == "failed" and status["message"]
    assert Document.objects.count() == 0


def test_an_empty_upload_is_refused_at_once(client, officer):
    client.force_login(officer)
    response = client.post(reverse("plans:upload"), {"file": SimpleUploadedFile("rong.txt", b"")})
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_a_too_big_upload_is_refused_with_413(client, officer, settings):
    settings.LOA_MAX_UPLOAD_MB = 0.001
    client.force_login(officer)
    response = client.post(reverse("plans:upload"), {"file": SimpleUploadedFile("lon.txt", b"a" * 5000)})
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()


def test_plan_page_shows_assignments_cascade_and_costs_fixed_queries(
    client, officer, hanoi, samples_dir, django_assert_max_num_queries
):
    doc = import_plan(data=(samples_dir / COMMUNE).read_bytes(), filename=COMMUNE, is_sample=True).document
    client.force_login(officer)
    with django_assert_max_num_queries(25):
        response = client.get(doc.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trung tâm dịch vụ tổng hợp xã" in html and "10 tin, bài/tháng" in html
    assert "66-KH/ĐU" in html and "chưa nhập" in html
    assert "mẫu" in html
    assert json.dumps("1.2.3.4")[1:-1] in html


def test_import_job_of_another_user_is_404(client, officer, django_user_model):
    other = django_user_model.objects.create_user("khac", password="mat-khau-dai-123", is_staff=True)
    job = ImportJob.objects.create(filename="a.txt", created_by=other)
    client.force_login(officer)
    assert client.get(reverse("plans:import_job", args=[job.pk])).status_code == 404
