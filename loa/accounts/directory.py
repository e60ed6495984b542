"""The unit directory: browse areas and their bodies, add, rename and merge units within one's scope."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from loa.org.models import Area, AreaLevel, Unit, UnitStatus, UnitType
from loa.org.selectors import subtree_q
from loa.org.services import create_unit, merge_unit, rename_unit

from .access import scope_for
from .models import Membership, Role


class UnitForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên đơn vị"), max_length=300)
    unit_type = forms.ChoiceField(label=gettext_lazy("Loại đơn vị"), choices=UnitType.choices)


def _managed_areas(user):
    """Areas whose units the person may add, rename and merge (office role, or system admin)."""
    if user.is_superuser:
        return Area.objects.all()
    q = None
    for m in Membership.objects.filter(user=user, role=Role.OFFICE).select_related("unit__area"):
        if m.unit.area_id:
            q = subtree_q(m.unit.area) if q is None else q | subtree_q(m.unit.area)
    return Area.objects.filter(q) if q is not None else Area.objects.none()


def _readable_area(user, code: str) -> Area:
    area = get_object_or_404(Area, code=code)
    scope = scope_for(user)
    if scope.all or _managed_areas(user).filter(pk=area.pk).exists():
        return area
    if scope.readable_units().filter(area__in=Area.objects.filter(subtree_q(area))).exists():
        return area
    raise Http404


@login_required
def directory_home(request):
    scope = scope_for(request.user)
    if scope.all:
        roots = Area.objects.filter(level=AreaLevel.PROVINCE, units__isnull=False).distinct().order_by("name")
    else:
        roots = Area.objects.filter(units__in=scope.readable_units()).distinct().order_by("code")
    return render(request, "accounts/directory_home.html", {"roots": roots})


@login_required
def area_detail(request, code: str):
    area = _readable_area(request.user, code)
    scope = scope_for(request.user)
    units = Unit.objects.filter(area=area).exclude(status=UnitStatus.MERGED).order_by("unit_type", "name")
    if not scope.all and not _managed_areas(request.user).filter(pk=area.pk).exists():
        units = units.filter(pk__in=scope.readable_units())
    can_manage = _managed_areas(request.user).filter(pk=area.pk).exists()
    children = area.children.order_by("name") if area.level != AreaLevel.COMMUNE else Area.objects.none()
    if not scope.all:
        children = (
            children.filter(units__in=scope.readable_units()).distinct() if not can_manage else children
        )
    return render(
        request,
        "accounts/area_detail.html",
        {"area": area, "units": units, "children": children, "can_manage": can_manage, "form": UnitForm()},
    )


@login_required
@require_POST
def unit_add(request, code: str):
    area = get_object_or_404(_managed_areas(request.user), code=code)
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            create_unit(area=area, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã thêm đơn vị."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("directory:area", code=area.code)


def _managed_unit(user, pk: int) -> Unit:
    return get_object_or_404(Unit.objects.filter(area__in=_managed_areas(user)).select_related("area"), pk=pk)


@login_required
@require_POST
def unit_rename(request, pk: int):
    unit = _managed_unit(request.user, pk)
    try:
        rename_unit(unit=unit, name=request.POST.get("name", ""), actor=request.user)
        messages.success(request, _("Đã đổi tên đơn vị."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("directory:area", code=unit.area.code)


@login_required
@require_POST
def unit_merge_into(request, pk: int):
    unit = _managed_unit(request.user, pk)
    into = _managed_unit(request.user, int(request.POST.get("into") or 0))
    try:
        merge_unit(unit=unit, into=into, actor=request.user)
        messages.success(request, _("Đã gộp đơn vị."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("directory:area", code=unit.area.code)


app_name = "directory"
urlpatterns = [
    path("", directory_home, name="home"),
    path("dia-ban/<str:code>/", area_detail, name="area"),
    path("dia-ban/<str:code>/them/", unit_add, name="unit_add"),
    path("<int:pk>/doi-ten/", unit_rename, name="unit_rename"),
    path("<int:pk>/gop-vao/", unit_merge_into, name="unit_merge_into"),
]
