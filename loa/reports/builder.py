"""Report data: every figure of a periodic report, computed once from the activities behind it.

``build_report(document, units, start, end)`` returns a :class:`ReportData` (plain dataclasses);
renderers turn it into DOCX (``render.py``). The numbers are those of the dashboards for the same
period and units: activities counted for one of the plan's tasks, dated within [start, end],
of units in the scope; reach = views + shares + participants + copies; theme coverage counts the
activities tagged with the theme; task progress and quotas as the dashboards compute them on the
period's last day.

A period of whole calendar months (a month, a quarter, a year) reads the monthly tallies the
dashboards read (``loa.activities.tallies``): a city year is thousands of tally rows instead of
half a million activities. Any other period counts the activities themselves; both give the same
figures (tested). The highlights are always the period's activities with the highest reach.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Sum

from loa.activities import dashboards
from loa.activities.models import Activity, Audience, AudienceMonthTally, PlanTally, ThemeMonthTally
from loa.activities.tallies import UNKNOWN_AUDIENCE, reach_expression
from loa.plans.models import ChannelKind, Document, TaskAssignment, Theme

BY_AREA_FROM = 40  # more units than this: the unit table becomes an area table
HIGHLIGHTS = 10


@dataclass
class Figures:
    activities: int = 0
    quantity: int = 0
    reach: int = 0

    def add(self, activities: int, quantity: int, reach: int) -> None:
        self.activities += activities
        self.quantity += quantity
        self.reach += reach


@dataclass
class Line:
    """One row of a figures table: a channel, a unit or an area, an audience."""

    key: str
    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class QuotaLine:
    task_label: str
    unit: str
    quota: str  # "≥ 10 tin, bài / tháng"
    required: float
    done: int
    met: bool


@dataclass
class TaskLine:
    label: str
    text: str
    deadline: dt.date | None
    progress: float | None
    units: int
    done: int
    overdue: int


@dataclass
class Highlight:
    date: dt.date
    unit: str
    title: str
    link: str
    reach: int


@dataclass
class Narrative:
    """What a unit wrote in its submitted section of a reporting round."""

    unit: str
    area: str
    assessment: str
    difficulties: str
    proposals: str


@dataclass
class ReportData:
    document: Document
    start: dt.date
    end: dt.date
    scope_label: str
    totals: Figures
    units_assigned: int
    units_active: int
    channels: list[Line]
    units: list[Line]
    by_area: bool
    idle_units: list[str]
    quotas: list[QuotaLine]
    themes: list[tuple[str, str, int]]
    audiences: list[Line]
    highlights: list[Highlight]
    tasks: list[TaskLine]
    progress: float | None
    narratives: list[Narrative] = field(default_factory=list)
    # citizens' submissions (loa.feedback): totals, then (kind, label, figures) per kind
    feedback: tuple | None = None

    @property
    def period_label(self) -> str:
        return period_label(self.start, self.end)


def period_label(start: dt.date, end: dt.date) -> str:
    """ "tháng 6 năm 2026", "quý II năm 2026", "năm 2026", else "từ ngày 01/6/2026 đến ngày 14/7/2026"."""
    last = calendar.monthrange(end.year, end.month)[1]
    if start.day == 1 and end.day == last and start.year == end.year:
        if start.month == end.month:
            return f"tháng {start.month} năm {start.year}"
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"quý {['I', 'II', 'III', 'IV'][start.month // 3]} năm {start.year}"
        if start.month == 1 and end.month == 12:
            return f"năm {start.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}".replace("/0", "/")


def period_activities(document: Document, units, start: dt.date, end: dt.date):
    """The activities the report counts (EXISTS: one row per activity even with two tasks)."""
    links = Activity.tasks.through.objects.filter(activity_id=OuterRef("pk"), task__document=document)
    return (
        Activity.objects.filter(unit__in=units, date__gte=start, date__lte=end)
        .filter(Exists(links))
        .order_by()
    )


def whole_months(start: dt.date, end: dt.date) -> bool:
    """True when [start, end] runs from the first day of a month to the last day of a month."""
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1] and start <= end


@dataclass
class _Counts:
    """The period's figures before labels: (unit, channel) and audience sums, theme counts."""

    by_unit_channel: list[tuple[int, str, int, int, int]]  # unit, channel, activities, quantity, reach
    by_audience: dict[str, list[int]]  # code → [activities, reach]
    by_theme: dict[int, int]  # theme id → activities


