"""Every write of the reports app: open a round, save or submit a section, reopen, close, remind."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts.access import scope_for
from loa.activities.models import Activity, ActivityForm, Audience
from loa.activities.tabular import write_xlsx
from loa.activities.urging import responsible_by_unit
from loa.audit.services import log_action
from loa.docgen import ConversionError, docx_to_pdf, render_docx
from loa.org.models import Area
from loa.org.selectors import within_area
from loa.plans.models import ChannelKind, Reference, TaskAssignment
from loa.plans.services import import_plan

from . import drafting
from .builder import build_report, period_activities
from .models import TEXT_LIMIT, PlanDraft, ReportFile, ReportRound, ReportSection, RoundLevel
from .render import plan_label, report_docx
from .selectors import area_compilers, letterhead_for, narratives_of

TEXT_FIELDS = ("assessment", "difficulties", "proposals")


def open_round(
    *,
    document,
    office,
    start: dt.date,
    end: dt.date,
    due: dt.date,
    units,
    actor,
    level: str = RoundLevel.UNITS,
) -> ReportRound:
    """Ask for sections: from every unit among ``units`` that carries a task of the plan, or (level
    "areas") from one compiling office per area directly below the office's area that has such
    units — the commune reports once for all its units, and the city collects the communes."""
    if end < start:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if due < start:
        raise ValidationError(_("Hạn nộp phải từ ngày bắt đầu kỳ báo cáo trở đi."))
    if level not in RoundLevel.values:
        raise ValidationError(_("Cách nộp báo cáo không hợp lệ."))
    assigned = TaskAssignment.objects.filter(task__document=document, unit__in=units).order_by()
    unit_ids = sorted(set(assigned.values_list("unit_id", flat=True)))
    if not unit_ids:
        raise ValidationError(
            _("Không có đơn vị nào trong phạm vi của bạn được giao nhiệm vụ của kế hoạch này.")
        )
    if level == RoundLevel.AREAS:
        compilers = area_compilers(office, set(assigned.values_list("unit__area_id", flat=True)))
        if not compilers:
            raise ValidationError(
                _("Không có địa bàn cấp dưới nào có đơn vị được giao nhiệm vụ của kế hoạch này.")
            )
        sections = [ReportSection(unit_id=uid, area_id=aid) for aid, uid in compilers.items()]
    else:
        sections = [ReportSection(unit_id=uid) for uid in unit_ids]
    with transaction.atomic():
        round_ = ReportRound.objects.create(
            document=document,
            office=office,
            start=start,
            end=end,
            due=due,
            level=level,
            created_by=_user(actor),
        )
        for section in sections:
            section.round = round_
        ReportSection.objects.bulk_create(sections, batch_size=2000)
        log_action(
            "reports.round.opened",
            round_,
            actor=actor,
            data={
                "document": document.pk,
                "office": office.pk,
                "level": level,
                "sections": len(sections),
                "due": due.isoformat(),
            },
        )
    return round_


def save_section(*, section: ReportSection, actor, submit: bool = False, **texts: str) -> ReportSection:
    """Save the unit's words; ``submit`` sends the section to the office (an assessment is needed)."""
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"save_section() got unexpected fields: {', '.join(sorted(unknown))}")
    _refuse_if_closed(section)
    if section.submitted_at:
        raise ValidationError(_("Phần báo cáo đã nộp; hãy mở lại trước khi sửa."))
    cleaned = {}
    for name, value in texts.items():
        value = (value or "").replace("\x00", "").strip()
        if len(value) > TEXT_LIMIT:
            raise ValidationError(_("Mỗi mục viết tối đa %(n)d ký tự.") % {"n": TEXT_LIMIT})
        cleaned[name] = value
    if submit and not (cleaned.get("assessment", section.assessment) or "").strip():
        raise ValidationError(_("Hãy viết phần đánh giá kết quả trước khi nộp."))
    before = {name: getattr(section, name) for name in cleaned}
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(section, name, value)
        if submit:
            section.submitted_at, section.submitted_by = timezone.now(), _user(actor)
        section.save()
        log_action(
            "reports.section.submitted" if submit else "reports.section.saved",
            section,
            actor=actor,
            data={"before": before, "after": cleaned},
        )
    return section


