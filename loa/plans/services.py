"""Every write of the plans app. Each public function is keyword-only, one transaction, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from loa.audit.services import log_action
from loa.docparse import DocumentError, PlanDoc, parse_bytes
from loa.docparse.normalize import fold
from loa.org.models import Area, AreaLevel
from loa.org.selectors import group_members
from loa.org.services import resolve_unit

from .models import (
    Channel,
    Document,
    DocumentStatus,
    DocumentVersion,
    ImportJob,
    ImportStatus,
    Indicator,
    Kpi,
    Reference,
    Section,
    Task,
    TaskAssignment,
    TaskStatus,
    Theme,
)

Progress = Callable[[int, str], None]


@dataclass
class ImportResult:
    document: Document
    version: DocumentVersion
    created_document: bool
    created_version: bool
    warnings: list[str] = field(default_factory=list)
    unconfirmed_units: int = 0


def max_upload_bytes() -> int:
    return int(settings.LOA_MAX_UPLOAD_MB * 1024 * 1024)


def _noop(percent: int, stage: str) -> None:
    return None


def import_plan(
    *,
    data: bytes,
    filename: str,
    actor=None,
    area: Area | None = None,
    is_sample: bool = False,
    progress: Progress = _noop,
) -> ImportResult:
    """Read a document file and store it. The same file twice gives the same version; a changed
    file of the same document (number and date, or kind, issuer and title) becomes a new version.
    Raises DocumentError when the file cannot be read; nothing is written then."""
    content_hash = hashlib.sha256(data).hexdigest()
    existing = DocumentVersion.objects.select_related("document").filter(content_hash=content_hash).first()
    if existing:
        progress(100, "Tệp này đã được nhập trước đây.")
        return ImportResult(existing.document, existing, False, False, list(existing.warnings))

    progress(10, "Đang đọc văn bản")
    doc = parse_bytes(data, filename, max_bytes=max_upload_bytes())
    progress(50, "Đang lưu cấu trúc kế hoạch")
    with transaction.atomic():
        result = _store(
            doc,
            data=data,
            filename=filename,
            content_hash=content_hash,
            actor=actor,
            area=area,
            is_sample=is_sample,
            progress=progress,
        )
    progress(100, "Hoàn thành")
    return result


def _find_document(doc: PlanDoc) -> Document | None:
    if doc.number:
        qs = Document.objects.filter(number__iexact=doc.number)
        if doc.issued_on:
            qs = qs.filter(issued_on=_date(doc.issued_on))
        return qs.order_by("id").first()
    if doc.title:
        for candidate in Document.objects.filter(
            kind=doc.kind or "", number="", status=DocumentStatus.IMPORTED
        ):
            if fold(candidate.title) == fold(doc.title) and fold(candidate.issuer_name) == fold(
                doc.issuer or ""
            ):
                return candidate
    return None


def guess_area(doc: PlanDoc) -> Area | None:
    """The administrative area a document belongs to: a commune or ward named in its issuer or place,
    else the home province (LOA_HOME_PROVINCE, Hà Nội by default)."""
    haystack = fold(" ".join(filter(None, [doc.issuer, doc.place])))
    communes = Area.objects.filter(level=AreaLevel.COMMUNE)
    m = re.search(r"\b(xa|phuong|dac khu)\s+([a-z][a-z ]{1,40})", haystack)
    if m:
        wanted = m.group(2).strip()
        for area in communes.only("id", "short_name", "name", "parent_id"):
            short = fold(area.short_name or area.name)
            if short and (wanted == short or wanted.startswith(short + " ")):
                return area
    if doc.place:
        place = fold(doc.place)
        match = communes.filter(short_name__iexact=doc.place).first()
        if match:
            return match
        for area in Area.objects.filter(level=AreaLevel.PROVINCE):
            if fold(area.short_name or area.name) == place:
                return area
    home = fold(getattr(settings, "LOA_HOME_PROVINCE", "Hà Nội"))
    for area in Area.objects.filter(level=AreaLevel.PROVINCE):
        if fold(area.short_name or area.name) == home or fold(area.name).endswith(home):
            return area
    return None


def _store(doc: PlanDoc, *, data, filename, content_hash, actor, area, is_sample, progress) -> ImportResult:
    document = _find_document(doc)
    created_document = document is None or document.status == DocumentStatus.CITED
    if document is None:
        document = Document()
    area = area or document.area or guess_area(doc)
    document.kind = doc.kind or ""
    document.kind_code = doc.kind_code or ""
    document.number = doc.number or ""
    document.issued_on = _date(doc.issued_on)
    document.place = doc.place or ""
    document.issuer_name = doc.issuer or ""
    document.title = doc.title or ""
    document.area = area
    document.status = DocumentStatus.IMPORTED
    document.is_sample = document.is_sample or is_sample
    document.save()

    unconfirmed = 0
    if doc.issuer and area is not None:
        resolved = resolve_unit(doc.issuer, area=area, actor=actor)
        if resolved.unit is not None:
            document.issuer = resolved.unit
            unconfirmed += int(resolved.created)

    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        filename=filename[:255],
        content_hash=content_hash,
        size=len(data),
        text=doc.text,
        parsed=doc.to_dict(),
        warnings=doc.warnings,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.file.save(_safe_name(filename), ContentFile(data), save=False)
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version", "issuer", "updated_at"])

    _store_sections(version, doc)
    Theme.objects.bulk_create(
        Theme(version=version, label=t.label, title=t.title, parent_label=t.parent or "", order=i)
        for i, t in enumerate(doc.themes)
    )
    Channel.objects.bulk_create(
        Channel(version=version, kind=c.kind, label=c.label or "", text=c.text, order=i)
        for i, c in enumerate(doc.channels)
    )
    Indicator.objects.bulk_create(
        Indicator(
            version=version,
            metric=ind.metric[:300],
            comparator=ind.comparator,
            value=Decimal(str(ind.value)),
            unit=ind.unit,
            year=ind.year,
            from_year=ind.from_year,
            order=i,
        )
        for i, ind in enumerate(doc.indicators)
    )
    progress(70, "Đang đối chiếu đơn vị được giao nhiệm vụ")
    unconfirmed += _store_tasks(document, version, doc, area=area, actor=actor)
    progress(90, "Đang liên kết văn bản dẫn chiếu")
    _store_references(document, doc)
    _resolve_citations_of(document)

    log_action(
        "plans.document.imported" if created_document else "plans.document.version_added",
        document,
        actor=actor,
        data={"version": version.number, "filename": filename, "tasks": len(doc.assignments)},
    )
    return ImportResult(document, version, created_document, True, list(doc.warnings), unconfirmed)


def _safe_name(filename: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", fold(filename)).strip("-.") or "van-ban"
    return base[-120:]


def _store_sections(version: DocumentVersion, doc: PlanDoc) -> None:
    order = 0

    def add(section, parent, depth):
        nonlocal order
        row = Section.objects.create(
            version=version,
            parent=parent,
            label=section.label,
            heading=section.heading,
            text=section.text,
            depth=depth,
            order=order,
        )
        order += 1
        for child in section.children:
            add(child, row, depth + 1)

    for top in doc.sections:
        add(top, None, 0)


def task_key(unit_names: list[str], text: str) -> str:
    """Identity of a task across versions: the same units and the same text (folded)."""
    raw = "|".join(sorted(fold(u) for u in unit_names)) + "#" + re.sub(r"\W+", " ", fold(text)).strip()
    return hashlib.sha1(raw.encode()).hexdigest()


def _store_tasks(document: Document, version: DocumentVersion, doc: PlanDoc, *, area, actor) -> int:
    existing = {t.key: t for t in document.tasks.all()}
    seen: set[str] = set()
    unconfirmed = 0
    order = 0
    resolved_cache: dict[str, object] = {}
    for assignment in doc.assignments:
        units, groups = [], []
        for name in assignment.units:
            if area is None:
                break
            if name not in resolved_cache:
                resolved_cache[name] = resolve_unit(name, area=area, actor=actor)
                unconfirmed += int(resolved_cache[name].created)
            resolved = resolved_cache[name]
            if resolved.group is not None:
                groups.append(resolved.group)
            elif resolved.unit is not None:
                units.append(resolved.unit)
        for t in assignment.tasks:
            key = task_key(assignment.units, t.text)
            if key in seen:
                continue
            seen.add(key)
            task = existing.get(key)
            if task is None:
                task = Task(document=document, key=key, first_version=version)
            task.assignment_label = assignment.label or ""
            task.unit_names = assignment.units
            task.text = t.text
            task.deadline = _date(t.deadline)
            task.recurrence = t.recurrence or ""
            task.status = TaskStatus.OPEN
            task.last_version = version
            task.order = order
            order += 1
            task.save()
            task.units.set(units)
            task.groups.set(groups)
            sync_assignments(task=task, units=units, groups=groups)
            task.kpis.all().delete()
            Kpi.objects.bulk_create(
                Kpi(
                    task=task,
                    comparator=k.comparator,
                    quantity=Decimal(str(k.quantity)),
                    unit=k.unit,
                    per=k.per or "",
                    channels=k.channels,
                )
                for k in t.kpis
            )
    # A task that is gone from the new version is closed, never deleted: it keeps its activities.
    gone = [t.pk for key, t in existing.items() if key not in seen and t.status == TaskStatus.OPEN]
    if gone:
        Task.objects.filter(pk__in=gone).update(status=TaskStatus.CLOSED)
    return unconfirmed


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def sync_assignments(*, task: Task, units=None, groups=None) -> int:
    """One TaskAssignment per unit the task names and per member of each group it names. Rows of
    units no longer named are kept (they may hold activities); new members get a row. Returns rows added."""
    units = list(task.units.all()) if units is None else units
    groups = list(task.groups.all()) if groups is None else groups
    wanted: dict[int, int | None] = {u.pk: None for u in units}
    for group in groups:
        for member_id in group_members(group).values_list("pk", flat=True):
            wanted.setdefault(member_id, group.pk)
    have = set(TaskAssignment.objects.filter(task=task).values_list("unit_id", flat=True))
    rows = [
        TaskAssignment(task=task, unit_id=uid, via_group_id=gid)
        for uid, gid in wanted.items()
        if uid not in have
    ]
    TaskAssignment.objects.bulk_create(rows)
    return len(rows)


def _cited_document(kind: str, number: str | None, date_text: str | None, issuer: str | None) -> Document:
    date = _date(date_text)
    qs = Document.objects.filter(number__iexact=number or "")
    if date:
        match = (
            qs.filter(issued_on=date).first()
            or qs.filter(issued_on__isnull=True, status=DocumentStatus.CITED).first()
        )
    else:
        match = qs.order_by("-issued_on").first()
    if match is None:
        return Document.objects.create(
            kind=kind,
            number=number or "",
            issued_on=date,
            issuer_name=issuer or "",
            status=DocumentStatus.CITED,
        )
    changed = False
    if date and match.issued_on is None:
        match.issued_on, changed = date, True
    if issuer and not match.issuer_name:
        match.issuer_name, changed = issuer, True
    if changed:
        match.save()
    return match


def _store_references(document: Document, doc: PlanDoc) -> None:
    document.references.all().delete()
    rows = []
    seen = set()
    for i, ref in enumerate(doc.references):
        if not ref.number:
            continue
        cited = _cited_document(ref.kind, ref.number, ref.date, ref.issuer)
        if cited.pk == document.pk or cited.pk in seen:
            continue
        seen.add(cited.pk)
        rows.append(Reference(source=document, cited=cited, text=ref.text, is_basis=ref.is_basis, order=i))
    Reference.objects.bulk_create(rows)


def _resolve_citations_of(document: Document) -> None:
    """Importing a document resolves the unresolved rows that stood for it, whichever came first."""
    if not document.number:
        return
    stale = Document.objects.filter(number__iexact=document.number, status=DocumentStatus.CITED).exclude(
        pk=document.pk
    )
    if document.issued_on:
        stale = stale.filter(issued_on__in=[document.issued_on, None])
    for old in stale:
        for ref in Reference.objects.filter(cited=old):
            if not Reference.objects.filter(source=ref.source, cited=document).exists():
                ref.cited = document
                ref.save(update_fields=["cited"])
        old.delete()


# Background import with visible progress -------------------------------------------------------


def create_import_job(*, upload, actor) -> ImportJob:
    """Store an uploaded file and queue its import. Size is checked before anything is written."""
    if upload.size > max_upload_bytes():
        raise DocumentError(
            "too_big",
            f"Tệp quá lớn ({upload.size / 1048576:.1f} MB); giới hạn là {settings.LOA_MAX_UPLOAD_MB} MB.",
        )
    if upload.size == 0:
        raise DocumentError("empty", "Tệp rỗng: không có nội dung để đọc.")
    with transaction.atomic():
        job = ImportJob(filename=upload.name[:255], created_by=actor, stage="Đang chờ xử lý")
        job.file.save(_safe_name(upload.name), upload, save=False)
        job.save()
        log_action("plans.import.queued", job, actor=actor, data={"filename": upload.name})
        from .tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def run_import(*, job: ImportJob) -> ImportJob:
    """Run one queued import, writing its real progress to the job row as it goes."""

    def progress(percent: int, stage: str) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=percent, stage=stage, status=ImportStatus.RUNNING)

    progress(5, "Đang mở tệp")
    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        result = import_plan(data=data, filename=job.filename, actor=job.created_by, progress=progress)
    except DocumentError as exc:
        job.status, job.message, job.progress, job.stage = ImportStatus.FAILED, exc.message, 100, "Lỗi"
        job.save()
        log_action("plans.import.failed", job, actor=job.created_by, data={"code": exc.code})
        return job
    job.refresh_from_db()
    job.status, job.progress, job.document = ImportStatus.DONE, 100, result.document
    job.warnings = result.warnings
    job.stage = "Hoàn thành"
    if not result.created_version:
        job.message = "Tệp này đã được nhập trước đây: không tạo bản trùng."
    elif not result.created_document:
        job.message = f"Đã nhập thành phiên bản mới (v{result.version.number}) của văn bản đã có."
    else:
        job.message = "Đã nhập văn bản."
    if result.unconfirmed_units:
        job.message += f" Có {result.unconfirmed_units} đơn vị mới cần xác nhận."
    job.save()
    return job


def task_complete(*, assignment: TaskAssignment, actor, note: str, evidence=None) -> TaskAssignment:
    """A unit marks its part of a task done, with what it did (and a file as evidence)."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    if not note.strip() and not evidence:
        raise ValidationError("Cần ghi kết quả hoặc đính kèm minh chứng khi báo hoàn thành.")
    with transaction.atomic():
        before = {"done_at": assignment.done_at.isoformat() if assignment.done_at else None}
        assignment.done_at = timezone.now()
        assignment.done_note = note.strip()
        if evidence:
            assignment.evidence.save(_safe_name(evidence.name), evidence, save=False)
        assignment.save()
        log_action(
            "plans.task.completed",
            assignment,
            actor=actor,
            data={"before": before, "after": {"done_at": assignment.done_at.isoformat()}, "note": note[:500]},
        )
    return assignment


