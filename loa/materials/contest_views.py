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


def unit_tree(contest: Contest) -> list[dict]:
    """The units a contestant picks from, as a tree: the plan's units and the units under them,
    grouped by area (city first, then communes), each under its parent unit."""
    from django.db.models import Q

    from loa.org.models import Unit, UnitStatus

    ids = TaskAssignment.objects.filter(task__document=contest.document_id).values("unit_id")
    units = list(
        Unit.objects.filter(Q(pk__in=ids) | Q(parent__in=ids))
        .exclude(status=UnitStatus.MERGED)
        .select_related("area")
        .order_by("name")
    )
    present = {u.pk for u in units}
    children: dict[int | None, list] = {}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in present else None, []).append(u)
    by_area: dict = {}

    def walk(unit, depth):
        label = ("\u00a0\u00a0" * depth + "└ " if depth else "") + unit.name
        by_area.setdefault(root_area, []).append({"pk": unit.pk, "label": label})
        for child in children.get(unit.pk, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        root_area = root.area
        walk(root, 0)
    rank = {"central": 0, "province": 1, "commune": 2}
    groups = sorted(
        by_area.items(), key=lambda kv: (rank.get(kv[0].level, 3), kv[0].name) if kv[0] else (9, "")
    )
    return [{"area": area.name if area else _("Khác"), "units": rows} for area, rows in groups]


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, pk: int):
    from loa.feedback.services import client_key, throttle

    contest = get_object_or_404(Contest.objects.select_related("document"), pk=pk)
    now = timezone.now()
    tree = unit_tree(contest)
    status = 200
    form = {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("name", "phone", "unit", "age_band", "parent_consent")}
        client = client_key(request)
        address = client.removeprefix("ip:")[:16]
        # a school's NAT puts a class behind one address: a generous limit per address and hour
        if not throttle(client + ":contest", limit=settings.LOA_CONTEST_PER_HOUR, seconds=3600):
            messages.error(request, _("Quá nhiều yêu cầu trong một giờ. Xin thử lại sau."))
            status = 429
        elif request.POST.get("website"):
            rules.record_refusal(contest, address, "honeypot")
            messages.error(request, _("Không gửi được."))
            status = 400
        else:
            allowed = {row["pk"] for group in tree for row in group["units"]}
            raw_unit = form["unit"]
            unit_pk = int(raw_unit) if raw_unit.isdecimal() and int(raw_unit) in allowed else None
            try:
                if unit_pk is None:
                    raise rules.Refused(_("Xin chọn đơn vị của bạn."))
                rules.spend_proof(request.POST, now=now)
                from loa.org.models import Unit

                age = form["age_band"]
                _attempt, token, shown = rules.start(
                    contest=contest,
                    unit=Unit.objects.get(pk=unit_pk),
                    name=form["name"],
                    phone=form["phone"],
                    age_band=age,
                    # under 16: the name is published only with the child's and a parent's consent
                    publish_name=not (age == "<16" and not form["parent_consent"]),
                    client=address,
                )
            except rules.Refused as exc:
                if exc.code == "proof":
                    rules.record_refusal(contest, address, "proof")
                messages.error(request, str(exc))
                status = 400
            else:
                request.session[f"loa_contest_{contest.pk}"] = token
                return redirect("materials:contest_attempt", pk=pk)
    is_open = contest.opens_at <= now < contest.closes_at
    context = {
        "contest": contest,
        "tree": tree,
        "open": is_open,
        "ages": rules.AGE_BANDS,
        "form": form,
        "proof": rules.new_proof() if is_open else None,
    }
    return render(request, "materials/contest_start.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def attempt(request, pk: int):
    # the token stays in the session after the submission (the attempt refuses a second one): a
    # reload shows the result, and a submission costs no session write
    token = request.session.get(f"loa_contest_{pk}")
    if not token:
        return redirect("materials:contest_start", pk=pk)
    if request.method == "POST":  # the round comes with the attempt: no query of its own
        # every answer field goes to the rules: one for a question outside the attempt is refused
        answers = {name[1:]: value for name, value in request.POST.items() if name[:1] == "q" and value != ""}
        try:
            done = rules.submit(
                token=token, answers=answers, prediction=request.POST.get("prediction", ""), contest_id=pk
            )
        except rules.Refused as exc:
            messages.error(request, str(exc))
            if exc.code in ("token", "late"):
                return redirect("materials:contest_start", pk=pk)
            return redirect("materials:contest_attempt", pk=pk)  # the result when already submitted
        return render(request, "materials/contest_done.html", {"contest": done.contest, "attempt": done})
    contest = get_object_or_404(Contest, pk=pk)
    current = Attempt.objects.filter(token_hash=rules._key(token), contest=contest).first()
    if current is None:
        return redirect("materials:contest_start", pk=pk)
    if current.submitted_at is not None:
        return render(request, "materials/contest_done.html", {"contest": contest, "attempt": current})
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
            "excluded": contest.attempts.exclude(excluded_reason="").count() if closed else 0,
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
