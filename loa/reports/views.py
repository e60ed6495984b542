from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loa.accounts.access import scope_for
from loa.docgen import render_docx
from loa.docparse import DocumentError
from loa.org.models import Area
from loa.org.selectors import within_area
from loa.plans import selectors as plan_selectors

from . import drafting, selectors, services
from .builder import build_report
from .models import PlanDraft, ReportFile
from .render import report_docx
from .selectors import letterhead_for, parse_period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def plan_report(request, pk: int):
    """The periodic report of a plan over the person's scope (``?dia_ban=`` narrows it), as DOCX."""
    document = plan_selectors.get_document_for_user(request.user, pk)
    try:
        start, end = parse_period(request.GET.get("tu"), request.GET.get("den"), timezone.localdate())
    except ValidationError as exc:
        return _text(" ".join(exc.messages), 400)
    try:
        units, area = within_area(scope_for(request.user).readable_units(), request.GET.get("dia_ban"))
    except Area.DoesNotExist:
        return _text(_("Không có địa bàn này."), 404)
    data = build_report(document, units, start, end, scope_label=area.name if area else "")
    body = report_docx(data, letterhead_for(document, request.user))
    return _docx_response(body, f"bao-cao-ke-hoach-{document.pk}-{start:%Y%m%d}-{end:%Y%m%d}")


@login_required
def my_reports(request):
    """The sections the person's units must write, and the rounds the person's office collects."""
    return render(
        request,
        "reports/my_reports.html",
        {
            "sections": selectors.sections_for_user(request.user).filter(round__closed_at__isnull=True)[:200],
            "rounds": selectors.rounds_for_user(request.user)[:100],
        },
    )


