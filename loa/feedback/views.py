"""Pages: the public side (no login: ask, receipt, look up, export, erase, FAQ) and the office side
(inbox, one submission: acknowledge, re-route, contact, answer, approve)."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from loa.org.models import Unit
from loa.plans.models import Document, TaskAssignment, Theme

from . import passages, selectors, services
from .forms import LookupForm, SubmissionForm
from .models import Answer, Dialogue, Kind, RoutingRule, Status, Submission
from .validation import Refused, check_contact

ACTIONS = {
    "feedback.submission.received": gettext_lazy("Nhận ý kiến"),
    "feedback.submission.acknowledged": gettext_lazy("Tiếp nhận"),
    "feedback.submission.rerouted": gettext_lazy("Chuyển đơn vị / sửa chủ đề"),
    "feedback.submission.ungrouped": gettext_lazy("Tách khỏi nhóm câu hỏi trùng"),
    "feedback.contact.viewed": gettext_lazy("Xem thông tin liên hệ"),
    "feedback.answer.drafted": gettext_lazy("Lưu dự thảo trả lời"),
    "feedback.answer.sent_for_approval": gettext_lazy("Trình duyệt câu trả lời"),
    "feedback.answer.returned": gettext_lazy("Trả lại người soạn"),
    "feedback.answer.published": gettext_lazy("Duyệt và công bố"),
    "feedback.personal.exported": gettext_lazy("Người gửi tải về dữ liệu cá nhân"),
    "feedback.personal.erased": gettext_lazy("Xóa dữ liệu cá nhân"),
}


def _int(value) -> int:
    """A posted id; anything else is a missing object (404), never a server error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _plans():
    return (
        Document.objects.exclude(current_version=None)
        .filter(kind__icontains="kế hoạch")
        .order_by("-issued_on", "-pk")
    )


def public_index(request):
    dialogues = Dialogue.objects.filter(
        Q(questions_open=True) | Q(published_at__isnull=False)
    ).select_related("unit")[:20]
    return render(request, "feedback/public_index.html", {"plans": _plans()[:100], "dialogues": dialogues})


@require_http_methods(["GET", "POST"])
def ask_plan(request, pk: int):
    document = get_object_or_404(_plans(), pk=pk)
    return _ask(request, document=document, unit=None)


@require_http_methods(["GET", "POST"])
def ask_unit(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk, merged_into=None)
    return _ask(request, document=None, unit=unit)


@require_http_methods(["GET", "POST"])
def dialogue_public(request, pk: int):
    dialogue = get_object_or_404(Dialogue.objects.select_related("unit", "document"), pk=pk)
    if request.method == "POST" and dialogue.questions_open:
        return _ask(request, document=dialogue.document, unit=dialogue.unit, dialogue=dialogue)
    answered = (
        [
            (q, n)
            for q, n in services.ranked_questions(dialogue)
            if getattr(q, "answer", None) and q.answer.state == Answer.State.PUBLISHED
        ]
        if dialogue.published_at
        else []
    )
    context = {
        "dialogue": dialogue,
        "form": SubmissionForm() if dialogue.questions_open else None,
        "answered": answered,
        **_consent_context(),
    }
    return render(request, "feedback/dialogue_public.html", context)


def _consent_context() -> dict:
    return {
        "retention_months": round(settings.LOA_FEEDBACK_RETENTION_DAYS / 30),
        "consent_version": services.CONSENT_VERSION,
    }


