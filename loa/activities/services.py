"""Every write of the activities app."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from loa.audit.services import log_action
from loa.plans.models import Task, TaskAssignment, Theme

from .models import Activity


def record_activity(
    *,
    actor,
    unit,
    date: dt.date,
    channel: str,
    form: str,
    title: str,
    quantity: int = 1,
    link: str = "",
    summary: str = "",
    themes: list[Theme] | tuple = (),
    tasks: list[Task] | tuple = (),
    audiences: list[str] | tuple = (),
    views: int | None = None,
    shares: int | None = None,
    participants: int | None = None,
    copies: int | None = None,
    attachment=None,
    external_id: str = "",
    is_sample: bool = False,
) -> Activity:
    """Store one activity of ``unit``. Tasks must be assigned to that unit, themes must belong to
    those tasks' plans (or to plans the unit has tasks in)."""
    task_ids = [t.pk for t in tasks]
    assigned = set(
        TaskAssignment.objects.filter(unit=unit, task_id__in=task_ids).values_list("task_id", flat=True)
    )
    if set(task_ids) - assigned:
        raise ValidationError(_("Nhiệm vụ được chọn không được giao cho đơn vị này."))
    if themes:
        plan_ids = set(
            TaskAssignment.objects.filter(unit=unit).values_list("task__document_id", flat=True).distinct()
        )
        if any(t.version.document_id not in plan_ids for t in themes):
            raise ValidationError(_("Chủ đề được chọn không thuộc kế hoạch mà đơn vị thực hiện."))
    if not title.strip():
        raise ValidationError(_("Hoạt động cần có tiêu đề."))
    with transaction.atomic():
        activity = Activity.objects.create(
            unit=unit,
            date=date,
            channel=channel,
            form=form,
            quantity=max(1, quantity),
            title=title.strip()[:500],
            link=link,
            summary=summary,
            audiences=list(audiences),
            views=views,
            shares=shares,
            participants=participants,
            copies=copies,
            external_id=external_id,
            is_sample=is_sample,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if attachment:
            activity.attachment.save(attachment.name, attachment, save=True)
        activity.tasks.set(tasks)
        activity.themes.set(themes)
        log_action(
            "activities.activity.recorded",
            activity,
            actor=actor,
            data={"unit": unit.pk, "tasks": task_ids, "themes": [t.pk for t in themes], "channel": channel},
        )
    return activity