def reopen_section(*, section: ReportSection, actor) -> ReportSection:
    _refuse_if_closed(section)
    with transaction.atomic():
        section.submitted_at, section.submitted_by = None, None
        section.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        log_action("reports.section.reopened", section, actor=actor)
    return section


def close_round(*, round_: ReportRound, actor) -> ReportRound:
    with transaction.atomic():
        round_.closed_at = timezone.now()
        round_.save(update_fields=["closed_at"])
        log_action("reports.round.closed", round_, actor=actor)
    return round_


def remind_round(*, round_: ReportRound, actor, base_url: str = "") -> int:
    """One email to each person responsible for a section not yet submitted; returns how many."""
    pending = list(round_.sections.filter(submitted_at__isnull=True).select_related("unit"))
    people = responsible_by_unit([s.unit_id for s in pending])
    sections_of: dict[int, list[ReportSection]] = defaultdict(list)
    users = {}
    for s in pending:
        for user in people.get(s.unit_id, []):
            if user.email:
                sections_of[user.pk].append(s)
                users[user.pk] = user
    for uid, sections in sections_of.items():
        lines = "\n".join(f"- {s.unit.name}: {base_url}/bao-cao/phan/{s.pk}/" for s in sections)
        send_mail(
            _("Đôn đốc nộp báo cáo: %(plan)s") % {"plan": round_.document},
            _(
                "Đề nghị đồng chí hoàn thành và nộp phần báo cáo kết quả thực hiện %(plan)s "
                "(kỳ %(start)s – %(end)s) trước ngày %(due)s:\n%(lines)s"
            )
            % {
                "plan": round_.document,
                "start": f"{round_.start:%d/%m/%Y}",
                "end": f"{round_.end:%d/%m/%Y}",
                "due": f"{round_.due:%d/%m/%Y}",
                "lines": lines,
            },
            None,
            [users[uid].email],
        )
    log_action(
        "reports.round.reminded",
        round_,
        actor=actor,
        data={"people": len(sections_of), "sections": len(pending)},
    )
    return len(sections_of)


def _refuse_if_closed(section: ReportSection) -> None:
    # Asked of the database, not of the (possibly stale) round object the caller holds.
    if section.round_id and ReportRound.objects.filter(pk=section.round_id, closed_at__isnull=False).exists():
        raise ValidationError(_("Đợt báo cáo đã đóng; không sửa được nữa."))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- drafting the plan for the level below -----------------------------------------------------


def create_draft(*, parent, unit, actor) -> PlanDraft:
    content = drafting.initial_content(parent, unit)
    with transaction.atomic():
        draft = PlanDraft.objects.create(parent=parent, unit=unit, created_by=_user(actor), **content)
        log_action("reports.draft.created", draft, actor=actor, data={"parent": parent.pk, "unit": unit.pk})
    return draft


