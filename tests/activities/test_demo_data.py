import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from loa.activities.models import Activity
from loa.activities.selectors import build_rows
from loa.audit.models import AuditEntry
from loa.org.services import load_hanoi
from loa.plans.models import Task, TaskAssignment
from loa.plans.services import import_plan

pytestmark = pytest.mark.django_db

TODAY = "2026-06-30"
SAMPLES = [
    "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt",
    "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt",
]


@pytest.fixture
def sample_plans(db, samples_dir):
    load_hanoi()
    for name in SAMPLES:
        import_plan(data=(samples_dir / name).read_bytes(), filename=name, is_sample=True)


def demo_data(*args: str) -> str:
    out = StringIO()
    call_command("demo_data", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def test_it_asks_for_the_sample_plans_first(db):
    assert "loa import-plan --sample" in demo_data()
    assert not Activity.objects.exists()


def test_it_creates_sample_activities_once_and_the_same_each_time(sample_plans):
    out = demo_data()
    created = Activity.objects.count()
    assert created > 0 and f"Đã tạo {created} hoạt động mẫu" in out
    assert not Activity.objects.filter(is_sample=False).exists()
    assert not Activity.objects.exclude(external_id__startswith="demo-").exists()
    assert not Activity.objects.filter(date__gt=dt.date(2026, 6, 30)).exists()
    assert AuditEntry.objects.filter(action="activities.activity.recorded").count() == created
    done = TaskAssignment.objects.filter(done_at__isnull=False).count()
    assert 1 <= done <= 2

    assert "Dữ liệu mẫu đã có, không tạo thêm." in demo_data()
    assert Activity.objects.count() == created
    assert TaskAssignment.objects.filter(done_at__isnull=False).count() == done

    # The same seed and day give the same rows.
    first = sorted(Activity.objects.values_list("unit_id", "external_id", "date", "title", "views"))
    Activity.objects.all().delete()
    demo_data()
    assert sorted(Activity.objects.values_list("unit_id", "external_id", "date", "title", "views")) == first


def test_every_activity_fits_its_unit_plan_and_channel(sample_plans):
    demo_data()
    assigned = set(TaskAssignment.objects.values_list("unit_id", "task_id"))
    for activity in Activity.objects.prefetch_related("tasks__document", "themes"):
        tasks = list(activity.tasks.all())
        themes = list(activity.themes.all())
        assert tasks and all((activity.unit_id, t.pk) in assigned for t in tasks)
        assert 1 <= len(themes) <= 2
        assert {th.version_id for th in themes} <= {t.document.current_version_id for t in tasks}
        assert activity.title.strip() and activity.summary
    online = Activity.objects.filter(channel__in=["social_media", "web_portal", "press"])
    assert online.exists() and not online.filter(views__isnull=True).exists()
    meetings = Activity.objects.filter(form="hoi_nghi")
    assert meetings.exists() and not meetings.filter(participants__isnull=True).exists()
    assert not Activity.objects.filter(form="tin", participants__isnull=False).exists()

    # "≥ 10 tin, bài/tháng trên mạng xã hội": some whole months meet it, some do not.
    centre = Task.objects.get(kpis__per="month")
    counts = [
        Activity.objects.filter(tasks=centre, channel="social_media", date__year=2026, date__month=m).count()
        for m in (5, 6)
    ]
    assert all(6 <= n <= 14 for n in counts) and min(counts) < 10 <= max(counts)


def test_every_status_shows_up(sample_plans):
    demo_data()
    assignments = list(TaskAssignment.objects.select_related("task", "unit").prefetch_related("task__kpis"))
    statuses = {row.status for row in build_rows(assignments, dt.date(2026, 6, 30))}
    assert len(statuses) >= 3
    assert {"not_started", "in_progress", "done"} <= statuses
