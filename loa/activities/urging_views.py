"""Urging views: the per-unit iCalendar feed, the "copy for Zalo" text and the office's one-click
reminder. Thin: scope check, one call into ``urging``, respond."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, urging


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def unit_calendar(request, unit_id: int):
    unit = urging.calendar_unit(request.user, unit_id, request.GET.get("khoa"))
    response = HttpResponse(
        urging.unit_calendar(unit, base_url=_base_url(request)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="loa-don-vi-{unit.pk}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def zalo_text(request, assignment_id: int):
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    today = urging.local_today()
    (row,) = selectors.build_rows([assignment], today)
    text = urging.reminder_text(row, today=today, base_url=_base_url(request))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def remind(request, assignment_id: int):
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    if not urging.can_remind(request.user, assignment):
        raise Http404
    sent = urging.send_reminder(
        assignment=assignment, actor=request.user, today=urging.local_today(), base_url=_base_url(request)
    )
    if sent:
        messages.success(request, _("Đã gửi thư nhắc việc tới %(n)s người.") % {"n": sent})
    else:
        messages.warning(request, _("Đơn vị chưa có cán bộ nào có địa chỉ email để nhận thư nhắc việc."))
    return redirect("activities:assignment", pk=assignment.pk)
