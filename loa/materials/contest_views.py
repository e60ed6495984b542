"""Public pages of a quiz round (no login, no JavaScript needed): start, answer, result, ranking.
The attempt's token lives in the server-side session, never in a URL."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from loa.plans.models import TaskAssignment

from . import contest as rules
from .models import Attempt, Contest, Question


def _units(contest: Contest):
    from loa.org.models import Unit

    ids = TaskAssignment.objects.filter(task__document=contest.document_id).values("unit_id")
    return Unit.objects.filter(pk__in=ids).order_by("name")


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, pk: int):
    contest = get_object_or_404(Contest.objects.select_related("document"), pk=pk)
    now = timezone.now()
    units = _units(contest)
    status = 200
    if request.method == "POST":
        from loa.feedback.services import client_key, throttle

        if request.POST.get("website"):
            messages.error(request, _("Không gửi được."))
            status = 400
        # a school's NAT puts a class behind one address: a generous limit per address and hour
        elif not throttle(
            client_key(request) + ":contest", limit=settings.LOA_CONTEST_PER_HOUR, seconds=3600
        ):
            messages.error(request, _("Quá nhiều yêu cầu trong một giờ. Xin thử lại sau."))
            status = 429
        else:
            unit = units.filter(
                pk=request.POST.get("unit") if (request.POST.get("unit") or "").isdigit() else 0
            ).first()
            try:
                if unit is None:
                    raise rules.Refused(_("Xin chọn đơn vị của bạn."))
                age = request.POST.get("age_band", "")
                if age == "<16" and not request.POST.get("parent_consent"):
                    publish = False
                else:
                    publish = True
                _attempt, token, shown = rules.start(
                    contest=contest,
                    unit=unit,
                    name=request.POST.get("name", ""),
                    phone=request.POST.get("phone", ""),
                    age_band=age,
                    publish_name=publish,
                )
            except rules.Refused as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                request.session[f"loa_contest_{contest.pk}"] = token
                return redirect("materials:contest_attempt", pk=pk)
    context = {
        "contest": contest,
        "units": units,
        "open": contest.opens_at <= now < contest.closes_at,
        "ages": rules.AGE_BANDS,
    }
    return render(request, "materials/contest_start.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def attempt(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    token = request.session.get(f"loa_contest_{contest.pk}")
    current = Attempt.objects.filter(token_hash=rules._key(token or "")).first() if token else None
    if current is None:
        return redirect("materials:contest_start", pk=pk)
    if request.method == "POST":
        answers = {}
        for d in current.drawn:
            value = request.POST.get(f"q{d['q']}", "")
            if value.isdigit():
                answers[d["q"]] = int(value)
        try:
            done = rules.submit(token=token, answers=answers, prediction=request.POST.get("prediction", ""))
        except rules.Refused as exc:
            messages.error(request, str(exc))
            if current.submitted_at is None and "hết giờ" not in str(exc):
                return redirect("materials:contest_attempt", pk=pk)
            return redirect("materials:contest_start", pk=pk)
        del request.session[f"loa_contest_{contest.pk}"]
        return render(request, "materials/contest_done.html", {"contest": contest, "attempt": done})
    texts = {q.pk: q for q in Question.objects.filter(pk__in=[d["q"] for d in current.drawn])}
    shown = [
        {"id": d["q"], "text": texts[d["q"]].text, "options": [texts[d["q"]].options[i] for i in d["order"]]}
        for d in current.drawn
    ]
    left = max(0, int((current.started_at - timezone.now()).total_seconds()) + contest.time_limit_seconds)
    return render(
        request,
        "materials/contest_attempt.html",
        {
            "contest": contest,
            "questions": shown,
            "left": left,
            "deadline": current.started_at + dt.timedelta(seconds=contest.time_limit_seconds),
        },
    )


def results(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    closed = timezone.now() >= contest.closes_at
    return render(
        request,
        "materials/contest_results.html",
        {
            "contest": contest,
            "closed": closed,
            "rows": rules.results(contest, limit=500) if closed else [],
            "units": rules.by_unit(contest) if closed else [],
        },
    )


def results_file(request, pk: int, fmt: str):
    """The published results after closing: XLSX (every text cell stored as text) or the DOCX
    announcement; masked phones, names withheld without consent, as on the page."""
    import io

    from django.http import Http404, HttpResponse

    from loa.activities.tabular import write_xlsx

    contest = get_object_or_404(Contest.objects.select_related("document"), pk=pk)
    if timezone.now() < contest.closes_at or fmt not in ("xlsx", "docx"):
        raise Http404
    rows = rules.results(contest, limit=None)
    if fmt == "xlsx":
        header = ["Hạng", "Họ tên", "Đơn vị", "Điện thoại", "Số câu đúng", "Dự đoán", "Thời gian (giây)"]
        data = write_xlsx(
            [header]
            + [
                [r["place"], r["name"], r["unit"], r["phone"], r["correct"], r["prediction"], r["duration"]]
                for r in rows
            ],
            title="Kết quả",
        )
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="ket-qua-{contest.pk}.xlsx"'
        return response
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(14)
    document.add_heading(f"THÔNG BÁO KẾT QUẢ {contest.title.upper()}", level=1)
    closes = timezone.localtime(contest.closes_at)
    document.add_paragraph(
        f"Vòng thi đóng lúc {closes:%H:%M} ngày {closes.day}/{closes.month}/{closes.year}; "
        f"{len(rows)} người dự thi có bài hợp lệ. Xếp hạng theo số câu đúng, rồi dự đoán gần nhất, "
        "rồi thời gian làm bài ngắn nhất, rồi thời điểm nộp sớm nhất."
    )
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["Hạng", "Họ tên", "Đơn vị", "Điện thoại", "Số câu đúng"], strict=True
    ):
        cell.text = text
    for r in rows[:50]:
        cells = table.add_row().cells
        for cell, value in zip(
            cells, [r["place"], r["name"], r["unit"], r["phone"], r["correct"]], strict=True
        ):
            cell.text = str(value)
    out = io.BytesIO()
    document.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="thong-bao-ket-qua-{contest.pk}.docx"'
    return response
