"""Urging ("đôn đốc"): which assignments are due, who answers for them, and reminders.

- ``due_items`` reads: open assignments not done whose deadline falls within N days (or has passed),
  and recurring quota tasks whose current period ends within N days with the quota not met;
- ``reminder_text`` is the short plain text an officer pastes into Zalo (≤ 500 characters);
- ``send_digests`` is the daily run: one email per responsible person listing all their due items,
  idempotent per day (the day's ``activities.reminder.sent`` audit entries are the record);
- ``send_reminder`` is the office's one-click reminder on one assignment;
- ``calendar_key`` / ``unit_calendar`` build the per-unit iCalendar feed (RFC 5545).

Who may see a unit is decided by ``loa.accounts.access.scope_for`` only.
"""

from __future__ import annotations

import datetime as dt
import logging
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from loa.accounts.access import scope_for
from loa.accounts.models import Membership, Role
from loa.audit.models import AuditEntry
from loa.audit.services import log_action
from loa.org.models import Unit
from loa.plans.models import Kpi, TaskAssignment, TaskStatus

from .selectors import AssignmentRow, KpiProgress, build_rows

logger = logging.getLogger(__name__)

SENT = "activities.reminder.sent"
MAX_TEXT = 500
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


# --- what is due -------------------------------------------------------------------------------


def _open_assignments():
    return (
        TaskAssignment.objects.filter(task__status=TaskStatus.OPEN, done_at__isnull=True)
        .select_related("task__document", "unit")
        .prefetch_related("task__kpis")
        .order_by("task__deadline", "task__document_id", "task__order", "unit__name", "pk")
    )


def _quota_due(k: KpiProgress, horizon: dt.date) -> bool:
    return bool(k.kpi.per) and not k.met and k.end <= horizon


def is_due(row: AssignmentRow, *, today: dt.date, within_days: int = 7) -> bool:
    if row.status == "done":
        return False
    horizon = today + dt.timedelta(days=within_days)
    deadline = row.assignment.task.deadline
    if deadline and deadline <= horizon:
        return True
    return any(_quota_due(k, horizon) for k in row.kpis)


def _due_date(row: AssignmentRow, horizon: dt.date) -> dt.date:
    dates = [k.end for k in row.kpis if _quota_due(k, horizon)]
    if row.assignment.task.deadline:
        dates.append(row.assignment.task.deadline)
    return min(dates) if dates else horizon


def due_items(*, today: dt.date, within_days: int = 7, units=None) -> list[AssignmentRow]:
    """Open, not-done assignments that are overdue, due within ``within_days``, or whose recurring
    quota period ends within ``within_days`` with the quota not met. Soonest first."""
    horizon = today + dt.timedelta(days=within_days)
    recurring = Kpi.objects.exclude(per="").values("task_id")
    qs = _open_assignments().filter(Q(task__deadline__lte=horizon) | Q(task_id__in=recurring))
    if units is not None:
        qs = qs.filter(unit__in=units)
    rows = [r for r in build_rows(list(qs), today) if is_due(r, today=today, within_days=within_days)]
    rows.sort(key=lambda r: (_due_date(r, horizon), r.assignment.unit.name, r.assignment.pk))
    return rows


# --- who answers for it ------------------------------------------------------------------------


