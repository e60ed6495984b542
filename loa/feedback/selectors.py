"""Reads for citizen feedback. Who sees what follows :mod:`loa.accounts.access`: a unit sees the
submissions routed to it, an office those of every unit in its area; nobody else."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from loa.accounts.access import scope_for
from loa.core import worktime

from .models import Answer, Kind, Status, Submission

OPEN = [Status.RECEIVED, Status.ACKNOWLEDGED, Status.AWAITING_APPROVAL]


def inbox(user) -> QuerySet[Submission]:
    scope = scope_for(user)
    qs = Submission.objects.select_related("unit", "theme", "document", "answer")
    if scope.all:
        return qs
    return qs.filter(unit_id__in=scope.readable_ids())


def get_for_user(user, pk: int) -> Submission:
    submission = inbox(user).filter(pk=pk).first()
    if submission is None:
        raise Http404
    return submission


def can_handle(user, submission: Submission) -> bool:
    """Acknowledge, draft an answer, see contact data: the assigned unit and the offices above it."""
    return submission.unit_id is not None and scope_for(user).can_write_unit(submission.unit)


def can_direct(user, submission: Submission) -> bool:
    """Re-route and approve: an office (or a system administrator) whose area covers the unit."""
    scope = scope_for(user)
    return scope.manages_plans and (submission.unit_id is None or scope.can_write_unit(submission.unit))


def can_route_to(user, unit) -> bool:
    return scope_for(user).can_write_unit(unit)


def overdue(qs: QuerySet[Submission], now=None) -> QuerySet[Submission]:
    now = now or timezone.now()
    return qs.filter(
        Q(acknowledged_at__isnull=True, ack_due__lt=now) | Q(status__in=OPEN, answer_due__lt=now)
    ).exclude(status__in=[Status.ANSWERED, Status.CLOSED])


def similar_answered(submission: Submission, user, limit: int = 5) -> list[Answer]:
    """Published answers of the same plan, among the submissions the person may read, to questions
    that share words with this one."""
    from loa.nlp.search import BM25

    if submission.document_id is None:
        return []
    answers = list(
        Answer.objects.filter(
            state=Answer.State.PUBLISHED,
            submission__document=submission.document,
            submission__in=inbox(user).values("pk"),
        )
        .exclude(submission=submission.leader)
        .select_related("submission")
        .order_by("-published_at")[:2000]
    )
    if not answers:
        return []
    index = BM25((a.pk, a.submission.text) for a in answers)
    by_id = {a.pk: a for a in answers}
    return [by_id[h.id] for h in index.search(submission.text, top=limit)]


def faq(document, query: str = "") -> list[Answer]:
    qs = (
        Answer.objects.filter(state=Answer.State.PUBLISHED, in_faq=True, submission__document=document)
        .select_related("submission", "submission__theme")
        .order_by("submission__theme__order", "-published_at")
    )
    answers = list(qs[:1000])
    if not query.strip():
        return answers
    from loa.nlp.search import BM25

    index = BM25((a.pk, f"{a.submission.text} {a.text}") for a in answers)
    by_id = {a.pk: a for a in answers}
    return [by_id[h.id] for h in index.search(query, top=50)]


@dataclass
class Figures:
    received: int
    answered: int
    answered_on_time: int
    open: int
    overdue: int
    median_ack_hours: float | None
    median_answer_days: float | None


_FIELDS = ("received_at", "acknowledged_at", "answered_at", "answer_due", "status", "ack_due")


def figures(qs: QuerySet[Submission], now=None) -> Figures:
    """Received, answered (on time), open and overdue; median working hours to acknowledge and
    working days (8 office hours each) to answer."""
    return _figures(list(qs.values_list(*_FIELDS)), now or timezone.now())


def figures_by(qs: QuerySet[Submission], key: str, now=None) -> list[tuple[object, str, Figures]]:
    """The same figures per unit (``unit``), theme (``theme``) or kind (``kind``): (id, name, figures),
    largest first."""
    now = now or timezone.now()
    names = {"unit": "unit__name", "theme": "theme__label", "kind": "kind"}
    groups: dict[object, list] = {}
    labels: dict[object, str] = {}
    for row in qs.values_list(*_FIELDS, key if key == "kind" else f"{key}_id", names[key]):
        groups.setdefault(row[-2], []).append(row[: len(_FIELDS)])
        labels[row[-2]] = row[-1]
    if key == "kind":
        labels = {k: str(Kind(k).label) for k in labels}
    out = [(k, labels[k] or "—", _figures(rows, now)) for k, rows in groups.items()]
    return sorted(out, key=lambda t: (-t[2].received, t[1]))


def _figures(rows: list[tuple], now) -> Figures:
    acks = [worktime.working_hours_between(r, a) for r, a, *_ in rows if a]
    answers = [worktime.working_hours_between(r, d) / 8 for r, _a, d, *_ in rows if d]
    answered = [(d, due) for _r, _a, d, due, _s, _ad in rows if d]
    late = sum(
        1
        for _r, a, _d, due, st, ack_due in rows
        if st in OPEN and ((a is None and ack_due < now) or due < now)
    )
    return Figures(
        received=len(rows),
        answered=len(answered),
        answered_on_time=sum(1 for d, due in answered if d <= due),
        open=sum(1 for _r, _a, _d, _due, st, _ad in rows if st in OPEN),
        overdue=late,
        median_ack_hours=round(statistics.median(acks), 1) if acks else None,
        median_answer_days=round(statistics.median(answers), 1) if answers else None,
    )


def counts_by_theme(document) -> dict[int, int]:
    """{theme id: submissions} for the listening desk: counts only, nothing personal."""
    from django.db.models import Count

    return dict(
        Submission.objects.filter(document=document, theme__isnull=False)
        .order_by()
        .values_list("theme_id")
        .annotate(n=Count("id"))
    )


def period_figures(document, units, start, end) -> tuple[Figures, list[tuple[object, str, Figures]]]:
    """The plan's submissions received from ``start`` to ``end`` (local dates) by the given units:
    the totals and the figures by kind, for the periodic report."""
    import datetime as dt

    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    qs = Submission.objects.filter(document=document, unit__in=units, received_at__gte=lo, received_at__lt=hi)
    now = min(timezone.now(), hi)
    return _figures(list(qs.values_list(*_FIELDS)), now), figures_by(qs, "kind", now)
