"""Pages of the listening desk (office role): upload, desk, surge, claim, items."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from loa.activities.models import Activity
from loa.plans import selectors as plan_selectors

from . import selectors, services
from .models import Claim, Item, Source, Surge
from .readers import ExportError, read_export, read_pasted


@login_required
def index(request):
    documents = plan_selectors.visible_documents(request.user).filter(tasks__isnull=False).distinct()[:100]
    return render(request, "listening/index.html", {"documents": documents})


def _add_data(request, document, office) -> None:
    """An uploaded export or pasted text → a source; raises ExportError."""
    tz = timezone.get_current_timezone()
    if upload := request.FILES.get("tep"):
        if upload.size > settings.LOA_MAX_UPLOAD_MB * 1024 * 1024:
            raise ExportError(
                _("Tệp lớn hơn %(n)d MB; hãy chia nhỏ.") % {"n": settings.LOA_MAX_UPLOAD_MB}, "too_big"
            )
        export = read_export(upload.read(), upload.name, tz)
        kind, name = Source.Kind.UPLOAD, upload.name
    elif (pasted := request.POST.get("van_ban", "")).strip():
        export = read_pasted(pasted[:500_000], timezone.now())
        kind = Source.Kind.PASTE
        name = _("Văn bản dán vào %(t)s") % {"t": f"{timezone.localtime():%d/%m/%Y %H:%M}"}
    else:
        raise ExportError(_("Hãy chọn một tệp hoặc dán văn bản."), "empty")
    source = services.ingest(
        document=document, office=office, export=export, kind=kind, name=name, actor=request.user
    )
    messages.success(
        request,
        _("Đã nhận %(c)d mục mới, %(d)d mục đã có; %(e)d dòng lỗi.")
        % {"c": source.created, "d": source.duplicates, "e": len(export.errors)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk(request, pk: int):
    document, office = selectors.desk_for_user(request.user, pk)
    status = 200
    if request.method == "POST":
        try:
            if feed_url := request.POST.get("nguon_tin", "").strip():
                source = services.add_feed(document=document, office=office, url=feed_url, actor=request.user)
                messages.success(
                    request, _("Đã theo dõi nguồn tin; lấy được %(c)d mục mới.") % {"c": source.created}
                )
            else:
                _add_data(request, document, office)
            return redirect("listening:desk", pk=document.pk)
        except ExportError as exc:
            messages.error(request, exc.message)
            status = 400
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    context = selectors.desk(document)
    context.update({"document": document, "office": office})
    context["pending"] = context["total"] - context["processed"]
    context["week_bars"] = selectors.bars([w["total"] for w in context["weeks"]])
    weeks = context["weeks"]
    context["sentiment_chart"] = {
        "labels": [f"{w['week']:%d/%m}" for w in weeks],
        "series": [
            {"label": _("Tổng"), "values": [w["total"] for w in weeks], "kind": "bars"},
            {
                "label": _("Tiêu cực"),
                "values": [w["negative"] for w in weeks],
                "kind": "line",
                "color": "#b00",
            },
            {
                "label": _("Trung tính"),
                "values": [w["neutral"] for w in weeks],
                "kind": "line",
                "color": "#777",
            },
            {
                "label": _("Tích cực"),
                "values": [w["positive"] for w in weeks],
                "kind": "line",
                "color": "#070",
            },
        ],
    }
    return render(request, "listening/desk.html", context, status=status)


@login_required
def surge(request, pk: int):
    surge = get_object_or_404(Surge, pk=pk)
    document, _office = selectors.desk_for_user(request.user, surge.document_id)
    items = list(
        Item.objects.filter(pk__in=surge.evidence).select_related("claim").order_by("-published_at")[:200]
    )
    groups = {}
    for item in items:
        groups.setdefault(item.group_id or item.pk, []).append(item)
    curve = [point["count"] for point in surge.curve]
    return render(
        request,
        "listening/surge.html",
        {
            "surge": surge,
            "document": document,
            "groups": sorted(groups.values(), key=len, reverse=True),
            "curve_bars": selectors.bars(curve),
            "curve_chart": {
                "labels": [point["window_start"][5:10] for point in surge.curve],
                "series": [{"label": _("Số mục"), "values": curve, "kind": "bars"}],
            },
            "curve": surge.curve,
        },
    )


@login_required
@require_POST
def claim_open(request, pk: int):
    item = get_object_or_404(Item.objects.select_related("group"), pk=pk)
    selectors.desk_for_user(request.user, item.document_id)
    try:
        claim = services.open_claim(item=item, summary=request.POST.get("tom_tat", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("listening:desk", pk=item.document_id)
    return redirect("listening:claim", pk=claim.pk)


@login_required
@require_http_methods(["GET", "POST"])
def claim(request, pk: int):
    claim = get_object_or_404(Claim.objects.select_related("group", "answer"), pk=pk)
    document, _office = selectors.desk_for_user(request.user, claim.document_id)
    status = 200
    if request.method == "POST" and request.POST.getlist("gop"):
        ids = [int(x) for x in request.POST.getlist("gop") if x.isdigit()]
        services.join_groups(claim=claim, item_ids=ids, actor=request.user)
        messages.success(request, _("Đã gộp %(n)d nhóm tin vào luận điệu.") % {"n": len(ids)})
        return redirect("listening:claim", pk=claim.pk)
    if request.method == "POST":
        answer = None
        if (answer_id := request.POST.get("hoat_dong", "").strip()).isdigit():
            answer = Activity.objects.filter(pk=int(answer_id), tasks__document=document).first()
        try:
            services.mark_claim(
                claim=claim,
                status=request.POST.get("ket_luan", ""),
                official_link=request.POST.get("duong_dan", ""),
                answer=answer,
                actor=request.user,
            )
            messages.success(request, _("Đã lưu kết luận."))
            return redirect("listening:claim", pk=claim.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    items = services.claim_items(claim).order_by("-published_at")
    return render(
        request,
        "listening/claim.html",
        {
            "claim": claim,
            "document": document,
            "items": items[:100],
            "mentions": services.claim_mentions(claim),
            # proposed on demand: BM25 over the period's groups and e5 take a moment
            "similar": services.similar_groups(claim) if request.GET.get("goi_y") else None,
            "statuses": Claim.Status.choices,
        },
        status=status,
    )


@login_required
def sample(request):
    """A made-up export to try the desk with (the last 30 days)."""
    import datetime as dt

    from django.http import HttpResponse

    from .samples import sample_csv

    if not selectors.scope_for(request.user).manages_plans:
        raise Http404
    body = sample_csv(timezone.localdate() - dt.timedelta(days=29))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-du-lieu-lang-nghe.csv"'
    return response


@login_required
def topic(request, pk: int):
    """A topic (a theme of the plan, ?chu_de=, a story found by Loa — a near-duplicate group, ?nhom= —
    or a keyphrase, ?tu_khoa=) over time: per hour, day or week (?theo=gio|ngay|tuan), by sentiment,
    with a 7-day forecast."""
    document, _office = selectors.desk_for_user(request.user, pk)
    label, phrase = request.GET.get("chu_de", "").strip(), request.GET.get("tu_khoa", "").strip()[:100]
    raw_group = request.GET.get("nhom", "")
    group = int(raw_group) if raw_group.isdecimal() and len(raw_group) < 12 else None
    story = Item.objects.filter(document=document, pk=group).first() if group is not None else None
    if group is not None and story is None:
        raise Http404
    bucket = request.GET.get("theo", "ngay")
    if bucket not in selectors.BUCKETS:
        bucket = "ngay"
    data = selectors.trend(document, theme_label=label, phrase=phrase, group=group, bucket=bucket)
    theme = (
        document.current_version.themes.filter(label=label).first()
        if label and document.current_version_id
        else None
    )
    fmt = {"gio": "%d/%m %Hh", "ngay": "%d/%m", "tuan": "%d/%m"}[bucket]
    chart = {
        "labels": [timezone.localtime(r["start"]).strftime(fmt) for r in data.rows]
        + [f["day"].strftime("%d/%m") for f in data.forecast],
        "series": [
            {
                "label": _("Số mục"),
                "values": [r["total"] for r in data.rows] + [None] * len(data.forecast),
                "kind": "bars",
            },
            {
                "label": _("Tiêu cực"),
                "values": [r["negative"] for r in data.rows] + [None] * len(data.forecast),
                "kind": "line",
                "color": "#b00",
            },
            {
                "label": _("Dự báo"),
                "values": [None] * len(data.rows) + [round(f["mean"], 2) for f in data.forecast],
                "kind": "line",
                "color": "#06c",
            },
        ],
    }
    return render(
        request,
        "listening/topic.html",
        {
            "document": document,
            "trend": data,
            "theme": theme,
            "label": label,
            "phrase": phrase,
            "bucket": bucket,
            "chart": chart,
            "story": story,
            "query": f"nhom={group}" if story else ("chu_de=" + label) if label else ("tu_khoa=" + phrase),
            "buckets": [("gio", _("giờ")), ("ngay", _("ngày")), ("tuan", _("tuần"))],
        },
    )


@login_required
def items(request, pk: int):
    document, _office = selectors.desk_for_user(request.user, pk)
    rows, shown = selectors.items_filtered(document, request.GET)
    return render(request, "listening/items.html", {"document": document, "items": rows, "shown": shown})
