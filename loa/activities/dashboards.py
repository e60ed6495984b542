"""Dashboard figures, each computed from activities and traceable to them.

Progress rolls up with equal weights, shown on the page so anyone can recompute it by hand:
an assignment's progress is its quota attainment (or 1 when marked done with evidence); a task's
is the mean over its units that have a figure; a plan's is the mean over its tasks that have a
figure. Something with nothing measurable yet has no figure ("chưa có số liệu") and does not
pull its parent down.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Sum

from loa.org.models import Area
from loa.plans.models import Document, Task, TaskAssignment, TaskStatus, Theme

from .models import Activity, AudienceTally, PlanChannelTally, PlanMonthTally, ThemeTally
from .selectors import AssignmentRow, build_rows


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class TaskProgress:
    task: Task
    rows: list[AssignmentRow]

    # Cached: a city task has thousands of rows and the page reads these several times.
    @cached_property
    def measured(self) -> list[float]:
        return [r.progress for r in self.rows if r.progress is not None]

    @cached_property
    def progress(self) -> float | None:
        return _mean(self.measured)

    @cached_property
    def statuses(self) -> Counter:
        return Counter(r.status for r in self.rows)


@dataclass
class PlanProgress:
    document: Document
    tasks: list[TaskProgress] = field(default_factory=list)

    @cached_property
    def progress(self) -> float | None:
        return _mean([t.progress for t in self.tasks if t.progress is not None])

    @property
    def measured_tasks(self) -> int:
        return sum(1 for t in self.tasks if t.progress is not None)

    @property
    def statuses(self) -> Counter:
        total: Counter = Counter()
        for t in self.tasks:
            total.update(t.statuses)
        return total

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        """For templates (a Counter's .items is looked up as a key there)."""
        return sorted(self.statuses.items())


@dataclass(slots=True)
class UnitRef:
    """The few fields of a unit a dashboard shows; thousands of these cost far less than models."""

    pk: int
    name: str
    area_id: int | None
    unit_type: str
    area: object | None

    @property
    def id(self) -> int:
        return self.pk

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class AssignmentRef:
    """A task assignment as the dashboards read it (see :func:`plan_progress`)."""

    pk: int
    task_id: int
    unit_id: int
    done_at: dt.datetime | None
    task: Task
    unit: UnitRef


def plan_progress(document: Document, units, today: dt.date) -> PlanProgress:
    """Every open assignment of the plan in ``units`` with its status and progress. A city plan has
    thousands: they are read as plain rows into light objects, tasks and areas fetched once."""
    rows = list(
        TaskAssignment.objects.filter(task__document=document, task__status=TaskStatus.OPEN, unit__in=units)
        .order_by("task__order", "unit__name")
        .values_list("id", "task_id", "unit_id", "done_at", "unit__name", "unit__area_id", "unit__unit_type")
    )
    task_objs = (
        Task.objects.filter(pk__in={r[1] for r in rows}).select_related("document").prefetch_related("kpis")
    )
    tasks_by_id = {t.pk: t for t in task_objs}
    areas = Area.objects.in_bulk({r[5] for r in rows if r[5]})
    unit_refs: dict[int, UnitRef] = {}
    assignments = []
    for pk, task_id, unit_id, done_at, name, area_id, unit_type in rows:
        unit = unit_refs.get(unit_id)
        if unit is None:
            unit = unit_refs[unit_id] = UnitRef(unit_id, name, area_id, unit_type, areas.get(area_id))
        assignments.append(AssignmentRef(pk, task_id, unit_id, done_at, tasks_by_id[task_id], unit))
    by_task: dict[int, list[AssignmentRow]] = defaultdict(list)
    tasks: dict[int, Task] = {}
    for row in build_rows(assignments, today):
        by_task[row.assignment.task_id].append(row)
        tasks[row.assignment.task_id] = row.assignment.task
    return PlanProgress(document, [TaskProgress(tasks[tid], rows) for tid, rows in by_task.items()])


def plan_activities(document: Document, units):
    """The activities that count for one of the plan's tasks, by the given units (a semi-join, so
    no DISTINCT is needed). ``order_by()``: the model's default ordering would otherwise join the
    GROUP BY of every aggregate."""
    linked = Activity.tasks.through.objects.filter(task__document=document).values("activity_id")
    return Activity.objects.filter(pk__in=linked, unit__in=units).order_by()


def months_back(today: dt.date, n: int) -> list[dt.date]:
    months = []
    y, m = today.year, today.month
    for _ in range(n):
        months.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return list(reversed(months))


@dataclass
class HeatMap:
    months: list[dt.date]
    # ((id, name), [(month, quantity), ...]) — ids of units, or codes of areas when by_area
    rows: list[tuple[tuple[int | str, str], list[tuple[dt.date, int]]]]
    max_value: int
    by_area: bool = False

    @cached_property
    def table(self) -> list[tuple[tuple[int | str, str], list[tuple[str, int, int]]]]:
        """Rows for the page: each cell as ("2026-06", quantity, percent of the largest cell)."""
        top = self.max_value or 1
        keys = [f"{m:%Y-%m}" for m in self.months]
        return [
            (key, [(k, v, round(100 * v / top)) for k, (_m, v) in zip(keys, values, strict=True)])
            for key, values in self.rows
        ]


def heat_map(
    document: Document,
    units,
    today: dt.date,
    n_months: int = 6,
    by_area: bool = False,
    progress: PlanProgress | None = None,
) -> HeatMap:
    """Units (or areas) × months: quantity of activities for the plan's tasks, from the tallies.
    Every unit given a task of the plan has a row, with zeros where it did nothing (read from
    ``progress`` when given, else queried)."""
    months = months_back(today, n_months)
    key = "unit__area__code" if by_area else "unit_id"
    label = "unit__area__name" if by_area else "unit__name"
    counts = (
        PlanMonthTally.objects.filter(document=document, unit__in=units, month__gte=months[0])
        .order_by()
        .values_list(key, label, "month")
        .annotate(n=Sum("quantity"))
    )
    table: dict[int | str, dict[dt.date, int]] = defaultdict(dict)
    names: dict[int | str, str] = {}
    for kid, name, month, n in counts:
        table[kid][month] = table[kid].get(month, 0) + n
        names[kid] = name
    if progress is not None:  # the assigned units are loaded already
        units_of = [r.assignment.unit for t in progress.tasks for r in t.rows]
        assigned = {
            (u.area.code, u.area.name) if by_area else (u.pk, u.name)
            for u in units_of
            if u.area_id or not by_area
        }
    else:
        assigned = (
            TaskAssignment.objects.filter(task__document=document, unit__in=units)
            .order_by()
            .values_list(key, label)
            .distinct()
        )
    for kid, name in assigned:
        names.setdefault(kid, name)
    rows = [
        ((kid, names[kid] or "—"), [(m, table[kid].get(m, 0)) for m in months])
        for kid in sorted(names, key=lambda k: (names[k] or "", str(k)))
    ]
    max_value = max((v for _, vals in rows for _, v in vals), default=0)
    return HeatMap(months, rows, max_value, by_area)


def channel_mix(document: Document, units) -> list[dict]:
    return list(
        PlanChannelTally.objects.filter(document=document, unit__in=units)
        .order_by()
        .values("channel")
        .annotate(n=Sum("quantity"))
        .order_by("-n", "channel")
    )


def theme_coverage(document: Document, units) -> list[tuple[Theme, int]]:
    version = document.current_version
    if version is None:
        return []
    counts = dict(
        ThemeTally.objects.filter(theme__version=version, unit__in=units)
        .order_by()
        .values_list("theme_id")
        .annotate(n=Sum("activities"))
    )
    return [(t, counts.get(t.pk, 0)) for t in Theme.objects.filter(version=version).order_by("order")]


def audience_reach(document: Document, units) -> list[tuple[str, int, int]]:
    """(audience code, activities, reach) — reach is views + shares + participants + copies; an
    activity addressing two groups counts for both."""
    rows = (
        AudienceTally.objects.filter(document=document, unit__in=units)
        .order_by()
        .values_list("audience")
        .annotate(n=Sum("activities"), r=Sum("reach"))
    )
    return sorted(rows, key=lambda x: (-x[2], x[0]))


@dataclass
class RankRow:
    unit: object
    attainment: float | None
    timeliness: float | None
    reach: int
    reach_score: float
    score: float


def ranking(progress: PlanProgress, document: Document, units) -> list[RankRow]:
    """Commendation ranking: score = 50% quota attainment + 30% timeliness + 20% reach (relative,
    log scale). Each component is shown; no quota figure counts as 0, no deadline as on time."""
    per_unit: dict[int, list[AssignmentRow]] = defaultdict(list)
    unit_obj: dict[int, object] = {}
    for t in progress.tasks:
        for r in t.rows:
            per_unit[r.assignment.unit_id].append(r)
            unit_obj[r.assignment.unit_id] = r.assignment.unit
    reach = dict(
        PlanChannelTally.objects.filter(document=document, unit__in=units)
        .order_by()
        .values_list("unit_id")
        .annotate(r=Sum("reach"))
    )
    top = max((math.log1p(v or 0) for v in reach.values()), default=0) or 1
    out = []
    for uid, rows in per_unit.items():
        attainment = _mean([r.progress for r in rows if r.progress is not None])
        with_deadline = [r for r in rows if r.assignment.task.deadline]
        timeliness = (
            _mean([0.0 if r.status == "overdue" else 1.0 for r in with_deadline]) if with_deadline else None
        )
        reach_score = math.log1p(reach.get(uid) or 0) / top
        score = (
            0.5 * (attainment or 0)
            + 0.3 * (timeliness if timeliness is not None else 1.0)
            + 0.2 * reach_score
        )
        out.append(RankRow(unit_obj[uid], attainment, timeliness, reach.get(uid) or 0, reach_score, score))
    out.sort(key=lambda r: -r.score)
    return out


@dataclass
class AreaFigure:
    area: object
    units_measured: int
    units_total: int
    progress: float | None


@dataclass
class UnitFigure:
    unit: object
    tasks_measured: int
    tasks_total: int
    progress: float | None


def unit_rollup(progress: PlanProgress) -> list[UnitFigure]:
    """Each unit's figure: the mean of its tasks' figures in the plan (the level below an area)."""
    rows: dict[int, list[AssignmentRow]] = defaultdict(list)
    for t in progress.tasks:
        for r in t.rows:
            rows[r.assignment.unit_id].append(r)
    figures = []
    for unit_rows in rows.values():
        values = [r.progress for r in unit_rows if r.progress is not None]
        figures.append(UnitFigure(unit_rows[0].assignment.unit, len(values), len(unit_rows), _mean(values)))
    figures.sort(key=lambda f: (f.progress is None, -(f.progress or 0), f.unit.name))
    return figures


def area_rollup(progress: PlanProgress) -> tuple[list[AreaFigure], float | None]:
    """Each area's figure is the mean of its units' figures (a unit's figure: the mean of its
    tasks there); the whole is the mean of the areas that have a figure."""
    per_unit: dict[int, list[float]] = defaultdict(list)
    units: dict[int, object] = {}
    for t in progress.tasks:
        for r in t.rows:
            units[r.assignment.unit_id] = r.assignment.unit
            if r.progress is not None:
                per_unit[r.assignment.unit_id].append(r.progress)
    by_area: dict[int | None, list[int]] = defaultdict(list)
    areas: dict[int | None, object] = {}
    for uid, unit in units.items():
        by_area[unit.area_id].append(uid)
        areas[unit.area_id] = unit.area
    figures = []
    for aid, uids in by_area.items():
        values = [_mean(per_unit[u]) for u in uids if per_unit.get(u)]
        figures.append(AreaFigure(areas[aid], len(values), len(uids), _mean(values)))
    figures.sort(key=lambda f: (f.progress is None, -(f.progress or 0), str(f.area)))
    return figures, _mean([f.progress for f in figures if f.progress is not None])
