"""Pages of the material library: a plan's materials, one material (versions, diff, scripts, uses)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from loa.accounts.access import scope_for
from loa.activities.models import Audience
from loa.plans.models import Theme
from loa.plans.selectors import get_document_for_user

from . import audio, scripts, selectors, services
from .models import Access, Material, MaterialKind, MaterialUse, MaterialVersion, Script, Variant


def _can_manage(user, material) -> bool:
    """Manage a material: an office (or an administrator) that may write the plan's issuer."""
    return _office_for(user, material.document) is not None


def _office_for(user, document):
    """The office that manages the plan's materials: its issuer, for a person with the office role
    over it (a commune office reads the city plan it implements but never manages its materials)."""
    scope = scope_for(user)
    if document.issuer_id and scope.manages_plans and scope.can_write_unit(document.issuer):
        return document.issuer
    return None


@login_required
@require_http_methods(["GET", "POST"])
def library(request, pk: int):
    document = get_document_for_user(request.user, pk)
    office = _office_for(request.user, document)
    manage = office is not None
    if request.method == "POST" and request.POST.get("adapt"):
        if not manage:
            return HttpResponse(_("Chỉ cơ quan quản lý kế hoạch mới thêm được tài liệu."), status=403)
        source = next(
            (
                m
                for m, _v in selectors.from_above(document, request.user)
                if str(m.pk) == request.POST["adapt"]
            ),
            None,
        )
        if source is None:
            raise Http404
        try:
            material = services.adapt(source=source, document=document, office=office, actor=request.user)
        except services.Refused as exc:
            messages.error(request, str(exc))
            return redirect("materials:library", pk=pk)
        messages.success(request, _("Đã tạo bản biên soạn lại (dự thảo) giữ liên kết tới bản gốc."))
        return redirect("materials:detail", pk=material.pk)
    if request.method == "POST":
        if not manage:
            return HttpResponse(_("Chỉ cơ quan quản lý kế hoạch mới thêm được tài liệu."), status=403)
        upload = request.FILES.get("tep")
        try:
            if upload is None:
                raise services.Refused(_("Chưa chọn tệp."))
            if request.POST.get("loai", MaterialKind.OUTLINE) not in MaterialKind.values:
                raise services.Refused(_("Loại tài liệu không hợp lệ."))
            if request.POST.get("pham_vi", Access.PUBLIC) not in Access.values:
                raise services.Refused(_("Phạm vi không hợp lệ."))
            if upload.size > services.MAX_BYTES:
                raise services.Refused(_("Tệp quá lớn; giới hạn là 20 MB."))
            themes = Theme.objects.filter(
                version_id=document.current_version_id, pk__in=request.POST.getlist("chu_de")
            )
            material = services.import_material(
                document=document,
                office=office,
                kind=request.POST.get("loai", MaterialKind.OUTLINE),
                data=upload.read(),
                filename=upload.name,
                title=request.POST.get("ten", "").strip(),
                access=request.POST.get("pham_vi", Access.PUBLIC),
                themes=list(themes),
                audiences=[a for a in request.POST.getlist("doi_tuong") if a in Audience.values],
                actor=request.user,
            )
        except services.Refused as exc:
            messages.error(request, str(exc))
            return redirect("materials:library", pk=pk)
        messages.success(request, _("Đã nhập tài liệu (bản dự thảo): kiểm tra rồi phát hành."))
        return redirect("materials:detail", pk=material.pk)
    from .digests import reach

    rows = selectors.library(document)
    digest = reach(document)
    context = {
        "document": document,
        "rows": rows,
        "digest": digest,
        "digest_audiences": [
            (label, digest["audiences"][code])
            for code, label in Audience.choices
            if digest["audiences"].get(code)
        ],
        "digest_materials": [
            (m, digest["materials"][m.pk]) for m, _p, _u in rows if digest["materials"].get(m.pk)
        ],
        "manage": manage,
        "kinds": MaterialKind.choices,
        "accesses": Access.choices,
        "themes": Theme.objects.filter(version_id=document.current_version_id).order_by("order"),
        "audiences": Audience.choices,
        "matrix": selectors.coverage(document),
        "above": selectors.from_above(document, request.user),
    }
    return render(request, "materials/library.html", context)


