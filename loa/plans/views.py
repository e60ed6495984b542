from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from loa.docparse import DocumentError

from . import selectors, services
from .forms import UploadForm
from .permissions import can_import


@login_required
def plan_list(request):
    return render(
        request,
        "plans/plan_list.html",
        {"plans": selectors.plan_list(request.user), "can_import": can_import(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request):
    if not can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.create_import_job(upload=form.cleaned_data["file"], actor=request.user)
            except DocumentError as exc:
                form.add_error("file", exc.message)
                status = 413 if exc.code == "too_big" else 400
            else:
                return redirect("plans:import_job", pk=job.pk)
        else:
            status = 400
    return render(request, "plans/plan_upload.html", {"form": form}, status=status)


@login_required
def import_job(request, pk: int):
    job = selectors.get_import_job_for_user(request.user, pk)
    return render(request, "plans/import_job.html", {"job": job})


@login_required
def import_job_status(request, pk: int):
    job = selectors.get_import_job_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "progress": job.progress,
            "stage": job.stage,
            "message": job.message,
            "warnings": job.warnings,
            "url": job.document.get_absolute_url() if job.document else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def plan_detail(request, pk: int):
    document = selectors.get_document_for_user(request.user, pk)
    page = selectors.plan_page(document, request.user)
    page["assignments"] = selectors.assignment_rows(page["tasks"])
    if document.is_sample:
        messages.info(request, _("Đây là kế hoạch mẫu, được nạp sẵn để dùng thử."))
    return render(
        request,
        "plans/plan_detail.html",
        {"document": document, "can_manage": can_import(request.user), **page},
    )


@login_required
@require_http_methods(["POST"])
def plan_period(request, pk: int):
    document = selectors.get_document_for_user(request.user, pk)
    if not can_import(request.user):
        raise PermissionDenied
    try:
        services.set_reporting_period(
            document=document, start_day=int(request.POST.get("start_day") or 0), actor=request.user
        )
        messages.success(request, _("Đã đặt kỳ báo cáo."))
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(document.get_absolute_url())