def _ask(request, *, document, unit, dialogue=None):
    status = 200
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif form.cleaned_data["website"]:
            form.add_error(
                None,
                _(
                    "Không gửi được: một ô phải để trống đã bị điền. Nếu bạn không dùng phần mềm tự điền, xin tải lại trang và gửi lại."
                ),
            )
            status = 400
        elif not services.throttle(
            services.client_key(request), limit=settings.LOA_FEEDBACK_PER_HOUR, seconds=3600
        ):
            form.add_error(None, _("Bạn đã gửi quá nhiều ý kiến trong một giờ. Xin thử lại sau."))
            status = 429
        else:
            data = form.cleaned_data
            upload = data.get("attachment")
            try:
                if upload and upload.size > settings.LOA_FEEDBACK_MAX_ATTACHMENT_MB * 1024 * 1024:
                    raise Refused(
                        _("Tệp đính kèm quá lớn: tối đa %(n)d MB.")
                        % {"n": settings.LOA_FEEDBACK_MAX_ATTACHMENT_MB}
                    )
                contact = check_contact(data["name"], data["phone"], data["email"])
                _submission, code = services.submit(
                    kind=data["kind"],
                    text=data["text"],
                    document=document,
                    addressed_to=unit,
                    contact=contact,
                    consent=data["consent"],
                    attachment=upload.read() if upload else None,
                    dialogue=dialogue,
                )
            except Refused as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                request.session["loa_receipt"] = code
                return redirect("feedback:sent")
    context = {"form": form, "document": document, "unit": unit, **_consent_context()}
    if dialogue is not None:
        context.update(dialogue=dialogue, answered=[])
        return render(request, "feedback/dialogue_public.html", context, status=status)
    return render(request, "feedback/ask.html", context, status=status)


