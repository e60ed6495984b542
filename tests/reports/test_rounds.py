"""Reporting rounds: the office opens one, each unit writes and submits its section, the office
follows who has submitted, urges, and downloads the merged report."""

import datetime as dt
import io

import docx
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from loa.audit.models import AuditEntry
from loa.plans.models import TaskAssignment
from loa.reports import services
from loa.reports.models import ReportRound, ReportSection
from tests.reports.test_report import record_june

pytestmark = pytest.mark.django_db


def open_june(client, world, persona="office_a"):
    client.force_login(world[persona])
    return client.post(
        reverse("reports:round_open", args=[world["plan"].pk]),
        {"tu": "2026-06-01", "den": "2026-06-30", "han": "2026-07-05"},
    )


def test_an_office_opens_a_round_and_every_assigned_unit_in_its_scope_gets_a_section(client, world):
    response = open_june(client, world)
    round_ = ReportRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:round", args=[round_.pk])
    assigned = set(
        TaskAssignment.objects.filter(task__document=world["plan"]).values_list("unit_id", flat=True)
    )
    assert set(round_.sections.values_list("unit_id", flat=True)) == assigned
    assert AuditEntry.objects.filter(action="reports.round.opened").exists()


@pytest.mark.parametrize("persona", ["officer_a", "viewer_a", "officer_b", "nobody"])
def test_only_offices_open_rounds(client, world, persona):
    assert open_june(client, world, persona).status_code == 404
    assert not ReportRound.objects.exists()


def test_a_unit_writes_saves_and_submits_its_section_and_only_its_own(client, world):
    open_june(client, world)
    section = ReportSection.objects.get(unit=world["assignment"].unit)
    client.force_login(world["officer_a"])
    url = reverse("reports:section", args=[section.pk])
    page = client.get(url).content.decode()
    assert 'id="section-form"' in page
    # submitting without an assessment is refused, and nothing typed is lost
    response = client.post(url, {"assessment": " ", "difficulties": "Thiếu kinh phí in tờ rơi", "nop": "1"})
    assert response.status_code == 400 and "Thiếu kinh phí in tờ rơi" in response.content.decode()
    assert "đánh giá" in response.content.decode()
    client.post(
        url, {"assessment": "Hoàn thành tốt", "difficulties": "", "proposals": "Bổ sung loa", "luu": "1"}
    )
    section.refresh_from_db()
    assert section.assessment == "Hoàn thành tốt" and section.submitted_at is None
    client.post(url, {"assessment": "Hoàn thành tốt các nhiệm vụ", "proposals": "Bổ sung loa", "nop": "1"})
    section.refresh_from_db()
    assert section.submitted_at and section.submitted_by == world["officer_a"]
    assert AuditEntry.objects.filter(action="reports.section.submitted").exists()
    # submitted: read-only until reopened
    assert 'id="section-form"' not in client.get(url).content.decode()
    assert client.post(url, {"assessment": "sửa"}).status_code == 400
    client.post(url, {"mo_lai": "1"})
    section.refresh_from_db()
    assert section.submitted_at is None
    # another commune's officer can neither read nor write it
    client.force_login(world["officer_b"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"assessment": "x", "nop": "1"}).status_code == 404


