import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loa.plans.models import Theme
from loa.plans.services import task_complete, task_reopen

from . import selectors, services
from .forms import ActivityEntryForm, CompleteForm
from .suggest import suggest_themes


def today() -> dt.date:
    return timezone.localdate()


@login_required
def my_tasks(request):
    rows = selectors.build_rows(list(selectors.assignments_for_user(request.user)), today())
    return render(request, "activities/my_tasks.html", {"rows": rows, "today": today()})


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
            "can_write": can_write,
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
