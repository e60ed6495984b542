import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loa.accounts.access import scope_for
from loa.accounts.models import Role
from loa.org.models import Area, Unit
from loa.org.selectors import within_area
from loa.plans import selectors as plan_selectors
from loa.plans.models import ChannelKind, Theme
from loa.plans.services import comment_add, task_complete, task_reopen

from . import bulk, dashboards, selectors, services, tabular, urging
from .forms import ActivityEntryForm, CompleteForm
from .models import Activity, Audience, BulkImportJob
from .suggest import suggest_themes


def today() -> dt.date:
    return timezone.localdate()


PAGE_SIZE = 50


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        return 1


@login_required
def my_tasks(request):
    """The tasks of the units the person works for, 50 a page (status computed for that page only)."""
    assignments = selectors.assignments_for_user(request.user)
    page = Paginator(assignments, PAGE_SIZE).get_page(_page_number(request))
    rows = selectors.build_rows(list(page.object_list), today())
    unit_ids = scope_for(request.user).writable_units().filter(task_assignments__isnull=False)
    units = unit_ids.distinct().order_by("name")[:20]
    calendars = [(u, urging.calendar_key(u.pk)) for u in units]
    return render(
        request,
        "activities/my_tasks.html",
        {"rows": rows, "page": page, "today": today(), "calendars": calendars},
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


RANK_HEAD, RANK_TAIL, UNIT_ROWS, HEAT_BY_AREA_FROM = 20, 10, 25, 40


@login_required
def plan_dashboard(request, pk: int):
    """Progress of one plan over the units the person reads: roll-up, heat map, channels, themes, reach,
    ranking. A city-wide scope shows areas where a unit list would run to thousands of rows, with a
    drill-down (``?dia_ban=``) to each area's units; the full ranking is a download."""
    document = plan_selectors.get_document_for_user(request.user, pk)
    units, area = _dashboard_units(request)
    now = today()
    progress = dashboards.plan_progress(document, units, now)
    areas, areas_mean = dashboards.area_rollup(progress)
    by_unit = dashboards.unit_rollup(progress)
    many = len(by_unit) > HEAT_BY_AREA_FROM
    heat = dashboards.heat_map(document, units, now, by_area=many, progress=progress)
    marker = 987654321  # assignment links: one reverse() for the page, not one per row
    link_head, link_tail = reverse("activities:assignment", args=[marker]).split(str(marker))
    mix = dashboards.channel_mix(document, units)
    labels = dict(ChannelKind.choices)
    for m in mix:
        m["label"] = str(labels.get(m["channel"], m["channel"]))
    chart = {
        "labels": [m["label"] for m in mix],
        "values": [m["n"] for m in mix],
    }
    ranking = dashboards.ranking(progress, document, units)
    ranked = list(enumerate(ranking, start=1))
    if len(ranked) > RANK_HEAD + RANK_TAIL:
        rank_head, rank_tail = ranked[:RANK_HEAD], ranked[-RANK_TAIL:]
    else:
        rank_head, rank_tail = ranked, []
    return render(
        request,
        "activities/plan_dashboard.html",
        {
            "document": document,
            "progress": progress,
            "unit_rows": UNIT_ROWS,
            "link_head": link_head,
            "link_tail": link_tail,
            "areas": areas,
            "areas_mean": areas_mean,
            "by_unit": [] if many else by_unit,
            "area": area,
            "heat": heat,
            "mix": mix,
            "chart": chart,
            "coverage": dashboards.theme_coverage(document, units),
            "reach": [
                (dict(Audience.choices).get(code, _("không rõ")), n, r)
                for code, n, r in dashboards.audience_reach(document, units)
            ],
            "rank_head": rank_head,
            "rank_tail": rank_tail,
            "rank_total": len(ranked),
            "manages": scope_for(request.user).manages_plans,
            # the person's own units (office or officer role) that carry a task of this plan: each
            # may draft its implementing plan
            "draft_units": Unit.objects.filter(
                memberships__user=request.user,
                memberships__role__in=[Role.OFFICE, Role.OFFICER],
                task_assignments__task__document=document,
            )
            .distinct()
            .order_by("name")[:50],
            "today": now,
        },
    )


def _dashboard_units(request):
    """The units the person reads, narrowed to one area's subtree by ``?dia_ban=<code>``."""
    try:
        return within_area(scope_for(request.user).readable_units(), request.GET.get("dia_ban"))
    except Area.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def plan_ranking_export(request, pk: int, fmt: str):
    """The whole commendation ranking of a plan over the person's scope, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    document = plan_selectors.get_document_for_user(request.user, pk)
    units, _area = _dashboard_units(request)
    progress = dashboards.plan_progress(document, units, today())
    header = [_("Hạng"), _("Đơn vị"), _("Địa bàn"), _("Đạt chỉ tiêu (%)"), _("Đúng hạn (%)")]
    header += [_("Lượt tiếp cận"), _("Điểm tiếp cận (%)"), _("Điểm")]

    def pct(value):
        return "" if value is None else round(100 * value)

    rows = [header] + [
        [
            n,
            r.unit.name,
            r.unit.area.name if r.unit.area_id else "",
            pct(r.attainment),
            pct(r.timeliness),
            r.reach,
            pct(r.reach_score),
            round(100 * r.score),
        ]
        for n, r in enumerate(dashboards.ranking(progress, document, units), start=1)
    ]
    return _table_response(rows, f"xep-hang-ke-hoach-{document.pk}", fmt)


@login_required
def office_dashboard(request):
    """Who is late and what is due soon, over the person's scope; status counts over all of it.
    Every assignment's status is computed once (from the task tallies) and filtered here."""
    now = today()
    soon = now + dt.timedelta(days=7)
    rows = selectors.build_rows(list(selectors.assignments_for_user(request.user, writable=False)), now)
    late = [r for r in rows if r.status == "overdue"]
    due = [
        r
        for r in rows
        if r.status not in ("done", "overdue")
        and r.assignment.task.deadline
        and r.assignment.task.deadline <= soon
    ]
    counts = Counter(r.status for r in rows)
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
            "counts": sorted(counts.items()),
        },
    )


