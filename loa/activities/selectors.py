"""Reads of execution: quotas per period computed from activities, derived task status, task lists."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from loa.accounts.access import scope_for
from loa.plans.models import Kpi, TaskAssignment, TaskStatus

from .models import Activity, QuotaForm, TaskTally

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


def _activity_totals(assignments: list[TaskAssignment]) -> dict[tuple[int, int], int]:
    """Quantity of activities per (task, unit), all dates, from the task tallies."""
    wanted = {(a.task_id, a.unit_id) for a in assignments}
    rows = TaskTally.objects.filter(task_id__in={t for t, _u in wanted})
    units = {u for _t, u in wanted}
    if len(units) <= 500:  # a long id list costs more to send than the few extra rows it saves
        rows = rows.filter(unit_id__in=units)
    return {
        (task_id, unit_id): quantity
        for task_id, unit_id, quantity in rows.order_by().values_list("task_id", "unit_id", "quantity")
        if (task_id, unit_id) in wanted
    }


def _kpi_done(
    assignments: list[TaskAssignment], today: dt.date
) -> tuple[dict[tuple[int, int, int], int], dict[int, tuple[dt.date, dt.date]]]:
    """For every quota of the assignments' tasks: the quantity each unit recorded in the quota's
    current period, counting only the quota's forms and channels. One query, one conditional sum
    per quota, grouped by (task, unit); tasks without quotas are not read at all."""
    kpis, bounds = {}, {}
    for task in {a.task_id: a.task for a in assignments}.values():
        for k in task.kpis.all():
            kpis[k.pk] = k
            bounds[k.pk] = period_bounds(today, k.per or None, task.document.period_start_day)
    if not kpis:
        return {}, bounds
    forms = quota_forms()
    sums = {}
    for pk, kpi in kpis.items():
        start, end = bounds[pk]
        q = Q(task_id=kpi.task_id, activity__date__gte=start, activity__date__lte=end)
        allowed = forms.get(kpi.unit.strip().lower())
        if allowed:
            q &= Q(activity__form__in=sorted(allowed))
        if kpi.channels:
            q &= Q(activity__channel__in=list(kpi.channels))
        sums[f"k{pk}"] = Sum("activity__quantity", filter=q, default=0)
    task_ids = {k.task_id for k in kpis.values()}
    rows = (
        Activity.tasks.through.objects.filter(
            task_id__in=task_ids,
            activity__unit_id__in={a.unit_id for a in assignments if a.task_id in task_ids},
            activity__date__gte=min(b[0] for b in bounds.values()),
            activity__date__lte=max(b[1] for b in bounds.values()),
        )
        .order_by()
        .values("task_id", "activity__unit_id")
        .annotate(**sums)
    )
    done: dict[tuple[int, int, int], int] = {}
    for row in rows:
        for pk, kpi in kpis.items():
            if kpi.task_id == row["task_id"]:
                done[(pk, row["task_id"], row["activity__unit_id"])] = row[f"k{pk}"]
    return done, bounds


def build_rows(assignments: list[TaskAssignment], today: dt.date) -> list[AssignmentRow]:
    """Status and quota progress of each assignment for the period holding ``today``."""
    if not assignments:
        return []
    totals = _activity_totals(assignments)
    done, bounds = _kpi_done(assignments, today)
    rows = []
    task_kpis: dict[int, list[Kpi]] = {}
    for a in assignments:
        row = AssignmentRow(assignment=a, activity_count=totals.get((a.task_id, a.unit_id), 0))
        if a.task_id not in task_kpis:
            task_kpis[a.task_id] = list(a.task.kpis.all())
        for kpi in task_kpis[a.task_id]:
            start, end = bounds[kpi.pk]
            row.kpis.append(
                KpiProgress(kpi=kpi, done=done.get((kpi.pk, a.task_id, a.unit_id), 0), start=start, end=end)
            )
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
        # Prefetching the task (not select_related) shares one Task object among its thousands of
        # assignments, so its quotas are fetched and read once per task, not once per row.
        .select_related("unit")
        .prefetch_related("task__document", "task__kpis")
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


def status_counts(assignments: QuerySet[TaskAssignment], today: dt.date) -> Counter:
    """How many of these assignments are in each status today."""
    return Counter(r.status for r in build_rows(list(assignments), today))
