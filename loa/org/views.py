"""Unit confirmation screen: thin views over ``services`` and ``selectors``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .forms import MergeForm
from .permissions import can_manage_units
from .selectors import candidates_for_units, unconfirmed_units
from .services import confirm_unit, merge_unit

PAGE_SIZE = 50


def _require_manager(user) -> None:
    if not can_manage_units(user):
        raise PermissionDenied


@login_required
@require_GET
def unit_confirm(request):
    _require_manager(request.user)
    page = Paginator(unconfirmed_units(), PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(page.object_list)
    candidates = candidates_for_units(units)
    rows = [(unit, candidates.get(unit.pk, [])) for unit in units]
    return render(request, "org/unit_confirm.html", {"page": page, "rows": rows})


@login_required
@require_POST
def unit_confirm_one(request, pk: int):
    _require_manager(request.user)
    unit = get_object_or_404(unconfirmed_units(), pk=pk)
    try:
        confirm_unit(unit=unit, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xác nhận đơn vị “%(name)s”.") % {"name": unit.name})
    return redirect("org:unit_confirm")


@login_required
@require_POST
def unit_merge(request, pk: int):
    _require_manager(request.user)
    unit = get_object_or_404(unconfirmed_units(), pk=pk)
    form = MergeForm(request.POST, unit=unit)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một đơn vị đã xác nhận để gộp vào."))
        return redirect("org:unit_confirm")
    try:
        into = merge_unit(unit=unit, into=form.cleaned_data["into"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã gộp “%(name)s” vào “%(into)s”.") % {"name": unit.name, "into": into.name}
        )
    return redirect("org:unit_confirm")
