"""Tallies: the activity counts the dashboards read, kept in step with every activity write.

A city plan carried out by 3,000 units collects hundreds of thousands of activities; reading them
all for every dashboard view cannot stay under a few hundred milliseconds. So each write of an
activity recomputes the tallies of the (plan, unit) pairs it touches, from the activities
themselves — never by adding deltas, so a tally is always exactly what a fresh count would say:

- ``PlanTally``: per plan, unit, calendar month and channel — activities, quantity, reach (any
  period and channel: reports); summed over channels in ``PlanMonthTally`` (heat map) and over
  months in ``PlanChannelTally`` (channel mix, ranking reach), so a city-wide figure reads
  thousands of rows, not hundreds of thousands;
- ``TaskTally``: per task and unit — activities and quantity (task status, "đang thực hiện");
- ``AudienceTally``: per plan, unit and audience group — activities and reach;
- ``ThemeTally``: per theme and unit — activities (theme coverage);
- ``AudienceMonthTally`` and ``ThemeMonthTally``: the same per calendar month, so a report over
  whole months (``loa.reports.builder``) reads tallies only.

An activity counts for a plan when it counts for one of the plan's tasks (themes: when it is tagged
with the theme). Reach is views + shares + participants + copies.

Writers call :func:`touch` (services do) inside their transaction; a batch (bulk import, sample
data) wraps its writes in :func:`deferred` so each (plan, unit) pair is recomputed once at the end.
``loa rebuild-tallies`` recomputes everything (after loading data behind Loa's back).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

UNKNOWN_AUDIENCE = "(khong_ro)"
_BATCH = 2000
_state = threading.local()


@dataclass
class _Models:
    Activity: type
    TaskLink: type
    ThemeLink: type
    Task: type
    Theme: type
    PlanTally: type
    PlanMonthTally: type
    PlanChannelTally: type
    TaskTally: type
    AudienceTally: type
    ThemeTally: type
    AudienceMonthTally: type
    ThemeMonthTally: type

    @classmethod
    def from_apps(cls, apps=global_apps) -> _Models:
        activity = apps.get_model("activities", "Activity")
        return cls(
            Activity=activity,
            TaskLink=activity.tasks.through,
            ThemeLink=activity.themes.through,
            Task=apps.get_model("plans", "Task"),
            Theme=apps.get_model("plans", "Theme"),
            PlanTally=apps.get_model("activities", "PlanTally"),
            PlanMonthTally=apps.get_model("activities", "PlanMonthTally"),
            PlanChannelTally=apps.get_model("activities", "PlanChannelTally"),
            TaskTally=apps.get_model("activities", "TaskTally"),
            AudienceTally=apps.get_model("activities", "AudienceTally"),
            ThemeTally=apps.get_model("activities", "ThemeTally"),
            AudienceMonthTally=apps.get_model("activities", "AudienceMonthTally"),
            ThemeMonthTally=apps.get_model("activities", "ThemeMonthTally"),
        )


def reach_expression():
    """views + shares + participants + copies of an activity, in SQL (missing numbers count 0)."""
    zero = Value(0)
    return (
        Coalesce("views", zero)
        + Coalesce("shares", zero)
        + Coalesce("participants", zero)
        + Coalesce("copies", zero)
    )


def _month(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _in(qs, field: str, ids: list[int] | None):
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def _refresh_document(m: _Models, document_id: int, unit_ids: list[int] | None) -> None:
    """Recompute every tally of one plan for ``unit_ids`` (None: all units)."""
    links = m.TaskLink.objects.filter(task__document_id=document_id)
    if unit_ids is None:  # the whole plan: one semi-join over its links
        acts = m.Activity.objects.filter(pk__in=links.values("activity_id"))
    else:  # a few units: start from their activities (unit index), probe each one's links
        acts = m.Activity.objects.filter(unit_id__in=unit_ids).filter(
            Exists(links.filter(activity_id=OuterRef("pk")))
        )
    acts = acts.order_by()

    # One scan of the (plan, unit) activities serves the plan, month, channel and audience tallies.
    cells: dict[tuple[int, dt.date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    audiences: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    audience_months: dict[tuple[int, dt.date, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        acts.annotate(m=TruncMonth("date"))
        .values("unit_id", "m", "channel", "audiences")
        .annotate(a=Count("id"), q=Sum("quantity"), r=Sum(reach_expression()))
    ):
        month, a, q, r = _month(row["m"]), row["a"], row["q"] or 0, row["r"] or 0
        cell = cells[(row["unit_id"], month, row["channel"])]
        cell[0], cell[1], cell[2] = cell[0] + a, cell[1] + q, cell[2] + r
        for code in row["audiences"] or [UNKNOWN_AUDIENCE]:
            code = str(code)[:30]
            for total in (audiences[(row["unit_id"], code)], audience_months[(row["unit_id"], month, code)]):
                total[0] += a
                total[1] += r
    plan_rows = [
        m.PlanTally(
            document_id=document_id,
            unit_id=unit,
            month=month,
            channel=channel,
            activities=a,
            quantity=q,
            reach=r,
        )
        for (unit, month, channel), (a, q, r) in cells.items()
    ]
    by_month: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0])
    by_channel: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for t in plan_rows:
        for total in (by_month[(t.unit_id, t.month)], by_channel[(t.unit_id, t.channel)]):
            total[0] += t.activities
            total[1] += t.quantity
            total[2] += t.reach
    task_rows = [
        m.TaskTally(
            task_id=row["task_id"], unit_id=row["activity__unit_id"], activities=row["a"], quantity=row["q"]
        )
        for row in _in(
            m.TaskLink.objects.filter(task__document_id=document_id), "activity__unit_id", unit_ids
        )
        .order_by()
        .values("task_id", "activity__unit_id")
        .annotate(a=Count("activity_id"), q=Sum("activity__quantity"))
    ]
    theme_month_rows = [
        m.ThemeMonthTally(
            theme_id=row["theme_id"],
            unit_id=row["activity__unit_id"],
            month=_month(row["m"]),
            activities=row["a"],
        )
        for row in _in(
            m.ThemeLink.objects.filter(theme__version__document_id=document_id), "activity__unit_id", unit_ids
        )
        .order_by()
        .annotate(m=TruncMonth("activity__date"))
        .values("theme_id", "activity__unit_id", "m")
        .annotate(a=Count("activity_id"))
    ]
    themes: dict[tuple[int, int], int] = defaultdict(int)
    for t in theme_month_rows:
        themes[(t.theme_id, t.unit_id)] += t.activities
    with transaction.atomic():
        for model in (
            m.PlanTally,
            m.PlanMonthTally,
            m.PlanChannelTally,
            m.AudienceTally,
            m.AudienceMonthTally,
        ):
            _in(model.objects.filter(document_id=document_id), "unit_id", unit_ids).delete()
        task_pks = m.Task.objects.filter(document_id=document_id).values("pk")
        _in(m.TaskTally.objects.filter(task_id__in=task_pks), "unit_id", unit_ids).delete()
        theme_pks = m.Theme.objects.filter(version__document_id=document_id).values("pk")
        _in(m.ThemeTally.objects.filter(theme_id__in=theme_pks), "unit_id", unit_ids).delete()
        _in(m.ThemeMonthTally.objects.filter(theme_id__in=theme_pks), "unit_id", unit_ids).delete()
        m.PlanTally.objects.bulk_create(plan_rows, batch_size=_BATCH)
        m.PlanMonthTally.objects.bulk_create(
            [
                m.PlanMonthTally(
                    document_id=document_id, unit_id=u, month=month, activities=a, quantity=q, reach=r
                )
                for (u, month), (a, q, r) in by_month.items()
            ],
            batch_size=_BATCH,
        )
        m.PlanChannelTally.objects.bulk_create(
            [
                m.PlanChannelTally(
                    document_id=document_id, unit_id=u, channel=ch, activities=a, quantity=q, reach=r
                )
                for (u, ch), (a, q, r) in by_channel.items()
            ],
            batch_size=_BATCH,
        )
        m.AudienceTally.objects.bulk_create(
            [
                m.AudienceTally(document_id=document_id, unit_id=u, audience=code, activities=a, reach=r)
                for (u, code), (a, r) in audiences.items()
            ],
            batch_size=_BATCH,
        )
        m.AudienceMonthTally.objects.bulk_create(
            [
                m.AudienceMonthTally(
                    document_id=document_id, unit_id=u, month=month, audience=code, activities=a, reach=r
                )
                for (u, month, code), (a, r) in audience_months.items()
            ],
            batch_size=_BATCH,
        )
        m.TaskTally.objects.bulk_create(task_rows, batch_size=_BATCH)
        m.ThemeTally.objects.bulk_create(
            [m.ThemeTally(theme_id=t, unit_id=u, activities=a) for (t, u), a in themes.items()],
            batch_size=_BATCH,
        )
        m.ThemeMonthTally.objects.bulk_create(theme_month_rows, batch_size=_BATCH)


def refresh(*, document_ids: Iterable[int], unit_ids: Iterable[int] | None = None, models=None) -> None:
    """Recompute the tallies of these plans for these units (None: every unit)."""
    m = models or _Models.from_apps()
    ids = None if unit_ids is None else sorted(set(unit_ids))
    for document_id in sorted(set(document_ids)):
        _refresh_document(m, document_id, ids)


def rebuild(*, apps=global_apps) -> int:
    """Recompute every tally of every plan that has tasks; returns the number of plans."""
    m = _Models.from_apps(apps)
    document_ids = list(m.Task.objects.order_by().values_list("document_id", flat=True).distinct())
    with transaction.atomic():
        m.PlanTally.objects.all().delete()
        m.PlanMonthTally.objects.all().delete()
        m.PlanChannelTally.objects.all().delete()
        m.TaskTally.objects.all().delete()
        m.AudienceTally.objects.all().delete()
        m.ThemeTally.objects.all().delete()
        m.AudienceMonthTally.objects.all().delete()
        m.ThemeMonthTally.objects.all().delete()
        refresh(document_ids=document_ids, models=m)
    return len(document_ids)


def documents_of(activity) -> set[int]:
    """The plans an activity counts for (through its tasks) or is tagged for (through its themes)."""
    m = _Models.from_apps()
    ids = set(m.Task.objects.filter(activities=activity).values_list("document_id", flat=True))
    ids |= set(m.Theme.objects.filter(activities=activity).values_list("version__document_id", flat=True))
    return ids


def touch(*, unit_id: int, document_ids: Iterable[int]) -> None:
    """A write changed the activities of ``unit_id`` for these plans: recompute now, or at the end
    of the enclosing :func:`deferred` block."""
    pending = getattr(_state, "pending", None)
    if pending is not None:
        for document_id in document_ids:
            pending[document_id].add(unit_id)
        return
    refresh(document_ids=document_ids, unit_ids=[unit_id])


@contextmanager
def deferred() -> Iterator[None]:
    """Collect the (plan, unit) pairs touched inside the block; recompute each once when it ends."""
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = defaultdict(set)
    try:
        yield
    finally:
        pending, _state.pending = _state.pending, None
        for document_id, unit_ids in pending.items():
            refresh(document_ids=[document_id], unit_ids=unit_ids)
