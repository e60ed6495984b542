"""Reminders before deadlines and overdue notices: once each, to the unit (and the office when late),
with no personal data in the mail."""

import datetime as dt
import zoneinfo

from django.core import mail
from django.core.management import call_command

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.feedback import reminders, services
from loa.feedback.validation import Contact

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_reminders_go_once_before_and_after_each_deadline(
    world, django_user_model, django_capture_on_commit_callbacks
):
    plan = world["plan"]
    officer = django_user_model.objects.create_user(
        "vp_xa", email="vp@xa.example.vn", password="mat-khau-dai-123"
    )
    grant_role(user=officer, unit=plan.issuer, role=Role.OFFICER)
    world["office_a"].email = "lanhdao@xa.example.vn"
    world["office_a"].save()
    monday = dt.datetime(2026, 12, 7, 8, 0, tzinfo=HCM)
    with django_capture_on_commit_callbacks(execute=True):
        s, _ = services.submit(
            kind="question",
            text="Xin hỏi xã tổ chức đối thoại với người dân về Nghị quyết 02 khi nào?",
            document=plan,
            contact=Contact(name="Lê Văn C", phone="0911222333"),
            consent=True,
            now=monday,
        )
    assert reminders.send(now=monday + dt.timedelta(hours=1)) == 0  # 8 working hours: not yet
    assert reminders.send(now=monday + dt.timedelta(hours=6)) == 1  # 14:00: due at 17:00
    assert "Sắp hết hạn tiếp nhận" in mail.outbox[-1].subject and mail.outbox[-1].to == ["vp@xa.example.vn"]
    assert reminders.send(now=monday + dt.timedelta(hours=7)) == 0  # once
    assert reminders.send(now=monday + dt.timedelta(hours=10)) == 1
    late = mail.outbox[-1]
    assert "Quá hạn tiếp nhận" in late.subject and set(late.to) >= {"vp@xa.example.vn"}
    for m in mail.outbox:
        assert "Lê Văn C" not in m.body and "0911222333" not in m.body and "đối thoại" not in m.body
    services.acknowledge(submission=s, actor=officer)
    call_command("feedback", "remind")  # nothing new due now (the answer is weeks away)


def test_a_notice_another_run_took_is_not_sent_again_and_a_failed_mail_is_released(
    world, django_user_model, django_capture_on_commit_callbacks, monkeypatch
):
    from loa.feedback.models import Submission

    plan = world["plan"]
    officer = django_user_model.objects.create_user(
        "vp2", email="vp2@xa.example.vn", password="mat-khau-dai-123"
    )
    grant_role(user=officer, unit=plan.issuer, role=Role.OFFICER)
    monday = dt.datetime(2026, 12, 7, 8, 0, tzinfo=HCM)
    with django_capture_on_commit_callbacks(execute=True):
        s, _ = services.submit(
            kind="question",
            text="Xin hỏi lịch tiếp công dân của xã trong tháng này?",
            document=plan,
            contact=None,
            consent=False,
            now=monday,
        )
    at = monday + dt.timedelta(hours=6)
    stale = reminders.due_notices(at)  # what a second run read before the first one sent
    assert [n for _s, n in stale] == ["ack_soon"]
    assert reminders.send(now=at) == 1
    monkeypatch.setattr(reminders, "due_notices", lambda now=None: stale)
    assert reminders.send(now=at) == 0  # claimed on the row by the first run: not sent twice
    monkeypatch.undo()
    Submission.objects.filter(pk=s.pk).update(reminded=[])

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    assert reminders.send(now=at) == 0
    assert Submission.objects.get(pk=s.pk).reminded == []  # released: the next run tries again
    monkeypatch.undo()
    assert reminders.send(now=at) == 1


def test_the_purge_command_runs(world, capsys):
    call_command("feedback", "purge")
    assert "Đã xóa dữ liệu cá nhân của 0 ý kiến" in capsys.readouterr().out


def test_sample_submissions_are_added_once_and_labelled(world, capsys, django_capture_on_commit_callbacks):
    from loa.feedback.models import Submission
    from loa.plans.models import Document

    Document.objects.filter(pk=world["plan"].pk).update(is_sample=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("feedback", "demo")
    assert "Đã thêm 8 ý kiến mẫu" in capsys.readouterr().out
    call_command("feedback", "demo")
    assert Submission.objects.filter(is_sample=True).count() == 8
    assert all("(dữ liệu mẫu)" in t for t in Submission.objects.values_list("text", flat=True))
    assert not any(s.has_contact for s in Submission.objects.all())
    assert Submission.objects.filter(unit__isnull=False).count() == 8