@never_cache
def sent(request):
    code = request.session.pop("loa_receipt", None)
    if code is None:
        return redirect("feedback:lookup")
    return render(request, "feedback/sent.html", {"code": code})


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """Status and answer by receipt code; the same code exports or erases the person's data. The
    code travels in POST bodies only, never in a URL (URLs end up in logs)."""
    form = LookupForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(
            request, "feedback/lookup.html", {"form": form}, status=200 if request.method == "GET" else 400
        )
    code = form.cleaned_data["code"]
    if not (
        services.throttle(
            services.client_key(request) + ":lookup",
            limit=settings.LOA_FEEDBACK_LOOKUPS_PER_HOUR,
            seconds=3600,
        )
        and services.throttle("code:" + services.code_hash(code), limit=20, seconds=3600)
    ):
        form.add_error(None, _("Quá nhiều lần tra cứu. Xin thử lại sau một giờ."))
        return render(request, "feedback/lookup.html", {"form": form}, status=429)
    submission = services.find_by_code(code)
    if submission is None:
        form.add_error("code", _("Không tìm thấy ý kiến nào với mã này. Xin kiểm tra lại từng ký tự."))
        return render(request, "feedback/lookup.html", {"form": form}, status=404)
    action = request.POST.get("action", "")
    if action == "export":
        body = json.dumps(services.export_personal(submission), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
        return response
    erased = False
    if action == "erase":
        if request.POST.get("confirm") != "1":
            form.add_error(None, _("Xin đánh dấu xác nhận trước khi xóa."))
        else:
            services.erase_personal(submission=submission, reason="request")
            erased = True
    answer = getattr(submission.leader, "answer", None) if submission.leader else None
    if answer is not None and answer.state != Answer.State.PUBLISHED:
        answer = None
    context = {"form": form, "submission": submission, "answer": answer, "code": code, "erased": erased}
    return render(request, "feedback/status.html", context)


def faq(request, pk: int):
    document = get_object_or_404(_plans(), pk=pk)
    query = request.GET.get("q", "")[:200]
    answers = selectors.faq(document, query)
    groups: dict[str, list] = {}
    for a in answers:
        theme = a.submission.theme
        groups.setdefault(f"{theme.label}. {theme.title}" if theme else _("Chủ đề khác"), []).append(a)
    return render(
        request,
        "feedback/faq.html",
        {"document": document, "groups": groups, "query": query, "count": len(answers)},
    )


# --- office side -------------------------------------------------------------------------------


def _filtered(request, qs):
    status = request.GET.get("trang_thai", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("qua_han"):
        qs = selectors.overdue(qs)
    if (kind := request.GET.get("loai", "")) in Kind.values:
        qs = qs.filter(kind=kind)
    if (unit_id := request.GET.get("don_vi", "")).isdigit():
        qs = qs.filter(unit_id=int(unit_id))
    if (theme_id := request.GET.get("chu_de", "")).isdigit():
        qs = qs.filter(theme_id=int(theme_id))
    return qs


@login_required
def export(request):
    """The inbox as XLSX, filters kept: no contact data; every text cell stored as text, so a
    submission starting with "=" never runs as a formula."""
    from loa.activities.tabular import write_xlsx

    qs = _filtered(request, selectors.inbox(request.user)).order_by("received_at", "pk")
    header = [
        "#",
        "Loại",
        "Nhận lúc",
        "Nội dung",
        "Chủ đề",
        "Đơn vị trả lời",
        "Tình trạng",
        "Hạn trả lời",
        "Trả lời lúc",
        "Nội dung trả lời",
    ]

    def rows():
        yield header
        for s in qs.iterator(chunk_size=500):
            answer = getattr(s, "answer", None)
            published = answer if answer is not None and answer.state == Answer.State.PUBLISHED else None
            yield [
                s.pk,
                s.get_kind_display(),
                timezone.localtime(s.received_at).strftime("%d/%m/%Y %H:%M"),
                s.text,
                s.theme.label if s.theme else "",
                s.unit.name if s.unit else "",
                s.get_status_display(),
                timezone.localtime(s.answer_due).strftime("%d/%m/%Y"),
                timezone.localtime(s.answered_at).strftime("%d/%m/%Y %H:%M") if s.answered_at else "",
                published.text if published else "",
            ]

    response = HttpResponse(
        write_xlsx(rows(), title="Ý kiến người dân"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="y-kien-nguoi-dan.xlsx"'
    return response


@login_required
def inbox(request):
    filters = request.GET.copy()
    filters.pop("trang", None)
    everything = selectors.inbox(request.user)
    qs = _filtered(request, everything)
    status = request.GET.get("trang_thai", "")
    page = Paginator(qs.order_by("answer_due", "pk"), 50).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "figures": selectors.figures(everything),
        "breakdowns": [
            (_("Theo đơn vị"), selectors.figures_by(everything, "unit")[:30], "don_vi"),
            (_("Theo chủ đề"), selectors.figures_by(everything, "theme")[:30], "chu_de"),
            (_("Theo loại"), selectors.figures_by(everything, "kind"), "loai"),
        ],
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "status": status,
        "now": timezone.now(),
        "filters": filters,
    }
    return render(request, "feedback/inbox.html", context)


def _unit_choices(submission: Submission) -> list[Unit]:
    ids = set()
    if submission.document_id:
        ids |= set(
            TaskAssignment.objects.filter(task__document_id=submission.document_id).values_list(
                "unit_id", flat=True
            )
        )
        if submission.document.issuer_id:
            ids.add(submission.document.issuer_id)
    for extra in (submission.unit_id, submission.addressed_to_id):
        if extra:
            ids.add(extra)
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    submission = selectors.get_for_user(request.user, pk)
    handle = selectors.can_handle(request.user, submission)
    direct = selectors.can_direct(request.user, submission)
    contact = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "ack" and handle:
                services.acknowledge(
                    submission=submission, actor=request.user, urgent=bool(request.POST.get("urgent"))
                )
                messages.success(request, _("Đã tiếp nhận."))
            elif action == "contact" and handle:
                contact = services.view_contact(submission=submission, actor=request.user)
            elif action == "reroute" and direct:
                unit = get_object_or_404(Unit, pk=_int(request.POST.get("unit")))
                if not selectors.can_route_to(request.user, unit):
                    raise Http404
                theme_id = _int(request.POST["theme"]) if request.POST.get("theme") else None
                theme = (
                    Theme.objects.filter(
                        pk=theme_id, version_id=submission.document.current_version_id
                    ).first()
                    if theme_id and submission.document_id
                    else None
                )
                services.reroute(
                    submission=submission,
                    unit=unit,
                    theme=theme,
                    actor=request.user,
                    remember=bool(request.POST.get("remember")),
                )
                messages.success(request, _("Đã chuyển tới %(unit)s.") % {"unit": unit})
                if not selectors.inbox(request.user).filter(pk=pk).exists():
                    return redirect("feedback:inbox")
            elif (
                action in ("draft", "send")
                and handle
                and selectors.can_handle(request.user, submission.leader)
            ):
                citations = [json.loads(c) for c in request.POST.getlist("cite") if c.startswith("{")]
                manual = {k: request.POST.get(f"cite_{k}", "") for k in ("document", "section", "quote")}
                if manual["document"].strip():
                    citations.append(manual)
                upload = request.FILES.get("evidence")
                services.save_answer(
                    submission=submission,
                    text=request.POST.get("text", ""),
                    citations=citations,
                    actor=request.user,
                    evidence=upload.read() if upload else None,
                    in_faq=bool(request.POST.get("in_faq")),
                    send_for_approval=action == "send",
                )
                messages.success(request, _("Đã trình duyệt.") if action == "send" else _("Đã lưu dự thảo."))
            elif action == "ungroup" and direct:
                services.ungroup(submission=submission, actor=request.user)
                messages.info(request, _("Đã tách khỏi nhóm: câu hỏi này sẽ có câu trả lời riêng."))
            elif (
                action in ("publish", "return")
                and direct
                and selectors.can_direct(request.user, submission.leader)
            ):
                answer = Answer.objects.filter(submission=submission.leader).first()
                if answer is None:
                    raise Refused(_("Chưa có câu trả lời để duyệt."))
                if action == "publish":
                    services.publish(
                        answer=answer,
                        actor=request.user,
                        in_faq=bool(request.POST.get("in_faq")),
                        seen=request.POST.get("seen"),
                    )
                    messages.success(request, _("Đã duyệt và gửi câu trả lời."))
                else:
                    services.return_to_writer(
                        answer=answer, actor=request.user, note=request.POST.get("note", "")
                    )
                    messages.info(request, _("Đã trả lại người soạn."))
            else:
                return HttpResponse(_("Bạn không có quyền thực hiện thao tác này."), status=403)
        except Refused as exc:
            messages.error(request, str(exc))
        except (ValueError, json.JSONDecodeError):
            messages.error(request, _("Dữ liệu gửi lên không hợp lệ."))
        if contact is None:
            return redirect("feedback:detail", pk=pk)
        submission.refresh_from_db()
    leader = submission.leader
    answer = Answer.objects.filter(submission=leader).first()
    suggestions = []
    if handle and (answer is None or answer.state == Answer.State.DRAFT):
        suggestions = [
            (p, json.dumps(p.citation(), ensure_ascii=False))
            for p in passages.suggest(submission.text, submission.document)
        ]
    themes = (
        list(Theme.objects.filter(version_id=submission.document.current_version_id).order_by("order"))
        if submission.document_id
        else []
    )
    from loa.audit.models import AuditEntry

    trail = AuditEntry.objects.filter(
        Q(object_type="feedback.submission", object_id=str(submission.pk))
        | Q(object_type="feedback.answer", object_id=str(answer.pk) if answer else "-")
    ).select_related("actor")[:100]
    context = {
        "s": submission,
        "trail": [(e, ACTIONS.get(e.action, e.action)) for e in trail],
        "leader": leader,
        "members": Submission.objects.filter(group=leader).count() + 1,
        "answer": answer,
        "handle": handle,
        "direct": direct,
        "contact": contact,
        "suggestions": suggestions,
        "similar": selectors.similar_answered(submission, request.user),
        "units": _unit_choices(submission) if direct else [],
        "themes": themes,
        "now": timezone.now(),
    }
    return render(request, "feedback/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dialogues(request):
    """The office's dialogue sessions, and scheduling a new one."""
    from loa.accounts.access import scope_for

    scope = scope_for(request.user)
    if not scope.manages_plans:
        raise Http404
    units = scope.writable_units()
    if request.method == "POST":
        try:
            unit = get_object_or_404(units, pk=_int(request.POST.get("unit")))
            held_at = timezone.make_aware(dt.datetime.fromisoformat(request.POST.get("held_at", "")))
            document = _plans().filter(pk=_int(request.POST.get("plan") or 0)).first()
            dialogue = services.schedule_dialogue(
                unit=unit,
                document=document,
                title=request.POST.get("title", ""),
                held_at=held_at,
                place=request.POST.get("place", ""),
                leaders=request.POST.get("leaders", ""),
                actor=request.user,
            )
        except (ValueError, Refused) as exc:
            messages.error(request, str(exc) if isinstance(exc, Refused) else _("Thời gian không hợp lệ."))
        else:
            messages.success(
                request, _("Đã lên lịch buổi đối thoại; trang công khai đang nhận câu hỏi trước.")
            )
            return redirect("feedback:dialogue", pk=dialogue.pk)
    items = Dialogue.objects.filter(unit__in=units).select_related("unit")[:100]
    home = (
        units.filter(pk__in=[m.unit_id for m in request.user.memberships.all()])
        if not request.user.is_superuser
        else units.none()
    )
    context = {
        "dialogues": items,
        "units": list(home[:50]) or list(units.order_by("name")[:50]),
        "plans": _plans()[:50],
    }
    return render(request, "feedback/dialogues.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dialogue(request, pk: int):
    from loa.accounts.access import scope_for

    d = get_object_or_404(Dialogue.objects.select_related("unit", "document"), pk=pk)
    if not scope_for(request.user).manages_plans or not scope_for(request.user).can_write_unit(d.unit):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                question = get_object_or_404(Submission, pk=_int(request.POST.get("question")), dialogue=d)
                services.record_dialogue_answer(
                    dialogue=d, submission=question, text=request.POST.get("text", ""), actor=request.user
                )
                messages.success(request, _("Đã ghi câu trả lời và gửi tới những người đã hỏi."))
            elif action == "close":
                d.questions_open = False
                d.save(update_fields=["questions_open"])
            elif action == "publish":
                raw = request.POST.get("participants", "").strip()
                services.publish_dialogue(
                    dialogue=d,
                    summary=request.POST.get("summary", ""),
                    participants=int(raw) if raw.isdecimal() else None,
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Đã công bố kết quả; buổi đối thoại được tính là một hoạt động của kênh đối thoại."),
                )
        except Refused as exc:
            messages.error(request, str(exc))
        return redirect("feedback:dialogue", pk=pk)
    return render(request, "feedback/dialogue.html", {"d": d, "questions": services.ranked_questions(d)})


@login_required
def attachment(request, pk: int):
    """The citizen's attachment, for those who may handle the submission; each view is logged."""
    from django.http import FileResponse

    from loa.audit.services import log_action

    submission = selectors.get_for_user(request.user, pk)
    if not selectors.can_handle(request.user, submission) or not submission.attachment:
        raise Http404
    log_action("feedback.attachment.viewed", submission, actor=request.user)
    response = FileResponse(submission.attachment.open("rb"), content_type=submission.attachment_type)
    response["Content-Disposition"] = (
        f'inline; filename="y-kien-{submission.pk}{services.extension(submission.attachment_type)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def rules(request):
    """The office's routing rules: theme → unit, place name → unit (a commune)."""
    from loa.accounts.access import scope_for

    scope = scope_for(request.user)
    if not scope.manages_plans:
        raise Http404
    offices = scope.writable_units()
    mine = [m.unit for m in request.user.memberships.filter(role="office").select_related("unit")]
    office = mine[0] if mine else None
    if request.method == "POST":
        if request.POST.get("delete"):
            rule = get_object_or_404(RoutingRule, pk=_int(request.POST["delete"]), office__in=offices)
            rule.delete()
            messages.info(request, _("Đã xóa quy tắc."))
        else:
            try:
                owner = office or get_object_or_404(offices, pk=_int(request.POST.get("office")))
                services.add_rule(
                    office=owner,
                    # a rule for one plan only for a plan this office issued
                    document=_plans().filter(pk=_int(request.POST.get("plan") or 0), issuer=owner).first(),
                    match=request.POST.get("match", ""),
                    value=request.POST.get("value", ""),
                    unit=get_object_or_404(offices, pk=_int(request.POST.get("unit"))),
                    actor=request.user,
                )
                messages.success(request, _("Đã thêm quy tắc."))
            except Refused as exc:
                messages.error(request, str(exc))
        return redirect("feedback:rules")
    context = {
        "rules": RoutingRule.objects.filter(office__in=offices).select_related("unit", "document", "office")[
            :500
        ],
        "units": offices.order_by("name")[:300]
        if office is None
        else offices.filter(area=office.area).order_by("name")[:300] or offices.order_by("name")[:300],
        "plans": (_plans().filter(issuer=office) if office else _plans().filter(issuer__in=offices))[:50],
        "matches": RoutingRule.Match.choices,
        "office": office,
        "offices": [] if office else offices.order_by("name")[:50],
    }
    return render(request, "feedback/rules.html", context)
