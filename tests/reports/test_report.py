"""Periodic reports: figures equal the database and the dashboards; the DOCX reads back right."""

import datetime as dt
import io

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from loa.activities import dashboards
from loa.activities.models import Activity, PlanTally
from loa.activities.services import record_activity
from loa.org.models import Unit
from loa.plans.models import TaskAssignment
from loa.reports.builder import build_report, period_label
from loa.reports.render import Letterhead, number, report_docx
from loa.reports.selectors import letterhead_for

pytestmark = pytest.mark.django_db

JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def record_june(world):
    a = world["assignment"]
    other = (
        TaskAssignment.objects.filter(task__document=world["plan"])
        .exclude(unit=a.unit)
        .select_related("unit", "task")[0]
    )
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 6, 3),
        channel="social_media",
        form="tin",
        quantity=4,
        title="Tin về Nghị quyết 02",
        tasks=[a.task],
        audiences=["thanh_nien"],
        views=1500,
        link="https://hungdao.example.vn/tin-1",
    )
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 6, 30),
        channel="broadcast",
        form="buoi_phat_thanh",
        title="Phát thanh",
        tasks=[a.task],
        participants=200,
    )
    record_activity(
        actor=None,
        unit=other.unit,
        date=dt.date(2026, 6, 15),
        channel="meeting",
        form="hoi_nghi",
        title="Hội nghị quán triệt",
        tasks=[other.task],
        participants=120,
    )
    # outside the period, and outside the plan: not counted
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 7, 1),
        channel="press",
        form="bai",
        title="Tháng 7",
        tasks=[a.task],
    )
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 6, 10),
        channel="press",
        form="bai",
        title="Không thuộc kế hoạch",
    )
    return a, other


def test_report_figures_equal_the_database_and_the_dashboards(world):
    a, other = record_june(world)
    units = Unit.objects.all()
    data = build_report(world["plan"], units, *JUNE)
    in_plan = Activity.objects.filter(tasks__document=world["plan"], date__range=JUNE).distinct()
    assert data.totals.activities == in_plan.count() == 3
    assert data.totals.quantity == sum(x.quantity for x in in_plan) == 6
    assert data.totals.reach == sum(x.reach for x in in_plan) == 1820
    # the same numbers as the plan tallies behind the dashboards, for the month
    month = PlanTally.objects.filter(document=world["plan"], month=dt.date(2026, 6, 1))
    assert {line.key: line.figures.quantity for line in data.channels} == {
        t.channel: t.quantity for t in month
    }
    heat = dashboards.heat_map(world["plan"], units, dt.date(2026, 6, 30), n_months=1)
    cells = {key[0]: values[0][1] for key, values in heat.rows}
    assert {int(line.key): line.figures.quantity for line in data.units} == cells
    assert data.units_active == 2 and data.units_assigned == len(cells)
    assert data.highlights[0].title == "Tin về Nghị quyết 02" and data.highlights[0].reach == 1500
    assert {line.key: line.figures.activities for line in data.audiences} == {
        "thanh_nien": 1,
        "(khong_ro)": 2,
    }


def test_whole_months_read_the_tallies_and_give_what_counting_the_activities_gives(world):
    record_june(world)
    theme = world["plan"].current_version.themes.order_by("order")[0]
    Activity.objects.get(title="Tin về Nghị quyết 02").themes.add(theme)
    from loa.activities import tallies

    tallies.rebuild()
    units = Unit.objects.all()
    for start, end in [JUNE, (dt.date(2026, 5, 1), dt.date(2026, 7, 31))]:
        fast = build_report(world["plan"], units, start, end)
        slow = build_report(world["plan"], units, start, end, tallies=False)
        assert fast.totals == slow.totals
        assert fast.channels == slow.channels and fast.units == slow.units
        assert fast.audiences == slow.audiences and fast.themes == slow.themes
        assert fast.highlights == slow.highlights
    assert dict((label, n) for label, _t, n in fast.themes)[theme.label] == 1
    # a period that is not whole months counts the activities: 3 June activities from the 3rd on
    assert (
        build_report(world["plan"], units, dt.date(2026, 6, 3), dt.date(2026, 6, 30)).totals.activities == 3
    )


def test_highlights_skip_the_most_read_activities_of_other_plans(world, monkeypatch):
    from loa.reports import builder

    record_june(world)
    monkeypatch.setattr(builder, "HIGHLIGHTS", 1)  # so 20 candidates are enough to miss
    for i in range(21):
        record_activity(
            actor=None,
            unit=world["assignment"].unit,
            date=dt.date(2026, 6, 5),
            channel="press",
            form="bai",
            title=f"Bài ngoài kế hoạch {i}",
            views=100_000 + i,
        )
    data = build_report(world["plan"], Unit.objects.all(), *JUNE)
    assert [h.title for h in data.highlights] == ["Tin về Nghị quyết 02"]


