"""API handlers of execution: record and read activities, list one's tasks with quota progress.
Thin: scope check (``scope_for``), call the service or selector, shape the answer."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict

from loa.accounts.access import scope_for
from loa.plans.models import ChannelKind, Task, Theme

from . import selectors
from .models import Activity, ActivityForm, Audience
from .services import record_activity

router = Router(tags=["activities"])
tasks_router = Router(tags=["tasks"])


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0)


class ErrorOut(Schema):
    detail: str | list[dict]


class ActivityIn(Schema):
    model_config = ConfigDict(use_enum_values=True)

    unit: int
    date: dt.date
    channel: ChannelKind
    form: ActivityForm
    quantity: int = Field(1, ge=1, le=10000)
    title: str = Field(max_length=500)
    link: str = Field("", max_length=1000)
    summary: str = ""
    tasks: list[int] = []
    themes: list[int] = []
    audiences: list[Audience] = []
    views: int | None = Field(None, ge=0)
    shares: int | None = Field(None, ge=0)
    participants: int | None = Field(None, ge=0)
    copies: int | None = Field(None, ge=0)
    external_id: str = Field("", max_length=200)


class ActivityOut(Schema):
    id: int
    unit: int = Field(alias="unit_id")
    unit_name: str = Field(alias="unit.name")
    date: dt.date
    channel: str
    channel_label: str = Field(alias="get_channel_display")
    form: str
    form_label: str = Field(alias="get_form_display")
    quantity: int
    title: str
    link: str
    summary: str
    tasks: list[int]
    themes: list[int]
    audiences: list[str]
    views: int | None
    shares: int | None
    participants: int | None
    copies: int | None
    external_id: str
    created_at: dt.datetime

    @staticmethod
    def resolve_tasks(obj: Activity) -> list[int]:
        return [t.pk for t in obj.tasks.all()]

    @staticmethod
    def resolve_themes(obj: Activity) -> list[int]:
        return [t.pk for t in obj.themes.all()]


class ActivityFilters(Schema):
    unit: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    task: int | None = None


class KpiOut(Schema):
    label: str
    required: float
    done: int
    percent: int
    met: bool
    start: dt.date
    end: dt.date


class AssignmentOut(Schema):
    id: int
    task: int
    task_text: str
    plan: int
    plan_name: str
    unit: int
    unit_name: str
    deadline: dt.date | None
    status: str
    status_label: str
    progress: float | None
    activity_count: int
    done_at: dt.datetime | None
    kpis: list[KpiOut]


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    count: int


class AssignmentQuery(Schema):
    writable: bool = Field(True, description="false: also assignments of units you may only read")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _activities(units) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(unit__in=units)
        .select_related("unit")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.only("id")),
            Prefetch("themes", queryset=Theme.objects.only("id")),
        )
    )


def _chosen(qs: QuerySet, ids: list[int], message: str) -> list:
    """The rows for ``ids``; an unknown id is refused like one of another unit, so nothing leaks."""
    found = list(qs.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError(message)
    return found


def _links(payload: ActivityIn) -> tuple[list[Task], list[Theme]]:
    tasks = _chosen(
        Task.objects.all(), payload.tasks, _("Nhiệm vụ được chọn không được giao cho đơn vị này.")
    )
    themes = _chosen(
        Theme.objects.select_related("version"),
        payload.themes,
        _("Chủ đề được chọn không thuộc kế hoạch mà đơn vị thực hiện."),
    )
    return tasks, themes


def _pushed_before(unit, external_id: str) -> Activity | None:
    return _activities([unit]).filter(external_id=external_id).first() if external_id else None


@router.post("/", response={200: ActivityOut, 201: ActivityOut, 404: ErrorOut, 422: ErrorOut})
def create_activity(request, payload: ActivityIn):
    """Record an activity of a unit you may write for. With ``external_id``, pushing the same
    activity again answers 200 with the stored one instead of creating a duplicate."""
    unit = get_object_or_404(scope_for(request.auth).writable_units(), pk=payload.unit)
    if existing := _pushed_before(unit, payload.external_id):
        return Status(200, existing)
    tasks, themes = _links(payload)
    fields = payload.model_dump(exclude={"unit", "tasks", "themes"})
    try:
        activity = record_activity(actor=request.auth, unit=unit, tasks=tasks, themes=themes, **fields)
    except IntegrityError:  # the same external_id pushed twice at the same moment
        if existing := _pushed_before(unit, payload.external_id):
            return Status(200, existing)
        raise
    return Status(201, activity)


@router.get("/", response=list[ActivityOut])
@paginate(Pagination, max_limit=500)
def list_activities(request, filters: Query[ActivityFilters]):
    qs = _activities(scope_for(request.auth).readable_units())
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.task is not None:
        qs = qs.filter(tasks__id=filters.task)
    return qs.order_by("-date", "-id")


@router.get("/{int:activity_id}", response={200: ActivityOut, 404: ErrorOut})
def get_activity(request, activity_id: int):
    return get_object_or_404(_activities(scope_for(request.auth).readable_units()), pk=activity_id)


@tasks_router.get("/", response=AssignmentPage)
def my_tasks(request, query: Query[AssignmentQuery]):
    """The person's task assignments with derived status and quota progress for the current period."""
    qs = selectors.assignments_for_user(request.auth, writable=query.writable)
    page = list(qs[query.offset : query.offset + query.limit])
    rows = selectors.build_rows(page, timezone.localdate())
    return {"items": [_assignment_out(row) for row in rows], "count": qs.count()}


def _assignment_out(row: selectors.AssignmentRow) -> dict:
    a = row.assignment
    return {
        "id": a.pk,
        "task": a.task_id,
        "task_text": a.task.text,
        "plan": a.task.document_id,
        "plan_name": str(a.task.document),
        "unit": a.unit_id,
        "unit_name": a.unit.name,
        "deadline": a.task.deadline,
        "status": row.status,
        "status_label": str(row.status_label),
        "progress": row.progress,
        "activity_count": row.activity_count,
        "done_at": a.done_at,
        "kpis": [
            {
                "label": str(k.kpi),
                "required": k.required,
                "done": k.done,
                "percent": k.percent,
                "met": k.met,
                "start": k.start,
                "end": k.end,
            }
            for k in row.kpis
        ],
    }