@login_required
@require_POST
def round_open(request, pk: int):
    """Open a reporting round of a plan for a period (office only) over the units it may change."""
    document = plan_selectors.get_document_for_user(request.user, pk)
    office = selectors.office_unit_for(request.user, document)
    if office is None or not scope_for(request.user).manages_plans:
        raise Http404
    try:
        start, end = parse_period(request.POST.get("tu"), request.POST.get("den"), timezone.localdate())
        due = parse_period(request.POST.get("han"), request.POST.get("han"), timezone.localdate())[0]
        round_ = services.open_round(
            document=document,
            office=office,
            start=start,
            end=end,
            due=due,
            units=scope_for(request.user).writable_units(),
            actor=request.user,
            level=request.POST.get("cap") or "units",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:plan_dashboard", pk=document.pk)
    messages.success(request, _("Đã mở đợt báo cáo; các đơn vị thấy phần việc của mình ở mục Báo cáo."))
    return redirect("reports:round", pk=round_.pk)


@login_required
def round_detail(request, pk: int):
    round_ = selectors.get_round_for_user(request.user, pk)
    total, submitted, areas = selectors.round_status(round_)
    pending = list(round_.sections.filter(submitted_at__isnull=True).select_related("unit", "area")[:50])
    return render(
        request,
        "reports/round_detail.html",
        {
            "round": round_,
            "total": total,
            "submitted": submitted,
            "areas": areas,
            "pending": pending,
            "more_pending": total - submitted > len(pending),
            "can_manage": selectors.can_manage_round(request.user, round_),
        },
    )


@login_required
@require_GET
def round_report(request, pk: int):
    """The office's report for the round: every unit's figures and the submitted sections' words."""
    round_ = selectors.get_round_for_user(request.user, pk)
    data = build_report(round_.document, selectors.round_units(round_), round_.start, round_.end)
    data.narratives = selectors.narratives_of(round_)
    body = report_docx(data, letterhead_for(round_.document, unit=round_.office))
    return _docx_response(body, f"bao-cao-dot-{round_.pk}-{round_.start:%Y%m%d}-{round_.end:%Y%m%d}")


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    round_ = selectors.get_round_for_user(request.user, pk)
    if not selectors.can_manage_round(request.user, round_) or action not in ("nhac", "dong"):
        raise Http404
    if action == "nhac":
        n = services.remind_round(
            round_=round_, actor=request.user, base_url=request.build_absolute_uri("/")[:-1]
        )
        messages.success(request, _("Đã gửi thư đôn đốc cho %(n)d người.") % {"n": n})
    else:
        services.close_round(round_=round_, actor=request.user)
        messages.success(request, _("Đã đóng đợt báo cáo."))
    return redirect("reports:round", pk=round_.pk)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int):
    """A unit's section: its figures (from its activities) and its words; save or submit."""
    section = selectors.get_section_for_user(request.user, pk)
    can_write = scope_for(request.user).can_write_unit(section.unit)
    status = 200
    if request.method == "POST":
        if not can_write:
            raise Http404
        try:
            if request.POST.get("mo_lai"):
                services.reopen_section(section=section, actor=request.user)
                messages.success(request, _("Đã mở lại phần báo cáo để sửa."))
            else:
                submit = bool(request.POST.get("nop"))
                services.save_section(
                    section=section,
                    actor=request.user,
                    submit=submit,
                    **{name: request.POST.get(name, "") for name in services.TEXT_FIELDS},
                )
                messages.success(request, _("Đã nộp phần báo cáo.") if submit else _("Đã lưu nháp."))
            return redirect("reports:section", pk=section.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    data = build_report(
        section.round.document, selectors.section_units(section), section.round.start, section.round.end
    )
    return render(
        request,
        "reports/section_edit.html",
        {
            "section": section,
            "data": data,
            "can_write": can_write,
            "post": request.POST if status == 400 else None,
        },
        status=status,
    )


# --- drafting the plan for the level below ------------------------------------------------------


def _draft_for_user(user, pk: int) -> PlanDraft:
    units = scope_for(user).writable_units()
    return get_object_or_404(
        PlanDraft.objects.filter(unit__in=units).select_related("parent", "unit__area", "issued"), pk=pk
    )


@login_required
@require_POST
def draft_new(request, pk: int):
    """Start the implementing plan of a unit the person may change, from the plan above."""
    parent = plan_selectors.get_document_for_user(request.user, pk)
    unit_id = request.POST.get("don_vi", "")
    units = scope_for(request.user).writable_units()
    unit = units.filter(pk=int(unit_id)).first() if unit_id.isdecimal() else None
    if unit is None:
        raise Http404
    draft = services.create_draft(parent=parent, unit=unit, actor=request.user)
    return redirect("reports:draft", pk=draft.pk)


def _posted_draft(post) -> dict:
    themes = []
    for i in range(int(post.get("theme_count", "0") or 0)):
        themes.append(
            {
                "label": post.get(f"theme_label_{i}", ""),
                "title": post.get(f"theme_title_{i}", ""),
                "keep": post.get(f"theme_keep_{i}") == "1",
            }
        )
    tasks = []
    for i in range(int(post.get("task_count", "0") or 0)):
        tasks.append(
            {
                "unit": post.get(f"task_unit_{i}", ""),
                "text": post.get(f"task_text_{i}", ""),
                "deadline": post.get(f"task_deadline_{i}", ""),
            }
        )
    return {
        "title": post.get("title", ""),
        "basis": post.get("basis", ""),
        "purposes": post.get("purposes", ""),
        "themes": themes,
        "channels": post.get("channels", "").splitlines(),
        "tasks": tasks,
    }


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, pk: int):
    draft = _draft_for_user(request.user, pk)
    status = 200
    if request.method == "POST":
        data = _posted_draft(request.POST)
        try:
            services.update_draft(draft=draft, actor=request.user, **data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
            # show what was typed, not what was saved
            draft.title, draft.basis, draft.purposes = data["title"], data["basis"], data["purposes"]
            draft.themes, draft.channels, draft.tasks = data["themes"], data["channels"], data["tasks"]
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("reports:draft", pk=draft.pk)
    rows = [*draft.tasks, *[{"unit": "", "text": "", "deadline": ""}] * 3]
    return render(
        request,
        "reports/draft_edit.html",
        {
            "draft": draft,
            "rows": rows,
            "sub_units": drafting.sub_units(draft.unit),
            "limit": drafting.parent_deadline(draft.parent),
            "channels_text": "\n".join(draft.channels),
        },
        status=status,
    )


@login_required
@require_GET
def draft_docx(request, pk: int):
    draft = _draft_for_user(request.user, pk)
    body = render_docx(drafting.draft_document(draft, mark_draft=not draft.issued_id))
    return _docx_response(body, f"du-thao-ke-hoach-{draft.pk}")


@login_required
@require_POST
def draft_issue(request, pk: int):
    draft = _draft_for_user(request.user, pk)
    try:
        services.issue_draft(draft=draft, actor=request.user)
    except (ValidationError, DocumentError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("reports:draft", pk=draft.pk)
    messages.success(request, _("Đã ban hành và nhập kế hoạch; các nhiệm vụ đã giao cho đơn vị thực hiện."))
    return redirect(draft.issued.get_absolute_url())


# --- report files made in the background -----------------------------------------------------


@login_required
@require_POST
def report_file_new(request, pk: int):
    """Queue the XLSX annex or the PDF of a plan's report (``dot``: of a round's report)."""
    document = plan_selectors.get_document_for_user(request.user, pk)
    round_ = None
    if request.POST.get("dot", "").isdigit():
        round_ = selectors.get_round_for_user(request.user, int(request.POST["dot"]))
        if round_.document_id != document.pk:
            raise Http404
        start, end = round_.start, round_.end
    else:
        try:
            start, end = parse_period(request.POST.get("tu"), request.POST.get("den"), timezone.localdate())
        except ValidationError as exc:
            return _text(" ".join(exc.messages), 400)
    try:
        job = services.queue_report_file(
            kind=request.POST.get("loai", ""),
            document=document,
            start=start,
            end=end,
            actor=request.user,
            area_code=request.POST.get("dia_ban", "")[:20],
            round_=round_,
        )
    except ValidationError as exc:
        return _text(" ".join(exc.messages), 400)
    return redirect("reports:file", pk=job.pk)


def _job(request, pk: int) -> ReportFile:
    return get_object_or_404(
        ReportFile.objects.filter(created_by=request.user).select_related("document"), pk=pk
    )


@login_required
def report_file(request, pk: int):
    return render(request, "reports/report_file.html", {"job": _job(request, pk)})


@login_required
def report_file_status(request, pk: int):
    job = _job(request, pk)
    return JsonResponse(
        {"status": job.status, "progress": job.progress, "stage": job.stage, "message": job.message},
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def report_file_download(request, pk: int):
    job = _job(request, pk)
    if job.status != ReportFile.Status.DONE or not job.file:
        raise Http404
    kind = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=kind[job.kind],
    )