def _counts_from_activities(document: Document, units, start: dt.date, end: dt.date) -> _Counts:
    acts = period_activities(document, units, start, end)
    # One scan of the period's activities serves the channel, unit and audience tables.
    groups = acts.values_list("unit_id", "channel", "audiences").annotate(
        a=Count("id"), q=Sum("quantity"), r=Sum(reach_expression())
    )
    by_pair: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    by_audience: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, channel, codes, a, q, r in groups:
        pair = by_pair[(unit_id, channel)]
        pair[0], pair[1], pair[2] = pair[0] + a, pair[1] + (q or 0), pair[2] + (r or 0)
        for code in codes or [UNKNOWN_AUDIENCE]:
            by_audience[code][0] += a
            by_audience[code][1] += r or 0
    by_theme: dict[int, int] = {}
    if document.current_version_id:
        by_theme = dict(
            Activity.themes.through.objects.filter(
                theme__version_id=document.current_version_id,
                activity__unit__in=units,
                activity__date__gte=start,
                activity__date__lte=end,
            )
            .order_by()
            .values_list("theme_id")
            .annotate(n=Count("activity_id"))
        )
    return _Counts([(u, ch, *v) for (u, ch), v in by_pair.items()], dict(by_audience), by_theme)


def _counts_from_tallies(document: Document, units, start: dt.date, end: dt.date) -> _Counts:
    months = {"month__gte": start.replace(day=1), "month__lte": end}
    pairs = (
        PlanTally.objects.filter(document=document, unit__in=units, **months)
        .order_by()
        .values_list("unit_id", "channel")
        .annotate(a=Sum("activities"), q=Sum("quantity"), r=Sum("reach"))
    )
    by_audience = {
        code: [a, r]
        for code, a, r in AudienceMonthTally.objects.filter(document=document, unit__in=units, **months)
        .order_by()
        .values_list("audience")
        .annotate(a=Sum("activities"), r=Sum("reach"))
    }
    by_theme: dict[int, int] = {}
    if document.current_version_id:
        by_theme = dict(
            ThemeMonthTally.objects.filter(
                theme__version_id=document.current_version_id, unit__in=units, **months
            )
            .order_by()
            .values_list("theme_id")
            .annotate(n=Sum("activities"))
        )
    return _Counts(list(pairs), by_audience, by_theme)


def _highlights(document: Document, acts, units, start: dt.date, end: dt.date) -> list[Activity]:
    """The period's activities with the highest reach. The scope's most-read activities are found
    first without the plan test (one pass over the date index), then kept when they count for the
    plan; only when too few of them do is the plan tested on every activity of the period."""
    ranked = ("-total_reach", "-date", "-id")
    candidates = list(
        Activity.objects.filter(unit__in=units, date__gte=start, date__lte=end)
        .order_by()
        .annotate(total_reach=reach_expression())
        .order_by(*ranked)
        .values_list("pk", flat=True)[: HIGHLIGHTS * 20]
    )
    found = list(
        acts.filter(pk__in=candidates)
        .select_related("unit")
        .annotate(total_reach=reach_expression())
        .order_by(*ranked)[:HIGHLIGHTS]
    )
    if len(found) == HIGHLIGHTS or len(candidates) < HIGHLIGHTS * 20:
        return found  # every activity of the scope was a candidate, or ten of the top ones count
    return list(
        acts.select_related("unit").annotate(total_reach=reach_expression()).order_by(*ranked)[:HIGHLIGHTS]
    )


