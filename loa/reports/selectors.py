"""Reads for reports: who issues a report, and the period asked for."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from loa.accounts.models import Membership, Role
from loa.docgen import Signature
from loa.org.models import UnitType
from loa.plans.models import Document

from .render import Letterhead, place_name

MAX_DAYS = 366


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_period(start: str | None, end: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period from ISO dates ("2026-06-01"), a month ("2026-06" as start alone), or this month."""
    if not start and not end:
        return month_bounds(today)
    try:
        if start and len(start) == 7 and not end:
            return month_bounds(dt.date.fromisoformat(start + "-01"))
        first = dt.date.fromisoformat(start or "")
        last = dt.date.fromisoformat(end or "")
    except ValueError as exc:
        raise ValidationError(_("Ngày không hợp lệ: cần dạng năm-tháng-ngày, ví dụ 2026-06-30.")) from exc
    if last < first:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if (last - first).days >= MAX_DAYS:
        raise ValidationError(_("Một báo cáo tính tối đa 366 ngày."))
    return first, last


def letterhead_for(document: Document, user=None) -> Letterhead:
    """The issuing body is the person's office unit (else the plan's issuer); the signature block is
    the plan's own when the same body reports on its plan."""
    unit = None
    if user is not None and getattr(user, "is_authenticated", False):
        membership = (
            Membership.objects.filter(user=user, role=Role.OFFICE)
            .select_related("unit__area", "unit__parent")
            .first()
        )
        unit = membership.unit if membership else None
    if unit is None:
        unit = document.issuer
    if unit is None:
        return Letterhead(issuer=document.issuer_name or _("CƠ QUAN BÁO CÁO"), place=document.place)
    # People's committees and councils and Party committees head their documents alone (Nghị định
    # 30/2020: no managing body line); a department or board shows the body above it.
    alone = unit.unit_type in (UnitType.PEOPLES_COMMITTEE, UnitType.PEOPLES_COUNCIL, UnitType.PARTY_COMMITTEE)
    head = Letterhead(
        issuer=unit.name,
        issuer_parent=unit.parent.name if unit.parent_id and not alone else "",
        place=place_name(unit.area.name) if unit.area_id else "",
    )
    if unit.pk == document.issuer_id and document.current_version_id:
        signer = (document.current_version.parsed or {}).get("signer") or {}
        authority = [a for part in (signer.get("authority") or "").split(" / ") if (a := part.strip())]
        head.signature = Signature(
            authority=authority[0] if authority else "",
            deputy=authority[1] if len(authority) > 1 else "",
            position=signer.get("position") or "",
            name=signer.get("name") or "",
        )
    return head
