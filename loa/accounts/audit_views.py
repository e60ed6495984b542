"""The audit log as the office sees it: changes made by people holding roles in its scope."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from loa.audit.models import AuditEntry

from .access import scope_for
from .models import Membership


def audit_entries_for(user):
    scope = scope_for(user)
    if scope.all:
        return AuditEntry.objects.select_related("actor")
    if not scope.manages_plans:
        raise Http404
    actors = Membership.objects.filter(unit__in=scope.writable_units()).values("user_id")
    return AuditEntry.objects.filter(actor_id__in=actors).select_related("actor")


@login_required
def audit_log(request):
    qs = audit_entries_for(request.user)
    action = request.GET.get("ma", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "action": action})


app_name = "audit_log"
urlpatterns = [path("", audit_log, name="list")]