def build_report(
    document: Document, units, start: dt.date, end: dt.date, scope_label: str = "", *, tallies: bool = True
) -> ReportData:
    """Every figure of the report. ``tallies=False`` counts the activities even for whole months."""
    acts = period_activities(document, units, start, end)
    channel_names = {code: str(name) for code, name in ChannelKind.choices}
    if tallies and whole_months(start, end):
        counts = _counts_from_tallies(document, units, start, end)
    else:
        counts = _counts_from_activities(document, units, start, end)

    totals = Figures()
    channels: dict[str, Line] = {}
    unit_figures: dict[int, Figures] = defaultdict(Figures)
    for unit_id, channel, a, q, r in counts.by_unit_channel:
        q, r = q or 0, r or 0
        totals.add(a, q, r)
        if channel not in channels:
            channels[channel] = Line(channel, channel_names.get(channel, channel))
        channels[channel].figures.add(a, q, r)
        unit_figures[unit_id].add(a, q, r)
    audience_names = {code: str(name) for code, name in Audience.choices}
    audiences = {
        code: Line(code, audience_names.get(code, "không rõ"), Figures(a, 0, r))
        for code, (a, r) in counts.by_audience.items()
    }

    assigned = list(
        TaskAssignment.objects.filter(task__document=document, unit__in=units)
        .order_by()
        .values_list("unit_id", "unit__name", "unit__area__code", "unit__area__name")
        .distinct()
    )
    names = {uid: name for uid, name, _c, _a in assigned}
    by_area = len(names) > BY_AREA_FROM
    lines: dict[str, Line] = {}
    for uid, name, code, area in assigned:
        key, label = (code or "", area or "—") if by_area else (str(uid), name)
        line = lines.setdefault(key, Line(key, label))
        figures = unit_figures.get(uid)
        if figures:
            line.figures.add(figures.activities, figures.quantity, figures.reach)
    idle = sorted(names[uid] for uid in names if uid not in unit_figures)

    themes: list[tuple[str, str, int]] = []
    if document.current_version_id:
        themes = [
            (t.label, t.title, counts.by_theme.get(t.pk, 0))
            for t in Theme.objects.filter(version_id=document.current_version_id).order_by("order")
        ]

    highlights = [
        Highlight(a.date, a.unit.name, a.title, a.link, a.reach)
        for a in _highlights(document, acts, units, start, end)
    ]

    progress = dashboards.plan_progress(document, units, end)
    quotas, tasks = [], []
    for t in progress.tasks:
        statuses = t.statuses
        tasks.append(
            TaskLine(
                t.task.assignment_label,
                t.task.text,
                t.task.deadline,
                t.progress,
                len(t.rows),
                statuses.get("done", 0),
                statuses.get("overdue", 0),
            )
        )
        for r in t.rows:
            for k in r.kpis:
                quotas.append(
                    QuotaLine(
                        t.task.assignment_label, r.assignment.unit.name, str(k.kpi), k.required, k.done, k.met
                    )
                )

    return ReportData(
        document=document,
        start=start,
        end=end,
        scope_label=scope_label,
        totals=totals,
        units_assigned=len(names),
        units_active=sum(1 for uid in names if uid in unit_figures),
        channels=sorted(channels.values(), key=lambda line: (-line.figures.quantity, line.key)),
        units=sorted(lines.values(), key=lambda line: (-line.figures.quantity, line.label)),
        by_area=by_area,
        idle_units=idle,
        quotas=quotas,
        themes=themes,
        audiences=sorted(audiences.values(), key=lambda line: (-line.figures.reach, line.key)),
        highlights=highlights,
        tasks=tasks,
        progress=progress.progress,
        feedback=_feedback(document, units, start, end),
    )


def _feedback(document, units, start, end):
    from loa.feedback.selectors import period_figures

    totals, by_kind = period_figures(document, units, start, end)
    return (totals, by_kind) if totals.received else None
