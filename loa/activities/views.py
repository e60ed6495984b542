import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loa.accounts.access import scope_for
from loa.org.models import Area
from loa.org.selectors import subtree_q
from loa.plans import selectors as plan_selectors
from loa.plans.models import ChannelKind, Theme
from loa.plans.services import comment_add, task_complete, task_reopen

from . import bulk, dashboards, selectors, services, tabular, urging
from .forms import ActivityEntryForm, CompleteForm
from .models import Activity, Audience, BulkImportJob
from .suggest import suggest_themes


def today() -> dt.date:
    return timezone.localdate()


@login_required
def my_tasks(request):
    rows = selectors.build_rows(list(selectors.assignments_for_user(request.user)), today())
    units = {r.assignment.unit for r in rows}
    calendars = [(u, urging.calendar_key(u.pk)) for u in sorted(units, key=lambda u: u.name)][:20]
    return render(
        request, "activities/my_tasks.html", {"rows": rows, "today": today(), "calendars": calendars}
    )


@login_required
def assignment_detail(request, pk: int):
    assignment = selectors.get_assignment_for_user(request.user, pk)
    (row,) = selectors.build_rows([assignment], today())
    can_write = selectors.assignments_for_user(request.user).filter(pk=pk).exists()
    return render(
        request,
        "activities/assignment_detail.html",
        {
            "row": row,
            "assignment": assignment,
            "activities": selectors.activities_of(assignment)[:100],
            "comments": assignment.comments.select_related("author"),
            "can_write": can_write,
            "can_remind": urging.can_remind(request.user, assignment),
            "complete_form": CompleteForm(),
        },
    )


