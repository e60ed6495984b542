"""The tallies the dashboards read always equal a fresh count of the activities."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse

from loa.activities import dashboards, tallies, views
from loa.activities.bulk import import_activities, update_activity
from loa.activities.models import (
    Activity,
    AudienceMonthTally,
    AudienceTally,
    PlanChannelTally,
    PlanMonthTally,
    PlanTally,
    TaskTally,
    ThemeMonthTally,
    ThemeTally,
)
from loa.activities.services import record_activity
from loa.org.models import Unit
from loa.plans.models import TaskAssignment

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "plan": sorted(
            PlanTally.objects.values_list(
                "document_id", "unit_id", "month", "channel", "activities", "quantity", "reach"
            )
        ),
        "month": sorted(
            PlanMonthTally.objects.values_list(
                "document_id", "unit_id", "month", "activities", "quantity", "reach"
            )
        ),
        "channel": sorted(
            PlanChannelTally.objects.values_list(
                "document_id", "unit_id", "channel", "activities", "quantity", "reach"
            )
        ),
        "task": sorted(TaskTally.objects.values_list("task_id", "unit_id", "activities", "quantity")),
        "audience": sorted(
            AudienceTally.objects.values_list("document_id", "unit_id", "audience", "activities", "reach")
        ),
        "theme": sorted(ThemeTally.objects.values_list("theme_id", "unit_id", "activities")),
        "audience_month": sorted(
            AudienceMonthTally.objects.values_list(
                "document_id", "unit_id", "month", "audience", "activities", "reach"
            )
        ),
        "theme_month": sorted(
            ThemeMonthTally.objects.values_list("theme_id", "unit_id", "month", "activities")
        ),
    }


def direct_figures(plan, units):
    """The dashboard figures counted straight from the activities, the slow way."""
    acts = Activity.objects.filter(tasks__document=plan, unit__in=units).distinct()
    channels, audiences, reach = Counter(), defaultdict(lambda: [0, 0]), Counter()
    for act in acts:
        channels[act.channel] += act.quantity
        reach[act.unit_id] += act.reach
        for code in act.audiences or [tallies.UNKNOWN_AUDIENCE]:
            audiences[code][0] += 1
            audiences[code][1] += act.reach
    themes = Counter()
    for act in Activity.objects.filter(themes__version=plan.current_version, unit__in=units):
        for theme in act.themes.all():
            themes[theme.pk] += 1
    return channels, {k: tuple(v) for k, v in audiences.items()}, reach, themes


def record_some(world):
    a = world["assignment"]
    plan = world["plan"]
    other = (
        TaskAssignment.objects.filter(task__document=plan)
        .exclude(unit=a.unit)
        .select_related("unit", "task")[0]
    )
    themes = list(plan.current_version.themes.order_by("order")[:3])
    made = [
        record_activity(
            actor=None,
            unit=a.unit,
            date=dt.date(2026, 5, 30),
            channel="social_media",
            form="tin",
            quantity=3,
            title="Tin 1",
            tasks=[a.task],
            themes=themes[:2],
            audiences=["thanh_nien", "phu_nu"],
            views=120,
            shares=4,
        ),
        record_activity(
            actor=None,
            unit=a.unit,
            date=dt.date(2026, 6, 2),
            channel="broadcast",
            form="buoi_phat_thanh",
            title="Phát thanh",
            tasks=[a.task],
            participants=300,
        ),
        record_activity(
            actor=None,
            unit=other.unit,
            date=dt.date(2026, 6, 3),
            channel="meeting",
            form="hoi_nghi",
            title="Hội nghị",
            tasks=[other.task],
            themes=[themes[2]],
            audiences=["can_bo_dang_vien"],
            participants=80,
        ),
    ]
    return made, other, themes


def test_tallies_equal_a_fresh_count_after_records_and_updates(world):
    made, other, themes = record_some(world)
    update_activity(activity=made[0], actor=None, date=dt.date(2026, 6, 1), quantity=5, themes=[themes[2]])
    update_activity(activity=made[1], actor=None, audiences=["nguoi_cao_tuoi"], copies=50)
    update_activity(activity=made[2], actor=None, tasks=[])  # no longer counts for the plan
    kept = snapshot()
    assert kept["plan"] and kept["task"] and kept["audience"] and kept["theme"]
    tallies.rebuild()
    assert snapshot() == kept

    units = Unit.objects.all()
    channels, audiences, reach, themes_n = direct_figures(world["plan"], units)
    assert {m["channel"]: m["n"] for m in dashboards.channel_mix(world["plan"], units)} == channels
    assert {code: (n, r) for code, n, r in dashboards.audience_reach(world["plan"], units)} == audiences
    progress = dashboards.plan_progress(world["plan"], units, dt.date(2026, 6, 20))
    assert {
        r.unit.pk: r.reach for r in dashboards.ranking(progress, world["plan"], units) if r.reach
    } == dict(reach)
    coverage = {t.pk: n for t, n in dashboards.theme_coverage(world["plan"], units) if n}
    assert coverage == dict(themes_n)
    assert channels == {"social_media": 5, "broadcast": 1}  # the meeting left the plan with its task


def test_scope_narrows_every_figure(world):
    record_some(world)
    a = world["assignment"]
    own = Unit.objects.filter(pk=a.unit_id)
    assert {m["channel"] for m in dashboards.channel_mix(world["plan"], own)} == {"social_media", "broadcast"}
    assert "can_bo_dang_vien" not in {code for code, *_ in dashboards.audience_reach(world["plan"], own)}
    heat = dashboards.heat_map(world["plan"], own, dt.date(2026, 6, 20))
    assert [key[0] for key, _values in heat.rows] == [a.unit_id]


def test_bulk_import_keeps_tallies_exact(world):
    a = world["assignment"]
    lines = ["ma,ngay,don_vi,kenh,hinh_thuc,so_luong,tieu_de,nhiem_vu,doi_tuong,luot_xem"]
    for i in range(30):
        lines.append(
            f"B{i},{i % 28 + 1}/0{4 + i % 3}/2026,{a.unit.name},Mạng xã hội,Tin,2,Tin số {i},{a.task_id},Thanh niên,{i}"
        )
    data = "\n".join(lines).encode()
    result = import_activities(
        data=data, filename="a.csv", actor=None, units=Unit.objects.filter(pk=a.unit_id)
    )
    assert result.created == 30, result.errors
    kept = snapshot()
    assert TaskTally.objects.get(task=a.task, unit=a.unit).quantity == 60
    tallies.rebuild()
    assert snapshot() == kept


def test_rebuild_tallies_command_counts_activities_written_behind_loas_back(world, capsys):
    a = world["assignment"]
    act = Activity.objects.create(
        unit=a.unit, date=dt.date(2026, 6, 1), channel="press", form="bai", quantity=4, title="x"
    )
    act.tasks.add(a.task)
    assert not TaskTally.objects.exists()
    call_command("rebuild_tallies")
    assert "kế hoạch" in capsys.readouterr().out
    assert TaskTally.objects.get(task=a.task, unit=a.unit).quantity == 4
    assert PlanTally.objects.get(unit=a.unit).month == dt.date(2026, 6, 1)


def test_a_failed_write_leaves_tallies_as_they_were(world):
    record_some(world)
    kept = snapshot()
    with pytest.raises(Exception):  # noqa: B017 — any failure inside the transaction
        with tallies.deferred():
            from django.db import transaction

            with transaction.atomic():
                a = world["assignment"]
                record_activity(
                    actor=None,
                    unit=a.unit,
                    date=dt.date(2026, 6, 9),
                    channel="press",
                    form="bai",
                    title="y",
                    tasks=[a.task],
                )
                raise RuntimeError("boom")
    assert snapshot() == kept


def test_activity_list_pages_and_caps_its_count(client, world, monkeypatch):
    a = world["assignment"]
    for i in range(7):
        record_activity(
            actor=None,
            unit=a.unit,
            date=dt.date(2026, 6, 1 + i),
            channel="press",
            form="bai",
            title=f"Bài {i}",
            tasks=[a.task],
        )
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    client.force_login(world["office_a"])
    url = reverse("activities:activity_list") + f"?ke_hoach={world['plan'].pk}"
    first = client.get(url).content.decode()
    assert "hơn 5" in first and "<td>Bài 6</td>" in first and "<td>Bài 3</td>" not in first
    assert "trang=2" in first
    second = client.get(url + "&trang=2").content.decode()
    assert "<td>Bài 3</td>" in second and "<td>Bài 6</td>" not in second and "trang=3" not in second
    last = client.get(url + "&trang=99").content.decode()  # beyond the cap: the last page allowed
    assert "<td>Bài 3</td>" in last and "<td>Bài 0</td>" not in last


def test_big_scopes_show_areas_and_a_ranking_download(client, world, monkeypatch):
    record_some(world)
    monkeypatch.setattr(views, "HEAT_BY_AREA_FROM", 0)
    monkeypatch.setattr(views, "RANK_HEAD", 1)
    monkeypatch.setattr(views, "RANK_TAIL", 1)
    client.force_login(world["city"])
    page = client.get(reverse("activities:plan_dashboard", args=[world["plan"].pk])).content.decode()
    area = world["plan"].area
    assert "Hoạt động theo địa bàn và tháng" in page and f"?dia_ban={area.code}" in page
    assert "xem đủ" in page
    export = client.get(reverse("activities:plan_ranking_export", args=[world["plan"].pk, "csv"]))
    text = export.content.decode("utf-8-sig")
    assert export.status_code == 200 and text.count("\n") >= 3 and "Điểm" in text.splitlines()[0]
    assert (
        client.get(reverse("activities:plan_ranking_export", args=[world["plan"].pk, "pdf"])).status_code
        == 404
    )


def test_my_tasks_pages_for_an_office_with_many_assignments(client, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(world["office_a"])
    page = client.get(reverse("activities:my_tasks")).content.decode()
    assert "trang=2" in page and page.count('class="card task') == 2


def test_admin_edits_and_deletes_keep_tallies_exact(client, world, django_user_model):
    made, _other, _themes = record_some(world)
    client.force_login(django_user_model.objects.create_superuser("quantri", password="mat-khau-dai-123"))
    act = made[0]
    data = {
        "unit": act.unit_id,
        "date": "2026-04-15",
        "channel": act.channel,
        "form": act.form,
        "quantity": 9,
        "title": act.title,
        "link": "",
        "summary": "",
        "themes": ",".join(str(t.pk) for t in act.themes.all()),
        "tasks": ",".join(str(t.pk) for t in act.tasks.all()),
        "audiences": '["thanh_nien"]',
        "views": 1,
        "external_id": "",
    }
    response = client.post(reverse("admin:activities_activity_change", args=[act.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PlanTally.objects.filter(unit=act.unit, month=dt.date(2026, 4, 1), quantity=9).exists()
    kept = snapshot()
    tallies.rebuild()
    assert snapshot() == kept
    response = client.post(reverse("admin:activities_activity_delete", args=[made[1].pk]), {"post": "yes"})
    assert response.status_code == 302
    kept = snapshot()
    tallies.rebuild()
    assert snapshot() == kept
    assert not PlanTally.objects.filter(channel="broadcast").exists()