def test_the_docx_is_an_official_report_with_the_plan_signature(world):
    record_june(world)
    data = build_report(world["plan"], Unit.objects.all(), *JUNE)
    head = letterhead_for(world["plan"])
    assert head.signature.authority == "TM. ỦY BAN NHÂN DÂN" and head.signature.deputy == "KT. CHỦ TỊCH"
    assert head.place == "Hưng Đạo"
    document = docx.Document(io.BytesIO(report_docx(data, head)))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and "DỰ THẢO" in texts
    assert "Kết quả công tác thông tin, tuyên truyền tháng 6 năm 2026" in texts
    assert any(t.startswith("Thực hiện Kế hoạch") and "tháng 6 năm 2026" in t for t in texts)
    channel_table = document.tables[1]
    assert [c.text for c in channel_table.rows[0].cells] == ["Kênh", "Hoạt động", "Số lượng", "Lượt tiếp cận"]
    assert [c.text for c in channel_table.rows[-1].cells] == ["Tổng cộng", "3", "6", number(1820)]
    closing = document.tables[-1]
    assert "Đỗ Hồng Sơn" in closing.cell(0, 1).text
    assert any("hungdao.example.vn/tin-1" in t for t in texts)


def test_the_report_draws_its_channels_and_units_as_charts(world):
    record_june(world)
    data = build_report(world["plan"], Unit.objects.all(), *JUNE)
    document = docx.Document(io.BytesIO(report_docx(data, letterhead_for(world["plan"]))))
    pictures = [rel.target_part.blob for rel in document.part.rels.values() if rel.reltype.endswith("/image")]
    assert len(pictures) == 2 and all(p.startswith(b"\x89PNG") for p in pictures)
    texts = [p.text for p in document.paragraphs]
    assert "Biểu đồ 1. Số lượng tin, bài, buổi, sản phẩm theo kênh" in texts
    assert "Biểu đồ 2. Số lượng tin, bài, buổi, sản phẩm theo đơn vị" in texts
    # each chart follows its table: the channel chart comes before heading 3
    assert texts.index("Biểu đồ 1. Số lượng tin, bài, buổi, sản phẩm theo kênh") < texts.index(
        "3. Theo đơn vị"
    )


def test_an_office_downloads_its_report_and_others_get_404(client, world):
    record_june(world)
    url = reverse("reports:plan_report", args=[world["plan"].pk]) + "?tu=2026-06-01&den=2026-06-30"
    client.force_login(world["office_a"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "tháng 6 năm 2026" in text
    for persona in ("officer_b", "nobody"):
        client.force_login(world[persona])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?tu=2026-13-01&den=2026-06-30", "Ngày không hợp lệ"),
        ("?tu=2026-06-30&den=2026-06-01", "phải sau"),
        ("?tu=2025-01-01&den=2026-06-30", "366 ngày"),
    ],
)
def test_bad_periods_get_a_vietnamese_400(client, world, query, message):
    client.force_login(world["office_a"])
    response = client.get(reverse("reports:plan_report", args=[world["plan"].pk]) + query)
    assert response.status_code == 400 and message in response.content.decode()


def test_the_report_command_writes_the_docx(world, tmp_path, capsys):
    record_june(world)
    out = tmp_path / "bc.docx"
    call_command("report", world["plan"].pk, month="2026-06", out=str(out))
    assert "3 hoạt động" in capsys.readouterr().out
    assert docx.Document(str(out)).tables
    with pytest.raises(CommandError) as err:
        call_command("report", 999999)
    assert err.value.returncode == 2


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (dt.date(2026, 6, 1), dt.date(2026, 6, 30), "tháng 6 năm 2026"),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "quý II năm 2026"),
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "năm 2026"),
        (dt.date(2026, 6, 15), dt.date(2026, 7, 14), "từ ngày 15/6/2026 đến ngày 14/7/2026"),
    ],
)
def test_period_labels(start, end, label):
    assert period_label(start, end) == label


def test_an_empty_period_still_reports_honestly(world):
    data = build_report(world["plan"], Unit.objects.all(), dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert data.totals.activities == 0 and data.units_active == 0
    body = report_docx(data, Letterhead(issuer="ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    assert "Chưa ghi nhận hoạt động nào trong kỳ." in text


def test_the_plan_dashboard_offers_the_report_for_a_month(client, world):
    record_june(world)
    client.force_login(world["office_a"])
    page = client.get(reverse("activities:plan_dashboard", args=[world["plan"].pk])).content.decode()
    action = reverse("reports:plan_report", args=[world["plan"].pk])
    assert f'action="{action}"' in page and 'type="month" name="tu"' in page
    response = client.get(action + "?tu=2026-06")
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "tháng 6 năm 2026" in text
