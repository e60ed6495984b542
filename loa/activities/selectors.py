"""Reads of execution: quotas per period computed from activities, derived task status, task lists."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from loa.accounts.access import scope_for
from loa.plans.models import Kpi, TaskAssignment, TaskStatus

from .models import Activity, QuotaForm

STATUS_LABELS = {
    "not_started": _("chưa bắt đầu"),
    "in_progress": _("đang thực hiện"),
    "done": _("hoàn thành"),
    "overdue": _("quá hạn"),
}


def _shift_month(day: dt.date, months: int, dom: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(dom, calendar.monthrange(year, month + 1)[1]))


def period_bounds(today: dt.date, per: str | None, start_day: int = 1) -> tuple[dt.date, dt.date]:
    """The period (day, week, month, quarter, year) holding ``today``; no period = the year.
    With ``start_day`` > 1 a month runs from that day to the day before it next month
    (state reports: the 15th to the 14th)."""
    if per == "month" and start_day > 1:
        start = _shift_month(today, 0 if today.day >= start_day else -1, start_day)
        return start, _shift_month(start, 1, start_day) - dt.timedelta(days=1)
    if per == "day":
        return today, today
    if per == "week":
        start = today - dt.timedelta(days=today.weekday())
        return start, start + dt.timedelta(days=6)
    if per == "month":
        return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if per == "quarter":
        first = 3 * ((today.month - 1) // 3) + 1
        last = first + 2
        return dt.date(today.year, first, 1), dt.date(
            today.year, last, calendar.monthrange(today.year, last)[1]
        )
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def quota_forms() -> dict[str, set[str]]:
    forms: dict[str, set[str]] = defaultdict(set)
    for unit, form in QuotaForm.objects.values_list("quota_unit", "form"):
        forms[unit.strip().lower()].add(form)
    return forms


@dataclass
class KpiProgress:
    kpi: Kpi
    done: int
    start: dt.date
    end: dt.date

    @property
    def required(self) -> float:
        return float(self.kpi.quantity)

    @property
    def ratio(self) -> float:
        return min(1.0, self.done / self.required) if self.required else 1.0

    @property
    def percent(self) -> int:
        return round(100 * self.ratio)

    @property
    def met(self) -> bool:
        return self.done >= self.required


@dataclass
class AssignmentRow:
    assignment: TaskAssignment
    kpis: list[KpiProgress] = field(default_factory=list)
    activity_count: int = 0
    status: str = "not_started"

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def progress(self) -> float | None:
        """Share done, 0..1; None when there is nothing measurable yet ("chưa có số liệu")."""
        if self.kpis:
            return sum(k.ratio for k in self.kpis) / len(self.kpis)
        if self.assignment.done_at:
            return 1.0
        return None


def _counts(assignments: list[TaskAssignment], since: dt.date, until: dt.date):
    """Activity quantities per (task, unit, form, channel, date) in one query."""
    through = Activity.tasks.through
    rows = (
        through.objects.filter(
            task_id__in={a.task_id for a in assignments},
            activity__unit_id__in={a.unit_id for a in assignments},
            activity__date__gte=since,
            activity__date__lte=until,
        )
        .values_list("task_id", "activity__unit_id", "activity__form", "activity__channel", "activity__date")
        .annotate(n=Sum("activity__quantity"))
    )
    counts: dict[tuple[int, int], list[tuple[str, str, dt.date, int]]] = defaultdict(list)
    for task_id, unit_id, form, channel, date, n in rows:
        counts[(task_id, unit_id)].append((form, channel, date, n))
    return counts


def build_rows(assignments: list[TaskAssignment], today: dt.date) -> list[AssignmentRow]:
    """Status and quota progress of each assignment for the period holding ``today``."""
    if not assignments:
        return []
    forms = quota_forms()
    counts = _counts(assignments, dt.date(today.year - 1, 1, 1), dt.date(today.year, 12, 31))
    rows = []
    for a in assignments:
        entries = counts.get((a.task_id, a.unit_id), [])
        row = AssignmentRow(assignment=a, activity_count=sum(n for *_, n in entries))
        for kpi in a.task.kpis.all():
            start, end = period_bounds(today, kpi.per or None, a.task.document.period_start_day)
            allowed = forms.get(kpi.unit.strip().lower())
            done = sum(
                n
                for form, channel, date, n in entries
                if start <= date <= end
                and (not allowed or form in allowed)
                and (not kpi.channels or channel in kpi.channels)
            )
            row.kpis.append(KpiProgress(kpi=kpi, done=done, start=start, end=end))
        row.status = _status(a, row, today)
        rows.append(row)
    return rows


def _status(a: TaskAssignment, row: AssignmentRow, today: dt.date) -> str:
    if a.done_at or (row.kpis and all(k.met for k in row.kpis)):
        return "done"
    if a.task.deadline and a.task.deadline < today:
        return "overdue"
    if row.activity_count or any(k.done for k in row.kpis):
        return "in_progress"
    return "not_started"


def assignments_for_user(user, *, writable: bool = True) -> QuerySet[TaskAssignment]:
    scope = scope_for(user)
    units = scope.writable_units() if writable else scope.readable_units()
    return (
        TaskAssignment.objects.filter(unit__in=units, task__status=TaskStatus.OPEN)
        .select_related("task__document", "unit")
        .prefetch_related("task__kpis")
        .order_by("task__deadline", "task__document_id", "task__order", "unit__name")
    )


def get_assignment_for_user(user, pk: int, *, writable: bool = False) -> TaskAssignment:
    scope = scope_for(user)
    units = scope.writable_units() if writable else scope.readable_units()
    qs = TaskAssignment.objects.filter(unit__in=units).select_related(
        "task__document__current_version", "unit"
    )
    return get_object_or_404(qs.prefetch_related("task__kpis"), pk=pk)


def activities_of(assignment: TaskAssignment) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(unit=assignment.unit, tasks=assignment.task)
        .prefetch_related("themes")
        .order_by("-date", "-id")
    )