def task_reopen(*, assignment: TaskAssignment, actor) -> TaskAssignment:
    with transaction.atomic():
        before = {"done_at": assignment.done_at.isoformat() if assignment.done_at else None}
        assignment.done_at = None
        assignment.save(update_fields=["done_at"])
        log_action(
            "plans.task.reopened",
            assignment,
            actor=actor,
            data={"before": before, "after": {"done_at": None}},
        )
    return assignment


def comment_add(*, assignment: TaskAssignment, actor, text: str):
    """A remark on a unit's task, by anyone who may read it."""
    from django.core.exceptions import ValidationError

    from .models import TaskComment

    text = text.strip()
    if not text:
        raise ValidationError("Nội dung trao đổi không được để trống.")
    with transaction.atomic():
        comment = TaskComment.objects.create(assignment=assignment, author=actor, text=text[:5000])
        log_action("plans.task.commented", assignment, actor=actor, data={"comment": comment.pk})
    return comment


def set_reporting_period(*, document: Document, start_day: int, actor) -> Document:
    """A plan's own reporting month: from ``start_day`` to the day before it next month (1 = calendar month)."""
    from django.core.exceptions import ValidationError

    if not 1 <= start_day <= 28:
        raise ValidationError("Ngày bắt đầu kỳ báo cáo phải từ 1 đến 28.")
    with transaction.atomic():
        before = document.period_start_day
        document.period_start_day = start_day
        document.save(update_fields=["period_start_day", "updated_at"])
        log_action(
            "plans.document.period_set",
            document,
            actor=actor,
            data={"before": {"period_start_day": before}, "after": {"period_start_day": start_day}},
        )
    return document