def _material_for(user, pk: int) -> Material:
    material = get_object_or_404(Material.objects.select_related("document", "office"), pk=pk)
    get_document_for_user(user, material.document_id)  # 404 unless the person reads the plan
    return material


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    material = _material_for(request.user, pk)
    manage = _can_manage(request.user, material)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "publish" and manage:
                version = get_object_or_404(
                    MaterialVersion, pk=request.POST.get("version"), material=material
                )
                still = services.publish(version=version, actor=request.user)
                messages.success(request, _("Đã phát hành phiên bản %(n)d.") % {"n": version.number})
                if still:
                    messages.warning(
                        request,
                        _("Các đơn vị còn dùng bản cũ: %(units)s.")
                        % {"units": ", ".join(u.name for u in still[:30])},
                    )
            elif action == "access" and manage:
                if services.set_access(
                    material=material, access=request.POST.get("pham_vi", ""), actor=request.user
                ):
                    messages.success(
                        request, _("Đã đổi phạm vi: %(a)s.") % {"a": material.get_access_display()}
                    )
            elif action == "new_version" and manage:
                upload = request.FILES.get("tep")
                if upload is None:
                    raise services.Refused(_("Chưa chọn tệp."))
                services.new_version(
                    material=material, data=upload.read(), filename=upload.name, actor=request.user
                )
                messages.success(request, _("Đã tạo bản dự thảo mới; xem các thay đổi bên dưới."))
            elif action == "script" and manage:
                version = material.published()
                if version is None:
                    raise services.Refused(_("Kịch bản chỉ dựng từ bản đã phát hành."))
                limit = int(request.POST.get("limit", "120") or 120)
                services.make_script(
                    version=version, limit=limit, actor=request.user, speaker=material.office.name
                )
            elif action in ("edit_script", "approve_script") and manage:
                script = get_object_or_404(Script, pk=request.POST.get("script"), version__material=material)
                if action == "edit_script":
                    services.edit_script(script=script, text=request.POST.get("text", ""), actor=request.user)
                else:
                    services.approve_script(script=script, actor=request.user)
                    messages.success(request, _("Đã duyệt kịch bản."))
            elif action == "portal" and manage:
                version = material.published()
                if version is None:
                    raise services.Refused(_("Tài liệu chưa được phát hành."))
                services.make_portal_text(version=version, actor=request.user)
            elif action == "poster" and manage:
                from django.conf import settings as conf
                from django.urls import reverse

                from loa.docgen.pdf import ConversionError, docx_to_pdf

                version = material.published()
                if version is None or material.access != Access.PUBLIC:
                    raise services.Refused(_("Áp phích chỉ làm từ tài liệu công khai đã phát hành."))
                url = conf.LOA_BASE_URL.rstrip("/") + reverse("materials:public_detail", args=[material.pk])
                try:
                    services.make_poster(version=version, url=url, actor=request.user, convert=docx_to_pdf)
                except ConversionError as exc:
                    raise services.Refused(str(exc)) from exc
            elif action == "handbook" and manage:
                version = material.published()
                upload = request.FILES.get("tep")
                if version is None or upload is None:
                    raise services.Refused(_("Cần bản đã phát hành và tệp PDF."))
                services.upload_handbook_pdf(version=version, data=upload.read(), actor=request.user)
            elif action in ("edit_variant", "approve_variant") and manage:
                variant = get_object_or_404(
                    Variant, pk=request.POST.get("variant"), version__material=material
                )
                if action == "edit_variant":
                    services.edit_variant(
                        variant=variant, text=request.POST.get("text", ""), actor=request.user
                    )
                else:
                    services.approve_variant(variant=variant, actor=request.user)
                    messages.success(request, _("Đã duyệt."))
            elif action == "handbook_done":
                unit = selectors.unit_of(request.user)
                variant = get_object_or_404(
                    Variant, pk=request.POST.get("variant"), version__material=material
                )
                if unit is None:
                    raise services.Refused(_("Tài khoản của bạn không thuộc đơn vị nào."))
                services.log_handbook(variant=variant, unit=unit, actor=request.user)
                messages.success(
                    request, _("Đã ghi nhận; hoạt động được tính cho %(unit)s.") % {"unit": unit.name}
                )
            elif action in ("broadcast", "posted"):
                unit = selectors.unit_of(request.user)
                if unit is None:
                    raise services.Refused(_("Tài khoản của bạn không thuộc đơn vị nào."))
                script = Script.objects.filter(
                    pk=request.POST.get("script"), version__material=material
                ).first()
                version = script.version if script else material.published()
                if version is None:
                    raise services.Refused(_("Tài liệu chưa được phát hành."))
                kind = MaterialUse.Kind.BROADCAST if action == "broadcast" else MaterialUse.Kind.POSTED
                services.log_use(version=version, unit=unit, kind=kind, actor=request.user, script=script)
                messages.success(
                    request, _("Đã ghi nhận; hoạt động được tính cho %(unit)s.") % {"unit": unit.name}
                )
            else:
                return HttpResponse(_("Bạn không có quyền thực hiện thao tác này."), status=403)
        except (services.Refused, ValueError) as exc:
            messages.error(request, str(exc))
        return redirect("materials:detail", pk=pk)
    versions = list(material.versions.order_by("-number"))
    published = next((v for v in versions if v.status == MaterialVersion.Status.PUBLISHED), None)
    draft = next((v for v in versions if v.status == MaterialVersion.Status.DRAFT), None)
    context = {
        "m": material,
        "manage": manage,
        "versions": versions,
        "published": published,
        "draft": draft,
        "changes": services.diff(published, draft) if draft and published else None,
        "scripts": Script.objects.filter(version__material=material).select_related("version", "approved_by")[
            :20
        ],
        "limits": scripts.LIMITS,
        "use": selectors.use_of(material),
        "my_unit": selectors.unit_of(request.user),
        "audio": audio.available(),
        "accesses": Access.choices,
    }
    return render(request, "materials/detail.html", context)


