"""Every write of the activities app."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from loa.audit.services import log_action
from loa.plans.models import Task, TaskAssignment, Theme

from . import tallies
from .models import Activity
from .sqlite import optimize


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
        tallies.touch(
            unit_id=unit.pk,
            document_ids={t.document_id for t in tasks} | {t.version.document_id for t in themes},
        )
        log_action(
            "activities.activity.recorded",
            activity,
            actor=actor,
            data={"unit": unit.pk, "tasks": task_ids, "themes": [t.pk for t in themes], "channel": channel},
        )
    return activity


def queue_bulk_import(*, upload, actor):
    """Store an uploaded CSV/XLSX of activities and queue its import (see bulk.import_activities)."""
    from .models import BulkImportJob
    from .tasks_bulk import run_bulk_import_job

    if upload.size > 20 * 1024 * 1024:
        raise ValidationError(_("Tệp quá lớn (giới hạn 20 MB)."))
    with transaction.atomic():
        job = BulkImportJob(filename=upload.name[:255], created_by=actor, stage=_("Đang chờ xử lý"))
        job.file.save(upload.name[-100:], upload, save=False)
        job.save()
        log_action("activities.bulk.queued", job, actor=actor, data={"filename": upload.name})
        transaction.on_commit(lambda: run_bulk_import_job.enqueue(job.pk))
    return job


def run_bulk_import(*, job):
    """Run one queued bulk import for the units its author may write, recording real progress."""
    from loa.accounts.access import scope_for

    from .bulk import import_activities
    from .models import BulkImportJob
    from .tabular import TabularError

    def progress(percent: int, stage: str) -> None:
        BulkImportJob.objects.filter(pk=job.pk).update(
            progress=percent, stage=stage, status=BulkImportJob.Status.RUNNING
        )

    with job.file.open("rb") as fh:
        data = fh.read()
    try:
        result = import_activities(
            data=data,
            filename=job.filename,
            actor=job.created_by,
            units=scope_for(job.created_by).writable_units(),
            progress=progress,
        )
    except TabularError as exc:
        job.status, job.message, job.progress = BulkImportJob.Status.FAILED, exc.message, 100
        job.save()
        return job
    if result.created + result.updated:
        optimize()  # fresh statistics for SQLite's planner after many new rows
    job.refresh_from_db()
    job.status, job.progress, job.stage = BulkImportJob.Status.DONE, 100, _("Hoàn thành")
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.errors = [
        {"row": e.row, "column": e.column, "message": e.message_vi, "value": e.value} for e in result.errors
    ]
    job.message = _("Đã lưu %(n)d dòng; %(e)d dòng lỗi chưa được lưu.") % {
        "n": result.created + result.updated + result.unchanged,
        "e": len(result.errors),
    }
    job.save()
    log_action(
        "activities.bulk.done",
        job,
        actor=job.created_by,
        data={"created": result.created, "updated": result.updated, "errors": len(result.errors)},
    )
    return job
