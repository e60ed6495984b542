"""Public pages of e-mail subscriptions (no login): subscribe, confirm (POST only), manage, export,
erase, one-click unsubscribe, resend the link."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from loa.activities.models import Audience
from loa.plans.models import Theme

from . import subscriptions
from .feeds import _plan
from .models import Subscription


def _choices(document):
    audiences = [(v, label) for v, label in Audience.choices if subscriptions.subscribable(v)]
    themes = Theme.objects.filter(version_id=document.current_version_id).order_by("order")
    return audiences, themes


@require_http_methods(["GET", "POST"])
def subscribe(request, pk: int):
    document = _plan(pk)
    audiences, themes = _choices(document)
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):  # honeypot
            return HttpResponse(_("Không gửi được."), status=400)
        from django.conf import settings

        from loa.feedback.services import client_key, throttle

        if not throttle(
            client_key(request) + ":subscribe", limit=settings.LOA_FEEDBACK_PER_HOUR, seconds=3600
        ):
            messages.error(request, _("Quá nhiều yêu cầu trong một giờ. Xin thử lại sau."))
            return render(
                request,
                "materials/subscribe.html",
                {
                    "document": document,
                    "audiences": audiences,
                    "themes": themes,
                    "frequencies": Subscription.Frequency.choices,
                },
                status=429,
            )
        labels = {t.label for t in themes}
        try:
            if request.POST.get("action") == "resend":
                subscriptions.resend_link(document=document, email=request.POST.get("email", ""))
            else:
                subscriptions.subscribe(
                    document=document,
                    email=request.POST.get("email", ""),
                    audiences=[a for a in request.POST.getlist("doi_tuong") if a in Audience.values],
                    themes=[t for t in request.POST.getlist("chu_de") if t in labels],
                    frequency=request.POST.get("tan_suat", "weekly"),
                )
        except subscriptions.Refused as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            # the same words whether the address is new, pending, confirmed or unknown
            messages.info(
                request,
                _("Nếu địa chỉ hợp lệ, một thư đã được gửi tới đó. Xin mở thư và làm theo hướng dẫn."),
            )
            return redirect("materials:subscribe", pk=pk)
    context = {
        "document": document,
        "audiences": audiences,
        "themes": themes,
        "frequencies": Subscription.Frequency.choices,
    }
    return render(request, "materials/subscribe.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    sub = subscriptions.read_token(token, "confirm", max_age=subscriptions.PENDING_DAYS * 86400)
    if sub is None:
        return render(request, "materials/subscription_gone.html", status=404)
    if request.method == "POST":
        subscriptions.confirm(sub)
        return redirect("materials:sub_manage", token=subscriptions.token(sub, "manage"))
    return render(request, "materials/subscription_confirm.html", {"sub": sub})


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    sub = subscriptions.read_token(token, "manage")
    if sub is None:
        return render(request, "materials/subscription_gone.html", status=404)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "export":
            response = HttpResponse(
                json.dumps(subscriptions.export(sub), ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="dang-ky-nhan-tin.json"'
            return response
        if action == "erase":
            subscriptions.erase(sub)
            return render(request, "materials/subscription_gone.html", {"erased": True})
        audiences, themes = _choices(sub.document)
        sub.audiences = sorted(a for a in request.POST.getlist("doi_tuong") if a in dict(audiences))
        sub.themes = sorted(t for t in request.POST.getlist("chu_de") if t in {t.label for t in themes})
        if request.POST.get("tan_suat") in Subscription.Frequency.values:
            sub.frequency = request.POST["tan_suat"]
        sub.save(update_fields=["audiences", "themes", "frequency"])
        messages.success(request, _("Đã lưu."))
        return redirect("materials:sub_manage", token=token)
    audiences, themes = _choices(sub.document)
    context = {
        "sub": sub,
        "audiences": audiences,
        "themes": themes,
        "frequencies": Subscription.Frequency.choices,
    }
    return render(request, "materials/subscription_manage.html", context)


@csrf_exempt  # mail clients POST "List-Unsubscribe=One-Click" (RFC 8058) without a form; the signed token is the check
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    sub = subscriptions.read_token(token, "unsubscribe")
    if sub is None:
        if request.method == "POST":
            return HttpResponse(status=200)  # already gone: nothing to say
        return render(request, "materials/subscription_gone.html", status=404)
    if request.method == "POST":
        subscriptions.erase(sub)
        return render(request, "materials/subscription_gone.html", {"erased": True})
    return render(request, "materials/subscription_unsubscribe.html", {"sub": sub})