def update_draft(
    *,
    draft: PlanDraft,
    actor,
    title: str,
    basis: str,
    purposes: str,
    themes: list,
    channels: list,
    tasks: list,
) -> PlanDraft:
    """Replace the draft's parts. Each task needs a unit and a text; its deadline may not be later
    than the latest deadline of the plan above."""
    if draft.issued_id:
        raise ValidationError(_("Kế hoạch đã ban hành; hãy soạn bản mới nếu cần sửa."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Kế hoạch cần có trích yếu."))
    limit = drafting.parent_deadline(draft.parent)
    clean_tasks = []
    for row in tasks:
        unit_name, text = (row.get("unit") or "").strip(), (row.get("text") or "").strip()
        if not unit_name and not text:
            continue
        if not unit_name or not text:
            raise ValidationError(_("Mỗi nhiệm vụ cần ghi cả đơn vị thực hiện và nội dung."))
        deadline = (row.get("deadline") or "").strip()
        if deadline:
            try:
                day = dt.date.fromisoformat(deadline)
            except ValueError as exc:
                raise ValidationError(_("Hạn hoàn thành không hợp lệ: %(v)s.") % {"v": deadline}) from exc
            if limit and day > limit:
                raise ValidationError(
                    _("Hạn %(d)s muộn hơn hạn của kế hoạch cấp trên (%(p)s).")
                    % {"d": f"{day:%d/%m/%Y}", "p": f"{limit:%d/%m/%Y}"}
                )
        clean_tasks.append({"unit": unit_name[:300], "text": text[:TEXT_LIMIT], "deadline": deadline})
    for value in (basis, purposes):
        if len(value or "") > TEXT_LIMIT:
            raise ValidationError(_("Mỗi mục viết tối đa %(n)d ký tự.") % {"n": TEXT_LIMIT})
    before = {"title": draft.title, "themes": draft.themes, "tasks": draft.tasks}
    with transaction.atomic():
        draft.title, draft.basis, draft.purposes = (
            title[:1000],
            (basis or "").strip(),
            (purposes or "").strip(),
        )
        draft.themes = [
            {
                "label": str(t.get("label", ""))[:30],
                "title": str(t.get("title", "")).strip()[:2000],
                "keep": bool(t.get("keep")),
            }
            for t in themes
        ]
        draft.channels = [c.strip()[:2000] for c in channels if c and c.strip()]
        draft.tasks = clean_tasks
        draft.save()
        log_action(
            "reports.draft.updated",
            draft,
            actor=actor,
            data={
                "before": before,
                "after": {"title": draft.title, "themes": draft.themes, "tasks": draft.tasks},
            },
        )
    return draft


def issue_draft(*, draft: PlanDraft, actor) -> PlanDraft:
    """Render the draft as the unit's plan, import it as a plan in Loa (its tasks fan out to the
    sub-units named) and link it to the plan above."""
    if draft.issued_id:
        raise ValidationError(_("Kế hoạch đã ban hành."))
    if not any(t.get("text") and t.get("unit") for t in draft.tasks):
        raise ValidationError(_("Kế hoạch cần ít nhất một nhiệm vụ giao cho đơn vị thực hiện."))
    body = render_docx(drafting.draft_document(draft, mark_draft=False))
    with transaction.atomic():
        result = import_plan(
            data=body, filename=f"ke-hoach-thuc-hien-{draft.pk}.docx", actor=actor, area=draft.unit.area
        )
        child = result.document
        if child.issuer_id is None:
            child.issuer = draft.unit
            child.save(update_fields=["issuer"])
        if not Reference.objects.filter(source=child, cited=draft.parent).exists():
            order = Reference.objects.filter(source=child).count()
            Reference.objects.create(
                source=child, cited=draft.parent, text=plan_label(draft.parent), is_basis=True, order=order
            )
        draft.issued = child
        draft.save(update_fields=["issued", "updated_at"])
        log_action(
            "reports.draft.issued", draft, actor=actor, data={"document": child.pk, "parent": draft.parent_id}
        )
    return draft


# --- report files made in the background --------------------------------------------------------

ANNEX_HEADER = [
    "Ngày",
    "Đơn vị",
    "Địa bàn",
    "Kênh",
    "Hình thức",
    "Số lượng",
    "Tiêu đề",
    "Đường dẫn",
    "Chủ đề",
    "Đối tượng",
    "Lượt xem",
    "Lượt chia sẻ",
    "Người tham dự",
    "Số bản",
    "Lượt tiếp cận",
    "Mã",
]


def queue_report_file(
    *, kind: str, document, start: dt.date, end: dt.date, actor, area_code: str = "", round_=None
):
    from .tasks import make_report_file

    if kind not in ReportFile.Kind.values:
        raise ValidationError(_("Loại tệp không hợp lệ."))
    with transaction.atomic():
        job = ReportFile.objects.create(
            kind=kind,
            document=document,
            round=round_,
            area_code=area_code,
            start=start,
            end=end,
            created_by=actor,
            stage=_("Đang chờ xử lý"),
        )
        log_action("reports.file.queued", job, actor=actor, data={"kind": kind, "document": document.pk})
        transaction.on_commit(lambda: make_report_file.enqueue(job.pk))
    return job


def report_units(job: ReportFile):
    """The units a background file covers, re-checked against its author's scope at run time."""
    units = scope_for(job.created_by).readable_units()
    if job.round_id:
        return units.filter(report_sections__round_id=job.round_id)
    try:
        return within_area(units, job.area_code)[0]
    except Area.DoesNotExist:
        return units.none()


def run_report_file(*, job: ReportFile) -> ReportFile:
    started = time.perf_counter()

    def progress(percent: int, stage: str) -> None:
        ReportFile.objects.filter(pk=job.pk).update(
            progress=percent, stage=stage, status=ReportFile.Status.RUNNING
        )

    units = report_units(job)
    try:
        if job.kind == ReportFile.Kind.ANNEX:
            body, rows = _annex(job, units, progress)
            name = f"phu-luc-hoat-dong-{job.document_id}-{job.start:%Y%m%d}-{job.end:%Y%m%d}.xlsx"
        else:
            progress(10, _("Đang tính số liệu"))
            data = build_report(job.document, units, job.start, job.end)
            if job.round_id:
                data.narratives = narratives_of(job.round)
            progress(40, _("Đang soạn văn bản"))
            head = letterhead_for(
                job.document, unit=job.round.office if job.round_id else None, user=job.created_by
            )
            progress(60, _("Đang chuyển sang PDF"))
            body, rows = docx_to_pdf(report_docx(data, head)), data.totals.activities
            name = f"bao-cao-{job.document_id}-{job.start:%Y%m%d}-{job.end:%Y%m%d}.pdf"
    except ConversionError as exc:
        job.status, job.message, job.progress = ReportFile.Status.FAILED, str(exc), 100
        job.save()
        return job
    job.file.save(name, ContentFile(body), save=False)
    job.status, job.progress, job.stage, job.rows = ReportFile.Status.DONE, 100, _("Hoàn thành"), rows
    job.seconds = time.perf_counter() - started
    job.message = _("Đã tạo tệp (%(n)s dòng số liệu) trong %(s).1f giây.") % {"n": rows, "s": job.seconds}
    job.save()
    log_action(
        "reports.file.done", job, actor=job.created_by, data={"rows": rows, "seconds": round(job.seconds, 2)}
    )
    return job


def _annex(job: ReportFile, units, progress) -> tuple[bytes, int]:
    """Every activity the report counts, one row each, with its themes; formulas neutralised."""
    acts = period_activities(job.document, units, job.start, job.end)
    total = acts.count()
    progress(5, _("Đang đọc %(n)s hoạt động") % {"n": total})
    themes: dict[int, list[str]] = defaultdict(list)
    for activity_id, label in (
        Activity.themes.through.objects.filter(
            activity__in=acts.values("pk"), theme__version__document=job.document
        )
        .order_by("theme__order")
        .values_list("activity_id", "theme__label")
    ):
        themes[activity_id].append(label)
    channels, forms = dict(ChannelKind.choices), dict(ActivityForm.choices)
    audiences = dict(Audience.choices)

    def rows():
        yield ANNEX_HEADER
        done = 0
        for a in (
            acts.select_related("unit__area")
            .order_by("unit__area__name", "unit__name", "date", "id")
            .iterator(chunk_size=2000)
        ):
            done += 1
            if done % 5000 == 0:
                progress(5 + int(85 * done / max(total, 1)), _("Đã ghi %(n)s dòng") % {"n": done})
            yield [
                a.date,
                a.unit.name,
                a.unit.area.name if a.unit.area_id else "",
                str(channels.get(a.channel, a.channel)),
                str(forms.get(a.form, a.form)),
                a.quantity,
                a.title,
                a.link,
                ", ".join(themes.get(a.pk, [])),
                ", ".join(str(audiences.get(c, c)) for c in a.audiences or []),
                a.views,
                a.shares,
                a.participants,
                a.copies,
                a.reach,
                a.external_id,
            ]

    body = write_xlsx(rows(), title="Phụ lục hoạt động")
    progress(95, _("Đang lưu tệp"))
    return body, total
