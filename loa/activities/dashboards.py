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

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth

from loa.plans.models import Document, Task, TaskAssignment, TaskStatus, Theme

from .models import Activity
from .selectors import AssignmentRow, build_rows


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class TaskProgress:
    task: Task
    rows: list[AssignmentRow]

    @property
    def measured(self) -> list[float]:
        return [r.progress for r in self.rows if r.progress is not None]

    @property
    def progress(self) -> float | None:
        return _mean(self.measured)

    @property
    def statuses(self) -> Counter:
        return Counter(r.status for r in self.rows)


@dataclass
class PlanProgress:
    document: Document
    tasks: list[TaskProgress] = field(default_factory=list)

    @property
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


def plan_progress(document: Document, units, today: dt.date) -> PlanProgress:
    assignments = list(
        TaskAssignment.objects.filter(task__document=document, task__status=TaskStatus.OPEN, unit__in=units)
        .select_related("task__document", "unit__area", "via_group")
        .prefetch_related("task__kpis")
        .order_by("task__order", "unit__name")
    )
    by_task: dict[int, list[AssignmentRow]] = defaultdict(list)
    tasks: dict[int, Task] = {}
    for row in build_rows(assignments, today):
        by_task[row.assignment.task_id].append(row)
        tasks[row.assignment.task_id] = row.assignment.task
    return PlanProgress(document, [TaskProgress(tasks[tid], rows) for tid, rows in by_task.items()])


def plan_activities(document: Document, units):
    # order_by(): the model's default ordering would otherwise join the GROUP BY of every aggregate.
    return Activity.objects.filter(tasks__document=document, unit__in=units).distinct().order_by()


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
    rows: list[tuple[tuple[int, str], list[tuple[dt.date, int]]]]
    max_value: int


def heat_map(document: Document, units, today: dt.date, n_months: int = 6) -> HeatMap:
    """Units × months: activities (quantity) for the plan's tasks."""
    months = months_back(today, n_months)
    counts = (
        Activity.objects.filter(tasks__document=document, unit__in=units, date__gte=months[0])
        .annotate(month=TruncMonth("date"))
        .values("unit_id", "unit__name", "month")
        .annotate(n=Sum("quantity"))
    )
    table: dict[int, dict[dt.date, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    for row in counts:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        table[row["unit_id"]][month] = table[row["unit_id"]].get(month, 0) + row["n"]
        names[row["unit_id"]] = row["unit__name"]
    assigned = (
        TaskAssignment.objects.filter(task__document=document, unit__in=units)
        .values_list("unit_id", "unit__name")
        .distinct()
    )
    for uid, name in assigned:
        names.setdefault(uid, name)
    rows = [
        ((uid, names[uid]), [(m, table[uid].get(m, 0)) for m in months])
        for uid in sorted(names, key=names.get)
    ]
    max_value = max((v for _, vals in rows for _, v in vals), default=0)
    return HeatMap(months, rows, max_value)


def channel_mix(document: Document, units) -> list[dict]:
    return list(
        plan_activities(document, units)
        .values("channel")
        .annotate(n=Sum("quantity"))
        .order_by("-n", "channel")
    )


def theme_coverage(document: Document, units) -> list[tuple[Theme, int]]:
    version = document.current_version
    if version is None:
        return []
    counts = dict(
        Activity.objects.filter(themes__version=version, unit__in=units, tasks__document=document)
        .values_list("themes")
        .annotate(n=Count("pk", distinct=True))
    )
    return [(t, counts.get(t.pk, 0)) for t in Theme.objects.filter(version=version).order_by("order")]


def audience_reach(document: Document, units) -> list[tuple[str, int, int]]:
    """(audience code, activities, reach) — reach is views + shares + participants + copies."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = plan_activities(document, units).values_list(
        "audiences", "views", "shares", "participants", "copies"
    )
    for audiences, *numbers in rows:
        reach = sum(n or 0 for n in numbers)
        for code in audiences or ["(khong_ro)"]:
            totals[code][0] += 1
            totals[code][1] += reach
    return sorted(((code, n, r) for code, (n, r) in totals.items()), key=lambda x: -x[2])


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
        plan_activities(document, units)
        .values_list("unit_id")
        .annotate(
            r=Sum(F("views"), default=0)
            + Sum(F("shares"), default=0)
            + Sum(F("participants"), default=0)
            + Sum(F("copies"), default=0)
        )
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