@login_required
def script_file(request, pk: int, fmt: str):
    """An approved script as TXT or DOCX for the provincial smart-radio system (it has its own TTS), or
    as machine-voice audio where espeak-ng is installed."""
    script = get_object_or_404(Script.objects.select_related("version__material"), pk=pk)
    _material_for(request.user, script.version.material_id)
    if fmt not in ("txt", "docx", "audio"):
        raise Http404
    # the machine voice also lets the office hear a draft before approving it; the files go out approved
    if script.status != Script.Status.APPROVED and not (
        fmt == "audio" and _office_for(request.user, script.version.material.document)
    ):
        raise Http404
    name = f"kich-ban-{script.pk}"
    if fmt == "audio":  # optional machine voice, only where espeak-ng is installed
        if not audio.available():
            raise Http404
        try:
            data, content_type = audio.speak(script.text)
        except (OSError, ValueError, audio.subprocess.SubprocessError):
            return HttpResponse(_("Chưa tạo được tệp âm thanh; xin thử lại sau."), status=503)
        response = HttpResponse(data, content_type=content_type)
        extension = "mp3" if content_type == "audio/mpeg" else "wav"
        response["Content-Disposition"] = f'inline; filename="{name}-giong-may.{extension}"'
        return response
    if fmt == "txt":
        response = HttpResponse(script.text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.txt"'
        return response
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    document.add_heading(script.version.material.title, level=1)
    for line in script.text.split("\n"):
        document.add_paragraph(line)
    document.add_paragraph(
        _("Thời lượng ước tính: %(s).0f giây (giới hạn %(limit)d giây).")
        % {"s": script.seconds, "limit": script.limit_seconds}
    )
    buffer = io.BytesIO()
    document.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def audiences(request, pk: int):
    """The audience groups the plan names, each with its source sentence, for the office to confirm."""
    document = get_document_for_user(request.user, pk)
    manage = _office_for(request.user, document) is not None
    rows = services.plan_audiences(document)
    if request.method == "POST":
        if not manage:
            return HttpResponse(_("Bạn không có quyền thực hiện thao tác này."), status=403)
        services.decide_audiences(
            document=document, confirmed_keys=set(request.POST.getlist("nhom")), actor=request.user
        )
        messages.success(request, _("Đã lưu các nhóm đối tượng của kế hoạch."))
        return redirect("materials:audiences", pk=pk)
    return render(
        request,
        "materials/audiences.html",
        {"document": document, "rows": rows, "manage": manage, "tiers": services.TIERS},
    )


@login_required
def board_pdf(request, pk: int):
    """The A4 bulletin-board sheet of a public published material (PDF, or DOCX where LibreOffice is
    missing)."""
    from django.conf import settings
    from django.urls import reverse

    from loa.docgen.pdf import ConversionError, docx_to_pdf

    from .board import board_pdf as render_board

    material = _material_for(request.user, pk)
    version = material.published()
    if version is None or material.access != Access.PUBLIC:
        raise Http404
    url = settings.LOA_BASE_URL.rstrip("/") + reverse("materials:public_detail", args=[material.pk])
    try:
        pdf = render_board(
            title=material.title,
            issuer=material.issuer_name or material.office.name,
            paragraphs=[p["text"] for p in version.paragraphs],
            url=url,
            convert=docx_to_pdf,
        )
    except ConversionError as exc:
        messages.error(request, str(exc))
        return redirect("materials:detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bang-tin-{material.pk}.pdf"'
    return response


@login_required
def variant_file(request, pk: int):
    variant = get_object_or_404(Variant.objects.select_related("version__material"), pk=pk)
    _material_for(request.user, variant.version.material_id)
    if variant.kind == Variant.Kind.PORTAL:
        response = HttpResponse(variant.text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bai-ngan-{variant.pk}.txt"'
        return response
    if not variant.file:
        raise Http404
    from django.http import FileResponse

    return FileResponse(
        variant.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{'ap-phich' if variant.kind == Variant.Kind.POSTER else 'so-tay'}-{variant.pk}.pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_bank(request, pk: int):
    """The plan's quiz question bank: import, drafts from the plan, approval. Office only (the keys
    stay with the organisers)."""
    from . import quiz
    from .models import Question

    document = get_document_for_user(request.user, pk)
    if _office_for(request.user, document) is None:
        raise Http404
    report = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "draft":
            made = quiz.draft_from_plan(document, request.user)
            messages.success(request, _("Đã soạn %(n)d câu hỏi mới (dự thảo) từ kế hoạch.") % {"n": made})
        elif action == "import":
            upload = request.FILES.get("tep")
            if upload is None or upload.size > services.MAX_BYTES:
                messages.error(request, _("Chưa chọn tệp, hoặc tệp quá lớn."))
            else:
                report = quiz.import_bank(document, upload.read(), upload.name, request.user)
        elif action == "contest":
            import datetime as dt

            from django.utils import timezone as tz

            from . import contest as rules

            try:
                opens = tz.make_aware(dt.datetime.fromisoformat(request.POST.get("opens", "")))
                closes = tz.make_aware(dt.datetime.fromisoformat(request.POST.get("closes", "")))
                numbers = [int(request.POST.get(k, "0") or 0) for k in ("questions", "minutes", "attempts")]
                round_ = rules.create(
                    document=document,
                    title=request.POST.get("title", ""),
                    opens_at=opens,
                    closes_at=closes,
                    questions=numbers[0],
                    minutes=numbers[1],
                    attempts=numbers[2],
                )
                messages.success(request, _("Đã tạo vòng thi %(title)s.") % {"title": round_.title})
            except ValueError as exc:
                messages.error(
                    request,
                    str(exc) if isinstance(exc, rules.Refused) else _("Thời gian hoặc số không hợp lệ."),
                )
        elif action == "participation":
            from . import contest as rules
            from .models import Contest

            round_ = get_object_or_404(
                Contest,
                pk=request.POST.get("contest", "0") if request.POST.get("contest", "").isdecimal() else 0,
                document=document,
            )
            try:
                n = rules.log_participation(round_, request.user)
                messages.success(request, _("Đã ghi nhận tham gia cho %(n)d đơn vị.") % {"n": n})
            except rules.Refused as exc:
                messages.error(request, str(exc))
        elif action == "approve":
            question = get_object_or_404(
                Question,
                pk=request.POST.get("question", "0") if request.POST.get("question", "").isdecimal() else 0,
                document=document,
            )
            try:
                quiz.approve(question, request.user)
            except quiz.Refused as exc:
                messages.error(request, str(exc))
        if report is None:
            return redirect("materials:questions", pk=pk)
    from .models import Contest

    context = {
        "document": document,
        "questions": Question.objects.filter(document=document)[:500],
        "report": report,
        "contests": Contest.objects.filter(document=document)[:50],
        "approved": Question.objects.filter(document=document, status=Question.Status.APPROVED).count(),
    }
    return render(request, "materials/questions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contest_statistics(request, pk: int):
    """Item statistics of a round for its organisers, and key corrections that re-score."""
    from . import contest as rules
    from .models import Contest, Question

    round_ = get_object_or_404(Contest.objects.select_related("document"), pk=pk)
    get_document_for_user(request.user, round_.document_id)
    if _office_for(request.user, round_.document) is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "exclude":
        from .models import Attempt

        raw = request.POST.get("attempt", "")
        attempt = get_object_or_404(Attempt, pk=int(raw) if raw.isdecimal() else 0, contest=round_)
        try:
            rules.exclude(attempt=attempt, reason=request.POST.get("reason", ""), actor=request.user)
        except rules.Refused as exc:
            messages.error(request, str(exc))
        else:
            if attempt.excluded_reason:
                messages.success(request, _("Đã để bài #%(n)d ra ngoài xếp hạng.") % {"n": attempt.pk})
            else:
                messages.success(request, _("Đã đưa bài #%(n)d trở lại xếp hạng.") % {"n": attempt.pk})
        return redirect("materials:contest_statistics", pk=pk)
    if request.method == "POST":
        raw_q, raw_k = request.POST.get("question", ""), request.POST.get("key", "")
        question = get_object_or_404(
            Question, pk=int(raw_q) if raw_q.isdecimal() else 0, document=round_.document
        )
        try:
            n = rules.correct_key(
                question=question, key=int(raw_k) if raw_k.isdecimal() else -1, actor=request.user
            )
            messages.success(request, _("Đã sửa đáp án và chấm lại %(n)d bài.") % {"n": n})
        except rules.Refused as exc:
            messages.error(request, str(exc))
        return redirect("materials:contest_statistics", pk=pk)
    return render(
        request,
        "materials/contest_statistics.html",
        {
            "contest": round_,
            "rows": rules.item_statistics(round_),
            "suspicious": rules.suspicious(round_),
            "excluded": round_.attempts.exclude(excluded_reason="").select_related("unit"),
        },
    )
