import datetime as dt

import pytest

from loa.activities.selectors import build_rows, period_bounds
from loa.activities.services import record_activity
from loa.activities.suggest import suggest_themes
from loa.plans.services import task_complete

pytestmark = pytest.mark.django_db

JUNE = dt.date(2026, 6, 20)


def post(world, date, *, channel="social_media", form="tin", quantity=1, user="officer_a"):
    a = world["assignment"]
    return record_activity(
        actor=world[user],
        unit=a.unit,
        date=date,
        channel=channel,
        form=form,
        quantity=quantity,
        title="Tin tuyên truyền Nghị quyết 02 trên trang mạng xã hội của xã",
        tasks=[a.task],
    )


def row(world, today=JUNE):
    (r,) = build_rows([world["assignment"]], today)
    return r


def test_period_bounds():
    assert period_bounds(JUNE, "month") == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert period_bounds(JUNE, "quarter") == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert period_bounds(dt.date(2026, 6, 24), "week") == (dt.date(2026, 6, 22), dt.date(2026, 6, 28))


def test_quota_counts_only_matching_forms_channels_and_period(world):
    assert row(world).status == "not_started" and row(world).kpis[0].done == 0
    post(world, dt.date(2026, 6, 2), quantity=4)
    post(world, dt.date(2026, 6, 3), form="video", quantity=2)  # video counts as "tin, bài"
    post(world, dt.date(2026, 6, 4), form="hoi_nghi")  # a meeting is not a "tin, bài"
    post(world, dt.date(2026, 6, 5), channel="broadcast")  # not on digital platforms
    post(world, dt.date(2026, 5, 30), quantity=9)  # last month
    r = row(world)
    assert r.kpis[0].done == 6 and r.kpis[0].percent == 60
    assert r.status == "in_progress" and r.progress == pytest.approx(0.6)


def test_quota_met_means_done_for_the_period(world):
    post(world, dt.date(2026, 6, 2), quantity=10)
    assert row(world).status == "done"
    assert (
        row(world, dt.date(2026, 7, 1)).status == "in_progress"
    )  # July starts from zero; June's work still counted


def test_a_task_without_quota_has_no_figure_until_done_with_evidence(world):
    a = world["plan"].tasks.get(assignment_label="1").assignments.get()
    (r,) = build_rows([a], JUNE)
    assert r.progress is None and r.status == "not_started"
    task_complete(assignment=a, actor=world["office_a"], note="Đã tổng hợp, báo cáo Thường trực")
    a.refresh_from_db()
    (r,) = build_rows([a], JUNE)
    assert r.progress == 1.0 and r.status == "done"


def test_overdue_is_derived_from_the_deadline(world):
    a = world["assignment"]
    a.task.deadline = dt.date(2026, 6, 1)
    a.task.save()
    assert row(world).status == "overdue"


def test_theme_suggestion_explains_itself():
    themes = [
        (1, "Về quy hoạch phát triển Thủ đô với tầm nhìn dài hạn, ổn định"),
        (2, "Về phát triển toàn diện văn hóa, con người Thủ đô"),
        (3, "Về giữ vững quốc phòng - an ninh, bảo đảm trật tự, an toàn xã hội"),
    ]
    found = suggest_themes("Bài viết về bảo tồn văn hóa, con người Hà Nội", themes)
    assert found[0][0] == 2 and "van hoa" in found[0][2] or "con nguoi" in found[0][2]
    assert suggest_themes("", themes) == []


def test_a_plan_may_count_months_from_the_15th(world, client):
    assert period_bounds(dt.date(2026, 6, 20), "month", 15) == (dt.date(2026, 6, 15), dt.date(2026, 7, 14))
    assert period_bounds(dt.date(2026, 6, 3), "month", 15) == (dt.date(2026, 5, 15), dt.date(2026, 6, 14))
    assert period_bounds(dt.date(2026, 1, 3), "month", 15) == (dt.date(2025, 12, 15), dt.date(2026, 1, 14))
    post(world, dt.date(2026, 5, 30), quantity=4)  # counts in 15/5–14/6, not in June
    assert row(world, dt.date(2026, 6, 10)).kpis[0].done == 0
    client.force_login(world["office_a"])
    client.post(f"/ke-hoach/{world['plan'].pk}/ky-bao-cao/", {"start_day": "15"})
    world["assignment"].task.document.refresh_from_db()
    (r,) = build_rows([world["assignment"]], dt.date(2026, 6, 10))
    assert r.kpis[0].done == 4
    client.force_login(world["officer_a"])
    assert client.post(f"/ke-hoach/{world['plan'].pk}/ky-bao-cao/", {"start_day": "1"}).status_code == 403