@login_required
@require_POST
def assignment_complete(request, pk: int):
    assignment = selectors.get_assignment_for_user(request.user, pk, writable=True)
    form = CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            task_complete(
                assignment=assignment,
                actor=request.user,
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
            messages.success(request, _("Đã báo hoàn thành nhiệm vụ."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("activities:assignment", pk=pk)


@login_required
@require_POST
def assignment_comment(request, pk: int):
    assignment = selectors.get_assignment_for_user(request.user, pk)
    try:
        comment_add(assignment=assignment, actor=request.user, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("activities:assignment", pk=pk)


@login_required
@require_POST
def assignment_reopen(request, pk: int):
    assignment = selectors.get_assignment_for_user(request.user, pk, writable=True)
    task_reopen(assignment=assignment, actor=request.user)
    return redirect("activities:assignment", pk=pk)


def _plan_themes(assignment):
    version = assignment.task.document.current_version
    return list(Theme.objects.filter(version=version).order_by("order")) if version else []


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request, pk: int):
    """Record an activity for one of the unit's tasks (pk: the task assignment)."""
    assignment = selectors.get_assignment_for_user(request.user, pk, writable=True)
    themes = _plan_themes(assignment)
    initial = {"date": today(), "quantity": 1}
    kpi = assignment.task.kpis.first()
    if kpi and kpi.channels:
        initial["channel"] = kpi.channels[0]
    form = ActivityEntryForm(request.POST or None, request.FILES or None, themes=themes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {str(t.pk): t for t in themes}
        try:
            services.record_activity(
                actor=request.user,
                unit=assignment.unit,
                date=data["date"],
                channel=data["channel"],
                form=data["form"],
                quantity=data["quantity"],
                title=data["title"],
                link=data["link"],
                summary=data["summary"],
                themes=[chosen[i] for i in data["themes"] if i in chosen],
                tasks=[assignment.task],
                audiences=data["audiences"],
                views=data["views"],
                participants=data["participants"],
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi nhận hoạt động."))
            return redirect("activities:my_tasks")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "activities/activity_new.html", {"form": form, "assignment": assignment}, status=status
    )


@login_required
@require_GET
def theme_suggestions(request, pk: int):
    """Themes of the task's plan that the typed text matches, with the shared words (explainable)."""
    assignment = selectors.get_assignment_for_user(request.user, pk, writable=True)
    themes = _plan_themes(assignment)
    text = request.GET.get("text", "")[:5000]
    found = suggest_themes(text, [(t.pk, t.title) for t in themes])
    return JsonResponse(
        {"suggestions": [{"id": tid, "score": score, "words": words} for tid, score, words in found]},
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def plan_dashboard(request, pk: int):
    """Progress of one plan over the units the person reads: roll-up, heat map, channels, themes, reach, ranking."""
    document = plan_selectors.get_document_for_user(request.user, pk)
    units = scope_for(request.user).readable_units()
    area = None
    code = request.GET.get("dia_ban")
    if code:
        area = get_object_or_404(Area, code=code)
        units = units.filter(subtree_q(area, "area"))
    now = today()
    progress = dashboards.plan_progress(document, units, now)
    areas, areas_mean = dashboards.area_rollup(progress)
    heat = dashboards.heat_map(document, units, now)
    mix = dashboards.channel_mix(document, units)
    labels = dict(ChannelKind.choices)
    for m in mix:
        m["label"] = str(labels.get(m["channel"], m["channel"]))
    chart = {
        "labels": [m["label"] for m in mix],
        "values": [m["n"] for m in mix],
    }
    return render(
        request,
        "activities/plan_dashboard.html",
        {
            "document": document,
            "progress": progress,
            "areas": areas,
            "areas_mean": areas_mean,
            "area": area,
            "heat": heat,
            "mix": mix,
            "chart": chart,
            "coverage": dashboards.theme_coverage(document, units),
            "reach": [
                (dict(Audience.choices).get(code, _("không rõ")), n, r)
                for code, n, r in dashboards.audience_reach(document, units)
            ],
            "ranking": dashboards.ranking(progress, document, units),
            "today": now,
        },
    )


@login_required
def office_dashboard(request):
    """Who is late and what is due soon, over the person's scope."""
    now = today()
    rows = selectors.build_rows(list(selectors.assignments_for_user(request.user, writable=False)), now)
    soon = now + dt.timedelta(days=7)
    late = [r for r in rows if r.status == "overdue"]
    due = [
        r
        for r in rows
        if r.status != "done"
        and r.status != "overdue"
        and r.assignment.task.deadline
        and r.assignment.task.deadline <= soon
    ]
    plans = plan_selectors.plan_list(request.user)
    return render(
        request,
        "activities/office_dashboard.html",
        {
            "late": late,
            "due": due,
            "plans": plans,
            "today": now,
            "can_remind": scope_for(request.user).manages_plans,
            "counts": sorted(Counter(r.status for r in rows).items()),
        },
    )


@login_required
def activity_list(request):
    """The activities behind a figure: filter by plan, unit, month, channel, theme."""
    scope = scope_for(request.user)
    qs = (
        Activity.objects.filter(unit__in=scope.readable_units())
        .select_related("unit")
        .prefetch_related("themes")
    )
    filters = {}
    for key, field in [
        ("ke_hoach", "tasks__document_id"),
        ("don_vi", "unit_id"),
        ("kenh", "channel"),
        ("chu_de", "themes__id"),
    ]:
        value = request.GET.get(key)
        if value:
            qs = qs.filter(**{field: value})
            filters[key] = value
    month = request.GET.get("thang")
    if month:
        try:
            start = dt.date.fromisoformat(month + "-01")
        except ValueError:
            start = None
        if start:
            end = (start + dt.timedelta(days=32)).replace(day=1)
            qs = qs.filter(date__gte=start, date__lt=end)
            filters["thang"] = month
    qs = qs.distinct().order_by("-date", "-id")
    return render(
        request,
        "activities/activity_list.html",
        {"activities": qs[:500], "total": qs.count(), "filters": filters},
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulk_upload(request):
    """Bulk entry from a CSV/XLSX file, imported in the background with a progress bar."""
    if not scope_for(request.user).writable_units().exists():
        raise Http404
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size == 0:
            error = _("Hãy chọn một tệp CSV hoặc Excel (.xlsx) có dữ liệu.")
        else:
            try:
                job = services.queue_bulk_import(upload=upload, actor=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("activities:bulk_job", pk=job.pk)
    return render(request, "activities/bulk_upload.html", {"error": error}, status=400 if error else 200)


def _bulk_job(request, pk):
    return get_object_or_404(BulkImportJob.objects.filter(created_by=request.user), pk=pk)


@login_required
def bulk_job(request, pk: int):
    return render(request, "activities/bulk_job.html", {"job": _bulk_job(request, pk)})


@login_required
def bulk_job_status(request, pk: int):
    job = _bulk_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "progress": job.progress,
            "stage": job.stage,
            "message": job.message,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "errors": job.errors[:200],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _table_response(rows, name: str, fmt: str):
    if fmt == "xlsx":
        body = tabular.write_xlsx(rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = tabular.write_csv(rows), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def bulk_template(request, fmt: str):
    units = list(scope_for(request.user).writable_units()[:2])
    rows = bulk.template_rows(unit=units[0] if len(units) == 1 else None)
    return _table_response(rows, "mau-nhap-hoat-dong", fmt)


@login_required
def bulk_errors(request, pk: int, fmt: str):
    job = _bulk_job(request, pk)
    rows = [[_("Dòng"), _("Cột"), _("Lỗi"), _("Giá trị")]] + [
        [e["row"], e["column"], e["message"], e["value"]] for e in job.errors
    ]
    return _table_response(rows, f"loi-nhap-{job.pk}", fmt)