def responsible_by_unit(unit_ids) -> dict[int, list]:
    """Officers of each unit; where a unit has none, its office-role members. One query."""
    officers: dict[int, dict[int, object]] = defaultdict(dict)
    offices: dict[int, dict[int, object]] = defaultdict(dict)
    memberships = (
        Membership.objects.filter(
            unit_id__in=set(unit_ids), role__in=[Role.OFFICER, Role.OFFICE], user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    for m in memberships:
        (officers if m.role == Role.OFFICER else offices)[m.unit_id][m.user_id] = m.user
    return {uid: list((officers.get(uid) or offices.get(uid) or {}).values()) for uid in set(unit_ids)}


def responsible_users(assignment: TaskAssignment) -> list:
    """Users with the officer role on the assignment's unit, else the unit's office-role users."""
    return responsible_by_unit([assignment.unit_id])[assignment.unit_id]


# --- the text ----------------------------------------------------------------------------------


def _d(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _num(value) -> str:
    """12000 -> "12.000", 2.5 -> "2,5" (Vietnamese: dot for thousands, comma for decimals)."""
    number = float(value)
    if number == int(number):
        return f"{int(number):,}".replace(",", ".")
    return f"{number:.2f}".rstrip("0").replace(".", ",")


def _shorten(text: str, width: int) -> str:
    return textwrap.shorten(" ".join(text.split()), width=max(width, 10), placeholder="…")


def _period(k: KpiProgress) -> str:
    per, start, end = k.kpi.per, k.start, k.end
    if per == "month":
        return _("tháng %(month)s/%(year)s") % {"month": start.month, "year": start.year}
    if per == "quarter":
        return _("quý %(quarter)s/%(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    if per == "week":
        return _("tuần %(start)s–%(end)s") % {"start": f"{start.day}/{start.month}", "end": _d(end)}
    if per == "day":
        return _("ngày %(day)s") % {"day": _d(start)}
    return _("năm %(year)s") % {"year": start.year}


def _days_left(until: dt.date, today: dt.date) -> str:
    days = (until - today).days
    if days > 0:
        return _("còn %(n)s ngày") % {"n": days}
    if days == 0:
        return _("hết hạn hôm nay")
    return _("quá hạn %(n)s ngày") % {"n": -days}


def _quota_line(k: KpiProgress, today: dt.date) -> str:
    values = {"done": _num(k.done), "required": _num(k.required), "unit": k.kpi.unit, "period": _period(k)}
    if k.met:
        return _("đã đạt %(done)s/%(required)s %(unit)s %(period)s") % values
    line = _("đã có %(done)s/%(required)s %(unit)s %(period)s") % values
    if k.kpi.per:
        line += f" ({_days_left(k.end, today)})"
    return line


def assignment_path(assignment: TaskAssignment) -> str:
    return reverse("activities:assignment", args=[assignment.pk])


def reminder_text(row: AssignmentRow, *, today: dt.date, base_url: str = "") -> str:
    """A short Vietnamese plain-text reminder for Zalo (≤ 500 characters). ``base_url`` makes the
    link absolute; without it the link is the path ``/nhiem-vu/<pk>/``."""
    a = row.assignment
    link = base_url.rstrip("/") + assignment_path(a)
    head = _("Đôn đốc nhiệm vụ – %(unit)s") % {"unit": _shorten(a.unit.name, 100)}
    lines = []
    deadline = a.task.deadline
    if row.status == "done":
        lines.append(_("Trạng thái: hoàn thành"))
    elif deadline:
        lines.append(
            _("Hạn: %(date)s (%(left)s)") % {"date": _d(deadline), "left": _days_left(deadline, today)}
        )
    quotas = [_quota_line(k, today) for k in row.kpis[:3]]
    if quotas:
        lines.append(_("Chỉ tiêu: %(quotas)s") % {"quotas": "; ".join(quotas)})
    lines.append(_("Xem và cập nhật: %(link)s") % {"link": link})
    task_label = _("Nhiệm vụ: %(task)s")
    fixed = len(head) + sum(len(line) + 1 for line in lines) + len(task_label % {"task": ""}) + 1
    task = _shorten(a.task.text, min(160, MAX_TEXT - fixed))
    text = "\n".join([head, task_label % {"task": task}, *lines])
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# --- sending -----------------------------------------------------------------------------------


@dataclass
class DigestSummary:
    day: dt.date
    items: int = 0
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    without_email: list[str] = field(default_factory=list)
    without_person: int = 0


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _already_emailed(day: dt.date) -> set[int]:
    return {
        int(pk)
        for pk in AuditEntry.objects.filter(action=SENT, data__kind="digest", data__day=day.isoformat())
        .values_list("data__recipient", flat=True)
        .iterator()
        if pk is not None
    }


def _email(user, rows: list[AssignmentRow], *, today: dt.date, base_url: str) -> None:
    items = [reminder_text(r, today=today, base_url=base_url) for r in rows]
    subject = _("[Loa] Đôn đốc: %(n)s nhiệm vụ sắp đến hạn hoặc quá hạn") % {"n": len(items)}
    body = render_to_string(
        "activities/email/reminder_digest.txt",
        {"name": _name(user), "items": items, "today": _d(today), "base_url": base_url.rstrip("/")},
    )
    send_mail(subject, body, None, [user.email])


def run_digests(*, today: dt.date, within_days: int = 7, base_url: str = DEFAULT_BASE_URL) -> DigestSummary:
    """Email each responsible person once for ``today``, listing all their due items."""
    summary = DigestSummary(day=today)
    rows = due_items(today=today, within_days=within_days)
    summary.items = len(rows)
    people = responsible_by_unit({r.assignment.unit_id for r in rows})
    per_user: dict[int, list[AssignmentRow]] = defaultdict(list)
    users = {}
    for r in rows:
        if not people[r.assignment.unit_id]:
            summary.without_person += 1
        for u in people[r.assignment.unit_id]:
            per_user[u.pk].append(r)
            users[u.pk] = u
    done = _already_emailed(today)
    for pk, user_rows in per_user.items():
        user = users[pk]
        if pk in done:
            summary.already_sent += 1
            continue
        if not user.email:
            summary.without_email.append(user.get_username())
            continue
        try:
            _email(user, user_rows, today=today, base_url=base_url)
        except Exception:  # one bad mailbox must not stop the others
            logger.exception("reminder digest to user %s failed", pk)
            summary.failed += 1
            continue
        log_action(
            SENT,
            user,
            data={
                "kind": "digest",
                "day": today.isoformat(),
                "recipient": pk,
                "assignments": [r.assignment.pk for r in user_rows],
            },
        )
        summary.sent += 1
    logger.info(
        "reminders %s: %s due, %s sent, %s already sent, %s without email, %s failed, %s without person",
        today,
        summary.items,
        summary.sent,
        summary.already_sent,
        len(summary.without_email),
        summary.failed,
        summary.without_person,
    )
    return summary


def send_digests(*, today: dt.date, within_days: int = 7, base_url: str = DEFAULT_BASE_URL) -> int:
    """The daily run; returns the number of emails sent (see ``run_digests`` for the full summary)."""
    return run_digests(today=today, within_days=within_days, base_url=base_url).sent


def can_remind(user, assignment: TaskAssignment) -> bool:
    """An office (or admin) whose scope may change the assignment's unit."""
    scope = scope_for(user)
    return scope.manages_plans and scope.can_write_unit(assignment.unit)


def send_reminder(
    *, assignment: TaskAssignment, actor, today: dt.date, base_url: str = DEFAULT_BASE_URL
) -> int:
    """The office's one-click reminder on one assignment: emails its responsible users, one audit
    entry per email. Returns the number of emails sent."""
    if not can_remind(actor, assignment):
        raise PermissionDenied
    (row,) = build_rows([assignment], today)
    text = reminder_text(row, today=today, base_url=base_url)
    subject = _("[Loa] Đôn đốc nhiệm vụ: %(task)s") % {"task": _shorten(assignment.task.text, 80)}
    sent = 0
    for user in responsible_users(assignment):
        if not user.email:
            continue
        body = render_to_string(
            "activities/email/reminder_digest.txt",
            {"name": _name(user), "items": [text], "today": _d(today), "base_url": base_url.rstrip("/")},
        )
        send_mail(subject, body, None, [user.email])
        log_action(
            SENT,
            assignment,
            actor=actor,
            data={"kind": "manual", "day": today.isoformat(), "recipient": user.pk},
        )
        sent += 1
    return sent


def default_base_url() -> str:
    return getattr(settings, "LOA_BASE_URL", "") or DEFAULT_BASE_URL


def local_today() -> dt.date:
    return timezone.localdate()


# --- iCalendar feed ----------------------------------------------------------------------------


def calendar_key(unit_id: int) -> str:
    """The per-unit secret for ``?khoa=``: HMAC-SHA256 keyed by SECRET_KEY, 32 hex characters.
    Changing SECRET_KEY changes every key."""
    return salted_hmac("loa.activities.urging.ics", f"ics:{unit_id}", algorithm="sha256").hexdigest()[:32]


def calendar_unit(user, unit_id: int, key: str | None) -> Unit:
    """The unit whose feed may be read: with the right key (calendar apps cannot log in) or by a
    user whose scope reads the unit. Anything else is a 404."""
    if key and constant_time_compare(key, calendar_key(unit_id)):
        units = Unit.objects.all()
    else:
        units = scope_for(user).readable_units()
    unit = units.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def ics_escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1) without splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode())
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _plan_label(document) -> str:
    parts = [
        document.number,
        _("ngày %(day)s") % {"day": _d(document.issued_on)} if document.issued_on else "",
    ]
    parts.append(_shorten(document.title, 160) if document.title else "")
    return " ".join(p for p in parts if p) or str(document)


def unit_calendar(unit: Unit, *, base_url: str, now: dt.datetime | None = None) -> str:
    """VCALENDAR with one all-day VEVENT per open assignment of ``unit`` with a deadline."""
    stamp = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = base_url.rstrip("/")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Loa//Nhiem vu don vi//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_escape(_("Nhiệm vụ – %(unit)s") % {"unit": unit.name}),
        "X-WR-TIMEZONE:" + settings.TIME_ZONE,
    ]
    assignments = _open_assignments().filter(unit=unit, task__deadline__isnull=False)
    for a in assignments:
        link = base + assignment_path(a)
        description = "\n".join(
            [
                _("Kế hoạch: %(plan)s") % {"plan": _plan_label(a.task.document)},
                _("Đơn vị: %(unit)s") % {"unit": a.unit.name},
                _("Nhiệm vụ: %(task)s") % {"task": _shorten(a.task.text, 400)},
                link,
            ]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:assignment-{a.pk}@loa",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{a.task.deadline:%Y%m%d}",
            f"DTEND;VALUE=DATE:{a.task.deadline + dt.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + ics_escape(_("Hạn: %(task)s") % {"task": _shorten(a.task.text, 80)}),
            "DESCRIPTION:" + ics_escape(description),
            "URL:" + link,
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
