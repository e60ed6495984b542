from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from loa.accounts.access import scope_for
from loa.org.models import Area
from loa.org.selectors import subtree_q
from loa.plans import selectors as plan_selectors

from .builder import build_report
from .render import report_docx
from .selectors import letterhead_for, parse_period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def plan_report(request, pk: int):
    """The periodic report of a plan over the person's scope (``?dia_ban=`` narrows it), as DOCX."""
    document = plan_selectors.get_document_for_user(request.user, pk)
    try:
        start, end = parse_period(request.GET.get("tu"), request.GET.get("den"), timezone.localdate())
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    units, label = scope_for(request.user).readable_units(), ""
    code = request.GET.get("dia_ban")
    if code:
        area = Area.objects.filter(code=code).first()
        if area is None:
            return HttpResponse("Không có địa bàn này.", status=404, content_type="text/plain; charset=utf-8")
        units, label = units.filter(subtree_q(area, "area")), area.name
    data = build_report(document, units, start, end, scope_label=label)
    body = report_docx(data, letterhead_for(document, request.user))
    response = HttpResponse(body, content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-ke-hoach-{document.pk}-{start:%Y%m%d}-{end:%Y%m%d}.docx"'
    )
    return response