def test_the_office_sees_who_submitted_urges_the_others_and_gets_the_merged_report(client, world):
    record_june(world)
    open_june(client, world)
    round_ = ReportRound.objects.get()
    world["officer_a"].email = "canbo.a@hungdao.example.vn"
    world["officer_a"].save()
    section = round_.sections.get(unit=world["assignment"].unit)
    services.save_section(
        section=section,
        actor=world["officer_a"],
        submit=True,
        assessment="Đăng đủ tin bài theo kế hoạch",
        difficulties="Thiếu máy quay",
        proposals="Đề nghị tập huấn viết tin",
    )
    client.force_login(world["office_a"])
    page = client.get(reverse("reports:round", args=[round_.pk])).content.decode()
    total = round_.sections.count()
    assert f"1/{total}" in page and section.unit.name not in page.split('id="pending"')[1]
    # urging: one email to each responsible person of a section not submitted (none for officer_a now)
    services.reopen_section(section=section, actor=world["office_a"])
    client.post(reverse("reports:round_action", args=[round_.pk, "nhac"]))
    assert [m.to for m in mail.outbox] == [["canbo.a@hungdao.example.vn"]]
    assert f"/bao-cao/phan/{section.pk}/" in mail.outbox[0].body
    services.save_section(section=section, actor=world["officer_a"], submit=True)
    response = client.get(reverse("reports:round_report", args=[round_.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Đăng đủ tin bài theo kế hoạch" in text and "Thiếu máy quay" in text
    assert "III. ĐỀ XUẤT, KIẾN NGHỊ" in text and "IV. NHIỆM VỤ THỜI GIAN TỚI" in text
    assert "3 hoạt động" in text  # every unit counted once, submitted or not
    # closing freezes the sections
    client.post(reverse("reports:round_action", args=[round_.pk, "dong"]))
    with pytest.raises(ValidationError):
        services.reopen_section(section=section, actor=world["office_a"])


def test_the_round_and_its_actions_are_the_offices(client, world):
    open_june(client, world)
    round_ = ReportRound.objects.get()
    client.force_login(world["officer_b"])
    assert client.get(reverse("reports:round", args=[round_.pk])).status_code == 404
    assert client.get(reverse("reports:round_report", args=[round_.pk])).status_code == 404
    client.force_login(world["viewer_a"])
    assert client.get(reverse("reports:round", args=[round_.pk])).status_code == 200
    assert client.post(reverse("reports:round_action", args=[round_.pk, "dong"])).status_code == 404


def test_my_reports_lists_the_units_sections(client, world):
    open_june(client, world)
    client.force_login(world["officer_a"])
    page = client.get(reverse("reports:mine")).content.decode()
    section = ReportSection.objects.get(unit=world["assignment"].unit)
    assert reverse("reports:section", args=[section.pk]) in page and "chưa nộp" in page


def test_bad_round_periods_are_refused_in_vietnamese(client, world):
    client.force_login(world["office_a"])
    response = client.post(
        reverse("reports:round_open", args=[world["plan"].pk]),
        {"tu": "2026-06-30", "den": "2026-06-01", "han": "2026-07-05"},
        follow=True,
    )
    assert "phải sau" in response.content.decode() and not ReportRound.objects.exists()
    with pytest.raises(ValidationError):
        services.save_section(
            section=ReportSection(round=ReportRound(start=dt.date(2026, 6, 1)), assessment=""),
            actor=None,
            assessment="x" * 10_001,
        )


def test_level_by_level_the_commune_reports_once_for_all_its_units_and_the_city_collects_it(client, world):
    record_june(world)
    client.force_login(world["city"])
    client.post(
        reverse("reports:round_open", args=[world["plan"].pk]),
        {"tu": "2026-06-01", "den": "2026-06-30", "han": "2026-07-05", "cap": "areas"},
    )
    round_ = ReportRound.objects.get()
    commune = world["plan"].area
    section = round_.sections.get()  # one commune has units with tasks of the plan: one section
    assert round_.level == "areas" and section.area == commune
    assert section.unit.memberships.filter(user=world["office_a"]).exists()  # its office compiles it
    # the commune office sees the figures of every unit of the commune, and submits once
    client.force_login(world["office_a"])
    url = reverse("reports:section", args=[section.pk])
    page = client.get(url).content.decode()
    assert 'id="section-scope"' in page and "3 hoạt động" in page
    client.post(url, {"assessment": "Toàn xã hoàn thành kế hoạch tháng 6", "nop": "1"})
    section.refresh_from_db()
    assert section.submitted_at
    # a unit of the commune cannot write the commune's report
    client.force_login(world["officer_a"])
    assert client.post(url, {"assessment": "x", "nop": "1"}).status_code == 404
    # the city's report counts the commune's activities once and stitches in the commune's words
    client.force_login(world["city"])
    page = client.get(reverse("reports:round", args=[round_.pk])).content.decode()
    assert commune.name in page and "1/1" in page
    response = client.get(reverse("reports:round_report", args=[round_.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "3 hoạt động" in text and "Toàn xã hoàn thành kế hoạch tháng 6" in text
    assert "báo cáo chung của địa bàn" in text


def test_a_commune_office_has_no_areas_below_it(world):
    with pytest.raises(ValidationError, match="địa bàn cấp dưới"):
        services.open_round(
            document=world["plan"],
            office=world["office_a"].memberships.get().unit,
            start=dt.date(2026, 6, 1),
            end=dt.date(2026, 6, 30),
            due=dt.date(2026, 7, 5),
            units=world["plan"].area.units.all(),
            actor=world["office_a"],
            level="areas",
        )