COUNT_CAP = 10_000


@login_required
def activity_list(request):
    """The activities behind a figure: filter by plan, unit, area, month, channel, theme; newest
    first, 50 a page. Counting stops at 10,000 ("hơn 10.000")."""
    units, area = _dashboard_units(request)
    qs = Activity.objects.filter(unit__in=units)
    filters = {"dia_ban": area.code} if area else {}
    # Correlated EXISTS, not IN (sub-query): SQLite would materialise every activity id of the plan
    # first; EXISTS lets it walk the date index (newest first) or one unit's rows and stop early.
    links = {
        "ke_hoach": lambda v: Activity.tasks.through.objects.filter(
            activity_id=OuterRef("pk"), task__document_id=v
        ),
        "chu_de": lambda v: Activity.themes.through.objects.filter(activity_id=OuterRef("pk"), theme_id=v),
    }
    for key, field in [("don_vi", "unit_id"), ("kenh", "channel")]:
        value = request.GET.get(key)
        if value:
            qs = qs.filter(**{field: value})
            filters[key] = value
    for key, linked in links.items():
        value = request.GET.get(key, "")
        if value.isdigit():
            qs = qs.filter(Exists(linked(int(value))))
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
    last_page = max(1, -(-COUNT_CAP // PAGE_SIZE))
    number = min(_page_number(request), last_page)
    offset = (number - 1) * PAGE_SIZE
    rows = list(
        qs.select_related("unit")
        .prefetch_related("themes")
        .order_by("-date", "-id")[offset : offset + PAGE_SIZE + 1]
    )
    total = qs.order_by()[: COUNT_CAP + 1].count()
    query = urlencode(filters)
    return render(
        request,
        "activities/activity_list.html",
        {
            "activities": rows[:PAGE_SIZE],
            "total": min(total, COUNT_CAP),
            "more_than": total > COUNT_CAP,
            "number": number,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if len(rows) > PAGE_SIZE and number < last_page else None,
            "query": query,
            "filters": filters,
        },
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
