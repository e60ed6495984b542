"""Reminders before each deadline and notices once it has passed, by e-mail to the assigned unit's
officers (else its office-role members); passed deadlines also go to the plan's office. The mail
names the submission by number and kind, never its text or the person: the link opens it for
those allowed to see it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts.models import Membership, Role
from loa.core import worktime

from .models import ResponsePolicy, Status, Submission

OPEN = [Status.RECEIVED, Status.ACKNOWLEDGED, Status.AWAITING_APPROVAL]


def _people(unit_ids: set[int]) -> dict[int, list]:
    officers: dict[int, dict] = defaultdict(dict)
    offices: dict[int, dict] = defaultdict(dict)
    for m in Membership.objects.filter(
        unit_id__in=unit_ids, user__is_active=True, role__in=[Role.OFFICER, Role.OFFICE]
    ).select_related("user"):
        (officers if m.role == Role.OFFICER else offices)[m.unit_id][m.user_id] = m.user
    return {u: list((officers.get(u) or offices.get(u) or {}).values()) for u in unit_ids}


def due_notices(now: dt.datetime | None = None) -> list[tuple[Submission, str]]:
    """(submission, notice) pairs not sent yet: ``ack_soon``/``answer_soon`` within the kind's
    reminder lead (working hours), ``ack_overdue``/``answer_overdue`` once passed."""
    now = now or timezone.now()
    leads = {p.kind: p.remind_hours for p in ResponsePolicy.objects.all()}
    out = []
    for s in Submission.objects.filter(status__in=OPEN, unit__isnull=False).select_related(
        "unit", "document"
    ):
        lead = leads.get(s.kind, 4)
        checks = []
        if s.acknowledged_at is None:
            checks.append(("ack", s.ack_due))
        checks.append(("answer", s.answer_due))
        for name, due in checks:
            if due <= now:
                notice = f"{name}_overdue"
            elif worktime.add_working_hours(now, lead) >= due:
                notice = f"{name}_soon"
            else:
                continue
            if notice not in s.reminded:
                out.append((s, notice))
    return out


def _subject(notice: str, s: Submission) -> str:
    kind = s.get_kind_display()
    return {
        "ack_soon": _("Sắp hết hạn tiếp nhận ý kiến #%(n)s (%(kind)s)"),
        "answer_soon": _("Sắp hết hạn trả lời ý kiến #%(n)s (%(kind)s)"),
        "ack_overdue": _("Quá hạn tiếp nhận ý kiến #%(n)s (%(kind)s)"),
        "answer_overdue": _("Quá hạn trả lời ý kiến #%(n)s (%(kind)s)"),
    }[notice] % {"n": s.pk, "kind": kind}


def _mark(pk: int, notice: str, *, add: bool) -> bool:
    """Add (claim) or remove (release) ``notice`` in the submission's sent notices, on its locked row;
    a claim fails when the notice is already there — another run took it (PostgreSQL skips a row
    another run holds; SQLite has one writer anyway)."""
    with transaction.atomic():
        qs = Submission.objects.filter(pk=pk).only("pk", "reminded")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        row = qs.first()
        if row is None or (notice in row.reminded) == add:
            return False
        row.reminded = [*row.reminded, notice] if add else [n for n in row.reminded if n != notice]
        row.save(update_fields=["reminded"])
    return True


def send(now: dt.datetime | None = None, base_url: str | None = None) -> int:
    """Send what is due; each notice goes once per submission, also with two runs at once (each
    notice is claimed on its row before the mail goes: at most once; a mail that fails is released
    for the next run). Returns the mails sent."""
    now = now or timezone.now()
    base_url = base_url or settings.LOA_BASE_URL
    pending = due_notices(now)
    units = {s.unit_id for s, _n in pending}
    offices = {
        s.document.issuer_id
        for s, n in pending
        if n.endswith("overdue") and s.document_id and s.document.issuer_id
    }
    people = _people(units | offices)
    sent = 0
    for s, notice in pending:
        to = {u.email for u in people.get(s.unit_id, []) if u.email}
        if notice.endswith("overdue") and s.document_id and s.document.issuer_id:
            to |= {u.email for u in people.get(s.document.issuer_id, []) if u.email}
        due = s.ack_due if notice.startswith("ack") else s.answer_due
        body = _("%(subject)s\nHạn: %(due)s\nMở: %(link)s\n") % {
            "subject": _subject(notice, s),
            "due": timezone.localtime(due).strftime("%H:%M %d/%m/%Y"),
            "link": base_url.rstrip("/") + reverse("feedback:detail", args=[s.pk]),
        }
        if not _mark(s.pk, notice, add=True):
            continue
        if to:
            try:
                send_mail(_subject(notice, s), body, None, sorted(to))
                sent += 1
            except Exception:  # one bad mailbox must not stop the others; released, retried next run
                _mark(s.pk, notice, add=False)
    return sent
