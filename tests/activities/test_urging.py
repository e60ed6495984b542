"""Urging: what is due, who gets one digest a day, the Zalo text, the per-unit calendar feed."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import include, path, reverse

from loa import urls as root_urls
from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.activities import urging
from loa.activities.selectors import build_rows
from loa.activities.services import record_activity
from loa.activities.tasks import send_daily_reminders
from loa.audit.models import AuditEntry
from loa.plans.models import TaskAssignment
from loa.plans.services import task_complete

# Until the project urlconf includes the feed at /lich/, the tests route it themselves.
urlpatterns = list(root_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "urging" for p in urlpatterns):
    urlpatterns.append(path("lich/", include("loa.activities.urging_urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

TODAY = dt.date(2026, 6, 10)  # the month's quota period ends in 20 days: only deadlines count
MONTH_END_NEAR = dt.date(2026, 6, 25)  # the quota period ends in 5 days


def give_emails(world):
    for name in ("officer_a", "officer_b", "office_a", "viewer_a", "city"):
        user = world[name]
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])


def set_deadline(task, day):
    task.deadline = day
    task.save(update_fields=["deadline"])


def assignment(world, label, unit=None, index=0) -> TaskAssignment:
    task = world["plan"].tasks.filter(assignment_label=label).order_by("order")[index]
    qs = TaskAssignment.objects.filter(task=task).select_related("task", "unit")
    return qs.get(unit=unit) if unit is not None else qs.get()


def post(world, date, quantity):
    a = world["assignment"]
    record_activity(
        actor=world["officer_a"],
        unit=a.unit,
        date=date,
        channel="social_media",
        form="tin",
        quantity=quantity,
        title="Tin tuyên truyền Nghị quyết 02",
        tasks=[a.task],
    )


def due_pks(**kwargs):
    return [r.assignment.pk for r in urging.due_items(**kwargs)]


# --- due_items ---------------------------------------------------------------------------------


def test_it_finds_due_and_overdue_items_but_not_later_or_done_ones(world):
    centre = world["assignment"]
    set_deadline(centre.task, TODAY + dt.timedelta(days=3))
    overdue = assignment(world, "1")
    set_deadline(overdue.task, TODAY - dt.timedelta(days=2))
    later = assignment(world, "2", index=0)
    set_deadline(later.task, TODAY + dt.timedelta(days=30))
    done = assignment(world, "2", index=1)
    set_deadline(done.task, TODAY + dt.timedelta(days=1))
    task_complete(assignment=done, actor=world["office_a"], note="Đã triển khai cuộc thi")

    assert due_pks(today=TODAY) == [overdue.pk, centre.pk]
    assert due_pks(today=TODAY, within_days=30) == [overdue.pk, centre.pk, later.pk]
    assert due_pks(today=TODAY, units=[centre.unit]) == [centre.pk]


def test_it_finds_a_recurring_quota_not_met_near_the_period_end(world):
    centre = world["assignment"]
    assert centre.pk not in due_pks(today=TODAY)
    assert centre.pk in due_pks(today=MONTH_END_NEAR)
    post(world, dt.date(2026, 6, 3), quantity=10)
    assert centre.pk not in due_pks(today=MONTH_END_NEAR)


def test_due_items_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    set_deadline(world["assignment"].task, TODAY)
    # assignments, their quotas, quota forms, task tallies, quota sums: the same for 1 row or all
    with django_assert_num_queries(5):
        assert len(urging.due_items(today=TODAY)) == 1
    for a in TaskAssignment.objects.select_related("task"):
        set_deadline(a.task, TODAY)
    total = TaskAssignment.objects.count()
    with django_assert_num_queries(5):
        assert len(urging.due_items(today=TODAY)) == total


def test_responsible_users_are_officers_else_the_units_office(world):
    centre = world["assignment"]
    assert urging.responsible_users(centre) == [world["officer_a"]]
    grant_role(user=world["office_a"], unit=centre.unit, role=Role.OFFICE)
    assert urging.responsible_users(centre) == [world["officer_a"]]
    economy = assignment(world, "4", unit=centre.unit.__class__.objects.get(name="Phòng Kinh tế xã Hưng Đạo"))
    assert urging.responsible_users(economy) == []
    grant_role(user=world["office_a"], unit=economy.unit, role=Role.OFFICE)
    assert urging.responsible_users(economy) == [world["office_a"]]


# --- reminder text -----------------------------------------------------------------------------


def test_reminder_text_is_short_vietnamese_with_the_link(world):
    centre = world["assignment"]
    set_deadline(centre.task, MONTH_END_NEAR - dt.timedelta(days=3))
    post(world, dt.date(2026, 6, 2), quantity=3)
    (row,) = build_rows([centre], MONTH_END_NEAR)
    text = urging.reminder_text(row, today=MONTH_END_NEAR)
    assert len(text) <= 500
    assert text.startswith("Đôn đốc nhiệm vụ – Trung tâm dịch vụ tổng hợp xã Hưng Đạo")
    assert "quá hạn 3 ngày" in text
    assert "đã có 3/10 tin, bài tháng 6/2026 (còn 5 ngày)" in text
    assert f"/nhiem-vu/{centre.pk}/" in text

    set_deadline(centre.task, MONTH_END_NEAR + dt.timedelta(days=4))
    centre.task.text = "Tuyên truyền, " * 200
    (row,) = build_rows([centre], MONTH_END_NEAR)
    text = urging.reminder_text(row, today=MONTH_END_NEAR, base_url="https://loa.hungdao.hanoi.gov.vn")
    assert len(text) <= 500 and "còn 4 ngày" in text and "…" in text
    assert text.endswith(f"https://loa.hungdao.hanoi.gov.vn/nhiem-vu/{centre.pk}/")


# --- digests -----------------------------------------------------------------------------------


def digest_world(world):
    give_emails(world)
    centre = world["assignment"]
    set_deadline(centre.task, TODAY + dt.timedelta(days=3))
    shared = assignment(world, "4", unit=centre.unit)  # the plan-wide task, also the centre's
    set_deadline(shared.task, TODAY + dt.timedelta(days=5))
    units = {a.unit.name: a for a in TaskAssignment.objects.filter(task=shared.task).select_related("unit")}
    economy = units["Phòng Kinh tế xã Hưng Đạo"]
    grant_role(user=world["office_a"], unit=economy.unit, role=Role.OFFICE)  # no officer: the office
    grant_role(
        user=world["nobody"],
        unit=units["Trung tâm Phục vụ hành chính công xã Hưng Đạo"].unit,
        role=Role.OFFICER,
    )
    return centre, shared, economy


def test_it_sends_one_email_per_person_listing_all_their_items(world, mailoutbox):
    centre, shared, economy = digest_world(world)
    summary = urging.run_digests(today=TODAY)
    assert summary.sent == 2 and summary.without_email == ["khong_vai_tro"]
    assert summary.without_person == 2  # Phòng Văn hóa - Xã hội, Văn phòng HĐND và UBND
    by_person = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_person) == ["canbo_a@example.vn", "vanphong_a@example.vn"]
    officer_mail = by_person["canbo_a@example.vn"]
    assert officer_mail.subject == "[Loa] Đôn đốc: 2 nhiệm vụ sắp đến hạn hoặc quá hạn"
    assert "Kính gửi canbo_a," in officer_mail.body
    assert f"http://127.0.0.1:8000/nhiem-vu/{centre.pk}/" in officer_mail.body
    assert f"http://127.0.0.1:8000/nhiem-vu/{shared.pk}/" in officer_mail.body
    assert "&quot;" not in officer_mail.body and "&amp;" not in officer_mail.body
    office_mail = by_person["vanphong_a@example.vn"]
    assert (
        f"/nhiem-vu/{economy.pk}/" in office_mail.body and f"/nhiem-vu/{centre.pk}/" not in office_mail.body
    )
    entries = AuditEntry.objects.filter(action="activities.reminder.sent")
    assert entries.count() == 2
    assert {e.data["recipient"] for e in entries} == {world["officer_a"].pk, world["office_a"].pk}


def test_a_second_run_the_same_day_sends_nothing(world, mailoutbox):
    digest_world(world)
    assert urging.send_digests(today=TODAY) == 2
    summary = urging.run_digests(today=TODAY)
    assert summary.sent == 0 and summary.already_sent == 2
    assert len(mailoutbox) == 2
    assert urging.send_digests(today=TODAY + dt.timedelta(days=1)) == 2
    assert len(mailoutbox) == 4


def test_the_task_and_the_command_send_the_digest(world, mailoutbox):
    digest_world(world)
    result = send_daily_reminders.enqueue(today_iso=TODAY.isoformat())
    assert result.return_value == 2 and len(mailoutbox) == 2

    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), "--within", "7", stdout=out)
    text = out.getvalue()
    assert "Ngày 10/6/2026: 6 nhiệm vụ cần đôn đốc" in text
    assert "Đã gửi 0 thư." in text and "2 người đã nhận thư hôm nay" in text
    assert "1 người chưa có địa chỉ email: khong_vai_tro." in text
    assert len(mailoutbox) == 2

    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-06-11", stdout=out)
    assert "Đã gửi 2 thư." in out.getvalue() and len(mailoutbox) == 4
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_reminders", "--today", "11/6/2026")


# --- one-click reminder ------------------------------------------------------------------------


def test_send_reminder_emails_the_responsible_officer_and_audits(world, mailoutbox):
    give_emails(world)
    centre = world["assignment"]
    set_deadline(centre.task, TODAY + dt.timedelta(days=2))
    sent = urging.send_reminder(assignment=centre, actor=world["office_a"], today=TODAY, base_url="")
    assert sent == 1
    (mail,) = mailoutbox
    assert mail.to == ["canbo_a@example.vn"] and mail.subject.startswith("[Loa] Đôn đốc nhiệm vụ: ")
    assert "còn 2 ngày" in mail.body and f"/nhiem-vu/{centre.pk}/" in mail.body
    entry = AuditEntry.objects.get(action="activities.reminder.sent")
    assert entry.actor == world["office_a"] and entry.object_id == str(centre.pk)
    assert entry.data == {"kind": "manual", "day": "2026-06-10", "recipient": world["officer_a"].pk}
    for persona in ("officer_a", "officer_b", "viewer_a"):
        with pytest.raises(PermissionDenied):
            urging.send_reminder(assignment=centre, actor=world[persona], today=TODAY, base_url="")
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "persona,expected",
    [("office_a", 302), ("city", 302), ("officer_a", 404), ("viewer_a", 404), ("officer_b", 404)],
)
def test_the_remind_button_is_for_offices(client, world, mailoutbox, persona, expected):
    give_emails(world)
    client.force_login(world[persona])
    url = reverse("urging:remind", args=[world["assignment"].pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == expected
    assert len(mailoutbox) == (1 if expected == 302 else 0)


# --- Zalo text ---------------------------------------------------------------------------------

ZALO = {"officer_a": 200, "office_a": 200, "viewer_a": 200, "city": 200, "officer_b": 404, "nobody": 404}


@pytest.mark.parametrize("persona", sorted(ZALO))
def test_zalo_text_follows_read_scope(client, world, persona):
    client.force_login(world[persona])
    pk = world["assignment"].pk
    response = client.get(reverse("urging:zalo_text", args=[pk]))
    assert response.status_code == ZALO[persona]
    if response.status_code == 200:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        text = response.content.decode()
        assert text.startswith("Đôn đốc nhiệm vụ") and len(text) <= 500
        assert f"http://testserver/nhiem-vu/{pk}/" in text


def test_zalo_text_is_404_for_anonymous(client, world):
    assert client.get(reverse("urging:zalo_text", args=[world["assignment"].pk])).status_code == 404


# --- iCalendar ---------------------------------------------------------------------------------


def unfold(body: bytes) -> list[str]:
    return body.decode().replace("\r\n ", "").split("\r\n")


def calendar_world(world):
    centre = world["assignment"]
    set_deadline(centre.task, dt.date(2026, 6, 13))
    shared = assignment(world, "4", unit=centre.unit)
    set_deadline(shared.task, dt.date(2026, 7, 1))
    set_deadline(assignment(world, "1").task, dt.date(2026, 6, 1))  # another unit's task
    return centre, shared


def test_the_unit_calendar_is_valid_icalendar(client, world):
    centre, shared = calendar_world(world)
    client.force_login(world["officer_a"])
    response = client.get(reverse("urging:unit_calendar", args=[centre.unit_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # folding never splits a UTF-8 character
    lines = unfold(body)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert f"UID:assignment-{centre.pk}@loa" in lines and f"UID:assignment-{shared.pk}@loa" in lines
    assert "DTSTART;VALUE=DATE:20260613" in lines and "DTEND;VALUE=DATE:20260614" in lines
    summary = next(line for line in lines if line.startswith("SUMMARY:Hạn: Thực hiện tuyên truyền"))
    assert "\\," in summary  # "cổ động trực quan, tuyên truyền" has its comma escaped
    description = next(line for line in lines if line.startswith("DESCRIPTION:Kế hoạch: "))
    assert f"\\nhttp://testserver/nhiem-vu/{centre.pk}/" in description
    assert "Kế hoạch: Kế hoạch" not in description and "Nghị quyết số 02-NQ/TW" in description

    task_complete(assignment=shared, actor=world["office_a"], note="Đã triển khai")
    lines = unfold(client.get(reverse("urging:unit_calendar", args=[centre.unit_id])).content)
    assert lines.count("BEGIN:VEVENT") == 1


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("officer_a", 200),
        ("office_a", 200),
        ("viewer_a", 200),
        ("city", 200),
        ("officer_b", 404),
        ("nobody", 404),
    ],
)
def test_the_unit_calendar_follows_read_scope(client, world, persona, expected):
    client.force_login(world[persona])
    url = reverse("urging:unit_calendar", args=[world["assignment"].unit_id])
    assert client.get(url).status_code == expected


def test_the_unit_calendar_opens_with_the_units_key_without_login(client, world):
    unit_id = world["assignment"].unit_id
    url = reverse("urging:unit_calendar", args=[unit_id])
    assert client.get(url).status_code == 404
    assert client.get(url, {"khoa": "0" * 32}).status_code == 404
    assert client.get(url, {"khoa": urging.calendar_key(world["unit_b"].pk)}).status_code == 404
    key = urging.calendar_key(unit_id)
    assert len(key) == 32 and key == urging.calendar_key(unit_id)
    response = client.get(url, {"khoa": key})
    assert response.status_code == 200 and response.content.startswith(b"BEGIN:VCALENDAR")


def test_ics_escape_and_fold():
    assert urging.ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Tuyên truyền Nghị quyết số 02-NQ/TW về phát triển Thủ đô " * 5
    folded = urging.ics_fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1 and all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line
