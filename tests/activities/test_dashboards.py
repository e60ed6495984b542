import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from loa.activities import dashboards
from loa.activities.models import Activity
from loa.activities.services import record_activity
from loa.org.models import Unit
from tests.activities.conftest import SAMPLES

pytestmark = pytest.mark.django_db

JUNE = dt.date(2026, 6, 20)


def test_plan_progress_rolls_up_with_equal_weights_and_skips_unmeasured(world):
    a = world["assignment"]
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 6, 2),
        channel="social_media",
        form="tin",
        quantity=5,
        title="Tin",
        tasks=[a.task],
    )
    progress = dashboards.plan_progress(world["plan"], Unit.objects.all(), JUNE)
    measured = [t for t in progress.tasks if t.progress is not None]
    assert len(measured) == 1 and measured[0].task == a.task
    assert progress.progress == pytest.approx(0.5)  # only the measured task counts


def test_heat_map_channel_mix_theme_coverage_trace_to_activities(world):
    a = world["assignment"]
    theme = world["plan"].current_version.themes.get(label="1.2.3.4")
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 5, 2),
        channel="social_media",
        form="tin",
        quantity=2,
        title="Tin văn hóa",
        tasks=[a.task],
        themes=[theme],
        views=100,
        audiences=["thanh_nien"],
    )
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date(2026, 6, 2),
        channel="broadcast",
        form="buoi_phat_thanh",
        title="Phát thanh",
        tasks=[a.task],
    )
    units = Unit.objects.all()
    heat = dashboards.heat_map(world["plan"], units, JUNE)
    row = dict((unit[0], values) for unit, values in heat.rows)[a.unit_id]
    assert dict(row)[dt.date(2026, 5, 1)] == 2 and dict(row)[dt.date(2026, 6, 1)] == 1
    assert {m["channel"]: m["n"] for m in dashboards.channel_mix(world["plan"], units)} == {
        "social_media": 2,
        "broadcast": 1,
    }
    coverage = dict((t.label, n) for t, n in dashboards.theme_coverage(world["plan"], units))
    assert coverage["1.2.3.4"] == 1 and coverage["1.1"] == 0
    assert dashboards.audience_reach(world["plan"], units)[0][:3] == ("thanh_nien", 1, 100)


def test_dashboard_pages_are_scoped_and_link_to_activities(client, world):
    a = world["assignment"]
    record_activity(
        actor=None,
        unit=a.unit,
        date=dt.date.today(),
        channel="social_media",
        form="tin",
        title="Tin về Thủ đô",
        tasks=[a.task],
    )
    client.force_login(world["officer_b"])
    assert client.get(reverse("activities:plan_dashboard", args=[world["plan"].pk])).status_code == 404
    listing = client.get(
        reverse("activities:activity_list") + f"?ke_hoach={world['plan'].pk}"
    ).content.decode()
    assert "Tin về Thủ đô" not in listing
    client.force_login(world["office_a"])
    html = client.get(reverse("activities:plan_dashboard", args=[world["plan"].pk])).content.decode()
    assert "chart.umd.min.js" in html and "chưa ai tuyên truyền" in html
    assert f"don_vi={a.unit_id}" in html
    listing = client.get(
        reverse("activities:activity_list") + f"?ke_hoach={world['plan'].pk}&don_vi={a.unit_id}"
    )
    assert "Tin về Thủ đô" in listing.content.decode()
    assert client.get(reverse("activities:office_dashboard")).status_code == 200


def test_office_dashboard_lists_late_items(client, world):
    task = world["assignment"].task
    task.deadline = dt.date.today() - dt.timedelta(days=3)
    task.save()
    client.force_login(world["office_a"])
    html = client.get(reverse("activities:office_dashboard")).content.decode()
    assert task.text[:40] in html.split('id="late"')[1].split("</table>")[0]


def test_dashboard_with_demo_data_costs_bounded_queries(client, world, django_assert_max_num_queries):
    world["plan"].is_sample = True
    world["plan"].save()
    call_command("demo_data", "--today", dt.date.today().isoformat())
    assert Activity.objects.exists()
    client.force_login(world["city"])
    with django_assert_max_num_queries(30):
        response = client.get(reverse("activities:plan_dashboard", args=[world["plan"].pk]))
    assert response.status_code == 200


def test_office_dashboard_offers_one_click_reminders_to_the_office_only(client, world):
    task = world["assignment"].task
    task.deadline = dt.date.today() - dt.timedelta(days=3)
    task.save()
    client.force_login(world["office_a"])
    assert "/nhac-viec/" in client.get(reverse("activities:office_dashboard")).content.decode()
    client.force_login(world["viewer_a"])
    assert "/nhac-viec/" not in client.get(reverse("activities:office_dashboard")).content.decode()
    client.force_login(world["officer_a"])
    html = client.get(reverse("activities:assignment", args=[world["assignment"].pk])).content.decode()
    assert "zalo" in html and "/nhac-viec/" not in html
    assert "khoa=" in client.get(reverse("activities:my_tasks")).content.decode()


def test_area_rollup_is_the_mean_of_areas_and_drills_down(client, world):
    call_command("import_plan", str(SAMPLES / "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"))
    from loa.plans.models import Document, TaskAssignment

    city_plan = Document.objects.get(issuer_name="Ban Tuyên giáo và Dân vận Thành ủy")
    rows = TaskAssignment.objects.filter(task__document=city_plan, unit__area__level="commune")
    a1, a2 = rows.select_related("unit__area")[0], rows.exclude(unit__area=rows[0].unit.area)[0]
    from loa.plans.services import task_complete

    task_complete(assignment=a1, actor=None, note="Đã đăng tin")
    progress = dashboards.plan_progress(city_plan, Unit.objects.all(), JUNE)
    areas, mean = dashboards.area_rollup(progress)
    first = next(f for f in areas if f.area == a1.unit.area)
    assert first.progress == 1.0 and first.units_measured == 1
    assert mean == pytest.approx(1.0)  # only areas with a figure count
    client.force_login(world["city"])
    url = reverse("activities:plan_dashboard", args=[city_plan.pk])
    assert f"?dia_ban={a1.unit.area.code}" in client.get(url).content.decode()
    html = client.get(url + f"?dia_ban={a2.unit.area.code}").content.decode()
    assert a2.unit.area.name in html
    # one level further down: the area's units, each the mean of its tasks
    html = client.get(url + f"?dia_ban={a1.unit.area.code}").content.decode()
    assert 'id="units"' in html and a1.unit.name in html
    figures = {f.unit.pk: f for f in dashboards.unit_rollup(progress)}
    assert figures[a1.unit_id].progress == 1.0 and figures[a2.unit_id].progress is None


def test_aggregates_sum_over_activities_not_per_activity(world):
    a = world["assignment"]
    for day, views in [(2, 100), (3, 50)]:
        record_activity(
            actor=None,
            unit=a.unit,
            date=dt.date(2026, 6, day),
            channel="social_media",
            form="tin",
            quantity=2,
            title="Tin",
            tasks=[a.task],
            views=views,
            audiences=["thanh_nien"],
        )
    units = Unit.objects.all()
    assert dashboards.channel_mix(world["plan"], units) == [{"channel": "social_media", "n": 4}]
    progress = dashboards.plan_progress(world["plan"], units, JUNE)
    top = dashboards.ranking(progress, world["plan"], units)[0]
    assert top.unit.pk == a.unit_id and top.reach == 150
